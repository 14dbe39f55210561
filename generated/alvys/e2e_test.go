package alvys_test

// End-to-end tests: a loopback server answers as Alvys's documentation says
// Alvys answers (vendor-docs/alvys.txt and extra/alvys.txt): errors told
// apart by HTTP status only, 5XX bodies as plain strings, no rate-limit
// headers. The client reads the response with net/http and classifies it
// with alvys.FromResponse, directly or through apierr.NewTransport.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/alvys"
)

var e2eJSON = map[string]string{"Content-Type": "application/json"}
var e2eText = map[string]string{"Content-Type": "text/plain; charset=utf-8"}

// e2eClient is http.DefaultClient on its own copy of http.DefaultTransport:
// httptest.Server.Close calls http.DefaultTransport.CloseIdleConnections,
// which would break the requests of tests running in parallel.
var e2eClient = &http.Client{Transport: e2eBase()}

// e2eBase returns a fresh copy of http.DefaultTransport.
func e2eBase() http.RoundTripper { return http.DefaultTransport.(*http.Transport).Clone() }

// e2eReply is what the fake Alvys server answers.
type e2eReply struct {
	status int
	header map[string]string // set verbatim, lower-case names included
	body   string
}

func (r e2eReply) write(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = []string{v}
	}
	w.WriteHeader(r.status)
	_, _ = io.WriteString(w, r.body)
}

// e2eServe starts a loopback server answering r and GETs it with e2eClient.
func e2eServe(t *testing.T, r e2eReply) *http.Response {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { r.write(w) }))
	t.Cleanup(srv.Close)
	resp, err := e2eClient.Get(srv.URL + "/api/p/v1/loads/123")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	if resp.StatusCode != r.status {
		t.Fatalf("server answered %d, want %d", resp.StatusCode, r.status)
	}
	return resp
}

// e2eFetch serves r, classifies the response with FromResponse and checks
// that the whole body is still readable afterwards, byte for byte.
func e2eFetch(t *testing.T, r e2eReply) (error, *http.Response) {
	t.Helper()
	resp := e2eServe(t, r)
	err := alvys.FromResponse(resp)
	got, rerr := io.ReadAll(resp.Body)
	if rerr != nil {
		t.Fatalf("reading body after FromResponse: %v", rerr)
	}
	if !bytes.Equal(got, []byte(r.body)) {
		t.Fatalf("body after FromResponse: got %d bytes %.80q, want %d bytes %.80q", len(got), got, len(r.body), r.body)
	}
	return err, resp
}

var e2eSentinels = []struct {
	err error
	is  func(error) bool
}{
	{alvys.ErrSuccess, alvys.IsSuccess},
	{alvys.ErrClientError, alvys.IsClientError},
	{alvys.ErrServerError, alvys.IsServerError},
	{alvys.ErrBadRequest, alvys.IsBadRequest},
	{alvys.ErrUnauthenticated, alvys.IsUnauthenticated},
	{alvys.ErrPermissionDenied, alvys.IsPermissionDenied},
	{alvys.ErrNotFound, alvys.IsNotFound},
	{alvys.ErrMethodNotAllowed, alvys.IsMethodNotAllowed},
	{alvys.ErrUnsupportedMediaType, alvys.IsUnsupportedMediaType},
	{alvys.ErrTooManyRequests, alvys.IsTooManyRequests},
}

// e2eWant is what a classified error response must look like.
type e2eWant struct {
	is          []error // exactly these sentinels match; every other one must not
	kind        apierr.Kind
	action      apierr.Action
	retryable   bool
	reauth      bool
	statusKnown bool
	format      string
	message     string
	text        string // exact Error() when not ""
	hasDelay    bool
	delay       time.Duration
}

// e2eFormatText is the catalog's name of Alvys's only documented body
// format, the 5XX plain string.
const e2eFormatText = "server error text"

