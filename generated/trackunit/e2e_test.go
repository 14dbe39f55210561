package trackunit_test

// End-to-end tests: a loopback server answers as Trackunit's documentation
// says Trackunit answers (vendor-docs/trackunit.txt and extra/trackunit.txt):
// REST errors as a JSON object with a snake_case code and optional
// violations, GraphQL errors inside HTTP 200 with errors[].extensions.code and
// a resetIn in milliseconds. The client reads the response with net/http and
// classifies it with trackunit.FromResponse, directly or through
// apierr.NewTransport.

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
	"github.com/errcat/errcat/generated/trackunit"
)

var e2eJSON = map[string]string{"Content-Type": "application/json"}
var e2eText = map[string]string{"Content-Type": "text/plain; charset=utf-8"}

// e2eClient is http.DefaultClient on its own copy of http.DefaultTransport:
// httptest.Server.Close calls http.DefaultTransport.CloseIdleConnections,
// which would break the requests of tests running in parallel.
var e2eClient = &http.Client{Transport: e2eBase()}

// e2eBase returns a fresh copy of http.DefaultTransport.
func e2eBase() http.RoundTripper { return http.DefaultTransport.(*http.Transport).Clone() }

// e2eReply is what the fake Trackunit server answers.
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
	resp, err := e2eClient.Get(srv.URL + "/public/api/assets")
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
	err := trackunit.FromResponse(resp)
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
	{trackunit.ErrSuccess, trackunit.IsSuccess},
	{trackunit.ErrRedirection, trackunit.IsRedirection},
	{trackunit.ErrClientError, trackunit.IsClientError},
	{trackunit.ErrServerError, trackunit.IsServerError},
	{trackunit.ErrOK, trackunit.IsOK},
	{trackunit.ErrCreated, trackunit.IsCreated},
	{trackunit.ErrNoContent, trackunit.IsNoContent},
	{trackunit.ErrBadRequest, trackunit.IsBadRequest},
	{trackunit.ErrUnauthorized, trackunit.IsUnauthorized},
	{trackunit.ErrForbidden, trackunit.IsForbidden},
	{trackunit.ErrNotFound, trackunit.IsNotFound},
	{trackunit.ErrTooManyRequests, trackunit.IsTooManyRequests},
	{trackunit.ErrInternalServerError, trackunit.IsInternalServerError},
	{trackunit.ErrExactlyOneTelematicsDeviceIsRequired, trackunit.IsExactlyOneTelematicsDeviceIsRequired},
	{trackunit.ErrConstraintViolation, trackunit.IsConstraintViolation},
	{trackunit.ErrQueryComplexityReached, trackunit.IsQueryComplexityReached},
	{trackunit.ErrRateLimited, trackunit.IsRateLimited},
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
	code        string // ErrorCode(); "" means the body carried none
	codeKnown   bool
	check       func(t *testing.T, e *trackunit.Error)
	text        string // exact Error() when not ""
	hasDelay    bool
	delay       time.Duration
}

// The catalog's names of Trackunit's two body formats.
const (
	e2eFormatREST    = "rest"
	e2eFormatGraphQL = "graphql"
)

