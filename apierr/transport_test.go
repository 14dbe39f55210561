package apierr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// env is one test's loopback server and a client whose transport is a
// Transport over a body-tracking wrapper, with a fake clock.
type env struct {
	srv      *httptest.Server
	hits     atomic.Int32
	newConns atomic.Int32
	clock    *fakeClock
	track    *trackingTransport
	tr       *Transport
	client   *http.Client
}

// newEnv starts a server whose handler receives the 1-based hit number.
func newEnv(t *testing.T, handler func(hit int, w http.ResponseWriter, r *http.Request), opts ...Option) *env {
	t.Helper()
	e := &env{clock: newFakeClock()}
	e.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler(int(e.hits.Add(1)), w, r)
	}))
	e.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			e.newConns.Add(1)
		}
	}
	e.srv.Start()
	t.Cleanup(e.srv.Close)
	e.track = &trackingTransport{base: e.srv.Client().Transport}
	all := append([]Option{WithClock(e.clock)}, opts...)
	e.tr = NewTransport(e.track, testPolicy(e.clock.Now), all...)
	e.client = &http.Client{Transport: e.tr}
	return e
}

func (e *env) get(t *testing.T) *http.Response {
	t.Helper()
	resp, err := e.client.Get(e.srv.URL + "/thing")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	return resp
}

// checkBackoff asserts that each sleep lies within the full-jitter window of
// its retry number for base and ceiling.
func checkBackoff(t *testing.T, sleeps []time.Duration, base, ceiling time.Duration) {
	t.Helper()
	for i, d := range sleeps {
		limit := min(base<<i, ceiling)
		if d < 0 || d > limit {
			t.Errorf("sleep before retry %d = %v, want within [0, %v]", i+1, d, limit)
		}
	}
}

func TestTransportRetriesFlaky503ThenSucceeds(t *testing.T) {
	e := newEnv(t, func(hit int, w http.ResponseWriter, _ *http.Request) {
		if hit <= 2 {
			// Longer than Classify's peek, shorter than the drain bound:
			// only a drained connection can be reused.
			http.Error(w, "code=overloaded\n"+strings.Repeat("busy ", 2000), http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
	resp := e.get(t)
	if got := readAll(resp); resp.StatusCode != 200 || got != "ok" {
		t.Fatalf("got %d %q, want 200 ok", resp.StatusCode, got)
	}
	if n := e.hits.Load(); n != 3 {
		t.Errorf("server hits = %d, want 3", n)
	}
	if n := Attempts(resp); n != 3 {
		t.Errorf("Attempts = %d, want 3", n)
	}
	sleeps := e.clock.Sleeps()
	if len(sleeps) != 2 {
		t.Fatalf("sleeps = %v, want 2", sleeps)
	}
	checkBackoff(t, sleeps, DefaultBackoffBase, DefaultBackoffMax)
	if n := e.track.openBodies(); n != 0 {
		t.Errorf("%d response bodies left open", n)
	}
	// Discarded responses were drained, so every attempt reused one
	// keep-alive connection.
	if n := e.newConns.Load(); n != 1 {
		t.Errorf("server saw %d connections, want 1 (discarded bodies not drained?)", n)
	}
}

func TestTransportExhaustionReturnsFinalResponseIntact(t *testing.T) {
	// A plain-text body longer than the Classify peek limit: the final
	// response must still read from its first byte to its last.
	body := "upstream connect error or disconnect/reset before headers\n" + strings.Repeat("x", 3000)
	e := newEnv(t, func(hit int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, body)
	}, WithMaxAttempts(3))
	resp, err := e.client.Get(e.srv.URL)
	if err != nil {
		t.Fatalf("err = %v, want nil after exhaustion", err)
	}
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("status = %d, want 502", resp.StatusCode)
	}
	if n := Attempts(resp); n != 3 {
		t.Errorf("Attempts = %d, want 3", n)
	}
	if n := e.hits.Load(); n != 3 {
		t.Errorf("server hits = %d, want 3", n)
	}
	if n := e.track.openBodies(); n != 1 {
		t.Errorf("open bodies = %d, want only the returned one", n)
	}
	if got := readAll(resp); got != body {
		t.Errorf("final body = %q..., want the whole body (%d bytes, got %d)", got[:min(len(got), 40)], len(body), len(got))
	}
	if n := e.track.openBodies(); n != 0 {
		t.Errorf("%d bodies open after closing the final one", n)
	}
}

func TestTransportDefaultMaxAttempts(t *testing.T) {
	e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}, WithBackoff(time.Second, 3*time.Second))
	resp := e.get(t)
	readAll(resp)
	if n := e.hits.Load(); n != DefaultMaxAttempts {
		t.Errorf("server hits = %d, want %d", n, DefaultMaxAttempts)
	}
	sleeps := e.clock.Sleeps()
	if len(sleeps) != DefaultMaxAttempts-1 {
		t.Fatalf("sleeps = %v, want %d", sleeps, DefaultMaxAttempts-1)
	}
	checkBackoff(t, sleeps, time.Second, 3*time.Second)
}

