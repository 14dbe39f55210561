package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
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

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"-help"}, {"help"}} {
		code, out, errs := runCLI(args...)
		if code != 0 || errs != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
		for _, c := range commands {
			if !strings.Contains(out, "  "+c.name) || !strings.Contains(out, c.summary) {
				t.Errorf("%v: help lacks %s and its one-line description:\n%s", args, c.name, out)
			}
		}
	}
	// A command's help names only the flags that command reads.
	for _, tc := range []struct {
		args     []string
		has, not []string
	}{
		{[]string{"generate", "-h"}, []string{"-out", "-index", "-templates", "-config", "Write each catalog"}, nil},
		{[]string{"help", "check"}, []string{"-out", "-index", "-templates", "-config"}, nil},
		{[]string{"validate", "--help"}, []string{"-config", "usage: errcat validate [flags]"}, []string{"-out", "-index", "-templates"}},
		{[]string{"schema", "-h"}, []string{"-o "}, []string{"-config"}},
		{[]string{"help", "version"}, []string{"usage: errcat version\n"}, []string{"flags"}},
		{[]string{"generate", "catalog.yaml", "-h"}, []string{"-out"}, nil},
		{[]string{"diff", "-h"}, []string{"errcat diff", "-against"}, nil}, // commands that parse their own flags
		{[]string{"help", "vet"}, []string{"errcat vet", "-fix"}, nil},
	} {
		code, out, errs := runCLI(tc.args...)
		if code != 0 || errs != "" {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, errs)
		}
		for _, s := range tc.has {
			if !strings.Contains(out, s) {
				t.Errorf("%v: help lacks %q:\n%s", tc.args, s, out)
			}
		}
		for _, s := range tc.not {
			if strings.Contains(out, s) {
				t.Errorf("%v: help shows %q, which the command does not use:\n%s", tc.args, s, out)
			}
		}
	}
	if code, _, errs := runCLI("help", "frobnicate"); code != 2 || !strings.Contains(errs, `no command "frobnicate"`) {
		t.Errorf("help for an unknown command: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI("generate", "-nope"); code != 2 || !strings.Contains(errs, "flag provided but not defined: -nope") || !strings.Contains(errs, "errcat help generate") {
		t.Errorf("unknown flag: exit %d: %s", code, errs)
	}
}

func TestVersion(t *testing.T) {
	code, out, errs := runCLI("version")
	if code != 0 || !strings.HasPrefix(out, "errcat ") || !strings.Contains(out, fmt.Sprintf("generates code for apierr runtime version %d\n", apierr.Version)) {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
}

func TestSchemaCommand(t *testing.T) {
	want, err := os.ReadFile("../../catalog/errcat.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCLI("schema"); code != 0 || out != string(want) {
		t.Errorf("schema to stdout: exit %d, %d bytes, want the %d of catalog/errcat.schema.json", code, len(out), len(want))
	}
	path := filepath.Join(t.TempDir(), "errcat.schema.json")
	if code, out, errs := runCLI("schema", "-o", path); code != 0 || !strings.Contains(out, "wrote "+path) {
		t.Fatalf("schema -o: exit %d\n%s%s", code, out, errs)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
		t.Errorf("schema -o wrote %d bytes, want catalog/errcat.schema.json", len(got))
	}
}

// TestFlagsAfterArguments: flags may follow the catalogs, as with go tools;
// after "--" everything is a catalog.
func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644)
	src, err := os.ReadFile("../../internal/features/catalog/okflag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat := filepath.Join(dir, "errors.yaml")
	os.WriteFile(cat, src, 0o644)
	out := filepath.Join(dir, "out")
	if code, stdout, errs := runCLI("generate", cat, "-out", out, "-index"); code != 0 || !strings.Contains(stdout, filepath.Join(out, "README.md")) {
		t.Fatalf("generate with flags last: exit %d\n%s%s", code, stdout, errs)
	}
	if code, stdout, errs := runCLI("check", "-out", out, cat, "-index"); code != 0 {
		t.Fatalf("check with flags on both sides: exit %d\n%s%s", code, stdout, errs)
	}
	if code, _, errs := runCLI("validate", "--", "-out"); code != 2 || !strings.Contains(errs, "-out") {
		t.Errorf("after --, -out is a catalog name: exit %d: %s", code, errs)
	}
}

