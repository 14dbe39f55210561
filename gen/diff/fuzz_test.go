package diff

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/load"
)

// FuzzCompare compares any two catalogs that load and renders the result in
// every format: no panic, one text line per change, and no raw HTML in the
// Markdown, whatever the catalogs hold.
func FuzzCompare(f *testing.F) {
	old, err := os.ReadFile("testdata/old.yaml")
	if err != nil {
		f.Fatal(err)
	}
	new, err := os.ReadFile("testdata/new.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(old, new)
	f.Add(new, old)
	f.Add([]byte(stringCodes), old)
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ca, err := load.Bytes("a.yaml", a)
		if err != nil {
			return
		}
		cb, err := load.Bytes("b.yaml", b)
		if err != nil {
			return
		}
		r := &Report{Catalogs: []*CatalogDiff{NewCatalogDiff("a.yaml", ca, "b.yaml", cb, nil)}}
		n := len(r.Catalogs[0].Changes)
		for _, format := range Formats {
			var out bytes.Buffer
			if err := Write(&out, format, r); err != nil {
				t.Fatal(err)
			}
			switch format {
			case "text":
				if lines := strings.Count(out.String(), "\n"); lines != n+2+apiLines(r.Catalogs[0]) {
					t.Fatalf("%d lines for %d changes:\n%s", lines, n, out.String())
				}
			case "markdown":
				if strings.ContainsAny(out.String(), "<") && strings.Count(out.String(), "<") != 2*n {
					t.Fatalf("raw < in markdown:\n%s", out.String())
				}
			}
		}
	})
}

func apiLines(cd *CatalogDiff) int {
	if cd.API == nil {
		return 0
	}
	n := len(cd.API.Changed)
	if len(cd.API.Removed) > 0 {
		n++
	}
	if len(cd.API.Added) > 0 {
		n++
	}
	return n
}
