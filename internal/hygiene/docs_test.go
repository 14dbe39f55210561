package hygiene

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsSectionsAreWhole: in the Markdown docs every heading outside a
// code block starts after a blank line and every code fence is closed.
// When two changes to one page meet, a section spliced into another (a
// heading glued to the line before it, a code block's tail left outside its
// fence) breaks one of the two; merged text that reads on is easy to miss.
func TestDocsSectionsAreWhole(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append(files, filepath.Join(root, "README.md"), filepath.Join(root, "ARCHITECTURE.md"))
	if len(files) < 4 {
		t.Fatalf("found %d docs", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		fence, opened := "", 0
		for i, l := range lines {
			trimmed := strings.TrimLeft(l, " ")
			if strings.HasPrefix(trimmed, "```") {
				run := trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, "`"))]
				switch {
				case fence == "":
					fence, opened = run, i+1
				case run == fence && strings.TrimSpace(trimmed[len(run):]) == "":
					fence = ""
				}
				continue
			}
			if fence == "" && strings.HasPrefix(l, "#") && i > 0 && strings.TrimSpace(lines[i-1]) != "" {
				t.Errorf("%s:%d: heading %q follows a line of text, not a blank line", filepath.Base(f), i+1, l)
			}
		}
		if fence != "" {
			t.Errorf("%s:%d: code block never closed", filepath.Base(f), opened)
		}
	}
}
