package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnifiedDiff(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\n"
	cur := "a\nb\nc\nd\nE\nf\ng\nh\n"
	want := "--- x (on disk)\n+++ x (generated now)\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
	if got := unifiedDiff("x", []byte(old), []byte(cur)); got != want {
		t.Errorf("changed line:\n%s\nwant:\n%s", got, want)
	}
	if got := unifiedDiff("x", nil, []byte("one\ntwo\n")); got != "--- x (on disk)\n+++ x (generated now)\n@@ -0,0 +1,2 @@\n+one\n+two\n" {
		t.Errorf("missing file:\n%s", got)
	}
	if got := unifiedDiff("x", []byte("same\n"), []byte("same\n")); got != "" {
		t.Errorf("equal files: %q", got)
	}
	var many []string
	for i := range 500 {
		many = append(many, fmt.Sprint(i))
	}
	got := unifiedDiff("x", []byte("head\n"), []byte("head\n"+strings.Join(many, "\n")+"\n"))
	if !strings.Contains(got, "+59\n… 440 more changed lines\n") || strings.Contains(got, "+60\n") {
		t.Errorf("a long diff is not cut at %d lines:\n%s", maxDiffLines, got)
	}
}

// TestCheckDiff: a check's Diff shows the first stale file's change as a
// unified diff, so that the drift test and errcat check show what moved.
func TestCheckDiff(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644)
	src, err := os.ReadFile("../internal/features/catalog/okflag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat := filepath.Join(dir, "okflag.yaml")
	os.WriteFile(cat, src, 0o644)
	out := filepath.Join(dir, "out")
	if _, err := Run(Options{Catalogs: []string{cat}, Out: out}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(out, "okflag", "errors.go")
	good, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(good), "type Status int", "type Status int64", 1)), 0o644)
	res, err := Run(Options{Catalogs: []string{cat}, Out: out, Check: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Stale) != 1 || res.Stale[0] != path {
		t.Fatalf("stale = %v", res.Stale)
	}
	d := res.Diff(path)
	if !strings.Contains(d, "\n-type Status int64\n+type Status int\n") || !strings.HasPrefix(d, "--- "+path+" (on disk)\n+++ "+path+" (generated now)\n@@ -") {
		t.Errorf("diff:\n%s", d)
	}
	if res.Diff(filepath.Join(out, "okflag", "parse.go")) != "" {
		t.Errorf("an up-to-date file has a diff")
	}
}
