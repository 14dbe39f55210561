package golang

import (
	"fmt"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/load"
)

// manyCodesAndBodies is a catalog (about 300 KB for 4,000 and 400) whose
// codes all come with 400 but the last, with 409, and whose JSON body
// formats can carry no code but the last, which applies to 409 only: the
// worst case for choosing a sample body by trying codes against formats.
func manyCodesAndBodies(codes, bodies int) string {
	var src strings.Builder
	src.WriteString("format: errcat/v1\nvendor: {id: many, name: Many, package: many, docs: [\"https://example.com\"], description: d, docs_revision: r}\n")
	src.WriteString("statuses:\n  - {status: 4XX, name: client error, description: d, kind: bad_request, action: fix_request}\n  - {status: 400, name: bad request, description: d}\n  - {status: 409, name: conflict, description: d}\n")
	src.WriteString("codes:\n  type: integer\n  items:\n")
	for i := 0; i < codes; i++ {
		status := 400
		if i == codes-1 {
			status = 409
		}
		fmt.Fprintf(&src, "    - {code: %d, name: code %d, status: %d, description: d, action: retry_backoff}\n", i, i, status)
	}
	src.WriteString("bodies:\n")
	for i := 0; i < bodies-1; i++ {
		fmt.Fprintf(&src, "  - name: body %d\n    description: d\n    fields:\n      - {name: msg, path: m%d, type: string, role: message}\n", i, i)
	}
	src.WriteString("  - name: coded\n    description: d\n    statuses: [409]\n    fields:\n      - {name: code, path: c, type: integer, role: code}\n")
	return src.String()
}

// BenchmarkPickSample chooses (model.Catalog.Showcase) the examples' sample in the worst-case
// catalog of 4,000 codes and 400 body formats: trying every code against
// every format took about 3 s here (issue 18, item 5); trying each status
// once is linear in codes.
func BenchmarkPickSample(b *testing.B) {
	c, err := load.Bytes("many.yaml", []byte(manyCodesAndBodies(4000, 400)))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if s := c.Showcase(); s == nil || s.Code == nil || s.Code.Status.Code != 409 {
			b.Fatal("no sample with a code")
		}
	}
}
