package quivo_test

// End-to-end tests: a loopback server answers as Quivo's documentation says
// Quivo answers (vendor-docs/quivo.txt and extra/quivo.txt): the backend with
// plain strings, AWS API Gateway in front of it with JSON {"message"} or
// {"Message"}. The client reads the response with net/http and classifies it
// with quivo.FromResponse, directly or through apierr.NewTransport.

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
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/quivo"
)

var e2eJSON = map[string]string{"Content-Type": "application/json"}
var e2eText = map[string]string{"Content-Type": "text/plain; charset=utf-8"}

// e2eClient is http.DefaultClient on its own copy of http.DefaultTransport:
// httptest.Server.Close calls http.DefaultTransport.CloseIdleConnections,
// which would break the requests of tests running in parallel.
var e2eClient = &http.Client{Transport: e2eBase()}

// e2eBase returns a fresh copy of http.DefaultTransport.
func e2eBase() http.RoundTripper { return http.DefaultTransport.(*http.Transport).Clone() }

// e2eReply is what the fake Quivo server answers.
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
	resp, err := e2eClient.Get(srv.URL + "/orders/123")
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
	err := quivo.FromResponse(resp)
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
	{quivo.ErrSuccess, quivo.IsSuccess},
	{quivo.ErrClientError, quivo.IsClientError},
	{quivo.ErrServerError, quivo.IsServerError},
	{quivo.ErrOK, quivo.IsOK},
	{quivo.ErrNoContent, quivo.IsNoContent},
	{quivo.ErrBadRequest, quivo.IsBadRequest},
	{quivo.ErrUnauthorized, quivo.IsUnauthorized},
	{quivo.ErrForbidden, quivo.IsForbidden},
	{quivo.ErrNotFound, quivo.IsNotFound},
	{quivo.ErrMethodNotAllowed, quivo.IsMethodNotAllowed},
	{quivo.ErrRequestEntityTooLarge, quivo.IsRequestEntityTooLarge},
	{quivo.ErrUnsupportedMediaType, quivo.IsUnsupportedMediaType},
	{quivo.ErrTooManyRequests, quivo.IsTooManyRequests},
	{quivo.ErrInternalServerError, quivo.IsInternalServerError},
	{quivo.ErrNotImplemented, quivo.IsNotImplemented},
	{quivo.ErrGatewayTimeout, quivo.IsGatewayTimeout},
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

// The catalog's names of Quivo's two body formats: AWS API Gateway's JSON
// {"message"} or {"Message"}, and the backend's plain strings.
const (
	e2eFormatGateway = "gateway"
	e2eFormatBackend = "backend"
)

