package alloy_test

// End-to-end tests: a loopback server answers as Alloy's documentation says
// Alloy answers (vendor-docs/alloy.txt and extra/alloy.txt), the client reads
// the response with net/http and classifies it with alloy.FromResponse.

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
	"testing"
	"time"
	"unicode/utf8"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/alloy"
)

// e2eToken is the bearer token the documented example echoes back in
// error.details.bearer_token; it must never be printed.
const e2eToken = "7GimeNYhwD3fs0xoTtLXdZIox53eSttzrRf71ENA"

// e2eDocBody is the documented error format example, verbatim.
const e2eDocBody = `{
  "status_code": 401,
  "error": {
    "minor_code": 4012,
    "type": "API Authentication Failure",
    "message": "The supplied bearer token has expired.  Please obtain a new one.",
    "details": {
      "bearer_token": "7GimeNYhwD3fs0xoTtLXdZIox53eSttzrRf71ENA"
    },
    "error_token": "54ae20da-a2d3-47a1-ac29-f9b7569ca652"
  },
  "timestamp": 1472052254031,
  "evaluation_token": null,
  "entity_token": null,
  "application_token": null,
  "application_version_id": null
}`

// e2eEnvelope builds a body in the documented envelope format.
func e2eEnvelope(status, minor int, typ, message string) string {
	return fmt.Sprintf(`{
  "status_code": %d,
  "error": {
    "minor_code": %d,
    "type": %q,
    "message": %q,
    "details": {},
    "error_token": "0b7d2c1e-9f5a-4c83-b1d2-3e4f5a6b7c8d"
  },
  "timestamp": 1714000000000,
  "evaluation_token": "S-abc123",
  "entity_token": null,
  "application_token": null,
  "application_version_id": null
}`, status, minor, typ, message)
}

var e2eJSON = map[string]string{"Content-Type": "application/json"}

// e2eClient is http.DefaultClient on its own copy of http.DefaultTransport:
// httptest.Server.Close calls http.DefaultTransport.CloseIdleConnections,
// which would break the requests of tests running in parallel.
var e2eClient = &http.Client{Transport: e2eBase()}

// e2eBase returns a fresh copy of http.DefaultTransport.
func e2eBase() http.RoundTripper { return http.DefaultTransport.(*http.Transport).Clone() }

// e2eReply is what the fake Alloy server answers.
type e2eReply struct {
	status int
	header map[string]string // set verbatim, lower-case names included
	body   string
}

// e2eServe starts a loopback server answering r and GETs it with e2eClient.
// The response body is left unread.
func e2eServe(t *testing.T, r e2eReply) *http.Response {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range r.header {
			w.Header()[k] = []string{v} // not canonicalized: as the vendor spells it
		}
		w.WriteHeader(r.status)
		_, _ = io.WriteString(w, r.body)
	}))
	t.Cleanup(srv.Close)
	resp, err := e2eClient.Get(srv.URL + "/v1/evaluations")
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
	err := alloy.FromResponse(resp)
	got, rerr := io.ReadAll(resp.Body)
	if rerr != nil {
		t.Fatalf("reading body after FromResponse: %v", rerr)
	}
	if !bytes.Equal(got, []byte(r.body)) {
		t.Fatalf("body after FromResponse: got %d bytes %.80q, want %d bytes %.80q", len(got), got, len(r.body), r.body)
	}
	return err, resp
}

// e2eSentinels pairs every sentinel of the package with its matcher.
var e2eSentinels = []struct {
	err error
	is  func(error) bool
}{
	{alloy.ErrClientError, alloy.IsClientError},
	{alloy.ErrServerError, alloy.IsServerError},
	{alloy.ErrWaitingDataRequest, alloy.IsWaitingDataRequest},
	{alloy.ErrCreated, alloy.IsCreated},
	{alloy.ErrPendingWebhook, alloy.IsPendingWebhook},
	{alloy.ErrPartialResponse, alloy.IsPartialResponse},
	{alloy.ErrBadRequest, alloy.IsBadRequest},
	{alloy.ErrUnauthorized, alloy.IsUnauthorized},
	{alloy.ErrForbidden, alloy.IsForbidden},
	{alloy.ErrNotFound, alloy.IsNotFound},
	{alloy.ErrConflict, alloy.IsConflict},
	{alloy.ErrPreconditionFailed, alloy.IsPreconditionFailed},
	{alloy.ErrTeapot, alloy.IsTeapot},
	{alloy.ErrTooManyRequests, alloy.IsTooManyRequests},
	{alloy.ErrInternalServerError, alloy.IsInternalServerError},
	{alloy.ErrServiceUnavailable, alloy.IsServiceUnavailable},
	{alloy.ErrCustomError, alloy.IsCustomError},
	{alloy.ErrHeaderValidationFailure, alloy.IsHeaderValidationFailure},
	{alloy.ErrRequestBodyValidationFailure, alloy.IsRequestBodyValidationFailure},
	{alloy.ErrInvalidRequestBody, alloy.IsInvalidRequestBody},
	{alloy.ErrUnauthorizedGeneral, alloy.IsUnauthorizedGeneral},
	{alloy.ErrCredentialsExpired, alloy.IsCredentialsExpired},
	{alloy.ErrAPIAuthenticationFailure, alloy.IsAPIAuthenticationFailure},
	{alloy.ErrBearerTokenRefreshUnauthorized, alloy.IsBearerTokenRefreshUnauthorized},
	{alloy.ErrProductionModeDisabled, alloy.IsProductionModeDisabled},
	{alloy.ErrEntityTokenNotValid, alloy.IsEntityTokenNotValid},
	{alloy.ErrEnvironmentMismatch, alloy.IsEnvironmentMismatch},
	{alloy.ErrEvaluationNotFound, alloy.IsEvaluationNotFound},
	{alloy.ErrEvaluationAlreadyResolved, alloy.IsEvaluationAlreadyResolved},
	{alloy.ErrAppDisabled, alloy.IsAppDisabled},
	{alloy.ErrTeapotGeneral, alloy.IsTeapotGeneral},
	{alloy.ErrUnhandledServerError, alloy.IsUnhandledServerError},
	{alloy.ErrServicesDisabled, alloy.IsServicesDisabled},
	{alloy.ErrResponseBodyValidationFailure, alloy.IsResponseBodyValidationFailure},
	{alloy.ErrOfflineForMaintenance, alloy.IsOfflineForMaintenance},
}

