package consumer

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/consumer/acme"
	"example.com/consumer/acme/acmetest"
	"github.com/errcat/errcat/apierr"
)

// The same scenario as TestWidgetRetriesAndRefreshes, scripted with the
// generated test kit instead of a hand-written server: the kit answers
// with the bodies Acme's catalog documents, so the test cannot drift from
// what Acme sends.
func TestWidgetWithTestKit(t *testing.T) {
	script := acmetest.NewScript(
		acmetest.Reply(acme.StatusTooManyRequests, acmetest.WithRetryAfter(3*time.Second)),
		acmetest.Reply(acme.CodeTokenExpired),
		acmetest.OK(`{"id":"w1"}`),
		acmetest.Reply(acme.CodeWidgetNotFound, acmetest.WithHeader("X-Request-Id", "req-42"), acmetest.WithMessage("nope")),
	)
	srv := httptest.NewServer(script)
	defer srv.Close()
	clock := acmetest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	refreshes := 0
	c := NewClient(srv.URL, func(context.Context) error { refreshes++; return nil }, apierr.WithClock(clock))

	got, err := c.Widget(context.Background(), "w1")
	if err != nil || got != `{"id":"w1"}` {
		t.Fatalf("Widget = %q, %v", got, err)
	}
	if n := len(script.Requests()); n != 3 || refreshes != 1 {
		t.Errorf("requests %d refreshes %d, want 3 and 1", n, refreshes)
	}
	if w := clock.Waits(); len(w) != 1 || w[0] != 3*time.Second {
		t.Errorf("waits %v, want the 3s Retry-After", w)
	}

	_, err = c.Widget(context.Background(), "missing")
	var e *acme.Error
	if !errors.Is(err, ErrNoSuchWidget) || !errors.As(err, &e) || e.RequestID != "req-42" || e.Message != "nope" {
		t.Fatalf("err = %v", err)
	}
	if p := script.Requests()[3].URL.Path; p != "/widgets/missing" {
		t.Errorf("last request for %s", p)
	}
}

// Code that takes errors rather than responses is tested with NewError,
// which is what acme.FromResponse returns for the documented response.
func TestDescribeWithNewError(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{acmetest.NewError(acme.CodeWidgetNotFound), "gone"},
		{acmetest.NewError(acme.StatusTooManyRequests, acmetest.WithRetryAfter(time.Second)), "later"},
		{acmetest.NewError(acme.CodeTokenExpired), "login"},
	} {
		if got := describe(tc.err); got != tc.want {
			t.Errorf("describe(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// describe is what an application might do with Acme's errors.
func describe(err error) string {
	switch {
	case acme.IsWidgetNotFound(err):
		return "gone"
	case apierr.NeedsReauth(err):
		return "login"
	case apierr.IsRetryable(err):
		if _, ok := apierr.RetryDelay(err); ok {
			return "later"
		}
	}
	return "failed"
}
