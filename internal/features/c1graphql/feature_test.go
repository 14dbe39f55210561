package c1graphql_test

import (
	"errors"
	"testing"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/c1graphql"
)

// A GraphQL error without a code, inside a 200, has the kind and action
// its body format states (the vendor: a transient resolver failure), not a
// guess; a listed code still decides; a success body is no error.
func TestCodelessErrorInSuccessBody(t *testing.T) {
	for _, c := range []struct {
		name, body string
		code       c1graphql.Code
		hasCode    bool
		kind       apierr.Kind
		action     apierr.Action
	}{
		{"message only", `{"data": null, "errors": [{"message": "Internal error resolving viewer"}]}`, "", false, apierr.KindInternal, apierr.ActionRetryBackoff},
		{"unlisted code", `{"errors": [{"message": "x", "extensions": {"code": "SOMETHING_NEW"}}]}`, "SOMETHING_NEW", true, apierr.KindInternal, apierr.ActionRetryBackoff},
		{"listed code", `{"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]}`, c1graphql.CodeThrottled, true, apierr.KindRateLimited, apierr.ActionRetryBackoff},
		{"listed code, not retryable", `{"errors": [{"message": "bad", "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]}`, c1graphql.CodeValidationFailed, true, apierr.KindBadRequest, apierr.ActionFixRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c1graphql.FromResponse(e2e.Get(t, e2e.Reply{Status: 200, Header: e2e.JSON, Body: c.body}))
			var e *c1graphql.Error
			if !errors.As(err, &e) {
				t.Fatalf("FromResponse = %v, want a *c1graphql.Error", err)
			}
			if e.Format != "graphql" || e.HasCode != c.hasCode || e.Code != c.code || e.Kind() != c.kind || e.Action() != c.action {
				t.Errorf("format %q, code %q (%v), kind %v, action %v; want %q (%v), %v, %v", e.Format, e.Code, e.HasCode, e.Kind(), e.Action(), c.code, c.hasCode, c.kind, c.action)
			}
			if !errors.Is(err, c1graphql.ErrOK) || apierr.KindOf(err) != c.kind || apierr.IsRetryable(err) != c.action.Retryable() {
				t.Errorf("sentinel or helpers: %v, %v", err, apierr.KindOf(err))
			}
		})
	}
	for _, ok := range []string{`{"data": {"viewer": {"id": 1}}}`, `{"data": {}, "errors": []}`} {
		if err := c1graphql.Parse(200, nil, []byte(ok)); err != nil {
			t.Errorf("Parse(200, %s) = %v, want nil", ok, err)
		}
	}
	// The format's kind is for success responses only: a codeless 4XX
	// body is the status's.
	err := c1graphql.Parse(400, nil, []byte(`{"message": "cannot parse"}`))
	if !c1graphql.IsClientError(err) || apierr.KindOf(err) != apierr.KindBadRequest || apierr.ActionOf(err) != apierr.ActionFixRequest {
		t.Errorf("codeless 400: %v, %v, %v", err, apierr.KindOf(err), apierr.ActionOf(err))
	}
}
