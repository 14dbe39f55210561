package samsara_test

// End-to-end tests: a loopback server answers as Samsara's documentation says
// Samsara answers (vendor-docs/samsara.txt and extra/samsara.txt): 4XX with a
// JSON {message, requestId}, 5XX with a plain string, 429 with a fractional
// Retry-After. The client reads the response with net/http and classifies it
// with samsara.FromResponse, directly or through apierr.NewTransport.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/samsara"
)

var e2eJSON = map[string]string{"Content-Type": "application/json"}
var e2eText = map[string]string{"Content-Type": "text/plain; charset=utf-8"}

// e2eClient is http.DefaultClient on its own copy of http.DefaultTransport:
// httptest.Server.Close calls http.DefaultTransport.CloseIdleConnections,
// which would break the requests of tests running in parallel.
var e2eClient = &http.Client{Transport: e2eBase()}

// e2eBase returns a fresh copy of http.DefaultTransport.
func e2eBase() http.RoundTripper { return http.DefaultTransport.(*http.Transport).Clone() }

// e2eReply is what the fake Samsara server answers.
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
	resp, err := e2eClient.Get(srv.URL + "/fleet/drivers/123")
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
	err := samsara.FromResponse(resp)
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
	{samsara.ErrSuccess, samsara.IsSuccess},
	{samsara.ErrClientError, samsara.IsClientError},
	{samsara.ErrServerError, samsara.IsServerError},
	{samsara.ErrBadRequest, samsara.IsBadRequest},
	{samsara.ErrUnauthenticated, samsara.IsUnauthenticated},
	{samsara.ErrPermissionDenied, samsara.IsPermissionDenied},
	{samsara.ErrNotFound, samsara.IsNotFound},
	{samsara.ErrMethodNotAllowed, samsara.IsMethodNotAllowed},
	{samsara.ErrTooManyRequests, samsara.IsTooManyRequests},
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
	requestID   string
	text        string // exact Error() when not ""
	hasDelay    bool
	delay       time.Duration
}

// Format names the catalog gives Samsara's two body formats.
const (
	e2eFormatJSON = "standard error response"
	e2eFormatText = "server error text"
)

func e2eCheck(t *testing.T, status int, err error, w e2eWant) *samsara.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("FromResponse = nil, want an error for HTTP %d", status)
	}
	var e *samsara.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%T, *samsara.Error) = false", err)
	}
	if int(e.Status) != status || e.HTTPStatus() != status {
		t.Errorf("Status = %d, HTTPStatus() = %d, want %d", e.Status, e.HTTPStatus(), status)
	}
	if got := e.Status.Known(); got != w.statusKnown {
		t.Errorf("Status.Known() = %v, want %v", got, w.statusKnown)
	}
	wrapped := fmt.Errorf("listing drivers: %w", err)
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
		if a.Vendor() != "samsara" || a.HTTPStatus() != status || a.ErrorCode() != "" {
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
	if e.RequestID != w.requestID {
		t.Errorf("RequestID = %q, want %q", e.RequestID, w.requestID)
	}
	if e.Truncated {
		t.Errorf("Truncated = true for a small body")
	}
	msg := err.Error()
	if w.text != "" && msg != w.text {
		t.Errorf("Error() = %q, want %q", msg, w.text)
	}
	if !strings.HasPrefix(msg, "samsara: "+strconv.Itoa(status)) || !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00") {
		t.Errorf("Error() = %q", msg)
	}

	rec := e2eLogJSON(t, slog.Any("err", err))
	g, ok := rec["err"].(map[string]any)
	if !ok {
		t.Fatalf("slog JSON: err is %T, want a group", rec["err"])
	}
	if g["vendor"] != "samsara" || g["status"] != float64(status) || g["kind"] != w.kind.String() || g["action"] != w.action.String() {
		t.Errorf("slog group = %v", g)
	}
	if w.requestID != "" && g["request_id"] != w.requestID {
		t.Errorf("slog group = %v, want the request id %q", g, w.requestID)
	}
	if w.hasDelay && g["retry_delay"] != float64(w.delay) {
		t.Errorf("slog retry_delay = %v, want %d", g["retry_delay"], w.delay)
	}
	return e
}

func e2eLogJSON(t *testing.T, attrs ...slog.Attr) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).LogAttrs(context.Background(), slog.LevelError, "samsara call failed", attrs...)
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
	var a, b *samsara.Error
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

