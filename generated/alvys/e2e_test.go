package alvys_test

// End-to-end tests: a loopback server answers as Alvys's documentation says
// Alvys answers (vendor-docs/alvys.txt and extra/alvys.txt): errors told
// apart by HTTP status only, 5XX bodies as plain strings, no rate-limit
// headers. The client reads the response with net/http and classifies it
// with alvys.FromResponse, directly or through apierr.NewTransport. The
// checks every vendor shares are in internal/e2e.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/alvys"
	"github.com/errcat/errcat/internal/e2e"
)

// vendor tells the shared checks about package alvys.
var vendor = &e2e.Vendor[*alvys.Error]{
	Name:         "alvys",
	Const:        alvys.Vendor,
	Path:         "/api/p/v1/loads/123",
	Wrap:         "fetching load",
	FromResponse: alvys.FromResponse,
	Parse:        alvys.Parse,
	Policy:       alvys.Policy,
	ClientError:  alvys.ErrClientError,
	ServerError:  alvys.ErrServerError,
	Facts: func(e *alvys.Error) e2e.Facts {
		return e2e.Facts{Status: int(e.Status), StatusKnown: e.Status.Known(), Format: e.Format, Message: e.Message, Truncated: e.Truncated}
	},
	Sentinels: []e2e.Sentinel{
		{Err: alvys.ErrClientError, Is: alvys.IsClientError},
		{Err: alvys.ErrServerError, Is: alvys.IsServerError},
		{Err: alvys.ErrBadRequest, Is: alvys.IsBadRequest},
		{Err: alvys.ErrUnauthenticated, Is: alvys.IsUnauthenticated},
		{Err: alvys.ErrPermissionDenied, Is: alvys.IsPermissionDenied},
		{Err: alvys.ErrNotFound, Is: alvys.IsNotFound},
		{Err: alvys.ErrMethodNotAllowed, Is: alvys.IsMethodNotAllowed},
		{Err: alvys.ErrUnsupportedMediaType, Is: alvys.IsUnsupportedMediaType},
		{Err: alvys.ErrTooManyRequests, Is: alvys.IsTooManyRequests},
	},
}

// e2eWant is what a classified error response must look like.
type e2eWant = e2e.Want[*alvys.Error]

// e2eFormatText is the catalog's name of Alvys's only documented body
// format, the 5XX plain string.
const e2eFormatText = "server error text"

