package apierrtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/errcat/errcat/apierr/errcatimpl"
)

// Catalog is what a generated kit knows of its catalog: its body formats,
// the source its first retry delay is read from and the header its reset
// times are. Generated code fills it in; a test rarely needs one of its
// own.
type Catalog struct {
	// Formats are the body formats, in the order the vendor's parser tries them.
	Formats []Format
	// Delay is where WithRetryAfter puts a delay: the catalog's first delay
	// source; nil if it reads none.
	Delay *Delay
	// Delays, when set, replace Delay for a catalog whose first source
	// applies to some statuses only: the sources WithRetryAfter may use, in
	// catalog order; it writes to the first whose Statuses take the
	// response's status, and to none if none does.
	Delays []*Delay
	// Reset is where WithReset puts a reset time: the first delay source
	// that reads an epoch time from a header; nil if none.
	Reset *Delay
	// SampleMessage is the message of text bodies the kit makes up.
	SampleMessage string
}

// Format is what a kit knows of one body format. Paths are JSON paths:
// object keys as strings, array indexes as ints.
type Format struct {
	Statuses   []int // exact statuses, or classes as 1…5; none: every status from 400 up
	JSON       bool
	Code       []any  // path of the code field; nil if none
	Message    []any  // path of the message field; nil if none
	ErrorWhen  []any  // error_when's path; nil if none
	ErrorValue string // the JSON value at ErrorWhen that flags an error
	Delay      []any  // path of the body field Catalog.Delay reads; nil if none
	// Cost are the paths of a Cost delay's three fields (what the request
	// costs, the units available, the units restored per second); nil if
	// the format declares them not.
	Cost   [][]any
	Sample string // a body of the format with every field
	// MediaTypes are the media types the format needs (essences, or
	// suffixes such as "+xml"); none if any will do. The kit sends the
	// first essence.
	MediaTypes []string
	// When and WhenValue are the format's shape test: the JSON value at
	// When that selects it ("" for any value but null); When is nil if it
	// has none.
	When      []any
	WhenValue string
	// CodeOnly says only bodies with a code fit the format (its shape test
	// reads the code's path): the kit makes no code-less body of it.
	CodeOnly bool
	// XML says the format's bodies are XML: the kit answers with Sample as
	// it is (a code comes only from a documented example), and WithMessage
	// replaces the whole body, which the parser then reads as text.
	XML bool
	// Values are the other values the format carries that WithValue sets,
	// by name: a kit names its secondary code sets (format v2) and their
	// domain fields.
	Values []Value
}

// Value is where a body format carries a value WithValue sets.
type Value struct {
	Name string
	Path []any
}

// Example is a documented example response.
type Example struct {
	Header [][2]string
	Body   string
}

// DelayFormat is how a delay source writes its value.
type DelayFormat int

// The formats of a delay source.
const (
	Seconds      DelayFormat = iota // a number of seconds, as Retry-After's delay-seconds
	Millis                          // a number of milliseconds
	Duration                        // a Go duration string such as "1.5s"
	EpochSeconds                    // the Unix time, in seconds, when to retry
	EpochMillis                     // the Unix time, in milliseconds, when to retry
	RateLimit                       // the IETF RateLimit field: "default";r=0;t=<seconds>
	Cost                            // a cost formula in the body: cost d seconds, 0 available, 1 per second
)

// Delay is a source of a retry delay: a header, or (Header "") the body
// field at Format.Delay.
type Delay struct {
	Header string
	Format DelayFormat
	Text   bool // a body field that holds text rather than a JSON number
	// WhenHeader, when set, is the header the source's condition tests: a
	// delay written to the source also sets it to WhenValue ("1" when the
	// header need only be present), so that the condition holds.
	WhenHeader, WhenValue string
	// Statuses are the statuses the source applies to (classes as 1…5);
	// none: every status. Only Catalog.Delays reads them.
	Statuses []int
}

// delayFor returns the delay source WithRetryAfter writes to in a response
// of this status: Delay, or the first of Delays that applies to it.
func (c *Catalog) delayFor(status int) *Delay {
	if len(c.Delays) == 0 {
		return c.Delay
	}
	for _, d := range c.Delays {
		if len(d.Statuses) == 0 {
			return d
		}
		for _, s := range d.Statuses {
			if s == status || s == status/100 {
				return d
			}
		}
	}
	return nil
}

// Option changes a response a Catalog builds.
type Option func(*settings)

type settings struct {
	status        int
	message, body *string
	header        [][2]string
	delay         *time.Duration
	reset         *time.Time
	now           func() time.Time
	values        []namedValue
}

type namedValue struct {
	name string
	v    any
}

// WithStatus makes the response carry this HTTP status instead of the
// documented one.
func WithStatus(status int) Option { return func(s *settings) { s.status = status } }

