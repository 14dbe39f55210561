package d2cost_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/d2cost"
	"github.com/errcat/errcat/internal/features/d2cost/d2costtest"
)

// throttled is a GraphQL throttled response with the query's cost.
func throttled(cost, available, rate string) string {
	return fmt.Sprintf(`{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],`+
		`"extensions":{"cost":{"requestedQueryCost":%s,"throttleStatus":{"maximumAvailable":2000,"currentlyAvailable":%s,"restoreRate":%s}}}}`, cost, available, rate)
}

// The delay is (requestedQueryCost - currentlyAvailable) / restoreRate
// seconds, at least the code's 1 second minimum.
func TestCostFormula(t *testing.T) {
	for _, c := range []struct {
		name   string
		header map[string]string
		body   string
		want   time.Duration
	}{
		{"shopify docs", nil, throttled("1002", "802", "100"), 2 * time.Second},
		{"fraction", nil, throttled("1000", "0", "400"), 2500 * time.Millisecond},
		{"formula beats Retry-After", map[string]string{"Retry-After": "9"}, throttled("1000", "0", "100"), 10 * time.Second},
		{"below the minimum", nil, throttled("101", "100", "4"), time.Second},
		{"enough available: the minimum", nil, throttled("50", "800", "100"), time.Second},
		{"zero rate: Retry-After", map[string]string{"Retry-After": "3"}, throttled("1002", "802", "0"), 3 * time.Second},
		{"string numbers are read", nil, throttled(`"1002"`, `"802"`, `"100"`), 2 * time.Second},
		{"missing cost: the minimum", nil, `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}]}`, time.Second},
		{"hostile numbers: the minimum", nil, throttled("1e999", "0", "1"), time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			header := map[string]string{"Content-Type": "application/json"}
			for k, v := range c.header {
				header[k] = v
			}
			err := d2cost.FromResponse(e2e.Get(t, e2e.Reply{Status: 200, Header: header, Body: c.body}))
			var e *d2cost.Error
			if !errors.As(err, &e) || !errors.Is(err, d2cost.ErrThrottled) || !d2cost.IsThrottled(err) {
				t.Fatalf("FromResponse = %v", err)
			}
			if d, ok := apierr.RetryDelay(err); d != c.want || !ok {
				t.Errorf("RetryDelay = %v, %v; want %v", d, ok, c.want)
			}
		})
	}
}

// The cost source, limited to 200, reads nothing on a 503, which takes
// Retry-After; the throttled code's minimum applies wherever the code
// arrives, and only there.
func TestOtherStatuses(t *testing.T) {
	h := http.Header{"Retry-After": {"0.5"}}
	cost := `,"extensions":{"cost":{"requestedQueryCost":1000,"throttleStatus":{"currentlyAvailable":0,"restoreRate":1}}}}`
	err := d2cost.Parse(503, h, []byte(`{"errors":[{"message":"down"}]`+cost))
	if d, ok := apierr.RetryDelay(err); d != 500*time.Millisecond || !ok || !d2cost.IsServiceUnavailable(err) {
		t.Errorf("503: RetryDelay = %v, %v (%v)", d, ok, err)
	}
	err = d2cost.Parse(503, h, []byte(throttled("1000", "0", "1")))
	if d, ok := apierr.RetryDelay(err); d != time.Second || !ok {
		t.Errorf("503 with THROTTLED: RetryDelay = %v, %v; want the code's 1s minimum over 0.5s", d, ok)
	}
	if err := d2cost.Parse(200, http.Header{"Content-Type": {"application/json"}}, []byte(`{"data":{}}`)); err != nil {
		t.Errorf("success: %v", err)
	}
}

// The transport waits the formula's delay, on a fake clock; the kit's
// WithRetryAfter writes the three numbers.
func TestThroughTransport(t *testing.T) {
	seq := &e2e.Sequence{Replies: []e2e.Reply{
		{Status: 200, Header: e2e.JSON, Body: throttled("1002", "802", "50")},
		e2e.ReplyOf(d2costtest.Response(d2cost.CodeThrottled, d2costtest.WithRetryAfter(3*time.Second))),
		{Status: 200, Header: e2e.JSON, Body: `{"data":{}}`},
	}}
	srv := e2e.Start(t, seq)
	clock := d2costtest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), d2cost.Policy(), apierr.WithClock(clock))}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if waits := clock.Waits(); seq.Hits.Load() != 3 || len(waits) != 2 || waits[0] != 4*time.Second || waits[1] != 3*time.Second {
		t.Errorf("%d requests, waits %v; want 3 requests after 4s and 3s", seq.Hits.Load(), waits)
	}
}
