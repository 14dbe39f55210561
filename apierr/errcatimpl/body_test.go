package errcatimpl

import (
	"net/http"
	"testing"
)

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
