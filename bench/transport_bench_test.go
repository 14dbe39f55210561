package bench

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/errcat/errcat/apierr"
	"github.com/hashicorp/go-retryablehttp"
)

// newServer starts a loopback server that answers every request with 200 "ok".
func newServer(b *testing.B) *httptest.Server {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	b.Cleanup(srv.Close)
	return srv
}

// newBase returns a fresh keep-alive transport per benchmark, so that no
// benchmark inherits another's warm connections.
func newBase(b *testing.B) *http.Transport {
	b.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	b.Cleanup(tr.CloseIdleConnections)
	return tr
}

// okPolicy is the cheapest realistic Policy: success is nil without reading
// the body, everything else a retryable error.
var okPolicy = apierr.Policy{
	Vendor: "bench",
	Classify: func(resp *http.Response) error {
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return nil
		}
		return errStatus
	},
}

// errStatus stands for a vendor error; it never occurs against this server.
var errStatus = errors.New("bench: unexpected status")

// consume reads and closes the body, as every caller must for connection reuse.
func consume(b *testing.B, resp *http.Response, err error) {
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		b.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d", resp.StatusCode)
	}
}

func BenchmarkBareTransport(b *testing.B) {
	srv := newServer(b)
	client := &http.Client{Transport: newBase(b)}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(srv.URL)
		consume(b, resp, err)
	}
}

func BenchmarkErrcatTransport(b *testing.B) {
	srv := newServer(b)
	client := &http.Client{Transport: apierr.NewTransport(newBase(b), okPolicy)}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(srv.URL)
		consume(b, resp, err)
	}
}

func BenchmarkRetryableHTTP(b *testing.B) {
	srv := newServer(b)
	client := retryablehttp.NewClient()
	client.Logger = nil
	client.HTTPClient.Transport = newBase(b)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(srv.URL)
		consume(b, resp, err)
	}
}
