package features_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/features/epochreset"
	"github.com/errcat/errcat/internal/features/epochreset/epochresettest"
)

// TestEpochDelayFromTheKitClock: a catalog whose first delay source is an
// epoch reset time. WithRetryAfter with WithClock writes the reset time
// measured from the transport's Clock (rounded up to the whole second the
// header keeps), so the transport waits that delay; a reset time from
// WithReset is read the same way.
func TestEpochDelayFromTheKitClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 250_000_000, time.UTC)
	for _, tt := range []struct {
		name string
		opt  func(*epochresettest.Clock) epochresettest.Option
		want time.Duration
	}{
		{"retry after, rounded up", func(c *epochresettest.Clock) epochresettest.Option {
			return epochresettest.WithRetryAfter(2 * time.Second)
		}, 2750 * time.Millisecond},
		{"reset time", func(c *epochresettest.Clock) epochresettest.Option {
			return epochresettest.WithReset(start.Add(4 * time.Second))
		}, 3750 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clock := epochresettest.NewClock(start)
			script := epochresettest.NewScript(
				epochresettest.Reply(epochreset.StatusTooManyRequests, tt.opt(clock), epochresettest.WithClock(clock)),
				epochresettest.OK(`{}`),
			)
			client := &http.Client{Transport: apierr.NewTransport(script, epochreset.Policy(), apierr.WithClock(clock))}
			resp, err := client.Get("https://api.example.com/v1/things")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || !slices.Equal(clock.Waits(), []time.Duration{tt.want}) {
				t.Errorf("status %d, waits %v; want 200 after %v", resp.StatusCode, clock.Waits(), tt.want)
			}
		})
	}
}
