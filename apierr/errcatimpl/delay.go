package errcatimpl

import (
	"math"
	"strings"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/internal/decimal"
)

// ParseEpochReset parses a header holding the epoch time at which a
// rate-limit window resets (such as Alloy's alloy-ratelimit-reset, in unix
// seconds) into the delay from now until then. unit is the header's unit,
// normally time.Second or time.Millisecond.
//
// The value is 1*DIGIT with an optional "." 1*DIGIT fraction, after trimming
// spaces. A reset time in the past means retry at once (0, true). Malformed
// values and a non-positive unit report ok=false; a reset further away than
// [apierr.MaxDelay] (the safety cap: a seconds header carrying milliseconds
// lies millennia ahead) is capped to it.
func ParseEpochReset(value string, unit time.Duration, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, false
	}
	since, ok := decimal.Parse(v, unit)
	if !ok {
		return 0, false
	}
	if since == math.MaxInt64 {
		// Beyond the year 2262: nothing to subtract from that is meaningful.
		return apierr.MaxDelay, true
	}
	d := time.Unix(0, 0).Add(since).Sub(now)
	if d < 0 {
		return 0, true
	}
	return min(d, apierr.MaxDelay), true
}

// ParseDelayNumber converts a delay a vendor carries in a response body as a
// JSON number into a duration: v counts units (Trackunit's GraphQL
// extensions.resetIn is in milliseconds, so 586351 with time.Millisecond is
// about 9m46s). The result is rounded to the nearest nanosecond.
//
// Negative values, NaN, infinities and a non-positive unit report ok=false;
// delays longer than [apierr.MaxDelay] (the safety cap) are capped to it.
func ParseDelayNumber(v float64, unit time.Duration) (time.Duration, bool) {
	if unit <= 0 || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, false
	}
	ns := v * float64(unit)
	// MaxDelay is far below 2^63, the first float64 a Duration cannot
	// hold, so rounding what lies below it cannot overflow.
	if ns >= float64(apierr.MaxDelay) {
		return apierr.MaxDelay, true
	}
	return time.Duration(math.Round(ns)), true
}

// ParseDelayString converts a delay a vendor carries in a response body as a
// string: first as a Go duration ("30s", "1m30s", "250ms", as
// [time.ParseDuration] accepts), and if that fails as a plain number of unit
// (1*DIGIT with an optional "." 1*DIGIT fraction), after trimming spaces.
//
// Negative durations, malformed strings and a non-positive unit report
// ok=false; a delay longer than [apierr.MaxDelay] (the safety cap) is
// capped to it.
func ParseDelayString(s string, unit time.Duration) (time.Duration, bool) {
	v := strings.TrimSpace(s)
	if v == "" {
		return 0, false
	}
	if d, err := time.ParseDuration(v); err == nil {
		if d < 0 {
			return 0, false
		}
		return min(d, apierr.MaxDelay), true
	}
	d, ok := decimal.Parse(v, unit)
	return min(d, apierr.MaxDelay), ok
}
