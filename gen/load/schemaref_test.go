package load_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCatalogsNameTheSchema: every catalog the repository ships names the
// JSON Schema on its first line, by a relative path that resolves to
// catalog/errcat.schema.json, so editors validate and complete it.
func TestCatalogsNameTheSchema(t *testing.T) {
	schema, err := filepath.Abs("../../catalog/errcat.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, pat := range []string{"../../catalog/*.yaml", "../../internal/features/catalog/*.yaml", "../../examples/consumer/catalog/*.yaml"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 12 {
		t.Fatalf("found only %d catalogs", len(files))
	}
	const prefix = "# yaml-language-server: $schema="
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Scan()
		first := sc.Text()
		fh.Close()
		if !strings.HasPrefix(first, prefix) {
			t.Errorf("%s: first line %q does not name the schema", f, first)
			continue
		}
		ref, _ := filepath.Abs(filepath.Join(filepath.Dir(f), strings.TrimPrefix(first, prefix)))
		if ref != schema {
			t.Errorf("%s: schema path resolves to %s, want %s", f, ref, schema)
		}
	}
}
