package golang

// kitSource is the part of every test kit that does not depend on the
// catalog: thin wrappers over apierr/apierrtest, which holds the
// vendor-neutral code (scripts, the clock, the response builder) once for
// every kit. testkit.go fills in the names (PKG: the vendor package's
// name, KEYPARAMS/KEYDOC: the key a response is asked for by) and appends
// the options the catalog's delay sources allow and its tables. It uses
// only the standard library, apierrtest and the vendor package's exported
// API (constants, FromResponse), so a kit keeps working whatever the
// vendor package's internals become.
const kitSource = `
// The kit's scripts, requests, clock and options are apierrtest's, the
// same for every vendor; its responses are the catalog's.
type (
	// Step is one answer of a Script.
	Step = apierrtest.Step
	// Request is a request a Script saw.
	Request = apierrtest.Request
	// Script answers requests with its steps, in order, and records them:
	// an http.RoundTripper and an http.Handler.
	Script = apierrtest.Script
	// Clock is an apierr.Clock whose waits return at once and are recorded.
	Clock = apierrtest.Clock
	// Option changes a response Response builds.
	Option = apierrtest.Option
)

// ErrExhausted is what a Script's RoundTrip returns once every step is
// used; its handler then answers 500 with this text.
var ErrExhausted = apierrtest.ErrExhausted

// NewScript returns a Script answering with steps.
func NewScript(steps ...Step) *Script { return apierrtest.NewScript(steps...) }

// NewClock returns a Clock reading start.
func NewClock(start time.Time) *Clock { return apierrtest.NewClock(start) }

// OK is a Step answering 200 with body, as JSON when body is a JSON object.
func OK(body string) Step { return apierrtest.OK(body) }

// Respond is a Step answering status with header and body.
func Respond(status int, header http.Header, body string) Step {
	return apierrtest.Respond(status, header, body)
}

// Fail is a Step that fails the round trip with err, as a network error
// does (the handler drops the connection instead).
func Fail(err error) Step { return apierrtest.Fail(err) }

// WithStatus makes the response carry this HTTP status instead of the
// documented one (a code the catalog does not list gets 400 otherwise).
func WithStatus(status int) Option { return apierrtest.WithStatus(status) }

// WithMessage puts msg in the body where the body format keeps its message
// (the whole body, for a text format).
func WithMessage(msg string) Option { return apierrtest.WithMessage(msg) }

// WithBody replaces the body with body, as it is; the other options still
// apply to it.
func WithBody(body string) Option { return apierrtest.WithBody(body) }

// WithHeader sets a response header.
func WithHeader(name, value string) Option { return apierrtest.WithHeader(name, value) }

// Response returns the response PKG sends for KEYDOC: its documented example
// (the first the catalog gives) or, where it documents none, a body made
// from its body format's field paths. Each call returns a new response whose
// body can be read once; its Request is nil (Script sets it).
func Response KEYPARAMS *http.Response {
	status, ex, code := lookup(key)
	return catalog.Response(status, ex, code, opts...)
}

// NewError returns the *PKG.Error PKG.FromResponse makes of
// Response(key, opts...): exactly what a client sees, for unit tests that
// need no HTTP. It is nil when that response is not an error (a success
// status the catalog reads no error from).
func NewError KEYPARAMS *PKG.Error {
	resp := Response(key, opts...)
	defer resp.Body.Close()
	var e *PKG.Error
	if errors.As(PKG.FromResponse(resp), &e) {
		return e
	}
	return nil
}

// Reply is a Step answering with Response(key, opts...).
func Reply KEYPARAMS Step { return apierrtest.StepOf(Response(key, opts...)) }
`

// kitDelaySource is the part of a kit whose catalog gives retry delays.
const kitDelaySource = `
// WithRetryAfter makes the response ask for a retry after d, where the
// catalog's first delay source that applies to the response's status says.
func WithRetryAfter(d time.Duration) Option { return apierrtest.WithRetryAfter(d) }
`

// kitEpochDelaySource is the part of a kit whose catalog's first delay
// source is an epoch time: the delay is measured from a clock.
const kitEpochDelaySource = `
// WithRetryAfter makes the response ask for a retry after d, where the
// catalog's first delay source that applies to the response's status says:
// as the epoch time d after now
// (time.Now, or the Now of the clock WithClock gives), rounded up to the
// unit it keeps.
func WithRetryAfter(d time.Duration) Option { return apierrtest.WithRetryAfter(d) }

// WithClock makes WithRetryAfter measure from c instead of time.Now: give
// it the Clock the transport under test uses (apierr.WithClock), so the
// transport reads back exactly the delay asked for.
func WithClock(c interface{ Now() time.Time }) Option { return apierrtest.WithClock(c) }
`

// kitResetSource is the part of a kit whose catalog reads reset times.
const kitResetSource = `
// WithReset makes the response say its rate limit resets at t, in the
// reset header the catalog reads.
func WithReset(t time.Time) Option { return apierrtest.WithReset(t) }
`
