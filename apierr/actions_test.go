package apierr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewActionsHelpers(t *testing.T) {
	for _, tt := range []struct {
		action                  Action
		name                    string
		retryable, reauth, user bool
		takesDelay              bool
	}{
		{ActionDoNotRetry, "do_not_retry", false, false, false, true},
		{ActionUserAction, "user_action", false, false, true, false},
		{ActionReauthenticate, "reauthenticate", false, true, false, false},
		{ActionRetryAfter, "retry_after", true, false, false, true},
		{ActionRetryBackoff, "retry_backoff", true, false, false, true},
		{ActionResume, "resume", false, false, false, true},
		{ActionFixRequest, "fix_request", false, false, false, false},
		{ActionContactSupport, "contact_support", false, false, false, false},
		{ActionNone, "none", false, false, false, false},
	} {
		err := fmt.Errorf("wrapped: %w", &testError{status: 401, action: tt.action})
		if got := tt.action.String(); got != tt.name {
			t.Errorf("%v.String() = %q, want %q", tt.action, got, tt.name)
		}
		if a, ok := ParseAction(tt.name); !ok || a != tt.action {
			t.Errorf("ParseAction(%q) = %v, %v", tt.name, a, ok)
		}
		if IsRetryable(err) != tt.retryable || NeedsReauth(err) != tt.reauth || NeedsUserAction(err) != tt.user {
			t.Errorf("%v: IsRetryable %v NeedsReauth %v NeedsUserAction %v", tt.action, IsRetryable(err), NeedsReauth(err), NeedsUserAction(err))
		}
		if tt.action.TakesDelay() != tt.takesDelay {
			t.Errorf("%v.TakesDelay() = %v", tt.action, tt.action.TakesDelay())
		}
	}
	// The values v1 catalogs and generated code already use keep their
	// numbers: the new actions come last.
	if ActionContactSupport != 6 || ActionDoNotRetry != 7 || ActionUserAction != 8 || len(Actions()) != 9 {
		t.Errorf("action numbering changed: %d %d %d, %d actions", ActionContactSupport, ActionDoNotRetry, ActionUserAction, len(Actions()))
	}
}

// TestRetryDelayMeaningfulAndCapped: RetryDelay reports a server delay only
// for actions a delay means something for, and never above MaxDelay nor
// below zero, whatever an Error implementation returns.
func TestRetryDelayMeaningfulAndCapped(t *testing.T) {
	for _, tt := range []struct {
		name   string
		e      *testError
		want   time.Duration
		wantOK bool
	}{
		{"retry_after kept", &testError{action: ActionRetryAfter, delay: 3 * time.Second, hasDelay: true}, 3 * time.Second, true},
		{"do_not_retry kept", &testError{action: ActionDoNotRetry, delay: time.Hour, hasDelay: true}, time.Hour, true},
		{"resume kept", &testError{action: ActionResume, delay: time.Second, hasDelay: true}, time.Second, true},
		{"absurd capped", &testError{action: ActionRetryAfter, delay: 2_562_047 * time.Hour, hasDelay: true}, MaxDelay, true},
		{"negative floored", &testError{action: ActionRetryBackoff, delay: -time.Second, hasDelay: true}, 0, true},
		{"fix_request dropped", &testError{action: ActionFixRequest, delay: time.Second, hasDelay: true}, 0, false},
		{"user_action dropped", &testError{action: ActionUserAction, delay: time.Second, hasDelay: true}, 0, false},
		{"reauthenticate dropped", &testError{action: ActionReauthenticate, delay: time.Second, hasDelay: true}, 0, false},
		{"contact_support dropped", &testError{action: ActionContactSupport, delay: time.Second, hasDelay: true}, 0, false},
		{"none given", &testError{action: ActionRetryAfter}, 0, false},
	} {
		if d, ok := RetryDelay(fmt.Errorf("x: %w", tt.e)); d != tt.want || ok != tt.wantOK {
			t.Errorf("%s: RetryDelay = %v, %v; want %v, %v", tt.name, d, ok, tt.want, tt.wantOK)
		}
	}
	if d, ok := RetryDelay(errors.New("plain")); d != 0 || ok {
		t.Errorf("RetryDelay(plain) = %v, %v", d, ok)
	}
}

// TestUserActionNeverRefreshes: a response asking the end user to act is
// returned as it is; the transport neither retries it nor calls its
// credential refresh, unlike reauthenticate.
func TestUserActionNeverRefreshes(t *testing.T) {
	for _, tt := range []struct {
		code                    string
		wantHits, wantRefreshes int32
	}{
		{"user_action", 1, 0},
		{"reauth", 2, 1}, // the contrast: reauthenticate does refresh
	} {
		t.Run(tt.code, func(t *testing.T) {
			var refreshes atomic.Int32
			e := newEnv(t, func(hit int, w http.ResponseWriter, _ *http.Request) {
				if hit == 1 {
					w.WriteHeader(http.StatusUnauthorized)
					_, _ = io.WriteString(w, "code="+tt.code+"\n")
					return
				}
				_, _ = io.WriteString(w, "ok")
			}, WithReauthenticate(func(context.Context) error { refreshes.Add(1); return nil }))
			resp := e.get(t)
			readAll(resp)
			if e.hits.Load() != tt.wantHits || refreshes.Load() != tt.wantRefreshes {
				t.Errorf("hits %d, refreshes %d; want %d, %d", e.hits.Load(), refreshes.Load(), tt.wantHits, tt.wantRefreshes)
			}
		})
	}
}

