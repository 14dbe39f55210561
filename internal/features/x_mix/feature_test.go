package xmix_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/features/x_mix"
	"github.com/errcat/errcat/internal/features/x_mix/xmixtest"
)

// parse parses one response and returns its typed error.
func parse(t *testing.T, status int, header http.Header, body string) *xmix.Error {
	t.Helper()
	var e *xmix.Error
	if !errors.As(xmix.Parse(status, header, []byte(body)), &e) {
		t.Fatalf("Parse(%d, %q) is no *xmix.Error", status, body)
	}
	return e
}

func ct(t string) http.Header { return http.Header{"Content-Type": {t}} }

// TestProblemDetailsUnderStatusPrecedence: a Problem Details code read from
// the type URI decides at the statuses it is listed with, and the status
// decides elsewhere (codes.precedence: status).
func TestProblemDetailsUnderStatusPrecedence(t *testing.T) {
	const quota = `{"type": "https://example.com/probs/quota", "title": "Quota", "status": 429}`
	at429 := parse(t, 429, ct("application/problem+json"), quota)
	at503 := parse(t, 503, ct("application/problem+json"), quota)
	for _, e := range []*xmix.Error{at429, at503} {
		if e.Format != "problem" || e.Code != xmix.CodeQuota || !errors.Is(e, xmix.ErrQuota) || e.ProblemStatus != 429 {
			t.Errorf("%d: format %q, code %q, problem status %d", e.Status, e.Format, e.Code, e.ProblemStatus)
		}
	}
	if at429.Kind() != apierr.KindRateLimited || at429.Action() != apierr.ActionRetryAfter {
		t.Errorf("429: %v %v, want the code's rate_limited retry_after", at429.Kind(), at429.Action())
	}
	if at503.Kind() != apierr.KindInternal || at503.Action() != apierr.ActionRetryBackoff {
		t.Errorf("503: %v %v, want the 5XX status's internal retry_backoff", at503.Kind(), at503.Action())
	}
	// Without its media type the body is not a problem: the JSON format
	// reads no code from it.
	if e := parse(t, 429, ct("application/json"), quota); e.Format != "api" || e.HasCode {
		t.Errorf("plain JSON problem: format %q, code %q", e.Format, e.Code)
	}
}

// TestComposedXMLCode: an XML format's code composed from two elements,
// redaction of an XML element, and the format chosen by media type only.
func TestComposedXMLCode(t *testing.T) {
	const body = `<Error><Prefix>gw</Prefix><Code>denied</Code><Message>Denied for session s3cr3t-session.</Message><Session>s3cr3t-session</Session></Error>`
	e := parse(t, 403, ct("application/xml"), body)
	if e.Format != "gateway" || e.Code != xmix.CodeGatewayDenied || !xmix.IsGatewayDenied(e) || e.Kind() != apierr.KindPermissionDenied {
		t.Errorf("format %q code %q kind %v", e.Format, e.Code, e.Kind())
	}
	if strings.Contains(e.Error(), "s3cr3t") || strings.Contains(fmt.Sprint(e.LogValue()), "s3cr3t") {
		t.Errorf("the session echoed in the message is printed: %s", e.Error())
	}
	// A part missing: no code rather than half of one.
	if e := parse(t, 403, ct("application/xml"), `<Error><Code>denied</Code></Error>`); e.HasCode {
		t.Errorf("code %q from one part of two", e.Code)
	}
	// The same body as text/xml is no documented format: it is withheld
	// (it names a secret element) or kept as text, never parsed.
	if e := parse(t, 403, ct("text/xml"), body); e.Format != "" || strings.Contains(e.Error(), "s3cr3t") {
		t.Errorf("text/xml: format %q, %s", e.Format, e.Error())
	}
}

