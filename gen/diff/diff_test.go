package diff

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func mustLoad(t *testing.T, name string, src []byte) *model.Catalog {
	t.Helper()
	c, err := load.Bytes(name, src)
	if err != nil {
		t.Fatalf("%s does not load:\n%v", name, err)
	}
	return c
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ids(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// goldenReport compares testdata/old.yaml with testdata/new.yaml, a pair
// holding every change class a two-sided comparison can find.
func goldenReport(t *testing.T, ck *Checker) *Report {
	old := mustLoad(t, "testdata/old.yaml", readFile(t, "testdata/old.yaml"))
	new := mustLoad(t, "testdata/new.yaml", readFile(t, "testdata/new.yaml"))
	return &Report{Catalogs: []*CatalogDiff{NewCatalogDiff("testdata/old.yaml", old, "testdata/new.yaml", new, ck)}}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readFile(t, path)
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./gen/diff -update and review the diff):\n%s", name, got)
	}
}

// TestGolden renders the golden pair in every format.
func TestGolden(t *testing.T) {
	r := goldenReport(t, NewChecker())
	if r.Catalogs[0].API == nil {
		t.Fatalf("no Go API impact: %s", r.Catalogs[0].APIError)
	}
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Write(&b, f, r); err != nil {
			t.Fatal(err)
		}
		ext := map[string]string{"text": "txt", "markdown": "md", "json": "json", "github": "github.txt"}[f]
		checkGolden(t, "golden."+ext, b.Bytes())
	}
}

// TestEveryClassFound: the golden pair and the one-sided cases together
// produce every change class, so the golden files show each one.
func TestEveryClassFound(t *testing.T) {
	r := goldenReport(t, nil)
	found := map[string]bool{}
	for _, c := range r.Catalogs[0].Changes {
		found[c.ID] = true
	}
	old := mustLoad(t, "old.yaml", readFile(t, "testdata/old.yaml"))
	for _, c := range Compare(old, nil) {
		found[c.ID] = true
	}
	for _, c := range Compare(nil, old) {
		found[c.ID] = true
	}
	str := mustLoad(t, "str.yaml", []byte(stringCodes))
	for _, c := range Compare(old, str) {
		found[c.ID] = true
	}
	for _, c := range Compare(str, old) { // the warnings and batch sections appear
		found[c.ID] = true
	}
	for _, id := range ClassIDs() {
		if !found[id] {
			t.Errorf("no test pair produces change class %s", id)
		}
	}
}

const stringCodes = `format: errcat/v1
vendor: {id: acme, name: Acme, package: acme, docs: ["https://acme.example/errors"], description: "Acme's API.", docs_revision: "2025-01-01"}
statuses:
  - {status: 400, name: bad request, description: Bad input., kind: bad_request, action: fix_request}
codes:
  type: string
  items:
    - {code: retired, status: 400, description: Going away.}
`

// TestSeverities pins the severity of the classes the issue names, so a
// change of policy is a visible decision.
func TestSeverities(t *testing.T) {
	for id, want := range map[string]Severity{
		"code-removed": Breaking, "status-removed": Breaking, "class-removed": Breaking,
		"code-status-changed": Breaking, "kind-changed": Warning, "action-changed": Warning,
		"retry-lost": Breaking, "retry-gained": Warning, "reauth-lost": Breaking, "reauth-gained": Warning,
		"delay-removed": Warning, "delay-changed": Warning, "body-content-changed": Breaking,
		"field-path-changed": Warning, "field-type-changed": Breaking, "sensitive-removed": Breaking,
		"header-removed": Breaking, "deprecation-added": Warning, "code-added": Info, "status-added": Info,
		"field-added": Info, "vendor-metadata-changed": Info, "description-changed": Info,
	} {
		got, security, _, ok := ClassSeverity(id)
		if !ok || got != want {
			t.Errorf("%s: severity %v (known %v), want %v", id, got, ok, want)
		}
		if security != (id == "sensitive-removed") {
			t.Errorf("%s: security %v", id, security)
		}
	}
}

