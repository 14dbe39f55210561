package apierr

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

func TestPeekBody(t *testing.T) {
	for _, c := range []struct {
		limit     int64
		want      string
		truncated bool
	}{
		{3, "abc", true},
		{6, "abcdef", false},
		{0, "abcdef", false},
		{math.MaxInt64, "abcdef", false}, // limit+1 must not overflow into reading nothing
	} {
		resp := &http.Response{Body: io.NopCloser(strings.NewReader("abcdef"))}
		got, truncated, err := PeekBody(resp, c.limit)
		if err != nil || string(got) != c.want || truncated != c.truncated {
			t.Errorf("limit %d: %q %v %v", c.limit, got, truncated, err)
		}
		if rest, _ := io.ReadAll(resp.Body); string(rest) != "abcdef" {
			t.Errorf("limit %d: body afterwards %q", c.limit, rest)
		}
	}
}

// failingBody returns its data and then err; with together, err comes in
// the same Read as the last bytes, as io.Reader allows.
type failingBody struct {
	data     string
	err      error
	together bool
}

func (b *failingBody) Read(p []byte) (int, error) {
	if b.data == "" {
		return 0, b.err
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	if b.together && b.data == "" {
		return n, b.err
	}
	return n, nil
}

func (b *failingBody) Close() error { return nil }

// A read error still reports what was read, whether the body went past the
// limit, and keeps both the bytes and the error for the caller.
func TestPeekBodyReadError(t *testing.T) {
	boom := io.ErrClosedPipe
	for _, c := range []struct {
		data      string
		together  bool
		limit     int64
		want      string
		truncated bool
		err       error
	}{
		{"abcdef", false, 3, "abc", true, nil}, // the error lies past what PeekBody reads
		{"abcd", true, 3, "abc", true, boom},   // the error comes with the byte past the limit
		{"ab", false, 3, "ab", false, boom},
		{"ab", true, 3, "ab", false, boom},
	} {
		resp := &http.Response{Body: &failingBody{data: c.data, err: boom, together: c.together}}
		got, truncated, err := PeekBody(resp, c.limit)
		if string(got) != c.want || truncated != c.truncated || err != c.err {
			t.Errorf("PeekBody(%q, %d) = %q, %v, %v; want %q, %v, %v", c.data, c.limit, got, truncated, err, c.want, c.truncated, c.err)
		}
		rest, err := io.ReadAll(resp.Body)
		if string(rest) != c.data || err != boom {
			t.Errorf("caller reads %q, %v; want %q then the read error", rest, err, c.data)
		}
	}
}

// TestPeekBodyAllocation: reading a 64 KiB error body costs one buffer of
// its size when Content-Length gives it, and at most about twice the body
// when it does not (io.ReadAll's growth cost 3.1 times).
func TestPeekBodyAllocation(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 64<<10)
	for _, tc := range []struct {
		length int64
		max    float64 // allocated bytes per body byte
	}{{int64(len(body)), 1.2}, {-1, 2.2}} {
		res := testing.Benchmark(func(b *testing.B) { peekBench(b, body, tc.length) })
		if got := float64(res.AllocedBytesPerOp()) / float64(len(body)); got > tc.max {
			t.Errorf("Content-Length %d: PeekBody allocated %.2f times the body, want at most %.1f", tc.length, got, tc.max)
		}
	}
}

func peekBench(b *testing.B, body []byte, length int64) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		resp := &http.Response{ContentLength: length, Body: netBody{bytes.NewReader(body)}}
		if _, _, err := PeekBody(resp, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPeekBody64KiB reads a 64 KiB error body, its length known from
// Content-Length or not (chunked).
func BenchmarkPeekBody64KiB(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 64<<10)
	b.Run("content-length", func(b *testing.B) { peekBench(b, body, int64(len(body))) })
	b.Run("chunked", func(b *testing.B) { peekBench(b, body, -1) })
}

// TestPeekBodyContentLengthLies: a Content-Length that is wrong either way
// changes only the buffer's first size, never what is read; a huge one
// allocates no more than maxPrealloc up front.
func TestPeekBodyContentLengthLies(t *testing.T) {
	for _, c := range []struct {
		body      string
		length    int64
		limit     int64
		want      string
		truncated bool
	}{
		{"0123456789", 3, 5, "01234", true},
		{"0123456789", 3, 20, "0123456789", false},
		{"0123", 100, 5, "0123", false},
		{"01234", 5, 5, "01234", false},
		{"012345", 5, 5, "01234", true},
		{"0123", 0, 5, "0123", false},
		{"", 7, 5, "", false},
	} {
		resp := &http.Response{ContentLength: c.length, Body: io.NopCloser(strings.NewReader(c.body))}
		got, truncated, err := PeekBody(resp, c.limit)
		if string(got) != c.want || truncated != c.truncated || err != nil {
			t.Errorf("PeekBody(%q, Content-Length %d, limit %d) = %q, %v, %v; want %q, %v", c.body, c.length, c.limit, got, truncated, err, c.want, c.truncated)
		}
		if rest, _ := io.ReadAll(resp.Body); string(rest) != c.body {
			t.Errorf("body after PeekBody: %q, want %q", rest, c.body)
		}
	}
	huge := &http.Response{ContentLength: 1 << 40, Body: io.NopCloser(strings.NewReader("short"))}
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	before := stats.TotalAlloc
	huge.Body = io.NopCloser(strings.NewReader("short"))
	PeekBody(huge, 1<<40)
	runtime.ReadMemStats(&stats)
	if grew := stats.TotalAlloc - before; grew > 2*maxPrealloc {
		t.Errorf("a 1 TiB Content-Length made PeekBody allocate %d bytes", grew)
	}
}