func TestE2EAlvysErrors(t *testing.T) {
	t.Parallel()
	vendor.Errors(t, []e2e.Case[*alvys.Error]{
		{
			Name:  "500 plain-text body",
			Reply: e2e.Reply{Status: 500, Header: e2e.Text, Body: "Internal Server Error"},
			Want: e2eWant{
				Is:        []error{alvys.ErrServerError},
				Kind:      apierr.KindInternal,
				Action:    apierr.ActionRetryBackoff,
				Retryable: true,
				Format:    e2eFormatText,
				Message:   "Internal Server Error",
				Text:      "alvys: 500: Internal Server Error",
			},
		},
		{
			Name:  "503 plain-text body with trailing newline",
			Reply: e2e.Reply{Status: 503, Header: e2e.Text, Body: "Service Unavailable\r\n"},
			Want: e2eWant{
				Is:        []error{alvys.ErrServerError},
				Kind:      apierr.KindInternal,
				Action:    apierr.ActionRetryBackoff,
				Retryable: true,
				Format:    e2eFormatText,
				Message:   "Service Unavailable",
				Text:      "alvys: 503: Service Unavailable",
			},
		},
		{
			Name:  "401 expired token",
			Reply: e2e.Reply{Status: 401, Header: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}},
			Want: e2eWant{
				Is:          []error{alvys.ErrUnauthenticated, alvys.ErrClientError},
				Kind:        apierr.KindUnauthenticated,
				Action:      apierr.ActionReauthenticate,
				Reauth:      true,
				StatusKnown: true,
				Text:        "alvys: 401 Unauthenticated",
			},
		},
		{
			Name:  "415 multipart rejected by the token endpoint",
			Reply: e2e.Reply{Status: 415, Header: e2e.Text, Body: "Unsupported Media Type"},
			Want: e2eWant{
				Is:          []error{alvys.ErrUnsupportedMediaType, alvys.ErrClientError},
				Kind:        apierr.KindUnsupportedMediaType,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Message:     "Unsupported Media Type",
				Text:        "alvys: 415 UnsupportedMediaType: Unsupported Media Type",
			},
		},
		{
			Name:  "429 retried by backoff, no delay documented",
			Reply: e2e.Reply{Status: 429, Header: e2e.Text, Body: "Too Many Requests"},
			Want: e2eWant{
				Is:          []error{alvys.ErrTooManyRequests, alvys.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: true,
				Message:     "Too Many Requests",
			},
		},
		{
			Name:  "400 Configuration limit exceeded is still a bad request",
			Reply: e2e.Reply{Status: 400, Header: e2e.Text, Body: "Configuration limit exceeded"},
			Want: e2eWant{
				Is:          []error{alvys.ErrBadRequest, alvys.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Message:     "Configuration limit exceeded",
				Text:        "alvys: 400 BadRequest: Configuration limit exceeded",
			},
		},
		{
			Name:  "400 Configuration limit exceeded as JSON",
			Reply: e2e.Reply{Status: 400, Header: e2e.JSON, Body: `{"message":"Configuration limit exceeded"}`},
			Want: e2eWant{
				Is:          []error{alvys.ErrBadRequest, alvys.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Message:     `{"message":"Configuration limit exceeded"}`, // no 4XX JSON shape is documented
			},
		},
		{
			Name:  "403 missing scope",
			Reply: e2e.Reply{Status: 403, Header: e2e.Text, Body: "Forbidden"},
			Want: e2eWant{
				Is:          []error{alvys.ErrPermissionDenied, alvys.ErrClientError},
				Kind:        apierr.KindPermissionDenied,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Message:     "Forbidden",
			},
		},
		{
			Name:  "404",
			Reply: e2e.Reply{Status: 404},
			Want: e2eWant{
				Is:          []error{alvys.ErrNotFound, alvys.ErrClientError},
				Kind:        apierr.KindNotFound,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Text:        "alvys: 404 NotFound",
			},
		},
		{
			Name:  "405",
			Reply: e2e.Reply{Status: 405, Body: "Method Not Allowed"},
			Want: e2eWant{
				Is:          []error{alvys.ErrMethodNotAllowed, alvys.ErrClientError},
				Kind:        apierr.KindMethodNotAllowed,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Message:     "Method Not Allowed",
			},
		},
		{
			Name:  "422 undocumented client error",
			Reply: e2e.Reply{Status: 422, Body: "Unprocessable"},
			Want: e2eWant{
				Is:      []error{alvys.ErrClientError},
				Kind:    apierr.KindBadRequest,
				Action:  apierr.ActionFixRequest,
				Message: "Unprocessable",
				Text:    "alvys: 422: Unprocessable",
			},
		},
		{
			Name:  "429 with a Retry-After Alvys does not document",
			Reply: e2e.Reply{Status: 429, Header: map[string]string{"Retry-After": "7"}},
			Want: e2eWant{
				Is:          []error{alvys.ErrTooManyRequests, alvys.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: true,
			},
		},
	})
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
	for _, r := range []e2e.Reply{
		{Status: 200, Header: e2e.JSON, Body: `{"access_token":"eyJhbGciOi","expires_in":3600,"token_type":"Bearer"}`},
		{Status: 201, Header: e2e.JSON, Body: `{"id":"L-1"}`},
		{Status: 204},
		{Status: 302, Header: map[string]string{"Location": "/elsewhere-that-does-not-exist"}}, // e2e.Client does not follow it
	} {
		vendor.Success(t, strconv.Itoa(r.Status), r)
	}
	vendor.NilResponse(t)
}

func TestE2EAlvysLargeBody(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	for _, r := range []e2e.Reply{
		{Status: 500, Header: e2e.Text, Body: strings.Repeat("Internal Server Error\n", size/22+1)},
		{Status: 400, Header: e2e.Text, Body: strings.Repeat("€", size)},
	} {
		t.Run(strconv.Itoa(r.Status), func(t *testing.T) {
			t.Parallel()
			vendor.Large(t, r, 300)
		})
	}
}

func TestE2EAlvysGarbageBodies(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{ // and e2e.GarbageBodies
		"truncated JSON": `{"message":"Configuration limit exc`,
		"JSON":           `{"message":"x","code":7}`,
		"deep nesting":   strings.Repeat("[", 30000),
		"newlines":       "line one\r\nline two\n\x1b[2J\u2028x",
	}
	vendor.Garbage(t, bodies, []int{400, 401, 415, 429, 499, 500, 502, 503, 599}, nil, nil)
}

// A 429 is retried with backoff through apierr's transport, and a 401 is
// retried once after the refresh hook got a new token.
func TestE2EAlvysTransport(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	var token atomic.Value
	token.Store("old")
	srv := e2e.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n := hits.Add(1); {
		case n == 1:
			e2e.Reply{Status: 429, Header: e2e.Text, Body: "Too Many Requests"}.Write(w)
		case r.Header.Get("Authorization") != "Bearer new":
			e2e.Reply{Status: 401}.Write(w)
		default:
			e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{"id":"L-1"}`}.Write(w)
		}
	}))
	var refreshes atomic.Int32
	client := vendor.Client(
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
	)
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
