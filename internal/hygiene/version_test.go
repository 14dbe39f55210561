package hygiene

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
)

// TestRuntimeVersionMismatchNamesTheFix builds committed generated code
// (generated/alvys, a v1 catalog's, and internal/features/d2delays, a
// format v2 catalog's) against copies of the runtime whose declared
// contract version moved: the build fails, and the compiler's own error text names
// the fix. The unchanged copy builds, so the failures are the version's.
func TestRuntimeVersionMismatchNamesTheFix(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three copies of the runtime")
	}
	// The committed code is written for apierr.Version.
	newer, older := strconv.Itoa(apierr.Version+1), strconv.Itoa(apierr.Version-1)
	cases := []struct {
		name            string
		version, oldest string // the runtime's apierr.Version and errcatimpl.MinVersion; "" keeps them
		want            string
		pkg             string // the package built: generated/alvys unless set
	}{
		{name: "same runtime"},
		{name: "newer runtime that dropped this code's version", version: newer, oldest: newer,
			want: "overflows errcatimpl.GeneratedCodeTooOld_RegenerateWithErrcat"},
		{name: "older runtime than the generator", version: older, oldest: older,
			want: "overflows errcatimpl.ErrcatRuntimeTooOld_UpgradeErrcatOrRegenerate"},
		// A package using format v2's runtime declares version 3: a runtime
		// of version 2 says to upgrade rather than "undefined".
		{name: "format v2 delays need runtime 3", version: "2", oldest: "2", pkg: "internal/features/d2delays",
			want: "overflows errcatimpl.ErrcatRuntimeTooOld_UpgradeErrcatOrRegenerate"},
		{name: "format v2 delays on runtime 3", pkg: "internal/features/d2delays"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "go.mod"), "module "+errcat+"\n\ngo 1.24\n")
			copyTree(t, filepath.Join(root, "apierr"), filepath.Join(dir, "apierr"))
			pkg := c.pkg
			if pkg == "" {
				pkg = "generated/alvys"
			}
			copyTree(t, filepath.Join(root, filepath.FromSlash(pkg)), filepath.Join(dir, filepath.FromSlash(pkg)))
			if c.version != "" {
				replaceIn(t, filepath.Join(dir, "apierr", "version.go"), "const Version = ", c.version)
				replaceIn(t, filepath.Join(dir, "apierr", "errcatimpl", "version.go"), "const MinVersion = ", c.oldest)
			}
			cmd := exec.Command("go", "build", "./"+pkg)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
			out, err := cmd.CombinedOutput()
			if c.want == "" {
				if err != nil {
					t.Fatalf("the unchanged runtime does not build the committed code: %v\n%s", err, out)
				}
				return
			}
			if err == nil {
				t.Fatalf("built against a runtime of version %s (oldest served %s); want a compile error", c.version, c.oldest)
			}
			if !strings.Contains(string(out), c.want) {
				t.Fatalf("compile error does not name the fix %q:\n%s", c.want, out)
			}
			t.Logf("go build says:\n%s", out)
		})
	}
}

// replaceIn sets the value of the one-line declaration starting with prefix.
func replaceIn(t *testing.T, path, prefix, value string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	found := false
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			lines[i], found = prefix+value, true
		}
	}
	if !found {
		t.Fatalf("%s: no line starts with %q", path, prefix)
	}
	write(t, path, strings.Join(lines, "\n"))
}

// copyTree copies the non-test Go files under src (testdata skipped).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
