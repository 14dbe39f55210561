package gen_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen"
)

var update = flag.Bool("update", false, "rewrite the committed generated output (golden files) instead of comparing")

// TestGeneratedUpToDate is the drift check and the golden test: every
// output tree errcat.yaml lists (generated/, the product, and
// internal/features, whose packages are the golden files of the test
// catalogs) must equal a fresh in-memory run, byte for byte, with no file
// missing or extra. -update regenerates.
func TestGeneratedUpToDate(t *testing.T) {
	runs, err := gen.LoadConfig(filepath.Join(moduleRoot(t), gen.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) < 2 {
		t.Fatalf("errcat.yaml lists %d runs", len(runs))
	}
	for _, opts := range runs {
		t.Run(filepath.Base(opts.Out), func(t *testing.T) {
			opts.Check = !*update
			res, err := gen.Run(opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Drift() {
				diff := ""
				if first := append(res.Stale, res.Missing...); len(first) > 0 {
					diff = "\n" + res.Diff(first[0])
				}
				t.Errorf("%s is out of date; run `make generate` (or go test ./gen -update):\nstale: %v\nmissing: %v\nextra: %v%s",
					opts.Out, res.Stale, res.Missing, res.Extra, diff)
			}
		})
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err != nil || !strings.Contains(string(b), "module github.com/errcat/errcat\n") {
		t.Fatalf("%s is not the module root", dir)
	}
	return dir
}