func TestTransportMaxAttemptsOne(t *testing.T) {
	e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}, WithMaxAttempts(0))
	resp := e.get(t)
	readAll(resp)
	if n := e.hits.Load(); n != 1 || resp.StatusCode != 503 {
		t.Errorf("hits = %d, status %d; want one attempt returning 503", n, resp.StatusCode)
	}
}

func TestTransportHonoursServerDelay(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header func(now time.Time) string
		want   time.Duration
	}{
		{"429 integer", 429, func(time.Time) string { return "2" }, 2 * time.Second},
		{"429 fractional", 429, func(time.Time) string { return "0.40235" }, 402350 * time.Microsecond},
		{"429 HTTP-date", 429, func(now time.Time) string { return now.Add(3 * time.Second).UTC().Format(http.TimeFormat) }, 3 * time.Second},
		{"429 past HTTP-date", 429, func(now time.Time) string { return now.Add(-time.Hour).UTC().Format(http.TimeFormat) }, 0},
		{"429 zero", 429, func(time.Time) string { return "0" }, 0},
		{"503 with Retry-After", 503, func(time.Time) string { return "1" }, time.Second},
		{"429 at the cap", 429, func(time.Time) string { return "20" }, 20 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *env
			e = newEnv(t, func(hit int, w http.ResponseWriter, _ *http.Request) {
				if hit == 1 {
					w.Header().Set("Retry-After", tt.header(e.clock.Now()))
					w.WriteHeader(tt.status)
					return
				}
				_, _ = io.WriteString(w, "ok")
			})
			resp := e.get(t)
			if got := readAll(resp); got != "ok" {
				t.Fatalf("body = %q, want ok", got)
			}
			if n := e.hits.Load(); n != 2 {
				t.Errorf("server hits = %d, want 2", n)
			}
			sleeps := e.clock.Sleeps()
			// A zero delay retries without consulting the clock at all.
			if tt.want == 0 {
				if len(sleeps) != 0 {
					t.Errorf("sleeps = %v, want none", sleeps)
				}
				return
			}
			if len(sleeps) != 1 || sleeps[0] != tt.want {
				t.Errorf("sleeps = %v, want [%v]", sleeps, tt.want)
			}
		})
	}
}

func TestTransportServerDelayAboveCapStops(t *testing.T) {
	for _, value := range []string{"1000000", "21", "Fri, 31 Dec 9999 23:59:59 GMT"} {
		t.Run(value, func(t *testing.T) {
			e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Retry-After", value)
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = io.WriteString(w, "code=slow_down\nquota exhausted")
			})
			resp := e.get(t)
			if resp.StatusCode != 429 {
				t.Errorf("status = %d, want 429", resp.StatusCode)
			}
			if got := readAll(resp); got != "code=slow_down\nquota exhausted" {
				t.Errorf("body = %q", got)
			}
			if n := e.hits.Load(); n != 1 {
				t.Errorf("server hits = %d, want 1", n)
			}
			if n := Attempts(resp); n != 1 {
				t.Errorf("Attempts = %d, want 1", n)
			}
			if s := e.clock.Sleeps(); len(s) != 0 {
				t.Errorf("slept %v, want no sleep", s)
			}
		})
	}
}

func TestTransportMaxServerDelayOption(t *testing.T) {
	e := newEnv(t, func(hit int, w http.ResponseWriter, _ *http.Request) {
		if hit == 1 {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}, WithMaxServerDelay(time.Minute))
	resp := e.get(t)
	readAll(resp)
	if s := e.clock.Sleeps(); resp.StatusCode != 200 || len(s) != 1 || s[0] != 30*time.Second {
		t.Errorf("status %d, sleeps %v; want 200 after one 30s sleep", resp.StatusCode, s)
	}
}

// TestServerDelayJitterOnlyAdds holds the jitter rule (off by default): a
// server's delay is never shortened, is lengthened by at most the jitter fraction, never past
// the WithMaxServerDelay cap, and does spread (clients told the same
// Retry-After do not all come back at one instant).
func TestServerDelayJitterOnlyAdds(t *testing.T) {
	fifth := []Option{WithServerDelayJitter(0.2)}
	cases := []struct {
		name       string
		opts       []Option
		delay, max time.Duration
		spread     bool
	}{
		{"default is exact", nil, time.Second, time.Second, false},
		{"a fifth", fifth, time.Second, 1200 * time.Millisecond, true},
		{"tiny delay", fifth, 3 * time.Nanosecond, 3 * time.Nanosecond, false},
		{"zero stays zero", fifth, 0, 0, false},
		{"near the cap stops at the cap", fifth, 19 * time.Second, DefaultMaxServerDelay, true},
		{"at the cap stays", fifth, DefaultMaxServerDelay, DefaultMaxServerDelay, false},
		{"above the cap untouched", fifth, time.Minute, time.Minute, false},
		{"raised cap", []Option{WithServerDelayJitter(0.2), WithMaxServerDelay(time.Hour)}, time.Minute, 72 * time.Second, true},
		{"whole delay", []Option{WithServerDelayJitter(1)}, time.Second, 2 * time.Second, true},
		{"clamped above one", []Option{WithServerDelayJitter(7)}, time.Second, 2 * time.Second, true},
		{"off", []Option{WithServerDelayJitter(0)}, time.Second, time.Second, false},
		{"negative is off", []Option{WithServerDelayJitter(-1)}, time.Second, time.Second, false},
		{"NaN is off", []Option{WithServerDelayJitter(math.NaN())}, time.Second, time.Second, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := NewTransport(nil, Policy{}, c.opts...)
			seen := map[time.Duration]bool{}
			for range 500 {
				got := tr.jitterServerDelay(c.delay)
				if got < c.delay || got > c.max {
					t.Fatalf("jitterServerDelay(%v) = %v, want within [%v, %v]", c.delay, got, c.delay, c.max)
				}
				seen[got] = true
			}
			if c.spread != (len(seen) > 1) {
				t.Errorf("jitterServerDelay(%v) gave %d distinct delays; spread %t wanted", c.delay, len(seen), c.spread)
			}
		})
	}
}

