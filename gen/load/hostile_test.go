package load_test

import (
	"errors"
	"fmt"
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

// A huge catalog of mistakes reports 100 errors and a count of the rest
// (issue 18, item 6), not one line per mistake: a 32 MiB file of unknown keys once
// made validate print hundreds of megabytes.
func TestErrorsBoundedPerFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("format: errcat/v1\n")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, "unknown_%d: x\n", i)
	}
	_, err := load.Bytes("many.yaml", []byte(b.String()))
	var list load.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("err = %v", err)
	}
	if len(list) != load.MaxErrors+1 {
		t.Fatalf("%d errors, want %d and a count", len(list), load.MaxErrors+1)
	}
	last := list[len(list)-1].Error()
	// 20,000 unknown keys and the missing vendor and statuses.
	if !strings.Contains(last, "too many errors: 19902 more not shown") {
		t.Errorf("last line = %q", last)
	}
	if len(err.Error()) > 64<<10 {
		t.Errorf("error is %d bytes", len(err.Error()))
	}
}
