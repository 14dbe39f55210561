package apierr

import (
	"io"
	"math"
	"net/http"
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

func TestMayHoldJSON(t *testing.T) {
	for ct, want := range map[string]bool{"": true, "application/json": true, "application/problem+json; charset=utf-8": true, "text/plain; charset=utf-8": true, "application/octet-stream": false, "text/html": false, "image/png": false} {
		h := http.Header{}
		if ct != "" {
			h.Set("Content-Type", ct)
		}
		if MayHoldJSON(h) != want {
			t.Errorf("%q: %v", ct, !want)
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
