package gen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/errcat/errcat/gen"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/markdown"
	"github.com/errcat/errcat/gen/model"
)

// v1Header is the format line of a v1 catalog.
var v1Header = regexp.MustCompile(`(?m)^format:[ \t]*errcat/v1[ \t]*$`)

// TestV1CatalogsGenerateTheSameAsV2 is the format's compatibility promise:
// every v1 catalog errcat.yaml generates (the shipped vendors and the v1
// feature catalogs) generates byte-for-byte the same files when its header
// says errcat/v2, so upgrading the header changes nothing, and format v2
// changed no v1 meaning.
func TestV1CatalogsGenerateTheSameAsV2(t *testing.T) {
	root := moduleRoot(t)
	runs, err := gen.LoadConfig(filepath.Join(root, gen.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := markdown.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	v1 := 0
	for _, opts := range runs {
		for _, path := range opts.Catalogs {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !v1Header.Match(src) {
				continue
			}
			v1++
			t.Run(filepath.Base(path), func(t *testing.T) {
				old, err := load.Bytes(path, src)
				if err != nil {
					t.Fatal(err)
				}
				cat, err := load.Bytes(path, v1Header.ReplaceAll(src, []byte("format: "+model.FormatVersion)))
				if err != nil {
					t.Fatalf("the catalog as v2: %v", err)
				}
				if old.Format != 1 || cat.Format != 2 {
					t.Fatalf("formats %d and %d, want 1 and 2", old.Format, cat.Format)
				}
				for _, c := range []*model.Catalog{old, cat} {
					c.Source, c.ImportPath, c.TestKit = "catalog/"+filepath.Base(path), "example.com/m/"+c.Vendor.ID, true
				}
				want, err := gen.Render([]*model.Catalog{old}, docs, false)
				if err != nil {
					t.Fatal(err)
				}
				got, err := gen.Render([]*model.Catalog{cat}, docs, false)
				if err != nil {
					t.Fatal(err)
				}
				if len(want) < 5 {
					t.Fatalf("rendered %d files", len(want))
				}
				if len(got) != len(want) {
					t.Errorf("v2 renders %d files, v1 %d", len(got), len(want))
				}
				for name, w := range want {
					if !bytes.Equal(got[name], w) {
						t.Errorf("%s differs between the v1 and the v2 header", name)
					}
				}
			})
		}
	}
	if v1 < 10 {
		t.Fatalf("found %d v1 catalogs in errcat.yaml's runs, want the shipped vendors and the v1 feature catalogs", v1)
	}
}
