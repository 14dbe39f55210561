package diff

import (
	"slices"
	"strings"
	"testing"
)

const pathsBase = `format: errcat/v2
vendor: {id: acme, name: Acme, package: acme, docs: "https://acme.example/", description: d, docs_revision: "1"}
statuses:
  - {status: 400, name: bad request, description: Bad., kind: bad_request, action: fix_request}
bodies:
  - name: envelope
    description: Errors.
    content: json
    fields:
      - {name: message, path: "message", join: "; ", role: message}
      - {name: messages, path: "message", type: list, of: string}
      - name: field errors
        path: "errors.*[*]"
        type: list
        item: field error
        fields:
          - {name: field, from: key}
          - {name: text, from: value}
`

// TestPathV2Changes: format v2's join, of and from are compared, and a
// path respelled to the same canonical form is no change.
func TestPathV2Changes(t *testing.T) {
	old := mustLoad(t, "old.yaml", []byte(pathsBase))
	for _, tc := range []struct {
		name     string
		from, to string
		want     []string
	}{
		{"respelled", `path: "errors.*[*]"`, `path: "errors[*].*"`, nil},
		{"join", `join: "; "`, `join: ", "`, []string{"field-path-changed"}},
		{"elem", "of: string", "of: integer", []string{"field-type-changed"}},
		{"from", "{name: field, from: key}", "{name: field, path: field}", []string{"field-path-changed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(pathsBase, tc.from) {
				t.Fatalf("base lacks %q", tc.from)
			}
			n := mustLoad(t, "new.yaml", []byte(strings.Replace(pathsBase, tc.from, tc.to, 1)))
			if got := ids(Compare(old, n)); !slices.Equal(got, tc.want) {
				t.Errorf("classes %v, want %v", got, tc.want)
			}
		})
	}
}
