package model

import (
	"net/http"
	"strconv"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/errcatimpl"
)

// Outcome is what a generated parser makes of a response, as Evaluate
// works it out from the model alone: errcat validate checks catalog
// examples with it, without running generated code.
type Outcome struct {
	// IsError is false when the parser returns nil (a success).
	IsError bool
	// Format is the name of the body format that read the body; "" when
	// none fitted.
	Format string
	// HasCode reports whether the body carried a code; Code is its text.
	HasCode bool
	Code    string
	// HasDelay reports whether the response carried a retry delay; Delay
	// is it, measured from now. DelayFromNow reports that it depends on
	// now (an HTTP-date or a reset time), so tests check only its presence.
	HasDelay     bool
	Delay        time.Duration
	DelayFromNow bool
	// Decided is the listed value of the first set that decides kind and
	// action (format v2, decides: true) the body carries, in catalog
	// order; nil when none does.
	Decided *SetCode
}

// Evaluate works out what the generated parser of c does with a response,
// with the runtime functions (apierr) the generated parser calls, in the
// same order: the first body format, in catalog order, whose statuses and
// content fit; its code field; the first delay source that holds a valid
// value. A test holds it to the generated parsers of every catalog example.
func Evaluate(c *Catalog, status int, header http.Header, body []byte, now time.Time) Outcome {
	body, _ = errcatimpl.DecodeContent(header, body, 0)
	decode := errcatimpl.DecodeObject
	if c.ReadsArrays() {
		decode = errcatimpl.DecodeJSON
	}
	doc, isJSON := decode(body)
	var xdoc errcatimpl.Doc
	var isXML bool
	if c.HasContent(ContentXML) {
		xdoc, isXML = errcatimpl.DecodeXML(body, false)
	}
	var format *Body
	for _, b := range c.Bodies {
		d, ok := doc, isJSON
		if b.Content == ContentXML {
			d, ok = xdoc, isXML
		}
		if b.fits(status, header, d, ok) {
			format = b
			doc = d
			break
		}
	}
	if format == nil && status >= 100 && status < 400 {
		return Outcome{}
	}
	out := Outcome{IsError: true}
	if format != nil {
		out.Format = format.Name
		if format.Content.Structured() {
			for _, p := range format.Sensitive {
				doc.Redact(toRuntimePath(p))
			}
			out.readCode(c, format, doc)
			out.readDecision(c, format, doc)
		}
	}
	out.findDelay(c, status, format, header, doc, now)
	return out
}

// fits reports whether the parser picks format b for the response: its
// statuses, media types, content (doc decoded as b's content: isDoc) and
// shape (when) all fit, and, for a non-error status, its error_when.
func (b *Body) fits(status int, header http.Header, doc errcatimpl.Doc, isDoc bool) bool {
	if !b.AppliesTo(status) {
		return false
	}
	if len(b.MediaTypes) > 0 && !errcatimpl.MediaTypeIn(header, b.MediaTypes...) {
		return false
	}
	if b.Content == ContentText {
		return true
	}
	if !isDoc || (b.When != nil && !b.When.Holds(doc)) {
		return false
	}
	if w := b.ErrorWhen; w != nil && status < 400 {
		return errcatimpl.MayHoldJSON(header) && w.Holds(doc)
	}
	return true
}

// Holds reports whether the condition holds in doc, as the generated
// parser tests it.
func (w *Condition) Holds(doc errcatimpl.Doc) bool {
	switch {
	case w.NonEmpty:
		return doc.NonEmpty(toRuntimePath(w.Path))
	case w.Present:
		return doc.Present(toRuntimePath(w.Path))
	}
	return doc.Equals(toRuntimePath(w.Path), w.Equals)
}

// HasContent reports whether a body format of the catalog has content c.
func (c *Catalog) HasContent(content Content) bool {
	for _, b := range c.Bodies {
		if b.Content == content {
			return true
		}
	}
	return false
}

