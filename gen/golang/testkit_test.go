package golang_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/load"
)

// TestKitCommentsHoldNoCatalogText: a kit's comments are the emitter's own
// words; no header a catalog names (its delay sources, the reset header
// WithReset writes) reaches one.
func TestKitCommentsHoldNoCatalogText(t *testing.T) {
	checked := 0
	for _, path := range testCatalogs(t) {
		c, err := load.File(path)
		if err != nil {
			t.Fatal(err)
		}
		c.ImportPath = "example.com/kit/" + c.Vendor.ID
		c.TestKit = true
		files, err := golang.Generate(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.HasPrefix(f.Name, golang.KitPackage(c)+"/") {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), f.Name, f.Content, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range af.Comments {
				text := g.Text()
				for _, d := range c.Retry.Delays {
					if d.Header != "" && strings.Contains(strings.ToLower(text), strings.ToLower(d.Header)) {
						t.Errorf("%s: %s: a comment names the catalog's header %q:\n%s", filepath.Base(path), f.Name, d.Header, text)
					}
					checked++
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no kit comment was checked against a delay header")
	}
}
