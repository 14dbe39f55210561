package features_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/d1transport"
	"github.com/errcat/errcat/internal/features/d1transport/d1transporttest"
)

// d1Body is the vendor's error body for code.
func d1Body(code d1transport.Code, msg string) string {
	return `{"error": {"code": ` + strconv.Quote(string(code)) + `, "message": ` + strconv.Quote(msg) + `}}`
}

// d1Reply is one reply of status with the vendor's error body for code.
func d1Reply(status d1transport.Status, code d1transport.Code, header map[string]string) e2e.Reply {
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range header {
		h[k] = v
	}
	return e2e.Reply{Status: int(status), Header: h, Body: d1Body(code, "refused")}
}

var d1OK = e2e.Reply{Status: http.StatusOK, Header: e2e.JSON, Body: `{"id":"pay_1"}`}

// d1Do sends one request with body and ctype through a transport with the
// catalog's Policy (plus opts) to a server answering replies in order. It
// returns the final response's status and body, the server's hits and the
// bodies the server received.
func d1Do(t *testing.T, method, body, ctype string, replies []e2e.Reply, opts ...apierr.Option) (int, string, int32, []string) {
	t.Helper()
	seq := &e2e.Sequence{Replies: replies}
	srv := e2e.Start(t, seq)
	opts = append([]apierr.Option{apierr.WithBackoff(time.Millisecond, 2*time.Millisecond)}, opts...)
	client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), d1transport.Policy(), opts...)}
	req, err := http.NewRequest(method, srv.URL+"/v1/payments", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := e2e.Body(t, resp)
	return resp.StatusCode, got, seq.Hits.Load(), seq.Bodies()
}

// TestD1IdempotencyKeyInBody: the catalog's retry.idempotency_key_field
// makes a POST whose JSON body carries idempotency_key safe to repeat: it is
// retried after a 500 with the same bytes; without the key, or with the key
// in a body that is not JSON, it comes back after one attempt.
func TestD1IdempotencyKeyInBody(t *testing.T) {
	fail := e2e.Reply{Status: int(d1transport.StatusServerError), Header: e2e.JSON, Body: `{"error": {"message": "boom"}}`}
	keyed := `{"amount": 500, "currency": "eur", "idempotency_key": "pay-7f3a"}`
	for _, tt := range []struct {
		name, body, ctype string
		wantHits          int32
		wantStatus        int
	}{
		{"key in the JSON body", keyed, "application/json", 2, http.StatusOK},
		{"no key", `{"amount": 500, "currency": "eur"}`, "application/json", 1, int(d1transport.StatusServerError)},
		{"key in a form body", "amount=500&idempotency_key=pay-7f3a", "application/x-www-form-urlencoded", 1, int(d1transport.StatusServerError)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, _, hits, bodies := d1Do(t, http.MethodPost, tt.body, tt.ctype, []e2e.Reply{fail, d1OK})
			if status != tt.wantStatus || hits != tt.wantHits {
				t.Errorf("status %d after %d requests, want %d after %d", status, hits, tt.wantStatus, tt.wantHits)
			}
			for i, b := range bodies {
				if b != tt.body {
					t.Errorf("attempt %d sent %q, want the caller's body %q", i+1, b, tt.body)
				}
			}
		})
	}
}

