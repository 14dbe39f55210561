package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/errcat/errcat/gen"
	"github.com/errcat/errcat/gen/diff"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/model"
)

const diffUsage = `usage:
  errcat diff [flags] OLD.yaml NEW.yaml
  errcat diff [flags] -against GIT_REF [catalog.yaml|dir|glob...]
With -against and no catalogs named, the catalogs errcat.yaml (or -config file) lists are compared.
Flags: -format text|markdown|json|github, -fail-on breaking|warning|none (default breaking),
-ignore FILE (fingerprints of accepted changes, with reasons), -no-go-api.
Exit status: 1 when a change at or above -fail-on remains, 0 otherwise, 2 for usage or load errors.
`

// runDiff is `errcat diff`: it loads both sides of every catalog, compares
// them with gen/diff and prints the report.
func runDiff(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("errcat diff", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, diffUsage) }
	against := fl.String("against", "", "git ref whose catalogs are the old side, such as main or origin/main")
	format := fl.String("format", "text", "output format: "+strings.Join(diff.Formats, ", "))
	failOn := fl.String("fail-on", "breaking", "exit 1 when a change of this severity or above remains: breaking, warning or none")
	ignore := fl.String("ignore", "", "file of accepted changes: a fingerprint and a reason per line")
	noAPI := fl.Bool("no-go-api", false, "skip the Go API impact (which type-checks both generated packages with the go command)")
	config := fl.String("config", gen.ConfigFile, "config listing the catalogs when -against is given without catalogs")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	threshold, fail := diff.Breaking, true
	if *failOn == "none" {
		fail = false
	} else if s, ok := diff.ParseSeverity(*failOn); ok && s != diff.Info {
		threshold = s
	} else {
		fmt.Fprintf(stderr, "errcat diff: -fail-on %q: want breaking, warning or none\n", *failOn)
		return 2
	}
	if !contains(diff.Formats, *format) {
		fmt.Fprintf(stderr, "errcat diff: -format %q: want one of %s\n", *format, strings.Join(diff.Formats, ", "))
		return 2
	}
	var accept map[string]string
	if *ignore != "" {
		var err error
		if accept, err = diff.ReadIgnoreFile(*ignore); err != nil {
			fmt.Fprintln(stderr, "errcat diff:", err)
			return 2
		}
	}
	var pairs []pair
	var err error
	if *against != "" {
		pairs, err = gitPairs(*against, fl.Args(), *config)
	} else if fl.NArg() == 2 {
		pairs, err = filePairs(fl.Arg(0), fl.Arg(1))
	} else {
		fmt.Fprint(stderr, "errcat diff: name OLD.yaml and NEW.yaml, or use -against GIT_REF\n"+diffUsage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "errcat diff:", err)
		return 2
	}
	var ck *diff.Checker
	if !*noAPI {
		ck = diff.NewChecker()
	}
	r := &diff.Report{}
	for _, p := range pairs {
		r.Catalogs = append(r.Catalogs, diff.NewCatalogDiff(p.oldName, p.old, p.newName, p.new, ck))
	}
	r.Ignore(accept)
	if err := diff.Write(stdout, *format, r); err != nil {
		fmt.Fprintln(stderr, "errcat diff:", err)
		return 2
	}
	if fail && r.Fails(threshold) {
		return 1
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pair is one catalog's two sides; a nil side does not exist.
type pair struct {
	oldName, newName string
	old, new         *model.Catalog
}

func filePairs(oldPath, newPath string) ([]pair, error) {
	old, errOld := load.File(oldPath)
	new, errNew := load.File(newPath)
	if err := errors.Join(errOld, errNew); err != nil {
		return nil, err
	}
	return []pair{{filepath.ToSlash(oldPath), filepath.ToSlash(newPath), old, new}}, nil
}

// gitPairs pairs each catalog with its revision at ref. A catalog missing
// at ref is new; a catalog at ref in a directory named (or listed in the
// config) that is gone from the working tree is removed.
func gitPairs(ref string, args []string, config string) ([]pair, error) {
	if strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("-against %q: a git ref cannot start with '-'", ref)
	}
	if _, err := git(".", "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, fmt.Errorf("-against %q: not a commit in this git repository (fix: fetch it, or name a branch, tag or commit)", ref)
	}
	var files, dirs []string
	if len(args) == 0 {
		runs, err := gen.LoadConfig(config)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no catalogs named and no %s here", config)
		}
		if err != nil {
			return nil, err
		}
		for _, r := range runs {
			for _, c := range r.Catalogs {
				files = append(files, c)
				dirs = append(dirs, filepath.Dir(c))
			}
		}
	}
	for _, a := range args {
		fi, err := os.Stat(a)
		switch {
		case err == nil && fi.IsDir():
			dirs = append(dirs, a)
			found, err := gen.ExpandCatalogs([]string{a})
			if err == nil {
				files = append(files, found...)
			}
		case err == nil || strings.ContainsAny(a, "*?["):
			found, err := gen.ExpandCatalogs([]string{a})
			if err != nil {
				return nil, err
			}
			files = append(files, found...)
		case errors.Is(err, fs.ErrNotExist):
			files = append(files, a) // deleted since ref, or a mistake: git says which
		default:
			return nil, err
		}
	}
	for _, d := range dirs {
		out, err := git(d, "ls-tree", "--name-only", ref, "./")
		if err != nil {
			continue // the directory is new since ref
		}
		for _, name := range strings.Split(strings.TrimSpace(out), "\n") {
			if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
				files = append(files, filepath.Join(d, name))
			}
		}
	}
	seen := map[string]bool{}
	var pairs []pair
	var errs []error
	sort.Strings(files)
	for _, f := range files {
		f = filepath.Clean(f)
		if seen[f] {
			continue
		}
		seen[f] = true
		p := pair{}
		name := filepath.ToSlash(f)
		if _, err := os.Stat(f); err == nil {
			c, err := load.File(f)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			p.new, p.newName = c, name
		}
		data, found, err := gitShow(ref, f)
		switch {
		case err != nil:
			errs = append(errs, err)
			continue
		case found:
			c, err := load.Bytes(ref+":"+name, data)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			p.old, p.oldName = c, ref+":"+name
		case p.new == nil:
			errs = append(errs, fmt.Errorf("%s: no such catalog, here or at %s", name, ref))
			continue
		}
		pairs = append(pairs, p)
	}
	return pairs, errors.Join(errs...)
}

// gitShow reads path as it was at ref; found is false when it did not
// exist there.
func gitShow(ref, path string) (data []byte, found bool, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if _, err := os.Stat(dir); err != nil {
		// The directory is gone too: ask from the repository's top.
		top, err := git(".", "rev-parse", "--show-prefix")
		if err != nil {
			return nil, false, err
		}
		base = filepath.ToSlash(filepath.Join(strings.TrimSpace(top), path))
		out, err := git(".", "show", ref+":"+base)
		if err != nil {
			return nil, false, nil
		}
		return []byte(out), true, nil
	}
	if _, err := git(dir, "cat-file", "-e", ref+":./"+base); err != nil {
		return nil, false, nil
	}
	out, err := git(dir, "show", ref+":./"+base)
	if err != nil {
		return nil, false, err
	}
	return []byte(out), true, nil
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}
