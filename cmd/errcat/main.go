// Command errcat generates typed Go error packages and documentation from
// YAML error catalogs of HTTP APIs.
//
//	errcat generate [flags] catalog.yaml|dir|glob...   write the packages and docs
//	errcat check    [flags] catalog.yaml|dir|glob...   exit 1 if output is stale
//	errcat validate catalog.yaml|dir|glob...           exit 1 on any catalog error
//
// Flags of generate and check: -out dir (output root, default "."), -index
// (also write an index README.md of all vendors), -templates dir (override
// the documentation templates).
//
// It is meant for go generate:
//
//	//go:generate go tool errcat generate -out . catalog
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/errcat/errcat/gen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  errcat generate [-out dir] [-index] [-templates dir] catalog.yaml|dir|glob...
  errcat check    [-out dir] [-index] [-templates dir] catalog.yaml|dir|glob...
  errcat validate catalog.yaml|dir|glob...
`

// run is the whole CLI, returning the exit code: 0 fine, 1 problems found,
// 2 misuse.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd := args[0]
	fl := flag.NewFlagSet("errcat "+cmd, flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", ".", "output root: each vendor's package goes to <out>/<vendor id>")
	index := fl.Bool("index", false, "also write <out>/README.md, an index of the vendors")
	tmpl := fl.String("templates", "", "directory whose vendor.md.tmpl / index.md.tmpl override the built-in ones")
	if err := fl.Parse(args[1:]); err != nil {
		return 2
	}
	catalogs, err := expand(fl.Args())
	if err != nil {
		fmt.Fprintln(stderr, "errcat:", err)
		return 2
	}
	switch cmd {
	case "validate":
		if _, err := gen.Load(catalogs); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%d catalog(s) valid\n", len(catalogs))
		return 0
	case "generate", "check":
		res, err := gen.Run(gen.Options{Catalogs: catalogs, Out: *out, Check: cmd == "check", Index: *index, Templates: *tmpl})
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		if cmd == "check" {
			report(stderr, "stale", res.Stale)
			report(stderr, "missing", res.Missing)
			report(stderr, "extra", res.Extra)
			if res.Drift() {
				fmt.Fprintln(stderr, "generated output is out of date: run `errcat generate` (make generate)")
				return 1
			}
			fmt.Fprintf(stdout, "%d file(s) up to date\n", res.Unchanged)
			return 0
		}
		report(stdout, "wrote", res.Written)
		report(stdout, "removed", res.Removed)
		return 0
	}
	fmt.Fprintf(stderr, "errcat: unknown command %q\n%s", cmd, usage)
	return 2
}

func report(w io.Writer, what string, paths []string) {
	for _, p := range paths {
		fmt.Fprintf(w, "%s %s\n", what, p)
	}
}

// expand turns arguments into catalog files: a directory means its *.yaml
// and *.yml files, and patterns are globbed here because go generate runs
// commands without a shell.
func expand(args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("no catalogs given\n%s", usage)
	}
	var out []string
	for _, a := range args {
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, fmt.Errorf("bad pattern %q: %v", a, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("%q matches no file", a)
			}
			out = append(out, m...)
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		for _, pat := range []string{"*.yaml", "*.yml"} {
			m, _ := filepath.Glob(filepath.Join(a, pat))
			found = append(found, m...)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("directory %s holds no *.yaml catalog", a)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}
