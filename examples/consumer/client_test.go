package consumer

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"example.com/consumer/acme"
	"github.com/errcat/errcat/apierr"
)

func TestWidgetRetriesAndRefreshes(t *testing.T) {
	var calls, refreshes atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n := calls.Add(1); {
		case n == 1:
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte("upstream hiccup"))
		case n == 2:
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"code":"token_expired","message":"expired"}}`))
		case r.URL.Path == "/widgets/missing":
			w.Header().Set("X-Request-Id", "req-42")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":{"code":"widget_not_found","message":"nope"}}`))
		default:
			w.Write([]byte(`{"id":"w1"}`))
		}
	}))
	defer srv.Close()
	c := NewClient(srv.URL, func(context.Context) error { refreshes.Add(1); return nil }, apierr.WithBackoff(time.Millisecond, 5*time.Millisecond))

	got, err := c.Widget(context.Background(), "w1")
	if err != nil || got != `{"id":"w1"}` {
		t.Fatalf("Widget = %q, %v", got, err)
	}
	if calls.Load() != 3 || refreshes.Load() != 1 {
		t.Errorf("calls %d refreshes %d, want 3 and 1", calls.Load(), refreshes.Load())
	}

	_, err = c.Widget(context.Background(), "missing")
	if !errors.Is(err, ErrNoSuchWidget) || !acme.IsWidgetNotFound(err) || !acme.IsNotFound(err) || !acme.IsClientError(err) {
		t.Fatalf("err = %v", err)
	}
	var e *acme.Error
	if !errors.As(err, &e) || e.RequestID != "req-42" || e.Message != "nope" || apierr.IsRetryable(err) {
		t.Errorf("typed error %+v", e)
	}
}
