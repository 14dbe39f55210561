package xmix_test

import (
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/features/x_mix"
	"github.com/errcat/errcat/internal/features/x_mix/xmixtest"
)

// TestKitDelayFollowsTheSourceRules: the first delay source applies to 402
// only, so the kit's WithRetryAfter writes a 429's delay where the parser
// reads it at 429 (Retry-After), and a 402's to the conditional source.
func TestKitDelayFollowsTheSourceRules(t *testing.T) {
	for _, s := range []xmix.Status{xmix.StatusTooManyRequests, xmix.StatusPaymentRequired} {
		e := xmixtest.NewError(s, xmixtest.WithRetryAfter(5*time.Second))
		if d, ok := apierr.RetryDelay(e); !ok || d != 5*time.Second {
			t.Errorf("%v: delay %v %v, want the 5s the kit was asked for", s, d, ok)
		}
	}
}