// netBody stands for a network body: a reader PeekBody does not know to be
// in memory, read by a goroutine it can give up on.
type netBody struct{ io.Reader }

func (netBody) Close() error { return nil }

// TestInMemoryBodies: only io.NopCloser of a *bytes.Reader, *strings.Reader
// or *bytes.Buffer is read without a goroutine; a NopCloser of any other
// reader (one that may block) and any other ReadCloser keep the time bound.
func TestInMemoryBodies(t *testing.T) {
	for _, tc := range []struct {
		name string
		body io.ReadCloser
		n    int
		ok   bool
	}{
		{"bytes.Reader", io.NopCloser(bytes.NewReader([]byte("abc"))), 3, true},
		{"strings.Reader", io.NopCloser(strings.NewReader("abcd")), 4, true},
		{"bytes.Buffer", io.NopCloser(bytes.NewBufferString("ab")), 2, true},
		{"pipe", io.NopCloser(func() io.Reader { r, _ := io.Pipe(); return r }()), 0, false},
		{"wrapped bytes.Reader", io.NopCloser(io.LimitReader(bytes.NewReader([]byte("abc")), 3)), 0, false},
		{"netBody", netBody{bytes.NewReader([]byte("abc"))}, 0, false},
		{"nil bytes.Reader", io.NopCloser((*bytes.Reader)(nil)), 0, false},
	} {
		if n, ok := inMemory(tc.body); n != tc.n || ok != tc.ok {
			t.Errorf("%s: inMemory = %d %t, want %d %t", tc.name, n, ok, tc.n, tc.ok)
		}
	}
}

// TestPeekBodyInMemoryIsSynchronous: an in-memory body outside a
// Transport costs one buffer of its size, with no goroutine, channel or
// timer (five allocations and about 1.8 KB before) and no wrapper (the
// peekedBody, 128 B, before); the body is left as it was and still reads
// in full.
func TestPeekBodyInMemoryIsSynchronous(t *testing.T) {
	body := []byte(`{"message":"Not Found","requestId":"3f1c9a2e"}`)
	var resp *http.Response
	var orig io.ReadCloser
	allocs := testing.AllocsPerRun(100, func() {
		orig = io.NopCloser(bytes.NewReader(body))
		resp = &http.Response{ContentLength: -1, Body: orig}
		if got, _, err := PeekBody(resp, 0); err != nil || !bytes.Equal(got, body) {
			t.Fatalf("PeekBody = %q, %v", got, err)
		}
	})
	// The response, its NopCloser and bytes.Reader, the buffer.
	if allocs > 4 {
		t.Errorf("PeekBody of an in-memory body allocates %v times, want at most 4", allocs)
	}
	if resp.Body != orig {
		t.Errorf("PeekBody replaced the in-memory body with a %T", resp.Body)
	}
	if all, err := io.ReadAll(resp.Body); err != nil || !bytes.Equal(all, body) {
		t.Errorf("the body reads %q, %v after PeekBody", all, err)
	}
}

// TestPeekBodyInMemoryCopies: each in-memory reader is copied from where
// its reader stands, up to the limit, and left there, however often it is
// peeked.
func TestPeekBodyInMemoryCopies(t *testing.T) {
	for _, tc := range []struct {
		name string
		body func() io.Reader // a reader with "xx" already read
	}{
		{"bytes.Reader", func() io.Reader { r := bytes.NewReader([]byte("xxabcdef")); r.Read(make([]byte, 2)); return r }},
		{"strings.Reader", func() io.Reader { r := strings.NewReader("xxabcdef"); r.Read(make([]byte, 2)); return r }},
		{"bytes.Buffer", func() io.Reader { r := bytes.NewBufferString("xxabcdef"); r.Next(2); return r }},
	} {
		for _, c := range []struct {
			limit     int64
			want      string
			truncated bool
		}{{3, "abc", true}, {6, "abcdef", false}, {7, "abcdef", false}, {0, "abcdef", false}, {math.MaxInt64, "abcdef", false}} {
			resp := &http.Response{Body: io.NopCloser(tc.body())}
			for range 2 {
				got, truncated, err := PeekBody(resp, c.limit)
				if err != nil || string(got) != c.want || truncated != c.truncated || cap(got) != len(got) {
					t.Errorf("%s, limit %d: %q (cap %d) %v %v; want %q %v", tc.name, c.limit, got, cap(got), truncated, err, c.want, c.truncated)
				}
			}
			if rest, _ := io.ReadAll(resp.Body); string(rest) != "abcdef" {
				t.Errorf("%s, limit %d: body afterwards %q", tc.name, c.limit, rest)
			}
		}
	}
	empty := &http.Response{Body: io.NopCloser(bytes.NewReader(nil))}
	if got, truncated, err := PeekBody(empty, 0); len(got) != 0 || truncated || err != nil {
		t.Errorf("empty body: %q %v %v", got, truncated, err)
	}
}