func e2eCheck(t *testing.T, status int, err error, w e2eWant) *alvys.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("FromResponse = nil, want an error for HTTP %d", status)
	}
	var e *alvys.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%T, *alvys.Error) = false", err)
	}
	if int(e.Status) != status || e.HTTPStatus() != status {
		t.Errorf("Status = %d, HTTPStatus() = %d, want %d", e.Status, e.HTTPStatus(), status)
	}
	if got := e.Status.Known(); got != w.statusKnown {
		t.Errorf("Status.Known() = %v, want %v", got, w.statusKnown)
	}
	wrapped := fmt.Errorf("fetching load: %w", err)
	for _, s := range e2eSentinels {
		want := false
		for _, x := range w.is {
			if x == s.err {
				want = true
			}
		}
		if got := errors.Is(err, s.err); got != want {
			t.Errorf("errors.Is(err, %q) = %v, want %v", s.err, got, want)
		}
		if got := s.is(wrapped); got != want {
			t.Errorf("matcher for %q on wrapped = %v, want %v", s.err, got, want)
		}
	}
	joined := errors.Join(errors.New("other failure"), wrapped)
	for _, x := range []error{err, wrapped, joined} {
		a, ok := apierr.As(x)
		if !ok {
			t.Fatalf("apierr.As(%T) = false", x)
		}
		if a.Vendor() != "alvys" || a.HTTPStatus() != status || a.ErrorCode() != "" {
			t.Errorf("Vendor %q HTTPStatus %d ErrorCode %q", a.Vendor(), a.HTTPStatus(), a.ErrorCode())
		}
		if got := apierr.KindOf(x); got != w.kind {
			t.Errorf("KindOf = %v, want %v", got, w.kind)
		}
		if got := apierr.ActionOf(x); got != w.action {
			t.Errorf("ActionOf = %v, want %v", got, w.action)
		}
		if got := apierr.IsRetryable(x); got != w.retryable {
			t.Errorf("IsRetryable = %v, want %v", got, w.retryable)
		}
		if got := apierr.NeedsReauth(x); got != w.reauth {
			t.Errorf("NeedsReauth = %v, want %v", got, w.reauth)
		}
		d, ok := apierr.RetryDelay(x)
		if ok != w.hasDelay || d != w.delay {
			t.Errorf("RetryDelay = %v %v, want %v %v", d, ok, w.delay, w.hasDelay)
		}
	}
	if e.Format != w.format {
		t.Errorf("Format = %q, want %q", e.Format, w.format)
	}
	if e.Message != w.message {
		t.Errorf("Message = %q, want %q", e.Message, w.message)
	}
	if e.Truncated {
		t.Errorf("Truncated = true for a small body")
	}
	msg := err.Error()
	if w.text != "" && msg != w.text {
		t.Errorf("Error() = %q, want %q", msg, w.text)
	}
	if !strings.HasPrefix(msg, "alvys: "+strconv.Itoa(status)) || !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00") {
		t.Errorf("Error() = %q", msg)
	}

	rec := e2eLogJSON(t, slog.Any("err", err))
	g, ok := rec["err"].(map[string]any)
	if !ok {
		t.Fatalf("slog JSON: err is %T, want a group", rec["err"])
	}
	if g["vendor"] != "alvys" || g["status"] != float64(status) || g["kind"] != w.kind.String() || g["action"] != w.action.String() {
		t.Errorf("slog group = %v", g)
	}
	if w.hasDelay && g["retry_delay"] != float64(w.delay) {
		t.Errorf("slog retry_delay = %v, want %d", g["retry_delay"], w.delay)
	}
	return e
}

func e2eLogJSON(t *testing.T, attrs ...slog.Attr) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).LogAttrs(context.Background(), slog.LevelError, "alvys call failed", attrs...)
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("slog JSON output %q: %v", buf.String(), err)
	}
	return m
}

