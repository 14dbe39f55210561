package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	diffOld = "../../gen/diff/testdata/old.yaml"
	diffNew = "../../gen/diff/testdata/new.yaml"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDiffExitCodes runs errcat diff end to end for each exit status.
func TestDiffExitCodes(t *testing.T) {
	dir := t.TempDir()
	old := readString(t, diffOld)
	// A pair whose only change is a warning (a kind).
	warnOnly := filepath.Join(dir, "warn.yaml")
	writeFile(t, warnOnly, strings.Replace(old, "kind: permission_denied}", "kind: not_found}", 1))
	broken := filepath.Join(dir, "broken.yaml")
	writeFile(t, broken, strings.Replace(old, "kind: timeout}", "kind: slow}", 1))
	var fps []string
	_, out, _ := runCLI("diff", "-no-go-api", "-format", "json", diffOld, diffNew)
	var rep struct {
		Catalogs []struct {
			Changes []struct{ Fingerprint, Severity string }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Catalogs) != 1 {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	for _, c := range rep.Catalogs[0].Changes {
		if c.Severity == "breaking" {
			fps = append(fps, c.Fingerprint+" accepted in review")
		}
	}
	acceptBreaking := filepath.Join(dir, "ignore")
	writeFile(t, acceptBreaking, "# reviewed\n"+strings.Join(fps, "\n")+"\n")
	badIgnore := filepath.Join(dir, "bad-ignore")
	writeFile(t, badIgnore, "deadbeef\n")

	for _, tc := range []struct {
		args   []string
		code   int
		stdout string // a substring, when not ""
		stderr string
	}{
		{[]string{diffOld, diffNew}, 1, "gen/diff/testdata/new.yaml:20:5: breaking: status 401: action reauthenticate → fix_request", ""},
		{[]string{"-fail-on", "none", diffOld, diffNew}, 0, "total: 22 breaking, 22 warning, 18 info", ""},
		{[]string{diffOld, diffOld}, 0, "total: 0 breaking, 0 warning, 0 info", ""},
		{[]string{diffOld, warnOnly}, 0, "warning: status 403: kind permission_denied → not_found", ""},
		{[]string{"-fail-on", "warning", diffOld, warnOnly}, 1, "", ""},
		{[]string{"-ignore", acceptBreaking, diffOld, diffNew}, 0, "22 ignored", ""},
		{[]string{"-ignore", acceptBreaking, "-fail-on", "warning", diffOld, diffNew}, 1, "", ""},
		{[]string{"-format", "markdown", diffOld, diffNew}, 1, "| breaking | 22 |", ""},
		{[]string{"-format", "github", diffOld, diffNew}, 1, "::error file=../../gen/diff/testdata/new.yaml,line=20,col=5,", ""},
		// Usage and load errors: 2.
		{[]string{diffOld}, 2, "", "name OLD.yaml and NEW.yaml"},
		{[]string{"-fail-on", "info", diffOld, diffNew}, 2, "", "-fail-on"},
		{[]string{"-format", "xml", diffOld, diffNew}, 2, "", "-format"},
		{[]string{"-nope", diffOld, diffNew}, 2, "", ""},
		{[]string{diffOld, broken}, 2, "", "broken.yaml:19:72: unknown kind \"slow\""},
		{[]string{diffOld, filepath.Join(dir, "missing.yaml")}, 2, "", "missing.yaml"},
		{[]string{"-ignore", badIgnore, diffOld, diffNew}, 2, "", "bad-ignore:1:1: \"deadbeef\" is not a change fingerprint"},
	} {
		code, stdout, stderr := runCLI(append([]string{"diff", "-no-go-api"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("diff %v: exit %d (want %d)\nstdout %s\nstderr %s\nwant stdout %q, stderr %q", tc.args, code, tc.code, stdout, stderr, tc.stdout, tc.stderr)
		}
	}
}

// TestDiffGoAPI runs the CLI with the Go API impact on.
func TestDiffGoAPI(t *testing.T) {
	code, out, errs := runCLI("diff", diffOld, diffNew)
	if code != 1 || !strings.Contains(out, "Go API: major (27 removed, 5 changed, 15 added)") || !strings.Contains(out, "Go API removed: BatchErrors, CodeRenamed, CodeRetired,") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// TestDiffAgainstGit compares a working tree with a commit in a scratch
// repository: a catalog edited, one added, one deleted, the errcat.yaml
// default, a catalog named explicitly, and the errors.
func TestDiffAgainstGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	old, new := readString(t, diffOld), readString(t, diffNew)
	other := readString(t, "../../internal/features/catalog/okflag.yaml")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "errcat.yaml"), "runs:\n  - out: generated\n    catalogs: [catalog]\n")
	writeFile(t, filepath.Join(dir, "catalog/acme.yaml"), old)
	writeFile(t, filepath.Join(dir, "catalog/okflag.yaml"), other)
	gitRun(t, dir, "init", "-q", "-b", "main")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-qm", "first")
	writeFile(t, filepath.Join(dir, "catalog/acme.yaml"), new)
	os.Remove(filepath.Join(dir, "catalog/okflag.yaml"))
	writeFile(t, filepath.Join(dir, "catalog/percode.yaml"), readString(t, "../../internal/features/catalog/percode.yaml"))
	t.Chdir(dir)

	code, out, errs := runCLI("diff", "-no-go-api", "-against", "main")
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"main:catalog/acme.yaml → catalog/acme.yaml: 22 breaking, 22 warning, 18 info",
		"catalog/acme.yaml:20:5: breaking: status 401: action reauthenticate → fix_request",
		"main:catalog/okflag.yaml (removed): 1 breaking",
		"main:catalog/okflag.yaml:6:3: breaking: catalog: catalog for vendor \"okflag\" is gone",
		"catalog/percode.yaml (new): 0 breaking, 0 warning, 1 info",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Catalogs named: only those; a subdirectory works too.
	t.Chdir(filepath.Join(dir, "catalog"))
	if code, out, errs := runCLI("diff", "-no-go-api", "-fail-on", "none", "-against", "main", "acme.yaml"); code != 0 || !strings.Contains(out, "main:acme.yaml → acme.yaml: 22 breaking") || strings.Contains(out, "okflag.yaml") {
		t.Errorf("named catalog: exit %d\n%s%s", code, out, errs)
	}
	// No change since HEAD once committed.
	t.Chdir(dir)
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "commit", "-qm", "second")
	if code, out, errs := runCLI("diff", "-no-go-api", "-against", "HEAD"); code != 0 || !strings.Contains(out, "total: 0 breaking, 0 warning, 0 info") {
		t.Errorf("against HEAD: exit %d\n%s%s", code, out, errs)
	}
	// The old side fails to load: reported at REF:path:line:col.
	writeFile(t, filepath.Join(dir, "catalog/acme.yaml"), strings.Replace(old, "kind: timeout}", "kind: slow}", 1))
	gitRun(t, dir, "commit", "-qam", "broken")
	writeFile(t, filepath.Join(dir, "catalog/acme.yaml"), old)
	code, _, errs = runCLI("diff", "-no-go-api", "-against", "HEAD")
	if code != 2 || !regexp.MustCompile(`HEAD:catalog/acme\.yaml:19:72: unknown kind "slow"`).MatchString(errs) {
		t.Errorf("broken old side: exit %d\n%s", code, errs)
	}
	// An unknown ref and a ref that looks like a flag are usage errors.
	for _, ref := range []string{"no-such-branch", "--output=x"} {
		if code, _, errs := runCLI("diff", "-no-go-api", "-against", ref); code != 2 || !strings.Contains(errs, "-against") {
			t.Errorf("ref %q: exit %d\n%s", ref, code, errs)
		}
	}
}
