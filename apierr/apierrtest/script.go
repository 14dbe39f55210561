package apierrtest

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// Step is one answer of a Script.
type Step struct {
	status int
	header http.Header
	body   string
	err    error
}

// OK is a Step answering 200 with body, as JSON when body is a JSON object.
func OK(body string) Step {
	return Respond(http.StatusOK, nil, body)
}

// Respond is a Step answering status with header and body; without a
// Content-Type in header it gets application/json when body is a JSON
// object and text/plain otherwise.
func Respond(status int, header http.Header, body string) Step {
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	setContentType(h, body)
	return Step{status: status, header: h, body: body}
}

// StepOf is a Step answering with resp's status, header and body (which it
// reads and closes). Kits make their Reply with it.
func StepOf(resp *http.Response) Step {
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return Step{status: resp.StatusCode, header: resp.Header.Clone(), body: string(b)}
}

// Fail is a Step that fails the round trip with err, as a network error
// does (the handler drops the connection instead).
func Fail(err error) Step { return Step{err: err} }

// ErrExhausted is what a Script's RoundTrip returns once every step is
// used; its handler then answers 500 with this text.
var ErrExhausted = errors.New("apierrtest: script exhausted: more requests than steps")

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
	resp := newResponse(st.status, st.header.Clone(), st.body)
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

// newResponse is a response with status, header and body; its Request is nil.
func newResponse(status int, header http.Header, body string) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{
		Status:        strconv.Itoa(status) + " " + http.StatusText(status),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
	}
}

// setContentType gives h the content type of body unless it has one.
func setContentType(h http.Header, body string) {
	if h.Get("Content-Type") != "" || body == "" {
		return
	}
	if _, ok := decode(body).(map[string]any); ok {
		h.Set("Content-Type", "application/json")
	} else {
		h.Set("Content-Type", "text/plain; charset=utf-8")
	}
}