func e2eCheck(t *testing.T, status int, err error, w e2eWant) *trackunit.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("FromResponse = nil, want an error for HTTP %d", status)
	}
	var e *trackunit.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%T, *trackunit.Error) = false", err)
	}
	if int(e.Status) != status || e.HTTPStatus() != status {
		t.Errorf("Status = %d, HTTPStatus() = %d, want %d", e.Status, e.HTTPStatus(), status)
	}
	if got := e.Status.Known(); got != w.statusKnown {
		t.Errorf("Status.Known() = %v, want %v", got, w.statusKnown)
	}
	wrapped := fmt.Errorf("querying assets: %w", err)
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
		if a.Vendor() != "trackunit" || a.HTTPStatus() != status || a.ErrorCode() != w.code {
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
	if e.HasCode != (w.code != "") || string(e.Code) != w.code {
		t.Errorf("Code = %q (HasCode %v), want %q", e.Code, e.HasCode, w.code)
	}
	if w.code != "" && e.Code.Known() != w.codeKnown {
		t.Errorf("Code.Known() = %v, want %v", e.Code.Known(), w.codeKnown)
	}
	if e.Truncated {
		t.Errorf("Truncated = true for a small body")
	}
	msg := err.Error()
	if w.text != "" && msg != w.text {
		t.Errorf("Error() = %q, want %q", msg, w.text)
	}
	if !strings.HasPrefix(msg, "trackunit: "+strconv.Itoa(status)) || !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00") {
		t.Errorf("Error() = %q", msg)
	}

	rec := e2eLogJSON(t, slog.Any("err", err))
	g, ok := rec["err"].(map[string]any)
	if !ok {
		t.Fatalf("slog JSON: err is %T, want a group", rec["err"])
	}
	if g["vendor"] != "trackunit" || g["status"] != float64(status) || g["kind"] != w.kind.String() || g["action"] != w.action.String() {
		t.Errorf("slog group = %v", g)
	}
	if w.code != "" && g["code"] != w.code {
		t.Errorf("slog code = %v, want %q", g["code"], w.code)
	}
	if w.hasDelay && g["retry_delay"] != float64(w.delay) {
		t.Errorf("slog retry_delay = %v, want %d", g["retry_delay"], w.delay)
	}
	if w.code != "" && !strings.Contains(msg, w.code) {
		t.Errorf("Error() = %q does not name the code %s", msg, w.code)
	}
	if w.check != nil {
		w.check(t, e)
	}
	return e
}

func e2eLogJSON(t *testing.T, attrs ...slog.Attr) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).LogAttrs(context.Background(), slog.LevelError, "trackunit call failed", attrs...)
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
	var a, b *trackunit.Error
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

// Documented bodies, verbatim (the REST examples without their callout
// markers).
const (
	e2eConstraintViolation = `{
    "violations": [
        {
            "field": "name",
            "message": "value '' was rejected: must not be empty"
        }
    ],
    "message": "Constraint violation",
    "status": 400,
    "code": "constraint_violation"
}`
	e2eExactlyOneDevice = `{
    "status": 400,
    "code": "exactly_one_telematics_device_is_required",
    "message": "Exactly one telematics device is required to onboard an asset. The request was missing a telematics device or had more then one telematics device."
}`
	e2eRateLimited       = `{"errors":[{"message":"The rate limit has been exceeded given the current estimated query complexity of 49011. Please wait 9 minutes, 46 seconds, 351 milliseconds before retrying.","extensions":{"code":"RATE_LIMITED","cost":49011,"resetIn":586351}}]}`
	e2eRateLimitedMsg    = "The rate limit has been exceeded given the current estimated query complexity of 49011. Please wait 9 minutes, 46 seconds, 351 milliseconds before retrying."
	e2eTooComplex        = `{"errors":[{"message":"The query is too complex. The estimated complexity of the query is 480011, which is greater than the maximum allowed complexity limit of 50000.","extensions":{"code":"QUERY_COMPLEXITY_REACHED"}}]}`
	e2eTooComplexMessage = "The query is too complex. The estimated complexity of the query is 480011, which is greater than the maximum allowed complexity limit of 50000."
)

