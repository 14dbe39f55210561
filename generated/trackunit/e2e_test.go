package trackunit_test

// End-to-end tests: a loopback server answers as Trackunit's documentation
// says Trackunit answers (vendor-docs/trackunit.txt and extra/trackunit.txt):
// REST errors as a JSON object with a snake_case code and optional
// violations, GraphQL errors inside HTTP 200 with errors[].extensions.code and
// a resetIn in milliseconds. The client reads the response with net/http and
// classifies it with trackunit.FromResponse, directly or through
// apierr.NewTransport. The checks every vendor shares are in internal/e2e.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/trackunit"
	"github.com/errcat/errcat/generated/trackunit/trackunittest"
	"github.com/errcat/errcat/internal/e2e"
)

// vendor tells the shared checks about package trackunit.
var vendor = &e2e.Vendor[*trackunit.Error]{
	Name:         "trackunit",
	Const:        trackunit.Vendor,
	Path:         "/public/api/assets",
	Wrap:         "querying assets",
	FromResponse: trackunit.FromResponse,
	Parse:        trackunit.Parse,
	Policy:       trackunit.Policy,
	ClientError:  trackunit.ErrClientError,
	ServerError:  trackunit.ErrServerError,
	Facts: func(e *trackunit.Error) e2e.Facts {
		return e2e.Facts{Status: int(e.Status), StatusKnown: e.Status.Known(), Format: e.Format, Message: e.Message, Truncated: e.Truncated,
			HasCode: e.HasCode, Code: string(e.Code), CodeKnown: e.Code.Known()}
	},
	Sentinels: []e2e.Sentinel{
		{Err: trackunit.ErrSuccess, Is: trackunit.IsSuccess},
		{Err: trackunit.ErrClientError, Is: trackunit.IsClientError},
		{Err: trackunit.ErrServerError, Is: trackunit.IsServerError},
		{Err: trackunit.ErrOK, Is: trackunit.IsOK},
		{Err: trackunit.ErrBadRequest, Is: trackunit.IsBadRequest},
		{Err: trackunit.ErrUnauthorized, Is: trackunit.IsUnauthorized},
		{Err: trackunit.ErrForbidden, Is: trackunit.IsForbidden},
		{Err: trackunit.ErrNotFound, Is: trackunit.IsNotFound},
		{Err: trackunit.ErrTooManyRequests, Is: trackunit.IsTooManyRequests},
		{Err: trackunit.ErrInternalServerError, Is: trackunit.IsInternalServerError},
		{Err: trackunit.ErrExactlyOneTelematicsDeviceIsRequired, Is: trackunit.IsExactlyOneTelematicsDeviceIsRequired},
		{Err: trackunit.ErrConstraintViolation, Is: trackunit.IsConstraintViolation},
		{Err: trackunit.ErrQueryComplexityReached, Is: trackunit.IsQueryComplexityReached},
		{Err: trackunit.ErrRateLimited, Is: trackunit.IsRateLimited},
	},
}

// e2eWant is what a classified error response must look like.
type e2eWant = e2e.Want[*trackunit.Error]

// The catalog's names of Trackunit's two body formats.
const (
	e2eFormatREST    = "rest"
	e2eFormatGraphQL = "graphql"
)

// Documented bodies, verbatim (the REST examples without their callout
// markers): the catalog's examples, as the test kit answers with them.
var (
	e2eConstraintViolation = e2e.ReplyOf(trackunittest.Response(trackunit.CodeConstraintViolation)).Body
	e2eExactlyOneDevice    = e2e.ReplyOf(trackunittest.Response(trackunit.CodeExactlyOneTelematicsDeviceIsRequired)).Body
	e2eRateLimited         = e2e.ReplyOf(trackunittest.Response(trackunit.CodeRateLimited)).Body
	e2eTooComplex          = e2e.ReplyOf(trackunittest.Response(trackunit.CodeQueryComplexityReached)).Body
)

const (
	e2eRateLimitedMsg    = "The rate limit has been exceeded given the current estimated query complexity of 49011. Please wait 9 minutes, 46 seconds, 351 milliseconds before retrying."
	e2eTooComplexMessage = "The query is too complex. The estimated complexity of the query is 480011, which is greater than the maximum allowed complexity limit of 50000."
)

