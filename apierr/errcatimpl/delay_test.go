package errcatimpl

import (
	"math"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
)

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
		{"beyond 2262 saturates", "99999999999", time.Second, apierr.MaxDelay, true},
		{"a day ahead is kept", "1700086400", time.Second, 24 * time.Hour, true},
		{"past a day is capped", "1700086401", time.Second, apierr.MaxDelay, true},
		{"epoch millis in a seconds header capped", "1700000000000", time.Second, apierr.MaxDelay, true},
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
		{"huge saturates", 1e300, time.Millisecond, apierr.MaxDelay, true},
		{"just past duration", 9223372037, time.Second, apierr.MaxDelay, true},
		{"a day is kept", 86400, time.Second, 24 * time.Hour, true},
		{"past a day is capped", 86400001, time.Millisecond, apierr.MaxDelay, true},
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
		{"big plain number saturates", "9999999999", time.Second, apierr.MaxDelay, true},
		{"go duration past a day capped", "25h", time.Second, apierr.MaxDelay, true},
		{"plain number past a day capped", "86401", time.Second, apierr.MaxDelay, true},
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

// FuzzDelayParsers holds the body and reset-header parsers to the
// invariants of apierr.ParseRetryAfter, whose decimal grammar they share:
// never negative, never above the apierr.MaxDelay cap, and zero when not ok.
func FuzzDelayParsers(f *testing.F) {
	for _, s := range []string{"", "0", "1", "-1", "120", " 2 ", "0.40235", "1e3", "+5", "NaN", "99999999999999999999", "9223372037", "1.", ".1", "1m30s", "-5s"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, value string, offset int64) {
		now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(offset))
		for _, unit := range []time.Duration{time.Millisecond, time.Second, time.Hour} {
			if d, ok := ParseDelayString(value, unit); d < 0 || d > apierr.MaxDelay || (!ok && d != 0) {
				t.Fatalf("ParseDelayString(%q, %v) = %v, %v", value, unit, d, ok)
			}
			if d, ok := ParseEpochReset(value, unit, now); d < 0 || d > apierr.MaxDelay || (!ok && d != 0) {
				t.Fatalf("ParseEpochReset(%q, %v) = %v, %v", value, unit, d, ok)
			}
		}
	})
}