func TestE2ESamsaraErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    e2eReply
		w    e2eWant
	}{
		{
			name: "404 JSON message and requestId",
			r: e2eReply{status: 404, header: e2eJSON,
				body: `{"message":"driver with id 123 not found","requestId":"a1b2c3d4-e5f6-7890-abcd-ef1234567890"}`},
			w: e2eWant{
				is:          []error{samsara.ErrNotFound, samsara.ErrClientError},
				kind:        apierr.KindNotFound,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatJSON,
				message:     "driver with id 123 not found",
				requestID:   "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
				text:        "samsara: 404 NotFound: driver with id 123 not found",
			},
		},
		{
			name: "503 plain-text body",
			r:    e2eReply{status: 503, header: e2eText, body: "Service Unavailable"},
			w: e2eWant{
				is:          []error{samsara.ErrServerError},
				kind:        apierr.KindInternal,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: false,
				format:      e2eFormatText,
				message:     "Service Unavailable",
				text:        "samsara: 503: Service Unavailable",
			},
		},
		{
			name: "500 body that happens to be JSON is still the text format",
			r:    e2eReply{status: 500, header: e2eJSON, body: `{"message":"internal"}` + "\n"},
			w: e2eWant{
				is:        []error{samsara.ErrServerError},
				kind:      apierr.KindInternal,
				action:    apierr.ActionRetryBackoff,
				retryable: true,
				format:    e2eFormatText,
				message:   `{"message":"internal"}`,
			},
		},
		{
			name: "429 with fractional Retry-After",
			r: e2eReply{status: 429, header: map[string]string{"Content-Type": "application/json", "retry-after": "0.40235"},
				body: `{"message":"Rate limit exceeded","requestId":"r-429"}`},
			w: e2eWant{
				is:          []error{samsara.ErrTooManyRequests, samsara.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryAfter,
				retryable:   true,
				statusKnown: true,
				format:      e2eFormatJSON,
				message:     "Rate limit exceeded",
				requestID:   "r-429",
				hasDelay:    true,
				delay:       402350 * time.Microsecond,
			},
		},
		{
			name: "429 without Retry-After",
			r:    e2eReply{status: 429, header: e2eJSON, body: `{"message":"Rate limit exceeded"}`},
			w: e2eWant{
				is:          []error{samsara.ErrTooManyRequests, samsara.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryAfter,
				retryable:   true,
				statusKnown: true,
				format:      e2eFormatJSON,
				message:     "Rate limit exceeded",
			},
		},
		{
			name: "429 with a malformed Retry-After",
			r:    e2eReply{status: 429, header: map[string]string{"Retry-After": "-1"}},
			w: e2eWant{
				is:          []error{samsara.ErrTooManyRequests, samsara.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryAfter,
				retryable:   true,
				statusKnown: true,
			},
		},
		{
			name: "400 Configuration limit exceeded",
			r:    e2eReply{status: 400, header: e2eJSON, body: `{"message":"Configuration limit exceeded","requestId":"r-400"}`},
			w: e2eWant{
				is:          []error{samsara.ErrBadRequest, samsara.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatJSON,
				message:     "Configuration limit exceeded",
				requestID:   "r-400",
				text:        "samsara: 400 BadRequest: Configuration limit exceeded",
			},
		},
		{
			name: "401 invalid API key",
			r:    e2eReply{status: 401, header: e2eJSON, body: `{"message":"Invalid token","requestId":"r-401"}`},
			w: e2eWant{
				is:          []error{samsara.ErrUnauthenticated, samsara.ErrClientError},
				kind:        apierr.KindUnauthenticated,
				action:      apierr.ActionFixRequest, // nothing documented beyond "missing or invalid"
				statusKnown: true,
				format:      e2eFormatJSON,
				message:     "Invalid token",
				requestID:   "r-401",
			},
		},
		{
			name: "403 permission denied",
			r:    e2eReply{status: 403, header: e2eJSON, body: `{"message":"Forbidden","requestId":"r-403"}`},
			w: e2eWant{
				is:          []error{samsara.ErrPermissionDenied, samsara.ErrClientError},
				kind:        apierr.KindPermissionDenied,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatJSON,
				message:     "Forbidden",
				requestID:   "r-403",
			},
		},
		{
			name: "405 with a text body",
			r:    e2eReply{status: 405, header: e2eText, body: "Method Not Allowed\n"},
			w: e2eWant{
				is:          []error{samsara.ErrMethodNotAllowed, samsara.ErrClientError},
				kind:        apierr.KindMethodNotAllowed,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      "",
				message:     "Method Not Allowed",
			},
		},
		{
			name: "409 undocumented 4XX status",
			r:    e2eReply{status: 409, header: e2eJSON, body: `{"message":"conflict","requestId":"r-409"}`},
			w: e2eWant{
				is:        []error{samsara.ErrClientError},
				kind:      apierr.KindBadRequest,
				action:    apierr.ActionFixRequest,
				format:    e2eFormatJSON,
				message:   "conflict",
				requestID: "r-409",
				text:      "samsara: 409: conflict",
			},
		},
		{
			name: "504 from the 90 s global timeout",
			r:    e2eReply{status: 504, header: e2eText, body: "upstream request timeout"},
			w: e2eWant{
				is:        []error{samsara.ErrServerError},
				kind:      apierr.KindInternal,
				action:    apierr.ActionRetryBackoff,
				retryable: true,
				format:    e2eFormatText,
				message:   "upstream request timeout",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err, resp := e2eFetch(t, tt.r)
			e2eCheck(t, tt.r.status, err, tt.w)
			e2eSame(t, err, samsara.Parse(tt.r.status, resp.Header, []byte(tt.r.body)))
			e2eSame(t, err, samsara.Policy().Classify(e2eServe(t, tt.r)))
		})
	}
}

func TestE2ESamsaraSuccessIsNil(t *testing.T) {
	t.Parallel()
	for _, r := range []e2eReply{
		{status: 200, header: e2eJSON, body: `{"data":[{"id":"123","name":"Susan Jones"}],"pagination":{"endCursor":"","hasNextPage":false}}`},
		{status: 201, header: e2eJSON, body: `{"data":{"id":"124"}}`},
		{status: 204},
		{status: 200, header: e2eText, body: "\xff\xfe garbage"},
	} {
		t.Run(strconv.Itoa(r.status), func(t *testing.T) {
			t.Parallel()
			err, resp := e2eFetch(t, r)
			if err != nil {
				t.Fatalf("FromResponse(%d) = %v, want nil", r.status, err)
			}
			if err := samsara.Parse(r.status, resp.Header, []byte(r.body)); err != nil {
				t.Errorf("Parse(%d) = %v, want nil", r.status, err)
			}
		})
	}
	if err := samsara.FromResponse(nil); !errors.Is(err, apierr.ErrNilResponse) {
		t.Errorf("FromResponse(nil) = %v, want apierr.ErrNilResponse", err)
	}
}

func TestE2ESamsaraLargeBody(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	for _, r := range []e2eReply{
		{status: 503, header: e2eText, body: strings.Repeat("Service Unavailable ", size/20)},
		{status: 404, header: e2eJSON, body: `{"message":"not found","requestId":"r-big"}` + strings.Repeat("\n", size)},
		{status: 400, header: e2eJSON, body: `{"message":"` + strings.Repeat("é", size) + `"}`},
	} {
		t.Run(strconv.Itoa(r.status), func(t *testing.T) {
			t.Parallel()
			err, _ := e2eFetch(t, r)
			var e *samsara.Error
			if !errors.As(err, &e) {
				t.Fatalf("FromResponse = %v, want *samsara.Error", err)
			}
			if !e.Truncated {
				t.Errorf("Truncated = false for a %d-byte body", len(r.body))
			}
			if len(e.RawBody()) != apierr.DefaultMaxBodyBytes {
				t.Errorf("RawBody() holds %d bytes", len(e.RawBody()))
			}
			if !utf8.ValidString(e.Message) || len(e.Message) > apierr.DefaultMaxBodyBytes+utf8.UTFMax {
				t.Errorf("Message: %d bytes, valid UTF-8 %v", len(e.Message), utf8.ValidString(e.Message))
			}
			if n := utf8.RuneCountInString(err.Error()); n > 300 {
				t.Errorf("Error() is %d runes long", n)
			}
			if r.status == 404 && (e.RequestID != "r-big" || e.Format != e2eFormatJSON) {
				t.Errorf("RequestID %q Format %q, want them read from the prefix", e.RequestID, e.Format)
			}
			if r.status == 503 && (!errors.Is(err, samsara.ErrServerError) || !apierr.IsRetryable(err)) {
				t.Errorf("%v not a retryable server error", err)
			}
		})
	}
}

func TestE2ESamsaraGarbageBodies(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"binary":                "\x00\x01\x02\xff\xfe\xfd garbage \x80\x81",
		"invalid UTF-8 text":    "caf\xe9 \xc3\x28 \xed\xa0\x80",
		"truncated JSON":        `{"message":"Rate limit exc`,
		"JSON null":             `null`,
		"JSON array":            `[{"message":"x"}]`,
		"wrong types":           `{"message":{"a":1},"requestId":[1,2]}`,
		"number message":        `{"message":404,"requestId":true}`,
		"invalid UTF-8 in JSON": "{\"message\":\"bad \xff\xfe utf8\",\"requestId\":\"\xc3\x28\"}",
		"deep nesting":          `{"message":` + strings.Repeat("[", 12000) + strings.Repeat("]", 12000) + "}",
		"newlines":              "line one\r\nline two\n\x1b[2J",
		"empty":                 ``,
	}
	for name, body := range bodies {
		for _, status := range []int{400, 401, 404, 429, 499, 500, 502, 503, 599} {
			t.Run(fmt.Sprintf("%s/%d", name, status), func(t *testing.T) {
				t.Parallel()
				r := e2eReply{status: status, header: map[string]string{"Retry-After": "garbage"}, body: body}
				err, resp := e2eFetch(t, r)
				var e *samsara.Error
				if !errors.As(err, &e) {
					t.Fatalf("FromResponse = %v, want *samsara.Error", err)
				}
				class := samsara.ErrClientError
				if status >= 500 {
					class = samsara.ErrServerError
					if e.Format != e2eFormatText {
						t.Errorf("Format = %q, want %q for every 5XX body", e.Format, e2eFormatText)
					}
				}
				if !errors.Is(err, class) {
					t.Errorf("%v does not match its class sentinel", err)
				}
				if _, ok := apierr.RetryDelay(err); ok {
					t.Errorf("garbage Retry-After gave a delay")
				}
				msg := err.Error()
				if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00\x1b") {
					t.Errorf("Error() = %q", msg)
				}
				if !utf8.ValidString(e.Message) || !utf8.ValidString(e.RequestID) {
					t.Errorf("Message %q / RequestID %q not valid UTF-8", e.Message, e.RequestID)
				}
				e2eSame(t, err, samsara.Parse(status, resp.Header, []byte(body)))
			})
		}
	}
}

// e2eFlaky serves the replies in order, then the last one forever, and counts
// requests.
type e2eFlaky struct {
	replies []e2eReply
	hits    atomic.Int32
}

func (f *e2eFlaky) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	n := int(f.hits.Add(1))
	if n > len(f.replies) {
		n = len(f.replies)
	}
	f.replies[n-1].write(w)
}

