package golang_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/internal/synth"
)

// maxLinesPerCode is issue 10's budget for generated Go, doc comments
// included: constants, one table, sentinels and matchers, with behaviour
// in the support runtime.
const maxLinesPerCode = 12

// goLines renders the synthetic catalog of n codes and returns every line
// of its Go files, tests excepted.
func goLines(t *testing.T, n int) []string {
	t.Helper()
	c, err := load.Bytes("scale.yaml", synth.Catalog(n))
	if err != nil {
		t.Fatal(err)
	}
	c.ImportPath = "example.com/scale"
	files, err := golang.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, f := range files {
		if strings.HasSuffix(f.Name, "_test.go") {
			continue
		}
		lines = append(lines, strings.Split(string(bytes.TrimSuffix(f.Content, []byte("\n"))), "\n")...)
	}
	return lines
}

// TestLinesPerCode holds the 10,000-code catalog's generated Go to
// maxLinesPerCode lines per code, and a catalog that gains one code to a
// diff of about that many lines.
func TestLinesPerCode(t *testing.T) {
	if testing.Short() || raceEnabled {
		// It covers no concurrency and took 18 s of make test under the
		// race detector: make test-norace (a CI step) runs it.
		t.Skip("renders 10,000 codes twice; make test-norace runs it")
	}
	const n = 10000
	before, after := goLines(t, n), goLines(t, n+1)
	perCode := float64(len(before)) / n
	t.Logf("%d codes: %d lines of Go, %.2f per code", n, len(before), perCode)
	if perCode > maxLinesPerCode {
		t.Errorf("%.2f lines of Go per code; want at most %d", perCode, maxLinesPerCode)
	}
	// Lines added or removed by one more code, as a line diff counts them.
	count := map[string]int{}
	for _, l := range before {
		count[l]--
	}
	for _, l := range after {
		count[l]++
	}
	changed := 0
	for _, d := range count {
		changed += max(d, -d)
	}
	t.Logf("one more code changes %d lines", changed)
	if changed > maxLinesPerCode {
		t.Errorf("one more code changes %d lines of Go; want at most %d", changed, maxLinesPerCode)
	}
}
