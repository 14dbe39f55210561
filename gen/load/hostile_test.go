package load_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/load"
)

// Hostile YAML that must be refused quickly with a positioned error, never
// a panic, a hang or unbounded memory.
func TestHostileYAML(t *testing.T) {
	laughs := "format: errcat/v1\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		name := string(rune('b' + i))
		laughs += name + ": &" + name + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n"
		prev = name
	}
	laughs += "vendor: *" + prev + "\n"
	cases := map[string]struct {
		src  string
		want string
	}{
		"billion laughs":      {laughs, ""},
		"deep sequences":      {"format: errcat/v1\nvendor: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", "1:"},
		"deep mappings":       {"format: errcat/v1\nvendor:" + strings.Repeat(" {a:", 20000) + " 1" + strings.Repeat("}", 20000) + "\n", "1:"},
		"alias as vendor":     {"format: errcat/v1\nx: &v {id: a}\nvendor: *v\n", "alias"},
		"duplicate keys":      {"format: errcat/v1\nformat: errcat/v1\n", "2:1"},
		"tab indentation":     {"format: errcat/v1\nvendor:\n\tid: x\n", "3:1: invalid YAML: found character that cannot start any token (fix: indent with spaces"},
		"binary garbage":      {"\x00\x01\x02\xff\xfe", "1:"},
		"merge key":           {"format: errcat/v1\nvendor:\n  <<: {id: a}\n", "merge keys"},
		"huge integer code":   {"format: errcat/v1\ncodes: {type: integer, items: [{code: 99999999999999999999999, status: 400, description: d, name: n}]}\n", "out of range"},
		"min int64 minus one": {"format: errcat/v1\ncodes: {type: integer, items: [{code: -9223372036854775809, status: 400, description: d, name: n}]}\n", "out of range"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := load.Bytes("hostile.yaml", []byte(c.src))
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "hostile.yaml:") || !strings.Contains(msg, c.want) {
				t.Errorf("error does not name the file and %q:\n%s", c.want, msg)
			}
			if len(msg) > 64<<10 {
				t.Errorf("error is %d bytes long", len(msg))
			}
		})
	}
}

// A file over the size limit is refused before it is read; one just under
// it (a huge description) loads in bounded time.
func TestHugeFiles(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(load.MaxFileBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := load.File(big); err == nil || !strings.Contains(err.Error(), "big.yaml:1:1: catalog is") {
		t.Fatalf("err = %v", err)
	}

	src, err := os.ReadFile("../../internal/features/catalog/percode.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// A few MiB load as surely as 24: the loader holds no per-byte state
	// that grows with a scalar. ERRCAT_LONG_TESTS=1 (make test-long) loads
	// ~24 MiB, near the limit.
	repeat := 1 << 17 // ~3 MiB
	if os.Getenv("ERRCAT_LONG_TESTS") != "" {
		repeat = 1 << 20 // ~24 MiB
	}
	huge := strings.Replace(string(src), "description: A test vendor where 409 means different things by code.",
		"description: \""+strings.Repeat("a very long description ", repeat)+"\"", 1)
	c, err := load.Bytes("huge.yaml", []byte(huge))
	if err != nil {
		t.Fatal(err)
	}
	if want := len("a very long description ") * repeat; len(c.Vendor.Description) != want {
		t.Errorf("description has %d bytes, want %d", len(c.Vendor.Description), want)
	}
}