// e2eWant is what a classified error response must look like.
type e2eWant struct {
	is          []error // exactly these sentinels match; every other one must not
	kind        apierr.Kind
	action      apierr.Action
	retryable   bool
	reauth      bool
	code        string // ErrorCode(); "" means the body carried none
	codeKnown   bool
	statusKnown bool
	format      string
	message     string
	text        string // exact Error() when not ""
	hasDelay    bool
	delay       time.Duration
	delayTol    time.Duration // allowed |got-delay| (header epochs depend on the clock)
	check       func(t *testing.T, e *alloy.Error)
}

// e2eCheck asserts err against w through every public way of asking.
func e2eCheck(t *testing.T, status int, err error, w e2eWant) *alloy.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("FromResponse = nil, want an error for HTTP %d", status)
	}
	var e *alloy.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%T, *alloy.Error) = false", err)
	}
	if int(e.Status) != status || e.HTTPStatus() != status {
		t.Errorf("Status = %d, HTTPStatus() = %d, want %d", e.Status, e.HTTPStatus(), status)
	}
	if got := e.Status.Known(); got != w.statusKnown {
		t.Errorf("Status.Known() = %v, want %v", got, w.statusKnown)
	}

	// Sentinels and matchers: exactly the wanted set, also through wrapping.
	wrapped := fmt.Errorf("checking evaluation: %w", err)
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
		if got := errors.Is(wrapped, s.err); got != want {
			t.Errorf("errors.Is(wrapped, %q) = %v, want %v", s.err, got, want)
		}
		if got := s.is(wrapped); got != want {
			t.Errorf("matcher for %q on wrapped = %v, want %v", s.err, got, want)
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
		if a.Vendor() != "alloy" || a.Vendor() != alloy.Vendor {
			t.Errorf("Vendor() = %q, want alloy", a.Vendor())
		}
		if a.HTTPStatus() != status {
			t.Errorf("apierr HTTPStatus() = %d, want %d", a.HTTPStatus(), status)
		}
		if got := a.ErrorCode(); got != w.code {
			t.Errorf("ErrorCode() = %q, want %q", got, w.code)
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
		if ok != w.hasDelay {
			t.Errorf("RetryDelay ok = %v (%v), want %v", ok, d, w.hasDelay)
		} else if ok && (d < w.delay-w.delayTol || d > w.delay+w.delayTol) {
			t.Errorf("RetryDelay = %v, want %v ± %v", d, w.delay, w.delayTol)
		}
	}

	// Typed fields.
	if e.HasCode != (w.code != "") {
		t.Errorf("HasCode = %v, want %v", e.HasCode, w.code != "")
	}
	if w.code != "" {
		if got := strconv.FormatInt(int64(e.Code), 10); got != w.code {
			t.Errorf("Code = %s, want %s", got, w.code)
		}
		if got := e.Code.Known(); got != w.codeKnown {
			t.Errorf("Code.Known() = %v, want %v", got, w.codeKnown)
		}
	}
	if e.Format != w.format {
		t.Errorf("Format = %q, want %q", e.Format, w.format)
	}
	if e.Message != w.message {
		t.Errorf("Message = %q, want %q", e.Message, w.message)
	}

	// Error(): one line of valid UTF-8, "alloy: <status>" first.
	msg := err.Error()
	if w.text != "" && msg != w.text {
		t.Errorf("Error() = %q, want %q", msg, w.text)
	}
	if prefix := "alloy: " + strconv.Itoa(status); !strings.HasPrefix(msg, prefix) {
		t.Errorf("Error() = %q, want prefix %q", msg, prefix)
	}
	if w.code != "" && !strings.Contains(msg, w.code) {
		t.Errorf("Error() = %q does not name the code %s", msg, w.code)
	}
	if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00\x1b") {
		t.Errorf("Error() is not one clean line: %q", msg)
	}
	if wrapped.Error() != "checking evaluation: "+msg {
		t.Errorf("wrapped Error() = %q", wrapped.Error())
	}

	// slog: the error logs as a group of its facts.
	rec := e2eLogJSON(t, slog.Any("err", err))
	g, ok := rec["err"].(map[string]any)
	if !ok {
		t.Fatalf("slog JSON: err is %T (%v), want a group", rec["err"], rec["err"])
	}
	if g["vendor"] != "alloy" || g["status"] != float64(status) || g["kind"] != w.kind.String() || g["action"] != w.action.String() {
		t.Errorf("slog group = %v, want vendor alloy, status %d, kind %v, action %v", g, status, w.kind, w.action)
	}
	if w.code != "" && g["code"] != w.code {
		t.Errorf("slog code = %v, want %q", g["code"], w.code)
	}
	if _, has := g["retry_delay"]; has != w.hasDelay {
		t.Errorf("slog retry_delay present = %v, want %v", has, w.hasDelay)
	}
	if w.check != nil {
		w.check(t, e)
	}
	return e
}

