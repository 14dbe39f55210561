package model

import (
	"net/http"
	"strconv"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/errcatimpl"
)

// DelayParser is how generated code turns a delay source's value into a
// duration: the one decision the parser emitter, the examples and the
// documentation read (DelaySource.Parser).
type DelayParser struct {
	// Func is the runtime function called: "ParseRetryAfter" of package
	// apierr, or errcatimpl's "ParseDelayString", "ParseDelayNumber",
	// "ParseEpochReset", "ParseRateLimit" (which takes the lines of the
	// header and of its -Policy companion) or "CostDelay" (which takes the
	// three numbers of a CostFormula).
	Func string
	// Unit is the unit passed to Func (time.Second or time.Millisecond);
	// 0 for ParseRetryAfter, which takes none.
	Unit time.Duration
	// Number is true when the value is a number passed as float64 (to
	// ParseDelayNumber); Format is true when a numeric value is first
	// written as text (ParseEpochReset reads text).
	Number, Format bool
	// Now is true when Func measures from now (an HTTP-date or a reset
	// time) and takes it.
	Now bool
}

// InAPIErr reports whether Func is in package apierr (else errcatimpl).
func (p DelayParser) InAPIErr() bool { return p.Func == "ParseRetryAfter" }

// Parser returns the parser of the source's values: header values are
// text; a body field's value has the field's type.
func (d DelaySource) Parser() DelayParser {
	number := d.Field != nil && (d.Field.Type == TypeInteger || d.Field.Type == TypeNumber)
	unit := time.Second
	if d.Format == DelayMillis || d.Format == DelayEpochMillis {
		unit = time.Millisecond
	}
	switch d.Format {
	case DelayRateLimit:
		return DelayParser{Func: "ParseRateLimit"}
	case DelayCost:
		return DelayParser{Func: "CostDelay", Number: true}
	case DelayRetryAfter:
		if number {
			return DelayParser{Func: "ParseDelayNumber", Unit: time.Second, Number: true}
		}
		return DelayParser{Func: "ParseRetryAfter", Now: true}
	case DelayEpochSeconds, DelayEpochMillis:
		return DelayParser{Func: "ParseEpochReset", Unit: unit, Format: number, Now: true}
	}
	if number {
		return DelayParser{Func: "ParseDelayNumber", Unit: unit, Number: true}
	}
	return DelayParser{Func: "ParseDelayString", Unit: unit}
}

// Eval runs the parser on a value written as text, as the generated code
// runs it, so that examples and docs print what the package computes.
func (p DelayParser) Eval(text string, now time.Time) (time.Duration, bool) {
	switch p.Func {
	case "CostDelay":
		return 0, false // three numbers, never one text
	case "ParseRateLimit":
		return errcatimpl.ParseRateLimit([]string{text}, nil)
	case "ParseRetryAfter":
		return apierr.ParseRetryAfter(text, now)
	case "ParseEpochReset":
		return errcatimpl.ParseEpochReset(text, p.Unit, now)
	case "ParseDelayNumber":
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return 0, false
		}
		return errcatimpl.ParseDelayNumber(v, p.Unit)
	}
	return errcatimpl.ParseDelayString(text, p.Unit)
}

// HeaderDelay returns the delay the package reads from a response with
// status that carries only header name with value text (no body delay):
// the first header source of that name, in catalog order, whose rule
// holds and that parses it, then the status's minimum and default delay.
func (c *Catalog) HeaderDelay(status int, name, text string, now time.Time) (time.Duration, bool) {
	header := http.Header{http.CanonicalHeaderKey(name): {text}}
	d, ok := time.Duration(0), false
	for _, src := range c.Retry.Delays {
		if src.Header != "" && http.CanonicalHeaderKey(src.Header) == http.CanonicalHeaderKey(name) && src.Rule.Holds(status, header) {
			if d, ok = src.Parser().Eval(text, now); ok {
				break
			}
		}
	}
	b := c.BoundsFor(status, nil)
	return errcatimpl.BoundDelay(d, ok, b.Min, b.Default)
}
