package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/errcat/errcat/vet"
)

const vetUsage = `usage: errcat vet [-fix] [-test=false] [packages]
Reports vendor errors handled by their text or by raw numbers in the named
packages (default "."), and with -fix applies the suggested fixes.
Exit status: 0 nothing found (or everything fixed), 1 findings or errors, 2 misuse.
`

// runVet is `errcat vet`: the errcatvet analyzer over go/packages patterns,
// printing findings as file:line:col: message like go vet.
func runVet(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("errcat vet", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, vetUsage); fl.PrintDefaults() }
	fix := fl.Bool("fix", false, "apply the suggested fixes")
	tests := fl.Bool("test", true, "also check test files")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	patterns := fl.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadSyntax, Tests: *tests}, patterns...)
	if err != nil {
		fmt.Fprintln(stderr, "errcat vet:", err)
		return 1
	}
	broken := false
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			fmt.Fprintln(stderr, e)
			broken = true
		}
	})
	if broken {
		return 1
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{vet.Analyzer}, pkgs, nil)
	if err != nil {
		fmt.Fprintln(stderr, "errcat vet:", err)
		return 1
	}
	findings, unfixed := reportVet(graph, *fix, stderr)
	switch {
	case findings == 0:
		return 0
	case *fix && unfixed == 0:
		fmt.Fprintf(stdout, "errcat vet: fixed %d finding(s)\n", findings)
		return 0
	}
	return 1
}

type vetFinding struct {
	pos  token.Position
	msg  string
	fset *token.FileSet
	diag analysis.Diagnostic
}

// reportVet prints every finding once (a file in a package and in its test
// variant is analyzed twice), sorted by position, and with fix applies
// their fixes. It returns the number of findings and of those left unfixed.
func reportVet(graph *checker.Graph, fix bool, stderr io.Writer) (findings, unfixed int) {
	seen := map[string]bool{}
	var all []vetFinding
	for act := range graph.All() {
		if act.Err != nil {
			fmt.Fprintf(stderr, "errcat vet: %s: %v\n", act.Package.PkgPath, act.Err)
			unfixed++
			continue
		}
		if !act.IsRoot {
			continue
		}
		for _, d := range act.Diagnostics {
			f := vetFinding{act.Package.Fset.Position(d.Pos), d.Message, act.Package.Fset, d}
			key := f.pos.String() + "\x00" + f.msg
			if !seen[key] {
				seen[key] = true
				all = append(all, f)
			}
		}
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i].pos, all[j].pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Offset < b.Offset
	})
	cwd, _ := os.Getwd()
	var edits fileEdits
	for _, f := range all {
		pos := f.pos
		if rel, err := filepath.Rel(cwd, pos.Filename); err == nil && !strings.HasPrefix(rel, "..") {
			pos.Filename = rel
		}
		fmt.Fprintf(stderr, "%s: %s\n", pos, f.msg)
		if !fix || len(f.diag.SuggestedFixes) == 0 || !edits.add(f.fset, f.diag.SuggestedFixes[0]) {
			unfixed++
		}
	}
	if fix {
		if err := edits.apply(); err != nil {
			fmt.Fprintln(stderr, "errcat vet:", err)
			unfixed++
		}
	}
	return len(all), unfixed
}

// fileEdits collects fixes' edits by file, refusing a fix that overlaps
// one already taken (identical edits, such as two fixes adding the same
// import, are taken once).
type fileEdits map[string][]vetEdit

type vetEdit struct {
	start, end int
	text       string
}

func (fe *fileEdits) add(fset *token.FileSet, fix analysis.SuggestedFix) bool {
	if *fe == nil {
		*fe = fileEdits{}
	}
	type fileEdit struct {
		file string
		e    vetEdit
	}
	var add []fileEdit
	for _, te := range fix.TextEdits {
		start, end := fset.Position(te.Pos), fset.Position(te.End)
		if !te.End.IsValid() {
			end = start
		}
		e := vetEdit{start.Offset, end.Offset, string(te.NewText)}
		dup := false
		for _, old := range (*fe)[start.Filename] {
			if old == e {
				dup = true
				break
			}
			if e.start < old.end && old.start < e.end || (e.start == e.end && e.start == old.start) {
				return false
			}
		}
		if !dup {
			add = append(add, fileEdit{start.Filename, e})
		}
	}
	for _, a := range add {
		(*fe)[a.file] = append((*fe)[a.file], a.e)
	}
	return true
}

// apply rewrites each file with its edits and gofmt; a file whose result
// does not parse is left as it was.
func (fe fileEdits) apply() error {
	names := make([]string, 0, len(fe))
	for name := range fe {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		edits := fe[name]
		sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
		var out bytes.Buffer
		last := 0
		for _, e := range edits {
			if e.start < last || e.end > len(src) {
				return fmt.Errorf("%s: fixes overlap; file left unchanged", name)
			}
			out.Write(src[last:e.start])
			out.WriteString(e.text)
			last = e.end
		}
		out.Write(src[last:])
		formatted, err := format.Source(out.Bytes())
		if err != nil {
			return fmt.Errorf("%s: fixed file does not parse (%v); file left unchanged", name, err)
		}
		info, err := os.Stat(name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(name, formatted, info.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}