// e2eLogJSON logs one record with slog's JSON handler and decodes it.
func e2eLogJSON(t *testing.T, attrs ...slog.Attr) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).LogAttrs(t.Context(), slog.LevelError, "alloy call failed", attrs...)
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("slog JSON output %q: %v", buf.String(), err)
	}
	return m
}

// e2eSame asserts that Parse, given what FromResponse saw, returns the same.
func e2eSame(t *testing.T, fromResponse, parsed error, tol time.Duration) {
	t.Helper()
	if (fromResponse == nil) != (parsed == nil) {
		t.Fatalf("FromResponse = %v, Parse = %v", fromResponse, parsed)
	}
	if fromResponse == nil {
		return
	}
	var a, b *alloy.Error
	if !errors.As(fromResponse, &a) || !errors.As(parsed, &b) {
		t.Fatalf("FromResponse %T, Parse %T: want *alloy.Error", fromResponse, parsed)
	}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := 0; i < va.NumField(); i++ {
		f := va.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
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
	if oka != okb || da-db > tol || db-da > tol {
		t.Errorf("RetryDelay: FromResponse %v %v, Parse %v %v", da, oka, db, okb)
	}
}

func TestE2EAlloyErrors(t *testing.T) {
	t.Parallel()
	resetAt := time.Now().Add(30 * time.Second).Unix()
	reset := strconv.FormatInt(resetAt, 10)
	tests := []struct {
		name string
		r    e2eReply
		w    e2eWant
	}{
		{
			name: "documented envelope 401/4012",
			r:    e2eReply{status: 401, header: e2eJSON, body: e2eDocBody},
			w: e2eWant{
				is:          []error{alloy.ErrCredentialsExpired, alloy.ErrUnauthorized, alloy.ErrClientError},
				kind:        apierr.KindUnauthenticated,
				action:      apierr.ActionReauthenticate,
				reauth:      true,
				code:        "4012",
				codeKnown:   true,
				statusKnown: true,
				format:      "envelope",
				message:     "The supplied bearer token has expired.  Please obtain a new one.",
				text:        "alloy: 401 Unauthorized code 4012 (CredentialsExpired): The supplied bearer token has expired. Please obtain a new one.",
				check: func(t *testing.T, e *alloy.Error) {
					if e.Code != alloy.CodeCredentialsExpired || e.Code.Status() != alloy.StatusUnauthorized {
						t.Errorf("Code = %v (status %v), want CredentialsExpired (401)", e.Code, e.Code.Status())
					}
					if e.StatusCode != 401 {
						t.Errorf("StatusCode = %d, want 401", e.StatusCode)
					}
					if e.ErrorType != "API Authentication Failure" {
						t.Errorf("ErrorType = %q", e.ErrorType)
					}
					if e.ErrorToken != "54ae20da-a2d3-47a1-ac29-f9b7569ca652" {
						t.Errorf("ErrorToken = %q", e.ErrorToken)
					}
					if want := time.UnixMilli(1472052254031); !e.Timestamp.Equal(want) {
						t.Errorf("Timestamp = %v, want %v", e.Timestamp, want)
					}
					if e.EvaluationToken != "" || e.EntityToken != "" || e.ApplicationToken != "" || e.ApplicationVersionID != "" {
						t.Errorf("null tokens read as %q %q %q %q", e.EvaluationToken, e.EntityToken, e.ApplicationToken, e.ApplicationVersionID)
					}
					if e.RateLimitRemaining != "" || e.RateLimitReset != "" || e.RateLimitLimit != "" {
						t.Errorf("rate-limit headers set without headers: %q %q %q", e.RateLimitRemaining, e.RateLimitReset, e.RateLimitLimit)
					}
					if e.Truncated {
						t.Errorf("Truncated = true for a small body")
					}
					if len(e.Details) != 1 {
						t.Errorf("Details = %v, want only bearer_token", e.Details)
					}
				},
			},
		},
		{
			name: "429 with Retry-After and alloy-ratelimit headers",
			r: e2eReply{status: 429, header: map[string]string{
				"Content-Type":              "application/json",
				"retry-after":               "2",
				"alloy-ratelimit-remaining": "0",
				"alloy-ratelimit-reset":     reset,
				"alloy-ratelimit-limit":     "100",
			}, body: `{"status_code":429,"error":{"type":"Rate Limit Exceeded","message":"Too many requests"}}`},
			w: e2eWant{
				is:          []error{alloy.ErrTooManyRequests, alloy.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryAfter,
				retryable:   true,
				statusKnown: true,
				format:      "envelope",
				message:     "Too many requests",
				text:        "alloy: 429 TooManyRequests: Too many requests",
				hasDelay:    true,
				delay:       2 * time.Second, // Retry-After comes first in the catalog
				check: func(t *testing.T, e *alloy.Error) {
					if e.RateLimitRemaining != "0" || e.RateLimitReset != reset || e.RateLimitLimit != "100" {
						t.Errorf("rate-limit headers = %q %q %q, want 0 %s 100", e.RateLimitRemaining, e.RateLimitReset, e.RateLimitLimit, reset)
					}
					if e.ErrorType != "Rate Limit Exceeded" || e.StatusCode != 429 {
						t.Errorf("ErrorType %q StatusCode %d", e.ErrorType, e.StatusCode)
					}
				},
			},
		},
		{
			name: "429 with only alloy-ratelimit-reset",
			r: e2eReply{status: 429, header: map[string]string{
				"alloy-ratelimit-remaining": "0",
				"alloy-ratelimit-reset":     reset,
			}, body: "Too Many Requests"},
			w: e2eWant{
				is:          []error{alloy.ErrTooManyRequests, alloy.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryAfter,
				retryable:   true,
				statusKnown: true,
				message:     "Too Many Requests",
				hasDelay:    true,
				delay:       time.Until(time.Unix(resetAt, 0)),
				delayTol:    2 * time.Second,
			},
		},
		{
			name: "429 with an invalid Retry-After falls back to the reset header",
			r: e2eReply{status: 429, header: map[string]string{
				"retry-after":           "soon",
				"alloy-ratelimit-reset": reset,
			}},
			w: e2eWant{
				is:          []error{alloy.ErrTooManyRequests, alloy.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryAfter,
				retryable:   true,
				statusKnown: true,
				hasDelay:    true,
				delay:       time.Until(time.Unix(resetAt, 0)),
				delayTol:    2 * time.Second,
			},
		},
		{
			name: "429 whose reset lies in the past means retry now",
			r:    e2eReply{status: 429, header: map[string]string{"alloy-ratelimit-reset": "1472052254"}},
			w: e2eWant{
				is:          []error{alloy.ErrTooManyRequests, alloy.ErrClientError},
				kind:        apierr.KindRateLimited,
				action:      apierr.ActionRetryAfter,
				retryable:   true,
				statusKnown: true,
				hasDelay:    true,
				delay:       0,
			},
		},
		{
			name: "503/5031 maintenance",
			r: e2eReply{status: 503, header: e2eJSON, body: e2eEnvelope(503, 5031, "Service Unavailable",
				"We're temporarily offline for maintenance.")},
			w: e2eWant{
				is:          []error{alloy.ErrOfflineForMaintenance, alloy.ErrServiceUnavailable, alloy.ErrServerError},
				kind:        apierr.KindUnavailable,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				code:        "5031",
				codeKnown:   true,
				statusKnown: true,
				format:      "envelope",
				message:     "We're temporarily offline for maintenance.",
				text:        "alloy: 503 ServiceUnavailable code 5031 (OfflineForMaintenance): We're temporarily offline for maintenance.",
				check: func(t *testing.T, e *alloy.Error) {
					if e.EvaluationToken != "S-abc123" || e.ErrorType != "Service Unavailable" || e.StatusCode != 503 {
						t.Errorf("EvaluationToken %q ErrorType %q StatusCode %d", e.EvaluationToken, e.ErrorType, e.StatusCode)
					}
					if !e.Timestamp.Equal(time.UnixMilli(1714000000000)) {
						t.Errorf("Timestamp = %v", e.Timestamp)
					}
				},
			},
		},
		{
			name: "500/5001 services disabled",
			r:    e2eReply{status: 500, header: e2eJSON, body: e2eEnvelope(500, 5001, "Unhanded Server Error", "Service(s) disabled")},
			w: e2eWant{
				is:          []error{alloy.ErrServicesDisabled, alloy.ErrInternalServerError, alloy.ErrServerError},
				kind:        apierr.KindInternal,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				code:        "5001",
				codeKnown:   true,
				statusKnown: true,
				format:      "envelope",
				message:     "Service(s) disabled",
			},
		},
		{
			name: "400 with an undocumented minor code 4999",
			r:    e2eReply{status: 400, header: e2eJSON, body: e2eEnvelope(400, 4999, "Bad Request", "Something new")},
			w: e2eWant{
				is:          []error{alloy.ErrBadRequest, alloy.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				code:        "4999",
				codeKnown:   false,
				statusKnown: true,
				format:      "envelope",
				message:     "Something new",
				text:        "alloy: 400 BadRequest code 4999: Something new",
				check: func(t *testing.T, e *alloy.Error) {
					if e.Code != alloy.Code(4999) || e.Code.String() != "Code(4999)" {
						t.Errorf("Code = %d %q", e.Code, e.Code)
					}
					if _, known := alloy.LookupCode(4999); known {
						t.Errorf("LookupCode(4999) known")
					}
				},
			},
		},
		{
			name: "undocumented status 451",
			r:    e2eReply{status: 451, header: e2eJSON, body: e2eEnvelope(451, 4511, "Unavailable For Legal Reasons", "Blocked")},
			w: e2eWant{
				is:          []error{alloy.ErrClientError},
				kind:        apierr.KindBadRequest, // the 4XX class
				action:      apierr.ActionFixRequest,
				code:        "4511",
				statusKnown: false,
				format:      "envelope",
				message:     "Blocked",
				text:        "alloy: 451 code 4511: Blocked",
				check: func(t *testing.T, e *alloy.Error) {
					if e.Status.String() != "Status(451)" {
						t.Errorf("Status.String() = %q", e.Status)
					}
				},
			},
		},
		{
			name: "418/4180 teapot",
			r:    e2eReply{status: 418, header: e2eJSON, body: e2eEnvelope(418, 4180, "Teapot", "I'm a teapot")},
			w: e2eWant{
				is:          []error{alloy.ErrTeapotGeneral, alloy.ErrTeapot, alloy.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				code:        "4180",
				codeKnown:   true,
				statusKnown: true,
				format:      "envelope",
				message:     "I'm a teapot",
			},
		},
		{
			name: "401/4011 is not a reauthentication",
			r:    e2eReply{status: 401, header: e2eJSON, body: e2eEnvelope(401, 4011, "Unauthorized", "Unauthorized")},
			w: e2eWant{
				is:          []error{alloy.ErrUnauthorizedGeneral, alloy.ErrUnauthorized, alloy.ErrClientError},
				kind:        apierr.KindUnauthenticated,
				action:      apierr.ActionFixRequest,
				code:        "4011",
				codeKnown:   true,
				statusKnown: true,
				format:      "envelope",
				message:     "Unauthorized",
			},
		},
		{
			name: "404/4041 evaluation not found",
			r:    e2eReply{status: 404, header: e2eJSON, body: e2eEnvelope(404, 4041, "Not Found", "Evaluation Not Found")},
			w: e2eWant{
				is:          []error{alloy.ErrEvaluationNotFound, alloy.ErrNotFound, alloy.ErrClientError},
				kind:        apierr.KindNotFound,
				action:      apierr.ActionFixRequest,
				code:        "4041",
				codeKnown:   true,
				statusKnown: true,
				format:      "envelope",
				message:     "Evaluation Not Found",
			},
		},
		{
			name: "502 HTML page from a proxy",
			r: e2eReply{status: 502, header: map[string]string{"Content-Type": "text/html"},
				body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"},
			w: e2eWant{
				is:          []error{alloy.ErrServerError},
				kind:        apierr.KindInternal,
				action:      apierr.ActionRetryBackoff,
				retryable:   true,
				statusKnown: false,
				format:      "",
				message:     "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>",
				text:        "alloy: 502: <html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> </body> </html>",
			},
		},
		{
			name: "401 without a body",
			r:    e2eReply{status: 401},
			w: e2eWant{
				is:          []error{alloy.ErrUnauthorized, alloy.ErrClientError},
				kind:        apierr.KindUnauthenticated,
				action:      apierr.ActionFixRequest,
				statusKnown: true,
				text:        "alloy: 401 Unauthorized",
			},
		},
		{
			name: "control characters in the message stay on one line",
			r:    e2eReply{status: 400, header: e2eJSON, body: `{"status_code":400,"error":{"minor_code":4002,"message":"line one\nline two\r\n\u001b[31mred\u0000"}}`},
			w: e2eWant{
				is:          []error{alloy.ErrRequestBodyValidationFailure, alloy.ErrBadRequest, alloy.ErrClientError},
				kind:        apierr.KindBadRequest,
				action:      apierr.ActionFixRequest,
				code:        "4002",
				codeKnown:   true,
				statusKnown: true,
				format:      "envelope",
				message:     "line one\nline two\r\n\x1b[31mred\x00",
				text:        "alloy: 400 BadRequest code 4002 (RequestBodyValidationFailure): line one line two [31mred",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err, resp := e2eFetch(t, tt.r)
			e2eCheck(t, tt.r.status, err, tt.w)
			e2eSame(t, err, alloy.Parse(tt.r.status, resp.Header, []byte(tt.r.body)), 100*time.Millisecond)
			e2eSame(t, err, alloy.Policy().Classify(e2eServe(t, tt.r)), 100*time.Millisecond)
		})
	}
}

// Every documented minor code, sent with its documented status, comes back
// as itself with the catalog's kind and action.
func TestE2EAlloyEveryDocumentedCode(t *testing.T) {
	t.Parallel()
	if n := len(alloy.Codes()); n != 19 {
		t.Errorf("len(Codes()) = %d, want the 19 documented minor codes", n)
	}
	for _, c := range alloy.Codes() {
		t.Run(c.String(), func(t *testing.T) {
			t.Parallel()
			status := int(c.Status())
			if strconv.Itoa(int(c))[:3] != strconv.Itoa(status) {
				t.Errorf("code %d documented with status %d: first three digits differ", c, status)
			}
			r := e2eReply{status: status, header: e2eJSON, body: e2eEnvelope(status, int(c), "t", c.Description())}
			err, _ := e2eFetch(t, r)
			var e *alloy.Error
			if !errors.As(err, &e) {
				t.Fatalf("FromResponse = %v, want *alloy.Error", err)
			}
			if !e.HasCode || e.Code != c || !e.Code.Known() {
				t.Errorf("Code = %v (has %v), want %v", e.Code, e.HasCode, c)
			}
			if e.Kind() != c.Kind() || e.Action() != c.Action() {
				t.Errorf("Kind/Action = %v/%v, want %v/%v", e.Kind(), e.Action(), c.Kind(), c.Action())
			}
			if c.Kind() == apierr.KindUnknown {
				t.Errorf("documented code %v has kind unknown", c)
			}
			if !strings.Contains(err.Error(), "("+c.String()+")") {
				t.Errorf("Error() = %q does not name %v", err, c)
			}
			statusSentinel := map[int]error{400: alloy.ErrBadRequest, 401: alloy.ErrUnauthorized, 403: alloy.ErrForbidden,
				404: alloy.ErrNotFound, 409: alloy.ErrConflict, 412: alloy.ErrPreconditionFailed, 418: alloy.ErrTeapot,
				500: alloy.ErrInternalServerError, 503: alloy.ErrServiceUnavailable}[status]
			if statusSentinel == nil || !errors.Is(err, statusSentinel) {
				t.Errorf("errors.Is(err, status %d sentinel %v) = false", status, statusSentinel)
			}
		})
	}
}

// The bearer token Alloy echoes back never leaves through printing or
// logging, yet stays available on purpose.
func TestE2EAlloySecretNeverPrinted(t *testing.T) {
	t.Parallel()
	err, _ := e2eFetch(t, e2eReply{status: 401, header: e2eJSON, body: e2eDocBody})
	var e *alloy.Error
	if !errors.As(err, &e) {
		t.Fatalf("FromResponse = %v", err)
	}
	secret, ok := e.Details["bearer_token"].(apierr.Secret)
	if !ok {
		t.Fatalf("Details[bearer_token] is %T, want apierr.Secret", e.Details["bearer_token"])
	}
	if secret.Reveal() != e2eToken {
		t.Errorf("Reveal() = %q, want the echoed token", secret.Reveal())
	}
	if !bytes.Contains(e.RawBody(), []byte(e2eToken)) {
		t.Errorf("RawBody() is documented to be unredacted; it lacks the token")
	}

	printed := map[string]string{
		"Error()":            err.Error(),
		"fmt err":            fmt.Sprintf("%v %+v %#v %s %q %x", err, err, err, err, err, err),
		"fmt *e":             fmt.Sprintf("%v %+v %#v", e, e, e),
		"fmt Details":        fmt.Sprintf("%v %+v %#v %s", e.Details, e.Details, e.Details, e.Details),
		"fmt secret":         fmt.Sprintf("%v %+v %#v %s %q %x %d", secret, secret, secret, secret, secret, secret, secret),
		"fmt wrapped":        fmt.Sprintf("%+v", fmt.Errorf("x: %w", err)),
		"LogValue":           e.LogValue().String(),
		"slog JSON":          e2eLogText(slog.NewJSONHandler, slog.Any("err", err), slog.Any("details", e.Details), slog.Any("e", e)),
		"slog text":          e2eLogText(slog.NewTextHandler, slog.Any("err", err), slog.Any("details", e.Details), slog.Any("e", e)),
		"slog JSON value":    e2eLogText(slog.NewJSONHandler, slog.Any("e", *e)),
		"slog JSON wrapped":  e2eLogText(slog.NewJSONHandler, slog.Any("err", fmt.Errorf("x: %w", err))),
		"json.Marshal err":   e2eMarshal(t, err),
		"json.Marshal Dtls":  e2eMarshal(t, e.Details),
		"json.Marshal token": e2eMarshal(t, secret),
	}
	for name, out := range printed {
		if e2eLeaks(out) {
			t.Errorf("%s leaks the bearer token: %s", name, out)
		}
	}
	for _, name := range []string{"fmt Details", "fmt secret", "slog JSON", "slog text", "json.Marshal Dtls", "json.Marshal token"} {
		if !strings.Contains(printed[name], apierr.Redacted) {
			t.Errorf("%s does not show %s where the token was: %s", name, apierr.Redacted, printed[name])
		}
	}
	// The typed facts are in the log; the free-form details are not.
	rec := e2eLogJSON(t, slog.Any("err", err))
	g, _ := rec["err"].(map[string]any)
	if g["error_token"] != "54ae20da-a2d3-47a1-ac29-f9b7569ca652" || g["code"] != "4012" || g["error_type"] != "API Authentication Failure" {
		t.Errorf("slog group = %v", g)
	}
	if _, has := g["details"]; has {
		t.Errorf("slog group logs the free-form details: %v", g)
	}
}

// e2eLeaks reports whether out shows the bearer token, as text or as the
// byte list fmt prints for a []byte (%v: "55 71 105 ...", %#v: "0x37, 0x47, ...").
func e2eLeaks(out string) bool {
	tok := []byte(e2eToken)
	dec := strings.Trim(fmt.Sprintf("%v", tok[:12]), "[]")
	hex := strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%#v", tok[:12]), "[]byte{"), "}")
	return strings.Contains(out, e2eToken[:12]) || strings.Contains(out, dec) || strings.Contains(out, hex)
}

// Printing the Error struct by value (fmt.Printf("%+v", *e), slog's text
// handler given *e) bypasses the pointer's Error, GoString and LogValue
// methods and prints every field, the unexported raw body included.
func TestE2EAlloySecretNotInStructValueDump(t *testing.T) {
	t.Parallel()
	err, _ := e2eFetch(t, e2eReply{status: 401, header: e2eJSON, body: e2eDocBody})
	var e *alloy.Error
	if !errors.As(err, &e) {
		t.Fatalf("FromResponse = %v", err)
	}
	for name, out := range map[string]string{
		"%v":        fmt.Sprintf("%v", *e),
		"%+v":       fmt.Sprintf("%+v", *e),
		"%#v":       fmt.Sprintf("%#v", *e),
		"slog text": e2eLogText(slog.NewTextHandler, slog.Any("e", *e)),
	} {
		if e2eLeaks(out) {
			t.Errorf("BUG: printing alloy.Error by value with %s shows the raw body, bearer token included (as a byte list): %.200s...", name, out)
		}
	}
}

func e2eLogText[H slog.Handler](newHandler func(io.Writer, *slog.HandlerOptions) H, attrs ...slog.Attr) string {
	var buf bytes.Buffer
	slog.New(newHandler(&buf, nil)).LogAttrs(context.Background(), slog.LevelError, "alloy call failed", attrs...)
	return buf.String()
}

func e2eMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%T): %v", v, err)
	}
	return string(b)
}

func TestE2EAlloySuccessIsNil(t *testing.T) {
	t.Parallel()
	tests := []e2eReply{
		{status: 200, header: e2eJSON, body: `{"status_code":200,"evaluation_token":"S-abc123","summary":{"result":"success","outcome":"Approved"}}`},
		{status: 201, header: e2eJSON, body: `{"status_code":201,"entity_token":"P-xyz789"}`},
		{status: 202, header: e2eJSON, body: `{"status_code":202,"evaluation_token":"S-abc123"}`},
		{status: 206, header: e2eJSON, body: `{"status_code":206,"evaluation_token":"S-abc123","warnings":{"blocked_actions":[]}}`},
		{status: 204},
		{status: 200, body: "not json at all \xff"},
	}
	for _, r := range tests {
		t.Run(strconv.Itoa(r.status), func(t *testing.T) {
			t.Parallel()
			err, resp := e2eFetch(t, r)
			if err != nil {
				t.Fatalf("FromResponse(%d) = %v, want nil", r.status, err)
			}
			if err := alloy.Parse(r.status, resp.Header, []byte(r.body)); err != nil {
				t.Errorf("Parse(%d) = %v, want nil", r.status, err)
			}
			if apierr.KindOf(err) != apierr.KindUnknown || apierr.IsRetryable(err) {
				t.Errorf("nil error has a kind or is retryable")
			}
		})
	}
}

func TestE2EAlloyNilResponse(t *testing.T) {
	t.Parallel()
	err := alloy.FromResponse(nil)
	if !errors.Is(err, apierr.ErrNilResponse) {
		t.Fatalf("FromResponse(nil) = %v, want apierr.ErrNilResponse", err)
	}
	if _, ok := apierr.As(err); ok {
		t.Errorf("apierr.As(ErrNilResponse) = true")
	}
}

// A body far above the read limit is classified from its prefix, flagged as
// truncated, and still served whole to the caller.
func TestE2EAlloyLargeBody(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	tests := []struct {
		name     string
		r        e2eReply
		wantCode bool
	}{
		{"envelope then a MiB of white space", e2eReply{status: 401, header: e2eJSON,
			body: e2eDocBody + strings.Repeat(" ", size)}, true},
		{"a MiB of text", e2eReply{status: 500, body: strings.Repeat("A", size)}, false},
		{"a MiB message inside JSON", e2eReply{status: 400, header: e2eJSON,
			body: `{"status_code":400,"error":{"minor_code":4002,"message":"` + strings.Repeat("x", size) + `"}}`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if len(tt.r.body) <= apierr.DefaultMaxBodyBytes {
				t.Fatalf("body of %d bytes is not above the limit", len(tt.r.body))
			}
			err, _ := e2eFetch(t, tt.r)
			var e *alloy.Error
			if !errors.As(err, &e) {
				t.Fatalf("FromResponse = %v, want *alloy.Error", err)
			}
			if !e.Truncated {
				t.Errorf("Truncated = false for a %d-byte body", len(tt.r.body))
			}
			if len(e.RawBody()) != apierr.DefaultMaxBodyBytes {
				t.Errorf("RawBody() holds %d bytes, want the %d read", len(e.RawBody()), apierr.DefaultMaxBodyBytes)
			}
			if len(e.Message) > apierr.DefaultMaxBodyBytes+utf8.UTFMax {
				t.Errorf("Message holds %d bytes, more than was read", len(e.Message))
			}
			if n := utf8.RuneCountInString(err.Error()); n > 300 {
				t.Errorf("Error() is %d runes long", n)
			}
			if tt.wantCode && (e.Code != alloy.CodeCredentialsExpired || !errors.Is(err, alloy.ErrCredentialsExpired)) {
				t.Errorf("Code = %v, want 4012 read from the prefix", e.Code)
			}
			if !errors.Is(err, map[int]error{400: alloy.ErrBadRequest, 401: alloy.ErrUnauthorized, 500: alloy.ErrInternalServerError}[tt.r.status]) {
				t.Errorf("%v does not match its status sentinel", err)
			}
		})
	}
	t.Run("FromResponseLimit", func(t *testing.T) {
		t.Parallel()
		r := e2eReply{status: 401, header: e2eJSON, body: e2eDocBody}
		resp := e2eServe(t, r)
		err := alloy.FromResponseLimit(resp, 16)
		var e *alloy.Error
		if !errors.As(err, &e) || !e.Truncated || len(e.RawBody()) != 16 {
			t.Fatalf("FromResponseLimit(16) = %v, want a truncated *alloy.Error of 16 bytes", err)
		}
		if got, _ := io.ReadAll(resp.Body); string(got) != r.body {
			t.Errorf("body after FromResponseLimit: %q", got)
		}
	})
}

// Whatever the server sends, an error status yields a typed error, never a
// panic, and Parse agrees with FromResponse.
func TestE2EAlloyGarbageBodies(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"binary":                  "\x00\x01\x02\xff\xfe\xfd garbage \x80\x81",
		"invalid UTF-8 text":      "caf\xe9 \xc3\x28 \xed\xa0\x80",
		"truncated JSON":          `{"status_code": 401, "error": {"minor_code": 40`,
		"JSON null":               `null`,
		"JSON array":              `[{"minor_code":4012}]`,
		"JSON string":             `"error"`,
		"error is a string":       `{"status_code":400,"error":"bad"}`,
		"wrong types":             `{"status_code":"x","error":{"minor_code":{"a":1},"type":[1],"message":{},"details":"s","error_token":7},"timestamp":"yesterday"}`,
		"huge numbers":            `{"status_code":1e400,"error":{"minor_code":99999999999999999999999},"timestamp":9223372036854775807}`,
		"negative timestamp":      `{"error":{"minor_code":-1},"timestamp":-9223372036854775808}`,
		"invalid UTF-8 in JSON":   "{\"error\":{\"minor_code\":4002,\"message\":\"bad \xff\xfe utf8\"}}",
		"deep nesting":            `{"a":` + strings.Repeat("[", 12000) + "1" + strings.Repeat("]", 12000) + "}",
		"deep arrays":             `{"error":` + strings.Repeat("[", 50000),
		"bearer token not object": `{"error":{"minor_code":4012,"details":{"bearer_token":{"nested":"` + e2eToken + `"}}}}`,
		"duplicate keys":          `{"error":{"minor_code":4012,"minor_code":5031}}`,
		"empty":                   ``,
		"white space":             " \n\t ",
	}
	statuses := []int{400, 401, 418, 429, 451, 500, 503, 599}
	for name, body := range bodies {
		for _, status := range statuses {
			t.Run(fmt.Sprintf("%s/%d", name, status), func(t *testing.T) {
				t.Parallel()
				r := e2eReply{status: status, header: e2eJSON, body: body}
				err, resp := e2eFetch(t, r)
				var e *alloy.Error
				if !errors.As(err, &e) {
					t.Fatalf("FromResponse = %v, want *alloy.Error", err)
				}
				if e.HTTPStatus() != status {
					t.Errorf("HTTPStatus() = %d", e.HTTPStatus())
				}
				class := alloy.ErrClientError
				if status >= 500 {
					class = alloy.ErrServerError
				}
				if !errors.Is(err, class) {
					t.Errorf("%v does not match its class sentinel", err)
				}
				msg := err.Error()
				if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x00") || !strings.HasPrefix(msg, "alloy: "+strconv.Itoa(status)) {
					t.Errorf("Error() = %q", msg)
				}
				if !utf8.ValidString(e.Message) {
					t.Errorf("Message is not valid UTF-8: %q", e.Message)
				}
				if strings.Contains(fmt.Sprintf("%v %+v", err, e.Details)+e2eLogText(slog.NewJSONHandler, slog.Any("err", err)), e2eToken) {
					t.Errorf("token printed")
				}
				if apierr.KindOf(err) == apierr.KindUnknown || apierr.KindOf(err) == apierr.KindOK {
					t.Errorf("KindOf = %v for HTTP %d", apierr.KindOf(err), status)
				}
				e2eSame(t, err, alloy.Parse(status, resp.Header, []byte(body)), 100*time.Millisecond)
			})
		}
	}
}

// Parse never panics whatever the status, the header or the body.
func TestE2EAlloyParseOddStatuses(t *testing.T) {
	t.Parallel()
	for _, status := range []int{-1, 0, 99, 100, 199, 300, 399, 400, 599, 600, 999, 1 << 30} {
		err := alloy.Parse(status, nil, []byte(e2eDocBody))
		if (err != nil) != (status >= 400) {
			t.Errorf("Parse(%d) = %v", status, err)
		}
		if err != nil {
			_ = err.Error()
			_ = apierr.KindOf(err)
			_ = apierr.ActionOf(err)
			if e2eLogText(slog.NewJSONHandler, slog.Any("err", err)) == "" {
				t.Errorf("no log output")
			}
		}
	}
}

// Truncated flips exactly past apierr.DefaultMaxBodyBytes.
func TestE2EAlloyTruncationBoundary(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		size      int
		truncated bool
	}{
		{apierr.DefaultMaxBodyBytes - 1, false},
		{apierr.DefaultMaxBodyBytes, false},
		{apierr.DefaultMaxBodyBytes + 1, true},
	} {
		t.Run(strconv.Itoa(tt.size), func(t *testing.T) {
			t.Parallel()
			body := e2eDocBody + strings.Repeat(" ", tt.size-len(e2eDocBody))
			err, _ := e2eFetch(t, e2eReply{status: 401, header: e2eJSON, body: body})
			var e *alloy.Error
			if !errors.As(err, &e) {
				t.Fatalf("FromResponse = %v", err)
			}
			if e.Truncated != tt.truncated {
				t.Errorf("Truncated = %v for %d bytes, want %v", e.Truncated, tt.size, tt.truncated)
			}
			if e.Code != alloy.CodeCredentialsExpired {
				t.Errorf("Code = %v", e.Code)
			}
			if want := min(tt.size, apierr.DefaultMaxBodyBytes); len(e.RawBody()) != want {
				t.Errorf("RawBody() = %d bytes, want %d", len(e.RawBody()), want)
			}
		})
	}
}
