package ushopify_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/features/u_shopify"
	"github.com/errcat/errcat/internal/features/u_shopify/ushopifytest"
)

// throttled is the THROTTLED response the rate-limits page shows (costs
// changed): 202 requested, 2 available, 100 restored per second.
const throttled = `{"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}], "extensions": {"cost": {"requestedQueryCost": 202, "actualQueryCost": null, "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 2, "restoreRate": 100.0}}}}`

// TestShopifyAgainstServer drives the generated package through an
// httptest server: a throttled query waits the documented cost formula
// and is sent again; a mutation's userErrors are an error keyed by the
// mutation; an empty userErrors list and an empty errors list are success.
func TestShopifyAgainstServer(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Request-ID", "rid-7")
		switch r.URL.Path {
		case "/throttled":
			if calls.Add(1) == 1 {
				io.WriteString(w, throttled)
				return
			}
			io.WriteString(w, `{"data": {"shop": {"name": "x"}}, "errors": []}`)
		case "/taken":
			io.WriteString(w, `{"data": {"customerCreate": {"customer": null, "userErrors": [{"field": ["input", "email"], "message": "Email has already been taken", "code": "TAKEN"}]}}}`)
		case "/created":
			io.WriteString(w, `{"data": {"productCreate": {"product": {"id": "gid://shopify/Product/1"}, "userErrors": []}}}`)
		case "/denied":
			io.WriteString(w, `{"errors": [{"message": "Access denied", "extensions": {"code": "ACCESS_DENIED"}}]}`)
		}
	}))
	defer srv.Close()

	clock := ushopifytest.NewClock(time.Now())
	client := &http.Client{Transport: apierr.NewTransport(http.DefaultTransport, ushopify.Policy(),
		apierr.WithRetryNonIdempotent(true), // a GraphQL query is a POST
		apierr.WithClock(clock))}
	post := func(path string) *http.Response {
		t.Helper()
		resp, err := client.Post(srv.URL+path, "application/json", strings.NewReader(`{"query": "{ shop { name } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}

	resp := post("/throttled")
	if err := ushopify.FromResponse(resp); err != nil || apierr.Attempts(resp) != 2 {
		t.Fatalf("throttled query: %v after %d attempts, want success after 2", err, apierr.Attempts(resp))
	}
	if got, want := clock.Waits(), []time.Duration{2 * time.Second}; !reflect.DeepEqual(got, want) {
		t.Errorf("waited %v, want %v: (202 - 2) / 100 seconds", got, want)
	}

	err := ushopify.FromResponse(post("/taken"))
	var e *ushopify.Error
	if !errors.As(err, &e) || e.Format != "user errors" || e.Code != "TAKEN" || e.RequestID != "rid-7" {
		t.Fatalf("userErrors: %#v", err)
	}
	want := []ushopify.UserError{{Mutation: "customerCreate", Field: []string{"input", "email"}, Message: "Email has already been taken", Code: "TAKEN"}}
	if !reflect.DeepEqual(e.UserErrors, want) {
		t.Errorf("UserErrors = %+v, want %+v", e.UserErrors, want)
	}
	if apierr.KindOf(err) != apierr.KindBadRequest || apierr.ActionOf(err) != apierr.ActionFixRequest || apierr.IsRetryable(err) {
		t.Errorf("an unlisted user error: %v / %v, want the format's bad_request / fix_request", apierr.KindOf(err), apierr.ActionOf(err))
	}

	if err := ushopify.FromResponse(post("/created")); err != nil {
		t.Errorf("a mutation with an empty userErrors list: %v", err)
	}

	resp = post("/denied")
	err = ushopify.FromResponse(resp)
	if !ushopify.IsAccessDenied(err) || apierr.Attempts(resp) != 1 || apierr.KindOf(err) != apierr.KindUnauthenticated {
		t.Errorf("ACCESS_DENIED: %v after %d attempts, kind %v", err, apierr.Attempts(resp), apierr.KindOf(err))
	}
}

// TestThrottledDelay: the documented example's delay is the cost formula's,
// and the kit's WithRetryAfter writes a body that gives the asked delay.
func TestThrottledDelay(t *testing.T) {
	err := ushopifytest.NewError(ushopify.CodeThrottled)
	if d, ok := apierr.RetryDelay(err); !ok || d != 2*time.Second {
		t.Errorf("documented THROTTLED example: delay %v %v, want 2s", d, ok)
	}
	err = ushopifytest.NewError(ushopify.CodeThrottled, ushopifytest.WithRetryAfter(5*time.Second))
	if d, ok := apierr.RetryDelay(err); !ok || d != 5*time.Second {
		t.Errorf("WithRetryAfter(5s): delay %v %v", d, ok)
	}
}
