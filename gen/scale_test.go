package gen_test

import (
	"go/format"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/markdown"
	"github.com/errcat/errcat/internal/synth"
)

// BenchmarkGenerate10k is the whole pipeline minus disk for 10,000 codes:
// load and validate, emit Go (gofmt included, by jennifer) and Markdown.
func BenchmarkGenerate10k(b *testing.B) {
	src := synth.Catalog(10000)
	tm, err := markdown.Load(nil)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := load.Bytes("scale.yaml", src)
		if err != nil {
			b.Fatal(err)
		}
		c.ImportPath = "example.com/scale"
		if _, err := golang.Generate(c); err != nil {
			b.Fatal(err)
		}
		if _, err := tm.Vendor(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFloor10k is the floor errcat is measured against: decoding the
// same YAML and gofmt-ing the same Go output, with no generator at all.
func BenchmarkFloor10k(b *testing.B) {
	src := synth.Catalog(10000)
	c, err := load.Bytes("scale.yaml", src)
	if err != nil {
		b.Fatal(err)
	}
	c.ImportPath = "example.com/scale"
	files, err := golang.Generate(c)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		var n yaml.Node
		if err := yaml.Unmarshal(src, &n); err != nil {
			b.Fatal(err)
		}
		for _, f := range files {
			if _, err := format.Source(f.Content); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLoad10k isolates loading and validation.
func BenchmarkLoad10k(b *testing.B) {
	src := synth.Catalog(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := load.Bytes("scale.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSyntheticCatalogLoads(t *testing.T) {
	c, err := load.Bytes("scale.yaml", synth.Catalog(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Codes) != 100 {
		t.Fatalf("%d codes", len(c.Codes))
	}
}
