package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vetModule writes a module that replaces github.com/errcat/errcat with
// this repository and holds copies of the analyzer's test packages, and
// makes it the working directory.
func vetModule(t *testing.T, pkgs ...string) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := "module example.com/vettest\n\ngo 1.25.0\n\nrequire github.com/errcat/errcat v0.0.0\n\nreplace github.com/errcat/errcat => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		src, err := os.ReadFile(filepath.Join(root, "vet/testdata", p, p+".go"))
		if err != nil {
			t.Fatal(err)
		}
		os.Mkdir(filepath.Join(dir, p), 0o755)
		if err := os.WriteFile(filepath.Join(dir, p, p+".go"), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return root
}

// TestVet runs `errcat vet` and `errcat vet -fix` on copies of the
// analyzer's test packages: findings as file:line:col: message and exit 1,
// then the fixed files equal the analyzer's golden files, and only the
// findings without a fix remain.
func TestVet(t *testing.T) {
	root := vetModule(t, "textmatch", "wrapped", "good")
	// An in-package test makes go/packages load textmatch twice (with and
	// without its tests): each finding must print once, each fix apply once.
	os.WriteFile(filepath.Join("textmatch", "x_test.go"), []byte("package textmatch\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {}\n"), 0o644)
	code, _, errs := runCLI("vet", "./...")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errs)
	}
	for _, want := range []string{
		"textmatch/textmatch.go:15:5: errcat: matching \"4012\" in an error's text; use alloy.IsCredentialsExpired(err)\n",
		"wrapped/wrapped.go:13:5: errcat: == on alloy.ErrCredentialsExpired misses wrapped errors",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if n := strings.Count(errs, "\n"); n != 15 {
		t.Errorf("%d lines, want 15 findings, each once:\n%s", n, errs)
	}
	if strings.Contains(errs, "good/") {
		t.Errorf("finding in correct code:\n%s", errs)
	}

	code, _, errs = runCLI("vet", "-fix", "./...")
	if code != 1 { // the type assertions have no fix
		t.Fatalf("-fix: exit %d, want 1\n%s", code, errs)
	}
	for _, p := range []string{"textmatch", "wrapped"} {
		got, _ := os.ReadFile(filepath.Join(p, p+".go"))
		want, _ := os.ReadFile(filepath.Join(root, "vet/testdata", p, p+".go.golden"))
		if string(got) != string(want) {
			t.Errorf("%s after -fix:\n%s\nwant:\n%s", p, got, want)
		}
	}
	code, _, errs = runCLI("vet", "./...")
	if code != 1 || strings.Count(errs, "\n") != 3 || !strings.Contains(errs, "type assertion to *alloy.Error") {
		t.Errorf("after -fix: exit %d, want 1 and the 3 findings with no fix:\n%s", code, errs)
	}
	if code, out, errs := runCLI("vet", "-fix", "./textmatch"); code != 0 || errs != "" || out != "" {
		t.Errorf("fixed package: exit %d, want 0 and silence\n%s%s", code, out, errs)
	}
}

func TestVetUsageAndErrors(t *testing.T) {
	vetModule(t, "good")
	if code, _, _ := runCLI("vet", "-nope"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	os.WriteFile(filepath.Join("good", "broken.go"), []byte("package good\nvar x int = \"s\"\n"), 0o644)
	code, _, errs := runCLI("vet", "./good")
	if code != 1 || !strings.Contains(errs, "broken.go:2") {
		t.Errorf("type error: exit %d, want 1 naming the file\n%s", code, errs)
	}
}