func TestE2ETrackunitErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    e2eReply
		w    e2eWant
	}{
		{
			name: "400 constraint_violation with violations",
			r:    e2eReply{status: 400, header: e2eJSON, body: e2eConstraintViolation},
			w: e2eWant{
				is:          []error{trackunit.ErrConstraintViolation, trackunit.ErrBadRequest, trackunit.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatREST,
				message:     "Constraint violation",
				code:        "constraint_violation",
				codeKnown:   true,
				text:        "trackunit: 400 BadRequest code constraint_violation (ConstraintViolation): Constraint violation",
				check: func(t *testing.T, e *trackunit.Error) {
					want := []trackunit.Violation{{Field: "name", Message: "value '' was rejected: must not be empty"}}
					if !reflect.DeepEqual(e.Violations, want) {
						t.Errorf("Violations = %+v, want %+v", e.Violations, want)
					}
					if e.Code != trackunit.CodeConstraintViolation || e.StatusCode != 400 {
						t.Errorf("Code %q StatusCode %d", e.Code, e.StatusCode)
					}
					if e.ResetIn != 0 || e.Cost != 0 {
						t.Errorf("GraphQL fields set on a REST error: %d %d", e.ResetIn, e.Cost)
					}
				},
			},
		},
		{
			name: "400 exactly_one_telematics_device_is_required",
			r:    e2eReply{status: 400, header: e2eJSON, body: e2eExactlyOneDevice},
			w: e2eWant{
				is:          []error{trackunit.ErrExactlyOneTelematicsDeviceIsRequired, trackunit.ErrBadRequest, trackunit.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatREST,
				message:     "Exactly one telematics device is required to onboard an asset. The request was missing a telematics device or had more then one telematics device.",
				code:        "exactly_one_telematics_device_is_required",
				codeKnown:   true,
				check: func(t *testing.T, e *trackunit.Error) {
					if len(e.Violations) != 0 || e.StatusCode != 400 {
						t.Errorf("Violations %v StatusCode %d", e.Violations, e.StatusCode)
					}
				},
			},
		},
		{
			name: "GraphQL 200 RATE_LIMITED",
			r:    e2eReply{status: 200, header: e2eJSON, body: e2eRateLimited},
			w: e2eWant{
				// Status 200's sentinels match too: the generated docs say so.
				is:          []error{trackunit.ErrRateLimited, trackunit.ErrOK, trackunit.ErrSuccess},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryAfter,
				retryable:   true,
				statusKnown: true,
				format:      e2eFormatGraphQL,
				message:     e2eRateLimitedMsg,
				code:        "RATE_LIMITED",
				codeKnown:   true,
				hasDelay:    true,
				delay:       586351 * time.Millisecond,
				text:        "trackunit: 200 OK code RATE_LIMITED (RateLimited): " + e2eRateLimitedMsg,
				check: func(t *testing.T, e *trackunit.Error) {
					if e.ResetIn != 586351 || e.Cost != 49011 || e.Code != trackunit.CodeRateLimited {
						t.Errorf("ResetIn %d Cost %d Code %q", e.ResetIn, e.Cost, e.Code)
					}
					if !trackunit.IsRateLimited(e) || trackunit.IsQueryComplexityReached(e) {
						t.Errorf("matchers disagree")
					}
				},
			},
		},
		{
			name: "GraphQL 200 QUERY_COMPLEXITY_REACHED",
			r:    e2eReply{status: 200, header: e2eJSON, body: e2eTooComplex},
			w: e2eWant{
				is:          []error{trackunit.ErrQueryComplexityReached, trackunit.ErrOK, trackunit.ErrSuccess},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				retryable:   false,
				statusKnown: true,
				format:      e2eFormatGraphQL,
				message:     e2eTooComplexMessage,
				code:        "QUERY_COMPLEXITY_REACHED",
				codeKnown:   true,
			},
		},
		{
			name: "GraphQL 200 RATE_LIMITED first of several errors, with partial data",
			r: e2eReply{status: 200, header: e2eJSON, body: `{"errors":[` +
				`{"message":"rate limited","path":["assets"],"extensions":{"code":"RATE_LIMITED","cost":10,"resetIn":1500}},` +
				`{"message":"The query is too complex.","extensions":{"code":"QUERY_COMPLEXITY_REACHED"}}],` +
				`"data":{"assets":null,"account":{"id":"a-1"}}}`},
			w: e2eWant{
				is:          []error{trackunit.ErrRateLimited, trackunit.ErrOK, trackunit.ErrSuccess},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryAfter,
				retryable:   true,
				statusKnown: true,
				format:      e2eFormatGraphQL,
				message:     "rate limited",
				code:        "RATE_LIMITED",
				codeKnown:   true,
				hasDelay:    true,
				delay:       1500 * time.Millisecond,
			},
		},
		{
			name: "429 REST with an undocumented code falls back to the status",
			r:    e2eReply{status: 429, header: e2eJSON, body: `{"status":429,"code":"too_many_requests","message":"Rate limit exceeded"}`},
			w: e2eWant{
				is:          []error{trackunit.ErrTooManyRequests, trackunit.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: true,
				format:      e2eFormatREST,
				message:     "Rate limit exceeded",
				code:        "too_many_requests",
				codeKnown:   false,
				text:        "trackunit: 429 TooManyRequests code too_many_requests: Rate limit exceeded",
			},
		},
		{
			name: "429 without a body",
			r:    e2eReply{status: 429},
			w: e2eWant{
				is:          []error{trackunit.ErrTooManyRequests, trackunit.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: true,
				text:        "trackunit: 429 TooManyRequests",
			},
		},
		{
			name: "401 expired access token",
			r:    e2eReply{status: 401, header: e2eJSON, body: `{"status":401,"code":"unauthorized","message":"Jwt is expired"}`},
			w: e2eWant{
				is:          []error{trackunit.ErrUnauthorized, trackunit.ErrClientError},
				kind:        apierr.KindUnauthenticated,
				action:      apierr.ActionReauthenticate,
				reauth:      true,
				statusKnown: true,
				format:      e2eFormatREST,
				message:     "Jwt is expired",
				code:        "unauthorized",
			},
		},
		{
			name: "403",
			r:    e2eReply{status: 403, header: e2eJSON, body: `{"status":403,"code":"forbidden","message":"Insufficient scope"}`},
			w: e2eWant{
				is:          []error{trackunit.ErrForbidden, trackunit.ErrClientError},
				kind:        apierr.KindPermissionDenied,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatREST,
				message:     "Insufficient scope",
				code:        "forbidden",
			},
		},
		{
			name: "404 without code",
			r:    e2eReply{status: 404, header: e2eJSON, body: `{"status":404,"message":"Group not found"}`},
			w: e2eWant{
				is:          []error{trackunit.ErrNotFound, trackunit.ErrClientError},
				kind:        apierr.KindNotFound,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatREST,
				message:     "Group not found",
				text:        "trackunit: 404 NotFound: Group not found",
			},
		},
		{
			name: "500 REST",
			r:    e2eReply{status: 500, header: e2eJSON, body: `{"status":500,"code":"internal_error","message":"Unexpected error"}`},
			w: e2eWant{
				is:          []error{trackunit.ErrInternalServerError, trackunit.ErrServerError},
				kind:        apierr.KindInternal,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: true,
				format:      e2eFormatREST,
				message:     "Unexpected error",
				code:        "internal_error",
			},
		},
		{
			name: "502 text from a load balancer",
			r:    e2eReply{status: 502, header: map[string]string{"Content-Type": "text/html"}, body: "<html><body><h1>502 Bad Gateway</h1></body></html>\n"},
			w: e2eWant{
				is:        []error{trackunit.ErrServerError},
				kind:      apierr.KindInternal,
				action:    apierr.ActionRetryBackoff,
				retryable: true,
				message:   "<html><body><h1>502 Bad Gateway</h1></body></html>",
				text:      "trackunit: 502: <html><body><h1>502 Bad Gateway</h1></body></html>",
			},
		},
		{
			name: "400 constraint_violation with odd violations",
			r: e2eReply{status: 400, header: e2eJSON, body: `{"violations":[{"field":"name"},"not an object",null,` +
				`{"field":"serialNumber","message":"must match \"^[A-Z0-9]+$\""}],"message":"Constraint violation","status":400,"code":"constraint_violation"}`},
			w: e2eWant{
				is:          []error{trackunit.ErrConstraintViolation, trackunit.ErrBadRequest, trackunit.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				format:      e2eFormatREST,
				message:     "Constraint violation",
				code:        "constraint_violation",
				codeKnown:   true,
				check: func(t *testing.T, e *trackunit.Error) {
					want := []trackunit.Violation{{Field: "name"}, {Field: "serialNumber", Message: `must match "^[A-Z0-9]+$"`}}
					if !reflect.DeepEqual(e.Violations, want) {
						t.Errorf("Violations = %+v, want %+v", e.Violations, want)
					}
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err, resp := e2eFetch(t, tt.r)
			e2eCheck(t, tt.r.status, err, tt.w)
			e2eSame(t, err, trackunit.Parse(tt.r.status, resp.Header, []byte(tt.r.body)))
			e2eSame(t, err, trackunit.Policy().Classify(e2eServe(t, tt.r)))
		})
	}
}

func TestE2ETrackunitSuccessIsNil(t *testing.T) {
	t.Parallel()
	for name, r := range map[string]e2eReply{
		"GraphQL data":         {status: 200, header: e2eJSON, body: `{"data":{"assets":{"edges":[{"node":{"id":"a-1","name":"Excavator"}}]}}}`},
		"GraphQL empty errors": {status: 200, header: e2eJSON, body: `{"data":{"assets":null},"errors":[]}`},
		"GraphQL null errors":  {status: 200, header: e2eJSON, body: `{"data":{"assets":null},"errors":null}`},
		"REST group":           {status: 200, header: e2eJSON, body: `{"id":"g-1","name":"Fleet A"}`},
		"REST list":            {status: 200, header: e2eJSON, body: `[{"id":"g-1"}]`},
		"text":                 {status: 200, header: e2eText, body: "OK"},
		"created":              {status: 201, header: e2eJSON, body: `{"id":"g-2","errors":[{"message":"ignored on 201"}]}`},
		"no content":           {status: 204},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err, resp := e2eFetch(t, r)
			if err != nil {
				t.Fatalf("FromResponse(%d) = %v, want nil", r.status, err)
			}
			if err := trackunit.Parse(r.status, resp.Header, []byte(r.body)); err != nil {
				t.Errorf("Parse(%d) = %v, want nil", r.status, err)
			}
		})
	}
	if err := trackunit.FromResponse(nil); !errors.Is(err, apierr.ErrNilResponse) {
		t.Errorf("FromResponse(nil) = %v, want apierr.ErrNilResponse", err)
	}
}

// A GraphQL error without a documented code (a syntax error has no
// extensions.code; INTERNAL_SERVER_ERROR is a common server code) is still an
// error: FromResponse returns it, so it must not call itself a success.
func TestE2ETrackunitGraphQLErrorWithoutDocumentedCodeIsNotOK(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"syntax error, no code": `{"errors":[{"message":"Syntax Error: Unexpected Name \"quer\".","locations":[{"line":1,"column":1}]}]}`,
		"undocumented code":     `{"errors":[{"message":"Unexpected error.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err, _ := e2eFetch(t, e2eReply{status: 200, header: e2eJSON, body: body})
			var e *trackunit.Error
			if !errors.As(err, &e) || e.Format != e2eFormatGraphQL {
				t.Fatalf("FromResponse = %v, want a GraphQL *trackunit.Error", err)
			}
			if k := apierr.KindOf(err); k == apierr.KindOK {
				t.Errorf("BUG: KindOf(non-nil GraphQL error %q) = %v (\"success, nothing to do\"); want a non-success kind such as %v", err, k, apierr.KindUnknown)
			}
		})
	}
}

// A GraphQL error response larger than the read limit: the errors come first
// (as the GraphQL spec recommends), the partial data after them.
func TestE2ETrackunitLargeGraphQLErrorBody(t *testing.T) {
	t.Parallel()
	edges := strings.Repeat(`{"node":{"id":"a-1","name":"Excavator","serialNumber":"SN0000000001"}},`, (1<<20)/70)
	body := strings.TrimSuffix(e2eRateLimited, "]}") + `],"data":{"assets":{"edges":[` + strings.TrimSuffix(edges, ",") + `]}}}`
	if !json.Valid([]byte(body)) || len(body) <= apierr.DefaultMaxBodyBytes {
		t.Fatalf("test body invalid or too small (%d bytes)", len(body))
	}
	r := e2eReply{status: 200, header: e2eJSON, body: body}
	err, resp := e2eFetch(t, r)
	parsed := trackunit.Parse(200, resp.Header, []byte(body))
	if !trackunit.IsRateLimited(parsed) {
		t.Fatalf("Parse(200, full body) = %v, want RATE_LIMITED", parsed)
	}
	if err == nil {
		t.Fatalf("BUG: FromResponse = nil for a 200 whose %d-byte body reports RATE_LIMITED (Parse on the same bytes = %q): a GraphQL error body past apierr.DefaultMaxBodyBytes is silently read as success", len(body), parsed)
	}
	var e *trackunit.Error
	if !errors.As(err, &e) || !e.Truncated || !trackunit.IsRateLimited(err) {
		t.Errorf("FromResponse = %v, want a truncated RATE_LIMITED error", err)
	}
}

func TestE2ETrackunitLargeBody(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	for _, r := range []e2eReply{
		{status: 400, header: e2eJSON, body: e2eConstraintViolation + strings.Repeat(" ", size)},
		{status: 500, header: e2eText, body: strings.Repeat("Internal Server Error ", size/22+1)},
		{status: 400, header: e2eJSON, body: `{"violations":[` + strings.Repeat(`{"field":"name","message":"must not be empty"},`, size/48) +
			`{"field":"x"}],"message":"Constraint violation","status":400,"code":"constraint_violation"}`},
		{status: 200, header: e2eJSON, body: `{"data":{"assets":"` + strings.Repeat("x", size) + `"}}`},
	} {
		t.Run(strconv.Itoa(r.status), func(t *testing.T) {
			t.Parallel()
			err, _ := e2eFetch(t, r)
			if r.status == 200 {
				if err != nil {
					t.Errorf("FromResponse(200, large data) = %v, want nil", err)
				}
				return
			}
			var e *trackunit.Error
			if !errors.As(err, &e) {
				t.Fatalf("FromResponse = %v, want *trackunit.Error", err)
			}
			if !e.Truncated || len(e.RawBody()) != apierr.DefaultMaxBodyBytes {
				t.Errorf("Truncated %v, RawBody %d bytes", e.Truncated, len(e.RawBody()))
			}
			if !utf8.ValidString(e.Message) || len(e.Message) > apierr.DefaultMaxBodyBytes+utf8.UTFMax {
				t.Errorf("Message: %d bytes", len(e.Message))
			}
			if n := utf8.RuneCountInString(err.Error()); n > 400 {
				t.Errorf("Error() is %d runes", n)
			}
			class := trackunit.ErrClientError
			if r.status >= 500 {
				class = trackunit.ErrServerError
			}
			if !errors.Is(err, class) {
				t.Errorf("%v does not match its class", err)
			}
		})
	}
}

func TestE2ETrackunitGarbageBodies(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"binary":                "\x00\x01\x02\xff\xfe\xfd garbage \x80\x81",
		"invalid UTF-8 text":    "caf\xe9 \xc3\x28 \xed\xa0\x80",
		"truncated REST":        `{"status":400,"code":"constraint_viol`,
		"truncated GraphQL":     `{"errors":[{"message":"The rate limit has been exceeded","extensions":{"code":"RATE_LIM`,
		"JSON null":             `null`,
		"JSON array":            `[{"code":"constraint_violation"}]`,
		"wrong types":           `{"status":"x","code":7,"message":{},"violations":{"field":"name"}}`,
		"errors not a list":     `{"errors":{"message":"x"}}`,
		"errors of non-objects": `{"errors":["RATE_LIMITED",1,null]}`,
		"GraphQL wrong types":   `{"errors":[{"message":[],"extensions":{"code":{},"resetIn":"soon","cost":-1}}]}`,
		"negative resetIn":      `{"errors":[{"message":"x","extensions":{"code":"RATE_LIMITED","resetIn":-5}}]}`,
		"huge resetIn":          `{"errors":[{"message":"x","extensions":{"code":"RATE_LIMITED","resetIn":9223372036854775807}}]}`,
		"float resetIn":         `{"errors":[{"message":"x","extensions":{"code":"RATE_LIMITED","resetIn":1e300}}]}`,
		"invalid UTF-8 in JSON": "{\"errors\":[{\"message\":\"bad \xff\xfe\",\"extensions\":{\"code\":\"RATE_\xffLIMITED\"}}],\"code\":\"constraint_\xfeviolation\"}",
		"deep nesting":          `{"errors":` + strings.Repeat("[", 12000) + strings.Repeat("]", 12000) + "}",
		"newlines":              "line one\r\nline two\n\x1b[2J",
		"empty":                 ``,
	}
	for name, body := range bodies {
		for _, status := range []int{200, 400, 401, 404, 429, 499, 500, 503, 599} {
			t.Run(fmt.Sprintf("%s/%d", name, status), func(t *testing.T) {
				t.Parallel()
				err, resp := e2eFetch(t, e2eReply{status: status, body: body})
				e2eSame(t, err, trackunit.Parse(status, resp.Header, []byte(body)))
				if err == nil {
					if status >= 400 {
						t.Fatalf("FromResponse(%d) = nil", status)
					}
					return
				}
				var e *trackunit.Error
				if !errors.As(err, &e) {
					t.Fatalf("FromResponse = %v, want *trackunit.Error", err)
				}
				if msg := err.Error(); !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00\x1b") {
					t.Errorf("Error() = %q", msg)
				}
				if !utf8.ValidString(e.Message) || !utf8.ValidString(string(e.Code)) {
					t.Errorf("Message %q / Code %q not valid UTF-8", e.Message, e.Code)
				}
				if d, ok := e.RetryDelay(); ok && d < 0 {
					t.Errorf("negative RetryDelay %v", d)
				}
				if status >= 400 {
					class := trackunit.ErrClientError
					if status >= 500 {
						class = trackunit.ErrServerError
					}
					if !errors.Is(err, class) {
						t.Errorf("%v does not match its class sentinel", err)
					}
				}
			})
		}
	}
}

