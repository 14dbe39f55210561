package bbodies_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/bbodies"
	"github.com/errcat/errcat/internal/features/bbodies/bbodiestest"
)

var (
	problemJSON = map[string]string{"Content-Type": "application/problem+json"}
	xmlType     = map[string]string{"Content-Type": "application/xml"}
)

func get(t *testing.T, status bbodies.Status, header map[string]string, body string) *bbodies.Error {
	t.Helper()
	resp := e2e.Get(t, e2e.Reply{Status: int(status), Header: header, Body: body})
	err := bbodies.FromResponse(resp)
	var e *bbodies.Error
	if !errors.As(err, &e) {
		t.Fatalf("FromResponse = %v, want a *bbodies.Error", err)
	}
	if got := e2e.Body(t, resp); got != body {
		t.Errorf("body after FromResponse = %q", got)
	}
	return e
}

// RFC 9457's own example: the code is the type URI's last segment, every
// member is typed, extension members included.
func TestProblemDetails(t *testing.T) {
	body := `{"type": "https://example.com/probs/out-of-credit", "title": "You do not have enough credit.", "detail": "Your current balance is 30, but that costs 50.", "instance": "/account/12345/msgs/abc", "status": 403, "balance": 30, "accounts": ["/account/12345", "/account/67890"]}`
	e := get(t, bbodies.StatusForbidden, map[string]string{"Content-Type": "Application/Problem+JSON; charset=utf-8"}, body)
	if e.Format != "problem" || e.Code != bbodies.CodeOutOfCredit || !e.HasCode {
		t.Fatalf("format %q code %q", e.Format, e.Code)
	}
	if !bbodies.IsOutOfCredit(e) || !errors.Is(e, bbodies.ErrForbidden) || !errors.Is(fmt.Errorf("wrapped: %w", e), bbodies.ErrOutOfCredit) || bbodies.IsExpiredToken(e) {
		t.Error("matchers")
	}
	if e.TypeURI != "https://example.com/probs/out-of-credit" || e.Title != "You do not have enough credit." || e.Detail != "Your current balance is 30, but that costs 50." ||
		e.Instance != "/account/12345/msgs/abc" || e.ProblemStatus != int64(bbodies.StatusForbidden) || e.Balance != 30 {
		t.Errorf("typed members: %+v", e)
	}
	if accounts, ok := e.Accounts.([]any); !ok || len(accounts) != 2 {
		t.Errorf("Accounts = %#v", e.Accounts)
	}
	if e.Message != e.Detail || apierr.KindOf(e) != apierr.KindPermissionDenied || apierr.IsRetryable(e) {
		t.Errorf("message %q kind %v", e.Message, apierr.KindOf(e))
	}
}

func TestProblemInvalidParamsAndTitleAsMessage(t *testing.T) {
	body := `{"type": "https://example.com/probs/validation-error", "title": "Your request is not valid.", "invalid-params": [{"name": "age", "reason": "must be a positive integer"}, {"name": "color", "reason": "must be 'green', 'red' or 'blue'"}]}`
	e := get(t, bbodies.StatusBadRequest, problemJSON, body)
	if !bbodies.IsValidationError(e) || len(e.InvalidParams) != 2 || e.InvalidParams[1].Name != "color" || e.Message != "Your request is not valid." {
		t.Errorf("%+v", e)
	}
}

// about:blank, or no type at all, means no code beyond the status (RFC
// 9457 section 4.2.1): the error is the status's.
func TestProblemAboutBlank(t *testing.T) {
	for _, body := range []string{
		`{"type": "about:blank", "title": "Not Found", "status": 404}`,
		`{"type": "ABOUT:BLANK", "title": "Not Found"}`,
		`{"title": "Not Found"}`,
		`{"type": "", "title": "Not Found"}`,
	} {
		e := get(t, bbodies.StatusNotFound, problemJSON, body)
		if e.HasCode || e.Code != "" || e.Format != "problem" || !bbodies.IsNotFound(e) || bbodies.IsNoSuchKey(e) || e.Message != "Not Found" {
			t.Errorf("%s: code %q (%v), format %q, message %q", body, e.Code, e.HasCode, e.Format, e.Message)
		}
		if apierr.KindOf(e) != bbodies.StatusNotFound.Kind() {
			t.Errorf("%s: kind %v", body, apierr.KindOf(e))
		}
	}
}

