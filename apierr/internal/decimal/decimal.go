// Package decimal parses the plain decimal delays of headers and bodies,
// for both the transport (apierr) and generated code (errcatimpl).
package decimal

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// Parse parses 1*DIGIT ["." 1*DIGIT] as a count of unit, exactly:
// going through float64 would turn "0.40235" seconds into 402.350000001ms-ish
// values and lose precision on large epoch timestamps. Digits below a
// nanosecond are truncated. A whole part that does not fit in a uint64 is
// rejected as absurd; a product that does not fit in a Duration saturates.
func Parse(s string, unit time.Duration) (time.Duration, bool) {
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
		return math.MaxInt64, true
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
			return math.MaxInt64, true
		}
	}
	return time.Duration(total), true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !IsDigit(s[i]) {
			return false
		}
	}
	return true
}

// IsDigit reports whether c is an ASCII digit.
func IsDigit(c byte) bool { return '0' <= c && c <= '9' }

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}
