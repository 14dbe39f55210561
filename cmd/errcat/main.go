// Command errcat generates typed Go error packages and documentation from
// YAML error catalogs of HTTP APIs.
//
//	errcat generate [flags] catalog.yaml|dir|glob...   write the packages and docs
//	errcat check    [flags] catalog.yaml|dir|glob...   exit 1 if output is stale
//	errcat validate catalog.yaml|dir|glob...           exit 1 on any catalog error
//	errcat diff OLD.yaml NEW.yaml | -against REF       what changed, what it breaks (see docs/diff.md)
//	errcat vet      [-fix] [packages]                  find errors matched by text or raw numbers
//
// Flags of generate and check: -out dir (output root, default "."), -index
// (also write an index README.md of all vendors), -templates dir (override
// the documentation templates). With no catalogs named, errcat makes the
// runs its config file lists (errcat.yaml, or -config FILE), so that
// `errcat generate` and `errcat check` need no arguments in a repository
// that has one.
//
// It is meant for go generate:
//
//	//go:generate go tool errcat generate -out . catalog
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/errcat/errcat/gen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  errcat generate [-out dir] [-index] [-templates dir] [catalog.yaml|dir|glob...]
  errcat check    [-out dir] [-index] [-templates dir] [catalog.yaml|dir|glob...]
  errcat validate [catalog.yaml|dir|glob...]
  errcat diff     [-format f] [-fail-on s] [-ignore file] OLD.yaml NEW.yaml | -against GIT_REF [catalog...]
  errcat vet      [-fix] [packages]
With no catalogs named, the runs listed in errcat.yaml (or -config file) are made.
`

// run is the whole CLI, returning the exit code: 0 fine, 1 problems found,
// 2 misuse.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd := args[0]
	if cmd == "diff" {
		return runDiff(args[1:], stdout, stderr) // cmd/errcat/diff.go
	}
	if cmd == "vet" { // vet.go
		return runVet(args[1:], stdout, stderr)
	}
	switch cmd {
	case "validate", "generate", "check":
	default:
		fmt.Fprintf(stderr, "errcat: unknown command %q\n%s", cmd, usage)
		return 2
	}
	fl := flag.NewFlagSet("errcat "+cmd, flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", ".", "output root: each vendor's package goes to <out>/<vendor id>")
	index := fl.Bool("index", false, "also write <out>/README.md, an index of the vendors")
	tmpl := fl.String("templates", "", "directory whose vendor.md.tmpl / index.md.tmpl override the built-in ones")
	config := fl.String("config", gen.ConfigFile, "config listing the runs to make when no catalogs are named")
	if err := fl.Parse(args[1:]); err != nil {
		return 2
	}
	runs, err := plan(fl.Args(), *config, gen.Options{Out: *out, Index: *index, Templates: *tmpl})
	if err != nil {
		fmt.Fprintln(stderr, "errcat:", err)
		return 2
	}
	status := 0
	for _, opts := range runs {
		if code := runOne(cmd, opts, stdout, stderr); code > status {
			status = code
		}
	}
	return status
}

// plan returns the runs to make: one from the command line when it names
// catalogs, else those the config file lists.
func plan(args []string, config string, flags gen.Options) ([]gen.Options, error) {
	if len(args) > 0 {
		catalogs, err := gen.ExpandCatalogs(args)
		if err != nil {
			return nil, err
		}
		flags.Catalogs = catalogs
		return []gen.Options{flags}, nil
	}
	runs, err := gen.LoadConfig(config)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no catalogs named and no %s here\n%s", config, usage)
	}
	return runs, err
}

func runOne(cmd string, opts gen.Options, stdout, stderr io.Writer) int {
	if cmd == "validate" {
		if _, err := gen.Load(opts.Catalogs); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%d catalog(s) valid\n", len(opts.Catalogs))
		return 0
	}
	opts.Check = cmd == "check"
	res, err := gen.Run(opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if opts.Check {
		report(stderr, "stale", res.Stale)
		report(stderr, "missing", res.Missing)
		report(stderr, "extra", res.Extra)
		if res.Drift() {
			fmt.Fprintf(stderr, "generated output in %s is out of date: run `errcat generate` (make generate)\n", opts.Out)
			return 1
		}
		fmt.Fprintf(stdout, "%s: %d file(s) up to date\n", opts.Out, res.Unchanged)
		return 0
	}
	report(stdout, "wrote", res.Written)
	report(stdout, "removed", res.Removed)
	return 0
}

func report(w io.Writer, what string, paths []string) {
	for _, p := range paths {
		fmt.Fprintf(w, "%s %s\n", what, p)
	}
}
