package samsara_test

// The generated test kit (samsaratest) through apierr's retrying transport.

import (
	"net/http"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/samsara"
	"github.com/errcat/errcat/generated/samsara/samsaratest"
)

// The documented 429 carries Retry-After: 0.40235 (fractional seconds):
// the transport waits exactly that, then sends the request once more.
func TestKitDocumentedRetryAfter(t *testing.T) {
	script := samsaratest.NewScript(samsaratest.Reply(samsara.StatusTooManyRequests), samsaratest.OK(`{"data":[]}`))
	clock := samsaratest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	c := &http.Client{Transport: apierr.NewTransport(script, samsara.Policy(), apierr.WithClock(clock))}
	resp, err := c.Get("https://api.samsara.com/fleet/vehicles")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(script.Requests()) != 2 {
		t.Errorf("status %d after %d requests", resp.StatusCode, len(script.Requests()))
	}
	if w := clock.Waits(); len(w) != 1 || w[0] != 402350*time.Microsecond {
		t.Errorf("waits %v, want [402.35ms]", w)
	}
	// 5XX bodies are strings: the kit's made-up one is text too.
	if e := samsaratest.NewError(samsara.Status(502)); e.Format != "server error text" || e.Message != "example message" || !samsara.IsServerError(e) {
		t.Errorf("502: %+v", e)
	}
}
