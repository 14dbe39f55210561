package apierr

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// retryNow is the instant go-retryablehttp's TestParseRetryAfterHeader pins
// its clock to, so its cases carry over unchanged.
var retryNow = time.Date(1999, time.December, 31, 23, 59, 57, 0, time.UTC)

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  time.Duration
		ok    bool
	}{
		// The cases of go-retryablehttp v0.7.8 TestParseRetryAfterHeader.
		{"seconds", "2", 2 * time.Second, true},
		{"date", "Fri, 31 Dec 1999 23:59:59 GMT", 2 * time.Second, true},
		{"past-date", "Fri, 31 Dec 1999 23:59:00 GMT", 0, true},
		{"empty", "", 0, false},
		{"negative", "-2", 0, false},
		{"bad-date", "Fri, 32 Dec 1999 23:59:59 GMT", 0, false},
		{"bad-date-format", "badbadbad", 0, false},

		// Integers.
		{"zero means now", "0", 0, true},
		{"one", "1", time.Second, true},
		{"two minutes", "120", 2 * time.Minute, true},
		{"leading zeros", "007", 7 * time.Second, true},
		{"minus one", "-1", 0, false},
		{"letters", "abc", 0, false},
		{"spaces trimmed", " 2 ", 2 * time.Second, true},
		{"tabs trimmed", "\t3\t", 3 * time.Second, true},
		{"only spaces", "   ", 0, false},
		{"plus sign", "+5", 0, false},
		{"exponent", "1e3", 0, false},
		{"hex", "0x10", 0, false},
		{"underscore", "1_000", 0, false},
		{"inner space", "1 0", 0, false},
		{"unit suffix", "5s", 0, false},
		{"NaN", "NaN", 0, false},
		{"Inf", "Inf", 0, false},
		{"infinity", "+Infinity", 0, false},

		// Fractions.
		{"samsara fraction", "0.40235", 402350 * time.Microsecond, true},
		{"half", "1.5", 1500 * time.Millisecond, true},
		{"nanosecond", "0.000000001", time.Nanosecond, true},
		{"below nanosecond truncated", "0.0000000019", time.Nanosecond, true},
		{"many fraction digits", "1.0000000000000000000000000001", time.Second, true},
		{"no whole part", ".5", 0, false},
		{"no fraction digits", "5.", 0, false},
		{"two dots", "1.2.3", 0, false},
		{"negative fraction", "-0.5", 0, false},
		{"comma decimal", "0,5", 0, false},

		// The safety cap (MaxDelay, a day) versus overflow.
		{"a day is kept", "86400", 24 * time.Hour, true},
		{"past a day is capped", "86401", MaxDelay, true},
		{"epoch millis sent as seconds", "1764460800000", MaxDelay, true},
		{"largest in range", "9223372036", MaxDelay, true},
		{"just past duration", "9223372037", MaxDelay, true},
		{"fraction pushes past duration", "9223372036.9", MaxDelay, true},
		{"max uint64", "18446744073709551615", MaxDelay, true},
		{"huge integer", "99999999999999999999", 0, false},
		{"far future date", "Fri, 31 Dec 9999 23:59:59 GMT", MaxDelay, true},
		{"date two days ahead capped", "Sun, 02 Jan 2000 00:00:00 GMT", MaxDelay, true},

		// Other http.ParseTime formats.
		{"RFC 850", "Friday, 31-Dec-99 23:59:59 GMT", 2 * time.Second, true},
		{"ANSI C", "Fri Dec 31 23:59:59 1999", 2 * time.Second, true},
		{"future date minutes", "Sat, 01 Jan 2000 00:09:57 GMT", 10 * time.Minute, true},
		{"date with spaces", "  Fri, 31 Dec 1999 23:59:59 GMT  ", 2 * time.Second, true},
		{"ISO date not accepted", "1999-12-31T23:59:59Z", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseRetryAfter(tt.value, retryNow)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{
		"", "0", "1", "-1", "120", " 2 ", "0.40235", "1e3", "+5", "NaN",
		"99999999999999999999", "9223372037", "1.", ".1",
		"Fri, 31 Dec 1999 23:59:59 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
		"Friday, 31-Dec-99 23:59:59 GMT", "Fri Dec 31 23:59:59 1999",
	} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, value string, offset int64) {
		now := retryNow.Add(time.Duration(offset))
		d, ok := ParseRetryAfter(value, now)
		if d < 0 || d > MaxDelay {
			t.Fatalf("ParseRetryAfter(%q) = %v, outside [0, MaxDelay]", value, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, false; want 0 when not ok", value, d)
		}
		// A plain integer that fits must mean exactly that many seconds.
		if n, err := strconv.ParseUint(strings.TrimSpace(value), 10, 64); err == nil &&
			!strings.ContainsAny(strings.TrimSpace(value), "+-_") && n <= uint64(MaxDelay/time.Second) {
			if want := time.Duration(n) * time.Second; d != want || !ok {
				t.Fatalf("ParseRetryAfter(%q) = %v, %v; want %v, true", value, d, ok, want)
			}
		}
	})
}
