package samsara_test

// End-to-end tests: a loopback server answers as Samsara's documentation says
// Samsara answers (vendor-docs/samsara.txt and extra/samsara.txt): 4XX with a
// JSON {message, requestId}, 5XX with a plain string, 429 with a fractional
// Retry-After. The client reads the response with net/http and classifies it
// with samsara.FromResponse, directly or through apierr.NewTransport. The
// checks every vendor shares are in internal/e2e.

import (
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/samsara"
	"github.com/errcat/errcat/internal/e2e"
)

// vendor tells the shared checks about package samsara.
var vendor = &e2e.Vendor[*samsara.Error]{
	Name:         "samsara",
	Const:        samsara.Vendor,
	Path:         "/fleet/drivers/123",
	Wrap:         "listing drivers",
	FromResponse: samsara.FromResponse,
	Parse:        samsara.Parse,
	Policy:       samsara.Policy,
	ClientError:  samsara.ErrClientError,
	ServerError:  samsara.ErrServerError,
	Facts: func(e *samsara.Error) e2e.Facts {
		return e2e.Facts{Status: int(e.Status), StatusKnown: e.Status.Known(), Format: e.Format, Message: e.Message, Truncated: e.Truncated, RequestID: e.RequestID}
	},
	Sentinels: []e2e.Sentinel{
		{Err: samsara.ErrClientError, Is: samsara.IsClientError},
		{Err: samsara.ErrServerError, Is: samsara.IsServerError},
		{Err: samsara.ErrBadRequest, Is: samsara.IsBadRequest},
		{Err: samsara.ErrUnauthenticated, Is: samsara.IsUnauthenticated},
		{Err: samsara.ErrPermissionDenied, Is: samsara.IsPermissionDenied},
		{Err: samsara.ErrNotFound, Is: samsara.IsNotFound},
		{Err: samsara.ErrMethodNotAllowed, Is: samsara.IsMethodNotAllowed},
		{Err: samsara.ErrTooManyRequests, Is: samsara.IsTooManyRequests},
	},
}

// e2eWant is what a classified error response must look like.
type e2eWant = e2e.Want[*samsara.Error]

// Format names the catalog gives Samsara's two body formats.
const (
	e2eFormatJSON = "standard error response"
	e2eFormatText = "server error text"
)

