// Package e2e holds the helpers the end-to-end tests share: the hand-written
// tests of the generated vendor packages (generated/<vendor>/e2e_test.go) and
// the behaviour tests of the feature packages (internal/features/*).
//
// serve.go is the loopback HTTP side: canned replies, the client that fetches
// them, small fake servers and a recorder of retry events. vendor.go checks a generated package's typed
// errors the same way for every vendor; log.go logs, marshals and looks for
// leaked secrets.
package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/errcat/errcat/apierr"
)

// JSON and Text are the usual Content-Type headers of a Reply. They are
// shared: never modify them.
var (
	JSON = map[string]string{"Content-Type": "application/json"}
	Text = map[string]string{"Content-Type": "text/plain; charset=utf-8"}
)

// Reply is one canned HTTP response.
type Reply struct {
	Status int
	Header map[string]string // set verbatim, lower-case names included
	Body   string
}

// ReplyOf turns a response a test kit built (alloytest.Response and the
// like) into a Reply a loopback server serves, so that end-to-end tests
// answer with the catalog's documented responses rather than copies of them.
func ReplyOf(resp *http.Response) Reply {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := Reply{Status: resp.StatusCode, Header: map[string]string{}, Body: string(b)}
	for k := range resp.Header {
		if k != "Content-Length" {
			r.Header[k] = resp.Header.Get(k)
		}
	}
	return r
}

// Write answers r on w, with r's header names not canonicalized: as the
// vendor spells them.
func (r Reply) Write(w http.ResponseWriter) {
	for k, v := range r.Header {
		w.Header()[k] = []string{v}
	}
	w.WriteHeader(r.Status)
	_, _ = io.WriteString(w, r.Body)
}

// ServeHTTP answers every request with r.
func (r Reply) ServeHTTP(w http.ResponseWriter, _ *http.Request) { r.Write(w) }

// Base returns a fresh copy of http.DefaultTransport.
func Base() http.RoundTripper { return http.DefaultTransport.(*http.Transport).Clone() }

// Client is http.DefaultClient on its own copy of http.DefaultTransport:
// httptest.Server.Close calls http.DefaultTransport.CloseIdleConnections,
// which would break the requests of tests running in parallel. It does not
// follow redirects: a 3XX reply comes back as it was served.
var Client = &http.Client{
	Transport:     Base(),
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Start starts a loopback server running h; it is closed when the test ends.
func Start(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// Serve starts a loopback server answering r, GETs path from it with Client
// and returns the response with its body unread; the server and the body are
// closed when the test ends. The test fails if the status is not r.Status.
func Serve(t testing.TB, r Reply, path string) *http.Response {
	t.Helper()
	srv := Start(t, r)
	resp, err := Client.Get(srv.URL + path)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	if resp.StatusCode != r.Status {
		t.Fatalf("server answered %d, want %d", resp.StatusCode, r.Status)
	}
	return resp
}

// Get is Serve of "/".
func Get(t testing.TB, r Reply) *http.Response {
	t.Helper()
	return Serve(t, r, "/")
}

// Body reads what is left of resp.Body, failing the test on error.
func Body(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Sequence is a fake server that answers its Replies in order, then the last
// one forever. It counts the requests and records their bodies.
type Sequence struct {
	Replies []Reply
	Hits    atomic.Int32

	mu     sync.Mutex
	bodies []string
}

// ServeHTTP records the request body and answers the next reply.
func (s *Sequence) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
	n := int(s.Hits.Add(1))
	if n > len(s.Replies) {
		n = len(s.Replies)
	}
	s.Replies[n-1].Write(w)
}

// Bodies returns the request bodies received so far, in order.
func (s *Sequence) Bodies() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

// Events records the retry events of an apierr transport; it is safe for
// concurrent use.
type Events struct {
	mu   sync.Mutex
	list []apierr.RetryEvent
}

// Option is the apierr.WithOnRetry option that records into r.
func (r *Events) Option() apierr.Option {
	return apierr.WithOnRetry(func(ev apierr.RetryEvent) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.list = append(r.list, ev)
	})
}

// List returns the events recorded so far, in order.
func (r *Events) List() []apierr.RetryEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]apierr.RetryEvent(nil), r.list...)
}
