package cardpay_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/cardpay"
	"github.com/errcat/errcat/internal/features/cardpay/cardpaytest"
)

func get(t *testing.T, status int, body string) (*cardpay.Error, error) {
	t.Helper()
	err := cardpay.FromResponse(e2e.Get(t, e2e.Reply{Status: status, Header: e2e.JSON, Body: body}))
	var e *cardpay.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: %v is not a *cardpay.Error", body, err)
	}
	return e, err
}

// A primary code and its decline code are two codes of one error, each
// with its own constants, sentinels and matchers; a decline code spelled
// like a primary code (expired_card) is a different sentinel.
func TestDeclineCodeBesidePrimaryCode(t *testing.T) {
	e, err := get(t, 402, `{"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds", "message": "Your card has insufficient funds."}}`)
	if e.Code != cardpay.CodeCardDeclined || !e.HasDeclineCode || e.DeclineCode != cardpay.DeclineCodeInsufficientFunds || !e.HasErrorType || e.ErrorType != cardpay.ErrorTypeCardError {
		t.Errorf("fields: code %q, decline %q (%v), type %q", e.Code, e.DeclineCode, e.HasDeclineCode, e.ErrorType)
	}
	wrapped := errors.Join(errors.New("charge"), err)
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"IsCardDeclined", cardpay.IsCardDeclined(wrapped), true},
		{"IsDeclineCodeInsufficientFunds", cardpay.IsDeclineCodeInsufficientFunds(wrapped), true},
		{"errors.Is ErrDeclineCodeInsufficientFunds", errors.Is(wrapped, cardpay.ErrDeclineCodeInsufficientFunds), true},
		{"IsErrorTypeCardError", cardpay.IsErrorTypeCardError(wrapped), true},
		{"IsRequestFailed", cardpay.IsRequestFailed(wrapped), true},
		{"IsDeclineCodeExpiredCard", cardpay.IsDeclineCodeExpiredCard(wrapped), false},
		{"IsExpiredCard", cardpay.IsExpiredCard(wrapped), false},
		{"IsErrorTypeAPIError", cardpay.IsErrorTypeAPIError(wrapped), false},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if d := e.DeclineCode.Description(); !strings.Contains(d, "insufficient funds") || !e.DeclineCode.Known() {
		t.Errorf("DeclineCode methods: %q, known %v", d, e.DeclineCode.Known())
	}

	// code expired_card with decline code insufficient_funds, and the
	// other way round: the two namespaces never mix.
	_, err = get(t, 402, `{"error": {"type": "card_error", "code": "expired_card", "decline_code": "insufficient_funds"}}`)
	if !cardpay.IsExpiredCard(err) || cardpay.IsDeclineCodeExpiredCard(err) {
		t.Errorf("code expired_card: IsExpiredCard %v, IsDeclineCodeExpiredCard %v", cardpay.IsExpiredCard(err), cardpay.IsDeclineCodeExpiredCard(err))
	}
	_, err = get(t, 402, `{"error": {"type": "card_error", "code": "card_declined", "decline_code": "expired_card"}}`)
	if cardpay.IsExpiredCard(err) || !cardpay.IsDeclineCodeExpiredCard(err) {
		t.Errorf("decline code expired_card: IsExpiredCard %v, IsDeclineCodeExpiredCard %v", cardpay.IsExpiredCard(err), cardpay.IsDeclineCodeExpiredCard(err))
	}
	// An unlisted decline code stays representable and matches nothing.
	e, err = get(t, 402, `{"error": {"code": "card_declined", "decline_code": "brand_new_reason"}}`)
	if e.DeclineCode != "brand_new_reason" || e.DeclineCode.Known() || cardpay.IsDeclineCodeDoNotHonor(err) || !cardpay.IsCardDeclined(err) {
		t.Errorf("unlisted decline code: %q known %v", e.DeclineCode, e.DeclineCode.Known())
	}
}