func e2eCheck(t *testing.T, status int, err error, w e2eWant) *quivo.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("FromResponse = nil, want an error for HTTP %d", status)
	}
	var e *quivo.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%T, *quivo.Error) = false", err)
	}
	if int(e.Status) != status || e.HTTPStatus() != status {
		t.Errorf("Status = %d, HTTPStatus() = %d, want %d", e.Status, e.HTTPStatus(), status)
	}
	if got := e.Status.Known(); got != w.statusKnown {
		t.Errorf("Status.Known() = %v, want %v", got, w.statusKnown)
	}
	wrapped := fmt.Errorf("fetching order: %w", err)
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
		if a.Vendor() != "quivo" || a.HTTPStatus() != status || a.ErrorCode() != "" {
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
	if !strings.HasPrefix(msg, "quivo: "+strconv.Itoa(status)) || !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00") {
		t.Errorf("Error() = %q", msg)
	}

	rec := e2eLogJSON(t, slog.Any("err", err))
	g, ok := rec["err"].(map[string]any)
	if !ok {
		t.Fatalf("slog JSON: err is %T, want a group", rec["err"])
	}
	if g["vendor"] != "quivo" || g["status"] != float64(status) || g["kind"] != w.kind.String() || g["action"] != w.action.String() {
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
	slog.New(slog.NewJSONHandler(&buf, nil)).LogAttrs(context.Background(), slog.LevelError, "quivo call failed", attrs...)
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
	var a, b *quivo.Error
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

// e2eIAMDeny is the capitalised-key body AWS API Gateway sends for an
// IAM-authorization deny.
const e2eIAMDeny = `{"Message":"User: arn:aws:sts::123456789012:assumed-role/quivo-client/session is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-central-1:********1234:abcdef1234/prod/GET/orders"}`

func TestE2EQuivoErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    e2eReply
		w    e2eWant
	}{
		{
			name: "401 gateway expired token",
			r:    e2eReply{status: 401, header: e2eJSON, body: `{"message":"The incoming token has expired"}`},
			w: e2eWant{
				is:          []error{quivo.ErrUnauthorized, quivo.ErrClientError},
				kind:        apierr.KindUnauthenticated,
				action:      apierr.ActionReauthenticate,
				reauth:      true,
				statusKnown: true,
				format:      e2eFormatGateway,
				message:     "The incoming token has expired",
				text:        "quivo: 401 Unauthorized: The incoming token has expired",
			},
		},
		{
			name: "403 IAM deny with capitalised Message",
			r:    e2eReply{status: 403, header: e2eJSON, body: e2eIAMDeny},
			w: e2eWant{
				is:          []error{quivo.ErrForbidden, quivo.ErrClientError},
				kind:        apierr.KindPermissionDenied,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatGateway,
				message:     "User: arn:aws:sts::123456789012:assumed-role/quivo-client/session is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-central-1:********1234:abcdef1234/prod/GET/orders",
			},
		},
		{
			name: "403 with null message falls back to Message",
			r:    e2eReply{status: 403, header: e2eJSON, body: `{"message":null,"Message":"Access denied"}`},
			w: e2eWant{
				is:          []error{quivo.ErrForbidden, quivo.ErrClientError},
				kind:        apierr.KindPermissionDenied,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatGateway,
				message:     "Access denied",
			},
		},
		{
			name: "400 backend plain text",
			r:    e2eReply{status: 400, header: e2eText, body: "positions: must not be null"},
			w: e2eWant{
				is:          []error{quivo.ErrBadRequest, quivo.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatBackend,
				message:     "positions: must not be null",
				text:        "quivo: 400 BadRequest: positions: must not be null",
			},
		},
		{
			name: "400 gateway bad request body",
			r:    e2eReply{status: 400, header: e2eJSON, body: `{"message": "Invalid request body"}`},
			w: e2eWant{
				is:          []error{quivo.ErrBadRequest, quivo.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatGateway,
				message:     "Invalid request body",
			},
		},
		{
			name: "504 integration timeout",
			r:    e2eReply{status: 504, header: e2eJSON, body: `{"message": "Endpoint request timed out"}`},
			w: e2eWant{
				is:          []error{quivo.ErrGatewayTimeout, quivo.ErrServerError},
				kind:        apierr.KindTimeout,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: true,
				format:      e2eFormatGateway,
				message:     "Endpoint request timed out",
				text:        "quivo: 504 GatewayTimeout: Endpoint request timed out",
			},
		},
		{
			name: "429 throttled",
			r:    e2eReply{status: 429, header: e2eJSON, body: `{"message":"Too Many Requests"}`},
			w: e2eWant{
				is:          []error{quivo.ErrTooManyRequests, quivo.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: true,
				format:      e2eFormatGateway,
				message:     "Too Many Requests",
			},
		},
		{
			name: "429 quota exceeded",
			r:    e2eReply{status: 429, header: e2eJSON, body: `{"message":"Limit Exceeded"}`},
			w: e2eWant{
				is:          []error{quivo.ErrTooManyRequests, quivo.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: true,
				format:      e2eFormatGateway,
				message:     "Limit Exceeded",
			},
		},
		{
			name: "413 request too large",
			r:    e2eReply{status: 413, header: e2eJSON, body: `{"message":"Request Too Long"}`},
			w: e2eWant{
				is:          []error{quivo.ErrRequestEntityTooLarge, quivo.ErrClientError},
				kind:        apierr.KindTooLarge,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatGateway,
				message:     "Request Too Long",
			},
		},
		{
			name: "415 unsupported media type",
			r:    e2eReply{status: 415, header: e2eJSON, body: `{"message":"Unsupported Media Type"}`},
			w: e2eWant{
				is:          []error{quivo.ErrUnsupportedMediaType, quivo.ErrClientError},
				kind:        apierr.KindUnsupportedMediaType,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatGateway,
				message:     "Unsupported Media Type",
			},
		},
		{
			name: "500 gateway null message",
			r:    e2eReply{status: 500, header: e2eJSON, body: `{"message": null}`},
			w: e2eWant{
				is:          []error{quivo.ErrInternalServerError, quivo.ErrServerError},
				kind:        apierr.KindInternal,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: true,
				format:      e2eFormatGateway,
				text:        "quivo: 500 InternalServerError",
			},
		},
		{
			name: "501 is not retried",
			r:    e2eReply{status: 501, header: e2eText, body: "Not Implemented"},
			w: e2eWant{
				is:          []error{quivo.ErrNotImplemented, quivo.ErrServerError},
				kind:        apierr.KindNotImplemented,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatBackend,
				message:     "Not Implemented",
			},
		},
		{
			name: "502 undocumented gateway status",
			r:    e2eReply{status: 502, header: e2eJSON, body: `{"message": "Internal server error"}`},
			w: e2eWant{
				is:        []error{quivo.ErrServerError},
				kind:      apierr.KindInternal,
				action:    apierr.ActionRetryBackoff,
				retryable: true,
				format:    e2eFormatGateway,
				message:   "Internal server error",
				text:      "quivo: 502: Internal server error",
			},
		},
		{
			name: "405 backend empty body",
			r:    e2eReply{status: 405},
			w: e2eWant{
				is:          []error{quivo.ErrMethodNotAllowed, quivo.ErrClientError},
				kind:        apierr.KindMethodNotAllowed,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatBackend,
				text:        "quivo: 405 MethodNotAllowed",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err, resp := e2eFetch(t, tt.r)
			e2eCheck(t, tt.r.status, err, tt.w)
			e2eSame(t, err, quivo.Parse(tt.r.status, resp.Header, []byte(tt.r.body)))
			e2eSame(t, err, quivo.Policy().Classify(e2eServe(t, tt.r)))
		})
	}
}

func TestE2EQuivoSuccessIsNil(t *testing.T) {
	t.Parallel()
	for _, r := range []e2eReply{
		{status: 200, header: e2eJSON, body: `{"token":"eyJraWQiOi","expiresIn":3600}`},
		{status: 200, header: e2eJSON, body: `{"message":"looks like an error but is a 200"}`},
		{status: 204},
	} {
		t.Run(strconv.Itoa(r.status), func(t *testing.T) {
			t.Parallel()
			err, resp := e2eFetch(t, r)
			if err != nil {
				t.Fatalf("FromResponse(%d) = %v, want nil", r.status, err)
			}
			if err := quivo.Parse(r.status, resp.Header, []byte(r.body)); err != nil {
				t.Errorf("Parse(%d) = %v, want nil", r.status, err)
			}
		})
	}
	if err := quivo.FromResponse(nil); !errors.Is(err, apierr.ErrNilResponse) {
		t.Errorf("FromResponse(nil) = %v, want apierr.ErrNilResponse", err)
	}
}

func TestE2EQuivoLargeBody(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	for _, r := range []e2eReply{
		{status: 400, header: e2eText, body: strings.Repeat("positions: must not be null; ", size/29+1)},
		{status: 403, header: e2eJSON, body: e2eIAMDeny + strings.Repeat(" ", size)},
		{status: 504, header: e2eJSON, body: `{"message":"` + strings.Repeat("ü", size) + `"}`},
	} {
		t.Run(strconv.Itoa(r.status), func(t *testing.T) {
			t.Parallel()
			err, _ := e2eFetch(t, r)
			var e *quivo.Error
			if !errors.As(err, &e) {
				t.Fatalf("FromResponse = %v, want *quivo.Error", err)
			}
			if !e.Truncated || len(e.RawBody()) != apierr.DefaultMaxBodyBytes {
				t.Errorf("Truncated %v, RawBody %d bytes", e.Truncated, len(e.RawBody()))
			}
			if !utf8.ValidString(e.Message) || len(e.Message) > apierr.DefaultMaxBodyBytes+utf8.UTFMax {
				t.Errorf("Message: %d bytes, valid UTF-8 %v", len(e.Message), utf8.ValidString(e.Message))
			}
			if n := utf8.RuneCountInString(err.Error()); n > 300 {
				t.Errorf("Error() is %d runes", n)
			}
			switch r.status {
			case 400:
				if e.Format != e2eFormatBackend || !strings.HasPrefix(e.Message, "positions: must not be null;") {
					t.Errorf("Format %q Message %.40q", e.Format, e.Message)
				}
			case 403:
				if e.Format != e2eFormatGateway || !strings.HasPrefix(e.Message, "User: arn:aws:sts::") {
					t.Errorf("Format %q Message %.40q, want the gateway message read from the prefix", e.Format, e.Message)
				}
			case 504:
				if !apierr.IsRetryable(err) || !errors.Is(err, quivo.ErrGatewayTimeout) {
					t.Errorf("%v not a retryable gateway timeout", err)
				}
			}
		})
	}
}

func TestE2EQuivoGarbageBodies(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"binary":                "\x00\x01\x02\xff\xfe\xfd garbage \x80\x81",
		"invalid UTF-8 text":    "caf\xe9 \xc3\x28 \xed\xa0\x80",
		"truncated JSON":        `{"message":"The incoming tok`,
		"JSON null":             `null`,
		"JSON array":            `[{"message":"x"}]`,
		"wrong types":           `{"message":{"a":1},"Message":[1]}`,
		"invalid UTF-8 in JSON": "{\"message\":\"bad \xff\xfe utf8\"}",
		"deep nesting":          `{"message":` + strings.Repeat("[", 12000) + strings.Repeat("]", 12000) + "}",
		"newlines":              "positions: must not be null\r\nitems: must not be empty\n\x1b[2J",
		"empty":                 ``,
	}
	for name, body := range bodies {
		for _, status := range []int{400, 401, 403, 429, 499, 500, 501, 504, 599} {
			t.Run(fmt.Sprintf("%s/%d", name, status), func(t *testing.T) {
				t.Parallel()
				err, resp := e2eFetch(t, e2eReply{status: status, body: body})
				var e *quivo.Error
				if !errors.As(err, &e) {
					t.Fatalf("FromResponse = %v, want *quivo.Error", err)
				}
				if e.Format != e2eFormatGateway && e.Format != e2eFormatBackend {
					t.Errorf("Format = %q: one of the two formats always fits an error status", e.Format)
				}
				class := quivo.ErrClientError
				if status >= 500 {
					class = quivo.ErrServerError
				}
				if !errors.Is(err, class) {
					t.Errorf("%v does not match its class sentinel", err)
				}
				if msg := err.Error(); !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00\x1b") {
					t.Errorf("Error() = %q", msg)
				}
				if !utf8.ValidString(e.Message) {
					t.Errorf("Message %q not valid UTF-8", e.Message)
				}
				e2eSame(t, err, quivo.Parse(status, resp.Header, []byte(body)))
			})
		}
	}
}

// e2eQuivoServer answers 200 to requests carrying the current session token
// and the gateway's expired-token 401 to every other one.
func e2eQuivoServer(t *testing.T, valid func(string) bool) (*httptest.Server, *atomic.Int32, *sync.Map) {
	t.Helper()
	var hits atomic.Int32
	var seen sync.Map // attempt number -> Authorization header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		auth := r.Header.Get("Authorization")
		seen.Store(n, auth)
		if r.Header.Get("X-Api-Key") != "static-key" || !valid(auth) {
			e2eReply{status: 401, header: e2eJSON, body: `{"message":"The incoming token has expired"}`}.write(w)
			return
		}
		e2eReply{status: 200, header: e2eJSON, body: `{"orders":[{"id":"123"}]}`}.write(w)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits, &seen
}

// A 401 makes the transport call the refresh hook once (POST /login in real
// life) and retry with the new session token.
func TestE2EQuivoTransportReauthenticates(t *testing.T) {
	t.Parallel()
	srv, hits, seen := e2eQuivoServer(t, func(auth string) bool { return auth == "session-2" })
	var token atomic.Value
	token.Store("session-1")
	var refreshes atomic.Int32
	var events []apierr.RetryEvent
	client := &http.Client{Transport: apierr.NewTransport(e2eBase(), quivo.Policy(),
		apierr.WithBackoff(time.Millisecond, time.Millisecond),
		apierr.WithAuthorize(func(r *http.Request) error {
			r.Header.Set("Authorization", token.Load().(string))
			r.Header.Set("X-Api-Key", "static-key")
			return nil
		}),
		apierr.WithReauthenticate(func(context.Context) error {
			refreshes.Add(1)
			token.Store("session-2")
			return nil
		}),
		apierr.WithOnRetry(func(ev apierr.RetryEvent) { events = append(events, ev) }),
	)}
	resp, err := client.Get(srv.URL + "/orders")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d, want 200 after reauthentication", resp.StatusCode)
	}
	if err := quivo.FromResponse(resp); err != nil {
		t.Errorf("FromResponse(200) = %v", err)
	}
	if body, _ := io.ReadAll(resp.Body); string(body) != `{"orders":[{"id":"123"}]}` {
		t.Errorf("body %q", body)
	}
	if refreshes.Load() != 1 || hits.Load() != 2 || apierr.Attempts(resp) != 2 {
		t.Errorf("%d refreshes, %d requests, Attempts %d; want 1, 2, 2", refreshes.Load(), hits.Load(), apierr.Attempts(resp))
	}
	if a, _ := seen.Load(int32(1)); a != "session-1" {
		t.Errorf("first attempt sent %v", a)
	}
	if a, _ := seen.Load(int32(2)); a != "session-2" {
		t.Errorf("retry sent %v, want the refreshed token", a)
	}
	if len(events) != 1 || events[0].Status != 401 || events[0].Action != apierr.ActionReauthenticate {
		t.Errorf("events = %+v, want one reauthentication", events)
	}
	for _, ev := range events {
		if s := fmt.Sprintf("%+v", ev); strings.Contains(s, "session-") || strings.Contains(s, "static-key") {
			t.Errorf("retry event carries a credential: %s", s)
		}
	}
}