// e2eSame asserts that Parse, given what FromResponse saw, returns the same.
func e2eSame(t *testing.T, fromResponse, parsed error) {
	t.Helper()
	if (fromResponse == nil) != (parsed == nil) {
		t.Fatalf("FromResponse = %v, Parse = %v", fromResponse, parsed)
	}
	if fromResponse == nil {
		return
	}
	var a, b *alvys.Error
	if !errors.As(fromResponse, &a) || !errors.As(parsed, &b) {
		t.Fatalf("FromResponse %T, Parse %T", fromResponse, parsed)
	}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := 0; i < va.NumField(); i++ {
		if f := va.Type().Field(i); f.IsExported() && !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			t.Errorf("field %s: FromResponse %#v, Parse %#v", f.Name, va.Field(i).Interface(), vb.Field(i).Interface())
		}
	}
	if a.Error() != b.Error() || a.Kind() != b.Kind() || a.Action() != b.Action() || !bytes.Equal(a.RawBody(), b.RawBody()) {
		t.Errorf("FromResponse %q %v %v %q, Parse %q %v %v %q", a, a.Kind(), a.Action(), a.RawBody(), b, b.Kind(), b.Action(), b.RawBody())
	}
	da, oka := a.RetryDelay()
	db, okb := b.RetryDelay()
	if da != db || oka != okb {
		t.Errorf("RetryDelay: FromResponse %v %v, Parse %v %v", da, oka, db, okb)
	}
}