// Samsara's 5XX is retried with backoff through apierr's transport until
// the 200 arrives.
func TestE2ESamsaraTransportRetries503Text(t *testing.T) {
	t.Parallel()
	unavailable := e2eReply{status: 503, header: e2eText, body: "Service Unavailable"}
	ok := e2eReply{status: 200, header: e2eJSON, body: `{"data":[{"id":"123"}]}`}
	flaky := &e2eFlaky{replies: []e2eReply{unavailable, unavailable, ok}}
	srv := httptest.NewServer(flaky)
	t.Cleanup(srv.Close)

	var mu sync.Mutex
	var events []apierr.RetryEvent
	client := &http.Client{Transport: apierr.NewTransport(e2eBase(), samsara.Policy(),
		apierr.WithBackoff(time.Millisecond, 2*time.Millisecond),
		apierr.WithOnRetry(func(ev apierr.RetryEvent) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, ev)
		}),
	)}
	start := time.Now()
	resp, err := client.Get(srv.URL + "/fleet/vehicles?token=secret")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d, want 200 after retries", resp.StatusCode)
	}
	if err := samsara.FromResponse(resp); err != nil {
		t.Errorf("FromResponse(200) = %v", err)
	}
	if body, _ := io.ReadAll(resp.Body); string(body) != ok.body {
		t.Errorf("body %q, want %q", body, ok.body)
	}
	if n := flaky.hits.Load(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
	if n := apierr.Attempts(resp); n != 3 {
		t.Errorf("Attempts = %d, want 3", n)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v with a 2ms backoff ceiling", d)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) != 2 {
		t.Fatalf("%d retry events, want 2: %+v", len(events), events)
	}
	for i, ev := range events {
		if ev.Vendor != "samsara" || ev.Attempt != i+1 || ev.Status != 503 || ev.Action != apierr.ActionRetryBackoff ||
			ev.Kind != apierr.KindInternal || ev.ServerDelay || ev.Delay < 0 || ev.Delay > 2*time.Millisecond {
			t.Errorf("event %d = %+v", i, ev)
		}
		if strings.Contains(ev.URL, "secret") {
			t.Errorf("event URL %q keeps the query string", ev.URL)
		}
	}
}

