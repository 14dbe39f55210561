package load

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/model"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/invalid")

// TestInvalidFixtures loads every catalog of testdata/invalid, each holding
// one kind of mistake, and compares the whole error text with its .golden
// file. Run with -update to rewrite the goldens, then read the diff: every
// message must name file:line:col of the offending node and say how to fix it.
func TestInvalidFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("found %d invalid fixtures, want at least 30", len(files))
	}
	position := regexp.MustCompile(`^(testdata/invalid/[0-9]{2,3}-[a-z0-9-]+\.yaml):([0-9]+):([0-9]+): \S`)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			cat, err := File(file)
			if err == nil {
				t.Fatalf("loaded without error, want an error")
			}
			if cat != nil {
				t.Errorf("returned a catalog along with the error")
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is %T, want a non-empty ErrorList: %v", err, err)
			}
			got := err.Error() + "\n"
			for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
				m := position.FindStringSubmatch(line)
				if m == nil || m[1] != file {
					t.Errorf("message does not start with %s:line:col: %q", file, line)
				}
			}
			golden := strings.TrimSuffix(file, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestInvalidFixtures -update)", err)
			}
			if got != string(want) {
				t.Errorf("errors differ from %s (run with -update to rewrite)\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
	// Every golden belongs to a fixture.
	goldens, _ := filepath.Glob("testdata/invalid/*.golden")
	for _, g := range goldens {
		if _, err := os.Stat(strings.TrimSuffix(g, ".golden") + ".yaml"); err != nil {
			t.Errorf("%s has no fixture", g)
		}
	}
}

// validCatalogs are the shipped catalogs, the valid fixtures, the feature
// catalogs and the consumer example's catalog.
func validCatalogs(t testing.TB) []string {
	t.Helper()
	shipped, err := filepath.Glob("../../catalog/*.yaml")
	if err != nil || len(shipped) == 0 {
		t.Fatalf("no shipped catalogs found: %v", err)
	}
	valid, err := filepath.Glob("testdata/valid/*.yaml")
	if err != nil || len(valid) == 0 {
		t.Fatalf("no valid fixtures found: %v", err)
	}
	// The feature catalogs and the consumer example's catalog are real
	// catalogs too: editors check them against the schema as well.
	features, _ := filepath.Glob("../../internal/features/catalog/*.yaml")
	consumer, _ := filepath.Glob("../../examples/consumer/catalog/*.yaml")
	if len(features) == 0 || len(consumer) == 0 {
		t.Fatal("feature or consumer catalogs not found")
	}
	return append(append(append(shipped, valid...), features...), consumer...)
}

func TestShippedCatalogsValid(t *testing.T) {
	for _, file := range validCatalogs(t) {
		t.Run(file, func(t *testing.T) {
			cat, err := File(file)
			if err != nil {
				t.Fatal(err)
			}
			if cat.Source != file {
				t.Errorf("Source = %q, want %q", cat.Source, file)
			}
			checkInvariants(t, cat)
		})
	}
}

// checkInvariants checks what every loaded catalog guarantees its emitters.
func checkInvariants(t testing.TB, cat *model.Catalog) {
	t.Helper()
	if cat.Vendor.ID == "" || cat.Vendor.Package == "" || len(cat.Statuses) == 0 {
		t.Fatalf("vendor or statuses missing: %+v", cat.Vendor)
	}
	for _, s := range cat.Statuses {
		if s.GoName == "" {
			t.Errorf("status %s has no GoName", s.Text())
		}
	}
	for _, c := range cat.Codes {
		if c.GoName == "" || (c.Status == nil && cat.Format == 1) {
			t.Errorf("code %s has no GoName, or no status in format v1", c.Text())
		}
		if c.Status != nil && (len(c.Statuses) == 0 || !slices.Contains(c.Statuses, c.Status)) {
			t.Errorf("code %s: Status is not among Statuses", c.Text())
		}
		if c.StatusWins && len(c.Statuses) == 0 {
			t.Errorf("code %s: precedence status without statuses", c.Text())
		}
		if c.AliasOf != nil && (c.AliasOf == c || c.AliasOf.AliasOf != nil) {
			t.Errorf("code %s aliases itself or an alias", c.Text())
		}
	}
	for _, b := range cat.Bodies {
		if b.GoName == "" {
			t.Errorf("body %q has no GoName", b.Name)
		}
		for _, f := range b.Fields {
			composed := f.Compose != nil && len(f.Compose.Parts) > 1
			if f.GoName == "" || (len(f.Paths) == 0) != composed {
				t.Errorf("field %q of %q has no GoName or no path", f.Name, b.Name)
			}
			if (f.Role == model.RoleSubcode) != (f.Set != nil) {
				t.Errorf("field %q of %q: role subcode and set disagree", f.Name, b.Name)
			}
			if (f.Type == model.TypeList) != (f.Item != nil || f.ScalarList()) {
				t.Errorf("field %q of %q: list type and item disagree", f.Name, b.Name)
			}
		}
	}
	for _, h := range cat.Headers {
		if h.GoName == "" || h.Header == "" {
			t.Errorf("header %q has no GoName or name", h.Name)
		}
	}
	if w := cat.Warnings; w != nil {
		if cat.Format != 2 || len(w.Paths) == 0 {
			t.Errorf("warnings in format %d, or without a path", cat.Format)
		}
		for _, f := range w.Fields {
			if f.GoName == "" || len(f.Paths) == 0 || f.Type == model.TypeList || (f.Role == model.RoleNone && slices.Contains(model.WarningMembers, f.GoName)) {
				t.Errorf("warning field %q: no GoName or path, a list, or a fixed member", f.Name)
			}
		}
	}
	if b := cat.Batch; b != nil && (cat.Format != 2 || len(b.Paths) == 0 || len(b.Status) == 0) {
		t.Errorf("batch in format %d, or without a path or a status", cat.Format)
	}
	for _, d := range cat.Retry.Delays {
		if n := btoi(d.Header != "") + btoi(d.Field != nil) + btoi(d.Cost != nil); n != 1 || (d.Cost != nil) != (d.Format == model.DelayCost) {
			t.Errorf("delay source %+v reads not exactly one of a header, a field and a cost formula", d)
		}
	}
}

func TestPath(t *testing.T) {
	good := []struct{ in, want string }{
		{"code", "code"},
		{"error.minor_code", "error.minor_code"},
		{"errors[0].extensions.code", "errors[0].extensions.code"},
		{"a[0][12]", "a[0][12]"},
		{"a[007].b", "a[7].b"},
		{"a[1048576]", "a[1048576]"},
		{"requestId", "requestId"},
		{"weird-key:1", "weird-key:1"},
	}
	for _, c := range good {
		b := &builder{decoder: &decoder{file: "t.yaml"}, cat: &model.Catalog{Format: 1}}
		p, ok := b.path(nil, c.in)
		if !ok || p.String() != c.want {
			t.Errorf("path(%q) = %v, %v (%v); want %q", c.in, p, ok, b.errs, c.want)
		}
	}
	bad := map[string]string{
		"":                             "empty path",
		".a":                           "empty key",
		"a.":                           "ends with a dot",
		"error..code":                  "empty key",
		"a.[0]":                        "empty key",
		"[0].a":                        "format v2 feature",
		"items[*].code":                "a wildcard) is a format v2 feature",
		"error['.tag']":                "a quoted key) is a format v2 feature",
		"errors[x]":                    `index "x"`,
		"a[-1]":                        `index "-1"`,
		"a[+1]":                        `index "+1"`,
		"a[]":                          `index ""`,
		"a[1048577]":                   `index "1048577"`,
		"a[0":                          "unclosed [",
		"a]":                           "holds a bracket",
		"a b":                          "holds a bracket or space",
		"a[0]b":                        "a key must follow a dot after ]",
		"a[0].":                        "ends with a dot",
		strings.Repeat("a.", 32) + "a": "more than 32 steps",
	}
	for in, want := range bad {
		b := &builder{decoder: &decoder{file: "t.yaml"}, cat: &model.Catalog{Format: 1}}
		if p, ok := b.path(nil, in); ok {
			t.Errorf("path(%q) = %v, want an error", in, p)
			continue
		}
		if len(b.errs) != 1 || !strings.Contains(b.errs[0].Msg, want) {
			t.Errorf("path(%q): errors %v, want one containing %q", in, b.errs, want)
		}
	}
	// 32 steps is the limit, not over it.
	b := &builder{decoder: &decoder{file: "t.yaml"}, cat: &model.Catalog{Format: 1}}
	if _, ok := b.path(nil, strings.Repeat("a.", 31)+"a"); !ok {
		t.Errorf("a path of 32 steps was refused: %v", b.errs)
	}
}

// TestPathV2 holds the format v2 grammar (docs/catalog-format.md, Paths):
// what it accepts, written back canonically, and what it refuses.
func TestPathV2(t *testing.T) {
	good := []struct{ in, want string }{
		{"error.minor_code", "error.minor_code"},
		{"errors[0].extensions.code", "errors[0].extensions.code"},
		{"error['.tag']", "error['.tag']"},
		{`error[".tag"]`, "error['.tag']"},
		{`a['it\'s'].b`, `a['it\'s'].b`},
		{`a["x\u00e9\n"]`, `a['xé\u000A']`},
		{`a['\ud83d\ude00']`, "a.😀"},
		{"a['*']", "a['*']"},
		{`a['\u200b']`, `a['\u200B']`},
		{`a['\udb40\udc01x']`, `a['\uDB40\uDC01x']`},
		{"a['plain']", "a.plain"},
		{"items[*].field", "items[*].field"},
		{"errors.*[*]", "errors[*][*]"},
		{"data.*.userErrors[*]", "data[*].userErrors[*]"},
		{"errors[*].chain[*].code", "errors[*].chain[*].code"},
		{"[0].code", "[0].code"},
		{"[*].message", "[*].message"},
		{"[ * ]", "[*]"},
		{`details[?@['@type'] == 'type.googleapis.com/google.rpc.ErrorInfo'].reason`, `details[?@['@type'] == "type.googleapis.com/google.rpc.ErrorInfo"].reason`},
		{`d[?@.type=="x"]`, `d[?@.type == "x"]`},
		{`d[?@.a[0].b == 12.5]`, `d[?@.a[0].b == 12.5]`},
		{`d[?@ == true]`, `d[?@ == true]`},
		{`d[?@.n == null].x`, `d[?@.n == null].x`},
		{`d[?@.n == -1]`, `d[?@.n == -1]`},
		{"a.*b", "a.*b"},
	}
	for _, c := range good {
		b := &builder{decoder: &decoder{file: "t.yaml"}, cat: &model.Catalog{Format: 2}}
		p, ok := b.path(nil, c.in)
		if !ok || p.String() != c.want {
			t.Errorf("path(%q) = %q, %v (%v); want %q", c.in, p.String(), ok, b.errs, c.want)
			continue
		}
		// The canonical form reads back to the same path.
		if again, err := parsePath(p.String()); err != nil || again.String() != p.String() {
			t.Errorf("path(%q) canonical %q does not read back: %v", c.in, p.String(), err)
		}
	}
	bad := map[string]string{
		"":                        "empty path",
		"error..tag":              "empty key",
		"$.a":                     "starts with $",
		"*.a":                     "cannot start with *",
		"a['x":                    "unterminated quoted key",
		`a['x\q']`:                "bad escape",
		`a['\ud83d']`:             "lone UTF-16 surrogate",
		"a[?@.type == 'x'":        "unclosed [",
		"a[?@.type == ":           "unterminated filter",
		"a[?@.type":               "unterminated filter",
		"a[?@.type != 'x']":       "only tests equality",
		"a[?@.type == x]":         `"x" is not a literal`,
		"a[?type == 'x']":         "must start with @",
		"a[?@.* == 'x']":          "compares one value",
		"a[?@[*] == 'x']":         "compares one value",
		"a[x]":                    "is not an index",
		"a[0]b":                   "must follow a dot",
		"a.":                      "ends with a dot",
		"a[1048577]":              `index "1048577"`,
		"a[*":                     "unclosed [",
		"a['x' 'y']":              "expected ]",
		strings.Repeat("[*]", 33): "more than 32 steps",
	}
	for in, want := range bad {
		b := &builder{decoder: &decoder{file: "t.yaml"}, cat: &model.Catalog{Format: 2}}
		if p, ok := b.path(nil, in); ok {
			t.Errorf("path(%q) = %v, want an error", in, p)
			continue
		}
		if len(b.errs) != 1 || !strings.Contains(b.errs[0].Msg, want) {
			t.Errorf("path(%q): errors %v, want one containing %q", in, b.errs, want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	keys := []string{"format", "vendor", "statuses", "codes", "headers", "bodies", "retry"}
	cases := []struct{ in, want string }{
		{"header", "headers"},
		{"status", "statuses"},
		{"Vendor", "vendor"},
		{"fromat", "format"},
		{"bodie", "bodies"},
		{"retyr", "retry"},
		{"head", "headers"}, // a prefix of three letters or more
		{"code", "codes"},
		{"zzz", ""},
		{"x", ""},
		{"documentation", ""},
		{strings.Repeat("a", 100), ""},
	}
	for _, c := range cases {
		if got := didYouMean(c.in, keys); got != c.want {
			t.Errorf("didYouMean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := didYouMean("retry_backof", actionNames); got != "retry_backoff" {
		t.Errorf("didYouMean(retry_backof) = %q", got)
	}
	if got := didYouMean("bad_requests", kindNames); got != "bad_request" {
		t.Errorf("didYouMean(bad_requests) = %q", got)
	}
	if got := didYouMean("anything", nil); got != "" {
		t.Errorf("didYouMean with no candidates = %q", got)
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"header", "headers", 1}, {"same", "same", 0},
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestDocuments checks the one-document rule at its edges.
func TestDocuments(t *testing.T) {
	base, err := os.ReadFile("testdata/valid/04-minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ok := map[string]string{
		"explicit start":          "---\n" + string(base),
		"trailing empty document": string(base) + "---\n# nothing more\n",
		"document end marker":     string(base) + "...\n",
		"--- inside a block text": strings.Replace(string(base), `description: "The smallest catalog."`, "description: |\n    a\n    ---\n    b", 1),
	}
	for name, data := range ok {
		if _, err := Bytes("t.yaml", []byte(data)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := map[string]string{
		"second document":          string(base) + "---\nformat: errcat/v1\n",
		"content after end marker": string(base) + "...\nretry: {}\n",
		"comments only":            "# nothing\n",
	}
	for name, data := range bad {
		if _, err := Bytes("t.yaml", []byte(data)); err == nil {
			t.Errorf("%s: loaded without error", name)
		}
	}
}

// TestYAMLErrorPositions checks the lines of yaml.v3's syntax errors, whose
// parser reports 0-based lines.
func TestYAMLErrorPositions(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a: 1\nb: 'x'y\n", "t.yaml:2:1: invalid YAML: did not find expected key"},
		{"a: 'x'y\n", "t.yaml:1:1: invalid YAML: did not find expected key"},
		{"a: [1,\nb: 2\n", "t.yaml:3:1: invalid YAML: did not find expected ',' or ']'"}, // the end of the file: the list never closes
		{"a: 1\nb: [1,\nc: 2\n", "t.yaml:2:1: invalid YAML: did not find expected ',' or ']'"},
		{"a: 1\nb:\n  - x\n - y\n", "t.yaml:4:2: invalid YAML: did not find expected key"},
		{"a:\n  b:\n    c: 1\n    d: 2\n\n    e: 3\n   f: 4\n    g: 5\n", "t.yaml:7:4: invalid YAML: did not find expected key (fix: indent it to column 5 like line 3,"}, // yaml.v3 says 2:1, where the block starts
		{"a: 1\nb: 2\nc: d: e\n", "t.yaml:3:1: invalid YAML: mapping values are not allowed in this context"},
		{"a: 1\n\tb: 2\n", "t.yaml:2:1: invalid YAML: found a tab character that violates indentation"},
		{"a: 1\nb:   *nope\n", "t.yaml:2:6: invalid YAML: alias *nope refers to no anchor"},
	}
	for _, c := range cases {
		_, err := Bytes("t.yaml", []byte(c.in))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Bytes(%q) = %v, want %s...", c.in, err, c.want)
		}
	}
}

func TestFileTooLarge(t *testing.T) {
	_, err := Bytes("big.yaml", make([]byte, MaxFileBytes+1))
	if err == nil || !strings.Contains(err.Error(), "over the") {
		t.Fatalf("err = %v, want the size limit", err)
	}
}

// TestNonCatalogSnippet: a file that is one long YAML scalar (go.mod, a
// text file) is quoted with its line breaks visible, not as '?'.
func TestNonCatalogSnippet(t *testing.T) {
	_, err := Bytes("go.mod", []byte("module example.com/m\n\ngo 1.25.0\n"))
	want := `go.mod:1:1: the catalog must be a mapping, not the value "module example.com/m↵go 1.25.0"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v\nwant %s...", err, want)
	}
	if got := clip("a\r\nb\tc\x00d"); got != "a?↵b→c?d" {
		t.Errorf("clip = %q", got)
	}
}

// TestV1StarKeyIsLiteral pins the one v1 path whose meaning format v2
// changes (docs/catalog-format.md, the introduction and Paths): in v1 a
// dotted key may be *, a member literally named so; in v2 .* is a wildcard
// and a path cannot start with *, so such a catalog must quote the key
// (a['*']) when it moves to the v2 header.
func TestV1StarKeyIsLiteral(t *testing.T) {
	v1 := &builder{decoder: &decoder{file: "t.yaml"}, cat: &model.Catalog{Format: 1}}
	v2 := &builder{decoder: &decoder{file: "t.yaml"}, cat: &model.Catalog{Format: 2}}
	p, ok := v1.path(nil, "error.*")
	if !ok || len(p) != 2 || p[1].Key != "*" || p[1].Wildcard || p.String() != "error['*']" {
		t.Errorf("v1 error.* = %v (%v), want the member named * (error['*'])", p, v1.errs)
	}
	if p, ok := v2.path(nil, "error.*"); !ok || len(p) != 2 || !p[1].Wildcard {
		t.Errorf("v2 error.* = %v (%v), want a wildcard", p, v2.errs)
	}
	if q, ok := v2.path(nil, "error['*']"); !ok || q.String() != p.String() {
		t.Errorf("v2 error['*'] = %v, want the v1 path %v", q, p)
	}
	if _, ok := v1.path(nil, "*.x"); !ok {
		t.Errorf("v1 *.x refused: %v", v1.errs)
	}
	if _, ok := v2.path(nil, "*.x"); ok || !strings.Contains(v2.errs[len(v2.errs)-1].Fix, "['*']") {
		t.Errorf("v2 *.x: errors %v, want one saying to quote the key", v2.errs)
	}
}