func TestE2EAlvysErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    e2eReply
		w    e2eWant
	}{
		{
			name: "500 plain-text body",
			r:    e2eReply{status: 500, header: e2eText, body: "Internal Server Error"},
			w: e2eWant{
				is:        []error{alvys.ErrServerError},
				kind:      apierr.KindInternal,
				action:    apierr.ActionRetryBackoff,
				retryable: true,
				format:    e2eFormatText,
				message:   "Internal Server Error",
				text:      "alvys: 500: Internal Server Error",
			},
		},
		{
			name: "503 plain-text body with trailing newline",
			r:    e2eReply{status: 503, header: e2eText, body: "Service Unavailable\r\n"},
			w: e2eWant{
				is:        []error{alvys.ErrServerError},
				kind:      apierr.KindInternal,
				action:    apierr.ActionRetryBackoff,
				retryable: true,
				format:    e2eFormatText,
				message:   "Service Unavailable",
				text:      "alvys: 503: Service Unavailable",
			},
		},
		{
			name: "401 expired token",
			r:    e2eReply{status: 401, header: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}},
			w: e2eWant{
				is:          []error{alvys.ErrUnauthenticated, alvys.ErrClientError},
				kind:        apierr.KindUnauthenticated,
				action:      apierr.ActionReauthenticate,
				reauth:      true,
				statusKnown: true,
				text:        "alvys: 401 Unauthenticated",
			},
		},
		{
			name: "415 multipart rejected by the token endpoint",
			r:    e2eReply{status: 415, header: e2eText, body: "Unsupported Media Type"},
			w: e2eWant{
				is:          []error{alvys.ErrUnsupportedMediaType, alvys.ErrClientError},
				kind:        apierr.KindUnsupportedMediaType,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				message:     "Unsupported Media Type",
				text:        "alvys: 415 UnsupportedMediaType: Unsupported Media Type",
			},
		},
		{
			name: "429 retried by backoff, no delay documented",
			r:    e2eReply{status: 429, header: e2eText, body: "Too Many Requests"},
			w: e2eWant{
				is:          []error{alvys.ErrTooManyRequests, alvys.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: true,
				message:     "Too Many Requests",
			},
		},
		{
			name: "400 Configuration limit exceeded is still a bad request",
			r:    e2eReply{status: 400, header: e2eText, body: "Configuration limit exceeded"},
			w: e2eWant{
				is:          []error{alvys.ErrBadRequest, alvys.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				message:     "Configuration limit exceeded",
				text:        "alvys: 400 BadRequest: Configuration limit exceeded",
			},
		},
		{
			name: "400 Configuration limit exceeded as JSON",
			r:    e2eReply{status: 400, header: e2eJSON, body: `{"message":"Configuration limit exceeded"}`},
			w: e2eWant{
				is:          []error{alvys.ErrBadRequest, alvys.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				message:     `{"message":"Configuration limit exceeded"}`, // no 4XX JSON shape is documented
			},
		},
		{
			name: "403 missing scope",
			r:    e2eReply{status: 403, header: e2eText, body: "Forbidden"},
			w: e2eWant{
				is:          []error{alvys.ErrPermissionDenied, alvys.ErrClientError},
				kind:        apierr.KindPermissionDenied,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				message:     "Forbidden",
			},
		},
		{
			name: "404",
			r:    e2eReply{status: 404},
			w: e2eWant{
				is:          []error{alvys.ErrNotFound, alvys.ErrClientError},
				kind:        apierr.KindNotFound,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				text:        "alvys: 404 NotFound",
			},
		},
		{
			name: "405",
			r:    e2eReply{status: 405, body: "Method Not Allowed"},
			w: e2eWant{
				is:          []error{alvys.ErrMethodNotAllowed, alvys.ErrClientError},
				kind:        apierr.KindMethodNotAllowed,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				message:     "Method Not Allowed",
			},
		},
		{
			name: "422 undocumented client error",
			r:    e2eReply{status: 422, body: "Unprocessable"},
			w: e2eWant{
				is:      []error{alvys.ErrClientError},
				kind:    apierr.KindBadRequest,
				action:  apierr.ActionFixRequest,
				message: "Unprocessable",
				text:    "alvys: 422: Unprocessable",
			},
		},
		{
			name: "429 with a Retry-After Alvys does not document",
			r:    e2eReply{status: 429, header: map[string]string{"Retry-After": "7"}},
			w: e2eWant{
				is:          []error{alvys.ErrTooManyRequests, alvys.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: true,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err, resp := e2eFetch(t, tt.r)
			e2eCheck(t, tt.r.status, err, tt.w)
			e2eSame(t, err, alvys.Parse(tt.r.status, resp.Header, []byte(tt.r.body)))
			e2eSame(t, err, alvys.Policy().Classify(e2eServe(t, tt.r)))
		})
	}
}

// Messages are documentation only: the same status classifies the same
// whatever the message says.
func TestE2EAlvysMessagesNeverMatched(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{"Configuration limit exceeded", "Token expired", "Too Many Requests", "Internal Server Error", ""} {
		err := alvys.Parse(400, nil, []byte(msg))
		if apierr.KindOf(err) != apierr.KindBadRequest || apierr.ActionOf(err) != apierr.ActionFixRequest ||
			!errors.Is(err, alvys.ErrBadRequest) || errors.Is(err, alvys.ErrTooManyRequests) || errors.Is(err, alvys.ErrUnauthenticated) {
			t.Errorf("400 %q = %v: kind %v action %v", msg, err, apierr.KindOf(err), apierr.ActionOf(err))
		}
	}
}

func TestE2EAlvysSuccessIsNil(t *testing.T) {
	t.Parallel()
	for _, r := range []e2eReply{
		{status: 200, header: e2eJSON, body: `{"access_token":"eyJhbGciOi","expires_in":3600,"token_type":"Bearer"}`},
		{status: 201, header: e2eJSON, body: `{"id":"L-1"}`},
		{status: 204},
		{status: 302, header: map[string]string{"Location": "/elsewhere-that-does-not-exist"}},
	} {
		t.Run(strconv.Itoa(r.status), func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { r.write(w) }))
			t.Cleanup(srv.Close)
			client := &http.Client{Transport: e2eBase(), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if err := alvys.FromResponse(resp); err != nil {
				t.Errorf("FromResponse(%d) = %v, want nil", r.status, err)
			}
			if body, _ := io.ReadAll(resp.Body); string(body) != r.body {
				t.Errorf("body %q, want %q", body, r.body)
			}
			if err := alvys.Parse(r.status, resp.Header, []byte(r.body)); err != nil {
				t.Errorf("Parse(%d) = %v, want nil", r.status, err)
			}
		})
	}
	if err := alvys.FromResponse(nil); !errors.Is(err, apierr.ErrNilResponse) {
		t.Errorf("FromResponse(nil) = %v, want apierr.ErrNilResponse", err)
	}
}