// A 429's fractional Retry-After is the delay the transport waits.
func TestE2ESamsaraTransportHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	limited := e2eReply{status: 429, header: map[string]string{"Content-Type": "application/json", "Retry-After": "0.02"},
		body: `{"message":"Rate limit exceeded","requestId":"r1"}`}
	ok := e2eReply{status: 200, header: e2eJSON, body: `{"data":[]}`}
	flaky := &e2eFlaky{replies: []e2eReply{limited, ok}}
	srv := httptest.NewServer(flaky)
	t.Cleanup(srv.Close)

	var got []apierr.RetryEvent
	var mu sync.Mutex
	client := &http.Client{Transport: apierr.NewTransport(e2eBase(), samsara.Policy(),
		apierr.WithOnRetry(func(ev apierr.RetryEvent) { mu.Lock(); got = append(got, ev); mu.Unlock() }))}
	start := time.Now()
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || flaky.hits.Load() != 2 {
		t.Fatalf("status %d after %d requests, want 200 after 2", resp.StatusCode, flaky.hits.Load())
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("retried after %v, before the server's 20ms", d)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].Delay != 20*time.Millisecond || !got[0].ServerDelay || got[0].Action != apierr.ActionRetryAfter {
		t.Errorf("events = %+v, want one retry after the server's 20ms", got)
	}
}

