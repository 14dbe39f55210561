package apierrtest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/errcat/errcat/apierr/apierrtest"
)

// A Script answers a client's requests in order and records them; once
// its steps are used it fails with ErrExhausted.
func ExampleScript() {
	script := apierrtest.NewScript(
		apierrtest.Respond(http.StatusTooManyRequests, http.Header{"Retry-After": {"2"}}, `{"error":"slow down"}`),
		apierrtest.OK(`{"id":1}`),
	)
	client := &http.Client{Transport: script}
	for range 3 {
		resp, err := client.Get("https://api.example.com/v1/things")
		if err != nil {
			fmt.Println(strings.Contains(err.Error(), apierrtest.ErrExhausted.Error()))
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"), string(body))
	}
	fmt.Println(len(script.Requests()))
	// Output:
	// 429 application/json {"error":"slow down"}
	// 200 application/json {"id":1}
	// true
	// 3
}

// A Script is also an http.Handler, for httptest servers.
func ExampleScript_handler() {
	script := apierrtest.NewScript(apierrtest.Respond(http.StatusServiceUnavailable, nil, "down for maintenance"))
	srv := httptest.NewServer(script)
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/v1/things", "application/json", strings.NewReader(`{"name":"x"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	seen := script.Requests()[0]
	fmt.Println(resp.StatusCode, seen.Method, seen.URL.Path, string(seen.Body))
	// Output: 503 POST /v1/things {"name":"x"}
}

// A Clock's waits return at once; it records them and moves on by them.
func ExampleClock() {
	clock := apierrtest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	<-clock.After(2 * time.Second)
	<-clock.After(500 * time.Millisecond)
	fmt.Println(clock.Waits(), clock.Now().Format(time.TimeOnly))
	// Output: [2s 500ms] 00:00:02
}

// A Catalog builds a vendor's responses; generated kits describe their
// catalog with one. Here the delay source is an epoch time in a header:
// WithClock measures it from the test's clock.
func ExampleCatalog_Response() {
	catalog := &apierrtest.Catalog{
		Formats: []apierrtest.Format{{JSON: true, Message: []any{"error", "message"}, Sample: `{"error":{"message":"sample"}}`}},
		Delay:   &apierrtest.Delay{Header: "X-Reset", Format: apierrtest.EpochSeconds},
	}
	clock := apierrtest.NewClock(time.Unix(1_700_000_000, 0))
	resp := catalog.Response(http.StatusTooManyRequests, nil, nil,
		apierrtest.WithMessage("slow down"), apierrtest.WithRetryAfter(90*time.Second), apierrtest.WithClock(clock))
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Reset"), string(body))
	// Output: 429 1700000090 {"error":{"message":"slow down"}}
}
