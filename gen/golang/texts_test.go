package golang_test

import (
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/load"
)

// TestTextsReadWell reads generated doc comments and error texts as a user
// would: no "every an Acme error", no `"Not found.".`, sentinel texts that
// say what the code is once, and deprecations that name the Go identifiers
// of the code to use instead.
func TestTextsReadWell(t *testing.T) {
	src := `format: errcat/v1
vendor: {id: ledgerly, name: Acme Ledger, package: ledgerly, docs: https://example.com/e, description: "Ledger.", docs_revision: "1"}
statuses:
  - {status: 4XX, name: client error, description: "Client error.", kind: bad_request, action: fix_request}
  - {status: 404, name: not found, description: "Not found."}
  - {status: 429, name: too many requests, description: "Slow down", kind: rate_limited, action: retry_after}
codes:
  type: string
  items:
    - {code: invoice_not_found, status: 404, description: "No such invoice."}
    - {code: rate_limited, status: 429, description: "Too many requests!"}
    - {code: slow_down, status: 429, description: "Old name.", deprecated: "use rate_limited"}
    - {code: E42, name: ledger locked, status: 429, description: "Locked", deprecated: "see rate_limited or invoice_not_found."}
`
	c, err := load.Bytes("ledgerly.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	files, err := golang.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	var all string
	for _, f := range files {
		all += string(f.Content)
	}
	for _, bad := range []string{"every a ", "every an ", `.".`, `!".`, "code invoice_not_found InvoiceNotFound", "(invoice not found)"} {
		if strings.Contains(all, bad) {
			t.Errorf("generated code contains %q", bad)
		}
	}
	for _, want := range []string{
		"// ErrClientError matches every Acme Ledger error with a 4XX status.",
		"// StatusNotFound is HTTP 404: \"Not found.\"\n",
		"// StatusTooManyRequests is HTTP 429: \"Slow down\".\n",
		`ErrInvoiceNotFound = errors.New("ledgerly: code invoice_not_found")`,
		`ErrLedgerLocked = errors.New("ledgerly: code E42 (ledger locked)")`,
		`ErrNotFound = errors.New("ledgerly: HTTP 404 (not found)")`,
		`ErrClientError = errors.New("ledgerly: 4XX status (client error)")`,
		"// Deprecated: use rate_limited. Use CodeRateLimited instead.\n\tCodeSlowDown",
		"// Deprecated: use rate_limited. Use ErrRateLimited instead.\n\tErrSlowDown",
		"// Deprecated: use rate_limited. Use IsRateLimited instead.\nfunc IsSlowDown",
		"// Deprecated: see rate_limited or invoice_not_found. See CodeInvoiceNotFound\n\t// and CodeRateLimited.",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("generated code lacks %q", want)
		}
	}
}
