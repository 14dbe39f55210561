package golang

import (
	"fmt"
	"go/format"
	"strconv"
	"strings"
	"time"

	"github.com/errcat/errcat/gen/model"
)

// ExamplesTestFile is the name of the generated test that parses every
// example response of the catalog.
const ExamplesTestFile = "catalog_examples_test.go"

// examplesTest renders catalog_examples_test.go: every example of c
// through the package's Parse, checked against what the catalog says (its
// code, or none; kind and action) and what model.Evaluate reads (the retry
// delay), with no secret the example holds in anything the error prints.
// ok is false when the catalog gives no examples. Like the kit, it is Go
// text: catalog values are quoted with strconv.Quote, names come from the
// model.
func examplesTest(c *model.Catalog) (File, bool, error) {
	exs := c.Examples()
	if len(exs) == 0 {
		return File{}, false, nil
	}
	p := c.Vendor.Package
	var rows strings.Builder
	count := map[string]int{}
	for _, ex := range exs {
		name := fmt.Sprintf("status %d", ex.Status)
		code := ""
		if ex.Code != nil {
			name, code = "code "+ex.Code.Text(), ex.Code.Text()
		}
		count[name]++
		if count[name] > 1 {
			name += fmt.Sprintf(" #%d", count[name])
		}
		kind, action := c.Expected(ex)
		o := model.Evaluate(c, ex.Status, ex.Header(), []byte(ex.Body), time.Now())
		var hs []string
		for _, h := range ex.Headers {
			hs = append(hs, strconv.Quote(h.Name)+": {"+strconv.Quote(h.Value)+"}")
		}
		var secrets []string
		for _, s := range c.Secrets(ex) {
			secrets = append(secrets, strconv.Quote(s))
		}
		fmt.Fprintf(&rows, "\t\t{name: %s, status: %d, header: http.Header{%s}, body: %s, code: %s, kind: apierr.Kind%s, action: apierr.Action%s, hasDelay: %t, delay: %d, delayFromNow: %t, secrets: []string{%s}},\n",
			strconv.Quote(name), ex.Status, strings.Join(hs, ", "), strconv.Quote(ex.Body), strconv.Quote(code),
			camel(kind.String()), camel(action.String()), o.HasDelay, int64(o.Delay), o.DelayFromNow, strings.Join(secrets, ", "))
	}
	src := "// " + Header(c.Source) + "\n\npackage " + p + "_test\n" + strings.NewReplacer("PKG", p, "ROWS", rows.String(), "IMPORT", strconv.Quote(c.ImportPath), "APIERR", strconv.Quote(apierrPath)).Replace(examplesTestSource)
	out, err := format.Source([]byte(src))
	if err != nil {
		return File{}, false, fmt.Errorf("%s: rendering %s: %w", c.Source, ExamplesTestFile, err)
	}
	return File{Name: ExamplesTestFile, Content: out}, true, nil
}

const examplesTestSource = `
import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	APIERR
	IMPORT
)

// TestCatalogExamples parses every example response the catalog gives, as
// the vendor's docs show it, and checks that the error is the one the
// catalog documents (its code, or none for a status's example; its kind and
// action), carries the retry delay the response gives, and prints no secret
// the example holds: not in Error(), %v, %+v, %#v nor a slog record.
func TestCatalogExamples(t *testing.T) {
	examples := []struct {
		name         string
		status       int
		header       http.Header
		body         string
		code         string
		kind         apierr.Kind
		action       apierr.Action
		hasDelay     bool
		delay        time.Duration
		delayFromNow bool
		secrets      []string
	}{
ROWS	}
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			err := PKG.Parse(ex.status, ex.header, []byte(ex.body))
			var e *PKG.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse returned %v, want a *PKG.Error", err)
			}
			if e.HTTPStatus() != ex.status || e.ErrorCode() != ex.code {
				t.Errorf("status %d, code %q; want %d, %q", e.HTTPStatus(), e.ErrorCode(), ex.status, ex.code)
			}
			if e.Kind() != ex.kind || e.Action() != ex.action {
				t.Errorf("kind %v, action %v; want %v, %v", e.Kind(), e.Action(), ex.kind, ex.action)
			}
			d, ok := e.RetryDelay()
			if ok != ex.hasDelay || (ok && !ex.delayFromNow && d != ex.delay) {
				t.Errorf("RetryDelay() = %v, %v; want %v, %v", d, ok, ex.delay, ex.hasDelay)
			}
			var logged bytes.Buffer
			slog.New(slog.NewJSONHandler(&logged, nil)).Error("call failed", "err", e)
			printed := e.Error() + fmt.Sprintf(" %v %+v %#v %s ", e, e, e, fmt.Errorf("wrapped: %w", e)) + logged.String()
			for _, s := range ex.secrets {
				if strings.Contains(printed, s) {
					t.Errorf("a secret of the example is printed: %s", printed)
				}
			}
		})
	}
}
`
