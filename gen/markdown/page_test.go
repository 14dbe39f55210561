package markdown_test

import (
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/markdown"
)

const pageVendor = `format: errcat/v2
vendor: {id: tiny, name: Tiny, package: tiny, docs: https://tiny.example/, description: Tiny., docs_revision: "1"}
statuses:
  - {status: 200, name: ok, description: OK., kind: ok, action: none}
  - {status: 400, name: bad request, description: Bad., kind: bad_request, action: fix_request}
codes:
  type: string
  items:
    - {code: BAD, status: 400, description: Bad.}
`

func page(t *testing.T, src string) string {
	t.Helper()
	c, err := load.Bytes("tiny.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tm, err := markdown.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := tm.Vendor(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestPageRetryPolicyIsComplete: the page's retry policy names what a
// deciding code set and a success format's kind and action retry, says
// what a present: true error_when tests and what a codeless error in it
// is, offers WithReauthenticate only where something re-authenticates,
// and claims nothing the vendor did not say about messages.
func TestPageRetryPolicyIsComplete(t *testing.T) {
	src := pageVendor + `code_sets:
  - name: error type
    description: The type.
    decides: true
    items:
      - {code: api_error, description: Transient., kind: internal, action: retry_backoff}
      - {code: auth_error, description: Expired., kind: unauthenticated, action: reauthenticate}
bodies:
  - name: error
    description: Errors.
    fields:
      - {name: code, path: error.code, type: string, role: code}
      - {name: error type, path: error.type, type: string, role: subcode, set: error type}
  - name: graphql
    description: GraphQL.
    statuses: [200]
    error_when: {path: errors, present: true}
    kind: internal
    action: retry_backoff
    fields:
      - {name: gql code, path: "errors[0].code", type: string, role: code}
`
	out := page(t, src)
	for _, want := range []string{
		"within the rules below: error type `api_error`, errors without a listed code in format `graphql`.",
		"Retried once after re-authentication: error type `auth_error`.",
		"when `errors` is present and not null; one whose code the catalog does not list is internal, retry_backoff.",
		"apierr.WithReauthenticate(refreshToken)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"equals ``", "The vendor says"} {
		if strings.Contains(out, bad) {
			t.Errorf("page says %q", bad)
		}
	}
	if out := page(t, pageVendor); strings.Contains(out, "WithReauthenticate") {
		t.Errorf("a catalog where nothing re-authenticates shows WithReauthenticate:\n%s", out)
	}
}
