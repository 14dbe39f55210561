package d2delays_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/d2delays"
	"github.com/errcat/errcat/internal/features/d2delays/d2delaystest"
)

func body(code string) string {
	return `{"error": {"code": "` + code + `", "message": "m"}}`
}

// The reset header counts only on a 429 whose remaining-quota header is
// "0"; the RateLimit field and Retry-After follow; the minimum and default
// delays of the status and of the code bound the result.
func TestDelaySources(t *testing.T) {
	rateLimited := body(string(d2delays.CodeRateLimited))
	for _, c := range []struct {
		name   string
		status int
		header map[string]string
		body   string
		want   time.Duration
		ok     bool
	}{
		{"reset when remaining is 0", 429, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30", "Retry-After": "5"}, rateLimited, 30 * time.Second, true},
		{"reset ignored when quota is left", 429, map[string]string{"X-RateLimit-Remaining": "3", "X-RateLimit-Reset": "30", "Retry-After": "5"}, rateLimited, 5 * time.Second, true},
		{"reset ignored without the remaining header", 429, map[string]string{"X-RateLimit-Reset": "30", "Retry-After": "5"}, rateLimited, 5 * time.Second, true},
		{"reset ignored on another status", 503, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30", "Retry-After": "40"}, `{}`, 40 * time.Second, true},
		{"RateLimit field, exhausted policy", 429, map[string]string{"RateLimit": `"burst";r=4;t=1, "daily";r=0;t=45`}, rateLimited, 45 * time.Second, true},
		{"RateLimit window from RateLimit-Policy", 429, map[string]string{"RateLimit": `"default";r=0`, "RateLimit-Policy": `"default";q=100;w=60`}, rateLimited, time.Minute, true},
		{"RateLimit with quota left falls through", 429, map[string]string{"RateLimit": `"default";r=9;t=45`, "Retry-After": "3"}, rateLimited, 3 * time.Second, true},
		{"hostile RateLimit is ignored", 429, map[string]string{"RateLimit": `"default";r=0;t=99999999999999999999`, "Retry-After": "3"}, rateLimited, 3 * time.Second, true},
		{"minimum raises a shorter server delay", 429, map[string]string{"Retry-After": "0"}, rateLimited, time.Second, true},
		{"default when no header", 429, nil, rateLimited, 2 * time.Second, true},
		{"status default for a 503", 503, nil, `{}`, 30 * time.Second, true},
		{"server delay beats the default", 503, map[string]string{"Retry-After": "4"}, `{}`, 4 * time.Second, true},
		{"code minimum over the status's", 429, map[string]string{"Retry-After": "60"}, body(string(d2delays.CodeDailyQuotaExceeded)), 10 * time.Minute, true},
		{"code minimum with no header", 429, nil, body(string(d2delays.CodeDailyQuotaExceeded)), 10 * time.Minute, true},
		{"code default replaces the status's, minimum kept", 429, nil, body(string(d2delays.CodeBurstLimit)), time.Second, true},
		{"no rule, no delay", 400, map[string]string{"X-RateLimit-Remaining": "0"}, `{}`, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := e2e.Get(t, e2e.Reply{Status: c.status, Header: c.header, Body: c.body})
			err := d2delays.FromResponse(resp)
			if d, ok := apierr.RetryDelay(err); d != c.want || ok != c.ok {
				t.Errorf("FromResponse: RetryDelay = %v, %v; want %v, %v", d, ok, c.want, c.ok)
			}
			h := http.Header{}
			for k, v := range c.header {
				h.Set(k, v)
			}
			var e *d2delays.Error
			if !errors.As(d2delays.Parse(c.status, h, []byte(c.body)), &e) {
				t.Fatal("Parse: no *Error")
			}
			if d, ok := e.RetryDelay(); d != c.want || ok != c.ok {
				t.Errorf("Parse: RetryDelay = %v, %v; want %v, %v", d, ok, c.want, c.ok)
			}
		})
	}
}

// The override header is honoured only on 5XX responses that carry
// X-Origin.
func TestConditionalOverride(t *testing.T) {
	for _, c := range []struct {
		status int
		header map[string]string
		want   apierr.Action
	}{
		{500, map[string]string{"X-Should-Retry": "false", "X-Origin": "1"}, apierr.ActionFixRequest},
		{500, map[string]string{"X-Should-Retry": "false"}, apierr.ActionRetryBackoff},
		{502, map[string]string{"X-Should-Retry": "true", "X-Origin": ""}, apierr.ActionRetryBackoff},
		{503, map[string]string{"X-Should-Retry": "false", "X-Origin": "edge-1"}, apierr.ActionFixRequest},
		{503, map[string]string{"X-Should-Retry": "false"}, apierr.ActionRetryAfter},
		{400, map[string]string{"X-Should-Retry": "true", "X-Origin": "1"}, apierr.ActionFixRequest},
	} {
		err := d2delays.FromResponse(e2e.Get(t, e2e.Reply{Status: c.status, Header: c.header, Body: `{}`}))
		if got := apierr.ActionOf(err); got != c.want {
			t.Errorf("%d %v: action %v, want %v", c.status, c.header, got, c.want)
		}
	}
	if !d2delays.IsServerError(d2delays.FromResponse(e2e.Get(t, e2e.Reply{Status: 500, Body: `{}`}))) {
		t.Error("500 does not match its class")
	}
}

// The transport waits what the catalog's rules decide, on a fake clock.
func TestThroughTransport(t *testing.T) {
	ok := e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{}`}
	rl := body(string(d2delays.CodeRateLimited))
	for _, c := range []struct {
		name  string
		first e2e.Reply
		waits []time.Duration
		hits  int32
	}{
		{"reset header when remaining is 0", e2e.Reply{Status: 429, Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "7", "Retry-After": "3"}, Body: rl}, []time.Duration{7 * time.Second}, 2},
		{"Retry-After when quota is left", e2e.Reply{Status: 429, Header: map[string]string{"X-RateLimit-Remaining": "1", "X-RateLimit-Reset": "7", "Retry-After": "3"}, Body: rl}, []time.Duration{3 * time.Second}, 2},
		{"RateLimit field", e2e.Reply{Status: 429, Header: map[string]string{"RateLimit": `"default";r=0;t=12`}, Body: rl}, []time.Duration{12 * time.Second}, 2},
		{"minimum over a shorter delay", e2e.Reply{Status: 429, Header: map[string]string{"Retry-After": "0.2"}, Body: rl}, []time.Duration{time.Second}, 2},
		{"default without a header", e2e.Reply{Status: 429, Body: rl}, []time.Duration{2 * time.Second}, 2},
		{"status default of a 503", e2e.Reply{Status: 503, Body: `{}`}, []time.Duration{30 * time.Second}, 2},
		{"code minimum above the cap returns at once", e2e.Reply{Status: 429, Header: map[string]string{"Retry-After": "1"}, Body: body(string(d2delays.CodeDailyQuotaExceeded))}, nil, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			seq := &e2e.Sequence{Replies: []e2e.Reply{c.first, ok}}
			srv := e2e.Start(t, seq)
			clock := d2delaystest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), d2delays.Policy(), apierr.WithClock(clock), apierr.WithMaxServerDelay(time.Minute))}
			resp, err := client.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := clock.Waits(); seq.Hits.Load() != c.hits || !equal(got, c.waits) {
				t.Errorf("%d requests, waits %v; want %d, %v", seq.Hits.Load(), got, c.hits, c.waits)
			}
		})
	}
}

// The kit's WithRetryAfter writes the first source, with the header its
// condition tests, so the conditional source is the one read.
func TestKitWritesConditionalSource(t *testing.T) {
	resp := d2delaystest.Response(d2delays.StatusTooManyRequests, d2delaystest.WithRetryAfter(9*time.Second))
	defer resp.Body.Close()
	if resp.Header.Get("X-RateLimit-Remaining") != "0" || resp.Header.Get("X-RateLimit-Reset") != "9" {
		t.Errorf("headers %v", resp.Header)
	}
	if d, ok := apierr.RetryDelay(d2delays.FromResponse(resp)); d != 9*time.Second || !ok {
		t.Errorf("RetryDelay = %v, %v; want 9s", d, ok)
	}
	var e *d2delays.Error
	if err := d2delaystest.NewError(d2delays.CodeDailyQuotaExceeded, d2delaystest.WithRetryAfter(time.Second)); !errors.As(err, &e) || !errors.Is(err, d2delays.ErrDailyQuotaExceeded) {
		t.Fatalf("%v", err)
	}
	if d, _ := e.RetryDelay(); d != 10*time.Minute {
		t.Errorf("daily quota: RetryDelay %v, want the 10m minimum", d)
	}
}

func equal(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