func TestTransportConnectionReset(t *testing.T) {
	// hijackClose drops the connection without a response, as a crashing
	// proxy or a connection reset does.
	hijackClose := func(w http.ResponseWriter) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		_ = conn.Close()
	}
	t.Run("GET retried", func(t *testing.T) {
		var events []RetryEvent
		e := newEnv(t, func(hit int, w http.ResponseWriter, _ *http.Request) {
			if hit == 1 {
				hijackClose(w)
				return
			}
			_, _ = io.WriteString(w, "ok")
		}, WithOnRetry(func(ev RetryEvent) { events = append(events, ev) }))
		resp := e.get(t)
		if got := readAll(resp); got != "ok" {
			t.Fatalf("body = %q, want ok", got)
		}
		if n := e.hits.Load(); n != 2 {
			t.Errorf("server hits = %d, want 2", n)
		}
		if n := Attempts(resp); n != 2 {
			t.Errorf("Attempts = %d, want 2", n)
		}
		if len(events) != 1 || events[0].Status != 0 || events[0].Err == "" || !strings.HasPrefix(events[0].Reason, "transport error") {
			t.Errorf("events = %+v, want one transport-error event", events)
		}
	})
	t.Run("POST without key not retried", func(t *testing.T) {
		e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) { hijackClose(w) })
		resp, err := e.client.Post(e.srv.URL, "text/plain", strings.NewReader("charge $5"))
		if err == nil {
			readAll(resp)
			t.Fatal("err = nil, want the transport error")
		}
		if n := e.hits.Load(); n != 1 {
			t.Errorf("server hits = %d, want 1", n)
		}
	})
	t.Run("GET exhausted returns error", func(t *testing.T) {
		e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) { hijackClose(w) }, WithMaxAttempts(3))
		resp, err := e.client.Get(e.srv.URL)
		if err == nil {
			readAll(resp)
			t.Fatal("err = nil, want the transport error")
		}
		if n := e.hits.Load(); n != 3 {
			t.Errorf("server hits = %d, want 3", n)
		}
	})
}

func TestTransportSlowResponseWithDeadline(t *testing.T) {
	release := make(chan struct{})
	e := newEnv(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release) // before the server's Close, registered earlier, runs
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL, nil)
	start := time.Now()
	resp, err := e.client.Do(req)
	if err == nil {
		readAll(resp)
		t.Fatal("err = nil, want deadline exceeded")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v, want about 50ms", el)
	}
	if n := e.hits.Load(); n != 1 {
		t.Errorf("server hits = %d, want 1 (context errors are not retried)", n)
	}
}

func TestTransportDelayPastDeadlineReturnsLastResponse(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string
		opts       []Option
	}{
		{"backoff", "", []Option{WithBackoff(10*time.Second, 10*time.Second)}},
		{"server delay", "5", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(http.StatusServiceUnavailable)
			}, tt.opts...)
			// Full jitter may draw a short backoff that fits a real
			// deadline, so move the transport's clock to one nanosecond
			// before the deadline: then no positive delay fits, while the
			// request itself still has real seconds to finish, even on a
			// loaded machine.
			const deadline = 5 * time.Second
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			e.clock.mu.Lock()
			e.clock.now = time.Now().Add(deadline - time.Nanosecond)
			e.clock.mu.Unlock()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL, nil)
			resp, err := e.client.Do(req)
			if err != nil {
				t.Fatalf("err = %v, want the last response", err)
			}
			readAll(resp)
			if resp.StatusCode != 503 || e.hits.Load() != 1 {
				t.Errorf("status %d after %d hits; want 503 after 1", resp.StatusCode, e.hits.Load())
			}
			if s := e.clock.Sleeps(); len(s) != 0 {
				t.Errorf("slept %v, want none", s)
			}
		})
	}
}

