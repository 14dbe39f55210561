package apierr

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// testError is the Error a fake vendor's Classify returns.
type testError struct {
	status   int
	kind     Kind
	action   Action
	code     string
	delay    time.Duration
	hasDelay bool
}

func (e *testError) Error() string {
	return fmt.Sprintf("test vendor: %d %s %s", e.status, e.kind, e.code)
}
func (e *testError) Vendor() string                    { return "test" }
func (e *testError) HTTPStatus() int                   { return e.status }
func (e *testError) ErrorCode() string                 { return e.code }
func (e *testError) Kind() Kind                        { return e.kind }
func (e *testError) Action() Action                    { return e.action }
func (e *testError) RetryDelay() (time.Duration, bool) { return e.delay, e.hasDelay }

// idemHeader is the fake vendor's idempotency key header.
const idemHeader = "Idempotency-Key"

// testPolicy is a fake vendor: 5xx retry with backoff, 429 after the
// server's delay, 401 reauthenticate, 400 fix the request, anything else
// contact support; the codes user_action and do_not_retry give those
// actions, whatever the status. Retry-After is read on 5xx, 429 and
// do_not_retry, measured from now(). The request body's member
// idempotency_key is the vendor's body idempotency key. A body starting "code=" names the vendor code, read with PeekBody
// so the caller still sees the whole body.
func testPolicy(now func() time.Time) Policy {
	return Policy{
		Vendor:               "test",
		IdempotencyKeyHeader: idemHeader,
		IdempotencyKeyField:  []string{"idempotency_key"},
		Classify: func(resp *http.Response) error {
			if resp.StatusCode < 400 {
				return nil
			}
			prefix, _, _ := PeekBody(resp, 1024)
			e := &testError{status: resp.StatusCode}
			if rest, ok := bytes.CutPrefix(prefix, []byte("code=")); ok {
				code, _, _ := bytes.Cut(rest, []byte("\n"))
				e.code = string(code)
			}
			switch {
			case e.code == "reauth":
				e.kind, e.action = KindPermissionDenied, ActionReauthenticate
			case e.code == "user_action":
				e.kind, e.action = KindUnauthenticated, ActionUserAction
			case e.code == "do_not_retry":
				e.kind, e.action = KindRateLimited, ActionDoNotRetry
			case resp.StatusCode == http.StatusTooManyRequests:
				e.kind, e.action = KindRateLimited, ActionRetryAfter
			case resp.StatusCode >= 500:
				e.kind, e.action = KindUnavailable, ActionRetryBackoff
			case resp.StatusCode == http.StatusUnauthorized:
				e.kind, e.action = KindUnauthenticated, ActionReauthenticate
			case resp.StatusCode == http.StatusBadRequest:
				e.kind, e.action = KindBadRequest, ActionFixRequest
			default:
				e.kind, e.action = KindUnknown, ActionContactSupport
			}
			if e.action.TakesDelay() {
				e.delay, e.hasDelay = ParseRetryAfter(resp.Header.Get("Retry-After"), now())
			}
			return e
		},
	}
}

// fakeClock records the delays the transport asks for and, unless hold is
// set, lets them pass at once by advancing its own time.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	hold   bool               // After never fires: the transport waits until cancelled
	waits  chan time.Duration // if set, receives each requested delay
}

func newFakeClock() *fakeClock {
	// Whole seconds so that HTTP-dates, which have second precision,
	// round-trip exactly; close to real time so context deadlines compare
	// sensibly.
	return &fakeClock{now: time.Now().Truncate(time.Second)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	ch := make(chan time.Time, 1)
	if !c.hold {
		c.now = c.now.Add(d)
		ch <- c.now
	}
	waits := c.waits
	c.mu.Unlock()
	if waits != nil {
		waits <- d
	}
	return ch
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// trackingTransport wraps a RoundTripper and records every response body so
// tests can check that discarded responses were closed.
type trackingTransport struct {
	base   http.RoundTripper
	mu     sync.Mutex
	bodies []*trackedBody
}

type trackedBody struct {
	io.ReadCloser
	closed atomic.Bool
}

func (b *trackedBody) Close() error {
	b.closed.Store(true)
	return b.ReadCloser.Close()
}

func (tt *trackingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := tt.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b := &trackedBody{ReadCloser: resp.Body}
	resp.Body = b
	tt.mu.Lock()
	tt.bodies = append(tt.bodies, b)
	tt.mu.Unlock()
	return resp, nil
}

// openBodies counts response bodies that were never closed.
func (tt *trackingTransport) openBodies() int {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	n := 0
	for _, b := range tt.bodies {
		if !b.closed.Load() {
			n++
		}
	}
	return n
}

// readAll reads and closes resp.Body.
func readAll(resp *http.Response) string {
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return "read error: " + err.Error()
	}
	return string(b)
}

// seenBodies collects request bodies a server received, in order.
type seenBodies struct {
	mu     sync.Mutex
	bodies []string
}

func (s *seenBodies) add(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
}

func (s *seenBodies) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

func (s *seenBodies) String() string { return strings.Join(s.all(), "|") }
