package golang_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/internal/synth"
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

// TestVetTextsStayShallow: a large catalog's ErrcatTexts is parenthesised
// groups, so that no chain of + is long (gofmt takes time quadratic in
// one), and its value is still every line in order.
func TestVetTextsStayShallow(t *testing.T) {
	c, err := load.Bytes("scale.yaml", synth.Catalog(1000))
	if err != nil {
		t.Fatal(err)
	}
	files, err := golang.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	af, err := parser.ParseFile(token.NewFileSet(), "errors.go", files[0].Content, 0)
	if err != nil {
		t.Fatal(err)
	}
	var value *ast.BinaryExpr
	ast.Inspect(af, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && vs.Names[0].Name == "ErrcatTexts" {
			value, _ = vs.Values[0].(*ast.BinaryExpr)
		}
		return value == nil
	})
	if value == nil {
		t.Fatal("no ErrcatTexts in errors.go")
	}
	var text strings.Builder
	longest := 0
	var walk func(e ast.Expr, chain int)
	walk = func(e ast.Expr, chain int) {
		switch e := e.(type) {
		case *ast.BinaryExpr:
			longest = max(longest, chain+1)
			walk(e.X, chain+1)
			walk(e.Y, 0)
		case *ast.ParenExpr:
			walk(e.X, 0)
		case *ast.BasicLit:
			s, err := strconv.Unquote(e.Value)
			if err != nil {
				t.Fatal(err)
			}
			text.WriteString(s)
		default:
			t.Fatalf("unexpected %T in ErrcatTexts", e)
		}
	}
	walk(value, 0)
	if longest > 100 {
		t.Errorf("ErrcatTexts has a chain of %d +, want at most 100", longest)
	}
	lines := strings.Split(strings.TrimSuffix(text.String(), "\n"), "\n")
	// the header, the six statuses with sentinels, the thousand codes
	if lines[0] != "errcat-texts/v1" || len(lines) != 1+6+1000 || lines[len(lines)-1] != `SyntheticError999`+"\t"+strconv.Quote("Synthetic error number 999, documented for the benchmark.") {
		t.Errorf("ErrcatTexts has %d lines, from %q to %q", len(lines), lines[0], lines[len(lines)-1])
	}
}