// When the refreshed token is rejected too, the hook runs once and the final
// 401 comes back whole.
func TestE2EQuivoTransportReauthenticatesOnce(t *testing.T) {
	t.Parallel()
	srv, hits, _ := e2eQuivoServer(t, func(string) bool { return false })
	var refreshes atomic.Int32
	client := &http.Client{Transport: apierr.NewTransport(e2eBase(), quivo.Policy(),
		apierr.WithAuthorize(func(r *http.Request) error { r.Header.Set("X-Api-Key", "static-key"); return nil }),
		apierr.WithReauthenticate(func(context.Context) error { refreshes.Add(1); return nil }),
	)}
	resp, err := client.Get(srv.URL + "/orders")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	if refreshes.Load() != 1 || hits.Load() != 2 {
		t.Errorf("%d refreshes, %d requests; want 1, 2", refreshes.Load(), hits.Load())
	}
	err = quivo.FromResponse(resp)
	var e *quivo.Error
	if !errors.As(err, &e) || !apierr.NeedsReauth(err) || e.Message != "The incoming token has expired" {
		t.Errorf("FromResponse(final) = %v", err)
	}
	if body, _ := io.ReadAll(resp.Body); string(body) != `{"message":"The incoming token has expired"}` {
		t.Errorf("final body %q", body)
	}
}

// A 504 from the gateway is retried with backoff; a 501 is not.
func TestE2EQuivoTransportRetriesGatewayTimeout(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		first    e2eReply
		wantHits int32
	}{
		{e2eReply{status: 504, header: e2eJSON, body: `{"message": "Endpoint request timed out"}`}, 2},
		{e2eReply{status: 501, header: e2eText, body: "Not Implemented"}, 1},
	} {
		t.Run(strconv.Itoa(tt.first.status), func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if hits.Add(1) == 1 {
					tt.first.write(w)
					return
				}
				e2eReply{status: 200, body: "ok"}.write(w)
			}))
			t.Cleanup(srv.Close)
			client := &http.Client{Transport: apierr.NewTransport(e2eBase(), quivo.Policy(), apierr.WithBackoff(time.Millisecond, time.Millisecond))}
			resp, err := client.Get(srv.URL)
			if err != nil {
				t.Fatalf("GET: %v", err)
			}
			defer resp.Body.Close()
			if hits.Load() != tt.wantHits {
				t.Errorf("%d requests, want %d", hits.Load(), tt.wantHits)
			}
		})
	}
}
