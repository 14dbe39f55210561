package load

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestMisindentedLineFindsTheLine shifts every line of a shipped
// catalog one column left and one right; wherever yaml.v3
// reports the problem at an enclosing block, the error must name the
// shifted line itself.
func TestMisindentedLineFindsTheLine(t *testing.T) {
	files := []string{"../../catalog/alloy.yaml"}
	moved, named := 0, 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		for i, l := range lines {
			if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
				continue
			}
			for _, shifted := range []string{strings.TrimPrefix(l, " "), " " + l} {
				if shifted == l {
					continue
				}
				mut := append([]string(nil), lines...)
				mut[i] = shifted
				data := []byte(strings.Join(mut, "\n"))
				var n yaml.Node
				yerr := yaml.Unmarshal(data, &n)
				if yerr == nil {
					continue // still valid YAML
				}
				e := yamlError("t.yaml", data, yerr)
				if !strings.HasPrefix(e.Msg, "invalid YAML: did not find expected") {
					continue // a problem yaml.v3 places itself
				}
				moved++
				if e.Line == i+1 || e.Line == i+2 && strings.Contains(e.Fix, "the line above") ||
					strings.Contains(e.Fix, fmt.Sprintf("line %d,", i+1)) {
					named++
				} else {
					t.Logf("%s line %d shifted to %q: error at line %d: %v", file, i+1, shifted, e.Line, e)
				}
			}
		}
	}
	// A few remain ambiguous (a block scalar's key shifted so that its
	// text reads as the mapping's keys); they keep yaml.v3's position.
	t.Logf("%d of %d named", named, moved)
	if moved < 250 || named*100 < moved*99 {
		t.Errorf("%d of %d mis-indentations named at their own line, want 99%%", named, moved)
	}
}

// TestMisindentedLineAcceptsValidYAML: on well-formed catalogs the scan
// finds nothing, whatever block style they use.
func TestMisindentedLineAcceptsValidYAML(t *testing.T) {
	var files []string
	for _, pat := range []string{"../../catalog/*.yaml", "testdata/valid/*.yaml", "../../internal/features/catalog/*.yaml", "../../errcat.yaml"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := misindentedLine(src, 1); ok {
			t.Errorf("%s: line %d reported as mis-indented", file, m.line)
		}
	}
	for _, src := range []string{
		"a:\n- x\n- y\nb: 1\n",                   // a list at its key's indentation
		"a: |\n  text\n    more\n  x: 1\nb: 2\n", // block scalar content
		"a: plain\n  continued\nb: 1\n",          // a plain scalar over two lines
		"a:\n  - - x\n    - y\n  - z\n",          // nested items
		"a: # comment\n  b: 1\n",
		"\"q: k\":\n  b: 1\n",
	} {
		if m, ok := misindentedLine([]byte(src), 1); ok {
			t.Errorf("%q: line %d reported as mis-indented", src, m.line)
		}
	}
}
