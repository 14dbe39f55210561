package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/errcat/errcat/apierr"
)

// TypedError is what every generated package's *Error implements.
type TypedError interface {
	apierr.Error
	RawBody() []byte
}

// Sentinel pairs one sentinel of a generated package with its matcher.
type Sentinel struct {
	Err error
	Is  func(error) bool
}

// Facts are the typed fields of a generated *Error the checks read: every
// package has Status, Format, Message and Truncated; the others are zero
// where the package has no such field. Code is "" when the body carried none.
type Facts struct {
	Status      int
	StatusKnown bool
	Format      string
	Message     string
	Truncated   bool
	HasCode     bool
	Code        string
	CodeKnown   bool
	RequestID   string
}

// Vendor describes one generated package to the checks. E is its *Error.
type Vendor[E TypedError] struct {
	Name  string // the vendor id as the tests spell it: "alloy"
	Const string // the package's Vendor constant, which must be Name
	Path  string // what Serve GETs, as a real client would
	Wrap  string // what Check wraps errors with: "checking evaluation"

	FromResponse func(*http.Response) error
	Parse        func(status int, header http.Header, body []byte) error
	Policy       func() apierr.Policy

	// Sentinels is every sentinel of the package with its matcher;
	// ClientError and ServerError are the 4XX and 5XX class sentinels.
	Sentinels   []Sentinel
	ClientError error
	ServerError error

	// Facts reads e's typed fields.
	Facts func(e E) Facts

	// SameDelayTol is how far the retry delays Same compares may differ
	// (delays computed from a reset epoch depend on the clock).
	SameDelayTol time.Duration
}

// Want is what a classified error response must look like.
type Want[E TypedError] struct {
	Is          []error // exactly these sentinels match; every other one must not
	Kind        apierr.Kind
	Action      apierr.Action
	Retryable   bool
	Reauth      bool
	StatusKnown bool
	Format      string
	Message     string
	Code        string // ErrorCode(); "" means the body carried none
	CodeKnown   bool
	RequestID   string
	Text        string // exact Error() when not ""
	HasDelay    bool
	Delay       time.Duration
	// DelayUntil, when set, replaces Delay by the time left until it,
	// measured when the error is checked rather than when the case table
	// was built: under a loaded CI machine seconds can pass in between.
	DelayUntil time.Time
	DelayTol   time.Duration // allowed |got-Delay| (header epochs depend on the clock)
	Check      func(t *testing.T, e E)
}

// delay is the retry delay the error must carry.
func (w Want[E]) delay() time.Duration {
	if !w.DelayUntil.IsZero() {
		return time.Until(w.DelayUntil)
	}
	return w.Delay
}

// Case is one reply and what its error must look like.
type Case[E TypedError] struct {
	Name  string
	Reply Reply
	Want  Want[E]
}

// near reports whether d is within tol of want.
func near(d, want, tol time.Duration) bool { return d >= want-tol && d <= want+tol }

// class returns the class sentinel of an error status.
func (v *Vendor[E]) class(status int) error {
	if status >= 500 {
		return v.ServerError
	}
	return v.ClientError
}

// Serve serves r and GETs it from v.Path; see the package function Serve.
func (v *Vendor[E]) Serve(t testing.TB, r Reply) *http.Response {
	t.Helper()
	return Serve(t, r, v.Path)
}

// Fetch serves r, classifies the response with FromResponse and checks that
// the whole body is still readable afterwards, byte for byte.
func (v *Vendor[E]) Fetch(t testing.TB, r Reply) (*http.Response, error) {
	t.Helper()
	resp := v.Serve(t, r)
	err := v.FromResponse(resp)
	got := Body(t, resp)
	if got != r.Body {
		t.Fatalf("body after FromResponse: got %d bytes %.80q, want %d bytes %.80q", len(got), got, len(r.Body), r.Body)
	}
	return resp, err
}

// FetchError fetches r like Fetch and fails the test unless the answer is
// the package's typed error.
func (v *Vendor[E]) FetchError(t testing.TB, r Reply) (E, error) {
	t.Helper()
	_, err := v.Fetch(t, r)
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("FromResponse = %v, want %T", err, e)
	}
	return e, err
}

// Client is an HTTP client retrying through apierr's transport with v's
// policy.
func (v *Vendor[E]) Client(opts ...apierr.Option) *http.Client {
	return &http.Client{Transport: apierr.NewTransport(Base(), v.Policy(), opts...)}
}

// LogJSON logs attrs in one record with slog's JSON handler and decodes it.
func (v *Vendor[E]) LogJSON(t testing.TB, attrs ...slog.Attr) map[string]any {
	t.Helper()
	return LogJSON(t, v.Name+" call failed", attrs...)
}