func (o *Outcome) readCode(c *Catalog, b *Body, doc errcatimpl.Doc) {
	for _, f := range b.Fields {
		if f.Role != RoleCode {
			continue
		}
		paths := toRuntimePaths(f.Paths)
		if c.CodeType == CodeInt {
			if v, ok := doc.Int(paths...); ok {
				o.HasCode, o.Code = true, strconv.FormatInt(v, 10)
			}
		} else if v, ok := f.ReadText(doc); ok {
			o.HasCode, o.Code = true, v
			if b.Problem != nil {
				o.Code, o.HasCode = errcatimpl.ProblemType(v, errcatimpl.URIPart(b.Problem.CodeFrom))
			}
		}
	}
}

// readDecision finds the first listed value of a deciding set that body
// format b carries, as the generated Kind and Action do.
func (o *Outcome) readDecision(c *Catalog, b *Body, doc errcatimpl.Doc) {
	for _, s := range c.CodeSets {
		f := b.SetField(s)
		if !s.Decides || f == nil {
			continue
		}
		var text string
		var ok bool
		if s.Type == CodeInt {
			var v int64
			v, ok = doc.Int(toRuntimePaths(f.Paths)...)
			text = strconv.FormatInt(v, 10)
		} else {
			text, ok = f.ReadText(doc)
		}
		for _, it := range s.Items {
			if ok && it.Text() == text {
				o.Decided = it
				return
			}
		}
	}
}

// findDelay applies the catalog's delay sources in order, each only where
// its rule holds; a body field counts only when the format that read the
// body declares it. Last, the minimum and default delay of the response's
// code, else of its status, bound what the sources gave.
func (o *Outcome) findDelay(c *Catalog, status int, format *Body, header http.Header, doc errcatimpl.Doc, now time.Time) {
	for _, src := range c.Retry.Delays {
		if !src.Rule.Holds(status, header) {
			continue
		}
		var d time.Duration
		var ok, fromNow bool
		switch {
		case src.Cost != nil:
			d, ok = costDelay(src.Cost, format, doc)
		case src.Field != nil:
			d, ok, fromNow = bodyDelay(src, format, doc, now)
		case src.Format == DelayRateLimit:
			d, ok = errcatimpl.ParseRateLimit(header.Values(src.Header), header.Values(src.Header+"-Policy"))
		default:
			d, ok, fromNow = headerDelay(src, header.Get(src.Header), now)
		}
		if ok {
			o.HasDelay, o.Delay, o.DelayFromNow = true, d, fromNow
			break
		}
	}
	var code *Code
	if o.HasCode {
		code = c.CodeByText(o.Code)
	}
	b := c.BoundsFor(status, code)
	o.Delay, o.HasDelay = errcatimpl.BoundDelay(o.Delay, o.HasDelay, b.Min, b.Default)
}

// costDelay computes a cost formula from a body whose format declares its
// three fields.
func costDelay(cf *CostFormula, format *Body, doc errcatimpl.Doc) (time.Duration, bool) {
	if format == nil || format.Content != ContentJSON {
		return 0, false
	}
	var vals [3]float64
	for i, want := range []*Field{cf.Cost, cf.Available, cf.Rate} {
		f := format.fieldNamed(want.GoName)
		if f == nil {
			return 0, false
		}
		v, ok := doc.Float(toRuntimePaths(f.Paths)...)
		if !ok {
			return 0, false
		}
		vals[i] = v
	}
	return errcatimpl.CostDelay(vals[0], vals[1], vals[2])
}

// fieldNamed returns the format's field without a role named goName, or nil.
func (b *Body) fieldNamed(goName string) *Field {
	for _, f := range b.Fields {
		if f.GoName == goName && f.Role == RoleNone {
			return f
		}
	}
	return nil
}

