package golang_test

import (
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/load"
)

const parseTestVendor = `format: errcat/v2
vendor: {id: tiny, name: Tiny, package: tiny, docs: https://tiny.example/, description: Tiny., docs_revision: "1"}
statuses:
  - {status: 500, name: internal server error, description: Internal., kind: internal, action: retry_backoff}
codes:
  type: string
  items:
    - {code: BOOM, status: 500, description: Boom.}
`

// generateParse loads src, generates it with an import path, type-checks
// the package and returns parse.go.
func generateParse(t *testing.T, src string) string {
	t.Helper()
	c, err := load.Bytes("tiny.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c = withImport(c)
	c.TestKit = true
	files, err := golang.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	checker.check(t, c, files)
	for _, f := range files {
		if f.Name == "parse.go" {
			return string(f.Content)
		}
	}
	t.Fatal("no parse.go")
	return ""
}

// TestXMLOnlyCatalog: a catalog whose only body format is XML, without
// secrets, compiles (parse once declared a JSON document it never used)
// and decodes no JSON.
func TestXMLOnlyCatalog(t *testing.T) {
	src := parseTestVendor + `bodies:
  - name: error
    description: S3-style.
    content: xml
    fields:
      - {name: code, path: Error.Code, type: string, role: code}
      - {name: message, path: Error.Message, type: string, role: message}
`
	parse := generateParse(t, src)
	if strings.Contains(parse, "DecodeObject") {
		t.Errorf("an XML-only catalog without secrets decodes JSON:\n%s", parse)
	}
	// With a secret, the XML document is scrubbed through doc, and a JSON
	// body the fallback shows is redacted: it still decodes JSON.
	parse = generateParse(t, src+"      - {name: token, path: Error.Token, type: secret}\n")
	if !strings.Contains(parse, "DecodeObject(body)") {
		t.Errorf("an XML-only catalog with secrets no longer decodes JSON for the fallback:\n%s", parse)
	}
}

// TestMayReportErrorTestsEachStatusOnce: two success formats at the same
// status make one test of it, not "status == 200 || status == 200", which
// go vet reports as a redundant or.
func TestMayReportErrorTestsEachStatusOnce(t *testing.T) {
	src := parseTestVendor + `bodies:
  - name: graphql
    description: GraphQL errors.
    statuses: [200, 201]
    error_when: {path: errors, non_empty: true}
    fields:
      - {name: code, path: "errors[0].extensions.code", type: string, role: code}
  - name: user errors
    description: Mutation user errors.
    statuses: [200]
    error_when: {path: "data.*.userErrors", non_empty: true}
    fields:
      - {name: user code, path: "data.*.userErrors[0].code", type: string, role: code}
`
	parse := generateParse(t, src)
	_, fn, _ := strings.Cut(parse, "func mayReportError(status int) bool {")
	fn, _, _ = strings.Cut(fn, "}")
	if got, want := strings.TrimSpace(fn), "return status == 200 || status == 201"; got != want {
		t.Errorf("mayReportError: %q, want %q", got, want)
	}
}

// TestExamplePolicyReauthenticatesOnlyWhereAsked: ExamplePolicy shows
// WithReauthenticate only for a catalog where some error asks for it.
func TestExamplePolicyReauthenticatesOnlyWhereAsked(t *testing.T) {
	example := func(src string) string {
		t.Helper()
		c, err := load.Bytes("tiny.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		files, err := golang.Generate(withImport(c))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.Name == "example_test.go" {
				_, after, _ := strings.Cut(string(f.Content), "func ExamplePolicy()")
				return after
			}
		}
		t.Fatal("no example_test.go")
		return ""
	}
	if got := example(parseTestVendor); strings.Contains(got, "WithReauthenticate") {
		t.Errorf("no error re-authenticates, yet ExamplePolicy shows WithReauthenticate:\n%s", got)
	}
	reauth := strings.Replace(parseTestVendor, "{code: BOOM, status: 500, description: Boom.}", "{code: BOOM, status: 500, description: Boom., kind: unauthenticated, action: reauthenticate}", 1)
	if got := example(reauth); !strings.Contains(got, "apierr.WithReauthenticate(refresh)") {
		t.Errorf("code BOOM re-authenticates, yet ExamplePolicy lacks WithReauthenticate:\n%s", got)
	}
}