// WithMessage puts msg in the body where the body format keeps its message
// (the whole body, for a text format).
func WithMessage(msg string) Option { return func(s *settings) { s.message = &msg } }

// WithBody replaces the body with body, as it is; the other options still
// apply to it.
func WithBody(body string) Option { return func(s *settings) { s.body = &body } }

// WithHeader sets a response header, after every other option.
func WithHeader(name, value string) Option {
	return func(s *settings) { s.header = append(s.header, [2]string{name, value}) }
}

// WithRetryAfter makes the response ask for a retry after d, where the
// catalog's first delay source says (with Catalog.Delays, the first that
// applies to the response's status; none if none does). A source that holds an epoch time
// gets the time d after the clock's now (see WithClock), rounded up to the
// second or millisecond it keeps; a RateLimit source gets an exhausted
// policy whose t is d rounded up to the second; a Cost source gets a cost
// of d in seconds with nothing available and one unit restored per second.
// A source whose condition tests a header also gets that header, so the
// condition holds. It has no effect when the catalog reads no delay.
func WithRetryAfter(d time.Duration) Option { return func(s *settings) { s.delay = &d } }

// WithReset makes the response say its rate limit resets at t, in the
// catalog's reset header. It has no effect when the catalog reads none.
func WithReset(t time.Time) Option { return func(s *settings) { s.reset = &t } }

// WithValue puts v in a JSON body where its body format carries the value
// named name (Format.Values); a format that carries none is left as it is.
// A kit wraps it in one option per secondary code set.
func WithValue(name string, v any) Option {
	return func(s *settings) { s.values = append(s.values, namedValue{name, v}) }
}

// Options is one Option applying opts in order.
func Options(opts ...Option) Option {
	return func(s *settings) {
		for _, o := range opts {
			o(s)
		}
	}
}

// WithClock makes WithRetryAfter measure an epoch time from c's Now
// instead of time.Now: give it the Clock the transport under test uses,
// so the transport reads back exactly the delay asked for.
func WithClock(c interface{ Now() time.Time }) Option {
	return func(s *settings) { s.now = c.Now }
}

// Response returns the response for status: built from the documented
// example ex unless ex is nil or WithStatus changed the status, else from
// the first format that applies (with code, if not nil, at its code
// path), then changed by opts. Each call returns a new response whose body
// can be read once; its Request is nil. Status 0 means the catalog
// documents no status to answer with (a code listed without an exact
// status or an example): the caller must give one with WithStatus, else
// Response panics saying so, as a test helper's misuse should.
func (c *Catalog) Response(status int, ex *Example, code any, opts ...Option) *http.Response {
	s := settings{status: status, now: time.Now}
	for _, o := range opts {
		o(&s)
	}
	if s.status == 0 {
		panic("apierrtest: the catalog documents no status for this code and no example of it; pass WithStatus(...) to choose the response's status")
	}
	r := c.build(s.status, ex, code, s.status != status)
	c.apply(r, &s)
	return newResponse(r.status, r.header, r.body)
}

// reply is a response being built.
type reply struct {
	status int
	header http.Header
	body   string
	format *Format // the body format that reads body; nil if none
}

// build starts from the documented example, unless there is none or the
// status was changed away from it, and otherwise from a format's sample.
func (c *Catalog) build(status int, ex *Example, code any, statusChanged bool) *reply {
	r := &reply{status: status, header: http.Header{}}
	if ex != nil && !statusChanged {
		for _, h := range ex.Header {
			r.header.Add(h[0], h[1])
		}
		r.body = ex.Body
		r.format = c.formatFor(status, r.body, r.header, false)
	} else if f := c.formatFor(status, "", nil, code != nil); f != nil {
		r.format = f
		switch {
		case f.XML:
			r.body = f.Sample
		case !f.JSON:
			r.body = c.SampleMessage
		default:
			doc := decode(f.Sample)
			if code != nil {
				doc = set(doc, f.Code, code)
			}
			if f.ErrorWhen != nil && status < 400 && !has(doc, f.ErrorWhen) {
				doc = set(doc, f.ErrorWhen, decode(f.ErrorValue))
			}
			if f.When != nil && f.WhenValue != "" && !has(doc, f.When) {
				doc = set(doc, f.When, decode(f.WhenValue))
			}
			r.body = encode(doc)
		}
	}
	setContentType(r.header, r.body)
	if f := r.format; f != nil && len(f.MediaTypes) > 0 && (ex == nil || statusChanged) {
		r.header.Set("Content-Type", f.mediaType())
	}
	return r
}

