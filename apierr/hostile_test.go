package apierr

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// These tests reproduce, against loopback servers, the defects an
// adversarial review found (issue 16): each failed before its fix.

// within fails the test if fn has not returned after d; it returns fn's
// duration. A hang would otherwise last until the test binary's timeout.
func within(t *testing.T, d time.Duration, what string, fn func()) time.Duration {
	t.Helper()
	start := time.Now()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
		return time.Since(start)
	case <-time.After(d):
		t.Fatalf("%s still running after %v", what, d)
		return 0
	}
}

// Item 1: a reauthentication hook that logs in through the same client,
// whose login is itself answered 401, must not deadlock.
func TestTransportRefreshThroughSameClientDoesNotDeadlock(t *testing.T) {
	var logins, refreshes atomic.Int32
	var loginStatus atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			logins.Add(1)
		}
		w.WriteHeader(http.StatusUnauthorized) // the password was rotated
	}))
	defer srv.Close()
	var client *http.Client
	client = &http.Client{Transport: NewTransport(srv.Client().Transport, testPolicy(time.Now),
		WithReauthenticate(func(ctx context.Context) error {
			refreshes.Add(1)
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/login", nil)
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			loginStatus.Store(int32(resp.StatusCode))
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("login: %s", resp.Status)
			}
			return nil
		}))}
	var resp *http.Response
	var err error
	within(t, 5*time.Second, "a request whose refresh logs in through the same client", func() {
		resp, err = client.Get(srv.URL + "/data") // no deadline: a deadlock would hang forever
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want the 401", resp.StatusCode)
	}
	if refreshes.Load() != 1 || logins.Load() != 1 || loginStatus.Load() != 401 {
		t.Errorf("%d refreshes, %d logins answered %d; want 1, 1, 401", refreshes.Load(), logins.Load(), loginStatus.Load())
	}
}

// stallServer answers with status and head, flushes, then holds the body
// open until release is closed, and then writes tail.
func stallServer(t *testing.T, status int, contentType, head, tail string) (srv *httptest.Server, release func()) {
	t.Helper()
	ch := make(chan struct{})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, head)
		w.(http.Flusher).Flush()
		select {
		case <-ch:
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, tail)
	}))
	var once atomic.Bool
	release = func() {
		if once.CompareAndSwap(false, true) {
			close(ch)
		}
	}
	t.Cleanup(func() { release(); srv.Close() })
	return srv, release
}

// Item 2: a stalled body costs the inspection its wait, not the request:
// PeekBody returns what arrived and the caller reads the rest when it comes.
func TestPeekBodyStalledBody(t *testing.T) {
	srv, release := stallServer(t, http.StatusInternalServerError, "text/plain", "code=busy\n", "the rest")
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got []byte
	var truncated bool
	took := within(t, 5*time.Second, "PeekBody on a stalled body", func() {
		got, truncated, err = PeekBody(resp, 1024)
	})
	if !errors.Is(err, ErrBodyWait) || string(got) != "code=busy\n" || truncated {
		t.Errorf("PeekBody = %q, %v, %v; want the head, false, ErrBodyWait", got, truncated, err)
	}
	if took < DefaultBodyWait/2 {
		t.Errorf("gave up after %v, want about DefaultBodyWait", took)
	}
	// A second inspection (FromResponse after the Transport's) does not
	// wait again for a body still stalled.
	took = within(t, 5*time.Second, "a second PeekBody", func() {
		got, truncated, err = PeekBody(resp, 1024)
	})
	if !errors.Is(err, ErrBodyWait) || string(got) != "code=busy\n" || took > DefaultBodyWait/2 {
		t.Errorf("second PeekBody = %q, %v after %v; want the head and ErrBodyWait at once", got, err, took)
	}
	release()
	if rest, err := io.ReadAll(resp.Body); err != nil || string(rest) != "code=busy\nthe rest" {
		t.Errorf("caller reads %q, %v; want the whole body", rest, err)
	}
}

// The caller can close a body whose inspection gave up while the read is
// still pending, and gets the bytes as they come when it reads on.
func TestPeekBodyStalledBodyCloses(t *testing.T) {
	srv, _ := stallServer(t, http.StatusInternalServerError, "text/plain", "head", "")
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := NewTransport(srv.Client().Transport, Policy{}, WithBodyWait(20*time.Millisecond)).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := PeekBody(resp, 1024); !errors.Is(err, ErrBodyWait) {
		t.Fatalf("err %v, want ErrBodyWait (WithBodyWait reaches PeekBody)", err)
	}
	within(t, 5*time.Second, "closing a stalled body", func() { resp.Body.Close() })
}