// TestWildcardSubcode: a code set's value read through a wildcard path is
// the first match, whether or not the set lists it.
func TestWildcardSubcode(t *testing.T) {
	e := parse(t, 400, nil, `{"error": {"code": "invalid", "details": [{"other": 1}, {"reason": "TOO_FAST"}, {"reason": "NO_PLAN"}]}}`)
	if !e.HasReason || e.Reason != xmix.ReasonTooFast || !errors.Is(e, xmix.ErrReasonTooFast) || errors.Is(e, xmix.ErrReasonNoPlan) {
		t.Errorf("reason %q (%v)", e.Reason, e.HasReason)
	}
	if e := parse(t, 400, nil, `{"error": {"code": "invalid", "details": []}}`); e.HasReason {
		t.Errorf("reason %q from no detail", e.Reason)
	}
}

// TestConditionalDelayOnDoNotRetry: the 402 status's delay source applies
// only when its condition holds; its min_delay applies otherwise; the
// do_not_retry action still reports the delay (when to send again).
func TestConditionalDelayOnDoNotRetry(t *testing.T) {
	h := http.Header{"X-Quota-Reset": {"60"}, "X-Quota-Remaining": {"0"}}
	e := parse(t, 402, h, `{"error": {"message": "Quota spent."}}`)
	if d, ok := apierr.RetryDelay(e); !ok || d != time.Minute || apierr.IsRetryable(e) || e.Action() != apierr.ActionDoNotRetry {
		t.Errorf("402 with its condition: delay %v %v, action %v", d, ok, e.Action())
	}
	h.Set("X-Quota-Remaining", "5")
	if d, ok := apierr.RetryDelay(parse(t, 402, h, `{}`)); !ok || d != time.Second {
		t.Errorf("402 without its condition: delay %v %v, want the 1s minimum", d, ok)
	}
	// A code listed with the class 4XX decides at 402 (precedence: status
	// lets a code decide at the statuses it is listed with, a class
	// included): fix_request, whose delay apierr.RetryDelay drops.
	if e := parse(t, 402, h, `{"error": {"code": "invalid"}}`); e.Action() != apierr.ActionFixRequest {
		t.Errorf("402 with code invalid: action %v", e.Action())
	} else if _, ok := apierr.RetryDelay(e); ok {
		t.Errorf("402 with code invalid reports a delay for fix_request")
	}
	// The same headers on a 429 are not the source's: Retry-After is.
	h.Set("X-Quota-Remaining", "0")
	h.Set("Retry-After", "7")
	if d, ok := apierr.RetryDelay(parse(t, 429, h, `{}`)); !ok || d != 7*time.Second {
		t.Errorf("429: delay %v %v, want Retry-After's 7s", d, ok)
	}
}

// TestBatchItemsMixFormats: each batch item picks its format by its own
// media type, carries its own subcode and its own conditional delay, and a
// secret one item holds is printed by no item.
func TestBatchItemsMixFormats(t *testing.T) {
	body := `{"responses": [
	  {"id": "a", "status": 429, "headers": {"Content-Type": "application/problem+json", "Retry-After": "3"}, "body": {"type": "https://example.com/probs/quota", "detail": "key k3y-v4lue-123 is over quota"}},
	  {"id": "b", "status": 403, "headers": {"content-type": "application/xml"}, "body": "<Error><Prefix>gw</Prefix><Code>denied</Code></Error>"},
	  {"id": "c", "status": 400, "body": {"error": {"code": "invalid", "api_key": "k3y-v4lue-123", "details": [{"reason": "NO_PLAN"}]}}},
	  {"id": "d", "status": 402, "headers": {"X-Quota-Reset": "60", "X-Quota-Remaining": "0"}, "body": {"error": {"code": "invalid"}}},
	  {"id": "e", "status": 200, "body": {"ok": true}}
	]}`
	items, err := xmix.ParseBatchErrors(200, ct("application/json"), []byte(body))
	if err != nil || len(items) != 4 {
		t.Fatalf("ParseBatchErrors = %v, %v; want 4 items", items, err)
	}
	want := []struct {
		id, format string
		code       xmix.Code
		delay      time.Duration
	}{
		{"a", "problem", xmix.CodeQuota, 3 * time.Second},
		{"b", "gateway", xmix.CodeGatewayDenied, 0},
		{"c", "api", xmix.CodeInvalid, 0},
		{"d", "api", xmix.CodeInvalid, time.Minute},
	}
	for i, w := range want {
		it := items[i]
		var e *xmix.Error
		if !errors.As(it, &e) || it.ID != w.id || e.Format != w.format || e.Code != w.code {
			t.Errorf("item %d: id %q, %#v; want %s in format %s", i, it.ID, e, w.code, w.format)
			continue
		}
		if d, _ := e.RetryDelay(); d != w.delay {
			t.Errorf("item %s: delay %v, want %v", w.id, d, w.delay)
		}
		if strings.Contains(it.Error(), "k3y-v4lue") || strings.Contains(string(e.RawBody()), "k3y-v4lue") {
			t.Errorf("item %s prints the secret another item held: %s", w.id, it.Error())
		}
	}
	var c *xmix.Error
	if errors.As(items[2], &c); c.Reason != xmix.ReasonNoPlan || !errors.Is(items[2], xmix.ErrReasonNoPlan) {
		t.Errorf("item c: reason %q", c.Reason)
	}
}

