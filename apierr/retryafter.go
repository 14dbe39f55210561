package apierr

import (
	"net/http"
	"strings"
	"time"

	"github.com/errcat/errcat/apierr/internal/decimal"
)

// MaxDelay is the safety cap on server delays: the largest delay the
// parsers ([ParseRetryAfter] and the ones generated packages use for reset
// times and body delays), generated errors' RetryDelay methods and
// [RetryDelay] report. A day covers the longest window vendors reset
// quotas on (a daily quota); a server that asks for more has almost always
// sent a value in the wrong unit — an epoch-seconds header carrying
// milliseconds asks for tens of thousands of years, which used to surface
// as about 2.5 million hours — and gets MaxDelay rather than the absurd or
// a wrapped-around (negative or tiny) value. A [Transport] waits far less
// (see [WithMaxServerDelay]), so it sees a delay above its cap and returns
// the response instead of hammering the server.
const MaxDelay = 24 * time.Hour

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
// A well-formed delay longer than [MaxDelay] (such as "86401" or
// "Fri, 31 Dec 9999 23:59:59 GMT") is capped to MaxDelay with ok=true. The
// result is never negative.
func ParseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, false
	}
	// All three HTTP-date formats start with a day name, so a leading digit
	// can only be a number of seconds.
	if decimal.IsDigit(v[0]) {
		d, ok := decimal.Parse(v, time.Second)
		return min(d, MaxDelay), ok
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	// Time.Sub saturates at the Duration limits instead of wrapping, so a
	// far-future date is capped too.
	d := t.Sub(now)
	if d < 0 {
		return 0, true
	}
	return min(d, MaxDelay), true
}
