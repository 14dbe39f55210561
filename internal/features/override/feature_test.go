package override_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/override"
)

// A response header overrides the catalog's action, both ways.
func TestHeaderOverridesRetryability(t *testing.T) {
	cases := []struct {
		status int
		header string
		want   apierr.Action
	}{
		{500, "", apierr.ActionRetryBackoff},
		{500, "false", apierr.ActionContactSupport},
		{409, "", apierr.ActionFixRequest},
		{409, "true", apierr.ActionRetryBackoff},
		{409, "maybe", apierr.ActionFixRequest},
	}
	for _, c := range cases {
		h := map[string]string{}
		if c.header != "" {
			h["X-Should-Retry"] = c.header
		}
		resp := e2e.Get(t, e2e.Reply{Status: c.status, Header: h, Body: `{"error":{"message":"m"}}`})
		err := override.FromResponse(resp)
		if got := apierr.ActionOf(err); got != c.want {
			t.Errorf("%d with X-Should-Retry %q: action %v, want %v", c.status, c.header, got, c.want)
		}
	}
}

func TestIdempotencyHeaderInPolicy(t *testing.T) {
	if p := override.Policy(); p.IdempotencyKeyHeader != "Idempotency-Key" || p.Vendor != "override" || p.Classify == nil {
		t.Errorf("policy %+v", p)
	}
}

func TestSecretFieldNeverPrinted(t *testing.T) {
	err := override.Parse(500, nil, []byte(`{"error":{"message":"boom","api_key":"sk_live_123"}}`))
	var e *override.Error
	if !errors.As(err, &e) || e.APIKey.Reveal() != "sk_live_123" {
		t.Fatalf("%#v", err)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%v|%+v|%#v|%s", e, e, e, e.APIKey)} {
		if strings.Contains(s, "sk_live_123") {
			t.Errorf("secret printed: %s", s)
		}
	}
}

func TestGoStringHidesRawBody(t *testing.T) {
	err := override.Parse(500, nil, []byte(`{"error":{"message":"boom","api_key":"sk_live_123"}}`))
	got := fmt.Sprintf("%#v", err)
	if strings.Contains(got, "sk_live") || strings.Contains(got, "115, 107") || !strings.HasPrefix(got, `&override.Error{"override: 500`) {
		t.Errorf("%%#v = %s", got)
	}
}
