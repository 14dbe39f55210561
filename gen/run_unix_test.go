//go:build unix

package gen_test

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/errcat/errcat/gen"
)

// A FIFO in the output (one level deep or in out itself) is neither read,
// which would block, nor removed.
func TestRunSkipsNonRegularFiles(t *testing.T) {
	dir, catalog := newModule(t)
	out := filepath.Join(dir, "gen")
	if _, err := gen.Run(gen.Options{Catalogs: []string{catalog}, Out: out}); err != nil {
		t.Fatal(err)
	}
	for _, fifo := range []string{filepath.Join(out, "pipe"), filepath.Join(out, "percode", "pipe")} {
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	res, err := gen.Run(gen.Options{Catalogs: []string{catalog}, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Removed) != 0 || len(res.Written) != 0 {
		t.Errorf("second run with FIFOs: %+v", res)
	}
}