// Item 2 through the transport: a stalled error body holds RoundTrip for
// the body wait only, and a streaming success is not read at all.
func TestTransportStalledBodies(t *testing.T) {
	srv, release := stallServer(t, http.StatusBadRequest, "text/plain", "code=bad\n", "more")
	tr := NewTransport(srv.Client().Transport, testPolicy(time.Now), WithBodyWait(50*time.Millisecond))
	var resp *http.Response
	var err error
	within(t, 5*time.Second, "RoundTrip on a stalled error body", func() {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		resp, err = tr.RoundTrip(req)
	})
	if err != nil {
		t.Fatal(err)
	}
	release()
	if body := readAll(resp); resp.StatusCode != 400 || body != "code=bad\nmore" {
		t.Errorf("got %d %q, want the whole 400", resp.StatusCode, body)
	}

	// A retried 5xx whose body stalls: each attempt waits at most the body
	// wait, and the discarded body is closed rather than drained.
	srv5, _ := stallServer(t, http.StatusServiceUnavailable, "text/plain", "code=busy\n", "")
	tr5 := NewTransport(srv5.Client().Transport, testPolicy(time.Now), WithBodyWait(50*time.Millisecond),
		WithBackoff(time.Millisecond, time.Millisecond), WithMaxAttempts(3))
	within(t, 5*time.Second, "RoundTrip retrying stalled 5xx bodies", func() {
		req, _ := http.NewRequest(http.MethodGet, srv5.URL, nil)
		resp, err = tr5.RoundTrip(req)
	})
	if err != nil || Attempts(resp) != 3 {
		t.Fatalf("%v, %d attempts; want the third 503", err, Attempts(resp))
	}
	resp.Body.Close()
}

