package bodydelay_test

import (
	"errors"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/bodydelay"
)

// The retry delay comes from the body; sources are tried in catalog order
// (milliseconds field, duration field, then the Retry-After header).
func TestDelayFromBody(t *testing.T) {
	cases := []struct {
		name   string
		header map[string]string
		body   string
		want   time.Duration
		ok     bool
	}{
		{"millis", nil, `{"message":"slow down","retry_after_ms":1500}`, 1500 * time.Millisecond, true},
		{"millis wins over header", map[string]string{"Retry-After": "9"}, `{"retry_after_ms":250}`, 250 * time.Millisecond, true},
		{"duration string", nil, `{"retry_in":"1m30s"}`, 90 * time.Second, true},
		{"header fallback", map[string]string{"Retry-After": "2"}, `{"message":"x"}`, 2 * time.Second, true},
		{"negative millis skipped", map[string]string{"Retry-After": "4"}, `{"retry_after_ms":-5}`, 4 * time.Second, true},
		{"garbage duration then none", nil, `{"retry_in":"soon"}`, 0, false},
		{"text body, header", map[string]string{"Retry-After": "1"}, `busy`, time.Second, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := e2e.Get(t, e2e.Reply{Status: 429, Header: c.header, Body: c.body})
			err := bodydelay.FromResponse(resp)
			d, ok := apierr.RetryDelay(err)
			if d != c.want || ok != c.ok {
				t.Errorf("RetryDelay = %v, %v; want %v, %v", d, ok, c.want, c.ok)
			}
			if apierr.ActionOf(err) != apierr.ActionRetryAfter || !bodydelay.IsTooManyRequests(err) {
				t.Errorf("action %v", apierr.ActionOf(err))
			}
		})
	}
}

func TestTypedTimeField(t *testing.T) {
	err := bodydelay.Parse(503, nil, []byte(`{"occurred_at": 1700000000, "message": "maintenance"}`))
	var e *bodydelay.Error
	if !errors.As(err, &e) || !e.OccurredAt.Equal(time.Unix(1700000000, 0)) || e.Message != "maintenance" {
		t.Fatalf("%#v", err)
	}
}
