package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestValidate(t *testing.T) {
	if code, out, errs := runCLI("validate", "../../catalog"); code != 0 || !strings.Contains(out, "5 catalog(s) valid") {
		t.Fatalf("shipped catalogs: exit %d\n%s%s", code, out, errs)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("format: errcat/v1\nvendor: {id: x}\nstatuses: []\nextra: 1\n"), 0o644)
	code, _, errs := runCLI("validate", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{"bad.yaml:4:1: unknown key \"extra\"", "bad.yaml:3:11: statuses is empty", "bad.yaml:2:9: vendor is missing the required key \"name\""} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate", "x.yaml"}, {"validate"}, {"generate", "-nope"}, {"validate", "no/such/*.yaml"}} {
		if code, _, _ := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestGenerateThenCheck(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644)
	src, err := os.ReadFile("../../internal/features/catalog/okflag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat := filepath.Join(dir, "errors.yaml")
	os.WriteFile(cat, src, 0o644)
	out := filepath.Join(dir, "out")
	if code, _, errs := runCLI("check", "-out", out, cat); code != 1 || !strings.Contains(errs, "missing") {
		t.Fatalf("check before generate: exit %d\n%s", code, errs)
	}
	if code, stdout, errs := runCLI("generate", "-out", out, filepath.Join(dir, "*.yaml")); code != 0 || !strings.Contains(stdout, "wrote") {
		t.Fatalf("generate: exit %d\n%s%s", code, stdout, errs)
	}
	if code, stdout, errs := runCLI("check", "-out", out, dir); code != 0 || !strings.Contains(stdout, "up to date") {
		t.Fatalf("check after generate: exit %d\n%s%s", code, stdout, errs)
	}
}