func TestTransportNonIdempotentRequests(t *testing.T) {
	const payload = `{"amount":500,"currency":"usd"}`
	tests := []struct {
		name     string
		method   string
		key      string
		opts     []Option
		wantHits int
	}{
		{"POST without key", http.MethodPost, "", nil, 1},
		{"PATCH without key", http.MethodPatch, "", nil, 1},
		{"POST with key", http.MethodPost, "k-123", nil, 3},
		{"POST opted in", http.MethodPost, "", []Option{WithRetryNonIdempotent(true)}, 3},
		{"PUT", http.MethodPut, "", nil, 3},
		{"DELETE", http.MethodDelete, "", nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen seenBodies
			e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
				seen.add(r)
				if hit <= 2 {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				_, _ = io.WriteString(w, "done")
			}, tt.opts...)
			req, _ := http.NewRequest(tt.method, e.srv.URL, strings.NewReader(payload))
			if tt.key != "" {
				req.Header.Set(idemHeader, tt.key)
			}
			resp, err := e.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			readAll(resp)
			if n := int(e.hits.Load()); n != tt.wantHits {
				t.Errorf("server hits = %d, want %d", n, tt.wantHits)
			}
			for i, b := range seen.all() {
				if b != payload {
					t.Errorf("attempt %d body = %q, want %q", i+1, b, payload)
				}
			}
			if n := e.track.openBodies(); n != 0 {
				t.Errorf("%d bodies left open", n)
			}
		})
	}
}

// TestTransportRewindsBodyForEachAttempt checks rewinding against a bare
// RoundTripper, because net/http's own transport would mask a missing rewind
// by rewinding through GetBody itself.
func TestTransportRewindsBodyForEachAttempt(t *testing.T) {
	const payload = "line one\nline two"
	var seen []string
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		seen = append(seen, string(b))
		status := http.StatusServiceUnavailable
		if len(seen) == 3 {
			status = http.StatusOK
		}
		return &http.Response{StatusCode: status, Body: http.NoBody, Request: r}, nil
	})
	tr := NewTransport(base, testPolicy(time.Now), WithClock(newFakeClock()))
	req, _ := http.NewRequest(http.MethodPut, "http://127.0.0.1:1/", strings.NewReader(payload))
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || Attempts(resp) != 3 {
		t.Errorf("status %d after %d attempts; want 200 after 3", resp.StatusCode, Attempts(resp))
	}
	if len(seen) != 3 {
		t.Fatalf("base saw %d attempts, want 3", len(seen))
	}
	for i, b := range seen {
		if b != payload {
			t.Errorf("attempt %d body = %q, want %q", i+1, b, payload)
		}
	}
}

func TestTransportBodyWithoutGetBodyNotRetried(t *testing.T) {
	var seen seenBodies
	e := newEnv(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		seen.add(r)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	// io.NopCloser hides the reader's type, so net/http sets no GetBody.
	req, _ := http.NewRequest(http.MethodPut, e.srv.URL, io.NopCloser(strings.NewReader("once")))
	if req.GetBody != nil {
		t.Fatal("test setup: GetBody is set")
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readAll(resp)
	if n := e.hits.Load(); n != 1 || resp.StatusCode != 503 {
		t.Errorf("hits %d, status %d; want the 503 after one attempt", n, resp.StatusCode)
	}
	if got := seen.String(); got != "once" {
		t.Errorf("server saw %q", got)
	}
}

// tokenAuth is a fake credential store: the server accepts only the current
// token, and refresh rotates to it.
type tokenAuth struct {
	mu       sync.Mutex
	token    string
	refreshs atomic.Int32
	fail     error
	delay    time.Duration
}

func (a *tokenAuth) authorize(r *http.Request) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	r.Header.Set("Authorization", "Bearer "+a.token)
	return nil
}

func (a *tokenAuth) refresh(context.Context) error {
	a.refreshs.Add(1)
	if a.delay > 0 {
		time.Sleep(a.delay) // widen the window in which concurrent 401s pile up
	}
	if a.fail != nil {
		return a.fail
	}
	a.mu.Lock()
	a.token = "fresh"
	a.mu.Unlock()
	return nil
}

func authHandler() func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer fresh" {
			http.Error(w, "code=token_expired", http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}
}

