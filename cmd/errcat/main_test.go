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
	for _, args := range [][]string{nil, {"frobnicate", "x.yaml"}, {"validate", "-config", "no-such.yaml"}, {"generate", "-nope"}, {"validate", "no/such/*.yaml"}} {
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

func TestGenerateWithTemplatesAndIndex(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644)
	src, err := os.ReadFile("../../internal/features/catalog/percode.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "errors.yaml"), src, 0o644)
	tmpl := filepath.Join(dir, "tmpl")
	os.Mkdir(tmpl, 0o755)
	os.WriteFile(filepath.Join(tmpl, "vendor.md.tmpl"), []byte("{{ .Header }}\nOurs: {{ .Vendor.Name }}\n"), 0o644)
	out := filepath.Join(dir, "out")
	if code, _, errs := runCLI("generate", "-out", out, "-index", "-templates", tmpl, filepath.Join(dir, "errors.yaml")); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	page, _ := os.ReadFile(filepath.Join(out, "percode", "README.md"))
	if !strings.HasSuffix(string(page), "Ours: Per Code Example\n") {
		t.Errorf("vendor page did not use the override: %s", page)
	}
	index, _ := os.ReadFile(filepath.Join(out, "README.md"))
	if !strings.Contains(string(index), "| [Per Code Example](percode/README.md) |") {
		t.Errorf("index (built-in template) missing the vendor: %s", index)
	}
	// check must be given the same flags to agree.
	if code, _, errs := runCLI("check", "-out", out, "-index", "-templates", tmpl, filepath.Join(dir, "errors.yaml")); code != 0 {
		t.Errorf("check with the same flags: exit %d: %s", code, errs)
	}
	if code, _, _ := runCLI("check", "-out", out, "-index", filepath.Join(dir, "errors.yaml")); code != 1 {
		t.Errorf("check without the override should find the page stale, exit %d", code)
	}
	if code, _, errs := runCLI("generate", "-out", out, "-templates", filepath.Join(dir, "nope"), filepath.Join(dir, "errors.yaml")); code != 1 || !strings.Contains(errs, "templates directory") {
		t.Errorf("missing template dir: exit %d %s", code, errs)
	}
}

func TestConfigRuns(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "cat"), 0o755)
	for _, name := range []string{"okflag", "percode"} {
		src, err := os.ReadFile("../../internal/features/catalog/" + name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "cat", name+".yaml"), src, 0o644)
	}
	cfg := filepath.Join(dir, "errcat.yaml")
	os.WriteFile(cfg, []byte("runs:\n  - out: gen\n    catalogs: [cat/okflag.yaml]\n    index: true\n  - out: more\n    catalogs: [\"cat/p*.yaml\"]\n"), 0o644)
	if code, out, errs := runCLI("generate", "-config", cfg); code != 0 || !strings.Contains(out, filepath.Join(dir, "gen", "README.md")) || !strings.Contains(out, filepath.Join(dir, "more", "percode", "errors.go")) {
		t.Fatalf("generate from config: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runCLI("check", "-config", cfg); code != 0 || strings.Count(out, "up to date") != 2 {
		t.Fatalf("check from config: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := runCLI("validate", "-config", cfg); code != 0 || strings.Count(out, "1 catalog(s) valid") != 2 {
		t.Fatalf("validate from config: exit %d\n%s", code, out)
	}
	os.WriteFile(cfg, []byte("runs:\n  - out: gen\n    catalog: [x]\n"), 0o644)
	if code, _, errs := runCLI("check", "-config", cfg); code != 2 || !strings.Contains(errs, "field catalog not found") {
		t.Errorf("bad config: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI("check", "-config", filepath.Join(dir, "nope.yaml")); code != 2 || !strings.Contains(errs, "no catalogs named") {
		t.Errorf("missing config: exit %d: %s", code, errs)
	}
}