// TestReorderIsNoChange: the same catalog with its entries reordered, its
// flow and block styles swapped and comments added compares equal, Go API
// included.
func TestReorderIsNoChange(t *testing.T) {
	a := mustLoad(t, "a.yaml", []byte(`format: errcat/v1
vendor: {id: acme, name: Acme, package: acme, docs: ["https://acme.example/errors"], description: d, docs_revision: r}
statuses:
  - {status: 4XX, name: client error, description: d, kind: bad_request, action: fix_request}
  - {status: 400, name: bad request, description: d}
  - {status: 404, name: not found, description: d}
codes:
  type: integer
  items:
    - {code: 1, name: one, status: 400, description: d}
    - {code: 2, name: two, status: 404, description: d}
headers:
  - {header: X-A, name: a}
  - {header: X-B, name: b}
bodies:
  - {name: e, description: d, fields: [{name: code, path: code, type: integer, role: code}, {name: x, path: x, type: string}]}
  - {name: t, description: d, statuses: [5XX], content: text}
retry:
  delays: [{header: Retry-After, format: retry_after}, {header: X-Reset, format: epoch_seconds}]
`))
	b := mustLoad(t, "b.yaml", []byte(`# reordered, restyled, commented
format: errcat/v1
vendor:
  id: acme   # the id
  name: Acme
  package: acme
  docs:
    - https://acme.example/errors
  description: d
  docs_revision: r
statuses:
  - status: 404
    name: not found
    description: d
  - {status: 400, name: bad request, description: d}
  - {status: 4xx, name: client error, description: d, kind: bad_request, action: fix_request}
codes:
  type: integer
  items:
    - {code: 2, name: two, status: 404, description: d}
    - {code: 1, name: one, status: 400, description: d}
headers:
  - {header: x-b, name: b}
  - {header: x-a, name: a}
bodies:
  - {name: e, description: d, fields: [{name: code, path: code, type: integer, role: code}, {name: x, path: x, type: string}]}
  - {name: t, description: d, statuses: [5XX], content: text}
retry:
  delays: [{header: X-Reset, format: epoch_seconds}, {header: retry-after, format: retry_after}]
`))
	if cs := Compare(a, b); len(cs) != 0 {
		t.Errorf("reordering reported changes: %v", ids(cs))
	}
}

// TestSchemaListsEveryClass checks that docs/diff.schema.json's enum of
// change ids is every class, and nothing else. Reports are validated
// against the schema in internal/devtest/schema.
func TestSchemaListsEveryClass(t *testing.T) {
	var s struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(readFile(t, "../../docs/diff.schema.json"), &s); err != nil {
		t.Fatal(err)
	}
	enum := s.Defs["change"].Properties["id"].Enum
	slices.Sort(enum)
	if !slices.Equal(enum, ClassIDs()) {
		t.Errorf("schema ids %v\nclasses   %v", enum, ClassIDs())
	}
}

// TestDocsListEveryClass keeps docs/diff.md's table in step with the code.
func TestDocsListEveryClass(t *testing.T) {
	doc := string(readFile(t, "../../docs/diff.md"))
	for _, id := range ClassIDs() {
		sev, _, _, _ := ClassSeverity(id)
		if !strings.Contains(doc, "| `"+id+"` | "+sev.String()) {
			t.Errorf("docs/diff.md lacks the row | `%s` | %s", id, sev)
		}
	}
}

func TestFingerprintsStable(t *testing.T) {
	r1 := goldenReport(t, nil)
	// The same changes, with the new catalog's entries shifted down by
	// three lines: positions move, fingerprints do not.
	old := mustLoad(t, "old.yaml", readFile(t, "testdata/old.yaml"))
	new := mustLoad(t, "new.yaml", append([]byte("# a\n# b\n# c\n"), readFile(t, "testdata/new.yaml")...))
	cs := Compare(old, new)
	seen := map[string]bool{}
	for i, c := range r1.Catalogs[0].Changes {
		if cs[i].Fingerprint != c.Fingerprint || cs[i].Pos.Line != c.Pos.Line+3 {
			t.Errorf("change %d: %s at %d vs %s at %d", i, c.Fingerprint, c.Pos.Line, cs[i].Fingerprint, cs[i].Pos.Line)
		}
		if seen[c.Fingerprint] {
			t.Errorf("two changes share fingerprint %s", c.Fingerprint)
		}
		seen[c.Fingerprint] = true
	}
}

func TestIgnore(t *testing.T) {
	r := goldenReport(t, nil)
	var fps []string
	for _, c := range r.Catalogs[0].Changes {
		if c.Severity == Breaking {
			fps = append(fps, c.Fingerprint)
		}
	}
	var file strings.Builder
	file.WriteString("# accepted in review\n\n")
	for _, fp := range fps {
		file.WriteString(fp + "\tvendor renamed everything\n")
	}
	accept, err := ParseIgnore("ignore.txt", []byte(file.String()))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Fails(Breaking) {
		t.Fatal("golden pair has no breaking change")
	}
	r.Ignore(accept)
	if r.Fails(Breaking) || !r.Fails(Warning) || len(r.Ignored) != len(fps) {
		t.Errorf("after ignoring %d breaking changes: fails breaking %v, warning %v, %d ignored", len(fps), r.Fails(Breaking), r.Fails(Warning), len(r.Ignored))
	}
	for _, bad := range []struct{ src, want string }{
		{"xyz reason\n", `ignore.txt:1:1: "xyz" is not a change fingerprint`},
		{"# c\n0123456789abcdef\n", "ignore.txt:2:17: fingerprint 0123456789abcdef has no reason"},
	} {
		if _, err := ParseIgnore("ignore.txt", []byte(bad.src)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.src, err, bad.want)
		}
	}
}
