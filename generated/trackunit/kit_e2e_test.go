package trackunit_test

// The generated test kit (trackunittest) through apierr's retrying
// transport.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/trackunit"
	"github.com/errcat/errcat/generated/trackunit/trackunittest"
)

// The documented GraphQL RATE_LIMITED answer comes with HTTP 200 and its
// delay in the body (extensions.resetIn, milliseconds): the transport
// waits resetIn, then sends the query once more.
func TestKitGraphQLRateLimitedThenOK(t *testing.T) {
	script := trackunittest.NewScript(
		trackunittest.Reply(trackunit.CodeRateLimited, trackunittest.WithRetryAfter(1200*time.Millisecond)),
		trackunittest.OK(`{"data":{"assets":[]}}`),
	)
	clock := trackunittest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	c := &http.Client{Transport: apierr.NewTransport(script, trackunit.Policy(), apierr.WithClock(clock), apierr.WithRetryNonIdempotent(true))}
	resp, err := c.Post("https://iris.trackunit.com/api/graphql", "application/json", strings.NewReader(`{"query":"{assets{id}}"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	seen := script.Requests()
	if resp.StatusCode != 200 || len(seen) != 2 || string(seen[1].Body) != `{"query":"{assets{id}}"}` {
		t.Errorf("status %d after %d requests", resp.StatusCode, len(seen))
	}
	if w := clock.Waits(); len(w) != 1 || w[0] != 1200*time.Millisecond {
		t.Errorf("waits %v, want [1.2s]", w)
	}
	// Without the knob, the documented resetIn: 586351 ms.
	if d, ok := trackunittest.NewError(trackunit.CodeRateLimited).RetryDelay(); !ok || d != 586351*time.Millisecond {
		t.Errorf("documented delay %v, %v", d, ok)
	}
}
