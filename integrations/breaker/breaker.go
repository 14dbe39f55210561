// Package breaker puts a vendor behind a sony/gobreaker v2 circuit breaker
// that counts what apierr counts as a failure: transport errors and 5xx
// responses, never 4xx (a 400, 404 or 429 means the vendor is up and
// answering as documented), nor the caller's own cancellation.
package breaker

import (
	"net/http"

	"github.com/sony/gobreaker/v2"

	"github.com/errcat/errcat/apierr"
)

// Settings returns gobreaker settings named name whose IsSuccessful is the
// complement of [apierr.IsFailure]; set ReadyToTrip, Timeout and the rest on
// the result as usual.
func Settings(name string) gobreaker.Settings {
	return gobreaker.Settings{
		Name:         name,
		IsSuccessful: func(err error) bool { return !apierr.IsFailure(err) },
	}
}

// Do sends req with client inside cb and classifies the response with
// classify (a generated package's FromResponse). It returns the response
// with its body readable and the vendor's error, if any, so a 404 comes
// back as (resp, *vendor.Error) and counts as a success for the breaker,
// while a 503 counts as a failure. When the breaker is open, Do returns
// gobreaker.ErrOpenState (or ErrTooManyRequests when half-open) without
// sending; req's body, if any, is then closed.
func Do(cb *gobreaker.CircuitBreaker[*http.Response], client *http.Client, req *http.Request,
	classify func(*http.Response) error) (*http.Response, error) {
	sent := false
	resp, err := cb.Execute(func() (*http.Response, error) {
		sent = true
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		return resp, classify(resp)
	})
	if !sent && req.Body != nil {
		_ = req.Body.Close()
	}
	return resp, err
}
