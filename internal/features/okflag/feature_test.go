package okflag_test

import (
	"errors"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/okflag"
)

// An error reported inside a 200 body, flagged by "ok": false.
func TestErrorInsideSuccessBody(t *testing.T) {
	body := `{"ok": false, "error": "invalid_auth", "warning": "superfluous_charset"}`
	resp := e2e.Get(t, e2e.Reply{Status: 200, Header: map[string]string{"X-Request-Id": "req-1"}, Body: body})
	err := okflag.FromResponse(resp)
	if err == nil {
		t.Fatal("FromResponse = nil for ok:false")
	}
	if !okflag.IsInvalidAuth(err) || !errors.Is(err, okflag.ErrOK) || !errors.Is(err, okflag.ErrSuccess) {
		t.Errorf("sentinels do not match: %v", err)
	}
	var e *okflag.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As failed for %T", err)
	}
	if e.Code != okflag.CodeInvalidAuth || !e.HasCode || e.Warning != "superfluous_charset" || e.RequestID != "req-1" || e.Format != "envelope" {
		t.Errorf("typed fields: %+v", e)
	}
	if !apierr.NeedsReauth(err) || apierr.KindOf(err) != apierr.KindUnauthenticated {
		t.Errorf("action %v kind %v", apierr.ActionOf(err), apierr.KindOf(err))
	}
	if got := e2e.Body(t, resp); got != body {
		t.Errorf("body after FromResponse = %q", got)
	}
}

func TestOKBodiesAreSuccess(t *testing.T) {
	for _, body := range []string{`{"ok": true}`, `{"ok": "false"}`, `{}`, `not json`, ``} {
		resp := e2e.Get(t, e2e.Reply{Status: 200, Body: body})
		if err := okflag.FromResponse(resp); err != nil {
			t.Errorf("%q: FromResponse = %v, want nil", body, err)
		}
	}
}

func TestRetryAfterOnFlaggedRateLimit(t *testing.T) {
	resp := e2e.Get(t, e2e.Reply{Status: 200, Header: map[string]string{"Retry-After": "3"}, Body: `{"ok":false,"error":"ratelimited"}`})
	err := okflag.FromResponse(resp)
	if !okflag.IsRateLimited(err) || !apierr.IsRetryable(err) {
		t.Fatalf("err %v: retryable %v", err, apierr.IsRetryable(err))
	}
	if d, ok := apierr.RetryDelay(err); !ok || d != 3*time.Second {
		t.Errorf("delay %v %v", d, ok)
	}
}

func TestUnknownCodeInFlaggedBody(t *testing.T) {
	err := okflag.Parse(200, nil, []byte(`{"ok":false,"error":"brand_new_error"}`))
	var e *okflag.Error
	if !errors.As(err, &e) || e.Code.Known() || e.Code != "brand_new_error" {
		t.Fatalf("err %#v", err)
	}
	// Falling back to status 200 would call the error a success; an
	// unlisted code inside a success body is unknown and not retried.
	if e.Kind() != apierr.KindUnknown || e.Action() != apierr.ActionFixRequest || apierr.IsRetryable(err) {
		t.Errorf("unknown code in a success body: kind %v action %v", e.Kind(), e.Action())
	}
	if okflag.IsInvalidAuth(err) {
		t.Error("unknown code matched another code's sentinel")
	}
}