func TestTransportReauthenticates(t *testing.T) {
	auth := &tokenAuth{token: "stale"}
	e := newEnv(t, authHandler(), WithReauthenticate(auth.refresh), WithAuthorize(auth.authorize))
	resp := e.get(t)
	if got := readAll(resp); got != "ok" {
		t.Fatalf("body = %q, want ok", got)
	}
	if n := auth.refreshs.Load(); n != 1 {
		t.Errorf("refresh calls = %d, want 1", n)
	}
	if n := Attempts(resp); n != 2 {
		t.Errorf("Attempts = %d, want 2", n)
	}
	if s := e.clock.Sleeps(); len(s) != 0 {
		t.Errorf("slept %v before the reauthenticated retry, want none", s)
	}
	// Fresh credentials now: no more refreshes.
	resp = e.get(t)
	readAll(resp)
	if n := auth.refreshs.Load(); n != 1 || resp.StatusCode != 200 || e.hits.Load() != 3 {
		t.Errorf("status %d, refresh calls %d, hits %d; want 200, still 1, 3", resp.StatusCode, n, e.hits.Load())
	}
}

// A request not safe to repeat is not resent after a 401, but the transport
// still refreshes, so the caller's own resend carries the new credentials;
// the caller's idempotency key or WithRetryNonIdempotent makes it safe. A key
// the authorize hook sets does not: the hook runs for every attempt, and a
// hook making a fresh key each time would turn a retry into a second charge.
func TestTransportReauthResendsOnlyWhatIsSafe(t *testing.T) {
	tests := []struct {
		name     string
		opts     []Option
		key      bool
		hookKey  bool
		wantHits int32
	}{
		{"POST", nil, false, false, 1},
		{"POST with idempotency key", nil, true, false, 2},
		{"POST with idempotency key set by the authorize hook", nil, false, true, 1},
		{"POST with WithRetryNonIdempotent", []Option{WithRetryNonIdempotent(true)}, false, false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth := &tokenAuth{token: "stale"}
			authorize := auth.authorize
			if tt.hookKey {
				var n atomic.Int32
				authorize = func(r *http.Request) error {
					r.Header.Set(idemHeader, fmt.Sprintf("k-%d", n.Add(1)))
					return auth.authorize(r)
				}
			}
			opts := append([]Option{WithReauthenticate(auth.refresh), WithAuthorize(authorize)}, tt.opts...)
			e := newEnv(t, authHandler(), opts...)
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL, strings.NewReader("charge 500"))
			if tt.key {
				req.Header.Set(idemHeader, "k-1")
			}
			resp, err := e.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := readAll(resp)
			if e.hits.Load() != tt.wantHits || auth.refreshs.Load() != 1 {
				t.Fatalf("hits %d, refreshes %d; want %d, 1", e.hits.Load(), auth.refreshs.Load(), tt.wantHits)
			}
			if tt.wantHits == 1 {
				if resp.StatusCode != 401 || body != "code=token_expired\n" || Attempts(resp) != 1 {
					t.Errorf("status %d body %q Attempts %d; want the 401 intact after 1 attempt", resp.StatusCode, body, Attempts(resp))
				}
				// The caller's resend goes out with the refreshed token.
				req, _ = http.NewRequest(http.MethodPost, e.srv.URL, strings.NewReader("charge 500"))
				resp, err = e.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body = readAll(resp)
			}
			if resp.StatusCode != 200 || body != "ok" || auth.refreshs.Load() != 1 {
				t.Errorf("status %d body %q refreshes %d; want 200 ok after one refresh", resp.StatusCode, body, auth.refreshs.Load())
			}
		})
	}
}

func TestTransportReauthenticatesOnlyOnce(t *testing.T) {
	auth := &tokenAuth{token: "stale"}
	e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "code=revoked", http.StatusUnauthorized)
	}, WithReauthenticate(auth.refresh), WithAuthorize(auth.authorize))
	resp := e.get(t)
	readAll(resp)
	if resp.StatusCode != 401 || e.hits.Load() != 2 || auth.refreshs.Load() != 1 {
		t.Errorf("status %d, hits %d, refreshes %d; want 401, 2, 1", resp.StatusCode, e.hits.Load(), auth.refreshs.Load())
	}
}

func TestTransportRefreshFailure(t *testing.T) {
	auth := &tokenAuth{token: "stale", fail: errors.New("token endpoint down")}
	e := newEnv(t, authHandler(), WithReauthenticate(auth.refresh), WithAuthorize(auth.authorize))
	resp := e.get(t)
	if resp.StatusCode != 401 {
		t.Errorf("status = %d, want 401", resp.StatusCode)
	}
	if got := readAll(resp); got != "code=token_expired\n" {
		t.Errorf("body = %q, want the 401 body intact", got)
	}
	if e.hits.Load() != 1 || auth.refreshs.Load() != 1 {
		t.Errorf("hits %d, refreshes %d; want 1 and 1", e.hits.Load(), auth.refreshs.Load())
	}
}

func TestTransportUnauthorizedWithoutHook(t *testing.T) {
	e := newEnv(t, authHandler())
	resp := e.get(t)
	readAll(resp)
	if resp.StatusCode != 401 || e.hits.Load() != 1 {
		t.Errorf("status %d after %d hits; want 401 after 1", resp.StatusCode, e.hits.Load())
	}
}

