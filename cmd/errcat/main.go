// Command errcat generates typed Go error packages and documentation from
// YAML error catalogs of HTTP APIs.
//
//	errcat generate [flags] [catalog.yaml|dir|glob...]   write the packages and docs
//	errcat check    [flags] [catalog.yaml|dir|glob...]   exit 1 if generated output is stale
//	errcat validate [flags] [catalog.yaml|dir|glob...]   exit 1 on any catalog error
//	errcat schema   [-o file]                           print the catalogs' JSON Schema
//	errcat version                                      print errcat's and the runtime's versions
//	errcat help [command]                               print help
//	errcat diff OLD.yaml NEW.yaml | -against REF       what changed, what it breaks (see docs/diff.md)
//	errcat vet      [-fix] [packages]                  find errors matched by text or raw numbers
//
// Flags of generate and check: -out dir (output root, default "."), -index
// (also write an index README.md of all vendors), -templates dir (override
// the documentation templates), -config file. Flags may come before or
// after the catalogs, as with go tools. With no catalogs named, errcat makes
// the runs its config file lists (errcat.yaml, or -config FILE), so that
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
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/catalog"
	"github.com/errcat/errcat/gen"
)

func main() {
	if os.Getenv("GOGC") == "" {
		// errcat builds large trees it mostly keeps until the end: with the
		// default GOGC=100 a 10,000-code catalog spent a sixth of its CPU
		// in the collector; 400 trades that for a higher peak (~300 MB
		// there, a few MB for real catalogs). GOGC set by the user wins.
		debug.SetGCPercent(400)
	}
	self = invokedAs(os.Args[0])
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// self is how the user ran errcat, as the commands errcat suggests spell
// it: "errcat", "go tool errcat" or "go run …/cmd/errcat".
var self = "errcat"

// command is one subcommand. Adding one is one entry in commands.
type command struct {
	name    string
	summary string // one line, for errcat help
	args    string // what follows the flags in its usage line
	// setup defines the command's flags on fl and returns the function
	// that runs it on the remaining (non-flag) arguments.
	setup func(fl *flag.FlagSet, io *cli) func(args []string) int
	// run, for a command that parses its own arguments instead (setup
	// nil), runs it; given only -h it prints its usage to stderr.
	run func(args []string, stdout, stderr io.Writer) int
}

// commands is every subcommand, in the order help lists them.
var commands = []command{
	{"generate", "write each catalog's Go package and README.md (only files whose bytes change)", "[catalog.yaml|dir|glob...]", pipeline("generate"), nil},
	{"check", "exit 1 if generated output is stale, missing or extra; writes nothing", "[catalog.yaml|dir|glob...]", pipeline("check"), nil},
	{"validate", "load every catalog and report each mistake as file:line:col", "[catalog.yaml|dir|glob...]", pipeline("validate"), nil},
	{"diff", "compare two versions of catalogs: what changed and what it breaks (docs/diff.md)", "", nil, runDiff},
	{"vet", "find vendor errors handled by their text or by raw numbers in Go packages", "", nil, runVet},
	{"schema", "print the catalogs' JSON Schema (for editors), or write it with -o", "", schemaCmd, nil},
	{"version", "print errcat's module version and the apierr runtime version it generates for", "", versionCmd, nil},
}

// cli is what every command writes to.
type cli struct {
	stdout, stderr io.Writer
	raw            []string // the command's arguments as given, flags included
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "errcat turns YAML error catalogs of HTTP APIs into typed Go packages and docs.\n\nusage: %s <command> [flags] [arguments]\n\ncommands:\n", self)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-9s %s\n", "help", "print this, or a command's flags with `help <command>`")
	fmt.Fprintf(w, "\nWith no catalogs named, generate, check and validate make the runs errcat.yaml lists.\nRun `%s help <command>` (or `%s <command> -h`) for its flags.\n", self, self)
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// commandUsage prints a command's usage line, description and flags.
func commandUsage(w io.Writer, c *command) {
	if c.run != nil {
		fmt.Fprintf(w, "%s.\n\n", strings.ToUpper(c.summary[:1])+c.summary[1:])
		c.run([]string{"-h"}, io.Discard, w)
		return
	}
	fl := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.setup(fl, &cli{stdout: io.Discard, stderr: io.Discard})
	line := self + " " + c.name
	hasFlags := false
	fl.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		line += " [flags]"
	}
	if c.args != "" {
		line += " " + c.args
	}
	fmt.Fprintf(w, "usage: %s\n\n%s.\n", line, strings.ToUpper(c.summary[:1])+c.summary[1:])
	if hasFlags {
		fmt.Fprintf(w, "\nflags (before or after the arguments):\n")
		fl.SetOutput(w)
		fl.PrintDefaults()
	}
}

// run is the whole CLI, returning the exit code: 0 fine, 1 problems found,
// 2 misuse.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			c := lookup(args[1])
			if c == nil {
				fmt.Fprintf(stderr, "errcat: no command %q\n\n", args[1])
				usage(stderr)
				return 2
			}
			commandUsage(stdout, c)
			return 0
		}
		usage(stdout)
		return 0
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "errcat: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if c.run != nil {
		// A command that parses its own flags (diff, vet): help is its
		// usage text, on standard output, exit 0.
		for _, a := range args[1:] {
			if a == "--" {
				break
			}
			if a == "-h" || a == "-help" || a == "--help" {
				commandUsage(stdout, c)
				return 0
			}
		}
		return c.run(args[1:], stdout, stderr)
	}
	fl := flag.NewFlagSet(self+" "+c.name, flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {} // help goes to stdout below, misuse gets one line
	exec := c.setup(fl, &cli{stdout: stdout, stderr: stderr, raw: args[1:]})
	rest, err := parseInterspersed(fl, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		commandUsage(stdout, c)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "run `%s help %s` for its flags\n", self, c.name)
		return 2
	}
	return exec(rest)
}

