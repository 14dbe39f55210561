package breaker_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/samsara"
	"github.com/errcat/errcat/integrations/breaker"
)

// A vendor that answers with the statuses of script, one per request, and
// 200 after.
func vendor(script []int, hits *atomic.Int32) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(hits.Add(1)) - 1
		if n < len(script) && script[n] != 200 {
			w.WriteHeader(script[n])
			_, _ = io.WriteString(w, "something went wrong")
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
}

func TestFourXXNeverOpens(t *testing.T) {
	var hits atomic.Int32
	srv := vendor([]int{404, 400, 429, 401, 404, 404}, &hits)
	defer srv.Close()
	s := breaker.Settings("samsara")
	s.ReadyToTrip = func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 2 }
	cb := gobreaker.NewCircuitBreaker[*http.Response](s)
	client := &http.Client{Transport: apierr.NewTransport(nil, samsara.Policy(), apierr.WithMaxAttempts(1))}
	for i := range 6 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		resp, err := breaker.Do(cb, client, req, samsara.FromResponse)
		var e *samsara.Error
		if !errors.As(err, &e) || resp == nil {
			t.Fatalf("request %d: %v, want a samsara error with its response", i, err)
		}
		_ = resp.Body.Close()
	}
	if st := cb.State(); st != gobreaker.StateClosed {
		t.Errorf("after six 4xx the breaker is %v, want closed", st)
	}
}

func TestFiveXXAndTransportErrorsOpen(t *testing.T) {
	var hits atomic.Int32
	srv := vendor([]int{503, 500}, &hits)
	s := breaker.Settings("samsara")
	s.ReadyToTrip = func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 3 }
	s.Timeout = time.Hour
	cb := gobreaker.NewCircuitBreaker[*http.Response](s)
	client := &http.Client{Transport: apierr.NewTransport(nil, samsara.Policy(), apierr.WithMaxAttempts(1))}
	get := func() (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		return breaker.Do(cb, client, req, samsara.FromResponse)
	}
	for range 2 {
		resp, err := get()
		if !errors.Is(err, samsara.ErrServerError) {
			t.Fatalf("err = %v, want a 5XX", err)
		}
		_ = resp.Body.Close()
	}
	srv.Close() // the vendor is gone: a transport error
	if _, err := get(); err == nil || apierr.KindOf(err) != apierr.KindUnknown {
		t.Fatalf("err = %v, want a transport error", err)
	}
	before := hits.Load()
	if _, err := get(); !errors.Is(err, gobreaker.ErrOpenState) {
		t.Fatalf("after three failures: %v, want ErrOpenState", err)
	}
	if hits.Load() != before {
		t.Error("an open breaker let a request through")
	}
}

// Example: a breaker in front of Samsara that opens after five failures in
// a row, counting 5xx and transport errors but not 4xx.
func Example() {
	var hits atomic.Int32
	srv := vendor([]int{404, 503, 503, 503, 503, 503}, &hits)
	defer srv.Close()

	s := breaker.Settings("samsara")
	s.ReadyToTrip = func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 5 }
	cb := gobreaker.NewCircuitBreaker[*http.Response](s)
	client := &http.Client{Transport: apierr.NewTransport(http.DefaultTransport, samsara.Policy(),
		apierr.WithMaxAttempts(1))} // the breaker, not the transport, decides here

	for range 7 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/fleet/drivers", nil)
		resp, err := breaker.Do(cb, client, req, samsara.FromResponse)
		if resp != nil {
			_ = resp.Body.Close()
		}
		fmt.Printf("%v -> breaker %v\n", err, cb.State())
	}
	// Output:
	// samsara: 404 NotFound: something went wrong -> breaker closed
	// samsara: 503: something went wrong -> breaker closed
	// samsara: 503: something went wrong -> breaker closed
	// samsara: 503: something went wrong -> breaker closed
	// samsara: 503: something went wrong -> breaker closed
	// samsara: 503: something went wrong -> breaker open
	// circuit breaker is open -> breaker open
}
