package apierr

import (
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/errcat/errcat/apierr/internal/decimal"
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
	if decimal.IsDigit(v[0]) {
		return decimal.Parse(v, time.Second)
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
