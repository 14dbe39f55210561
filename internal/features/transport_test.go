// Package features_test drives the feature packages through apierr's
// retrying transport: the catalog features (a delay in the body, a header
// override, a per-code retry on one status, an error inside a 200) must
// reach the transport's decisions, not only the parsed error.
package features_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/bodydelay"
	"github.com/errcat/errcat/internal/features/c1codes"
	"github.com/errcat/errcat/internal/features/c1graphql"
	"github.com/errcat/errcat/internal/features/okflag"
	"github.com/errcat/errcat/internal/features/override"
	"github.com/errcat/errcat/internal/features/percode"
)

type run struct {
	name    string
	policy  apierr.Policy
	method  string
	header  map[string]string // request headers
	replies []e2e.Reply
	// wantHits is how many requests the server sees; wantStatus the final
	// response's status; wantDelays the delays the transport announced.
	wantHits   int32
	wantStatus int
	wantDelays []time.Duration
}

func TestFeaturesThroughTransport(t *testing.T) {
	ok := e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{"ok":true}`}
	for _, r := range []run{
		{
			name:   "body delay in milliseconds is waited",
			policy: bodydelay.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 429, Header: e2e.JSON, Body: `{"retry_after_ms":15}`}, ok},
			wantHits: 2, wantStatus: 200, wantDelays: []time.Duration{15 * time.Millisecond},
		},
		{
			name:   "body delay above the cap returns the 429 at once",
			policy: bodydelay.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 429, Header: e2e.JSON, Body: `{"retry_in":"10m"}`}, ok},
			wantHits: 1, wantStatus: 429,
		},
		{
			name:   "override false stops a retryable 500",
			policy: override.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 500, Header: map[string]string{"X-Should-Retry": "false"}, Body: `{}`}, ok},
			wantHits: 1, wantStatus: 500,
		},
		{
			name:   "override true retries a 409",
			policy: override.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 409, Header: map[string]string{"X-Should-Retry": "true"}, Body: `{}`}, ok},
			wantHits: 2, wantStatus: 200,
		},
		{
			name:   "idempotency key makes a POST retryable",
			policy: override.Policy(), method: http.MethodPost, header: map[string]string{"Idempotency-Key": "k1"},
			replies:  []e2e.Reply{{Status: 500, Body: `{}`}, ok},
			wantHits: 2, wantStatus: 200,
		},
		{
			name:   "POST without the key is not repeated",
			policy: override.Policy(), method: http.MethodPost,
			replies:  []e2e.Reply{{Status: 500, Body: `{}`}, ok},
			wantHits: 1, wantStatus: 500,
		},
		{
			name:   "409 lock_timeout is retried",
			policy: percode.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 409, Header: e2e.JSON, Body: `{"code":"lock_timeout"}`}, ok},
			wantHits: 2, wantStatus: 200,
		},
		{
			name:   "409 duplicate is not",
			policy: percode.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 409, Header: e2e.JSON, Body: `{"code":"duplicate"}`}, ok},
			wantHits: 1, wantStatus: 409,
		},
		{
			name:   "error inside a 200 is retried after Retry-After",
			policy: okflag.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 200, Header: map[string]string{"Content-Type": "application/json", "Retry-After": "0.01"}, Body: `{"ok":false,"error":"ratelimited"}`}, ok},
			wantHits: 2, wantStatus: 200, wantDelays: []time.Duration{10 * time.Millisecond},
		},
		{
			name:   "a general-error code on a 502 is the 502's: retried",
			policy: c1codes.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 502, Header: e2e.JSON, Body: `{"error":{"code":"GENERAL_ERROR"}}`}, ok},
			wantHits: 2, wantStatus: 200,
		},
		{
			name:   "the same code at its own 400 is not retried",
			policy: c1codes.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 400, Header: e2e.JSON, Body: `{"error":{"code":"GENERAL_ERROR"}}`}, ok},
			wantHits: 1, wantStatus: 400,
		},
		{
			name:   "a code whose precedence is code is not retried on a 502",
			policy: c1codes.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 502, Header: e2e.JSON, Body: `{"error":{"code":"LEGACY"}}`}, ok},
			wantHits: 1, wantStatus: 502,
		},
		{
			name:   "a statusless code keeps its action on a 503: not retried",
			policy: c1codes.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 503, Header: e2e.JSON, Body: `{"error":{"code":"DENIED"}}`}, ok},
			wantHits: 1, wantStatus: 503,
		},
		{
			name:   "a code listed under 429 and 503 waits Retry-After at 503",
			policy: c1codes.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 503, Header: map[string]string{"Content-Type": "application/json", "Retry-After": "0.01"}, Body: `{"error":{"code":"QUOTA"}}`}, ok},
			wantHits: 2, wantStatus: 200, wantDelays: []time.Duration{10 * time.Millisecond},
		},
		{
			name:   "a GraphQL 200 with a codeless error is retried as its format says",
			policy: c1graphql.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 200, Header: e2e.JSON, Body: `{"data":null,"errors":[{"message":"Internal error"}]}`}, ok},
			wantHits: 2, wantStatus: 200,
		},
		{
			name:   "a GraphQL 200 with a validation code is not",
			policy: c1graphql.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 200, Header: e2e.JSON, Body: `{"errors":[{"message":"bad","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}`}, ok},
			wantHits: 1, wantStatus: 200,
		},
		{
			name:   "a 200 download is never read as an error",
			policy: okflag.Policy(), method: http.MethodGet,
			replies:  []e2e.Reply{{Status: 200, Header: map[string]string{"Content-Type": "application/octet-stream"}, Body: `{"ok":false,"error":"ratelimited"}`}, ok},
			wantHits: 1, wantStatus: 200,
		},
	} {
		t.Run(r.name, func(t *testing.T) {
			seq := &e2e.Sequence{Replies: r.replies}
			srv := e2e.Start(t, seq)
			var events e2e.Events
			client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), r.policy,
				apierr.WithBackoff(time.Millisecond, 2*time.Millisecond), events.Option())}
			req, _ := http.NewRequest(r.method, srv.URL, nil)
			for k, v := range r.header {
				req.Header.Set(k, v)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := e2e.Body(t, resp)
			resp.Body.Close()
			if resp.StatusCode != r.wantStatus || seq.Hits.Load() != r.wantHits {
				t.Errorf("status %d after %d requests, want %d after %d (body %q)", resp.StatusCode, seq.Hits.Load(), r.wantStatus, r.wantHits, body)
			}
			if want := r.replies[r.wantHits-1].Body; body != want {
				t.Errorf("final body %q, want %q intact", body, want)
			}
			if r.wantDelays != nil {
				evs := events.List()
				if len(evs) != len(r.wantDelays) {
					t.Fatalf("events %+v", evs)
				}
				for i, d := range r.wantDelays {
					if evs[i].Delay != d || !evs[i].ServerDelay {
						t.Errorf("event %d: delay %v (server %v), want %v from the server", i, evs[i].Delay, evs[i].ServerDelay, d)
					}
				}
			}
		})
	}
}
