package apierr

import (
	"math"
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

		// Saturation versus overflow.
		{"largest in range", "9223372036", 9223372036 * time.Second, true},
		{"just past duration", "9223372037", MaxDelay, true},
		{"fraction pushes past duration", "9223372036.9", MaxDelay, true},
		{"max uint64", "18446744073709551615", MaxDelay, true},
		{"huge integer", "99999999999999999999", 0, false},
		{"far future date", "Fri, 31 Dec 9999 23:59:59 GMT", MaxDelay, true},

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

func TestParseEpochReset(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	tests := []struct {
		name  string
		value string
		unit  time.Duration
		want  time.Duration
		ok    bool
	}{
		{"seconds ahead", "1700000030", time.Second, 30 * time.Second, true},
		{"seconds now", "1700000000", time.Second, 0, true},
		{"seconds past", "1699999000", time.Second, 0, true},
		{"zero epoch is past", "0", time.Second, 0, true},
		{"fractional seconds", "1700000000.25", time.Second, 250 * time.Millisecond, true},
		{"milliseconds", "1700000001500", time.Millisecond, 1500 * time.Millisecond, true},
		{"spaces", " 1700000001 ", time.Second, time.Second, true},
		{"empty", "", time.Second, 0, false},
		{"negative", "-1700000001", time.Second, 0, false},
		{"garbage", "soon", time.Second, 0, false},
		{"date is not an epoch", "Fri, 31 Dec 1999 23:59:59 GMT", time.Second, 0, false},
		{"zero unit", "1700000030", 0, 0, false},
		{"negative unit", "1700000030", -time.Second, 0, false},
		{"beyond 2262 saturates", "99999999999", time.Second, MaxDelay, true},
		{"absurd", "99999999999999999999999", time.Second, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseEpochReset(tt.value, tt.unit, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseEpochReset(%q, %v) = %v, %v; want %v, %v", tt.value, tt.unit, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseDelayNumber(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		unit time.Duration
		want time.Duration
		ok   bool
	}{
		{"trackunit resetIn", 586351, time.Millisecond, 586351 * time.Millisecond, true},
		{"seconds", 30, time.Second, 30 * time.Second, true},
		{"fraction", 0.5, time.Second, 500 * time.Millisecond, true},
		{"rounds to nanosecond", 0.0000000016, time.Second, 2 * time.Nanosecond, true},
		{"zero", 0, time.Second, 0, true},
		{"negative zero", math.Copysign(0, -1), time.Second, 0, true},
		{"negative", -1, time.Second, 0, false},
		{"NaN", math.NaN(), time.Second, 0, false},
		{"plus Inf", math.Inf(1), time.Second, 0, false},
		{"minus Inf", math.Inf(-1), time.Second, 0, false},
		{"zero unit", 5, 0, 0, false},
		{"huge saturates", 1e300, time.Millisecond, MaxDelay, true},
		{"just past duration", 9223372037, time.Second, MaxDelay, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseDelayNumber(tt.v, tt.unit)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseDelayNumber(%v, %v) = %v, %v; want %v, %v", tt.v, tt.unit, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseDelayString(t *testing.T) {
	tests := []struct {
		name string
		s    string
		unit time.Duration
		want time.Duration
		ok   bool
	}{
		{"go seconds", "30s", time.Millisecond, 30 * time.Second, true},
		{"go compound", "1m30s", time.Millisecond, 90 * time.Second, true},
		{"go milliseconds", "250ms", time.Second, 250 * time.Millisecond, true},
		{"go fraction", "1.5h", time.Second, 90 * time.Minute, true},
		{"plain number in unit", "586351", time.Millisecond, 586351 * time.Millisecond, true},
		{"plain fraction in unit", "2.5", time.Second, 2500 * time.Millisecond, true},
		{"zero", "0", time.Second, 0, true},
		{"spaces", " 10s ", time.Second, 10 * time.Second, true},
		{"negative go", "-5s", time.Second, 0, false},
		{"negative number", "-5", time.Second, 0, false},
		{"empty", "", time.Second, 0, false},
		{"garbage", "soon", time.Second, 0, false},
		{"bad unit", "5 parsecs", time.Second, 0, false},
		{"overflowing go duration", "9999999999h", time.Second, 0, false},
		{"big plain number saturates", "9999999999", time.Second, MaxDelay, true},
		{"zero unit", "5", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseDelayString(tt.s, tt.unit)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseDelayString(%q, %v) = %v, %v; want %v, %v", tt.s, tt.unit, got, ok, tt.want, tt.ok)
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
		if d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, negative", value, d)
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
		// The sibling parsers share the decimal grammar; hold them to the
		// same invariants.
		for _, unit := range []time.Duration{time.Millisecond, time.Second, time.Hour} {
			if d, ok := ParseDelayString(value, unit); d < 0 || (!ok && d != 0) {
				t.Fatalf("ParseDelayString(%q, %v) = %v, %v", value, unit, d, ok)
			}
			if d, ok := ParseEpochReset(value, unit, now); d < 0 || (!ok && d != 0) {
				t.Fatalf("ParseEpochReset(%q, %v) = %v, %v", value, unit, d, ok)
			}
		}
	})
}