// TestDoNotRetryNotRetried: do_not_retry is final even on a status the
// transport would otherwise retry, and even with a Retry-After; the delay
// still reaches RetryDelay.
func TestDoNotRetryNotRetried(t *testing.T) {
	var events atomic.Int32
	e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "code=do_not_retry\n")
	}, WithOnRetry(func(RetryEvent) { events.Add(1) }))
	resp := e.get(t)
	defer resp.Body.Close()
	if e.hits.Load() != 1 || events.Load() != 0 || len(e.clock.Sleeps()) != 0 {
		t.Errorf("hits %d, retry events %d, sleeps %v; want one attempt", e.hits.Load(), events.Load(), e.clock.Sleeps())
	}
	err := testPolicy(e.clock.Now).Classify(resp)
	if d, ok := RetryDelay(err); ActionOf(err) != ActionDoNotRetry || d != 2*time.Second || !ok {
		t.Errorf("ActionOf %v, RetryDelay %v %v", ActionOf(err), d, ok)
	}
}

// countingBody is a request body source whose GetBody calls are counted.
type countingBody struct {
	payload string
	calls   atomic.Int32
}

func (c *countingBody) get() (io.ReadCloser, error) {
	c.calls.Add(1)
	return io.NopCloser(strings.NewReader(c.payload)), nil
}

// TestIdempotencyKeyInBody: a POST whose JSON body carries the Policy's
// idempotency key member is repeated, identical; one without it, one of
// another media type, one without GetBody or one past the read bound is
// not. The key is read only through GetBody, only once a retry is
// considered, and the caller's body is sent whole.
func TestIdempotencyKeyInBody(t *testing.T) {
	keyed := `{"amount":5,"idempotency_key":"k-1"}`
	big := `{"idempotency_key":"k-1","pad":"` + strings.Repeat("x", MaxIdempotencyBodyBytes) + `"}`
	for _, tt := range []struct {
		name, body, ctype string
		noGetBody         bool
		wantHits          int32
	}{
		{"key", keyed, "application/json", false, 3},
		{"key, +json with parameters", keyed, "application/vnd.api+json; charset=utf-8", false, 3},
		{"no key", `{"amount":5}`, "application/json", false, 1},
		{"empty key", `{"idempotency_key":" "}`, "application/json", false, 1},
		{"null key", `{"idempotency_key":null}`, "application/json", false, 1},
		{"number is not a key", `{"idempotency_key":7}`, "application/json", false, 1},
		{"nested is not top level", `{"data":{"idempotency_key":"k"}}`, "application/json", false, 1},
		{"not JSON media type", keyed, "text/plain", false, 1},
		{"no Content-Type", keyed, "", false, 1},
		{"not JSON", `idempotency_key=k-1`, "application/json", false, 1},
		{"no GetBody", keyed, "application/json", true, 1},
		{"past the bound", big, "application/json", false, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var seen seenBodies
			e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
				seen.add(r)
				if hit <= 2 {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				_, _ = io.WriteString(w, "done")
			})
			src := &countingBody{payload: tt.body}
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL, strings.NewReader(tt.body))
			req.GetBody = src.get
			if tt.noGetBody {
				req.GetBody = nil
			}
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			resp, err := e.tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			readAll(resp)
			if n := e.hits.Load(); n != tt.wantHits {
				t.Errorf("server hits = %d, want %d", n, tt.wantHits)
			}
			for i, b := range seen.all() {
				if b != tt.body {
					t.Errorf("attempt %d body has %d bytes, want the caller's %d", i+1, len(b), len(tt.body))
				}
			}
		})
	}
}

// TestIdempotencyKeyBodyReadOnlyWhenNeeded: a call that succeeds at once
// never reads the body for the key.
func TestIdempotencyKeyBodyReadOnlyWhenNeeded(t *testing.T) {
	e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	src := &countingBody{payload: `{"idempotency_key":"k"}`}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL, strings.NewReader(src.payload))
	req.GetBody = src.get
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	readAll(resp)
	if n := src.calls.Load(); n != 0 {
		t.Errorf("GetBody called %d times for a call that succeeded", n)
	}
}

// TestTransportJitterNeverShortensServerDelay drives the jitter rule through
// RoundTrip: every wait lies in [Retry-After, Retry-After * 1.2], and the
// retry event reports the wait as the server's.
func TestTransportJitterNeverShortensServerDelay(t *testing.T) {
	var events []RetryEvent
	e := newEnv(t, func(hit int, w http.ResponseWriter, _ *http.Request) {
		if hit <= 3 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}, WithServerDelayJitter(0.2), WithOnRetry(func(ev RetryEvent) { events = append(events, ev) }))
	readAll(e.get(t))
	sleeps := e.clock.Sleeps()
	if len(sleeps) != 3 || len(events) != 3 {
		t.Fatalf("sleeps %v, %d events; want 3", sleeps, len(events))
	}
	for i, d := range sleeps {
		if d < 2*time.Second || d > 2400*time.Millisecond || events[i].Delay != d || !events[i].ServerDelay {
			t.Errorf("retry %d: slept %v, event %+v; want a server delay in [2s, 2.4s]", i+1, d, events[i])
		}
	}
}