// A type nobody documented is an unknown code that keeps its text.
func TestProblemUnknownType(t *testing.T) {
	e := get(t, bbodies.StatusForbidden, problemJSON, `{"type": "https://example.com/probs/brand-new/"}`)
	if !e.HasCode || e.Code.Known() || string(e.Code) != "brand-new" || !bbodies.IsForbidden(e) || bbodies.IsOutOfCredit(e) {
		t.Errorf("code %q known %v", e.Code, e.Code.Known())
	}
}

// The same body under another media type is not read as a problem: the
// format applies only to application/problem+json.
func TestProblemNeedsItsMediaType(t *testing.T) {
	body := `{"type": "https://example.com/probs/out-of-credit", "title": "You do not have enough credit."}`
	for _, header := range []map[string]string{e2e.JSON, nil, {"Content-Type": "application/problem+xml"}} {
		e := get(t, bbodies.StatusForbidden, header, body)
		if e.Format != "" || e.HasCode || bbodies.IsOutOfCredit(e) {
			t.Errorf("%v: format %q code %q", header, e.Format, e.Code)
		}
	}
}

// Two JSON shapes at the same statuses are told apart by a field: the
// quota shape by object, the legacy one by error_code being present.
func TestJSONShapes(t *testing.T) {
	e := get(t, bbodies.StatusTooManyRequests, e2e.JSON, `{"object": "quota_error", "error": {"reason": "daily_limit_exceeded", "message": "Daily limit reached.", "retry_after": 3600}}`)
	if e.Format != "quota" || !bbodies.IsDailyLimitExceeded(e) || e.Message != "Daily limit reached." || e.RetryAfter != 3600 {
		t.Errorf("quota: %+v", e)
	}
	if d, ok := apierr.RetryDelay(e); !ok || d != time.Hour {
		t.Errorf("quota delay %v %v", d, ok)
	}
	e = get(t, bbodies.StatusTooManyRequests, e2e.JSON, `{"object": "other", "error_code": "daily_limit_exceeded", "error_message": "legacy"}`)
	if e.Format != "legacy" || !bbodies.IsDailyLimitExceeded(e) || e.Message != "legacy" {
		t.Errorf("429 of the legacy shape: %+v", e)
	}
	e = get(t, bbodies.StatusConflict, e2e.JSON, `{"error_code": "version_conflict", "error_message": "Version 3 is not the latest (4)."}`)
	if e.Format != "legacy" || !bbodies.IsVersionConflict(e) || !errors.Is(e, bbodies.ErrConflict) {
		t.Errorf("legacy: %+v", e)
	}
	// error_code: null is not present; neither shape fits.
	e = get(t, bbodies.StatusConflict, e2e.JSON, `{"error_code": null, "error_message": "x"}`)
	if e.Format != "" || e.HasCode {
		t.Errorf("null error_code: %+v", e)
	}
}