// When retries run out the last 503 comes back whole, still classifiable.
func TestE2ESamsaraTransportExhausted(t *testing.T) {
	t.Parallel()
	unavailable := e2eReply{status: 503, header: e2eText, body: "Service Unavailable"}
	flaky := &e2eFlaky{replies: []e2eReply{unavailable}}
	srv := httptest.NewServer(flaky)
	t.Cleanup(srv.Close)
	client := &http.Client{Transport: apierr.NewTransport(e2eBase(), samsara.Policy(),
		apierr.WithMaxAttempts(3), apierr.WithBackoff(time.Millisecond, time.Millisecond))}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	if flaky.hits.Load() != 3 || apierr.Attempts(resp) != 3 {
		t.Errorf("%d requests, Attempts %d, want 3", flaky.hits.Load(), apierr.Attempts(resp))
	}
	err = samsara.FromResponse(resp)
	var e *samsara.Error
	if !errors.As(err, &e) || e.Format != e2eFormatText || e.Message != "Service Unavailable" || !apierr.IsRetryable(err) {
		t.Errorf("FromResponse(final) = %#v", err)
	}
	if body, _ := io.ReadAll(resp.Body); string(body) != unavailable.body {
		t.Errorf("final body %q", body)
	}
}

// The server drops the connection in the middle of a 5XX body: the prefix
// read so far is classified, and the caller still sees the bytes and then
// the read error.
func TestE2ESamsaraConnectionDroppedMidBody(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		buf := make([]byte, 4096)
		_, _ = conn.Read(buf) // the request
		_, _ = io.WriteString(conn, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nService Unav")
	}()
	resp, err := e2eClient.Get("http://" + ln.Addr().String() + "/fleet/vehicles")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	err = samsara.FromResponse(resp)
	var e *samsara.Error
	if !errors.As(err, &e) {
		t.Fatalf("FromResponse = %v, want *samsara.Error", err)
	}
	if e.Status != 503 || e.Format != e2eFormatText || e.Message != "Service Unav" || !apierr.IsRetryable(err) {
		t.Errorf("got %d %q %q retryable %v", e.Status, e.Format, e.Message, apierr.IsRetryable(err))
	}
	body, rerr := io.ReadAll(resp.Body)
	if string(body) != "Service Unav" || !errors.Is(rerr, io.ErrUnexpectedEOF) {
		t.Errorf("body after FromResponse = %q, %v; want the prefix and io.ErrUnexpectedEOF", body, rerr)
	}
}