// Check asserts err, FromResponse's answer to an HTTP status, against w
// through every public way of asking, and returns the typed error.
func (v *Vendor[E]) Check(t *testing.T, status int, err error, w Want[E]) E {
	t.Helper()
	if err == nil {
		t.Fatalf("FromResponse = nil, want an error for HTTP %d", status)
	}
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%T, %T) = false", err, e)
	}
	f := v.Facts(e)
	if f.Status != status || e.HTTPStatus() != status {
		t.Errorf("Status = %d, HTTPStatus() = %d, want %d", f.Status, e.HTTPStatus(), status)
	}
	if f.StatusKnown != w.StatusKnown {
		t.Errorf("Status.Known() = %v, want %v", f.StatusKnown, w.StatusKnown)
	}

	// Sentinels and matchers: exactly the wanted set, also through wrapping.
	wrapped := fmt.Errorf("%s: %w", v.Wrap, err)
	for _, s := range v.Sentinels {
		want := slices.Contains(w.Is, s.Err)
		if got := errors.Is(err, s.Err); got != want {
			t.Errorf("errors.Is(err, %q) = %v, want %v", s.Err, got, want)
		}
		if got := errors.Is(wrapped, s.Err); got != want {
			t.Errorf("errors.Is(wrapped, %q) = %v, want %v", s.Err, got, want)
		}
		if got := s.Is(wrapped); got != want {
			t.Errorf("matcher for %q on wrapped = %v, want %v", s.Err, got, want)
		}
	}
	if errors.Is(err, apierr.ErrNilResponse) {
		t.Errorf("errors.Is(err, apierr.ErrNilResponse) = true")
	}

	// The vendor-neutral view, through a wrapper and a join.
	joined := errors.Join(errors.New("other failure"), wrapped)
	for _, x := range []error{err, wrapped, joined} {
		a, ok := apierr.As(x)
		if !ok {
			t.Fatalf("apierr.As(%T) = false", x)
		}
		if a.Vendor() != v.Name || a.Vendor() != v.Const {
			t.Errorf("Vendor() = %q, want %q (the package's Vendor is %q)", a.Vendor(), v.Name, v.Const)
		}
		if a.HTTPStatus() != status {
			t.Errorf("apierr HTTPStatus() = %d, want %d", a.HTTPStatus(), status)
		}
		if got := a.ErrorCode(); got != w.Code {
			t.Errorf("ErrorCode() = %q, want %q", got, w.Code)
		}
		if got := apierr.KindOf(x); got != w.Kind {
			t.Errorf("KindOf = %v, want %v", got, w.Kind)
		}
		if got := apierr.ActionOf(x); got != w.Action {
			t.Errorf("ActionOf = %v, want %v", got, w.Action)
		}
		if got := apierr.IsRetryable(x); got != w.Retryable {
			t.Errorf("IsRetryable = %v, want %v", got, w.Retryable)
		}
		if got := apierr.NeedsReauth(x); got != w.Reauth {
			t.Errorf("NeedsReauth = %v, want %v", got, w.Reauth)
		}
		if d, ok := apierr.RetryDelay(x); ok != w.HasDelay || !near(d, w.delay(), w.DelayTol) {
			t.Errorf("RetryDelay = %v %v, want %v ± %v %v", d, ok, w.delay(), w.DelayTol, w.HasDelay)
		}
	}

	// Typed fields.
	if f.HasCode != (w.Code != "") || f.Code != w.Code {
		t.Errorf("Code = %q (HasCode %v), want %q", f.Code, f.HasCode, w.Code)
	}
	if w.Code != "" && f.CodeKnown != w.CodeKnown {
		t.Errorf("Code.Known() = %v, want %v", f.CodeKnown, w.CodeKnown)
	}
	if f.Format != w.Format {
		t.Errorf("Format = %q, want %q", f.Format, w.Format)
	}
	if f.Message != w.Message {
		t.Errorf("Message = %q, want %q", f.Message, w.Message)
	}
	if f.RequestID != w.RequestID {
		t.Errorf("RequestID = %q, want %q", f.RequestID, w.RequestID)
	}
	if f.Truncated {
		t.Errorf("Truncated = true for a small body")
	}

	// Error(): one line of valid UTF-8, "<vendor>: <status>" first.
	msg := err.Error()
	if w.Text != "" && msg != w.Text {
		t.Errorf("Error() = %q, want %q", msg, w.Text)
	}
	if prefix := v.Name + ": " + strconv.Itoa(status); !strings.HasPrefix(msg, prefix) {
		t.Errorf("Error() = %q, want prefix %q", msg, prefix)
	}
	if w.Code != "" && !strings.Contains(msg, w.Code) {
		t.Errorf("Error() = %q does not name the code %s", msg, w.Code)
	}
	if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00\x1b") {
		t.Errorf("Error() is not one clean line: %q", msg)
	}
	if wrapped.Error() != v.Wrap+": "+msg {
		t.Errorf("wrapped Error() = %q", wrapped.Error())
	}

	// slog: the error logs as a group of its facts.
	rec := v.LogJSON(t, slog.Any("err", err))
	g, ok := rec["err"].(map[string]any)
	if !ok {
		t.Fatalf("slog JSON: err is %T (%v), want a group", rec["err"], rec["err"])
	}
	if g["vendor"] != v.Name || g["status"] != float64(status) || g["kind"] != w.Kind.String() || g["action"] != w.Action.String() {
		t.Errorf("slog group = %v, want vendor %s, status %d, kind %v, action %v", g, v.Name, status, w.Kind, w.Action)
	}
	if w.Code != "" && g["code"] != w.Code {
		t.Errorf("slog code = %v, want %q", g["code"], w.Code)
	}
	if w.RequestID != "" && g["request_id"] != w.RequestID {
		t.Errorf("slog group = %v, want the request id %q", g, w.RequestID)
	}
	d, has := g["retry_delay"].(float64)
	if _, present := g["retry_delay"]; present != w.HasDelay {
		t.Errorf("slog retry_delay present = %v, want %v", present, w.HasDelay)
	} else if w.HasDelay && (!has || !near(time.Duration(d), w.delay(), w.DelayTol)) {
		t.Errorf("slog retry_delay = %v, want %d ± %d", g["retry_delay"], w.delay(), w.DelayTol)
	}
	if w.Check != nil {
		w.Check(t, e)
	}
	return e
}

