package quivo_test

// The generated test kit (quivotest) through apierr's retrying transport.

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/quivo"
	"github.com/errcat/errcat/generated/quivo/quivotest"
)

// The documented gateway 401 ("The incoming token has expired"): the
// transport logs in again once (POST /login, in the hook) and resends;
// a 429 (no delay documented) is retried with backoff.
func TestKitExpiredSessionThenThrottled(t *testing.T) {
	script := quivotest.NewScript(
		quivotest.Reply(quivo.StatusUnauthorized),
		quivotest.Reply(quivo.StatusTooManyRequests),
		quivotest.OK(`{"orderId":"123"}`),
	)
	clock := quivotest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	logins := 0
	c := &http.Client{Transport: apierr.NewTransport(script, quivo.Policy(), apierr.WithClock(clock),
		apierr.WithReauthenticate(func(context.Context) error { logins++; return nil }))}
	resp, err := c.Get("https://api.quivo.co/orders/123")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || logins != 1 || len(script.Requests()) != 3 || len(clock.Waits()) != 1 {
		t.Errorf("status %d, %d logins, %d requests, waits %v", resp.StatusCode, logins, len(script.Requests()), clock.Waits())
	}
	// The documented bodies: JSON from the gateway, plain text from the backend.
	if e := quivotest.NewError(quivo.StatusUnauthorized); e.Message != "The incoming token has expired" || !quivo.IsUnauthorized(e) || !apierr.NeedsReauth(e) {
		t.Errorf("401: %+v", e)
	}
	if e := quivotest.NewError(quivo.StatusBadRequest); e.Message != "positions: must not be null" || e.Format != "backend" {
		t.Errorf("400: %+v", e)
	}
}
