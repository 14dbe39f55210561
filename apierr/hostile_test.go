package apierr

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
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
	"os"
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

// Item 2: streams of JSON are not bodies that may hold one JSON error.
func TestMayHoldJSONStreams(t *testing.T) {
	for _, ct := range []string{"application/x-ndjson", "application/ndjson", "application/jsonl", "application/json-seq", "application/stream+json", "application/x-json-stream", "text/event-stream"} {
		if MayHoldJSON(http.Header{"Content-Type": {ct}}) {
			t.Errorf("%s may hold JSON", ct)
		}
	}
	for _, ct := range []string{"application/json", "APPLICATION/JSON; charset=utf-8", "application/vnd.api+json", "text/json"} {
		if !MayHoldJSON(http.Header{"Content-Type": {ct}}) {
			t.Errorf("%s may not hold JSON", ct)
		}
	}
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

// Item 4: an unparsed body that mentions a secret key in any shape is
// withheld (one that starts as a JSON object shows only its valid start,
// redacted).
func TestScrubbedTextWithholdsEveryShape(t *testing.T) {
	keys := []string{"bearer_token"}
	for _, body := range []string{
		`<error><bearer_token>tok_live_1</bearer_token></error>`,
		`{'bearer_token': 'tok_live_1'}`,
		`bearer_token = tok_live_1`,
		`<table><tr><td>bearer_token</td><td>tok_live_1</td></tr></table>`,
		`<td>bearer<b></b>_token</td><td>tok_live_1</td>`,
		`prefix {"bearer\u005ftoken": "tok_live_1"`,
		`prefix {"bearer\\u005ftoken": "tok_live_1"`,
		"bearer_token\t: tok_live_1",
		`BearerToken: tok_live_1`,
		`bearer-token tok_live_1`,
		`bearer&#95;token=tok_live_1`,
		`bearer&amp;#x5f;token=tok_live_1`,
		`bearer%5Ftoken=tok_live_1`,
		`bearer=5Ftoken=tok_live_1`,
		`\x62earer_token: tok_live_1`,
		"ｂｅａｒｅｒ＿ｔｏｋｅｎ: tok_live_1",
		"bearer\u200b_token: tok_live_1",
	} {
		if got := ScrubbedText(Doc{}, false, []byte(body), nil, keys); strings.Contains(got, "tok_live") || !strings.HasPrefix(body, "{") && got != WithheldText {
			t.Errorf("ScrubbedText(%q) = %q, want it withheld", body, got)
		}
	}
	if got := ScrubbedText(Doc{}, false, []byte("upstream timed out"), nil, keys); got != "upstream timed out" {
		t.Errorf("a body that mentions no key: %q", got)
	}
}

func TestRedactKeysIgnoresSeparators(t *testing.T) {
	doc, _ := DecodeObject([]byte(`{"a":{"bearerToken":"s1","Bearer-Token":"s2","bearer_tokens":"kept"},"_":"x"}`))
	doc.RedactKeys("bearer_token", "_")
	if got := doc.JSON(); got != `{"_":"[REDACTED]","a":{"Bearer-Token":"[REDACTED]","bearerToken":"[REDACTED]","bearer_tokens":"kept"}}` {
		t.Errorf("got %s", got)
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

// Item 6: a read error counts as truncation for the inspection.
func TestInspectBodyReadErrorTruncates(t *testing.T) {
	resp := &http.Response{Body: &failingBody{data: `{"code":4012,"mess`, err: io.ErrUnexpectedEOF}}
	body, truncated := InspectBody(resp, 1024)
	if string(body) != `{"code":4012,"mess` || !truncated {
		t.Errorf("InspectBody = %q, %v; want the bytes, truncated", body, truncated)
	}
}

// Item 7: compressed bodies are decoded for inspection, boundedly.
func TestDecodeContent(t *testing.T) {
	const text = `{"error":{"minor_code":4012}}`
	var gz, zl, raw bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, _ = io.WriteString(w, text)
	_ = w.Close()
	z := zlib.NewWriter(&zl)
	_, _ = io.WriteString(z, text)
	_ = z.Close()
	f, _ := flate.NewWriter(&raw, flate.BestCompression)
	_, _ = io.WriteString(f, text)
	_ = f.Close()
	var bomb bytes.Buffer
	bw := gzip.NewWriter(&bomb)
	// 4 MiB of zeros (~4 KiB compressed) prove the bound as 100 MiB do:
	// decoding stops at the limit. ERRCAT_LONG_TESTS=1 (make test-long)
	// expands 100 MiB.
	bombSize := 4 << 20
	if os.Getenv("ERRCAT_LONG_TESTS") != "" {
		bombSize = 100 << 20
	}
	_, _ = bw.Write(make([]byte, bombSize))
	_ = bw.Close()
	for _, c := range []struct {
		name, enc string
		body      []byte
		limit     int64
		want      string
		cut       bool
	}{
		{"gzip", "gzip", gz.Bytes(), 0, text, false},
		{"x-gzip", "X-Gzip", gz.Bytes(), 0, text, false},
		{"zlib deflate", "deflate", zl.Bytes(), 0, text, false},
		{"raw deflate", "deflate", raw.Bytes(), 0, text, false},
		{"limit", "gzip", gz.Bytes(), 10, text[:10], true},
		{"truncated", "gzip", gz.Bytes()[:gz.Len()-12], 0, text, true},
		{"not gzip", "gzip", []byte(text), 0, text, false},
		{"identity", "identity", []byte(text), 0, text, false},
		{"unsupported", "br", []byte("\x1b\x00"), 0, "\x1b\x00", false},
		{"bomb", "gzip", bomb.Bytes(), 0, string(make([]byte, DefaultMaxBodyBytes)), true},
	} {
		got, cut := DecodeContent(http.Header{"Content-Encoding": {c.enc}}, c.body, c.limit)
		if string(got) != c.want || cut != c.cut {
			t.Errorf("%s: %d bytes %.40q, cut %v; want %.40q, %v", c.name, len(got), got, cut, c.want, c.cut)
		}
	}
}

func BenchmarkDecodeContentBomb(b *testing.B) {
	var bomb bytes.Buffer
	w := gzip.NewWriter(&bomb)
	_, _ = w.Write(make([]byte, 1<<30))
	_ = w.Close()
	h := http.Header{"Content-Encoding": {"gzip"}}
	b.ReportAllocs()
	for b.Loop() {
		DecodeContent(h, bomb.Bytes()[:DefaultMaxBodyBytes], 0)
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

// Item 9: invisible formatting characters do not reach a printed line.
func TestOneLineDropsInvisibleFormatting(t *testing.T) {
	for in, want := range map[string]string{
		"a\u200bb":                  "ab",
		"\ufeffstart":               "start",
		"user \u202eadmin\u202c ok": "user admin ok",
		"x\u2066y\u2069z":           "xyz",
		"tag\U000E0041":             "tag",
		"no\u00a0break\u3000space":  "no break space",
		"soft\u00adhyphen":          "softhyphen",
	} {
		if got := OneLine(in, 100); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
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

// However a body surrounds a key, and whatever it holds, MentionsKey finds
// the key and never panics.
func FuzzMentionsKey(f *testing.F) {
	f.Add("bearer_token", "<td>x</td>", 3)
	f.Add("api-key", `{"a":"\u005f&#95;%5F"}`, 0)
	f.Fuzz(func(t *testing.T, key, text string, at int) {
		_ = MentionsKey(text, []string{key})
		if key == "" {
			return
		}
		if at < 0 {
			at = -at
		}
		at %= len(text) + 1
		if !MentionsKey(text[:at]+key+text[at:], []string{key}) {
			t.Errorf("%q inserted into %q at %d is not found", key, text, at)
		}
	})
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