// Same asserts that parsed, Parse's (or the policy's) answer to what
// FromResponse saw, is the same as fromResponse.
func (v *Vendor[E]) Same(t testing.TB, fromResponse, parsed error) {
	t.Helper()
	if (fromResponse == nil) != (parsed == nil) {
		t.Fatalf("FromResponse = %v, Parse = %v", fromResponse, parsed)
	}
	if fromResponse == nil {
		return
	}
	var a, b E
	if !errors.As(fromResponse, &a) || !errors.As(parsed, &b) {
		t.Fatalf("FromResponse %T, Parse %T: want %T", fromResponse, parsed, a)
	}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := 0; i < va.NumField(); i++ {
		if f := va.Type().Field(i); f.IsExported() && !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			t.Errorf("field %s: FromResponse %#v, Parse %#v", f.Name, va.Field(i).Interface(), vb.Field(i).Interface())
		}
	}
	if a.Error() != b.Error() || a.Kind() != b.Kind() || a.Action() != b.Action() || a.ErrorCode() != b.ErrorCode() {
		t.Errorf("FromResponse %q %v %v %q, Parse %q %v %v %q", a, a.Kind(), a.Action(), a.ErrorCode(), b, b.Kind(), b.Action(), b.ErrorCode())
	}
	if !bytes.Equal(a.RawBody(), b.RawBody()) {
		t.Errorf("RawBody differs: %q vs %q", a.RawBody(), b.RawBody())
	}
	da, oka := a.RetryDelay()
	db, okb := b.RetryDelay()
	if oka != okb || !near(da, db, v.SameDelayTol) {
		t.Errorf("RetryDelay: FromResponse %v %v, Parse %v %v", da, oka, db, okb)
	}
}

// Errors runs each case in a parallel subtest: Fetch, Check, and Same for
// Parse and for the policy's Classify.
func (v *Vendor[E]) Errors(t *testing.T, cases []Case[E]) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			t.Parallel()
			resp, err := v.Fetch(t, tt.Reply)
			v.Check(t, tt.Reply.Status, err, tt.Want)
			v.Same(t, err, v.Parse(tt.Reply.Status, resp.Header, []byte(tt.Reply.Body)))
			v.Same(t, err, v.Policy().Classify(v.Serve(t, tt.Reply)))
		})
	}
}

// Success runs a parallel subtest asserting that FromResponse and Parse
// answer r with nil.
func (v *Vendor[E]) Success(t *testing.T, name string, r Reply) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		t.Parallel()
		resp, err := v.Fetch(t, r)
		if err != nil {
			t.Fatalf("FromResponse(%d) = %v, want nil", r.Status, err)
		}
		if err := v.Parse(r.Status, resp.Header, []byte(r.Body)); err != nil {
			t.Errorf("Parse(%d) = %v, want nil", r.Status, err)
		}
		if apierr.KindOf(err) != apierr.KindUnknown || apierr.IsRetryable(err) {
			t.Errorf("nil error has a kind or is retryable")
		}
	})
}

