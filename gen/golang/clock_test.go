package golang_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/load"
)

// bodyDatesCatalog carries retry delays in body fields whose formats are
// measured from now: an HTTP-date or seconds (retry_after, a string) and an
// epoch reset time.
const bodyDatesCatalog = `format: errcat/v1
vendor:
  id: dates
  name: Dates
  package: dates
  docs: https://dates.example/
  description: "Delays as dates in the body."
  docs_revision: "1"
statuses:
  - status: 429
    name: too many requests
    description: "Slow down."
    kind: rate_limited
    action: retry_after
bodies:
  - name: limited
    description: "A rate limit."
    statuses: [429]
    content: json
    fields:
      - {name: retry at, path: retry_at, type: string}
      - {name: reset at, path: reset_at, type: integer}
retry:
  delays:
    - {field: retry at, format: retry_after}
    - {field: reset at, format: epoch_millis}
    - {header: X-Reset, format: epoch_seconds}
`

// One clock (issue 16): generated parsers measure server delays from the
// now they are given, which FromResponse takes from apierr.Now (the
// Transport's clock); only Parse, which has no response, reads time.Now.
// And FromResponse never discards the outcome of reading the body.
func TestParsersUseOneClock(t *testing.T) {
	dates, err := load.Bytes("dates.yaml", []byte(bodyDatesCatalog))
	if err != nil {
		t.Fatal(err)
	}
	dates.ImportPath = "example.com/typecheck/dates"
	paths := append(testCatalogs(t), "dates.yaml")
	for _, path := range paths {
		c := dates
		if path != "dates.yaml" {
			if c, err = load.File(path); err != nil {
				t.Fatal(err)
			}
			c.ImportPath = "example.com/typecheck/" + c.Vendor.ID
		}
		files, err := golang.Generate(c)
		if err != nil {
			t.Fatal(err)
		}
		if path == "dates.yaml" {
			checker.check(t, c, files)
		}
		for _, f := range files {
			if f.Name != "parse.go" {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f.Name, f.Content, 0)
			if err != nil {
				t.Fatal(err)
			}
			sawNow := false
			for _, d := range file.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok {
					continue
				}
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					sel, ok := n.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					pkg, _ := sel.X.(*ast.Ident)
					switch {
					case pkg == nil:
					case pkg.Name == "time" && sel.Sel.Name == "Now" && fd.Name.Name != "Parse":
						t.Errorf("%s: %s reads time.Now, not the clock it is given", filepath.Base(path), fd.Name.Name)
					case pkg.Name == "apierr" && sel.Sel.Name == "PeekBody":
						t.Errorf("%s: %s calls PeekBody, whose error it would have to handle; InspectBody counts it as truncation", filepath.Base(path), fd.Name.Name)
					case pkg.Name == "apierr" && sel.Sel.Name == "Now" && fd.Name.Name == "FromResponseLimit":
						sawNow = true
					}
					return true
				})
			}
			if !sawNow {
				t.Errorf("%s: FromResponseLimit does not take now from apierr.Now", filepath.Base(path))
			}
		}
	}
}
