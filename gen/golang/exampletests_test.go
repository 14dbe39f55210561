package golang_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/load"
)

// TestWrongExampleFailsGoTest generates a package whose catalog example
// does not yield its code (the loader refuses such a catalog, so the model
// is changed after loading, as a stale or hand-edited model would be) into
// a throwaway module and runs its generated tests: `go test` must fail and
// name the example. The shipped catalogs' generated tests, which pass, are
// the other half.
func TestWrongExampleFailsGoTest(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in a throwaway module")
	}
	c, err := load.File("../load/testdata/valid/01-integer-codes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range c.Codes {
		if code.Text() == "4011" {
			code.Examples[0].Body = `{"error": {"code": 4001, "message": "token expired"}}`
		}
	}
	c.ImportPath = "example.com/wrong/acme"
	files, err := golang.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	root, _ := filepath.Abs("../..")
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", []byte("module example.com/wrong\n\ngo 1.25.0\n\nrequire github.com/errcat/errcat v0.0.0\n\nreplace github.com/errcat/errcat => "+root+"\n"))
	write("go.sum", sum)
	for _, f := range files {
		if f.Name == golang.ExamplesTestFile {
			write("acme/"+f.Name, f.Content)
		} else if !strings.HasSuffix(f.Name, "_test.go") && !strings.Contains(f.Name, "/") {
			write("acme/"+f.Name, f.Content)
		}
	}
	cmd := exec.Command("go", "test", "-run", "TestCatalogExamples", "./acme")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("go test passed with a wrong example:\n%s", out)
	}
	if !strings.Contains(string(out), "--- FAIL: TestCatalogExamples/code_4011") || !strings.Contains(string(out), `code "4001"`) {
		t.Errorf("go test failed, but not on the wrong example:\n%s", out)
	}
}