// mediaType is the Content-Type the kit sends for the format: its first
// essence, else a made-up type with its first suffix.
func (f *Format) mediaType() string {
	for _, t := range f.MediaTypes {
		if !strings.HasPrefix(t, "+") {
			return t
		}
	}
	return "application/example" + f.MediaTypes[0]
}

// fits reports whether a body (with its headers) is one the parser reads
// with format f, as far as the kit can tell: its content, media type and
// shape test.
func (f *Format) fits(body string, header http.Header) bool {
	doc := decode(body)
	_, isJSON := doc.(map[string]any)
	switch {
	case f.JSON && !isJSON, f.XML && !strings.HasPrefix(strings.TrimSpace(body), "<"):
		return false
	case len(f.MediaTypes) > 0 && !errcatimpl.MediaTypeIn(header, f.MediaTypes...):
		return false
	case f.When != nil && f.JSON:
		v, ok := at(doc, f.When)
		if f.WhenValue == "" {
			return ok && v != nil
		}
		return ok && encode(v) == encode(decode(f.WhenValue))
	}
	return true
}

// apply applies the options that change a built response.
func (c *Catalog) apply(r *reply, s *settings) {
	if s.body != nil {
		r.body = *s.body
		r.format = c.formatFor(r.status, r.body, r.header, false)
	}
	if s.message != nil {
		switch f := r.format; {
		case f == nil || !f.JSON:
			r.body = *s.message
		case f.Message != nil:
			r.body = encode(set(decode(r.body), f.Message, *s.message))
		}
	}
	if f := r.format; len(s.values) > 0 && f != nil && f.JSON {
		doc := decode(r.body)
		for _, nv := range s.values {
			for _, v := range f.Values {
				if v.Name == nv.name {
					doc = set(doc, v.Path, nv.v)
				}
			}
		}
		r.body = encode(doc)
	}
	if d := c.delayFor(r.status); s.delay != nil && d != nil {
		d.put(r, d.value(*s.delay, s.now()))
	}
	if s.reset != nil && c.Reset != nil {
		c.Reset.put(r, epoch(*s.reset, c.Reset.Format))
	}
	for _, h := range s.header {
		r.header.Set(h[0], h[1])
	}
	r.header.Set("Content-Length", strconv.Itoa(len(r.body)))
}

// value is how d writes delay d, asked for at now.
func (d *Delay) value(delay time.Duration, now time.Time) string {
	switch d.Format {
	case Millis:
		return strconv.FormatInt(delay.Milliseconds(), 10)
	case Duration:
		return delay.String()
	case EpochSeconds:
		return epoch(now.Add(delay).Add(time.Second-1), EpochSeconds)
	case EpochMillis:
		return epoch(now.Add(delay).Add(time.Millisecond-1), EpochMillis)
	case RateLimit:
		return `"default";r=0;t=` + strconv.FormatInt(int64((delay+time.Second-1)/time.Second), 10)
	}
	return strconv.FormatFloat(delay.Seconds(), 'f', -1, 64)
}

// epoch writes t as an EpochSeconds or EpochMillis value (truncated).
func epoch(t time.Time, f DelayFormat) string {
	if f == EpochMillis {
		return strconv.FormatInt(t.UnixMilli(), 10)
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// put writes v where d reads it: its header, or its body field in the
// response's format, if that format has one.
func (d *Delay) put(r *reply, v string) {
	if d.WhenHeader != "" {
		r.header.Set(d.WhenHeader, d.WhenValue)
	}
	if d.Header != "" {
		r.header.Set(d.Header, v)
		return
	}
	f := r.format
	if d.Format == Cost {
		if f != nil && len(f.Cost) == 3 {
			doc := decode(r.body)
			for i, n := range []string{v, "0", "1"} {
				doc = set(doc, f.Cost[i], json.Number(n))
			}
			r.body = encode(doc)
		}
		return
	}
	if f == nil || f.Delay == nil {
		return
	}
	var val any = v
	if !d.Text && d.Format != Duration {
		val = json.Number(v)
	}
	r.body = encode(set(decode(r.body), f.Delay, val))
}

// formatFor returns the first body format that applies to status and fits
// body (any format, when body is ""), with a code field when needCode.
func (c *Catalog) formatFor(status int, body string, header http.Header, needCode bool) *Format {
	for i := range c.Formats {
		f := &c.Formats[i]
		if !f.applies(status) || (needCode && f.Code == nil) || (body == "" && !needCode && f.CodeOnly) {
			continue
		}
		if body != "" && !f.fits(body, header) {
			continue
		}
		return f
	}
	return nil
}

func (f *Format) applies(status int) bool {
	if len(f.Statuses) == 0 {
		return status >= 400
	}
	for _, s := range f.Statuses {
		if s == status || s == status/100 {
			return true
		}
	}
	return false
}
