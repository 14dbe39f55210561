package alloy_test

// The generated test kit (alloytest) through apierr's retrying transport:
// one test per kit function, each scripted as Alloy documents it.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/generated/alloy/alloytest"
)

var kitStart = time.Date(2026, 4, 28, 12, 0, 0, 0, time.UTC)

// kitClient is a client retrying through script with Alloy's policy on
// clock, counting refreshes.
func kitClient(script *alloytest.Script, clock *alloytest.Clock, refreshes *int) *http.Client {
	return &http.Client{Transport: apierr.NewTransport(script, alloy.Policy(), apierr.WithClock(clock),
		apierr.WithReauthenticate(func(context.Context) error { *refreshes++; return nil }))}
}

func kitGet(t *testing.T, c *http.Client) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get("https://sandbox.alloy.co/v1/evaluations/E-1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// Reply + WithRetryAfter + OK + Script.RoundTrip + Clock: a 429 asking for
// 2.5 s, then OK: the transport waits exactly that and sends once more.
func TestKitRateLimitedThenOK(t *testing.T) {
	script := alloytest.NewScript(alloytest.Reply(alloy.StatusTooManyRequests, alloytest.WithRetryAfter(2500*time.Millisecond)), alloytest.OK(`{"evaluation_token":"E-1"}`))
	clock, refreshes := alloytest.NewClock(kitStart), 0
	resp, body := kitGet(t, kitClient(script, clock, &refreshes))
	if resp.StatusCode != 200 || body != `{"evaluation_token":"E-1"}` || len(script.Requests()) != 2 || refreshes != 0 {
		t.Fatalf("got %d %q after %d requests, %d refreshes", resp.StatusCode, body, len(script.Requests()), refreshes)
	}
	if w := clock.Waits(); len(w) != 1 || w[0] != 2500*time.Millisecond {
		t.Errorf("waits %v, want [2.5s]", w)
	}
	if apierr.Attempts(resp) != 2 {
		t.Errorf("Attempts = %d", apierr.Attempts(resp))
	}
}

// WithReset: the reset header alone (no Retry-After) sets the wait,
// measured on the transport's clock.
func TestKitResetHeader(t *testing.T) {
	script := alloytest.NewScript(alloytest.Reply(alloy.StatusTooManyRequests, alloytest.WithReset(kitStart.Add(7*time.Second))), alloytest.OK(`{}`))
	clock, refreshes := alloytest.NewClock(kitStart), 0
	kitGet(t, kitClient(script, clock, &refreshes))
	if w := clock.Waits(); len(w) != 1 || w[0] != 7*time.Second {
		t.Errorf("waits %v, want [7s]", w)
	}
}

// The documented 4012 (credentials expired): one refresh, one resend, and
// the resend carries the request as it was.
func TestKitExpiredTokenRefreshesOnce(t *testing.T) {
	script := alloytest.NewScript(alloytest.Reply(alloy.CodeCredentialsExpired), alloytest.OK(`{}`))
	clock, refreshes := alloytest.NewClock(kitStart), 0
	resp, _ := kitGet(t, kitClient(script, clock, &refreshes))
	seen := script.Requests()
	if resp.StatusCode != 200 || refreshes != 1 || len(seen) != 2 || seen[1].URL.Path != "/v1/evaluations/E-1" {
		t.Errorf("status %d, %d refreshes, %d requests", resp.StatusCode, refreshes, len(seen))
	}
	// A second 4012 after the refresh is the caller's: no second refresh.
	script = alloytest.NewScript(alloytest.Reply(alloy.CodeCredentialsExpired), alloytest.Reply(alloy.CodeCredentialsExpired))
	refreshes = 0
	resp, body := kitGet(t, kitClient(script, clock, &refreshes))
	if err := alloy.Parse(resp.StatusCode, resp.Header, []byte(body)); !alloy.IsCredentialsExpired(err) || refreshes != 1 {
		t.Errorf("second expiry: %v after %d refreshes", err, refreshes)
	}
}

// Fail: a network error is retried like any other failure of an
// idempotent request, then Respond answers.
func TestKitNetworkFailureThenRespond(t *testing.T) {
	script := alloytest.NewScript(alloytest.Fail(errors.New("connection reset")), alloytest.Respond(http.StatusCreated, http.Header{"X-Id": {"7"}}, `{"id":7}`))
	clock, refreshes := alloytest.NewClock(kitStart), 0
	resp, body := kitGet(t, kitClient(script, clock, &refreshes))
	if resp.StatusCode != 201 || resp.Header.Get("X-Id") != "7" || body != `{"id":7}` || len(clock.Waits()) != 1 {
		t.Errorf("got %d %v %q, waits %v", resp.StatusCode, resp.Header, body, clock.Waits())
	}
	// Once the steps are used up, RoundTrip says so.
	if _, err := script.RoundTrip(httptest.NewRequest("GET", "/", nil)); !errors.Is(err, alloytest.ErrExhausted) {
		t.Errorf("exhausted script: %v", err)
	}
}

// Script as an http.Handler behind httptest, through the transport: the
// 5XX retry with backoff, then the documented 4012 reaching the caller as
// a typed error once refreshing fails; the handler recorded every request.
func TestKitHandlerThroughTransport(t *testing.T) {
	script := alloytest.NewScript(alloytest.Reply(alloy.CodeServicesDisabled), alloytest.Reply(alloy.CodeCredentialsExpired))
	srv := httptest.NewServer(script)
	defer srv.Close()
	clock := alloytest.NewClock(kitStart)
	c := &http.Client{Transport: apierr.NewTransport(http.DefaultTransport.(*http.Transport).Clone(), alloy.Policy(), apierr.WithClock(clock),
		apierr.WithReauthenticate(func(context.Context) error { return errors.New("login down") }))}
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/v1/evaluations/E-1", strings.NewReader(`{"name":"x"}`))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	err = alloy.FromResponse(resp)
	var e *alloy.Error
	if !errors.As(err, &e) || e.Code != alloy.CodeCredentialsExpired || e.Message != "The supplied bearer token has expired.  Please obtain a new one." {
		t.Fatalf("err = %v", err)
	}
	seen := script.Requests()
	if len(seen) != 2 || seen[1].Method != http.MethodPut || string(seen[1].Body) != `{"name":"x"}` || len(clock.Waits()) != 1 {
		t.Errorf("requests %+v, waits %v", seen, clock.Waits())
	}
}

// NewError, WithStatus, WithBody, WithHeader and WithMessage: errors for
// unit tests behave as parsed ones, through matchers, sentinels, errors.As
// and apierr's helpers, and print no secret.
func TestKitNewError(t *testing.T) {
	e := alloytest.NewError(alloy.CodeCredentialsExpired)
	err := fmt.Errorf("evaluating: %w", e)
	var got *alloy.Error
	if !alloy.IsCredentialsExpired(err) || !errors.Is(err, alloy.ErrUnauthorized) || !alloy.IsClientError(err) || !errors.As(err, &got) || got != e {
		t.Errorf("matchers on %v", err)
	}
	if !apierr.NeedsReauth(err) || apierr.KindOf(err) != apierr.KindUnauthenticated || apierr.IsRetryable(err) {
		t.Errorf("apierr helpers on %v", err)
	}
	if s := fmt.Sprintf("%v %+v %#v", e, e, e); strings.Contains(s, e2eToken) || !e.Timestamp.Equal(time.UnixMilli(1472052254031)) {
		t.Errorf("documented example: %s, timestamp %v", s, e.Timestamp)
	}
	moved := alloytest.NewError(alloy.CodeCredentialsExpired, alloytest.WithStatus(403), alloytest.WithMessage("moved"), alloytest.WithHeader("Alloy-Ratelimit-Remaining", "3"))
	if moved.Status != alloy.StatusForbidden || moved.Code != alloy.CodeCredentialsExpired || moved.Message != "moved" || moved.RateLimitRemaining != "3" {
		t.Errorf("knobs: %+v", moved)
	}
	if raw := alloytest.NewError(alloy.StatusInternalServerError, alloytest.WithBody("upstream down")); raw.Message != "upstream down" || raw.HasCode {
		t.Errorf("WithBody: %+v", raw)
	}
	if unknown := alloytest.NewError(alloy.Code(4999)); unknown.Code != 4999 || unknown.Code.Known() || unknown.Status != alloy.StatusBadRequest {
		t.Errorf("unlisted code: %+v", unknown)
	}
	if ok := alloytest.NewError(alloy.StatusCreated); ok != nil {
		t.Errorf("a success is no error: %v", ok)
	}
}
