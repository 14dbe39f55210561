package apierr

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestTransportConcurrentFlakyServer hammers one Transport from 500
// goroutines against a server that fails every third request, and checks
// that every request ends, that no POST without an idempotency key reaches
// the server twice, and that nothing leaks.
func TestTransportConcurrentFlakyServer(t *testing.T) {
	// Goroutines of earlier tests (their connections wind down on their
	// own) are not this test's leaks.
	defer checkNoLeaks(t)()

	const requests = 500
	var (
		served   atomic.Int64
		mu       sync.Mutex
		postSeen = map[string]int{}
		getSeen  = map[string]int{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		mu.Lock()
		if r.Method == http.MethodPost {
			postSeen[id]++
		} else {
			getSeen[id]++
		}
		mu.Unlock()
		if served.Add(1)%3 == 0 {
			http.Error(w, "code=overloaded", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok "+id)
	}))
	// Bound the connections so 500 goroutines queue for a pool instead of
	// opening 500 sockets, as a real client would be configured.
	base := &http.Transport{MaxConnsPerHost: 32, MaxIdleConnsPerHost: 32}
	var retries atomic.Int64
	tr := NewTransport(base, testPolicy(time.Now),
		WithBackoff(100*time.Microsecond, time.Millisecond),
		WithOnRetry(func(RetryEvent) { retries.Add(1) }))
	client := &http.Client{Transport: tr}

	type outcome struct {
		status   int
		body     string
		attempts int
		err      error
	}
	outcomes := make([]outcome, requests)
	var wg sync.WaitGroup
	for i := range requests {
		wg.Go(func() {
			id := fmt.Sprint(i)
			method := http.MethodGet
			var body io.Reader
			if i%2 == 1 {
				method, body = http.MethodPost, strings.NewReader("create "+id)
			}
			req, err := http.NewRequest(method, srv.URL, body)
			if err != nil {
				outcomes[i].err = err
				return
			}
			req.Header.Set("X-Request-Id", id)
			resp, err := client.Do(req)
			if err != nil {
				outcomes[i].err = err
				return
			}
			outcomes[i] = outcome{status: resp.StatusCode, body: readAll(resp), attempts: Attempts(resp)}
		})
	}
	wg.Wait()

	client.CloseIdleConnections()
	srv.Close()

	mu.Lock()
	defer mu.Unlock()
	var gotRetry bool
	for i, o := range outcomes {
		id := fmt.Sprint(i)
		if o.err != nil {
			t.Errorf("request %d: %v", i, o.err)
			continue
		}
		switch o.status {
		case 200:
			if o.body != "ok "+id {
				t.Errorf("request %d: body %q", i, o.body)
			}
		case 503:
		default:
			t.Errorf("request %d: status %d", i, o.status)
		}
		if i%2 == 1 {
			if n := postSeen[id]; n != 1 {
				t.Errorf("POST %d reached the server %d times, want exactly 1", i, n)
			}
			if o.attempts != 1 {
				t.Errorf("POST %d: Attempts = %d, want 1", i, o.attempts)
			}
			continue
		}
		if n := getSeen[id]; n != o.attempts || n < 1 || n > DefaultMaxAttempts {
			t.Errorf("GET %d: server saw %d attempts, Attempts says %d", i, n, o.attempts)
		}
		if o.attempts > 1 {
			gotRetry = true
		}
		if o.status == 503 && o.attempts != DefaultMaxAttempts {
			t.Errorf("GET %d ended with 503 after %d attempts, want %d", i, o.attempts, DefaultMaxAttempts)
		}
	}
	// The server fails a third of the time, so some GETs must have retried;
	// otherwise the test proves nothing.
	if !gotRetry || retries.Load() == 0 {
		t.Error("no GET was retried")
	}
}

// TestTransportConcurrentRetryBudget runs the 500-request test's traffic
// through one shared RetryBudget: the retries never exceed capacity +
// ratio × successes, requests that found the bucket empty come back with
// their 503 after one attempt, and every request still ends without leaks.
func TestTransportConcurrentRetryBudget(t *testing.T) {
	defer checkNoLeaks(t)()

	const (
		requests = 500
		capacity = 10
		ratio    = 0.05
	)
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Two failures in three: without a budget, most GETs would retry.
		if served.Add(1)%3 != 0 {
			http.Error(w, "code=overloaded", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	base := &http.Transport{MaxConnsPerHost: 32, MaxIdleConnsPerHost: 32}
	budget := NewRetryBudget(ratio, capacity)
	var retries atomic.Int64
	tr := NewTransport(base, testPolicy(time.Now),
		WithBackoff(100*time.Microsecond, time.Millisecond),
		WithRetryBudget(budget),
		WithOnRetry(func(RetryEvent) { retries.Add(1) }))
	client := &http.Client{Transport: tr}

	var successes, failedOnce, errs atomic.Int64
	var wg sync.WaitGroup
	for range requests {
		wg.Go(func() {
			resp, err := client.Get(srv.URL)
			if err != nil {
				errs.Add(1)
				return
			}
			_ = readAll(resp)
			switch {
			case resp.StatusCode == 200:
				successes.Add(1)
			case Attempts(resp) == 1:
				failedOnce.Add(1)
			}
		})
	}
	wg.Wait()
	client.CloseIdleConnections()
	srv.Close()

	if n := errs.Load(); n != 0 {
		t.Fatalf("%d requests failed with an error", n)
	}
	limit := capacity + ratio*float64(successes.Load())
	if r := retries.Load(); float64(r) > limit || r == 0 {
		t.Errorf("retries = %d, want within (0, %.1f] (capacity %d + %.2f × %d successes)",
			r, limit, capacity, ratio, successes.Load())
	}
	if served.Load() != requests+retries.Load() {
		t.Errorf("server saw %d requests, want %d + %d retries", served.Load(), requests, retries.Load())
	}
	if failedOnce.Load() == 0 {
		t.Error("no request came back with its 503 after one attempt: the budget never ran dry")
	}
}
