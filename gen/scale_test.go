package gen_test

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

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

// BenchmarkProcess10k compares whole processes, as a user meets them:
// `errcat generate` on a 10,000-code catalog (into an empty directory of a
// module) against the floor command (internal/synth/floor: YAML decode of
// the catalog, then gofmt of the Go files errcat writes, one by one). Each
// iteration runs the floor then errcat, so that both see the same machine
// load; it reports both processes' wall and CPU (user+sys) times and their
// ratios. ns/op is the pair's wall time. BenchmarkProcess20k checks that
// the time grows linearly with the catalog.
func BenchmarkProcess10k(b *testing.B) { processBench(b, 10000) }

// BenchmarkProcess20k is BenchmarkProcess10k at twice the size.
func BenchmarkProcess20k(b *testing.B) { processBench(b, 20000) }

func processBench(b *testing.B, codes int) {
	dir := b.TempDir()
	root, err := filepath.Abs("..")
	if err != nil {
		b.Fatal(err)
	}
	for _, tool := range []string{"cmd/errcat", "internal/synth/floor"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, filepath.Base(tool)), "./"+tool)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", tool, err, out)
		}
	}
	mod := filepath.Join(dir, "m")
	os.MkdirAll(mod, 0o755)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/scale\n"), 0o644)
	cat := filepath.Join(mod, "scale.yaml")
	os.WriteFile(cat, synth.Catalog(codes), 0o644)
	out := filepath.Join(mod, "out")
	errcat := []string{filepath.Join(dir, "errcat"), "generate", "-out", out, cat}
	if _, _, err := runProcess(errcat); err != nil {
		b.Fatal(err)
	}
	// The floor formats copies, so that errcat always writes afresh.
	gofiles, _ := filepath.Glob(filepath.Join(out, "scale", "*.go"))
	floor := []string{filepath.Join(dir, "floor"), cat}
	for _, f := range gofiles {
		cp := filepath.Join(dir, filepath.Base(f))
		data, _ := os.ReadFile(f)
		os.WriteFile(cp, data, 0o644)
		floor = append(floor, cp)
	}
	var ew, ec, fw, fc time.Duration
	for b.Loop() {
		os.RemoveAll(out)
		w, c, err := runProcess(floor)
		if err != nil {
			b.Fatal(err)
		}
		fw, fc = fw+w, fc+c
		w, c, err = runProcess(errcat)
		if err != nil {
			b.Fatal(err)
		}
		ew, ec = ew+w, ec+c
	}
	n := float64(b.N)
	b.ReportMetric(ew.Seconds()/n, "errcat-wall-s")
	b.ReportMetric(fw.Seconds()/n, "floor-wall-s")
	b.ReportMetric(ec.Seconds()/n, "errcat-cpu-s")
	b.ReportMetric(fc.Seconds()/n, "floor-cpu-s")
	b.ReportMetric(ew.Seconds()/fw.Seconds(), "x-floor-wall")
	b.ReportMetric(ec.Seconds()/fc.Seconds(), "x-floor-cpu")
}

// runProcess runs args and returns its wall time and CPU time (user+sys).
func runProcess(args []string) (wall, cpu time.Duration, err error) {
	cmd := exec.Command(args[0], args[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("%v: %v\n%s", args, err, stderr.Bytes())
	}
	wall = time.Since(start)
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}