// TestD1UserActionNeverRefreshes: 401 consent_required (user_action) comes
// back at once, never calling the WithReauthenticate hook, and reads as
// NeedsUserAction; 401 token_expired (reauthenticate) refreshes and retries.
func TestD1UserActionNeverRefreshes(t *testing.T) {
	for _, tt := range []struct {
		code          d1transport.Code
		wantRefreshes int32
		wantHits      int32
	}{
		{d1transport.CodeConsentRequired, 0, 1},
		{d1transport.CodeChallengeRequired, 0, 1},
		{d1transport.CodeTokenExpired, 1, 2},
	} {
		t.Run(string(tt.code), func(t *testing.T) {
			var refreshes atomic.Int32
			refresh := apierr.WithReauthenticate(func(context.Context) error { refreshes.Add(1); return nil })
			reply := d1Reply(d1transport.StatusUnauthorized, tt.code, nil)
			status, body, hits, _ := d1Do(t, http.MethodGet, "", "", []e2e.Reply{reply, d1OK}, refresh)
			if refreshes.Load() != tt.wantRefreshes || hits != tt.wantHits {
				t.Errorf("refreshes %d, hits %d; want %d, %d", refreshes.Load(), hits, tt.wantRefreshes, tt.wantHits)
			}
			if tt.wantHits != 1 {
				return
			}
			err := d1transport.Parse(status, http.Header{"Content-Type": {"application/json"}}, []byte(body))
			var e *d1transport.Error
			if !errors.As(err, &e) || e.Code != tt.code || !apierr.NeedsUserAction(err) || apierr.NeedsReauth(err) || apierr.IsRetryable(err) {
				t.Errorf("%v: NeedsUserAction %v NeedsReauth %v IsRetryable %v", err, apierr.NeedsUserAction(err), apierr.NeedsReauth(err), apierr.IsRetryable(err))
			}
		})
	}
}

// TestD1DoNotRetry: a declined card (402) and a spent daily quota (429,
// a status the transport otherwise retries) are do_not_retry: one attempt,
// the response intact; FromResponse, the matchers, errors.Is/As and
// apierr's helpers agree, and the quota's Retry-After still reaches
// RetryDelay (when to send again is the caller's decision).
func TestD1DoNotRetry(t *testing.T) {
	for _, tt := range []struct {
		status    d1transport.Status
		code      d1transport.Code
		header    map[string]string
		sentinel  error
		is        func(error) bool
		wantDelay time.Duration
		hasDelay  bool
	}{
		{d1transport.StatusPaymentRequired, d1transport.CodeCardDeclined, nil, d1transport.ErrCardDeclined, d1transport.IsCardDeclined, 0, false},
		{d1transport.StatusTooManyRequests, d1transport.CodeDailyQuotaExceeded, map[string]string{"Retry-After": "3600"}, d1transport.ErrDailyQuotaExceeded, d1transport.IsDailyQuotaExceeded, time.Hour, true},
	} {
		t.Run(string(tt.code), func(t *testing.T) {
			var events e2e.Events
			reply := d1Reply(tt.status, tt.code, tt.header)
			seq := &e2e.Sequence{Replies: []e2e.Reply{reply, d1OK}}
			srv := e2e.Start(t, seq)
			client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), d1transport.Policy(), events.Option())}
			resp, err := client.Get(srv.URL + "/v1/payments/pay_1")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if seq.Hits.Load() != 1 || len(events.List()) != 0 || resp.StatusCode != int(tt.status) {
				t.Fatalf("status %d after %d requests, %d retry events; want %d after 1", resp.StatusCode, seq.Hits.Load(), len(events.List()), tt.status)
			}
			perr := d1transport.FromResponse(resp)
			var e *d1transport.Error
			if !errors.As(perr, &e) || e.Code != tt.code || !errors.Is(perr, tt.sentinel) || !tt.is(perr) {
				t.Fatalf("FromResponse = %v; want code %s matching its sentinel", perr, tt.code)
			}
			if apierr.ActionOf(perr) != apierr.ActionDoNotRetry || apierr.IsRetryable(perr) || apierr.NeedsReauth(perr) {
				t.Errorf("action %v, retryable %v", apierr.ActionOf(perr), apierr.IsRetryable(perr))
			}
			if d, ok := apierr.RetryDelay(perr); d != tt.wantDelay || ok != tt.hasDelay {
				t.Errorf("RetryDelay = %v, %v; want %v, %v", d, ok, tt.wantDelay, tt.hasDelay)
			}
			if got := e2e.Body(t, resp); got != reply.Body {
				t.Errorf("body %q, want %q intact", got, reply.Body)
			}
		})
	}
}

