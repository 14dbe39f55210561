package perf

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"testing"

	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/generated/samsara"
	"github.com/errcat/errcat/generated/trackunit"
)

// netBody stands for a network body: a ReadCloser apierr.PeekBody does not
// know to be in memory, so it reads it with the time-bounded goroutine
// read (issue 16) as it does a net/http body.
type netBody struct{ io.Reader }

func (netBody) Close() error { return nil }

func netResponse(status int, body []byte) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(body)), Body: netBody{bytes.NewReader(body)}}
}

// BenchmarkFromResponseNetwork is BenchmarkFromResponse with bodies read as
// from the network: the goroutine, channel and timer a stalled body needs.
func BenchmarkFromResponseNetwork(b *testing.B) {
	for _, tc := range []struct {
		name   string
		status int
		body   []byte
		from   func(*http.Response) error
	}{
		{"alloy", 401, alloyBody, alloy.FromResponse},
		{"samsara", 404, samsaraBody, samsara.FromResponse},
		{"trackunit", 400, trackunitBody, trackunit.FromResponse},
		{"samsara-text-503", 503, []byte("Service Unavailable"), samsara.FromResponse},
	} {
		b.Run(tc.name, func(b *testing.B) {
			u := reuse(tc.status, tc.body)
			u.body = netBody{u.r}
			u.resp.ContentLength = int64(len(tc.body))
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				if tc.from(u.next()) == nil {
					b.Fatal("nil error")
				}
			}
		})
	}
}

// retained is the heap a parsed error keeps alive, per error: n errors
// are parsed and held, and the heap measured after a GC on either side.
func retained(status int, body []byte, from func(*http.Response) error, resp func(int, []byte) *http.Response) float64 {
	const n = 2000
	held := make([]error, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range held {
		held[i] = from(resp(status, body))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(held)
	return float64(after.HeapAlloc-before.HeapAlloc) / n
}

// TestRetainedBytes: a parsed error keeps its typed fields and the bounded
// raw body, not the response, the reader, the decoder or the generic
// document: under 3× the body plus 1 KiB (the *Error struct and its
// fields' strings and maps) for each vendor's documented error. Figures
// (README's performance section) come from -v.
func TestRetainedBytes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   []byte
		from   func(*http.Response) error
	}{
		{"alloy", 401, alloyBody, alloy.FromResponse},
		{"samsara", 404, samsaraBody, samsara.FromResponse},
		{"trackunit", 400, trackunitBody, trackunit.FromResponse},
	} {
		for _, src := range []struct {
			name string
			resp func(int, []byte) *http.Response
		}{{"memory", response}, {"network", netResponse}} {
			got := retained(tc.status, tc.body, tc.from, src.resp)
			t.Logf("%s (%s body): %.0f B retained per error, body %d B", tc.name, src.name, got, len(tc.body))
			if limit := 3*float64(len(tc.body)) + 1024; got > limit {
				t.Errorf("%s (%s body): a parsed error retains %.0f B, want at most %.0f", tc.name, src.name, got, limit)
			}
		}
	}
}
