package hygiene

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// maxFuncLines is the longest a function of the generator (gen/) or the
// runtime (apierr/) may be, from its func keyword to its closing brace, in
// files other than tests: past it a function makes several decisions that
// deserve names of their own (issue 10, "Transport internals readable").
const maxFuncLines = 80

// longFuncFiles are the files allowed functions over maxFuncLines, each
// with its reason; the test fails on an entry no longer needed. Issue 10's
// rewrite of the generated code emptied it: keep it empty.
var longFuncFiles = map[string]string{}

// longFunc is a function over the limit.
type longFunc struct {
	file, name string
	lines      int
}

// longFuncs lists the functions over maxFuncLines in the non-test Go files
// under dirs (testdata folders skipped), with file names relative to root.
func longFuncs(t *testing.T, root string, dirs ...string) []longFunc {
	var out []longFunc
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				name := ""
				switch n := n.(type) {
				case *ast.FuncDecl:
					name = n.Name.Name
					if n.Recv != nil && len(n.Recv.List) == 1 {
						name = fmt.Sprintf("(%s).%s", types(n.Recv.List[0].Type), name)
					}
				case *ast.FuncLit:
					name = fmt.Sprintf("func literal at line %d", fset.Position(n.Pos()).Line)
				default:
					return true
				}
				if lines := fset.Position(n.End()).Line - fset.Position(n.Pos()).Line + 1; lines > maxFuncLines {
					out = append(out, longFunc{filepath.ToSlash(rel), name, lines})
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// types prints a receiver type: T, *T, T[K].
func types(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return "*" + types(e.X)
	case *ast.IndexExpr:
		return types(e.X)
	case *ast.IndexListExpr:
		return types(e.X)
	case *ast.Ident:
		return e.Name
	}
	return "?"
}

// TestFunctionLength fails on a function over maxFuncLines lines in gen/
// or apierr/ outside the files of longFuncFiles, and on an entry of
// longFuncFiles that no longer has such a function.
func TestFunctionLength(t *testing.T) {
	found := longFuncs(t, root, "gen", "apierr")
	still := map[string]bool{}
	for _, f := range found {
		if _, ok := longFuncFiles[f.file]; ok {
			still[f.file] = true
			continue
		}
		t.Errorf("%s: %s is %d lines, over %d: split it into named steps", f.file, f.name, f.lines, maxFuncLines)
	}
	var stale []string
	for file := range longFuncFiles {
		if !still[file] {
			stale = append(stale, file)
		}
	}
	slices.Sort(stale)
	for _, file := range stale {
		t.Errorf("%s has no function over %d lines any more: remove it from longFuncFiles", file, maxFuncLines)
	}
}

// TestLongFuncsFindsLongFunction proves the measure on a file written for
// it: a method of exactly the limit passes, one line more fails, and a
// long function literal counts too.
func TestLongFuncsFindsLongFunction(t *testing.T) {
	dir := t.TempDir()
	body := func(lines int) string { return strings.Repeat("\t_ = 0\n", lines-2) }
	src := "package x\n\ntype T struct{}\n\n" +
		"func (*T) ok() {\n" + body(maxFuncLines) + "}\n\n" +
		"func (T) long() {\n" + body(maxFuncLines+1) + "}\n\n" +
		"var f = func() {\n" + body(maxFuncLines+1) + "}\n"
	if err := writeFile(filepath.Join(dir, "gen", "x.go"), src); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(filepath.Join(dir, "gen", "x_test.go"), "package x\n\nfunc long() {\n"+body(200)+"}\n"); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(longFuncs(t, dir, "gen"))
	want := fmt.Sprintf("[{gen/x.go (T).long %d} {gen/x.go func literal at line %d %d}]", maxFuncLines+1, 5+maxFuncLines+1+maxFuncLines+1+1, maxFuncLines+1)
	if got != want {
		t.Errorf("longFuncs = %s\nwant        %s", got, want)
	}
}

func writeFile(path, src string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(src), 0o644)
}