// TestD1AbsurdEpochHeaderCapped: an X-RateLimit-Reset (epoch seconds) that
// carries milliseconds asks for tens of thousands of years. FromResponse and
// the error's RetryDelay report apierr.MaxDelay (a day), never the ~2.5
// million hours a Duration saturates at, and the transport returns the 429
// at once instead of waiting or retrying.
func TestD1AbsurdEpochHeaderCapped(t *testing.T) {
	millis := strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10)
	reply := e2e.Reply{Status: int(d1transport.StatusTooManyRequests), Header: map[string]string{"Content-Type": "application/json", "X-RateLimit-Reset": millis}, Body: d1Body(d1transport.CodeRateLimited, "slow down")}
	seq := &e2e.Sequence{Replies: []e2e.Reply{reply, d1OK}}
	srv := e2e.Start(t, seq)
	var events e2e.Events
	client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), d1transport.Policy(), events.Option())}
	resp, err := client.Get(srv.URL + "/v1/payments")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != int(d1transport.StatusTooManyRequests) || seq.Hits.Load() != 1 || len(events.List()) != 0 {
		t.Fatalf("status %d after %d requests, %d retries; want the 429 after 1", resp.StatusCode, seq.Hits.Load(), len(events.List()))
	}
	perr := d1transport.FromResponse(resp)
	var e *d1transport.Error
	if !errors.As(perr, &e) || !d1transport.IsRateLimited(perr) {
		t.Fatalf("FromResponse = %v", perr)
	}
	if d, ok := e.RetryDelay(); d != apierr.MaxDelay || !ok {
		t.Errorf("Error.RetryDelay = %v, %v; want the cap %v", d, ok, apierr.MaxDelay)
	}
	if d, ok := apierr.RetryDelay(perr); d != apierr.MaxDelay || !ok {
		t.Errorf("apierr.RetryDelay = %v, %v; want the cap %v", d, ok, apierr.MaxDelay)
	}
	// A sane reset a few seconds ahead is honoured as it is.
	soon := d1transport.Parse(int(d1transport.StatusTooManyRequests), http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(time.Now().Add(90*time.Second).Unix(), 10)}}, []byte(d1Body(d1transport.CodeRateLimited, "slow down")))
	if d, ok := apierr.RetryDelay(soon); !ok || d < 85*time.Second || d > 91*time.Second {
		t.Errorf("a reset 90 s ahead: RetryDelay = %v, %v", d, ok)
	}
}

// TestD1KitScript: the generated test kit scripts the new actions by
// their constants; through the transport a scripted user_action and
// do_not_retry each end the call after one attempt, with no refresh.
func TestD1KitScript(t *testing.T) {
	for _, code := range []d1transport.Code{d1transport.CodeConsentRequired, d1transport.CodeCardDeclined, d1transport.CodeDailyQuotaExceeded} {
		t.Run(string(code), func(t *testing.T) {
			script := d1transporttest.NewScript(d1transporttest.Reply(code), d1transporttest.OK(`{}`))
			var refreshes atomic.Int32
			client := &http.Client{Transport: apierr.NewTransport(script, d1transport.Policy(),
				apierr.WithReauthenticate(func(context.Context) error { refreshes.Add(1); return nil }))}
			resp, err := client.Get("https://api.example.com/v1/payments")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			perr := d1transport.FromResponse(resp)
			var e *d1transport.Error
			if !errors.As(perr, &e) || e.Code != code || apierr.ActionOf(perr) != code.Action() || refreshes.Load() != 0 || apierr.Attempts(resp) != 1 {
				t.Errorf("%v: action %v, %d refreshes, %d attempts", perr, apierr.ActionOf(perr), refreshes.Load(), apierr.Attempts(resp))
			}
		})
	}
}