// S3-style XML errors from the gateway: the root element's name starts
// every path.
func TestXMLGateway(t *testing.T) {
	body := `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchKey</Code>
  <Message>The resource you requested does not exist</Message>
  <Resource>/mybucket/myfoto.jpg</Resource>
  <RequestId>4442587FB7D0A2F9</RequestId>
</Error>`
	e := get(t, bbodies.StatusNotFound, map[string]string{"Content-Type": "text/xml; charset=utf-8", "X-Request-Id": "r-1"}, body)
	if e.Format != "gateway" || e.Code != bbodies.CodeNoSuchKey || !bbodies.IsNoSuchKey(e) || !errors.Is(e, bbodies.ErrNotFound) {
		t.Fatalf("format %q code %q", e.Format, e.Code)
	}
	if e.Message != "The resource you requested does not exist" || e.Resource != "/mybucket/myfoto.jpg" || e.GatewayRequestID != "4442587FB7D0A2F9" || e.RequestID != "r-1" {
		t.Errorf("%+v", e)
	}
	e = get(t, bbodies.StatusUnavailable, xmlType, `<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
	if !bbodies.IsSlowDown(e) || apierr.ActionOf(e) != apierr.ActionRetryBackoff || !apierr.IsRetryable(e) {
		t.Errorf("SlowDown: %v %v", e, apierr.ActionOf(e))
	}
	// XML without an XML media type fits no format; a JSON body under one
	// fits the legacy shape, which lists no media type.
	for _, r := range []e2e.Reply{{Header: e2e.Text, Body: `<Error><Code>SlowDown</Code></Error>`}, {Header: nil, Body: `<Error><Code>SlowDown</Code></Error>`}} {
		e = get(t, bbodies.StatusUnavailable, r.Header, r.Body)
		if e.HasCode || e.Format != "" {
			t.Errorf("%q under %v: format %q code %q", r.Body, r.Header, e.Format, e.Code)
		}
	}
	if e = get(t, bbodies.StatusUnavailable, xmlType, `{"error_code": "SlowDown"}`); e.Format != "legacy" || !bbodies.IsSlowDown(e) {
		t.Errorf("JSON under application/xml: format %q code %q", e.Format, e.Code)
	}
}

// A gateway body cut by the read limit is read as far as it goes.
func TestXMLTruncated(t *testing.T) {
	body := `<Error><Code>SlowDown</Code><Message>` + strings.Repeat("slow ", 1000) + `</Message></Error>`
	resp := e2e.Get(t, e2e.Reply{Status: int(bbodies.StatusUnavailable), Header: xmlType, Body: body})
	err := bbodies.FromResponseLimit(resp, 100)
	var e *bbodies.Error
	if !errors.As(err, &e) || !e.Truncated || !bbodies.IsSlowDown(err) {
		t.Fatalf("truncated XML: %#v", err)
	}
}

// A secret in an XML body is redacted as in JSON: its field is a Secret,
// its value is scrubbed from every other text, and an XML body no format
// reads is withheld when it mentions the key.
func TestXMLSecrets(t *testing.T) {
	const token = "tok_live_0123456789"
	body := `<Error><Code>InternalError</Code><Message>session ` + token + ` failed</Message><SessionToken>` + token + `</SessionToken><Resource>` + token + `</Resource></Error>`
	e := get(t, bbodies.StatusInternalError, xmlType, body)
	if !bbodies.IsInternalErrorCode(e) || e.SessionToken != apierr.Secret(token) {
		t.Fatalf("%v: session token %q", e, string(e.SessionToken))
	}
	for _, text := range []string{e.Error(), e.Message, e.Resource, fmt.Sprintf("%+v", e), e2e.Marshal(t, e)} {
		if strings.Contains(text, token) {
			t.Errorf("secret printed: %q", text)
		}
	}
	// The same body as text/plain: no format reads it, and it names the key.
	e = get(t, bbodies.StatusInternalError, e2e.Text, body)
	if e.Format != "" || e.Message != "(body withheld: it may hold a secret)" || strings.Contains(e.Error(), token) {
		t.Errorf("fallback: format %q message %q", e.Format, e.Message)
	}
	// A JSON body is redacted by the same key (Doc.RedactKeys).
	e = get(t, bbodies.StatusConflict, e2e.JSON, `{"error_code": "version_conflict", "error_message": "bad `+token+`", "session_token": "`+token+`"}`)
	if strings.Contains(e.Error(), token) {
		t.Errorf("JSON: %q", e.Error())
	}
}

// The gateway's HTML pages are a text format chosen by media type.
func TestHTMLGatewayPage(t *testing.T) {
	e := get(t, bbodies.StatusBadGateway, map[string]string{"Content-Type": "text/html"}, "<html><body><h1>502 Bad Gateway</h1></body></html>")
	if e.Format != "gateway page" || !bbodies.IsBadGateway(e) || !strings.Contains(e.Message, "502 Bad Gateway") {
		t.Errorf("%+v", e)
	}
}

// Parse agrees with FromResponse, a success is nil, and Parse never panics
// on hostile XML.
func TestParse(t *testing.T) {
	if err := bbodies.Parse(200, http.Header{"Content-Type": {"application/xml"}}, []byte(`<Error><Code>SlowDown</Code></Error>`)); err != nil {
		t.Errorf("a 200 = %v", err)
	}
	h := http.Header{"Content-Type": {"application/xml"}}
	if err := bbodies.Parse(int(bbodies.StatusUnavailable), h, []byte(`<Error><Code>SlowDown</Code></Error>`)); !bbodies.IsSlowDown(err) {
		t.Errorf("Parse = %v", err)
	}
	for _, body := range []string{
		strings.Repeat("<Error>", 100000),
		`<!DOCTYPE Error [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Error><Code>&b;</Code></Error>`,
		`<Error><Code>Slow` + "\xff" + `Down</Code></Error>`,
		`<Error Code="` + strings.Repeat("x", 2<<20) + `"/>`,
		`<Error><Code>SlowDown</Code><Message>cut`,
	} {
		err := bbodies.Parse(int(bbodies.StatusUnavailable), h, []byte(body))
		var e *bbodies.Error
		if !errors.As(err, &e) || e.HasCode || e.Format != "" {
			t.Errorf("%.50q: %v", body, err)
		}
	}
}

// Through the transport: a SlowDown 503 from the gateway is retried with
// backoff, a 429 quota error waits the body's delay, and a problem is
// returned at once, classified once.
func TestThroughTransport(t *testing.T) {
	ok := e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{}`}
	cases := []struct {
		name     string
		reply    e2e.Reply
		wantHits int32
		check    func(t *testing.T, err error)
	}{
		{"xml 503 retried", e2e.Reply{Status: 503, Header: xmlType, Body: `<Error><Code>SlowDown</Code></Error>`}, 2, nil},
		{"quota waits the body delay", e2e.Reply{Status: 429, Header: e2e.JSON, Body: `{"object": "quota_error", "error": {"reason": "daily_limit_exceeded", "retry_after": 0}}`}, 2, nil},
		{"problem not retried", e2e.Reply{Status: 403, Header: problemJSON, Body: `{"type": "https://example.com/probs/out-of-credit"}`}, 1, func(t *testing.T, err error) {
			if !bbodies.IsOutOfCredit(err) {
				t.Errorf("FromResponse after the transport = %v", err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			seq := &e2e.Sequence{Replies: []e2e.Reply{c.reply, ok}}
			srv := e2e.Start(t, seq)
			client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), bbodies.Policy(), apierr.WithBackoff(time.Millisecond, 2*time.Millisecond))}
			resp, err := client.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if seq.Hits.Load() != c.wantHits {
				t.Errorf("%d requests, want %d", seq.Hits.Load(), c.wantHits)
			}
			if c.check != nil {
				c.check(t, bbodies.FromResponse(resp))
			}
		})
	}
}

// The test kit makes every format's responses as the parser reads them:
// a problem with its media type, an XML example, a shape-selected body.
func TestKit(t *testing.T) {
	if e := bbodiestest.NewError(bbodies.CodeExpiredToken); e == nil || e.Format != "problem" || !apierr.NeedsReauth(e) {
		t.Errorf("expired-token: %+v", e)
	}
	if e := bbodiestest.NewError(bbodies.CodeNoSuchKey); e == nil || e.Format != "gateway" {
		t.Errorf("NoSuchKey: %+v", e)
	}
	if e := bbodiestest.NewError(bbodies.CodeDailyLimitExceeded, bbodiestest.WithRetryAfter(2*time.Second)); e == nil || e.Format != "quota" {
		t.Errorf("daily limit: %+v", e)
	} else if d, ok := e.RetryDelay(); !ok || d != 2*time.Second {
		t.Errorf("kit delay %v %v", d, ok)
	}
	if e := bbodiestest.NewError(bbodies.StatusInternalError); e == nil || e.Format != "gateway" || e.HasCode {
		t.Errorf("500: %+v", e)
	}
}