// Item 3: credentials set by the authorize hook do not follow a redirect to
// another origin unless the user opts in; same-origin redirects keep them.
func TestTransportAuthorizeNotSentAcrossOrigins(t *testing.T) {
	var seen atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Header.Get("Authorization"))
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/file?sig=1", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/final", http.StatusFound)
		case "/final":
			seen.Store(r.Header.Get("Authorization"))
		}
	}))
	defer api.Close()
	authorize := WithAuthorize(func(r *http.Request) error {
		r.Header.Set("Authorization", "Bearer s3cret")
		return nil
	})
	for _, c := range []struct {
		name, path string
		opts       []Option
		want       string
	}{
		{"cross-origin", "/away", nil, ""},
		{"cross-origin, opted in", "/away", []Option{WithAuthorizeCrossOrigin(true)}, "Bearer s3cret"},
		{"same origin", "/here", nil, "Bearer s3cret"},
	} {
		seen.Store("unset")
		client := &http.Client{Transport: NewTransport(http.DefaultTransport, Policy{}, append([]Option{authorize}, c.opts...)...)}
		resp, err := client.Get(api.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := seen.Load(); got != c.want {
			t.Errorf("%s: redirect target saw Authorization %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSameOrigin(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"https://api.example.com/x", "https://API.example.com:443/y", true},
		{"http://api.example.com/x", "http://api.example.com:80/y", true},
		{"https://api.example.com/x", "http://api.example.com/x", false}, // a downgrade
		{"https://api.example.com/x", "https://api.example.com:8443/x", false},
		{"https://api.example.com/x", "https://cdn.example.com/x", false},
		{"https://example.com/x", "https://example.com.evil.io/x", false},
	} {
		a, _ := url.Parse(c.a)
		b, _ := url.Parse(c.b)
		if got := sameOrigin(a, b); got != c.want {
			t.Errorf("sameOrigin(%s, %s) = %v", c.a, c.b, got)
		}
	}
}

// Item 5: a RetryEvent is one bounded line whatever the server sends.
func TestRetryEventIsOneBoundedLine(t *testing.T) {
	forged := "x\r2026/01/01 00:00:00 retry 9: all good\u2028\u202eevil" + strings.Repeat("y", 60<<10)
	e := newEnv(t, func(hit int, w http.ResponseWriter, _ *http.Request) {
		if hit == 1 {
			http.Error(w, "code="+forged, http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
	var logged bytes.Buffer
	logger := log.New(&logged, "", 0)
	var ev RetryEvent
	e.tr.onRetry = func(got RetryEvent) {
		ev = got
		logger.Printf("retry %d: %s in %v", got.Attempt, got.Reason, got.Delay) // README's example
	}
	readAll(e.get(t))
	if n := strings.Count(logged.String(), "\n"); n != 1 || strings.ContainsAny(logged.String(), "\r\u2028\u202e") {
		t.Errorf("one retry logged as %d lines: %q", n, logged.String())
	}
	if len([]rune(ev.Code)) > MaxEventCode+1 || len([]rune(ev.Reason)) > MaxEventText+1 || !strings.HasPrefix(ev.Code, "x ") {
		t.Errorf("event code %d runes, reason %d runes: %q", len([]rune(ev.Code)), len([]rune(ev.Reason)), ev.Reason)
	}
}

// Item 8: transport errors that sending again cannot cure are not retried.
func TestPermanentTransportErrors(t *testing.T) {
	wrap := func(err error) error { return &url.Error{Op: "Get", URL: "https://x", Err: err} }
	for _, err := range []error{
		wrap(x509.UnknownAuthorityError{}),
		wrap(x509.HostnameError{Host: "x"}),
		wrap(x509.CertificateInvalidError{Reason: x509.Expired}),
		wrap(&tls.CertificateVerificationError{Err: errors.New("x")}),
		wrap(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}),
		wrap(errors.New(`unsupported protocol scheme "ftp"`)),
		wrap(errors.New(`net/http: invalid header field value for "X"`)),
		wrap(errors.New(`net/http: invalid method "GET\n"`)),
		wrap(errors.New(`stopped after 10 redirects`)),
		wrap(errors.New(`x509: “x” certificate is not trusted`)),
		wrap(errors.New(`http: server gave HTTP response to HTTPS client`)),
		&url.Error{Op: "parse", URL: "%zz", Err: url.EscapeError("%zz")},
	} {
		if !permanentError(err) {
			t.Errorf("%v is retried", err)
		}
	}
	for _, err := range []error{
		wrap(io.EOF), wrap(io.ErrUnexpectedEOF), wrap(errors.New("connection reset by peer")),
		wrap(context.DeadlineExceeded), wrap(errors.New("read: stopped after a while")),
	} {
		if permanentError(err) {
			t.Errorf("%v is not retried", err)
		}
	}
}

func TestTransportDoesNotRetryUnknownAuthority(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	var events atomic.Int32
	tr := NewTransport(&http.Transport{}, Policy{}, WithBackoff(time.Millisecond, time.Millisecond),
		WithOnRetry(func(RetryEvent) { events.Add(1) }))
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	_, err := tr.RoundTrip(req)
	var ua x509.UnknownAuthorityError
	var cv *tls.CertificateVerificationError
	if !errors.As(err, &ua) && !errors.As(err, &cv) {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	if events.Load() != 0 {
		t.Errorf("%d retries of a certificate the client does not trust", events.Load())
	}
}

// The one clock rule: Now reads the clock of the Transport that made the
// response.
func TestNowUsesTransportClock(t *testing.T) {
	e := newEnv(t, func(int, http.ResponseWriter, *http.Request) {})
	e.clock.now = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	resp := e.get(t)
	readAll(resp)
	if got := Now(resp); !got.Equal(e.clock.now) {
		t.Errorf("Now = %v, want the transport's clock %v", got, e.clock.now)
	}
	if got := Now(&http.Response{}); time.Since(got) > time.Minute {
		t.Errorf("Now of a plain response = %v, want time.Now", got)
	}
}

// A body an earlier inspection read whole is inspected again from memory,
// and still reads whole.
func TestPeekBodyTwice(t *testing.T) {
	for _, c := range []struct {
		body          string
		first, second int64
		want          string
		truncated     bool
	}{
		{"abcdef", 1024, 1024, "abcdef", false},
		{"abcdef", 3, 3, "abc", true},
		{"abcdef", 4, 2, "ab", true},
		{"abcdef", 2, 4, "abcd", true}, // needs more than the first read: reads on
	} {
		resp := &http.Response{Body: io.NopCloser(strings.NewReader(c.body))}
		_, _, _ = PeekBody(resp, c.first)
		got, truncated, err := PeekBody(resp, c.second)
		if string(got) != c.want || truncated != c.truncated || err != nil {
			t.Errorf("%+v: second PeekBody = %q, %v, %v", c, got, truncated, err)
		}
		if rest, err := io.ReadAll(resp.Body); string(rest) != c.body || err != nil {
			t.Errorf("%+v: caller reads %q, %v", c, rest, err)
		}
	}
	// A read error an earlier inspection met is reported again.
	resp := &http.Response{Body: &failingBody{data: "ab", err: io.ErrUnexpectedEOF}}
	_, _, _ = PeekBody(resp, 10)
	if got, _, err := PeekBody(resp, 10); string(got) != "ab" || err != io.ErrUnexpectedEOF {
		t.Errorf("second PeekBody after a read error = %q, %v", got, err)
	}
}

// A decision hook sees a permanent transport error with Retry false.
func TestDecideSeesPermanentErrors(t *testing.T) {
	var got []Decision
	tr := NewTransport(roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, x509.UnknownAuthorityError{}
	}), Policy{}, WithDecide(func(o Outcome, d Decision) Decision {
		got = append(got, d)
		return d
	}))
	req, _ := http.NewRequest(http.MethodGet, "https://example.invalid/", nil)
	if _, err := tr.RoundTrip(req); err == nil {
		t.Fatal("no error")
	}
	if len(got) != 1 || got[0].Retry {
		t.Errorf("hook saw %+v, want one decision not to retry", got)
	}
}
