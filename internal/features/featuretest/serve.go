// Package featuretest holds the helper the feature packages' end-to-end
// tests share: a loopback server that answers one canned response.
package featuretest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Reply is one canned HTTP response.
type Reply struct {
	Status int
	Header map[string]string
	Body   string
}

// Get serves r from a loopback httptest server, fetches it with a real HTTP
// round trip and returns the response; the server and body are closed when
// the test ends.
func Get(t *testing.T, r Reply) *http.Response {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range r.Header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(r.Status)
		_, _ = io.WriteString(w, r.Body)
	}))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// Body reads what is left of resp.Body, failing the test on error.
func Body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
