package model_test

import (
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/model"
)

const problemCatalog = `format: errcat/v2
vendor: {id: p, name: P, package: p, docs: ["https://example.com"], description: d, docs_revision: r}
statuses:
  - {status: 403, name: forbidden, description: d, kind: permission_denied, action: fix_request}
codes:
  type: string
  items:
    - {code: out-of-credit, name: out of credit, status: 403, description: d}
bodies:
  - {name: problem, description: d, preset: problem_details, code_from: last_segment}
  - {name: gateway, description: d, content: xml, fields: [{name: code, path: Error.Code, type: string, role: code}]}
`

// The package examples parse the showcased sample without headers, so the
// showcase never picks a format that needs a media type.
func TestShowcaseSkipsMediaTypeFormats(t *testing.T) {
	c, err := load.Bytes("p.yaml", []byte(problemCatalog))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Showcase()
	if s == nil || s.Code != nil || strings.Contains(s.Body, "type") {
		t.Fatalf("showcase %+v", s)
	}
	if o := model.Evaluate(c, s.Status.Code, nil, []byte(s.Body), time.Time{}); o.HasCode {
		t.Errorf("showcase body yields code %q", o.Code)
	}
}

// A sample of an XML format is XML the parser reads back, and a Problem
// Details sample without a code has type about:blank.
func TestSampleBodyXMLAndProblem(t *testing.T) {
	c, err := load.Bytes("p.yaml", []byte(problemCatalog))
	if err != nil {
		t.Fatal(err)
	}
	body, _, ok := model.SampleBody(c.Bodies[1], c.Codes[0])
	if !ok || body != "<Error><Code>out-of-credit</Code></Error>" {
		t.Fatalf("XML sample %q %v", body, ok)
	}
	if o := model.Evaluate(c, 403, nil, []byte(body), time.Time{}); o.Format != "gateway" || o.Code != "out-of-credit" {
		t.Errorf("XML sample read back as %+v", o)
	}
	body, _, _ = model.SampleBody(c.Bodies[0], nil)
	if !strings.Contains(body, `"type":"about:blank"`) {
		t.Errorf("problem sample %q", body)
	}
}
