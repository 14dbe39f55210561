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