func TestE2ETrackunitErrors(t *testing.T) {
	t.Parallel()
	vendor.Errors(t, []e2e.Case[*trackunit.Error]{
		{
			Name:  "400 constraint_violation with violations",
			Reply: e2e.Reply{Status: 400, Header: e2e.JSON, Body: e2eConstraintViolation},
			Want: e2eWant{
				Is:          []error{trackunit.ErrConstraintViolation, trackunit.ErrBadRequest, trackunit.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatREST,
				Message:     "Constraint violation",
				Code:        "constraint_violation",
				CodeKnown:   true,
				Text:        "trackunit: 400 BadRequest code constraint_violation (ConstraintViolation): Constraint violation",
				Check: func(t *testing.T, e *trackunit.Error) {
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
			Name:  "400 exactly_one_telematics_device_is_required",
			Reply: e2e.Reply{Status: 400, Header: e2e.JSON, Body: e2eExactlyOneDevice},
			Want: e2eWant{
				Is:          []error{trackunit.ErrExactlyOneTelematicsDeviceIsRequired, trackunit.ErrBadRequest, trackunit.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatREST,
				Message:     "Exactly one telematics device is required to onboard an asset. The request was missing a telematics device or had more then one telematics device.",
				Code:        "exactly_one_telematics_device_is_required",
				CodeKnown:   true,
				Check: func(t *testing.T, e *trackunit.Error) {
					if len(e.Violations) != 0 || e.StatusCode != 400 {
						t.Errorf("Violations %v StatusCode %d", e.Violations, e.StatusCode)
					}
				},
			},
		},
		{
			Name:  "GraphQL 200 RATE_LIMITED",
			Reply: e2e.Reply{Status: 200, Header: e2e.JSON, Body: e2eRateLimited},
			Want: e2eWant{
				// Status 200's sentinels match too: the generated docs say so.
				Is:          []error{trackunit.ErrRateLimited, trackunit.ErrOK, trackunit.ErrSuccess},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryAfter,
				Retryable:   true,
				StatusKnown: true,
				Format:      e2eFormatGraphQL,
				Message:     e2eRateLimitedMsg,
				Code:        "RATE_LIMITED",
				CodeKnown:   true,
				HasDelay:    true,
				Delay:       586351 * time.Millisecond,
				Text:        "trackunit: 200 OK code RATE_LIMITED (RateLimited): " + e2eRateLimitedMsg,
				Check: func(t *testing.T, e *trackunit.Error) {
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
			Name:  "GraphQL 200 QUERY_COMPLEXITY_REACHED",
			Reply: e2e.Reply{Status: 200, Header: e2e.JSON, Body: e2eTooComplex},
			Want: e2eWant{
				Is:          []error{trackunit.ErrQueryComplexityReached, trackunit.ErrOK, trackunit.ErrSuccess},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				Retryable:   false,
				StatusKnown: true,
				Format:      e2eFormatGraphQL,
				Message:     e2eTooComplexMessage,
				Code:        "QUERY_COMPLEXITY_REACHED",
				CodeKnown:   true,
				Check: func(t *testing.T, e *trackunit.Error) {
					if e.Path != nil {
						t.Errorf("Path = %#v, want nil: the documented example has none", e.Path)
					}
				},
			},
		},
		{
			Name: "GraphQL 200 RATE_LIMITED first of several errors, with partial data",
			Reply: e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{"errors":[` +
				`{"message":"rate limited","path":["assets"],"extensions":{"code":"RATE_LIMITED","cost":10,"resetIn":1500}},` +
				`{"message":"The query is too complex.","extensions":{"code":"QUERY_COMPLEXITY_REACHED"}}],` +
				`"data":{"assets":null,"account":{"id":"a-1"}}}`},
			Want: e2eWant{
				Is:          []error{trackunit.ErrRateLimited, trackunit.ErrOK, trackunit.ErrSuccess},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryAfter,
				Retryable:   true,
				StatusKnown: true,
				Format:      e2eFormatGraphQL,
				Message:     "rate limited",
				Code:        "RATE_LIMITED",
				CodeKnown:   true,
				HasDelay:    true,
				Delay:       1500 * time.Millisecond,
				Check: func(t *testing.T, e *trackunit.Error) {
					// The path's shape is not documented: it is kept as sent.
					if !reflect.DeepEqual(e.Path, []any{"assets"}) {
						t.Errorf("Path = %#v, want [assets]", e.Path)
					}
				},
			},
		},
		{
			Name:  "429 REST with an undocumented code falls back to the status",
			Reply: e2e.Reply{Status: 429, Header: e2e.JSON, Body: `{"status":429,"code":"too_many_requests","message":"Rate limit exceeded"}`},
			Want: e2eWant{
				Is:          []error{trackunit.ErrTooManyRequests, trackunit.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: true,
				Format:      e2eFormatREST,
				Message:     "Rate limit exceeded",
				Code:        "too_many_requests",
				CodeKnown:   false,
				Text:        "trackunit: 429 TooManyRequests code too_many_requests: Rate limit exceeded",
			},
		},
		{
			Name:  "429 without a body",
			Reply: e2e.Reply{Status: 429},
			Want: e2eWant{
				Is:          []error{trackunit.ErrTooManyRequests, trackunit.ErrClientError},
				Kind:        apierr.KindRateLimited,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: true,
				Text:        "trackunit: 429 TooManyRequests",
			},
		},
		{
			Name:  "401 expired access token",
			Reply: e2e.Reply{Status: 401, Header: e2e.JSON, Body: `{"status":401,"code":"unauthorized","message":"Jwt is expired"}`},
			Want: e2eWant{
				Is:          []error{trackunit.ErrUnauthorized, trackunit.ErrClientError},
				Kind:        apierr.KindUnauthenticated,
				Action:      apierr.ActionReauthenticate,
				Reauth:      true,
				StatusKnown: true,
				Format:      e2eFormatREST,
				Message:     "Jwt is expired",
				Code:        "unauthorized",
			},
		},
		{
			Name:  "403",
			Reply: e2e.Reply{Status: 403, Header: e2e.JSON, Body: `{"status":403,"code":"forbidden","message":"Insufficient scope"}`},
			Want: e2eWant{
				Is:          []error{trackunit.ErrForbidden, trackunit.ErrClientError},
				Kind:        apierr.KindPermissionDenied,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatREST,
				Message:     "Insufficient scope",
				Code:        "forbidden",
			},
		},
		{
			Name:  "404 without code",
			Reply: e2e.Reply{Status: 404, Header: e2e.JSON, Body: `{"status":404,"message":"Group not found"}`},
			Want: e2eWant{
				Is:          []error{trackunit.ErrNotFound, trackunit.ErrClientError},
				Kind:        apierr.KindNotFound,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatREST,
				Message:     "Group not found",
				Text:        "trackunit: 404 NotFound: Group not found",
			},
		},
		{
			Name:  "500 REST",
			Reply: e2e.Reply{Status: 500, Header: e2e.JSON, Body: `{"status":500,"code":"internal_error","message":"Unexpected error"}`},
			Want: e2eWant{
				Is:          []error{trackunit.ErrInternalServerError, trackunit.ErrServerError},
				Kind:        apierr.KindInternal,
				Action:      apierr.ActionRetryBackoff,
				Retryable:   true,
				StatusKnown: true,
				Format:      e2eFormatREST,
				Message:     "Unexpected error",
				Code:        "internal_error",
			},
		},
		{
			Name:  "502 text from a load balancer",
			Reply: e2e.Reply{Status: 502, Header: map[string]string{"Content-Type": "text/html"}, Body: "<html><body><h1>502 Bad Gateway</h1></body></html>\n"},
			Want: e2eWant{
				Is:        []error{trackunit.ErrServerError},
				Kind:      apierr.KindInternal,
				Action:    apierr.ActionRetryBackoff,
				Retryable: true,
				Message:   "<html><body><h1>502 Bad Gateway</h1></body></html>",
				Text:      "trackunit: 502: <html><body><h1>502 Bad Gateway</h1></body></html>",
			},
		},
		{
			Name: "400 constraint_violation with odd violations",
			Reply: e2e.Reply{Status: 400, Header: e2e.JSON, Body: `{"violations":[{"field":"name"},"not an object",null,` +
				`{"field":"serialNumber","message":"must match \"^[A-Z0-9]+$\""}],"message":"Constraint violation","status":400,"code":"constraint_violation"}`},
			Want: e2eWant{
				Is:          []error{trackunit.ErrConstraintViolation, trackunit.ErrBadRequest, trackunit.ErrClientError},
				Kind:        apierr.KindBadRequest,
				Action:      apierr.ActionFixRequest,
				StatusKnown: true,
				Format:      e2eFormatREST,
				Message:     "Constraint violation",
				Code:        "constraint_violation",
				CodeKnown:   true,
				Check: func(t *testing.T, e *trackunit.Error) {
					want := []trackunit.Violation{{Field: "name"}, {Field: "serialNumber", Message: `must match "^[A-Z0-9]+$"`}}
					if !reflect.DeepEqual(e.Violations, want) {
						t.Errorf("Violations = %+v, want %+v", e.Violations, want)
					}
				},
			},
		},
	})
}

func TestE2ETrackunitSuccessIsNil(t *testing.T) {
	t.Parallel()
	for name, r := range map[string]e2e.Reply{
		"GraphQL data":         {Status: 200, Header: e2e.JSON, Body: `{"data":{"assets":{"edges":[{"node":{"id":"a-1","name":"Excavator"}}]}}}`},
		"GraphQL empty errors": {Status: 200, Header: e2e.JSON, Body: `{"data":{"assets":null},"errors":[]}`},
		"GraphQL null errors":  {Status: 200, Header: e2e.JSON, Body: `{"data":{"assets":null},"errors":null}`},
		"REST group":           {Status: 200, Header: e2e.JSON, Body: `{"id":"g-1","name":"Fleet A"}`},
		"REST list":            {Status: 200, Header: e2e.JSON, Body: `[{"id":"g-1"}]`},
		"text":                 {Status: 200, Header: e2e.Text, Body: "OK"},
		"created":              {Status: 201, Header: e2e.JSON, Body: `{"id":"g-2","errors":[{"message":"ignored on 201"}]}`},
		"no content":           {Status: 204},
	} {
		vendor.Success(t, name, r)
	}
	vendor.NilResponse(t)
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
			_, err := vendor.Fetch(t, e2e.Reply{Status: 200, Header: e2e.JSON, Body: body})
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
	r := e2e.Reply{Status: 200, Header: e2e.JSON, Body: body}
	resp, err := vendor.Fetch(t, r)
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
	for _, r := range []e2e.Reply{
		{Status: 400, Header: e2e.JSON, Body: e2eConstraintViolation + strings.Repeat(" ", size)},
		{Status: 500, Header: e2e.Text, Body: strings.Repeat("Internal Server Error ", size/22+1)},
		{Status: 400, Header: e2e.JSON, Body: `{"violations":[` + strings.Repeat(`{"field":"name","message":"must not be empty"},`, size/48) +
			`{"field":"x"}],"message":"Constraint violation","status":400,"code":"constraint_violation"}`},
		{Status: 200, Header: e2e.JSON, Body: `{"data":{"assets":"` + strings.Repeat("x", size) + `"}}`},
	} {
		t.Run(strconv.Itoa(r.Status), func(t *testing.T) {
			t.Parallel()
			if r.Status == 200 {
				if _, err := vendor.Fetch(t, r); err != nil {
					t.Errorf("FromResponse(200, large data) = %v, want nil", err)
				}
				return
			}
			vendor.Large(t, r, 400)
		})
	}
}

func TestE2ETrackunitGarbageBodies(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{ // and e2e.GarbageBodies
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
	}
	vendor.Garbage(t, bodies, []int{200, 400, 401, 404, 429, 499, 500, 503, 599}, nil, func(t *testing.T, _ int, _ error, e *trackunit.Error) {
		if !utf8.ValidString(string(e.Code)) {
			t.Errorf("Code %q not valid UTF-8", e.Code)
		}
		if d, ok := e.RetryDelay(); ok && d < 0 {
			t.Errorf("negative RetryDelay %v", d)
		}
	})
}

// The GraphQL RATE_LIMITED answer carries its delay in the body; the
// transport waits that long before repeating the (POST) query, when told
// repeating POSTs is safe, and never sleeps for the documented ten minutes.
func TestE2ETrackunitTransportGraphQLRateLimit(t *testing.T) {
	t.Parallel()
	const query = `{"query":"{ assets { edges { node { id } } } }"}`
	shortLimit := e2e.Reply{Status: 200, Header: e2e.JSON,
		Body: `{"errors":[{"message":"rate limited","extensions":{"code":"RATE_LIMITED","cost":10,"resetIn":15}}]}`}
	data := e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{"data":{"assets":{"edges":[]}}}`}
	post := func(t *testing.T, url string, opts ...apierr.Option) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(query))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := vendor.Client(opts...).Do(req)
		if err != nil {
			t.Fatalf("POST: %v", err)
		}
		t.Cleanup(func() { _ = resp.Body.Close() })
		return resp
	}

	t.Run("retried after resetIn", func(t *testing.T) {
		t.Parallel()
		g := &e2e.Sequence{Replies: []e2e.Reply{shortLimit, data}}
		srv := e2e.Start(t, g)
		var recorded e2e.Events
		start := time.Now()
		resp := post(t, srv.URL+"/graphql", apierr.WithRetryNonIdempotent(true), recorded.Option())
		if err := trackunit.FromResponse(resp); err != nil {
			t.Errorf("FromResponse(final) = %v, want the data answer", err)
		}
		if b, _ := io.ReadAll(resp.Body); string(b) != data.Body {
			t.Errorf("final body %q", b)
		}
		if time.Since(start) < 15*time.Millisecond {
			t.Errorf("retried before resetIn elapsed")
		}
		if events := recorded.List(); len(events) != 1 || events[0].Delay != 15*time.Millisecond || !events[0].ServerDelay ||
			events[0].Code != "RATE_LIMITED" || events[0].Status != 200 || events[0].Method != http.MethodPost {
			t.Errorf("events = %+v", events)
		}
		if bodies := g.Bodies(); len(bodies) != 2 || bodies[0] != query || bodies[1] != query {
			t.Errorf("server saw bodies %q, want the query twice", bodies)
		}
	})
	t.Run("POST not retried by default", func(t *testing.T) {
		t.Parallel()
		g := &e2e.Sequence{Replies: []e2e.Reply{shortLimit, data}}
		srv := e2e.Start(t, g)
		resp := post(t, srv.URL+"/graphql")
		if g.Hits.Load() != 1 || !trackunit.IsRateLimited(trackunit.FromResponse(resp)) {
			t.Errorf("%d requests; want the RATE_LIMITED answer after 1", g.Hits.Load())
		}
	})
	t.Run("documented ten-minute resetIn is returned, not slept", func(t *testing.T) {
		t.Parallel()
		g := &e2e.Sequence{Replies: []e2e.Reply{{Status: 200, Header: e2e.JSON, Body: e2eRateLimited}, data}}
		srv := e2e.Start(t, g)
		start := time.Now()
		resp := post(t, srv.URL+"/graphql", apierr.WithRetryNonIdempotent(true))
		err := trackunit.FromResponse(resp)
		if d, ok := apierr.RetryDelay(err); g.Hits.Load() != 1 || !ok || d != 586351*time.Millisecond {
			t.Errorf("%d requests, RetryDelay %v %v; want 1 and 586351ms", g.Hits.Load(), d, ok)
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
	srv := e2e.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n := hits.Add(1); {
		case r.Header.Get("Authorization") != "Bearer fresh":
			e2e.Reply{Status: 401, Header: e2e.JSON, Body: `{"status":401,"code":"unauthorized","message":"Jwt is expired"}`}.Write(w)
		case n == 2:
			e2e.Reply{Status: 429}.Write(w)
		default:
			e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{"id":"g-1"}`}.Write(w)
		}
	}))
	client := vendor.Client(
		apierr.WithBackoff(time.Millisecond, time.Millisecond),
		apierr.WithAuthorize(func(r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token.Load().(string))
			return nil
		}),
		apierr.WithReauthenticate(func(context.Context) error { refreshes.Add(1); token.Store("fresh"); return nil }),
	)
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