// NilResponse asserts that FromResponse(nil) is apierr.ErrNilResponse, which
// is not an apierr.Error.
func (v *Vendor[E]) NilResponse(t testing.TB) {
	t.Helper()
	err := v.FromResponse(nil)
	if !errors.Is(err, apierr.ErrNilResponse) {
		t.Errorf("FromResponse(nil) = %v, want apierr.ErrNilResponse", err)
	}
	if _, ok := apierr.As(err); ok {
		t.Errorf("apierr.As(ErrNilResponse) = true")
	}
}

// Large fetches r, whose error body is larger than the read limit, and
// asserts that the error was classified from the prefix read: truncated,
// matching its class sentinel, with a bounded valid message and an Error()
// of at most maxRunes on one line. It returns the error for the caller's
// own checks.
func (v *Vendor[E]) Large(t testing.TB, r Reply, maxRunes int) (E, error) {
	t.Helper()
	if len(r.Body) <= apierr.DefaultMaxBodyBytes {
		t.Fatalf("body of %d bytes is not above the limit", len(r.Body))
	}
	e, err := v.FetchError(t, r)
	f := v.Facts(e)
	if !f.Truncated {
		t.Errorf("Truncated = false for a %d-byte body", len(r.Body))
	}
	if len(e.RawBody()) != apierr.DefaultMaxBodyBytes {
		t.Errorf("RawBody() holds %d bytes, want the %d read", len(e.RawBody()), apierr.DefaultMaxBodyBytes)
	}
	if !utf8.ValidString(f.Message) || len(f.Message) > apierr.DefaultMaxBodyBytes+utf8.UTFMax {
		t.Errorf("Message: %d bytes, valid UTF-8 %v", len(f.Message), utf8.ValidString(f.Message))
	}
	if n := utf8.RuneCountInString(err.Error()); n > maxRunes || strings.ContainsAny(err.Error(), "\n") {
		t.Errorf("Error() is %d runes: %q", n, err)
	}
	if !errors.Is(err, v.class(r.Status)) {
		t.Errorf("%v does not match its class sentinel", err)
	}
	return e, err
}

// GarbageBodies are the bodies Garbage sends for every vendor, besides the
// vendor's own.
var GarbageBodies = map[string]string{
	"binary":             "\x00\x01\x02\xff\xfe\xfd garbage \x80\x81",
	"invalid UTF-8 text": "caf\xe9 \xc3\x28 \xed\xa0\x80",
	"empty":              ``,
}

// Garbage fetches every body of GarbageBodies and bodies with every status,
// in parallel subtests named "<body name>/<status>", each reply with header,
// and asserts that Parse
// agrees with FromResponse, that an error status yields a typed error
// matching its class sentinel, and that Error() and Message stay valid single
// lines. extra, if not nil, runs the caller's checks on every non-nil error.
func (v *Vendor[E]) Garbage(t *testing.T, bodies map[string]string, statuses []int, header map[string]string, extra func(t *testing.T, status int, err error, e E)) {
	t.Helper()
	all := maps.Clone(GarbageBodies)
	maps.Copy(all, bodies)
	for name, body := range all {
		for _, status := range statuses {
			t.Run(fmt.Sprintf("%s/%d", name, status), func(t *testing.T) {
				t.Parallel()
				resp, err := v.Fetch(t, Reply{Status: status, Header: header, Body: body})
				v.Same(t, err, v.Parse(status, resp.Header, []byte(body)))
				if err == nil {
					if status >= 400 {
						t.Fatalf("FromResponse(%d) = nil", status)
					}
					return
				}
				var e E
				if !errors.As(err, &e) {
					t.Fatalf("FromResponse = %v, want %T", err, e)
				}
				if e.HTTPStatus() != status {
					t.Errorf("HTTPStatus() = %d", e.HTTPStatus())
				}
				if status >= 400 {
					if !errors.Is(err, v.class(status)) {
						t.Errorf("%v does not match its class sentinel", err)
					}
					if k := apierr.KindOf(err); k == apierr.KindUnknown || k == apierr.KindOK {
						t.Errorf("KindOf = %v for HTTP %d", k, status)
					}
				}
				msg := err.Error()
				if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00\x1b\u2028") || !strings.HasPrefix(msg, v.Name+": "+strconv.Itoa(status)) {
					t.Errorf("Error() = %q", msg)
				}
				if m := v.Facts(e).Message; !utf8.ValidString(m) {
					t.Errorf("Message %q not valid UTF-8", m)
				}
				if extra != nil {
					extra(t, status, err, e)
				}
			})
		}
	}
}
