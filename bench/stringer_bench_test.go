package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errcat/errcat/internal/synth"
)

// The generator comparison runs both tools as users do, as whole processes
// (go generate runs a command per directive): errcat generating a package
// for 1,000 integer codes (constants, String, sentinels, matchers, parser,
// docs), and golang.org/x/tools/cmd/stringer generating String() only for
// 1,000 constants. Both binaries are built once, outside the timing.

func buildTool(b *testing.B, dir, pkg string) string {
	b.Helper()
	bin := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building %s: %v\n%s", pkg, err, out)
	}
	return bin
}

func run(b *testing.B, dir, bin string, args ...string) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%s %v: %v\n%s", bin, args, err, out)
	}
}

func BenchmarkGenerate1000Errcat(b *testing.B) {
	tools := b.TempDir()
	errcat := buildTool(b, tools, "github.com/errcat/errcat/cmd/errcat")
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/bench\n\ngo 1.25\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "catalog.yaml"), synth.Catalog(1000), 0o644)
	b.ResetTimer()
	for b.Loop() {
		os.RemoveAll(filepath.Join(dir, "out"))
		run(b, dir, errcat, "generate", "-out", "out", "catalog.yaml")
	}
}

func BenchmarkGenerate1000Stringer(b *testing.B) {
	tools := b.TempDir()
	stringer := buildTool(b, tools, "golang.org/x/tools/cmd/stringer")
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/bench\n\ngo 1.25\n"), 0o644)
	var src strings.Builder
	src.WriteString("package consts\n\n// Code is a code.\ntype Code int64\n\nconst (\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&src, "\tSyntheticError%d Code = %d\n", i, 100000+i)
	}
	src.WriteString(")\n")
	os.WriteFile(filepath.Join(dir, "consts.go"), []byte(src.String()), 0o644)
	b.ResetTimer()
	for b.Loop() {
		os.Remove(filepath.Join(dir, "code_string.go"))
		run(b, dir, stringer, "-type=Code")
	}
}
