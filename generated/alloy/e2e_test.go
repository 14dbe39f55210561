package alloy_test

// End-to-end tests: a loopback server answers as Alloy's documentation says
// Alloy answers (vendor-docs/alloy.txt and extra/alloy.txt), the client reads
// the response with net/http and classifies it with alloy.FromResponse. The
// checks every vendor shares are in internal/e2e.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/generated/alloy/alloytest"
	"github.com/errcat/errcat/internal/e2e"
)

// e2eToken is the bearer token the documented example echoes back in
// error.details.bearer_token; it must never be printed.
const e2eToken = "7GimeNYhwD3fs0xoTtLXdZIox53eSttzrRf71ENA"

// e2eDocBody is the documented error format example, verbatim: the
// catalog's example of 4012, as the test kit answers with it.
var e2eDocBody = e2e.ReplyOf(alloytest.Response(alloy.CodeCredentialsExpired)).Body

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

// vendor tells the shared checks about package alloy.
var vendor = &e2e.Vendor[*alloy.Error]{
	Name:         "alloy",
	Const:        alloy.Vendor,
	Path:         "/v1/evaluations",
	Wrap:         "checking evaluation",
	FromResponse: alloy.FromResponse,
	Parse:        alloy.Parse,
	Policy:       alloy.Policy,
	ClientError:  alloy.ErrClientError,
	ServerError:  alloy.ErrServerError,
	Facts: func(e *alloy.Error) e2e.Facts {
		f := e2e.Facts{Status: int(e.Status), StatusKnown: e.Status.Known(), Format: e.Format, Message: e.Message, Truncated: e.Truncated,
			HasCode: e.HasCode, CodeKnown: e.Code.Known()}
		if e.HasCode {
			f.Code = strconv.FormatInt(int64(e.Code), 10)
		}
		return f
	},
	Sentinels: []e2e.Sentinel{
		{Err: alloy.ErrClientError, Is: alloy.IsClientError},
		{Err: alloy.ErrServerError, Is: alloy.IsServerError},
		{Err: alloy.ErrBadRequest, Is: alloy.IsBadRequest},
		{Err: alloy.ErrUnauthorized, Is: alloy.IsUnauthorized},
		{Err: alloy.ErrForbidden, Is: alloy.IsForbidden},
		{Err: alloy.ErrNotFound, Is: alloy.IsNotFound},
		{Err: alloy.ErrConflict, Is: alloy.IsConflict},
		{Err: alloy.ErrPreconditionFailed, Is: alloy.IsPreconditionFailed},
		{Err: alloy.ErrTeapot, Is: alloy.IsTeapot},
		{Err: alloy.ErrTooManyRequests, Is: alloy.IsTooManyRequests},
		{Err: alloy.ErrInternalServerError, Is: alloy.IsInternalServerError},
		{Err: alloy.ErrServiceUnavailable, Is: alloy.IsServiceUnavailable},
		{Err: alloy.ErrCustomError, Is: alloy.IsCustomError},
		{Err: alloy.ErrHeaderValidationFailure, Is: alloy.IsHeaderValidationFailure},
		{Err: alloy.ErrRequestBodyValidationFailure, Is: alloy.IsRequestBodyValidationFailure},
		{Err: alloy.ErrInvalidRequestBody, Is: alloy.IsInvalidRequestBody},
		{Err: alloy.ErrUnauthorizedGeneral, Is: alloy.IsUnauthorizedGeneral},
		{Err: alloy.ErrCredentialsExpired, Is: alloy.IsCredentialsExpired},
		{Err: alloy.ErrAPIAuthenticationFailure, Is: alloy.IsAPIAuthenticationFailure},
		{Err: alloy.ErrBearerTokenRefreshUnauthorized, Is: alloy.IsBearerTokenRefreshUnauthorized},
		{Err: alloy.ErrProductionModeDisabled, Is: alloy.IsProductionModeDisabled},
		{Err: alloy.ErrEntityTokenNotValid, Is: alloy.IsEntityTokenNotValid},
		{Err: alloy.ErrEnvironmentMismatch, Is: alloy.IsEnvironmentMismatch},
		{Err: alloy.ErrEvaluationNotFound, Is: alloy.IsEvaluationNotFound},
		{Err: alloy.ErrEvaluationAlreadyResolved, Is: alloy.IsEvaluationAlreadyResolved},
		{Err: alloy.ErrAppDisabled, Is: alloy.IsAppDisabled},
		{Err: alloy.ErrTeapotGeneral, Is: alloy.IsTeapotGeneral},
		{Err: alloy.ErrUnhandledServerError, Is: alloy.IsUnhandledServerError},
		{Err: alloy.ErrServicesDisabled, Is: alloy.IsServicesDisabled},
		{Err: alloy.ErrResponseBodyValidationFailure, Is: alloy.IsResponseBodyValidationFailure},
		{Err: alloy.ErrOfflineForMaintenance, Is: alloy.IsOfflineForMaintenance},
	},
	SameDelayTol: time.Second, // the reset header is an epoch: delays depend on the clock, and a loaded machine can stall between the two parses
}