// The error type decides kind and action when the catalog lists it
// (decides: true), before the code and the status.
func TestErrorTypeDecidesKindAndAction(t *testing.T) {
	for _, c := range []struct {
		status int
		body   string
		kind   apierr.Kind
		action apierr.Action
	}{
		{400, `{"error": {"type": "api_error", "code": "lock_timeout"}}`, apierr.KindInternal, apierr.ActionRetryBackoff},
		{400, `{"error": {"type": "invalid_request_error", "code": "lock_timeout"}}`, apierr.KindBadRequest, apierr.ActionFixRequest},
		{402, `{"error": {"type": "api_error", "code": "card_declined"}}`, apierr.KindInternal, apierr.ActionRetryBackoff},
		{429, `{"error": {"type": "invalid_request_error"}}`, apierr.KindBadRequest, apierr.ActionFixRequest},
		// an unlisted type or none: the code's, then the status's
		{400, `{"error": {"type": "brand_new_error", "code": "parameter_missing"}}`, apierr.KindBadRequest, apierr.ActionFixRequest},
		{429, `{"error": {"type": "brand_new_error"}}`, apierr.KindRateLimited, apierr.ActionRetryBackoff},
		{403, `{"error": {}}`, apierr.KindPermissionDenied, apierr.ActionFixRequest},
		{503, `not json`, apierr.KindInternal, apierr.ActionRetryBackoff},
	} {
		e, err := get(t, c.status, c.body)
		if e.Kind() != c.kind || e.Action() != c.action || apierr.KindOf(err) != c.kind || apierr.ActionOf(err) != c.action {
			t.Errorf("%d %s: %v, %v; want %v, %v", c.status, c.body, e.Kind(), e.Action(), c.kind, c.action)
		}
	}
	if cardpay.ErrorTypeAPIError.Action() != apierr.ActionRetryBackoff || cardpay.ErrorType("x").Kind() != apierr.KindUnknown {
		t.Error("ErrorType.Kind/Action do not read the catalog")
	}
}

// A reason is namespaced by its domain: the same value in two domains is
// two entries, matched only with its own domain.
func TestReasonWithinDomain(t *testing.T) {
	body := func(domain string) string {
		return `{"error": {"code": "x", "info": {"reason": "API_KEY_INVALID", "domain": "` + domain + `"}}}`
	}
	for _, c := range []struct {
		domain        string
		auth, billing bool
	}{
		{"auth.example.com", true, false},
		{"billing.example.com", false, true},
		{"other.example.com", false, false},
	} {
		e, err := get(t, 403, body(c.domain))
		if e.Reason != cardpay.ReasonAuthKeyInvalid || e.Domain != c.domain {
			t.Errorf("%s: reason %q domain %q", c.domain, e.Reason, e.Domain)
		}
		if cardpay.IsReasonAuthKeyInvalid(err) != c.auth || errors.Is(err, cardpay.ErrReasonBillingKeyInvalid) != c.billing {
			t.Errorf("%s: auth %v billing %v", c.domain, cardpay.IsReasonAuthKeyInvalid(err), cardpay.IsReasonBillingKeyInvalid(err))
		}
	}
	// No domain in the body: no domain entry matches.
	_, err := get(t, 403, `{"error": {"info": {"reason": "QUOTA_EXCEEDED"}}}`)
	if cardpay.IsReasonBillingExampleComQuotaExceeded(err) {
		t.Error("a reason without its domain matched")
	}
}

// Parse and FromResponse agree, and slog shows the secondary codes.
func TestParseAndLog(t *testing.T) {
	body := `{"error": {"type": "card_error", "code": "card_declined", "decline_code": "do_not_honor"}}`
	err := cardpay.Parse(402, http.Header{"Content-Type": {"application/json"}}, []byte(body))
	if !cardpay.IsDeclineCodeDoNotHonor(err) || !cardpay.IsCardDeclined(err) {
		t.Fatalf("Parse: %v", err)
	}
	rec := e2e.LogJSON(t, "charge failed", slog.Any("err", err))
	group, _ := rec["err"].(map[string]any)
	if group["decline_code"] != "do_not_honor" || group["error_type"] != "card_error" || group["code"] != "card_declined" {
		t.Errorf("log record %v", rec)
	}
}

// Hostile shapes at the secondary paths never panic and yield no value.
func TestHostileSecondaryCodes(t *testing.T) {
	for _, body := range []string{
		`{"error": {"decline_code": {"x": 1}, "type": ["api_error"], "info": {"reason": null, "domain": 7}}}`,
		`{"error": "card_declined"}`,
		`{"error": {"decline_code": "", "type": ""}}`,
	} {
		e, err := get(t, 402, body)
		if e.HasErrorType && e.ErrorType != "" || cardpay.IsErrorTypeAPIError(err) || e.HasReason || apierr.IsRetryable(err) {
			t.Errorf("%s: %+v", body, e)
		}
	}
}

