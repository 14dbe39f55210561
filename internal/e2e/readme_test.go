package e2e_test

// The README's own client example, driven end to end through the defects an
// adversarial review found (issue 16): a redirect to another host, a login
// refused with 401 from inside the refresh, a stalled body, a gzip 4012 and
// a body that forges a log line.

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/generated/trackunit"
	"github.com/errcat/errcat/internal/e2e"
)

// tokenSource is the README's tokens: Refresh logs in again through the
// client being built, with the context it is given.
type tokenSource struct {
	mu        sync.Mutex
	current   string
	client    *http.Client
	loginURL  string
	refreshes atomic.Int32
}

func (s *tokenSource) Current() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
}

func (s *tokenSource) Refresh(ctx context.Context) error {
	s.refreshes.Add(1)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.loginURL, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := alloy.FromResponse(resp); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	tok, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.current = string(tok)
	s.mu.Unlock()
	return nil
}

// readmeClient is the README's client example verbatim, but for the
// policy, which the test chooses (TestREADMEClientExampleIsTheOneTested).
func readmeClient(policy apierr.Policy, tokens *tokenSource) *http.Client {
	client := &http.Client{Transport: apierr.NewTransport(http.DefaultTransport, policy,
		apierr.WithReauthenticate(tokens.Refresh), // called once, shared by concurrent requests
		apierr.WithAuthorize(func(r *http.Request) error { // applied to every attempt, so a
			r.Header.Set("Authorization", "Bearer "+tokens.Current()) // retry carries the new token
			return nil
		}),
		apierr.WithOnRetry(func(ev apierr.RetryEvent) { log.Printf("retry %d: %s in %v", ev.Attempt, ev.Reason, ev.Delay) }),
	)}
	return client
}

func TestREADMEClientExampleIsTheOneTested(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)client := &http\.Client\{Transport: apierr\.NewTransport\(.*?\n\)\}`).Find(readme)
	if block == nil {
		t.Fatal("README.md has no client example")
	}
	fields := func(b []byte) string { return strings.Join(strings.Fields(string(b)), " ") }
	want := strings.Replace(fields(block), "alloy.Policy()", "policy", 1)
	if !strings.Contains(fields(self), want) {
		t.Errorf("readmeClient is not README's example any more:\n%s", block)
	}
}

// alloyAPI is a fake Alloy: /login hands out a token (or refuses with 401
// 4012 once the password is rotated), /data wants the latest token and
// answers a stale one with a gzip 401 4012 when the caller accepts gzip,
// /download redirects to another host, /stalled sends the start of a 400
// and stalls.
type alloyAPI struct {
	rotated  atomic.Bool
	tokens   atomic.Int32
	release  chan struct{}
	otherURL string
}

func envelope(status, minor int) string {
	return fmt.Sprintf(`{"status_code":%d,"error":{"minor_code":%d,"type":"API Authentication Failure","message":"expired","details":{"bearer_token":"tok_live_SECRET"}}}`, status, minor)
}

func (a *alloyAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/login":
		if a.rotated.Load() {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, envelope(401, 4012))
			return
		}
		_, _ = fmt.Fprintf(w, "t%d", a.tokens.Add(1))
	case "/data":
		if r.Header.Get("Authorization") == fmt.Sprintf("Bearer t%d", a.tokens.Load()) && a.tokens.Load() > 0 {
			_, _ = io.WriteString(w, "data")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			var b bytes.Buffer
			z := gzip.NewWriter(&b)
			_, _ = io.WriteString(z, envelope(401, 4012))
			_ = z.Close()
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write(b.Bytes())
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, envelope(401, 4012))
	case "/download":
		http.Redirect(w, r, a.otherURL+"/blob?X-Signature=abc", http.StatusFound)
	case "/stalled":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"status_code":400,"error":{"minor_code":4001,"message":"bad header",`)
		w.(http.Flusher).Flush()
		select {
		case <-a.release:
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, `"details":{}}}`)
	}
}

// within fails the test if fn has not returned after d.
func within(t *testing.T, d time.Duration, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s: still waiting after %v", what, d)
	}
}