// e2eWant is what a classified error response must look like.
type e2eWant = e2e.Want[*alloy.Error]

// e2eLogMsg is the message of the records the tests log.
const e2eLogMsg = "alloy call failed"

func TestE2EAlloyErrors(t *testing.T) {
	t.Parallel()
	resetAt := time.Now().Add(30 * time.Second).Unix()
	reset := strconv.FormatInt(resetAt, 10)
	vendor.Errors(t, []e2e.Case[*alloy.Error]{
		{
			Name:  "documented envelope 401/4012",
			Reply: e2e.Reply{Status: 401, Header: e2e.JSON, Body: e2eDocBody},
			Want: e2eWant{
				Is:          []error{alloy.ErrCredentialsExpired, alloy.ErrUnauthorized, alloy.ErrClientError},
				Kind:        apierr.KindUnauthenticated,
				Action:      apierr.ActionReauthenticate,
				Reauth:      true,
				Code:        "4012",
				CodeKnown:   true,
				StatusKnown: true,
				Format:      "envelope",
				Message:     "The supplied bearer token has expired.  Please obtain a new one.",
				Text:        "alloy: 401 Unauthorized code 4012 (CredentialsExpired): The supplied bearer token has expired. Please obtain a new one.",
				Check: func(t *testing.T, e *alloy.Error) {
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
			Name: "429 with Retry-After and alloy-ratelimit headers",
			Reply: e2e.Reply{Status: 429, Header: map[string]string{
				"Content-Type":              "application/json",
				"retry-after":               "2",
				"alloy-ratelimit-remaining": "0",
				"alloy-ratelimit-reset":     reset,
				"alloy-ratelimit-limit":     "100",
			}, Body: `{"status_code":429,"error":{"type":"Rate Limit Exceeded","message":"Too many requests"}}`},
			Want: e2eWant{
				Is:          []error{alloy.ErrTooManyRequests, alloy.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryAfter,
				Retryable:   true,
				StatusKnown: true,
				Format:      "envelope",
				Message:     "Too many requests",
				Text:        "alloy: 429 TooManyRequests: Too many requests",
				HasDelay:    true,
				Delay:       2 * time.Second, // Retry-After comes first in the catalog
				Check: func(t *testing.T, e *alloy.Error) {
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
			Name: "429 with only alloy-ratelimit-reset",
			Reply: e2e.Reply{Status: 429, Header: map[string]string{
				"alloy-ratelimit-remaining": "0",
				"alloy-ratelimit-reset":     reset,
			}, Body: "Too Many Requests"},
			Want: e2eWant{
				Is:          []error{alloy.ErrTooManyRequests, alloy.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryAfter,
				Retryable:   true,
				StatusKnown: true,
				Message:     "Too Many Requests",
				HasDelay:    true,
				DelayUntil:  time.Unix(resetAt, 0),
				DelayTol:    2 * time.Second,
			},
		},
		{
			Name: "429 with an invalid Retry-After falls back to the reset header",
			Reply: e2e.Reply{Status: 429, Header: map[string]string{
				"retry-after":           "soon",
				"alloy-ratelimit-reset": reset,
			}},
			Want: e2eWant{
				Is:          []error{alloy.ErrTooManyRequests, alloy.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryAfter,
				Retryable:   true,
				StatusKnown: true,
				HasDelay:    true,
				DelayUntil:  time.Unix(resetAt, 0),
				DelayTol:    2 * time.Second,
			},
		},
		{
			Name:  "429 whose reset lies in the past means retry now",
			Reply: e2e.Reply{Status: 429, Header: map[string]string{"alloy-ratelimit-reset": "1472052254"}},
			Want: e2eWant{
				Is:          []error{alloy.ErrTooManyRequests, alloy.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryAfter,
				Retryable:   true,
				StatusKnown: true,
				HasDelay:    true,
				Delay:       0,
			},
		},
		{
			Name: "503/5031 maintenance",
			Reply: e2e.Reply{Status: 503, Header: e2e.JSON, Body: e2eEnvelope(503, 5031, "Service Unavailable",
				"We're temporarily offline for maintenance.")},
			Want: e2eWant{
				Is:          []error{alloy.ErrOfflineForMaintenance, alloy.ErrServiceUnavailable, alloy.ErrServerError},
				Kind:        apierr.KindUnavailable,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				Code:        "5031",
				CodeKnown:   true,
				StatusKnown: true,
				Format:      "envelope",
				Message:     "We're temporarily offline for maintenance.",
				Text:        "alloy: 503 ServiceUnavailable code 5031 (OfflineForMaintenance): We're temporarily offline for maintenance.",
				Check: func(t *testing.T, e *alloy.Error) {
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
			Name:  "500/5001 services disabled",
			Reply: e2e.Reply{Status: 500, Header: e2e.JSON, Body: e2eEnvelope(500, 5001, "Unhanded Server Error", "Service(s) disabled")},
			Want: e2eWant{
				Is:          []error{alloy.ErrServicesDisabled, alloy.ErrInternalServerError, alloy.ErrServerError},
				Kind:        apierr.KindInternal,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				Code:        "5001",
				CodeKnown:   true,
				StatusKnown: true,
				Format:      "envelope",
				Message:     "Service(s) disabled",
			},
		},
		{
			Name:  "400 with an undocumented minor code 4999",
			Reply: e2e.Reply{Status: 400, Header: e2e.JSON, Body: e2eEnvelope(400, 4999, "Bad Request", "Something new")},
			Want: e2eWant{
				Is:          []error{alloy.ErrBadRequest, alloy.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				Code:        "4999",
				CodeKnown:   false,
				StatusKnown: true,
				Format:      "envelope",
				Message:     "Something new",
				Text:        "alloy: 400 BadRequest code 4999: Something new",
				Check: func(t *testing.T, e *alloy.Error) {
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
			Name:  "undocumented status 451",
			Reply: e2e.Reply{Status: 451, Header: e2e.JSON, Body: e2eEnvelope(451, 4511, "Unavailable For Legal Reasons", "Blocked")},
			Want: e2eWant{
				Is:          []error{alloy.ErrClientError},
				Kind:        apierr.KindBadRequest, // the 4XX class
				Action:      apierr.ActionFixRequest,
				Code:        "4511",
				StatusKnown: false,
				Format:      "envelope",
				Message:     "Blocked",
				Text:        "alloy: 451 code 4511: Blocked",
				Check: func(t *testing.T, e *alloy.Error) {
					if e.Status.String() != "Status(451)" {
						t.Errorf("Status.String() = %q", e.Status)
					}
				},
			},
		},
		{
			Name:  "418/4180 teapot",
			Reply: e2e.Reply{Status: 418, Header: e2e.JSON, Body: e2eEnvelope(418, 4180, "Teapot", "I'm a teapot")},
			Want: e2eWant{
				Is:          []error{alloy.ErrTeapotGeneral, alloy.ErrTeapot, alloy.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				Code:        "4180",
				CodeKnown:   true,
				StatusKnown: true,
				Format:      "envelope",
				Message:     "I'm a teapot",
			},
		},
		{
			Name:  "401/4011 is not a reauthentication",
			Reply: e2e.Reply{Status: 401, Header: e2e.JSON, Body: e2eEnvelope(401, 4011, "Unauthorized", "Unauthorized")},
			Want: e2eWant{
				Is:          []error{alloy.ErrUnauthorizedGeneral, alloy.ErrUnauthorized, alloy.ErrClientError},
				Kind:        apierr.KindUnauthenticated,
				Action:      apierr.ActionFixRequest,
				Code:        "4011",
				CodeKnown:   true,
				StatusKnown: true,
				Format:      "envelope",
				Message:     "Unauthorized",
			},
		},
		{
			Name:  "404/4041 evaluation not found",
			Reply: e2e.Reply{Status: 404, Header: e2e.JSON, Body: e2eEnvelope(404, 4041, "Not Found", "Evaluation Not Found")},
			Want: e2eWant{
				Is:          []error{alloy.ErrEvaluationNotFound, alloy.ErrNotFound, alloy.ErrClientError},
				Kind:        apierr.KindNotFound,
				Action:      apierr.ActionFixRequest,
				Code:        "4041",
				CodeKnown:   true,
				StatusKnown: true,
				Format:      "envelope",
				Message:     "Evaluation Not Found",
			},
		},
		{
			Name: "502 HTML page from a proxy",
			Reply: e2e.Reply{Status: 502, Header: map[string]string{"Content-Type": "text/html"},
				Body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"},
			Want: e2eWant{
				Is:          []error{alloy.ErrServerError},
				Kind:        apierr.KindInternal,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: false,
				Format:      "",
				Message:     "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>",
				Text:        "alloy: 502: <html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> </body> </html>",
			},
		},
		{
			Name:  "401 without a body",
			Reply: e2e.Reply{Status: 401},
			Want: e2eWant{
				Is:          []error{alloy.ErrUnauthorized, alloy.ErrClientError},
				Kind:        apierr.KindUnauthenticated,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Text:        "alloy: 401 Unauthorized",
			},
		},
		{
			Name:  "control characters in the message stay on one line",
			Reply: e2e.Reply{Status: 400, Header: e2e.JSON, Body: `{"status_code":400,"error":{"minor_code":4002,"message":"line one\nline two\r\n\u001b[31mred\u0000"}}`},
			Want: e2eWant{
				Is:          []error{alloy.ErrRequestBodyValidationFailure, alloy.ErrBadRequest, alloy.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				Code:        "4002",
				CodeKnown:   true,
				StatusKnown: true,
				Format:      "envelope",
				Message:     "line one\nline two\r\n\x1b[31mred\x00",
				Text:        "alloy: 400 BadRequest code 4002 (RequestBodyValidationFailure): line one line two [31mred",
			},
		},
	})
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
			r := e2e.ReplyOf(alloytest.Response(c, alloytest.WithMessage(c.Description())))
			e, err := vendor.FetchError(t, r)
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
	e, err := vendor.FetchError(t, e2e.Reply{Status: 401, Header: e2e.JSON, Body: e2eDocBody})
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
		"slog JSON":          e2e.LogText(slog.NewJSONHandler, e2eLogMsg, slog.Any("err", err), slog.Any("details", e.Details), slog.Any("e", e)),
		"slog text":          e2e.LogText(slog.NewTextHandler, e2eLogMsg, slog.Any("err", err), slog.Any("details", e.Details), slog.Any("e", e)),
		"slog JSON value":    e2e.LogText(slog.NewJSONHandler, e2eLogMsg, slog.Any("e", *e)),
		"slog JSON wrapped":  e2e.LogText(slog.NewJSONHandler, e2eLogMsg, slog.Any("err", fmt.Errorf("x: %w", err))),
		"json.Marshal err":   e2e.Marshal(t, err),
		"json.Marshal Dtls":  e2e.Marshal(t, e.Details),
		"json.Marshal token": e2e.Marshal(t, secret),
	}
	for name, out := range printed {
		if e2e.Leaks(out, e2eToken) {
			t.Errorf("%s leaks the bearer token: %s", name, out)
		}
	}
	for _, name := range []string{"fmt Details", "fmt secret", "slog JSON", "slog text", "json.Marshal Dtls", "json.Marshal token"} {
		if !strings.Contains(printed[name], apierr.Redacted) {
			t.Errorf("%s does not show %s where the token was: %s", name, apierr.Redacted, printed[name])
		}
	}
	// The typed facts are in the log; the free-form details are not.
	rec := vendor.LogJSON(t, slog.Any("err", err))
	g, _ := rec["err"].(map[string]any)
	if g["error_token"] != "54ae20da-a2d3-47a1-ac29-f9b7569ca652" || g["code"] != "4012" || g["error_type"] != "API Authentication Failure" {
		t.Errorf("slog group = %v", g)
	}
	if _, has := g["details"]; has {
		t.Errorf("slog group logs the free-form details: %v", g)
	}
}

// Printing the Error struct by value (fmt.Printf("%+v", *e), slog's text
// handler given *e) bypasses the pointer's Error, GoString and LogValue
// methods and prints every field, the unexported raw body included.
func TestE2EAlloySecretNotInStructValueDump(t *testing.T) {
	t.Parallel()
	e, _ := vendor.FetchError(t, e2e.Reply{Status: 401, Header: e2e.JSON, Body: e2eDocBody})
	for name, out := range map[string]string{
		"%v":        fmt.Sprintf("%v", *e),
		"%+v":       fmt.Sprintf("%+v", *e),
		"%#v":       fmt.Sprintf("%#v", *e),
		"slog text": e2e.LogText(slog.NewTextHandler, e2eLogMsg, slog.Any("e", *e)),
	} {
		if e2e.Leaks(out, e2eToken) {
			t.Errorf("BUG: printing alloy.Error by value with %s shows the raw body, bearer token included (as a byte list): %.200s...", name, out)
		}
	}
}

func TestE2EAlloySuccessIsNil(t *testing.T) {
	t.Parallel()
	tests := []e2e.Reply{
		{Status: 200, Header: e2e.JSON, Body: `{"status_code":200,"evaluation_token":"S-abc123","summary":{"result":"success","outcome":"Approved"}}`},
		{Status: 201, Header: e2e.JSON, Body: `{"status_code":201,"entity_token":"P-xyz789"}`},
		{Status: 202, Header: e2e.JSON, Body: `{"status_code":202,"evaluation_token":"S-abc123"}`},
		{Status: 206, Header: e2e.JSON, Body: `{"status_code":206,"evaluation_token":"S-abc123","warnings":{"blocked_actions":[]}}`},
		{Status: 204},
		{Status: 200, Body: "not json at all \xff"},
	}
	for _, r := range tests {
		vendor.Success(t, strconv.Itoa(r.Status), r)
	}
}

func TestE2EAlloyNilResponse(t *testing.T) {
	t.Parallel()
	vendor.NilResponse(t)
}

// A body far above the read limit is classified from its prefix, flagged as
// truncated, and still served whole to the caller.
func TestE2EAlloyLargeBody(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	tests := []struct {
		name     string
		r        e2e.Reply
		wantCode bool
	}{
		{"envelope then a MiB of white space", e2e.Reply{Status: 401, Header: e2e.JSON,
			Body: e2eDocBody + strings.Repeat(" ", size)}, true},
		{"a MiB of text", e2e.Reply{Status: 500, Body: strings.Repeat("A", size)}, false},
		{"a MiB message inside JSON", e2e.Reply{Status: 400, Header: e2e.JSON,
			Body: `{"status_code":400,"error":{"minor_code":4002,"message":"` + strings.Repeat("x", size) + `"}}`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := vendor.Large(t, tt.r, 300)
			if tt.wantCode && (e.Code != alloy.CodeCredentialsExpired || !errors.Is(err, alloy.ErrCredentialsExpired)) {
				t.Errorf("Code = %v, want 4012 read from the prefix", e.Code)
			}
			if !errors.Is(err, map[int]error{400: alloy.ErrBadRequest, 401: alloy.ErrUnauthorized, 500: alloy.ErrInternalServerError}[tt.r.Status]) {
				t.Errorf("%v does not match its status sentinel", err)
			}
		})
	}
	t.Run("FromResponseLimit", func(t *testing.T) {
		t.Parallel()
		r := e2e.Reply{Status: 401, Header: e2e.JSON, Body: e2eDocBody}
		resp := vendor.Serve(t, r)
		err := alloy.FromResponseLimit(resp, 16)
		var e *alloy.Error
		if !errors.As(err, &e) || !e.Truncated || len(e.RawBody()) != 16 {
			t.Fatalf("FromResponseLimit(16) = %v, want a truncated *alloy.Error of 16 bytes", err)
		}
		if got, _ := io.ReadAll(resp.Body); string(got) != r.Body {
			t.Errorf("body after FromResponseLimit: %q", got)
		}
	})
}

// Whatever the server sends, an error status yields a typed error, never a
// panic, and Parse agrees with FromResponse.
func TestE2EAlloyGarbageBodies(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{ // and e2e.GarbageBodies
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
		// Secrets where no path of the catalog points: redacted by name or,
		// where the body cannot be decoded as an object, withheld.
		"token at undocumented places": `{"error":{"minor_code":4012,"details":{"session":{"bearer_token":"` + e2eToken + `"}}},"bearer_token":"` + e2eToken + `","list":[{"bearer_token":"` + e2eToken + `"}]}`,
		"token in a JSON array":        `[{"error":{"details":{"bearer_token":"` + e2eToken + `"}}}]`,
		"token in text around JSON":    `upstream said: {"error":{"details":{"bearer_token":"` + e2eToken + `"}}}`,
		"token after a BOM":            "\ufeff" + `{"error":{"minor_code":4012,"details":{"bearer_token":"` + e2eToken + `"}}}`,
		"white space":                  " \n\t ",
	}
	statuses := []int{400, 401, 418, 429, 451, 500, 503, 599}
	vendor.Garbage(t, bodies, statuses, e2e.JSON, func(t *testing.T, _ int, err error, e *alloy.Error) {
		asJSON, _ := json.Marshal(e)
		if strings.Contains(fmt.Sprintf("%v %+v %#v %+v %s", err, err, err, e.Details, asJSON)+e2e.LogText(slog.NewJSONHandler, e2eLogMsg, slog.Any("err", err)), e2eToken) {
			t.Errorf("token printed")
		}
	})
}

// A byte order mark before the envelope, which encoding/json refuses, does
// not cost the code: 4012 still asks for new credentials.
func TestE2EAlloyBOMKeepsTheCode(t *testing.T) {
	t.Parallel()
	err := alloy.Parse(401, nil, append([]byte("\ufeff"), e2eDocBody...))
	if !alloy.IsCredentialsExpired(err) || !apierr.NeedsReauth(err) {
		t.Errorf("Parse(BOM + envelope) = %v, want credentials expired (4012)", err)
	}
}

// Parse never panics whatever the status, the header or the body.
func TestE2EAlloyParseOddStatuses(t *testing.T) {
	t.Parallel()
	for _, status := range []int{-1, 0, 99, 100, 199, 300, 399, 400, 599, 600, 999, 1 << 30} {
		err := alloy.Parse(status, nil, []byte(e2eDocBody))
		// Only a real success status reads as success; a status that is no
		// HTTP status at all (below 100) is an error too.
		if (err != nil) != (status >= 400 || status < 100) {
			t.Errorf("Parse(%d) = %v", status, err)
		}
		if err != nil {
			// The envelope matches no format at these statuses: its text is
			// the message, and must still hide the bearer token.
			if out := err.Error() + fmt.Sprintf("%v %+v %#v", err, err, err); e2e.Leaks(out, e2eToken) {
				t.Errorf("Parse(%d) leaks the bearer token: %s", status, out)
			}
			_ = apierr.KindOf(err)
			_ = apierr.ActionOf(err)
			if e2e.LogText(slog.NewJSONHandler, e2eLogMsg, slog.Any("err", err)) == "" {
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
			e, _ := vendor.FetchError(t, e2e.Reply{Status: 401, Header: e2e.JSON, Body: body})
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

// A body no format reads (malformed JSON, or the envelope at a status the
// format does not cover) becomes the message: re-encoded with the bearer
// token redacted, never as sent.
func TestE2EAlloyUnreadBodyNeverLeaksToken(t *testing.T) {
	t.Parallel()
	broken := strings.Replace(e2eDocBody, `"error_token"`, `,"error_token"`, 1) // invalid JSON
	for _, c := range []struct {
		status int
		body   string
	}{{401, broken}, {600, e2eDocBody}, {302, e2eDocBody}, {400, e2eDocBody[:len(e2eDocBody)/2]}} {
		err := alloy.Parse(c.status, nil, []byte(c.body))
		if err == nil {
			if c.status < 400 && c.status >= 100 {
				continue
			}
			t.Fatalf("Parse(%d) = nil", c.status)
		}
		var buf strings.Builder
		slog.New(slog.NewJSONHandler(&buf, nil)).Error("x", "err", err)
		out := err.Error() + fmt.Sprintf("%v %+v %#v", err, err, err) + buf.String()
		if e2e.Leaks(out, e2eToken) {
			t.Errorf("status %d: token printed: %s", c.status, out)
		}
	}
}