// The test kit answers with the documented example: the secondary codes
// come along.
func TestKitCarriesSecondaryCodes(t *testing.T) {
	e := cardpaytest.NewError(cardpay.CodeCardDeclined)
	if e.DeclineCode != cardpay.DeclineCodeInsufficientFunds || !cardpay.IsErrorTypeCardError(e) {
		t.Errorf("kit error %+v", e)
	}
	if e := cardpaytest.NewError(cardpay.CodeLockTimeout); !apierr.IsRetryable(e) {
		t.Errorf("kit lock_timeout (type api_error) not retryable: %v", e.Action())
	}
	// The kit's options put a secondary code where the body carries it.
	e = cardpaytest.NewError(cardpay.CodeCardDeclined, cardpaytest.WithDeclineCode(cardpay.DeclineCodeDoNotHonor), cardpaytest.WithNetworkCode(cardpay.NetworkCodeExpiredCard),
		cardpaytest.WithReason(cardpay.ReasonBillingKeyInvalid, "billing.example.com"))
	if !cardpay.IsDeclineCodeDoNotHonor(e) || !cardpay.IsNetworkCodeExpiredCard(e) || !cardpay.IsReasonBillingKeyInvalid(e) || cardpay.IsReasonAuthKeyInvalid(e) || !cardpay.IsCardDeclined(e) {
		t.Errorf("kit options: %+v", e)
	}
	// A deciding value through the kit decides, through the transport too.
	e = cardpaytest.NewError(cardpay.CodeParameterMissing, cardpaytest.WithErrorType(cardpay.ErrorTypeAPIError))
	if !apierr.IsRetryable(e) || e.Code != cardpay.CodeParameterMissing {
		t.Errorf("kit WithErrorType(api_error): %v", e.Action())
	}
	script := cardpaytest.NewScript(cardpaytest.Reply(cardpay.CodeParameterMissing, cardpaytest.WithErrorType(cardpay.ErrorTypeAPIError)), cardpaytest.OK(`{}`))
	client := &http.Client{Transport: apierr.NewTransport(script, cardpay.Policy(), apierr.WithBackoff(time.Millisecond, 2*time.Millisecond))}
	resp, err := client.Get("https://api.cardpay.example/v1/charges")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(script.Requests()) != 2 {
		t.Errorf("kit script through the transport: status %d after %d requests", resp.StatusCode, len(script.Requests()))
	}
}

