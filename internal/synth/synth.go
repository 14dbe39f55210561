// Package synth makes synthetic catalogs of any size for errcat's scale
// benchmarks and tests.
package synth

import (
	"fmt"
	"strings"
)

// Catalog returns a catalog of n integer codes spread over a few
// statuses, with a JSON envelope, the shape of a big real vendor.
func Catalog(n int) []byte {
	var b strings.Builder
	b.WriteString(`format: errcat/v1
vendor:
  id: scale
  name: Scale
  package: scale
  docs: [https://example.com/scale]
  description: A synthetic vendor for benchmarks.
  docs_revision: bench
statuses:
  - {status: 4XX, name: client error, description: Client error., kind: bad_request, action: fix_request}
  - {status: 5XX, name: server error, description: Server error., kind: internal, action: retry_backoff}
  - {status: 400, name: bad request, description: Bad request.}
  - {status: 404, name: not found, description: Not found., kind: not_found}
  - {status: 429, name: too many requests, description: Slow down., kind: rate_limited, action: retry_after}
  - {status: 500, name: internal, description: Internal error.}
codes:
  type: integer
  items:
`)
	statuses := []int{400, 404, 429, 500}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    - {code: %d, name: synthetic error %d, status: %d, description: \"Synthetic error number %d, documented for the benchmark.\"}\n",
			100000+i, i, statuses[i%len(statuses)], i)
	}
	b.WriteString(`bodies:
  - name: envelope
    description: JSON envelope.
    content: json
    fields:
      - {name: code, path: error.code, type: integer, role: code}
      - {name: message, path: [error.message, message], type: string, role: message}
      - {name: request id, path: request_id, type: string}
retry:
  delays:
    - {header: Retry-After, format: retry_after}
`)
	return []byte(b.String())
}
