package errcatimpl

import (
	"math"
	"strconv"
	"strings"
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

// FuzzDelayParsers holds the body, reset-header and structured
// rate-limit parsers to the invariants of apierr.ParseRetryAfter, whose
// decimal grammar they share: never negative, never above the
// apierr.MaxDelay cap (the parsers of single values), zero when not ok,
// and no panic on any header.
func FuzzDelayParsers(f *testing.F) {
	for _, s := range []string{"", "0", "1", "-1", "120", " 2 ", "0.40235", "1e3", "+5", "NaN", "99999999999999999999", "9223372037", "1.", ".1", "1m30s", "-5s"} {
		f.Add(s, int64(0))
	}
	for _, s := range []string{`"default";r=0;t=30`, `"a";r=0, "b";r=0;t=1`, `limit=10, remaining=0, reset=5`, `"d";r=0;t=999999999999999`, `"d";q=100;w=60`, `("a");r=0`, `"\\";r=0;t=1`, `a;b;c;d=?1;e=1.25;f=:aGk=:`} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, value string, offset int64) {
		now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(offset))
		if d, ok := ParseRateLimit([]string{value}, []string{value}); d < 0 || d > apierr.MaxDelay || (!ok && d != 0) {
			t.Fatalf("ParseRateLimit(%q) = %v, %v", value, d, ok)
		}
		if d, ok := ParseRateLimit([]string{`"x";r=0`, value}, []string{value}); d < 0 || d > apierr.MaxDelay || (!ok && d != 0) {
			t.Fatalf("ParseRateLimit(r=0, %q) = %v, %v", value, d, ok)
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
			avail := float64(offset) / 1e9
			d, ok := CostDelay(v, avail, v/7)
			if d < 0 || d > apierr.MaxDelay || (!ok && d != 0) || (ok && v <= avail && d != 0) {
				t.Fatalf("CostDelay(%v, %v, %v) = %v, %v", v, avail, v/7, d, ok)
			}
			minDelay, def := time.Duration(offset)%time.Hour, time.Duration(v)
			if b, ok := BoundDelay(d, ok, minDelay, def); b < 0 || (ok && b < d) || (minDelay > 0 && (!ok || b < minDelay)) {
				t.Fatalf("BoundDelay(%v, %v, %v, %v) = %v, %v", d, ok, minDelay, def, b, ok)
			}
		}
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

func TestParseRateLimit(t *testing.T) {
	tests := []struct {
		name              string
		rateLimit, policy []string
		want              time.Duration
		ok                bool
	}{
		{"exhausted", []string{`"default";r=0;t=30`}, nil, 30 * time.Second, true},
		{"token name", []string{`default;r=0;t=5`}, nil, 5 * time.Second, true},
		{"quota left", []string{`"default";r=10;t=30`}, nil, 0, false},
		{"longest exhausted", []string{`"burst";r=0;t=1, "daily";r=0;t=3600`}, nil, time.Hour, true},
		{"one exhausted of two", []string{`"burst";r=5;t=1, "daily";r=0;t=60`}, nil, time.Minute, true},
		{"two lines are one list", []string{`"burst";r=5;t=1`, `"daily";r=0;t=60`}, nil, time.Minute, true},
		{"escaped names match", []string{`"a\"b";r=0`}, []string{`"x";w=1, "a\"b";q=9;w=8`}, 8 * time.Second, true},
		{"bad escape", []string{`"a\b";r=0;t=1`}, nil, 0, false},
		{"window from policy", []string{`"default";r=0`}, []string{`"default";q=100;w=60`}, time.Minute, true},
		{"policy of another name", []string{`"default";r=0`}, []string{`"other";q=100;w=60`}, 0, false},
		{"t wins over window", []string{`"default";r=0;t=2`}, []string{`"default";q=100;w=60`}, 2 * time.Second, true},
		{"bad policy ignored", []string{`"default";r=0;t=2`}, []string{`"default";q=`}, 2 * time.Second, true},
		{"other params", []string{`"default";r=0;t=9;pk=:abc:;x="y";b=?1;d=1.5`}, nil, 0, false},
		{"dictionary form", []string{`limit=100, remaining=0, reset=30`}, nil, 30 * time.Second, true},
		{"dictionary with quota", []string{`limit=100, remaining=3, reset=30`}, nil, 0, false},
		{"dictionary without reset", []string{`limit=100, remaining=0`}, nil, 0, false},
		{"ows", []string{` "a";r=0;t=1 ,	"b";r=1 `}, nil, time.Second, true},
		{"saturates", []string{`"d";r=0;t=999999999999999`}, nil, apierr.MaxDelay, true},
		{"capped at MaxDelay", []string{`"d";r=0;t=100000`}, nil, apierr.MaxDelay, true},
		{"just under the cap", []string{`limit=9, remaining=0, reset=86399`}, nil, apierr.MaxDelay - time.Second, true},
		{"16 digits", []string{`"d";r=0;t=9999999999999999`}, nil, 0, false},
		{"negative t", []string{`"d";r=0;t=-1`}, nil, 0, false},
		{"decimal t", []string{`"d";r=0;t=1.5`}, nil, 0, false},
		{"string t", []string{`"d";r=0;t="5"`}, nil, 0, false},
		{"trailing comma", []string{`"d";r=0;t=5,`}, nil, 0, false},
		{"unterminated string", []string{`"d;r=0;t=5`}, nil, 0, false},
		{"uppercase param", []string{`"d";R=0;T=5`}, nil, 0, false},
		{"inner list", []string{`("a" "b");r=0;t=5`}, nil, 0, false},
		{"mixed list and dictionary", []string{`"d";r=0;t=5, reset=3`}, nil, 0, false},
		{"control character", []string{"\"d\x01\";r=0;t=5"}, nil, 0, false},
		{"empty", []string{""}, nil, 0, false},
		{"absent", nil, nil, 0, false},
		{"too long", []string{`"d";r=0;t=5,` + strings.Repeat(" ", 4096) + `"e";r=1`}, nil, 0, false},
		{"too many members", []string{strings.Repeat(`a;r=1, `, 64) + `b;r=0;t=1`}, nil, 0, false},
		{"too many params", []string{`"d";r=0;t=5` + strings.Repeat(";x=1", 15)}, nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseRateLimit(tt.rateLimit, tt.policy)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseRateLimit(%q, %q) = %v, %v; want %v, %v", tt.rateLimit, tt.policy, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCostDelay(t *testing.T) {
	tests := []struct {
		name                  string
		cost, available, rate float64
		want                  time.Duration
		ok                    bool
	}{
		{"shopify throttled", 1002, 802, 50, 4 * time.Second, true},
		{"fraction", 101, 100, 4, 250 * time.Millisecond, true},
		{"enough left", 100, 800, 50, 0, true},
		{"zero rate", 1002, 802, 0, 0, false},
		{"negative rate", 1002, 802, -1, 0, false},
		{"negative cost", -1, 0, 1, 0, false},
		{"NaN", math.NaN(), 0, 1, 0, false},
		{"infinite rate", 10, 0, math.Inf(1), 0, false},
		{"saturates", 1e300, 0, 1e-300, apierr.MaxDelay, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CostDelay(tt.cost, tt.available, tt.rate)
			if got != tt.want || ok != tt.ok {
				t.Errorf("CostDelay(%v, %v, %v) = %v, %v; want %v, %v", tt.cost, tt.available, tt.rate, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestBoundDelay(t *testing.T) {
	tests := []struct {
		name     string
		d        time.Duration
		ok       bool
		min, def time.Duration
		want     time.Duration
		wantOK   bool
	}{
		{"server delay kept", 7 * time.Second, true, 5 * time.Second, time.Second, 7 * time.Second, true},
		{"raised to the minimum", 2 * time.Second, true, 5 * time.Second, 0, 5 * time.Second, true},
		{"none: the default", 0, false, 0, time.Second, time.Second, true},
		{"default below the minimum", 0, false, 5 * time.Second, time.Second, 5 * time.Second, true},
		{"none: the minimum", 0, false, 5 * time.Second, 0, 5 * time.Second, true},
		{"server zero kept without rules", 0, true, 0, time.Second, 0, true},
		{"no rules, no delay", 0, false, 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := BoundDelay(tt.d, tt.ok, tt.min, tt.def)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("BoundDelay(%v, %v, %v, %v) = %v, %v; want %v, %v", tt.d, tt.ok, tt.min, tt.def, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// BenchmarkParseRateLimit measures a typical two-policy field with its
// policy companion, and a hostile field at the 4096-byte bound.
func BenchmarkParseRateLimit(b *testing.B) {
	typical := []string{`"burst";r=0;t=2, "daily";r=812;t=43200`}
	policy := []string{`"burst";q=100;w=1, "daily";q=1000;w=86400`}
	hostile := []string{strings.Repeat(`a;b=1;c="x\"y";d=?1, `, 180)}
	b.Run("typical", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParseRateLimit(typical, policy)
		}
	})
	b.Run("hostile-4KiB", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParseRateLimit(hostile, nil)
		}
	})
}
