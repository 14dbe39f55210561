package load

import (
	"testing"

	"github.com/errcat/errcat/gen/model"
)

// TestPositions checks that entries carry the line and column where they
// start, which errcat diff prints for each change.
func TestPositions(t *testing.T) {
	src := `format: errcat/v1
vendor:
  id: acme
  name: Acme
  package: acme
  docs: [https://acme.example/errors]
  description: Acme's API.
  docs_revision: "2025-01-01"
statuses:
  - {status: 4XX, name: client error, description: d, kind: bad_request, action: fix_request}
  - status: 404
    name: not found
    description: d
codes:
  type: integer
  items:
    - {code: 7, name: gone, status: 404, description: d}
headers:
  - header: X-Request-Id
bodies:
  - name: envelope
    description: d
    fields:
      - {name: code, path: code, type: integer, role: code}
      - {name: wait, path: wait, type: integer}
retry:
  delays:
    - {field: wait, format: seconds}
`
	c, err := Bytes("acme.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what      string
		got, want model.Pos
	}{
		{"vendor", c.Vendor.Pos, model.Pos{Line: 3, Col: 3}},
		{"class", c.Statuses[0].Pos, model.Pos{Line: 10, Col: 5}},
		{"status", c.Statuses[1].Pos, model.Pos{Line: 11, Col: 5}},
		{"code", c.Codes[0].Pos, model.Pos{Line: 17, Col: 7}},
		{"header", c.Headers[0].Pos, model.Pos{Line: 19, Col: 5}},
		{"body", c.Bodies[0].Pos, model.Pos{Line: 21, Col: 5}},
		{"field", c.Bodies[0].Fields[1].Pos, model.Pos{Line: 25, Col: 9}},
		{"retry", c.Retry.Pos, model.Pos{Line: 27, Col: 3}},
		{"delay", c.Retry.Delays[0].Pos, model.Pos{Line: 28, Col: 7}},
	} {
		if tc.got != tc.want {
			t.Errorf("%s at %v, want %v", tc.what, tc.got, tc.want)
		}
	}
}