func TestE2ESamsaraErrors(t *testing.T) {
	t.Parallel()
	vendor.Errors(t, []e2e.Case[*samsara.Error]{
		{
			Name: "404 JSON message and requestId",
			Reply: e2e.Reply{Status: 404, Header: e2e.JSON,
				Body: `{"message":"driver with id 123 not found","requestId":"a1b2c3d4-e5f6-7890-abcd-ef1234567890"}`},
			Want: e2eWant{
				Is:          []error{samsara.ErrNotFound, samsara.ErrClientError},
				Kind:        apierr.KindNotFound,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatJSON,
				Message:     "driver with id 123 not found",
				RequestID:   "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
				Text:        "samsara: 404 NotFound: driver with id 123 not found",
			},
		},
		{
			Name:  "503 plain-text body",
			Reply: e2e.Reply{Status: 503, Header: e2e.Text, Body: "Service Unavailable"},
			Want: e2eWant{
				Is:          []error{samsara.ErrServerError},
				Kind:        apierr.KindInternal,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: false,
				Format:      e2eFormatText,
				Message:     "Service Unavailable",
				Text:        "samsara: 503: Service Unavailable",
			},
		},
		{
			Name:  "500 body that happens to be JSON is still the text format",
			Reply: e2e.Reply{Status: 500, Header: e2e.JSON, Body: `{"message":"internal"}` + "\n"},
			Want: e2eWant{
				Is:        []error{samsara.ErrServerError},
				Kind:      apierr.KindInternal,
				Action:    apierr.ActionRetryBackoff,
				Retryable: true,
				Format:    e2eFormatText,
				Message:   `{"message":"internal"}`,
			},
		},
		{
			Name: "429 with fractional Retry-After",
			Reply: e2e.Reply{Status: 429, Header: map[string]string{"Content-Type": "application/json", "retry-after": "0.40235"},
				Body: `{"message":"Rate limit exceeded","requestId":"r-429"}`},
			Want: e2eWant{
				Is:          []error{samsara.ErrTooManyRequests, samsara.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryAfter,
				Retryable:   true,
				StatusKnown: true,
				Format:      e2eFormatJSON,
				Message:     "Rate limit exceeded",
				RequestID:   "r-429",
				HasDelay:    true,
				Delay:       402350 * time.Microsecond,
			},
		},
		{
			Name:  "429 without Retry-After",
			Reply: e2e.Reply{Status: 429, Header: e2e.JSON, Body: `{"message":"Rate limit exceeded"}`},
			Want: e2eWant{
				Is:          []error{samsara.ErrTooManyRequests, samsara.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryAfter,
				Retryable:   true,
				StatusKnown: true,
				Format:      e2eFormatJSON,
				Message:     "Rate limit exceeded",
			},
		},
		{
			Name:  "429 with a malformed Retry-After",
			Reply: e2e.Reply{Status: 429, Header: map[string]string{"Retry-After": "-1"}},
			Want: e2eWant{
				Is:          []error{samsara.ErrTooManyRequests, samsara.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryAfter,
				Retryable:   true,
				StatusKnown: true,
			},
		},
		{
			Name:  "400 Configuration limit exceeded",
			Reply: e2e.Reply{Status: 400, Header: e2e.JSON, Body: `{"message":"Configuration limit exceeded","requestId":"r-400"}`},
			Want: e2eWant{
				Is:          []error{samsara.ErrBadRequest, samsara.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatJSON,
				Message:     "Configuration limit exceeded",
				RequestID:   "r-400",
				Text:        "samsara: 400 BadRequest: Configuration limit exceeded",
			},
		},
		{
			Name:  "401 invalid API key",
			Reply: e2e.Reply{Status: 401, Header: e2e.JSON, Body: `{"message":"Invalid token","requestId":"r-401"}`},
			Want: e2eWant{
				Is:          []error{samsara.ErrUnauthenticated, samsara.ErrClientError},
				Kind:        apierr.KindUnauthenticated,
				Action:      apierr.ActionFixRequest, // nothing documented beyond "missing or invalid"
				StatusKnown: true,
				Format:      e2eFormatJSON,
				Message:     "Invalid token",
				RequestID:   "r-401",
			},
		},
		{
			Name:  "403 permission denied",
			Reply: e2e.Reply{Status: 403, Header: e2e.JSON, Body: `{"message":"Forbidden","requestId":"r-403"}`},
			Want: e2eWant{
				Is:          []error{samsara.ErrPermissionDenied, samsara.ErrClientError},
				Kind:        apierr.KindPermissionDenied,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatJSON,
				Message:     "Forbidden",
				RequestID:   "r-403",
			},
		},
		{
			Name:  "405 with a text body",
			Reply: e2e.Reply{Status: 405, Header: e2e.Text, Body: "Method Not Allowed\n"},
			Want: e2eWant{
				Is:          []error{samsara.ErrMethodNotAllowed, samsara.ErrClientError},
				Kind:        apierr.KindMethodNotAllowed,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      "",
				Message:     "Method Not Allowed",
			},
		},
		{
			Name:  "409 undocumented 4XX status",
			Reply: e2e.Reply{Status: 409, Header: e2e.JSON, Body: `{"message":"conflict","requestId":"r-409"}`},
			Want: e2eWant{
				Is:        []error{samsara.ErrClientError},
				Kind:      apierr.KindBadRequest,
				Action:    apierr.ActionFixRequest,
				Format:    e2eFormatJSON,
				Message:   "conflict",
				RequestID: "r-409",
				Text:      "samsara: 409: conflict",
			},
		},
		{
			Name:  "504 from the 90 s global timeout",
			Reply: e2e.Reply{Status: 504, Header: e2e.Text, Body: "upstream request timeout"},
			Want: e2eWant{
				Is:        []error{samsara.ErrServerError},
				Kind:      apierr.KindInternal,
				Action:    apierr.ActionRetryBackoff,
				Retryable: true,
				Format:    e2eFormatText,
				Message:   "upstream request timeout",
			},
		},
	})
}

func TestE2ESamsaraSuccessIsNil(t *testing.T) {
	t.Parallel()
	for _, r := range []e2e.Reply{
		{Status: 200, Header: e2e.JSON, Body: `{"data":[{"id":"123","name":"Susan Jones"}],"pagination":{"endCursor":"","hasNextPage":false}}`},
		{Status: 201, Header: e2e.JSON, Body: `{"data":{"id":"124"}}`},
		{Status: 204},
		{Status: 200, Header: e2e.Text, Body: "\xff\xfe garbage"},
	} {
		vendor.Success(t, strconv.Itoa(r.Status), r)
	}
	vendor.NilResponse(t)
}

func TestE2ESamsaraLargeBody(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	for _, r := range []e2e.Reply{
		{Status: 503, Header: e2e.Text, Body: strings.Repeat("Service Unavailable ", size/20)},
		{Status: 404, Header: e2e.JSON, Body: `{"message":"not found","requestId":"r-big"}` + strings.Repeat("\n", size)},
		{Status: 400, Header: e2e.JSON, Body: `{"message":"` + strings.Repeat("é", size) + `"}`},
	} {
		t.Run(strconv.Itoa(r.Status), func(t *testing.T) {
			t.Parallel()
			e, err := vendor.Large(t, r, 300)
			if r.Status == 404 && (e.RequestID != "r-big" || e.Format != e2eFormatJSON) {
				t.Errorf("RequestID %q Format %q, want them read from the prefix", e.RequestID, e.Format)
			}
			if r.Status == 503 && (!errors.Is(err, samsara.ErrServerError) || !apierr.IsRetryable(err)) {
				t.Errorf("%v not a retryable server error", err)
			}
		})
	}
}

func TestE2ESamsaraGarbageBodies(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{ // and e2e.GarbageBodies
		"truncated JSON":        `{"message":"Rate limit exc`,
		"JSON null":             `null`,
		"JSON array":            `[{"message":"x"}]`,
		"wrong types":           `{"message":{"a":1},"requestId":[1,2]}`,
		"number message":        `{"message":404,"requestId":true}`,
		"invalid UTF-8 in JSON": "{\"message\":\"bad \xff\xfe utf8\",\"requestId\":\"\xc3\x28\"}",
		"deep nesting":          `{"message":` + strings.Repeat("[", 12000) + strings.Repeat("]", 12000) + "}",
		"newlines":              "line one\r\nline two\n\x1b[2J",
	}
	garbageRetryAfter := map[string]string{"Retry-After": "garbage"}
	vendor.Garbage(t, bodies, []int{400, 401, 404, 429, 499, 500, 502, 503, 599}, garbageRetryAfter, func(t *testing.T, status int, err error, e *samsara.Error) {
		if status >= 500 && e.Format != e2eFormatText {
			t.Errorf("Format = %q, want %q for every 5XX body", e.Format, e2eFormatText)
		}
		if _, ok := apierr.RetryDelay(err); ok {
			t.Errorf("garbage Retry-After gave a delay")
		}
		if !utf8.ValidString(e.RequestID) {
			t.Errorf("RequestID %q not valid UTF-8", e.RequestID)
		}
	})
}

// Samsara's 5XX is retried with backoff through apierr's transport until
// the 200 arrives.
func TestE2ESamsaraTransportRetries503Text(t *testing.T) {
	t.Parallel()
	unavailable := e2e.Reply{Status: 503, Header: e2e.Text, Body: "Service Unavailable"}
	ok := e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{"data":[{"id":"123"}]}`}
	flaky := &e2e.Sequence{Replies: []e2e.Reply{unavailable, unavailable, ok}}
	srv := e2e.Start(t, flaky)

	var events e2e.Events
	client := vendor.Client(apierr.WithBackoff(time.Millisecond, 2*time.Millisecond), events.Option())
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
	if body, _ := io.ReadAll(resp.Body); string(body) != ok.Body {
		t.Errorf("body %q, want %q", body, ok.Body)
	}
	if n := flaky.Hits.Load(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
	if n := apierr.Attempts(resp); n != 3 {
		t.Errorf("Attempts = %d, want 3", n)
	}
	if d := time.Since(start); d > 10*time.Second { // generous: a loaded CI machine is slow, a fallback to long backoffs is slower
		t.Errorf("took %v with a 2ms backoff ceiling", d)
	}
	got := events.List()
	if len(got) != 2 {
		t.Fatalf("%d retry events, want 2: %+v", len(got), got)
	}
	for i, ev := range got {
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
	limited := e2e.Reply{Status: 429, Header: map[string]string{"Content-Type": "application/json", "Retry-After": "0.02"},
		Body: `{"message":"Rate limit exceeded","requestId":"r1"}`}
	ok := e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{"data":[]}`}
	flaky := &e2e.Sequence{Replies: []e2e.Reply{limited, ok}}
	srv := e2e.Start(t, flaky)

	var events e2e.Events
	client := vendor.Client(events.Option())
	start := time.Now()
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || flaky.Hits.Load() != 2 {
		t.Fatalf("status %d after %d requests, want 200 after 2", resp.StatusCode, flaky.Hits.Load())
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("retried after %v, before the server's 20ms", d)
	}
	if got := events.List(); len(got) != 1 || got[0].Delay != 20*time.Millisecond || !got[0].ServerDelay || got[0].Action != apierr.ActionRetryAfter {
		t.Errorf("events = %+v, want one retry after the server's 20ms", got)
	}
}

// When retries run out the last 503 comes back whole, still classifiable.
func TestE2ESamsaraTransportExhausted(t *testing.T) {
	t.Parallel()
	unavailable := e2e.Reply{Status: 503, Header: e2e.Text, Body: "Service Unavailable"}
	flaky := &e2e.Sequence{Replies: []e2e.Reply{unavailable}}
	srv := e2e.Start(t, flaky)
	client := vendor.Client(apierr.WithMaxAttempts(3), apierr.WithBackoff(time.Millisecond, time.Millisecond))
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	if flaky.Hits.Load() != 3 || apierr.Attempts(resp) != 3 {
		t.Errorf("%d requests, Attempts %d, want 3", flaky.Hits.Load(), apierr.Attempts(resp))
	}
	err = samsara.FromResponse(resp)
	var e *samsara.Error
	if !errors.As(err, &e) || e.Format != e2eFormatText || e.Message != "Service Unavailable" || !apierr.IsRetryable(err) {
		t.Errorf("FromResponse(final) = %#v", err)
	}
	if body, _ := io.ReadAll(resp.Body); string(body) != unavailable.Body {
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
	resp, err := e2e.Client.Get("http://" + ln.Addr().String() + "/fleet/vehicles")
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

// The Rate Limits page's global limits reach the transport's limiter.
func TestE2ESamsaraRateLimits(t *testing.T) {
	got := samsara.Policy().RateLimits
	want := []apierr.RateLimit{
		{Scope: apierr.ScopeToken, Requests: 150, Per: time.Second},
		{Scope: apierr.ScopeOrganization, Requests: 200, Per: time.Second},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Policy().RateLimits = %+v, want %+v", got, want)
	}
}