// Through apierr.NewTransport, the error type's action decides retries:
// a 400 api_error is retried, a 400 invalid_request_error is not.
func TestTransportFollowsErrorType(t *testing.T) {
	ok := e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{"id": "ch_1"}`}
	for _, c := range []struct {
		first    string
		hits     int32
		status   int
		matchErr func(error) bool
	}{
		{`{"error": {"type": "api_error", "code": "lock_timeout"}}`, 2, 200, nil},
		{`{"error": {"type": "invalid_request_error", "code": "lock_timeout"}}`, 1, 400, cardpay.IsErrorTypeInvalidRequestError},
	} {
		seq := &e2e.Sequence{Replies: []e2e.Reply{{Status: 400, Header: e2e.JSON, Body: c.first}, ok}}
		srv := e2e.Start(t, seq)
		client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), cardpay.Policy(), apierr.WithBackoff(time.Millisecond, 2*time.Millisecond))}
		resp, err := client.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		e2e.Body(t, resp)
		resp.Body.Close()
		if seq.Hits.Load() != c.hits || resp.StatusCode != c.status {
			t.Errorf("%s: %d hits, status %d; want %d, %d", c.first, seq.Hits.Load(), resp.StatusCode, c.hits, c.status)
		}
		if c.matchErr != nil && !c.matchErr(cardpay.FromResponse(resp)) {
			t.Errorf("%s: the final response's error does not match its sentinel", c.first)
		}
	}
}

// An integer sub-code set: int64 constants, matched by value.
func TestIntegerSubcode(t *testing.T) {
	e, err := get(t, 402, `{"error": {"code": "card_declined", "network_code": 51}}`)
	if !e.HasNetworkCode || e.NetworkCode != cardpay.NetworkCodeInsufficientFunds || e.NetworkCode.String() != "51" || !cardpay.IsNetworkCodeInsufficientFunds(err) || cardpay.IsNetworkCodeExpiredCard(err) {
		t.Errorf("network code %v (%v)", e.NetworkCode, e.HasNetworkCode)
	}
	rec := e2e.LogJSON(t, "declined", slog.Any("err", err))
	if group, _ := rec["err"].(map[string]any); group["network_code"] != "51" {
		t.Errorf("log record %v", rec)
	}
	// As for integer codes, a string holding an integer is accepted;
	// anything else is no value.
	_, err = get(t, 402, `{"error": {"code": "card_declined", "network_code": "54"}}`)
	if !cardpay.IsNetworkCodeExpiredCard(err) {
		t.Error("a quoted integer sub-code was not read")
	}
	e, err = get(t, 402, `{"error": {"code": "card_declined", "network_code": "54x"}}`)
	if e.HasNetworkCode || cardpay.IsNetworkCodeExpiredCard(err) {
		t.Errorf("a non-integer read as an integer sub-code: %v", e.NetworkCode)
	}
}

// The documented precedence: a header override's action wins over the
// action a deciding set gives (the kind stays the set's).
func TestOverrideWinsOverDecidingSet(t *testing.T) {
	for _, c := range []struct {
		header string
		action apierr.Action
	}{{"false", apierr.ActionFixRequest}, {"true", apierr.ActionRetryBackoff}, {"", apierr.ActionRetryBackoff}} {
		h := map[string]string{"Content-Type": "application/json"}
		if c.header != "" {
			h["X-Should-Retry"] = c.header
		}
		err := cardpay.FromResponse(e2e.Get(t, e2e.Reply{Status: 400, Header: h, Body: `{"error": {"type": "api_error"}}`}))
		if apierr.ActionOf(err) != c.action || apierr.KindOf(err) != apierr.KindInternal {
			t.Errorf("X-Should-Retry %q: %v, %v; want %v, internal", c.header, apierr.ActionOf(err), apierr.KindOf(err), c.action)
		}
	}
	// invalid_request_error says fix_request; the header says retry.
	err := cardpay.FromResponse(e2e.Get(t, e2e.Reply{Status: 400, Header: map[string]string{"X-Should-Retry": "true"}, Body: `{"error": {"type": "invalid_request_error"}}`}))
	if !apierr.IsRetryable(err) {
		t.Errorf("override true did not win over the type's fix_request: %v", apierr.ActionOf(err))
	}
}

// A secret the body holds (error.api_key is sensitive) echoed in a
// secondary code is scrubbed from it: neither slog nor %v prints it.
func TestSecretEchoedInSubcodeIsScrubbed(t *testing.T) {
	const secret = "sk_live_51Habcdef"
	e, err := get(t, 402, `{"error": {"code": "card_declined", "api_key": "`+secret+`", "decline_code": "bad key `+secret+`", "type": "`+secret+`"}}`)
	out := e2e.LogText(slog.NewTextHandler, "x", slog.Any("err", err)) + fmt.Sprintf("%v %+v %#v", err, e, e)
	if e2e.Leaks(out, secret) || strings.Contains(string(e.DeclineCode)+string(e.ErrorType), secret) {
		t.Errorf("secret printed: %s", out)
	}
	if !cardpay.IsCardDeclined(err) {
		t.Error("code lost")
	}
}

// BenchmarkParseSecondaryCodes parses a body with a primary code and three
// secondary codes (one deciding, one keyed by domain) and asks what the
// transport asks: the cost of code sets per error.
func BenchmarkParseSecondaryCodes(b *testing.B) {
	h := http.Header{"Content-Type": {"application/json"}}
	body := []byte(`{"error": {"type": "api_error", "code": "lock_timeout", "decline_code": "do_not_honor", "network_code": 51, "info": {"reason": "API_KEY_INVALID", "domain": "auth.example.com"}, "message": "try later"}}`)
	b.ReportAllocs()
	for b.Loop() {
		err := cardpay.Parse(400, h, body)
		if !cardpay.IsDeclineCodeDoNotHonor(err) || apierr.ActionOf(err) != apierr.ActionRetryBackoff {
			b.Fatal(err)
		}
	}
}