// TestCheckNamesTheCommandToRun: a stale check prints the generate command
// that reproduces the run, with the arguments as given.
func TestCheckNamesTheCommandToRun(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644)
	src, err := os.ReadFile("../../internal/features/catalog/okflag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat := filepath.Join(dir, "my errors.yaml")
	os.WriteFile(cat, src, 0o644)
	out := filepath.Join(dir, "out")
	code, _, errs := runCLI("check", "-out", out, "-index", cat)
	want := "run `errcat generate -out " + out + " -index '" + cat + "'`"
	if code != 1 || !strings.Contains(errs, want) {
		t.Fatalf("exit %d, want the advice %s:\n%s", code, want, errs)
	}
	cfg := filepath.Join(dir, "runs.yaml")
	os.WriteFile(cfg, []byte("runs:\n  - out: out\n    catalogs: [\"my errors.yaml\"]\n"), 0o644)
	if code, _, errs := runCLI("check", "-config", cfg); code != 1 || !strings.Contains(errs, "run `errcat generate -config "+cfg+"`") {
		t.Errorf("check from a config: exit %d:\n%s", code, errs)
	}
}

func TestInvokedAs(t *testing.T) {
	for arg0, want := range map[string]string{
		"/usr/local/bin/errcat":                 "errcat",
		"./errcat":                              "errcat",
		`C:\bin\errcat.exe`:                     "errcat",
		"/home/u/.cache/go-build/ab/x-d/errcat": "go run github.com/errcat/errcat/cmd/errcat", // tests run in errcat's checkout: "(devel)"
	} {
		if arg0 == `C:\bin\errcat.exe` && filepath.Separator != '\\' {
			continue
		}
		if got := invokedAs(arg0); got != want {
			t.Errorf("invokedAs(%q) = %q, want %q", arg0, got, want)
		}
	}
}

// TestOutsideModuleSaysSo: generating where no go.mod is warns that there
// are no examples and no import path, and the README links nowhere.
func TestOutsideModuleSaysSo(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../internal/features/catalog/okflag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat := filepath.Join(dir, "errors.yaml")
	os.WriteFile(cat, src, 0o644)
	out := filepath.Join(dir, "out")
	code, _, errs := runCLI("generate", "-out", out, cat)
	if code != 0 || !strings.Contains(errs, "warning: "+filepath.Join(out, "okflag")+" is in no Go module") || !strings.Contains(errs, "example_test.go is not generated") {
		t.Fatalf("exit %d, want a warning:\n%s", code, errs)
	}
	page, _ := os.ReadFile(filepath.Join(out, "okflag", "README.md"))
	if strings.Contains(string(page), "pkg.go.dev") || !strings.Contains(string(page), "outside a Go module") {
		t.Errorf("README outside a module:\n%s", page)
	}
}

// TestValidateWrongExample: an Alloy catalog whose documented 4012 example
// says 4013 is reported at the example's line, naming what it yields.
func TestValidateWrongExample(t *testing.T) {
	src, err := os.ReadFile("../../catalog/alloy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	at := 0
	for i, l := range lines {
		if strings.Contains(l, "examples:") {
			at = i + 2 // the "- description:" line of the first example
			break
		}
	}
	wrong := strings.Replace(string(src), "            \"minor_code\": 4012,", "            \"minor_code\": 4013,", 1)
	if wrong == string(src) || at == 0 {
		t.Fatal("alloy.yaml no longer has the 4012 example this test edits")
	}
	bad := filepath.Join(t.TempDir(), "alloy.yaml")
	os.WriteFile(bad, []byte(wrong), 0o644)
	code, _, errs := runCLI("validate", bad)
	want := fmt.Sprintf("alloy.yaml:%d:11: example of code 4012 yields code 4013, not its code", at)
	if code != 1 || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stderr lacks %q:\n%s", code, want, errs)
	}
}
