package quivo_test

// End-to-end tests: a loopback server answers as Quivo's documentation says
// Quivo answers (vendor-docs/quivo.txt and extra/quivo.txt): the backend with
// plain strings, AWS API Gateway in front of it with JSON {"message"} or
// {"Message"}. The client reads the response with net/http and classifies it
// with quivo.FromResponse, directly or through apierr.NewTransport. The
// checks every vendor shares are in internal/e2e.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/quivo"
	"github.com/errcat/errcat/internal/e2e"
)

// vendor tells the shared checks about package quivo.
var vendor = &e2e.Vendor[*quivo.Error]{
	Name:         "quivo",
	Const:        quivo.Vendor,
	Path:         "/orders/123",
	Wrap:         "fetching order",
	FromResponse: quivo.FromResponse,
	Parse:        quivo.Parse,
	Policy:       quivo.Policy,
	ClientError:  quivo.ErrClientError,
	ServerError:  quivo.ErrServerError,
	Facts: func(e *quivo.Error) e2e.Facts {
		return e2e.Facts{Status: int(e.Status), StatusKnown: e.Status.Known(), Format: e.Format, Message: e.Message, Truncated: e.Truncated}
	},
	Sentinels: []e2e.Sentinel{
		{Err: quivo.ErrClientError, Is: quivo.IsClientError},
		{Err: quivo.ErrServerError, Is: quivo.IsServerError},
		{Err: quivo.ErrBadRequest, Is: quivo.IsBadRequest},
		{Err: quivo.ErrUnauthorized, Is: quivo.IsUnauthorized},
		{Err: quivo.ErrForbidden, Is: quivo.IsForbidden},
		{Err: quivo.ErrNotFound, Is: quivo.IsNotFound},
		{Err: quivo.ErrMethodNotAllowed, Is: quivo.IsMethodNotAllowed},
		{Err: quivo.ErrRequestEntityTooLarge, Is: quivo.IsRequestEntityTooLarge},
		{Err: quivo.ErrUnsupportedMediaType, Is: quivo.IsUnsupportedMediaType},
		{Err: quivo.ErrTooManyRequests, Is: quivo.IsTooManyRequests},
		{Err: quivo.ErrInternalServerError, Is: quivo.IsInternalServerError},
		{Err: quivo.ErrNotImplemented, Is: quivo.IsNotImplemented},
		{Err: quivo.ErrGatewayTimeout, Is: quivo.IsGatewayTimeout},
	},
}

// e2eWant is what a classified error response must look like.
type e2eWant = e2e.Want[*quivo.Error]

// The catalog's names of Quivo's two body formats: AWS API Gateway's JSON
// {"message"} or {"Message"}, and the backend's plain strings.
const (
	e2eFormatGateway = "gateway"
	e2eFormatBackend = "backend"
)

// e2eIAMDeny is the capitalised-key body AWS API Gateway sends for an
// IAM-authorization deny.
const e2eIAMDeny = `{"Message":"User: arn:aws:sts::123456789012:assumed-role/quivo-client/session is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-central-1:********1234:abcdef1234/prod/GET/orders"}`

