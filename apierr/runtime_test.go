package apierr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestDefaults(t *testing.T) {
	for status, want := range map[int]struct {
		kind   Kind
		action Action
	}{
		200: {KindOK, ActionNone},
		400: {KindBadRequest, ActionFixRequest},
		401: {KindUnauthenticated, ActionFixRequest},
		404: {KindNotFound, ActionFixRequest},
		408: {KindTimeout, ActionRetryBackoff},
		418: {KindUnknown, ActionFixRequest},
		429: {KindRateLimited, ActionRetryAfter},
		500: {KindInternal, ActionContactSupport},
		503: {KindUnavailable, ActionRetryBackoff},
		504: {KindTimeout, ActionRetryBackoff},
		599: {KindUnknown, ActionContactSupport},
	} {
		if k, a := DefaultKind(status), DefaultAction(status); k != want.kind || a != want.action {
			t.Errorf("%d: %v %v, want %v %v", status, k, a, want.kind, want.action)
		}
	}
}

func TestKindsAndActionsRoundTrip(t *testing.T) {
	for _, k := range Kinds() {
		if got, ok := ParseKind(k.String()); !ok || got != k {
			t.Errorf("kind %v does not round-trip", k)
		}
	}
	for _, a := range Actions() {
		if got, ok := ParseAction(a.String()); !ok || got != a {
			t.Errorf("action %v does not round-trip", a)
		}
	}
	if b, _ := json.Marshal(map[string]any{"k": KindRateLimited, "a": ActionRetryAfter}); string(b) != `{"a":"retry_after","k":"rate_limited"}` {
		t.Errorf("JSON %s", b)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("tok_123")
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "s", s)
	j, _ := json.Marshal(struct{ S Secret }{s})
	txt, _ := s.MarshalText()
	out := fmt.Sprintf("%v %+v %#v %s %q %x %d", s, s, s, s, s, s, s) + buf.String() + string(j) + string(txt)
	if strings.Contains(out, "tok_123") || !strings.Contains(out, Redacted) {
		t.Errorf("secret printed: %s", out)
	}
	if s.Reveal() != "tok_123" {
		t.Error("Reveal lost the value")
	}
}