func headerDelay(src DelaySource, v string, now time.Time) (time.Duration, bool, bool) {
	switch src.Format {
	case DelayRetryAfter:
		d, ok := apierr.ParseRetryAfter(v, now)
		_, err := strconv.ParseFloat(v, 64)
		return d, ok, err != nil
	case DelayEpochSeconds:
		d, ok := errcatimpl.ParseEpochReset(v, time.Second, now)
		return d, ok, true
	case DelayEpochMillis:
		d, ok := errcatimpl.ParseEpochReset(v, time.Millisecond, now)
		return d, ok, true
	case DelayMillis:
		d, ok := errcatimpl.ParseDelayString(v, time.Millisecond)
		return d, ok, false
	}
	d, ok := errcatimpl.ParseDelayString(v, time.Second) // seconds, duration
	return d, ok, false
}

func bodyDelay(src DelaySource, format *Body, doc errcatimpl.Doc, now time.Time) (time.Duration, bool, bool) {
	if format == nil || !format.Content.Structured() {
		return 0, false, false
	}
	var f *Field
	for _, x := range format.Fields {
		if x.GoName == src.Field.GoName && x.Role == RoleNone {
			f = x
		}
	}
	if f == nil {
		return 0, false, false
	}
	paths := toRuntimePaths(f.Paths)
	var text string
	var num float64
	switch f.Type {
	case TypeInteger:
		v, ok := doc.Int(paths...)
		if !ok {
			return 0, false, false
		}
		text, num = strconv.FormatInt(v, 10), float64(v)
	case TypeNumber:
		v, ok := doc.Float(paths...)
		if !ok {
			return 0, false, false
		}
		text, num = strconv.FormatFloat(v, 'f', -1, 64), v
	default:
		v, ok := doc.String(paths...)
		if !ok {
			return 0, false, false
		}
		text = v
	}
	isString := f.Type != TypeInteger && f.Type != TypeNumber
	switch src.Format {
	case DelayDuration:
		d, ok := errcatimpl.ParseDelayString(text, time.Second)
		return d, ok, false
	case DelayRetryAfter:
		if isString {
			return headerDelay(src, text, now)
		}
		d, ok := errcatimpl.ParseDelayNumber(num, time.Second)
		return d, ok, false
	case DelayEpochSeconds, DelayEpochMillis:
		return headerDelay(src, text, now)
	}
	unit := time.Second
	if src.Format == DelayMillis {
		unit = time.Millisecond
	}
	if isString {
		d, ok := errcatimpl.ParseDelayString(text, unit)
		return d, ok, false
	}
	d, ok := errcatimpl.ParseDelayNumber(num, unit)
	return d, ok, false
}

func toRuntimePath(p Path) errcatimpl.Path {
	out := make(errcatimpl.Path, len(p))
	for i, s := range p {
		out[i] = errcatimpl.Step{Key: s.Key, Index: s.Index, IsIndex: s.IsIndex, Wildcard: s.Wildcard}
		if s.Filter != nil {
			out[i].Filter = &errcatimpl.Filter{Path: toRuntimePath(s.Filter.Path), Equals: s.Filter.Equals}
		}
	}
	return out
}

func toRuntimePaths(ps []Path) []errcatimpl.Path {
	out := make([]errcatimpl.Path, len(ps))
	for i, p := range ps {
		out[i] = toRuntimePath(p)
	}
	return out
}

// UsesAction reports whether some error of the catalog can have action a:
// a status's, a code's, a deciding code set value's, a success format's
// (for its errors without a listed code) or a retry override value's.
func (c *Catalog) UsesAction(a apierr.Action) bool {
	for _, s := range c.Statuses {
		if s.Action == a {
			return true
		}
	}
	for _, code := range c.Codes {
		if code.Action == a {
			return true
		}
	}
	for _, set := range c.CodeSets {
		for _, it := range set.Items {
			if set.Decides && it.Action == a {
				return true
			}
		}
	}
	for _, b := range c.Bodies {
		if b.HasKindAction && b.Action == a {
			return true
		}
	}
	if o := c.Retry.Override; o != nil {
		for _, v := range o.Values {
			if v.Action == a {
				return true
			}
		}
	}
	return false
}