func TestE2EQuivoErrors(t *testing.T) {
	t.Parallel()
	vendor.Errors(t, []e2e.Case[*quivo.Error]{
		{
			Name:  "401 gateway expired token",
			Reply: e2e.Reply{Status: 401, Header: e2e.JSON, Body: `{"message":"The incoming token has expired"}`},
			Want: e2eWant{
				Is:          []error{quivo.ErrUnauthorized, quivo.ErrClientError},
				Kind:        apierr.KindUnauthenticated,
				Action:      apierr.ActionReauthenticate,
				Reauth:      true,
				StatusKnown: true,
				Format:      e2eFormatGateway,
				Message:     "The incoming token has expired",
				Text:        "quivo: 401 Unauthorized: The incoming token has expired",
			},
		},
		{
			Name:  "403 IAM deny with capitalised Message",
			Reply: e2e.Reply{Status: 403, Header: e2e.JSON, Body: e2eIAMDeny},
			Want: e2eWant{
				Is:          []error{quivo.ErrForbidden, quivo.ErrClientError},
				Kind:        apierr.KindPermissionDenied,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatGateway,
				Message:     "User: arn:aws:sts::123456789012:assumed-role/quivo-client/session is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-central-1:********1234:abcdef1234/prod/GET/orders",
			},
		},
		{
			Name:  "403 with null message falls back to Message",
			Reply: e2e.Reply{Status: 403, Header: e2e.JSON, Body: `{"message":null,"Message":"Access denied"}`},
			Want: e2eWant{
				Is:          []error{quivo.ErrForbidden, quivo.ErrClientError},
				Kind:        apierr.KindPermissionDenied,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatGateway,
				Message:     "Access denied",
			},
		},
		{
			Name:  "400 backend plain text",
			Reply: e2e.Reply{Status: 400, Header: e2e.Text, Body: "positions: must not be null"},
			Want: e2eWant{
				Is:          []error{quivo.ErrBadRequest, quivo.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatBackend,
				Message:     "positions: must not be null",
				Text:        "quivo: 400 BadRequest: positions: must not be null",
			},
		},
		{
			Name:  "400 gateway bad request body",
			Reply: e2e.Reply{Status: 400, Header: e2e.JSON, Body: `{"message": "Invalid request body"}`},
			Want: e2eWant{
				Is:          []error{quivo.ErrBadRequest, quivo.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatGateway,
				Message:     "Invalid request body",
			},
		},
		{
			Name:  "504 integration timeout",
			Reply: e2e.Reply{Status: 504, Header: e2e.JSON, Body: `{"message": "Endpoint request timed out"}`},
			Want: e2eWant{
				Is:          []error{quivo.ErrGatewayTimeout, quivo.ErrServerError},
				Kind:        apierr.KindTimeout,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: true,
				Format:      e2eFormatGateway,
				Message:     "Endpoint request timed out",
				Text:        "quivo: 504 GatewayTimeout: Endpoint request timed out",
			},
		},
		{
			Name:  "429 throttled",
			Reply: e2e.Reply{Status: 429, Header: e2e.JSON, Body: `{"message":"Too Many Requests"}`},
			Want: e2eWant{
				Is:          []error{quivo.ErrTooManyRequests, quivo.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: true,
				Format:      e2eFormatGateway,
				Message:     "Too Many Requests",
			},
		},
		{
			Name:  "429 quota exceeded",
			Reply: e2e.Reply{Status: 429, Header: e2e.JSON, Body: `{"message":"Limit Exceeded"}`},
			Want: e2eWant{
				Is:          []error{quivo.ErrTooManyRequests, quivo.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: true,
				Format:      e2eFormatGateway,
				Message:     "Limit Exceeded",
			},
		},
		{
			Name:  "413 request too large",
			Reply: e2e.Reply{Status: 413, Header: e2e.JSON, Body: `{"message":"Request Too Long"}`},
			Want: e2eWant{
				Is:          []error{quivo.ErrRequestEntityTooLarge, quivo.ErrClientError},
				Kind:        apierr.KindTooLarge,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatGateway,
				Message:     "Request Too Long",
			},
		},
		{
			Name:  "415 unsupported media type",
			Reply: e2e.Reply{Status: 415, Header: e2e.JSON, Body: `{"message":"Unsupported Media Type"}`},
			Want: e2eWant{
				Is:          []error{quivo.ErrUnsupportedMediaType, quivo.ErrClientError},
				Kind:        apierr.KindUnsupportedMediaType,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatGateway,
				Message:     "Unsupported Media Type",
			},
		},
		{
			Name:  "500 gateway null message",
			Reply: e2e.Reply{Status: 500, Header: e2e.JSON, Body: `{"message": null}`},
			Want: e2eWant{
				Is:          []error{quivo.ErrInternalServerError, quivo.ErrServerError},
				Kind:        apierr.KindInternal,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: true,
				Format:      e2eFormatGateway,
				Text:        "quivo: 500 InternalServerError",
			},
		},
		{
			Name:  "501 is not retried",
			Reply: e2e.Reply{Status: 501, Header: e2e.Text, Body: "Not Implemented"},
			Want: e2eWant{
				Is:          []error{quivo.ErrNotImplemented, quivo.ErrServerError},
				Kind:        apierr.KindNotImplemented,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatBackend,
				Message:     "Not Implemented",
			},
		},
		{
			Name:  "502 undocumented gateway status",
			Reply: e2e.Reply{Status: 502, Header: e2e.JSON, Body: `{"message": "Internal server error"}`},
			Want: e2eWant{
				Is:        []error{quivo.ErrServerError},
				Kind:      apierr.KindInternal,
				Action:    apierr.ActionRetryBackoff,
				Retryable: true,
				Format:    e2eFormatGateway,
				Message:   "Internal server error",
				Text:      "quivo: 502: Internal server error",
			},
		},
		{
			Name:  "405 backend empty body",
			Reply: e2e.Reply{Status: 405},
			Want: e2eWant{
				Is:          []error{quivo.ErrMethodNotAllowed, quivo.ErrClientError},
				Kind:        apierr.KindMethodNotAllowed,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatBackend,
				Text:        "quivo: 405 MethodNotAllowed",
			},
		},
	})
}

func TestE2EQuivoSuccessIsNil(t *testing.T) {
	t.Parallel()
	for _, r := range []e2e.Reply{
		{Status: 200, Header: e2e.JSON, Body: `{"token":"eyJraWQiOi","expiresIn":3600}`},
		{Status: 200, Header: e2e.JSON, Body: `{"message":"looks like an error but is a 200"}`},
		{Status: 204},
	} {
		vendor.Success(t, strconv.Itoa(r.Status), r)
	}
	vendor.NilResponse(t)
}

func TestE2EQuivoLargeBody(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	for _, r := range []e2e.Reply{
		{Status: 400, Header: e2e.Text, Body: strings.Repeat("positions: must not be null; ", size/29+1)},
		{Status: 403, Header: e2e.JSON, Body: e2eIAMDeny + strings.Repeat(" ", size)},
		{Status: 504, Header: e2e.JSON, Body: `{"message":"` + strings.Repeat("ü", size) + `"}`},
	} {
		t.Run(strconv.Itoa(r.Status), func(t *testing.T) {
			t.Parallel()
			e, err := vendor.Large(t, r, 300)
			switch r.Status {
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
	bodies := map[string]string{ // and e2e.GarbageBodies
		"truncated JSON":        `{"message":"The incoming tok`,
		"JSON null":             `null`,
		"JSON array":            `[{"message":"x"}]`,
		"wrong types":           `{"message":{"a":1},"Message":[1]}`,
		"invalid UTF-8 in JSON": "{\"message\":\"bad \xff\xfe utf8\"}",
		"deep nesting":          `{"message":` + strings.Repeat("[", 12000) + strings.Repeat("]", 12000) + "}",
		"newlines":              "positions: must not be null\r\nitems: must not be empty\n\x1b[2J",
	}
	vendor.Garbage(t, bodies, []int{400, 401, 403, 429, 499, 500, 501, 504, 599}, nil, func(t *testing.T, _ int, _ error, e *quivo.Error) {
		if e.Format != e2eFormatGateway && e.Format != e2eFormatBackend {
			t.Errorf("Format = %q: one of the two formats always fits an error status", e.Format)
		}
	})
}

// e2eQuivoServer answers 200 to requests carrying the current session token
// and the gateway's expired-token 401 to every other one.
func e2eQuivoServer(t *testing.T, valid func(string) bool) (*httptest.Server, *atomic.Int32, *sync.Map) {
	t.Helper()
	var hits atomic.Int32
	var seen sync.Map // attempt number -> Authorization header
	srv := e2e.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		auth := r.Header.Get("Authorization")
		seen.Store(n, auth)
		if r.Header.Get("X-Api-Key") != "static-key" || !valid(auth) {
			e2e.Reply{Status: 401, Header: e2e.JSON, Body: `{"message":"The incoming token has expired"}`}.Write(w)
			return
		}
		e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{"orders":[{"id":"123"}]}`}.Write(w)
	}))
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
	client := vendor.Client(
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
	)
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
	client := vendor.Client(
		apierr.WithAuthorize(func(r *http.Request) error { r.Header.Set("X-Api-Key", "static-key"); return nil }),
		apierr.WithReauthenticate(func(context.Context) error { refreshes.Add(1); return nil }),
	)
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
		first    e2e.Reply
		wantHits int32
	}{
		{e2e.Reply{Status: 504, Header: e2e.JSON, Body: `{"message": "Endpoint request timed out"}`}, 2},
		{e2e.Reply{Status: 501, Header: e2e.Text, Body: "Not Implemented"}, 1},
	} {
		t.Run(strconv.Itoa(tt.first.Status), func(t *testing.T) {
			t.Parallel()
			server := &e2e.Sequence{Replies: []e2e.Reply{tt.first, {Status: 200, Body: "ok"}}}
			srv := e2e.Start(t, server)
			resp, err := vendor.Client(apierr.WithBackoff(time.Millisecond, time.Millisecond)).Get(srv.URL)
			if err != nil {
				t.Fatalf("GET: %v", err)
			}
			defer resp.Body.Close()
			if server.Hits.Load() != tt.wantHits {
				t.Errorf("%d requests, want %d", server.Hits.Load(), tt.wantHits)
			}
		})
	}
}