func TestTransportConcurrentReauthRefreshesOnce(t *testing.T) {
	auth := &tokenAuth{token: "stale", delay: 5 * time.Millisecond}
	e := newEnv(t, authHandler(), WithReauthenticate(auth.refresh), WithAuthorize(auth.authorize))
	const n = 40
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			resp, err := e.client.Get(e.srv.URL)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			readAll(resp)
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != 200 {
			t.Errorf("request %d: status %d, want 200", i, s)
		}
	}
	if c := auth.refreshs.Load(); c != 1 {
		t.Errorf("refresh calls = %d, want 1 shared by all requests", c)
	}
}

// TestTransportStaleUnauthorizedDoesNotRefreshAgain covers a request that
// was sent with the old credentials but whose 401 arrives after another
// request already refreshed them: it must retry with the new credentials,
// not refresh a second time.
func TestTransportStaleUnauthorizedDoesNotRefreshAgain(t *testing.T) {
	auth := &tokenAuth{token: "stale"}
	slowArrived := make(chan struct{})
	releaseSlow := make(chan struct{})
	e := newEnv(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Slow") != "" && r.Header.Get("Authorization") != "Bearer fresh" {
			close(slowArrived)
			<-releaseSlow
		}
		authHandler()(0, w, r)
	}, WithReauthenticate(auth.refresh), WithAuthorize(auth.authorize))

	slowDone := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL, nil)
		req.Header.Set("X-Slow", "1")
		resp, err := e.client.Do(req)
		if err != nil {
			t.Errorf("slow request: %v", err)
		}
		slowDone <- resp
	}()
	<-slowArrived // the slow request is on the server with the stale token

	resp := e.get(t) // fails with the stale token, refreshes, succeeds
	readAll(resp)
	if resp.StatusCode != 200 || auth.refreshs.Load() != 1 {
		t.Fatalf("fast request: status %d, refreshes %d; want 200, 1", resp.StatusCode, auth.refreshs.Load())
	}
	close(releaseSlow) // now the slow request gets its stale 401

	if resp := <-slowDone; resp != nil {
		readAll(resp)
		if resp.StatusCode != 200 || Attempts(resp) != 2 {
			t.Errorf("slow request: status %d after %d attempts; want 200 after 2", resp.StatusCode, Attempts(resp))
		}
	}
	if n := auth.refreshs.Load(); n != 1 {
		t.Errorf("refresh calls = %d, want 1: a stale 401 after a refresh must not refresh again", n)
	}
}

func TestTransportFinalActionsNotRetried(t *testing.T) {
	for _, status := range []int{400, 403, 404, 409} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "code=invalid_field", status)
			})
			resp := e.get(t)
			if got := readAll(resp); got != "code=invalid_field\n" {
				t.Errorf("body = %q", got)
			}
			if resp.StatusCode != status || e.hits.Load() != 1 {
				t.Errorf("status %d after %d hits; want %d after 1", resp.StatusCode, e.hits.Load(), status)
			}
		})
	}
}

func TestTransportCancelDuringBackoff(t *testing.T) {
	e := newEnv(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "code=busy", http.StatusServiceUnavailable)
	})
	e.clock.hold = true
	e.clock.waits = make(chan time.Duration, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		resp *http.Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL, nil)
		resp, err := e.tr.RoundTrip(req)
		done <- result{resp, err}
	}()
	<-e.clock.waits // the transport is now waiting out the backoff
	cancel()
	var r result
	select {
	case r = <-done:
	case <-time.After(5 * time.Second):
		// Only reached when the test fails: a transport that ignores
		// cancellation would otherwise hang until the test binary's timeout.
		t.Fatal("RoundTrip still waiting 5s after its context was cancelled")
	}
	if r.resp != nil {
		readAll(r.resp)
		t.Fatalf("got a %d response, want the context error", r.resp.StatusCode)
	}
	if !errors.Is(r.err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", r.err)
	}
	if n := e.hits.Load(); n != 1 {
		t.Errorf("server hits = %d, want 1", n)
	}
	if n := e.track.openBodies(); n != 0 {
		t.Errorf("%d bodies left open, want the held 503 closed", n)
	}
}

func TestTransportCancelledBeforeStart(t *testing.T) {
	e := newEnv(t, func(int, http.ResponseWriter, *http.Request) {})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL, nil)
	if _, err := e.client.Do(req); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := e.hits.Load(); n != 0 {
		t.Errorf("server hits = %d, want 0", n)
	}
}

func TestTransportAuthorizeError(t *testing.T) {
	e := newEnv(t, func(int, http.ResponseWriter, *http.Request) {},
		WithAuthorize(func(*http.Request) error { return errors.New("no credentials configured") }))
	body := &closeRecorder{Reader: strings.NewReader("x")}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL, body)
	_, err := e.tr.RoundTrip(req)
	if err == nil || !strings.Contains(err.Error(), "no credentials configured") {
		t.Errorf("err = %v, want the authorize error", err)
	}
	if !body.closed {
		t.Error("request body not closed, as RoundTrip must")
	}
	if n := e.hits.Load(); n != 0 {
		t.Errorf("server hits = %d, want 0", n)
	}
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func TestTransportNilClassify(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	tr := NewTransport(srv.Client().Transport, Policy{Vendor: "none"})
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	readAll(resp)
	if resp.StatusCode != 503 || Attempts(resp) != 1 {
		t.Errorf("status %d, attempts %d; want 503 returned as is", resp.StatusCode, Attempts(resp))
	}
}