func TestE2EAlvysLargeBody(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	for _, r := range []e2eReply{
		{status: 500, header: e2eText, body: strings.Repeat("Internal Server Error\n", size/22+1)},
		{status: 400, header: e2eText, body: strings.Repeat("€", size)},
	} {
		t.Run(strconv.Itoa(r.status), func(t *testing.T) {
			t.Parallel()
			err, _ := e2eFetch(t, r)
			var e *alvys.Error
			if !errors.As(err, &e) {
				t.Fatalf("FromResponse = %v, want *alvys.Error", err)
			}
			if !e.Truncated || len(e.RawBody()) != apierr.DefaultMaxBodyBytes {
				t.Errorf("Truncated %v, RawBody %d bytes", e.Truncated, len(e.RawBody()))
			}
			if !utf8.ValidString(e.Message) || len(e.Message) > apierr.DefaultMaxBodyBytes+utf8.UTFMax {
				t.Errorf("Message: %d bytes, valid UTF-8 %v", len(e.Message), utf8.ValidString(e.Message))
			}
			if n := utf8.RuneCountInString(err.Error()); n > 300 || strings.ContainsAny(err.Error(), "\n") {
				t.Errorf("Error() is %d runes: %q", n, err)
			}
		})
	}
}

func TestE2EAlvysGarbageBodies(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"binary":             "\x00\x01\x02\xff\xfe\xfd garbage \x80\x81",
		"invalid UTF-8 text": "caf\xe9 \xc3\x28 \xed\xa0\x80",
		"truncated JSON":     `{"message":"Configuration limit exc`,
		"JSON":               `{"message":"x","code":7}`,
		"deep nesting":       strings.Repeat("[", 30000),
		"newlines":           "line one\r\nline two\n\x1b[2J\u2028x",
		"empty":              ``,
	}
	for name, body := range bodies {
		for _, status := range []int{400, 401, 415, 429, 499, 500, 502, 503, 599} {
			t.Run(fmt.Sprintf("%s/%d", name, status), func(t *testing.T) {
				t.Parallel()
				err, resp := e2eFetch(t, e2eReply{status: status, body: body})
				var e *alvys.Error
				if !errors.As(err, &e) {
					t.Fatalf("FromResponse = %v, want *alvys.Error", err)
				}
				class := alvys.ErrClientError
				if status >= 500 {
					class = alvys.ErrServerError
				}
				if !errors.Is(err, class) {
					t.Errorf("%v does not match its class sentinel", err)
				}
				if msg := err.Error(); !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00\x1b\u2028") {
					t.Errorf("Error() = %q", msg)
				}
				if !utf8.ValidString(e.Message) {
					t.Errorf("Message %q not valid UTF-8", e.Message)
				}
				e2eSame(t, err, alvys.Parse(status, resp.Header, []byte(body)))
			})
		}
	}
}

// A 429 is retried with backoff through apierr's transport, and a 401 is
// retried once after the refresh hook got a new token.
func TestE2EAlvysTransport(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	var token atomic.Value
	token.Store("old")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n := hits.Add(1); {
		case n == 1:
			e2eReply{status: 429, header: e2eText, body: "Too Many Requests"}.write(w)
		case r.Header.Get("Authorization") != "Bearer new":
			e2eReply{status: 401}.write(w)
		default:
			e2eReply{status: 200, header: e2eJSON, body: `{"id":"L-1"}`}.write(w)
		}
	}))
	t.Cleanup(srv.Close)
	var refreshes atomic.Int32
	client := &http.Client{Transport: apierr.NewTransport(e2eBase(), alvys.Policy(),
		apierr.WithBackoff(time.Millisecond, time.Millisecond),
		apierr.WithAuthorize(func(r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token.Load().(string))
			return nil
		}),
		apierr.WithReauthenticate(func(context.Context) error {
			refreshes.Add(1)
			token.Store("new")
			return nil
		}),
	)}
	resp, err := client.Get(srv.URL + "/api/p/v1/loads/L-1")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || alvys.FromResponse(resp) != nil {
		t.Fatalf("final status %d, want 200", resp.StatusCode)
	}
	if hits.Load() != 3 || refreshes.Load() != 1 || apierr.Attempts(resp) != 3 {
		t.Errorf("%d requests, %d refreshes, Attempts %d; want 3, 1, 3", hits.Load(), refreshes.Load(), apierr.Attempts(resp))
	}
}