// TestWarningsScrubSecrets: a warning echoing a secret member of the body
// does not print it.
func TestWarningsScrubSecrets(t *testing.T) {
	ws, err := xmix.ParseWarnings(200, nil, []byte(`{"token": "t0k3n-abcdef", "warnings": [{"code": "deprecated", "message": "t0k3n-abcdef is deprecated"}]}`))
	if err != nil || len(ws) != 1 || ws[0].Code != "deprecated" {
		t.Fatalf("ParseWarnings = %v, %v", ws, err)
	}
	if strings.Contains(ws[0].String(), "t0k3n") {
		t.Errorf("warning prints the token: %s", ws[0])
	}
}

// TestErrorWhenPresentOverFilter: a success body is an error only when an
// item the filter selects holds the present: path; the code and message
// come from that item, not from the warning before it.
func TestErrorWhenPresentOverFilter(t *testing.T) {
	const warnOnly = `{"data": {}, "errors": [{"severity": "warning", "code": "slow", "message": "Slow."}]}`
	if err := xmix.Parse(200, ct("application/json"), []byte(warnOnly)); err != nil {
		t.Errorf("a warning only: %v, want success", err)
	}
	e := parse(t, 200, ct("application/json"), `{"errors": [{"severity": "warning", "code": "slow", "message": "Slow."}, {"severity": "error", "code": "stale", "message": "Stale."}]}`)
	if e.Format != "partial" || e.Code != xmix.CodeStale || e.Message != "Stale." || e.Kind() != apierr.KindConflict || !apierr.IsRetryable(e) {
		t.Errorf("format %q code %q message %q kind %v", e.Format, e.Code, e.Message, e.Kind())
	}
}

// TestKitAcrossFormats: the test kit answers each code in its own format
// (a problem type, a composed XML code from its example, a JSON code) and
// puts a subcode where a wildcard path reads it.
func TestKitAcrossFormats(t *testing.T) {
	for _, c := range []struct {
		code   xmix.Code
		format string
	}{{xmix.CodeQuota, "problem"}, {xmix.CodeGatewayDenied, "gateway"}, {xmix.CodeInvalid, "api"}, {xmix.CodeStale, "partial"}} {
		e := xmixtest.NewError(c.code)
		if e == nil || e.Code != c.code || e.Format != c.format {
			t.Errorf("NewError(%s) = %#v, want its code in format %s", c.code, e, c.format)
		}
	}
	e := xmixtest.NewError(xmix.CodeInvalid, xmixtest.WithReason(xmix.ReasonNoPlan))
	if e == nil || e.Reason != xmix.ReasonNoPlan || !errors.Is(e, xmix.ErrReasonNoPlan) {
		t.Errorf("WithReason: %#v", e)
	}
}
