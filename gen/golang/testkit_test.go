package golang_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestKitDelayTestsFollowBounds: where the key the kit's tests use has a
// minimum delay above what they ask for, the tests expect the minimum
// (the package reports it), and an example whose bounded delay the
// transport would not wait is left out.
func TestKitDelayTestsFollowBounds(t *testing.T) {
	for _, tc := range []struct {
		min           time.Duration
		want, example string
	}{
		{3 * time.Second, "d != 3000*time.Millisecond", "// Output: 200 2 [3s]"},
		{time.Hour, "d != 3600000*time.Millisecond", ""},
	} {
		c, err := load.File("../../internal/features/catalog/d2_cost.yaml")
		if err != nil {
			t.Fatal(err)
		}
		c.ImportPath, c.TestKit = "example.com/kit/d2cost", true
		c.CodeByText("THROTTLED").Delay.Min = tc.min
		files, err := golang.Generate(c)
		if err != nil {
			t.Fatal(err)
		}
		var kitTest, examples string
		for _, f := range files {
			switch f.Name {
			case golang.KitPackage(c) + "/kit_test.go":
				kitTest = string(f.Content)
			case golang.KitPackage(c) + "/example_test.go":
				examples = string(f.Content)
			}
		}
		if !strings.Contains(kitTest, tc.want) {
			t.Errorf("min %v: kit_test.go does not expect the minimum (%q):\n%s", tc.min, tc.want, kitTest)
		}
		if has := strings.Contains(examples, "func ExampleScript()"); has != (tc.example != "") || (has && !strings.Contains(examples, tc.example)) {
			t.Errorf("min %v: ExampleScript present %t, want %q:\n%s", tc.min, has, tc.example, examples)
		}
	}
}
