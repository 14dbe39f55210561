package golang

// kitSource is the part of every test kit that does not depend on the
// catalog; testkit.go fills in the names (PKG: the vendor package's name,
// KIT: the kit's) and appends the catalog's tables. It uses only the
// standard library and the vendor package's exported API (constants,
// FromResponse), so a kit keeps working whatever the vendor package's
// internals become.
const kitSource = `
// Option changes a response Response builds.
type Option func(*settings)


// WithStatus makes the response carry this HTTP status instead of the
// documented one (a code the catalog does not list gets 400 otherwise).
func WithStatus(status int) Option { return func(s *settings) { s.status = status } }

// WithMessage puts msg in the body where the body format keeps its message
// (the whole body, for a text format).
func WithMessage(msg string) Option { return func(s *settings) { s.message = &msg } }

// WithBody replaces the body with body, as it is; the other options still
// apply to it.
func WithBody(body string) Option { return func(s *settings) { s.body = &body } }

// WithHeader sets a response header.
func WithHeader(name, value string) Option {
	return func(s *settings) { s.header = append(s.header, [2]string{name, value}) }
}

// Response returns the response PKG sends for KEYDOC: its documented example
// (the first the catalog gives) or, where it documents none, a body made
// from its body format's field paths. Each call returns a new response whose
// body can be read once; its Request is nil (Script sets it).
func Response KEYPARAMS *http.Response {
	s := settings{}
	status, ex, code := lookup(KEYARG)
	s.status = status
	for _, o := range opts {
		o(&s)
	}
	r := build(s.status, ex, code, s.status != status)
	r.apply(&s)
	return r.response()
}

// NewError returns the *PKG.Error PKG.FromResponse makes of
// Response(KEYARG, opts...): exactly what a client sees, for unit tests that
// need no HTTP. It is nil when that response is not an error (a success
// status the catalog reads no error from).
func NewError KEYPARAMS *PKG.Error {
	resp := Response(KEYARG, opts...)
	defer resp.Body.Close()
	var e *PKG.Error
	if errors.As(PKG.FromResponse(resp), &e) {
		return e
	}
	return nil
}

// reply is a response being built.
type reply struct {
	status int
	header http.Header
	body   string
	format *format // the body format that reads body; nil if none
}

func (r *reply) response() *http.Response {
	return &http.Response{
		Status:        strconv.Itoa(r.status) + " " + http.StatusText(r.status),
		StatusCode:    r.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        r.header,
		Body:          io.NopCloser(strings.NewReader(r.body)),
		ContentLength: int64(len(r.body)),
	}
}

// build starts from the documented example, unless there is none or the
// status was changed away from it, and otherwise from a format's sample.
func build(status int, ex *example, code any, statusChanged bool) *reply {
	r := &reply{status: status, header: http.Header{}}
	if ex != nil && !statusChanged {
		for _, h := range ex.header {
			r.header.Add(h[0], h[1])
		}
		r.body = ex.body
		r.format = formatFor(status, r.body, false)
	} else if f := formatFor(status, "", code != nil); f != nil {
		r.format = f
		if !f.json {
			r.body = sampleMessage
		} else {
			doc := decode(f.sample)
			if code != nil {
				doc = set(doc, f.code, code)
			}
			if f.errorWhen != nil && status < 400 && !has(doc, f.errorWhen) {
				doc = set(doc, f.errorWhen, decode(f.errorValue))
			}
			r.body = encode(doc)
		}
	}
	if r.header.Get("Content-Type") == "" && r.body != "" {
		if _, ok := decode(r.body).(map[string]any); ok {
			r.header.Set("Content-Type", "application/json")
		} else {
			r.header.Set("Content-Type", "text/plain; charset=utf-8")
		}
	}
	return r
}

// apply applies the options that change a built response.
func (r *reply) apply(s *settings) {
	if s.body != nil {
		r.body = *s.body
		r.format = formatFor(r.status, r.body, false)
	}
	if s.message != nil {
		switch f := r.format; {
		case f == nil || !f.json:
			r.body = *s.message
		case f.message != nil:
			r.body = encode(set(decode(r.body), f.message, *s.message))
		}
	}
	r.applyTimes(s)
	for _, h := range s.header {
		r.header.Set(h[0], h[1])
	}
	r.header.Set("Content-Length", strconv.Itoa(len(r.body)))
}

// formatFor returns the first body format that applies to status and fits
// body (any format, when body is ""), with a code field when needCode.
func formatFor(status int, body string, needCode bool) *format {
	_, isJSON := decode(body).(map[string]any)
	for i := range formats {
		f := &formats[i]
		if !f.applies(status) || (needCode && f.code == nil) {
			continue
		}
		if body != "" && f.json && !isJSON {
			continue
		}
		return f
	}
	return nil
}

// format is what the kit knows of one body format.
type format struct {
	statuses   []int // exact statuses, or classes as 1…5; none: every status from 400 up
	json       bool
	code       []any // path of the code field; nil if none
	message    []any // path of the message field; nil if none
	errorWhen  []any // error_when's path, and the JSON value that flags an error
	errorValue string
	delay      []any // path of the body field the first delay source reads; nil if none
	sample     string // a body of the format with every field
}

func (f *format) applies(status int) bool {
	if len(f.statuses) == 0 {
		return status >= 400
	}
	for _, s := range f.statuses {
		if s == status || s == status/100 {
			return true
		}
	}
	return false
}

// example is a documented example response.
type example struct {
	header [][2]string
	body   string
}

// decode reads a JSON document, numbers exact; nil if text is not JSON.
func decode(text string) any {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || d.More() {
		return nil
	}
	return v
}

func encode(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// set puts v at path below cur (keys are strings, indexes ints), making
// objects and arrays on the way, and returns cur's new value.
func set(cur any, path []any, v any) any {
	if len(path) == 0 {
		return v
	}
	if i, ok := path[0].(int); ok {
		arr, _ := cur.([]any)
		for len(arr) <= i {
			arr = append(arr, nil)
		}
		arr[i] = set(arr[i], path[1:], v)
		return arr
	}
	m, _ := cur.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	k := path[0].(string)
	m[k] = set(m[k], path[1:], v)
	return m
}

// has reports whether doc holds a value at path.
func has(doc any, path []any) bool {
	for _, step := range path {
		switch c := doc.(type) {
		case map[string]any:
			k, _ := step.(string)
			v, ok := c[k]
			if !ok {
				return false
			}
			doc = v
		case []any:
			i, ok := step.(int)
			if !ok || i >= len(c) {
				return false
			}
			doc = c[i]
		default:
			return false
		}
	}
	return true
}

// Step is one answer of a Script.
type Step struct {
	status int
	header http.Header
	body   string
	err    error
}

// Reply is a Step answering with Response(KEYARG, opts...).
func Reply KEYPARAMS Step {
	resp := Response(KEYARG, opts...)
	b, _ := io.ReadAll(resp.Body)
	return Step{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// OK is a Step answering 200 with body, as JSON when body is a JSON object.
func OK(body string) Step {
	return Respond(http.StatusOK, nil, body)
}

// Respond is a Step answering status with header and body.
func Respond(status int, header http.Header, body string) Step {
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Content-Type") == "" && body != "" {
		if _, ok := decode(body).(map[string]any); ok {
			h.Set("Content-Type", "application/json")
		} else {
			h.Set("Content-Type", "text/plain; charset=utf-8")
		}
	}
	return Step{status: status, header: h, body: body}
}

// Fail is a Step that fails the round trip with err, as a network error
// does (the handler drops the connection instead).
func Fail(err error) Step { return Step{err: err} }

// ErrExhausted is what a Script's RoundTrip returns once every step is
// used; its handler then answers 500 with this text.
var ErrExhausted = errors.New("KIT: script exhausted: more requests than steps")

// Request is a request a Script saw.
type Request struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   []byte
}

// Script answers requests with its steps, in order, and records them. It
// is an http.RoundTripper (the base of apierr.NewTransport, or a client's
// Transport) and an http.Handler (for httptest.NewServer); it is safe for
// concurrent use.
type Script struct {
	mu    sync.Mutex
	steps []Step
	seen  []Request
}

// NewScript returns a Script answering with steps.
func NewScript(steps ...Step) *Script { return &Script{steps: steps} }

// next records r and returns its step; ok is false once the steps are used.
func (s *Script) next(r *http.Request) (Step, bool) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
	}
	u := *r.URL
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, Request{Method: r.Method, URL: &u, Header: r.Header.Clone(), Body: body})
	if len(s.seen) > len(s.steps) {
		return Step{}, false
	}
	return s.steps[len(s.seen)-1], true
}

// RoundTrip answers r with the next step.
func (s *Script) RoundTrip(r *http.Request) (*http.Response, error) {
	st, ok := s.next(r)
	if !ok {
		return nil, ErrExhausted
	}
	if st.err != nil {
		return nil, st.err
	}
	resp := (&reply{status: st.status, header: st.header.Clone(), body: st.body}).response()
	resp.Request = r
	return resp, nil
}

// ServeHTTP answers r with the next step.
func (s *Script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st, ok := s.next(r)
	if !ok {
		http.Error(w, ErrExhausted.Error(), http.StatusInternalServerError)
		return
	}
	if st.err != nil {
		panic(http.ErrAbortHandler)
	}
	for k, v := range st.header {
		w.Header()[k] = v
	}
	w.WriteHeader(st.status)
	io.WriteString(w, st.body)
}

// Requests returns the requests the Script saw, in order.
func (s *Script) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.seen...)
}

// Clock is an apierr.Clock for apierr.WithClock whose waits return at
// once: it records each wait and moves its time on by it, so a test sees
// the delays a transport waited without waiting them.
type Clock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

// NewClock returns a Clock reading start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the Clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After records d, moves the time on by it and fires at once.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// Waits returns the delays waited, in order.
func (c *Clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}
`

// kitDelaySource is the part of a kit whose catalog gives retry delays.
const kitDelaySource = `
// WithRetryAfter makes the response ask for a retry after d, where the
// catalog's first delay source (DELAYDOC) says.
func WithRetryAfter(d time.Duration) Option { return func(s *settings) { s.delay = &d } }
`

// kitResetSource is the part of a kit whose catalog reads reset times.
const kitResetSource = `
// WithReset makes the response say its rate limit resets at t, in the
// reset header the catalog reads (RESETDOC).
func WithReset(t time.Time) Option { return func(s *settings) { s.reset = &t } }
`
