package apierr

import (
	"math"
	"math/bits"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxDelay is the largest delay the parsers return. A server that asks for a
// wait longer than a time.Duration can hold gets MaxDelay rather than a
// wrapped-around (negative or tiny) value, so a [Transport] sees a delay far
// above its cap and stops retrying instead of hammering the server.
const MaxDelay time.Duration = math.MaxInt64

// ParseRetryAfter parses the value of an HTTP Retry-After header into the
// delay it asks for, measured from now (normally time.Now()).
//
// Accepted forms, after trimming surrounding spaces:
//   - delay-seconds, 1*DIGIT as in RFC 9110: "120" is two minutes, and "0"
//     means retry at once (0, true);
//   - decimal seconds, 1*DIGIT "." 1*DIGIT, because some vendors send them
//     (Samsara documents "0.40235"); digits past the nanosecond are dropped;
//   - an HTTP-date in any format [http.ParseTime] accepts. A date in the past
//     means retry at once (0, true).
//
// Everything else reports ok=false so that the caller falls back to its own
// backoff: the empty string, signs ("-1", "+5"), exponents ("1e3"),
// "NaN"/"Inf", malformed dates, and numbers with more digits than a uint64
// holds, which no server means literally. The grammar is deliberately strict
// because misreading garbage as a delay is worse than ignoring it.
//
// A well-formed delay too long for a time.Duration (about 292 years, such as
// "Fri, 31 Dec 9999 23:59:59 GMT") saturates to [MaxDelay] with ok=true. The
// result is never negative.
func ParseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, false
	}
	// All three HTTP-date formats start with a day name, so a leading digit
	// can only be a number of seconds.
	if isDigit(v[0]) {
		return parseDecimal(v, time.Second)
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	// Time.Sub saturates at the Duration limits instead of wrapping, which
	// gives MaxDelay for far-future dates.
	d := t.Sub(now)
	if d < 0 {
		return 0, true
	}
	return d, true
}

// ParseEpochReset parses a header holding the epoch time at which a
// rate-limit window resets (such as Alloy's alloy-ratelimit-reset, in unix
// seconds) into the delay from now until then. unit is the header's unit,
// normally time.Second or time.Millisecond.
//
// The value is 1*DIGIT with an optional "." 1*DIGIT fraction, after trimming
// spaces. A reset time in the past means retry at once (0, true). Malformed
// values and a non-positive unit report ok=false; a reset beyond what a
// time.Duration can hold saturates to [MaxDelay].
func ParseEpochReset(value string, unit time.Duration, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, false
	}
	since, ok := parseDecimal(v, unit)
	if !ok {
		return 0, false
	}
	if since == MaxDelay {
		// Beyond the year 2262: nothing to subtract from that is meaningful.
		return MaxDelay, true
	}
	d := time.Unix(0, 0).Add(since).Sub(now)
	if d < 0 {
		return 0, true
	}
	return d, true
}

// ParseDelayNumber converts a delay a vendor carries in a response body as a
// JSON number into a duration: v counts units (Trackunit's GraphQL
// extensions.resetIn is in milliseconds, so 586351 with time.Millisecond is
// about 9m46s). The result is rounded to the nearest nanosecond.
//
// Negative values, NaN, infinities and a non-positive unit report ok=false;
// delays beyond what a time.Duration holds saturate to [MaxDelay].
func ParseDelayNumber(v float64, unit time.Duration) (time.Duration, bool) {
	if unit <= 0 || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, false
	}
	ns := v * float64(unit)
	// 2^63 is the first float64 a Duration cannot hold; every float64 below
	// it is a whole number far below the limit, so rounding cannot overflow.
	if ns >= 1<<63 {
		return MaxDelay, true
	}
	return time.Duration(math.Round(ns)), true
}

// ParseDelayString converts a delay a vendor carries in a response body as a
// string: first as a Go duration ("30s", "1m30s", "250ms", as
// [time.ParseDuration] accepts), and if that fails as a plain number of unit
// (1*DIGIT with an optional "." 1*DIGIT fraction), after trimming spaces.
//
// Negative durations, malformed strings and a non-positive unit report
// ok=false; a plain number beyond what a time.Duration holds saturates to
// [MaxDelay].
func ParseDelayString(s string, unit time.Duration) (time.Duration, bool) {
	v := strings.TrimSpace(s)
	if v == "" {
		return 0, false
	}
	if d, err := time.ParseDuration(v); err == nil {
		if d < 0 {
			return 0, false
		}
		return d, true
	}
	return parseDecimal(v, unit)
}

// parseDecimal parses 1*DIGIT ["." 1*DIGIT] as a count of unit, exactly:
// going through float64 would turn "0.40235" seconds into 402.350000001ms-ish
// values and lose precision on large epoch timestamps. Digits below a
// nanosecond are truncated. A whole part that does not fit in a uint64 is
// rejected as absurd; a product that does not fit in a Duration saturates.
func parseDecimal(s string, unit time.Duration) (time.Duration, bool) {
	if unit <= 0 {
		return 0, false
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if !allDigits(whole) || (hasDot && !allDigits(frac)) {
		return 0, false
	}
	n, err := strconv.ParseUint(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	hi, total := bits.Mul64(n, uint64(unit))
	if hi != 0 || total > math.MaxInt64 {
		return MaxDelay, true
	}
	if hasDot {
		// 18 digits keep the fraction within a uint64 and resolve far below
		// a nanosecond for any unit up to hours.
		if len(frac) > 18 {
			frac = frac[:18]
		}
		num, err := strconv.ParseUint(frac, 10, 64)
		if err != nil {
			return 0, false
		}
		den := pow10(len(frac))
		// num < den, so num*unit < den*2^64 and the high word is below den,
		// which is what Div64 needs to not panic.
		phi, plo := bits.Mul64(num, uint64(unit))
		q, _ := bits.Div64(phi, plo, den)
		// Both terms are below 2^63, so the sum cannot wrap a uint64.
		total += q
		if total > math.MaxInt64 {
			return MaxDelay, true
		}
	}
	return time.Duration(total), true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}