// e2eGraphQL is a fake GraphQL endpoint that answers the queued replies in
// order (the last one forever) and records the request bodies.
type e2eGraphQL struct {
	replies []e2eReply
	hits    atomic.Int32
	mu      sync.Mutex
	bodies  []string
}

func (g *e2eGraphQL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	g.mu.Lock()
	g.bodies = append(g.bodies, string(b))
	g.mu.Unlock()
	n := int(g.hits.Add(1))
	if n > len(g.replies) {
		n = len(g.replies)
	}
	g.replies[n-1].write(w)
}

// The GraphQL RATE_LIMITED answer carries its delay in the body; the
// transport waits that long before repeating the (POST) query, when told
// repeating POSTs is safe, and never sleeps for the documented ten minutes.
func TestE2ETrackunitTransportGraphQLRateLimit(t *testing.T) {
	t.Parallel()
	const query = `{"query":"{ assets { edges { node { id } } } }"}`
	shortLimit := e2eReply{status: 200, header: e2eJSON,
		body: `{"errors":[{"message":"rate limited","extensions":{"code":"RATE_LIMITED","cost":10,"resetIn":15}}]}`}
	data := e2eReply{status: 200, header: e2eJSON, body: `{"data":{"assets":{"edges":[]}}}`}
	post := func(t *testing.T, url string, opts ...apierr.Option) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(query))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := (&http.Client{Transport: apierr.NewTransport(e2eBase(), trackunit.Policy(), opts...)}).Do(req)
		if err != nil {
			t.Fatalf("POST: %v", err)
		}
		t.Cleanup(func() { _ = resp.Body.Close() })
		return resp
	}

	t.Run("retried after resetIn", func(t *testing.T) {
		t.Parallel()
		g := &e2eGraphQL{replies: []e2eReply{shortLimit, data}}
		srv := httptest.NewServer(g)
		t.Cleanup(srv.Close)
		var events []apierr.RetryEvent
		start := time.Now()
		resp := post(t, srv.URL+"/graphql", apierr.WithRetryNonIdempotent(true),
			apierr.WithOnRetry(func(ev apierr.RetryEvent) { events = append(events, ev) }))
		if err := trackunit.FromResponse(resp); err != nil {
			t.Errorf("FromResponse(final) = %v, want the data answer", err)
		}
		if b, _ := io.ReadAll(resp.Body); string(b) != data.body {
			t.Errorf("final body %q", b)
		}
		if time.Since(start) < 15*time.Millisecond {
			t.Errorf("retried before resetIn elapsed")
		}
		if len(events) != 1 || events[0].Delay != 15*time.Millisecond || !events[0].ServerDelay ||
			events[0].Code != "RATE_LIMITED" || events[0].Status != 200 || events[0].Method != http.MethodPost {
			t.Errorf("events = %+v", events)
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		if len(g.bodies) != 2 || g.bodies[0] != query || g.bodies[1] != query {
			t.Errorf("server saw bodies %q, want the query twice", g.bodies)
		}
	})
	t.Run("POST not retried by default", func(t *testing.T) {
		t.Parallel()
		g := &e2eGraphQL{replies: []e2eReply{shortLimit, data}}
		srv := httptest.NewServer(g)
		t.Cleanup(srv.Close)
		resp := post(t, srv.URL+"/graphql")
		if g.hits.Load() != 1 || !trackunit.IsRateLimited(trackunit.FromResponse(resp)) {
			t.Errorf("%d requests; want the RATE_LIMITED answer after 1", g.hits.Load())
		}
	})
	t.Run("documented ten-minute resetIn is returned, not slept", func(t *testing.T) {
		t.Parallel()
		g := &e2eGraphQL{replies: []e2eReply{{status: 200, header: e2eJSON, body: e2eRateLimited}, data}}
		srv := httptest.NewServer(g)
		t.Cleanup(srv.Close)
		start := time.Now()
		resp := post(t, srv.URL+"/graphql", apierr.WithRetryNonIdempotent(true))
		err := trackunit.FromResponse(resp)
		if d, ok := apierr.RetryDelay(err); g.hits.Load() != 1 || !ok || d != 586351*time.Millisecond {
			t.Errorf("%d requests, RetryDelay %v %v; want 1 and 586351ms", g.hits.Load(), d, ok)
		}
		if time.Since(start) > 5*time.Second {
			t.Errorf("transport slept %v", time.Since(start))
		}
	})
}

