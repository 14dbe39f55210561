package override_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/errcatimpl"
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

// Secrets echoed where the catalog does not point are redacted by name
// before any field is read: in a free-form object, in a plain field that
// shares the name (which then reads nothing) and in list items, whose
// secret fields still read their values.
func TestSecretsEchoedElsewhere(t *testing.T) {
	body := `{"error":{"message":"boom","api_key":"sk_live_123","context":{"API_KEY":"sk_live_456","user":"u1"}},` +
		`"request":{"api_key":"sk_live_789"},"keys":[{"id":"k1","token":"tok_secret_9"}]}`
	err := override.Parse(500, nil, []byte(body))
	var e *override.Error
	if !errors.As(err, &e) {
		t.Fatalf("%#v", err)
	}
	if e.APIKey.Reveal() != "sk_live_123" || len(e.Keys) != 1 || e.Keys[0].ID != "k1" || e.Keys[0].Token.Reveal() != "tok_secret_9" {
		t.Errorf("secret fields: APIKey %q, Keys %+v", e.APIKey.Reveal(), e.Keys)
	}
	if _, redacted := e.Context["API_KEY"].(apierr.Secret); !redacted || e.Context["user"] != "u1" {
		t.Errorf("Context = %#v, want API_KEY redacted and user kept", e.Context)
	}
	if e.Echo != "" {
		t.Errorf("Echo = %q: a plain field read a secret", e.Echo)
	}
	asJSON, _ := json.Marshal(e)
	printed := fmt.Sprintf("%v|%+v|%#v|%+v|%+v|%s|%s", e, e, e, e.Context, e.Keys, asJSON, err.Error()) +
		e2e.LogText(slog.NewJSONHandler, "call failed", slog.Any("err", err))
	for _, secret := range []string{"sk_live", "tok_secret"} {
		if strings.Contains(printed, secret) {
			t.Errorf("%s printed: %s", secret, printed)
		}
	}
}

// A body no format reads is redacted by name when it is JSON, and withheld
// when it is text that mentions a secret key in any form.
func TestUnreadBodiesScrubbed(t *testing.T) {
	for body, want := range map[string]string{
		`[{"api_key":"sk_live_1"}]`:      `[{"api_key":"[REDACTED]"}]`,
		`gateway: {"token":"sk_live_2"}`: errcatimpl.WithheldText,
		`token=sk_live_3`:                errcatimpl.WithheldText,
		`invalid token`:                  errcatimpl.WithheldText, // a mere mention is withheld too
		`Api-Key: sk_live_4`:             errcatimpl.WithheldText,
		`service unavailable`:            `service unavailable`,
	} {
		var e *override.Error
		if err := override.Parse(500, nil, []byte(body)); !errors.As(err, &e) {
			t.Errorf("Parse(500, %q) = %v, want an *override.Error", body, err)
		} else if e.Message != want {
			t.Errorf("Parse(500, %q): message %q, want %q", body, e.Message, want)
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