// captureLog sends the standard logger to a buffer for the test.
func captureLog(t *testing.T) *syncBuffer {
	t.Helper()
	var buf syncBuffer
	out, flags := log.Writer(), log.Flags()
	log.SetOutput(&buf)
	log.SetFlags(log.LstdFlags)
	t.Cleanup(func() { log.SetOutput(out); log.SetFlags(flags) })
	return &buf
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestREADMEClientAgainstHostileServers(t *testing.T) {
	logged := captureLog(t)
	var otherAuth atomic.Value
	otherAuth.Store("no request")
	other := e2e.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherAuth.Store(r.Header.Get("Authorization"))
		_, _ = io.WriteString(w, "blob")
	}))
	api := &alloyAPI{release: make(chan struct{}), otherURL: other.URL}
	srv := e2e.Start(t, api)
	defer close(api.release)
	tokens := &tokenSource{loginURL: srv.URL + "/login"}
	client := readmeClient(alloy.Policy(), tokens)
	tokens.client = client

	t.Run("redirect to another host", func(t *testing.T) {
		resp, err := client.Get(srv.URL + "/download")
		if err != nil {
			t.Fatal(err)
		}
		if got := e2e.Body(t, resp); got != "blob" {
			t.Fatalf("got %q", got)
		}
		if got := otherAuth.Load(); got != "" {
			t.Errorf("the other host received Authorization %q", got)
		}
	})

	t.Run("login refused with 401 inside the refresh", func(t *testing.T) {
		api.rotated.Store(true)
		defer api.rotated.Store(false)
		before := tokens.refreshes.Load()
		var resp *http.Response
		var err error
		within(t, 10*time.Second, "a refresh whose login is refused", func() { // no deadline
			resp, err = client.Get(srv.URL + "/data")
		})
		if err != nil {
			t.Fatal(err)
		}
		ferr := alloy.FromResponse(resp)
		e2e.Body(t, resp)
		if !alloy.IsCredentialsExpired(ferr) || tokens.refreshes.Load() != before+1 {
			t.Errorf("got %v after %d refreshes, want the 401 4012 after one", ferr, tokens.refreshes.Load()-before)
		}
	})

	t.Run("gzip 4012", func(t *testing.T) {
		before := tokens.refreshes.Load()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/data", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if got := e2e.Body(t, resp); resp.StatusCode != 200 || got != "data" {
			t.Errorf("got %d %q, want the data after one re-authentication", resp.StatusCode, got)
		}
		if n := tokens.refreshes.Load() - before; n != 1 || apierr.Attempts(resp) != 2 {
			t.Errorf("%d refreshes, %d attempts; want 1, 2", n, apierr.Attempts(resp))
		}
	})

	t.Run("stalled body", func(t *testing.T) {
		var resp *http.Response
		var err error
		within(t, apierr.DefaultBodyWait+5*time.Second, "a stalled error body", func() {
			resp, err = client.Get(srv.URL + "/stalled")
		})
		if err != nil {
			t.Fatal(err)
		}
		ferr := alloy.FromResponse(resp)
		var e *alloy.Error
		if !alloy.IsHeaderValidationFailure(ferr) || !errors.As(ferr, &e) || !e.Truncated {
			t.Errorf("FromResponse = %v, want 4001 from the bytes that arrived", ferr)
		}
		api.release <- struct{}{}
		if got := e2e.Body(t, resp); !strings.HasSuffix(got, `"details":{}}}`) {
			t.Errorf("caller reads %q, want the whole body", got)
		}
	})

	t.Run("forged log line", func(t *testing.T) {
		forged := "bad\r2026/01/01 00:00:00 retry 9: 200 ok none in 0s\u2028\u202eevil" + strings.Repeat("x", 60<<10)
		seq := &e2e.Sequence{Replies: []e2e.Reply{
			{Status: 503, Header: e2e.JSON, Body: fmt.Sprintf(`{"status":503,"code":%q,"message":"down"}`, forged)},
			{Status: 200, Body: "ok"},
		}}
		tsrv := e2e.Start(t, seq)
		resp, err := readmeClient(trackunit.Policy(), tokens).Get(tsrv.URL)
		if err != nil {
			t.Fatal(err)
		}
		e2e.Body(t, resp)
		if seq.Hits.Load() != 2 {
			t.Fatalf("%d requests, want the 503 retried", seq.Hits.Load())
		}
	})

	// Every retry above was logged as one bounded line of the example's form.
	lines := strings.Split(strings.TrimSuffix(logged.String(), "\n"), "\n")
	line := regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d retry \d+: [^\r\x{2028}\x{2029}\x{202e}]{1,500} in \S+$`)
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("log line %.200q is not one retry line", l)
		}
	}
	if len(lines) != 2 { // the gzip 4012's re-authentication and the 503's retry
		t.Errorf("%d log lines, want 2:\n%s", len(lines), logged)
	}
	if strings.Contains(logged.String(), "tok_live_SECRET") {
		t.Errorf("the log shows the token")
	}
}