// REST 401 makes the transport refresh the access token once; 429 is
// retried with backoff.
func TestE2ETrackunitTransportREST(t *testing.T) {
	t.Parallel()
	var token atomic.Value
	token.Store("expired")
	var refreshes atomic.Int32
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n := hits.Add(1); {
		case r.Header.Get("Authorization") != "Bearer fresh":
			e2eReply{status: 401, header: e2eJSON, body: `{"status":401,"code":"unauthorized","message":"Jwt is expired"}`}.write(w)
		case n == 2:
			e2eReply{status: 429}.write(w)
		default:
			e2eReply{status: 200, header: e2eJSON, body: `{"id":"g-1"}`}.write(w)
		}
	}))
	t.Cleanup(srv.Close)
	client := &http.Client{Transport: apierr.NewTransport(e2eBase(), trackunit.Policy(),
		apierr.WithBackoff(time.Millisecond, time.Millisecond),
		apierr.WithAuthorize(func(r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token.Load().(string))
			return nil
		}),
		apierr.WithReauthenticate(func(context.Context) error { refreshes.Add(1); token.Store("fresh"); return nil }),
	)}
	resp, err := client.Get(srv.URL + "/public/api/groups/g-1")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || trackunit.FromResponse(resp) != nil {
		t.Fatalf("final status %d", resp.StatusCode)
	}
	if hits.Load() != 3 || refreshes.Load() != 1 || apierr.Attempts(resp) != 3 {
		t.Errorf("%d requests, %d refreshes, Attempts %d; want 3, 1, 3", hits.Load(), refreshes.Load(), apierr.Attempts(resp))
	}
}