// parseInterspersed parses flags wherever they stand among the arguments,
// as go tools do, and returns the other arguments in order. Everything
// after "--" is an argument.
func parseInterspersed(fl *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, err
		}
		left := fl.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// pipeline is generate, check or validate: the commands that run the
// pipeline on catalogs named or listed in the config file.
func pipeline(name string) func(fl *flag.FlagSet, c *cli) func([]string) int {
	return func(fl *flag.FlagSet, c *cli) func([]string) int {
		var opts gen.Options
		if name != "validate" {
			fl.StringVar(&opts.Out, "out", ".", "output root: each vendor's package goes to <out>/<vendor id>")
			fl.BoolVar(&opts.Index, "index", false, "also write <out>/README.md, an index of the vendors")
			fl.StringVar(&opts.Templates, "templates", "", "directory whose vendor.md.tmpl / index.md.tmpl override the built-in ones")
		}
		config := fl.String("config", gen.ConfigFile, "config listing the runs to make when no catalogs are named")
		return func(args []string) int {
			runs, err := plan(args, *config, opts)
			if err != nil {
				fmt.Fprintln(c.stderr, "errcat:", err)
				return 2
			}
			status := 0
			for _, o := range runs {
				if code := runOne(name, o, self+" generate"+shellJoin(c.raw), c.stdout, c.stderr); code > status {
					status = code
				}
			}
			return status
		}
	}
}

// shellJoin writes words as a POSIX shell reads them back, each after a
// space, quoting those a shell would split or expand: check's advice is
// the generate command with the same arguments, ready to paste.
func shellJoin(words []string) string {
	var b strings.Builder
	for _, w := range words {
		b.WriteByte(' ')
		if w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=+,@") == "" {
			b.WriteString(w)
		} else {
			b.WriteString("'" + strings.ReplaceAll(w, "'", `'\''`) + "'")
		}
	}
	return b.String()
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
		return nil, fmt.Errorf("no catalogs named and no %s here: name catalogs, as in `%s generate -out . catalog`, or run `%s help`", config, self, self)
	}
	return runs, err
}

func runOne(cmd string, opts gen.Options, again string, stdout, stderr io.Writer) int {
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
			if first := append(res.Stale, res.Missing...); len(first) > 0 {
				fmt.Fprint(stderr, res.Diff(first[0]))
			}
			fmt.Fprintf(stderr, "generated output in %s is out of date: run `%s`\n", opts.Out, again)
			return 1
		}
		fmt.Fprintf(stdout, "%s: %d file(s) up to date\n", opts.Out, res.Unchanged)
		return 0
	}
	report(stdout, "wrote", res.Written)
	report(stdout, "removed", res.Removed)
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "errcat: warning:", w)
	}
	return 0
}

func report(w io.Writer, what string, paths []string) {
	for _, p := range paths {
		fmt.Fprintf(w, "%s %s\n", what, p)
	}
}

func schemaCmd(fl *flag.FlagSet, c *cli) func([]string) int {
	out := fl.String("o", "", "write the schema to this file instead of standard output")
	return func(args []string) int {
		if len(args) > 0 {
			fmt.Fprintf(c.stderr, "errcat schema takes no arguments; run `%s help schema`\n", self)
			return 2
		}
		if *out == "" {
			c.stdout.Write(catalog.Schema)
			return 0
		}
		if err := os.WriteFile(*out, catalog.Schema, 0o644); err != nil {
			fmt.Fprintln(c.stderr, "errcat:", err)
			return 1
		}
		fmt.Fprintf(c.stdout, "wrote %s (%s)\n", *out, catalog.SchemaID)
		return 0
	}
}

func versionCmd(fl *flag.FlagSet, c *cli) func([]string) int {
	return func(args []string) int {
		if len(args) > 0 {
			fmt.Fprintf(c.stderr, "errcat version takes no arguments\n")
			return 2
		}
		fmt.Fprintf(c.stdout, "errcat %s (%s)\ngenerates code for apierr runtime version %d\n", moduleVersion(), runtime.Version(), apierr.Version)
		return 0
	}
}

// moduleVersion is the errcat module's version as the Go command recorded
// it: a release tag for `go install …@v1.2.3` or `go get -tool`, a
// pseudo-version, or "(devel)" in errcat's own checkout.
func moduleVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	if info.Main.Path == "github.com/errcat/errcat" {
		return info.Main.Version
	}
	for _, m := range info.Deps {
		if m.Path == "github.com/errcat/errcat" {
			if m.Replace != nil {
				return m.Version + " => " + m.Replace.Path
			}
			return m.Version
		}
	}
	return "(devel)"
}

// invokedAs reconstructs how errcat was started from its executable path:
// `go tool` and `go run` run binaries they built into the build cache (a
// go-build directory). Their build info tells them apart: `go tool` builds
// errcat as a dependency of the user's module, at a version; `go run` in
// errcat's own checkout builds it as the main module, "(devel)". Anything
// else is an installed binary, named as on the command line.
func invokedAs(arg0 string) string {
	name := strings.TrimSuffix(filepath.Base(arg0), ".exe")
	if strings.Contains(filepath.ToSlash(arg0), "/go-build") {
		if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version == "(devel)" {
			return "go run " + info.Path
		}
		return "go tool " + name
	}
	if name == "" || name == "." {
		return "errcat"
	}
	return name
}