func TestZeroTransport(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	var tr Transport
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	readAll(resp)
	if resp.StatusCode != 503 || Attempts(resp) != 1 {
		t.Errorf("status %d, attempts %d; want 503 once", resp.StatusCode, Attempts(resp))
	}
}

// TestTransportRetriesBaseTimeouts checks that a deadline error from inside
// the base RoundTripper (a dial or per-attempt timeout) is retried while the
// request's own context is still live.
func TestTransportRetriesBaseTimeouts(t *testing.T) {
	calls := 0
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return nil, fmt.Errorf("dial: %w", context.DeadlineExceeded)
		}
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	tr := NewTransport(base, testPolicy(time.Now), WithClock(newFakeClock()))
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatalf("err = %v, want a retried success", err)
	}
	if calls != 2 || Attempts(resp) != 2 {
		t.Errorf("calls %d, attempts %d; want 2 and 2", calls, Attempts(resp))
	}
}

func TestAttempts(t *testing.T) {
	if n := Attempts(nil); n != 0 {
		t.Errorf("Attempts(nil) = %d, want 0", n)
	}
	if n := Attempts(&http.Response{}); n != 1 {
		t.Errorf("Attempts(bare) = %d, want 1", n)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	readAll(resp)
	if n := Attempts(resp); n != 1 {
		t.Errorf("Attempts(plain client) = %d, want 1", n)
	}
	// A base RoundTripper that leaves resp.Request unset still counts.
	calls := 0
	tr := NewTransport(roundTripFunc(func(*http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return &http.Response{StatusCode: 503, Body: http.NoBody}, nil
		}
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	}), testPolicy(time.Now), WithClock(newFakeClock()))
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/", nil)
	resp, err = tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if n := Attempts(resp); n != 2 {
		t.Errorf("Attempts(unset Request) = %d, want 2", n)
	}
	if resp.Request == req {
		t.Error("resp.Request is the caller's request, want the attempt's clone")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransportDoesNotModifyCallerRequest(t *testing.T) {
	auth := &tokenAuth{token: "fresh"}
	e := newEnv(t, authHandler(), WithAuthorize(auth.authorize))
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL, nil)
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readAll(resp)
	if resp.StatusCode != 200 {
		t.Errorf("status = %d, want 200", resp.StatusCode)
	}
	if h := req.Header.Get("Authorization"); h != "" {
		t.Errorf("caller's request got Authorization %q; the transport must authorize a clone", h)
	}
}

func TestTransportEventsCarryNoSecrets(t *testing.T) {
	const (
		headerSecret = "hdr-s3cr3t-value"
		querySecret  = "qry-s3cr3t-value"
		userSecret   = "usr-s3cr3t-value"
		bodySecret   = "bdy-s3cr3t-value"
	)
	var (
		mu     sync.Mutex
		events []RetryEvent
		logBuf bytes.Buffer
	)
	logger := slog.New(slog.NewJSONHandler(&syncWriter{w: &logBuf, mu: &mu}, nil))
	e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		if hit <= 2 {
			// Servers echo credentials back in headers and bodies too.
			w.Header().Set("X-Echo", r.Header.Get("Authorization"))
			http.Error(w, "code=overloaded\n"+bodySecret, http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok")
	},
		WithOnRetry(func(ev RetryEvent) { mu.Lock(); events = append(events, ev); mu.Unlock() }),
		WithLogger(logger))
	u := strings.Replace(e.srv.URL, "http://", "http://admin:"+userSecret+"@", 1) + "/v1/items?api_key=" + querySecret + "#frag"
	req, _ := http.NewRequest(http.MethodPut, u, strings.NewReader(bodySecret))
	req.Header.Set("Authorization", "Bearer "+headerSecret)
	req.Header.Set(idemHeader, headerSecret)
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readAll(resp)

	mu.Lock()
	defer mu.Unlock()
	if len(events) != 2 {
		t.Fatalf("events = %d, want 2", len(events))
	}
	sleeps := e.clock.Sleeps()
	for i, ev := range events {
		want := RetryEvent{
			Vendor: "test", Attempt: i + 1, Method: http.MethodPut, URL: e.srv.URL + "/v1/items",
			Status: 503, Kind: KindUnavailable, Action: ActionRetryBackoff, Code: "overloaded",
			Reason: "503 unavailable retry_backoff code=overloaded", Delay: sleeps[i],
		}
		if ev != want {
			t.Errorf("event %d = %+v\nwant %+v", i, ev, want)
		}
	}
	dump := fmt.Sprintf("%+v %#v", events, events) + logBuf.String()
	for _, s := range []string{headerSecret, querySecret, userSecret, bodySecret} {
		if strings.Contains(dump, s) {
			t.Errorf("secret %q leaked into events or logs:\n%s", s, dump)
		}
	}
	if got := strings.Count(logBuf.String(), `"msg":"apierr: retrying request"`); got != 2 {
		t.Errorf("log has %d retry records, want 2:\n%s", got, logBuf.String())
	}
	for _, field := range []string{`"attempt":1`, `"status":503`, `"code":"overloaded"`, `"method":"PUT"`} {
		if !strings.Contains(logBuf.String(), field) {
			t.Errorf("log lacks %s:\n%s", field, logBuf.String())
		}
	}
}

// TestTransportErrorEventDropsURL checks that a transport error wrapped in a
// *url.Error, whose text repeats the URL with its query string, is reported
// without that URL.
func TestTransportErrorEventDropsURL(t *testing.T) {
	const secret = "k3y-s3cr3t"
	calls := 0
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return nil, &url.Error{Op: "Get", URL: r.URL.String(), Err: errors.New("connection reset by peer")}
		}
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	var events []RetryEvent
	tr := NewTransport(base, testPolicy(time.Now), WithClock(newFakeClock()),
		WithOnRetry(func(ev RetryEvent) { events = append(events, ev) }))
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/items?key="+secret, nil)
	if _, err := tr.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Fatalf("events = %+v, want 1", events)
	}
	ev := events[0]
	if ev.Err != "connection reset by peer" || ev.URL != "http://127.0.0.1:1/items" {
		t.Errorf("event Err %q, URL %q; want the bare error and the URL without query", ev.Err, ev.URL)
	}
	if dump := fmt.Sprintf("%#v", ev); strings.Contains(dump, secret) {
		t.Errorf("secret leaked: %s", dump)
	}
}

type syncWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func TestBackoffFullJitter(t *testing.T) {
	const base, ceiling = 100 * time.Millisecond, time.Second
	tr := NewTransport(nil, Policy{}, WithBackoff(base, ceiling))
	for retry := 1; retry <= 70; retry++ {
		limit := ceiling
		if retry < 10 {
			limit = min(base<<(retry-1), ceiling)
		}
		bottom, top := limit, time.Duration(0)
		for range 500 {
			d := tr.backoff(retry)
			if d < 0 || d > limit {
				t.Fatalf("backoff(%d) = %v, want within [0, %v]", retry, d, limit)
			}
			bottom, top = min(bottom, d), max(top, d)
		}
		// Full jitter spans the whole window: 500 draws all in one half
		// happen with probability 2^-499.
		if top < limit/2 || bottom > limit/2 {
			t.Errorf("backoff(%d) drew only within [%v, %v] of [0, %v]; not full jitter", retry, bottom, top, limit)
		}
	}
	huge := NewTransport(nil, Policy{}, WithBackoff(time.Duration(1<<62), MaxDelay))
	for _, retry := range []int{1, 2, 3, 64, 1000} {
		if d := huge.backoff(retry); d < 0 {
			t.Errorf("huge backoff(%d) = %v, negative", retry, d)
		}
	}
}

type idleCloser struct {
	http.RoundTripper
	closed int
}

func (c *idleCloser) CloseIdleConnections() { c.closed++ }

func TestCloseIdleConnectionsForwarded(t *testing.T) {
	base := &idleCloser{RoundTripper: http.DefaultTransport}
	client := &http.Client{Transport: NewTransport(base, Policy{})}
	client.CloseIdleConnections()
	if base.closed != 1 {
		t.Errorf("base CloseIdleConnections calls = %d, want 1", base.closed)
	}
	// A base without the method is fine too.
	NewTransport(roundTripFunc(nil), Policy{}).CloseIdleConnections()
}

// Whatever status asks for new credentials, a POST is not resent and a GET
// is, after one refresh either way.
func TestTransportReauthOnAnyStatusResendsOnlyWhenSafe(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		for _, method := range []string{http.MethodPost, http.MethodGet} {
			var refreshes atomic.Int32
			e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
				if hit == 1 {
					w.WriteHeader(status)
					io.WriteString(w, "code=reauth")
					return
				}
				io.WriteString(w, "ok")
			}, WithReauthenticate(func(context.Context) error { refreshes.Add(1); return nil }))
			req, _ := http.NewRequest(method, e.srv.URL, strings.NewReader("x"))
			resp, err := e.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			readAll(resp)
			want, wantHits := status, int32(1)
			if method == http.MethodGet {
				want, wantHits = http.StatusOK, 2
			}
			if resp.StatusCode != want || refreshes.Load() != 1 || e.hits.Load() != wantHits {
				t.Errorf("%d %s: status %d refreshes %d hits %d; want %d, 1, %d", status, method, resp.StatusCode, refreshes.Load(), e.hits.Load(), want, wantHits)
			}
		}
	}
}
