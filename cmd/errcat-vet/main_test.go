package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoVetVettool builds errcat-vet and runs `go vet -vettool` with it on
// a module importing the generated packages: go vet must report the
// analyzer's findings (and fail), and pass on correct code.
func TestGoVetVettool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary and runs go vet")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tool := filepath.Join(dir, "errcat-vet")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mod := filepath.Join(dir, "mod")
	gomod := "module example.com/vettest\n\ngo 1.25.0\n\nrequire github.com/errcat/errcat v0.0.0\n\nreplace github.com/errcat/errcat => " + root + "\n"
	os.MkdirAll(mod, 0o755)
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"wrapped", "good"} {
		src, err := os.ReadFile(filepath.Join(root, "vet/testdata", p, p+".go"))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(mod, p), 0o755)
		os.WriteFile(filepath.Join(mod, p, p+".go"), src, 0o644)
	}
	goVet := func(pkg string) (string, error) {
		cmd := exec.Command("go", "vet", "-vettool="+tool, pkg)
		cmd.Dir = mod
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := goVet("./wrapped")
	if err == nil {
		t.Fatalf("go vet passed on vendor errors compared with ==:\n%s", out)
	}
	for _, want := range []string{
		"wrapped.go:13:5: errcat: == on alloy.ErrCredentialsExpired misses wrapped errors",
		"wrapped.go:20:19: errcat: type assertion to *alloy.Error misses wrapped errors",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, out)
		}
	}
	if out, err := goVet("./good"); err != nil {
		t.Errorf("go vet on correct code: %v\n%s", err, out)
	}
}
