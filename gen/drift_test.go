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

// outputs are the committed output trees and the catalogs they come from,
// relative to the module root. generated/ is the product; internal/features
// holds the packages of the test catalogs that prove the format's general
// features, so they are golden files and compiled, tested packages at once.
var outputs = []struct {
	out, catalogs string
	index         bool
}{
	{"generated", "catalog", true},
	{"internal/features", "internal/features/catalog", false},
}

// TestGeneratedUpToDate is the drift check and the golden test: every
// committed output directory must equal a fresh in-memory run, byte for
// byte, with no file missing or extra. -update regenerates.
func TestGeneratedUpToDate(t *testing.T) {
	root := moduleRoot(t)
	for _, o := range outputs {
		t.Run(o.out, func(t *testing.T) {
			catalogs, err := filepath.Glob(filepath.Join(root, o.catalogs, "*.yaml"))
			if err != nil || len(catalogs) == 0 {
				t.Fatalf("no catalogs in %s: %v", o.catalogs, err)
			}
			res, err := gen.Run(gen.Options{Catalogs: catalogs, Out: filepath.Join(root, o.out), Check: !*update, Index: o.index})
			if err != nil {
				t.Fatal(err)
			}
			if res.Drift() {
				t.Errorf("%s is out of date; run `make generate` (or go test ./gen -update):\nstale: %v\nmissing: %v\nextra: %v",
					o.out, res.Stale, res.Missing, res.Extra)
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