// FuzzIdempotencyKeyBody: whatever the request body, looking for the key
// never panics and agrees with a plain decode of the top-level member.
func FuzzIdempotencyKeyBody(f *testing.F) {
	for _, s := range []string{`{"idempotency_key":"k"}`, `{"idempotency_key":""}`, `{"idempotency_key":null}`, `[1]`, `{"a":{"idempotency_key":"k"}}`, `{"idempotency_key":"k"} trailing`, `{"idempotency_key":"a","idempotency_key":""}`, "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got := jsonStringAt([]byte(body), []string{"idempotency_key"})
		var doc struct {
			Key *string `json:"idempotency_key"`
		}
		var raw map[string]json.RawMessage
		want := json.Unmarshal([]byte(body), &raw) == nil && raw != nil &&
			json.Unmarshal(raw["idempotency_key"], &doc.Key) == nil && doc.Key != nil && strings.TrimSpace(*doc.Key) != ""
		if got != want {
			t.Fatalf("jsonStringAt(%q) = %v, want %v", body, got, want)
		}
	})
}

// TestCooldownOnlyForMeaningfulDelays: the transport shares a server delay
// with its Limiter by RetryDelay's rule: a delay on an action that gives it
// no meaning (a request to fix) stalls nobody; do_not_retry's delay (a
// quota's reset) cools the quota down, capped at the transport's server
// delay cap.
func TestCooldownOnlyForMeaningfulDelays(t *testing.T) {
	for _, tt := range []struct {
		action Action
		want   []string
	}{
		{ActionFixRequest, nil},
		{ActionUserAction, nil},
		{ActionDoNotRetry, []string{"test:token:default=20s"}},
	} {
		t.Run(tt.action.String(), func(t *testing.T) {
			lim := &recordingLimiter{}
			p := Policy{Vendor: "test", Classify: func(resp *http.Response) error {
				return &testError{status: resp.StatusCode, action: tt.action, delay: time.Hour, hasDelay: true}
			}}
			srv := httptestServer(t, http.StatusBadRequest)
			tr := NewTransport(nil, p, WithLimiter(lim), WithClock(newFakeClock()))
			resp, err := (&http.Client{Transport: tr}).Get(srv)
			if err != nil {
				t.Fatal(err)
			}
			readAll(resp)
			if fmt.Sprint(lim.cooldowns) != fmt.Sprint(tt.want) {
				t.Errorf("cooldowns %v, want %v", lim.cooldowns, tt.want)
			}
		})
	}
}

// TestDecideSeesNewActions: the decision hook sees do_not_retry and
// user_action with Retry false; it may still choose to retry (its call),
// and even then user_action never calls the credential refresh.
func TestDecideSeesNewActions(t *testing.T) {
	for _, code := range []string{"do_not_retry", "user_action"} {
		t.Run(code, func(t *testing.T) {
			var seen []Decision
			var refreshes atomic.Int32
			e := newEnv(t, func(hit int, w http.ResponseWriter, _ *http.Request) {
				if hit == 1 {
					w.WriteHeader(http.StatusUnauthorized)
					_, _ = io.WriteString(w, "code="+code+"\n")
					return
				}
				_, _ = io.WriteString(w, "ok")
			}, WithDecide(func(o Outcome, d Decision) Decision {
				seen = append(seen, d)
				return Decision{Retry: true}
			}), WithReauthenticate(func(context.Context) error { refreshes.Add(1); return nil }))
			if got := readAll(e.get(t)); got != "ok" || len(seen) != 1 || seen[0].Retry || refreshes.Load() != 0 {
				t.Errorf("body %q, decisions %+v, refreshes %d", got, seen, refreshes.Load())
			}
		})
	}
}

// httptestServer serves status with an empty body; it returns its URL.
func httptestServer(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
	t.Cleanup(srv.Close)
	return srv.URL
}

// BenchmarkIdempotencyKeyBody measures what deciding a POST's retry by the
// key in its body costs, once per call that fails: GetBody, a bounded read
// and a decode of the top level (a 1 KiB payment body).
func BenchmarkIdempotencyKeyBody(b *testing.B) {
	payload := `{"amount":500,"currency":"eur","description":"` + strings.Repeat("x", 950) + `","idempotency_key":"pay-7f3a"}`
	tr := NewTransport(nil, Policy{IdempotencyKeyField: []string{"idempotency_key"}})
	req, _ := http.NewRequest(http.MethodPost, "http://example.com/v1/payments", strings.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if !tr.bodyHasIdempotencyKey(req) {
			b.Fatal("key not found")
		}
	}
}
