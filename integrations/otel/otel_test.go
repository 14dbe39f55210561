package otel_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/samsara"
	"github.com/errcat/errcat/generated/trackunit"
	errcatotel "github.com/errcat/errcat/integrations/otel"
)

const secret = "s3cr3t-token"

type setup struct {
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	client *http.Client
}

func newSetup(t *testing.T, base http.RoundTripper) setup {
	t.Helper()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	tel, err := errcatotel.New(samsara.Policy(), tp, mp)
	if err != nil {
		t.Fatal(err)
	}
	tr := apierr.NewTransport(tel.Wrap(base), samsara.Policy(), apierr.WithOnRetry(tel.OnRetry))
	return setup{spans: spans, reader: reader, client: &http.Client{Transport: tr}}
}

// A 503, then a 429 with Samsara's fractional Retry-After, then a 200: three
// attempt spans and the metrics to match, and no secret anywhere.
func TestSpansAndMetricsPerAttempt(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch hits.Add(1) {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, "overloaded, token="+secret)
		case 2:
			w.Header().Set("Retry-After", "0.01")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"message":"slow down `+secret+`","requestId":"`+secret+`"}`)
		default:
			_, _ = io.WriteString(w, `{"data":"`+secret+`"}`)
		}
	}))
	defer srv.Close()
	s := newSetup(t, srv.Client().Transport)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/fleet/drivers?access_token="+secret+"#"+secret, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()

	got := s.spans.GetSpans()
	if len(got) != 3 {
		t.Fatalf("%d spans, want one per attempt (3)", len(got))
	}
	want := []map[string]string{
		{"http.response.status_code": "503", "error.type": "503", "errcat.kind": "internal", "errcat.action": "retry_backoff", "errcat.server_delay": "false"},
		{"http.request.resend_count": "1", "http.response.status_code": "429", "error.type": "429", "errcat.kind": "rate_limited", "errcat.action": "retry_after", "errcat.server_delay": "true"},
		{"http.request.resend_count": "2", "http.response.status_code": "200"},
	}
	for i, sp := range got {
		attrs := map[string]string{}
		for _, kv := range sp.Attributes {
			attrs[string(kv.Key)] = kv.Value.Emit()
		}
		if sp.Name != "GET" || sp.SpanKind.String() != "client" {
			t.Errorf("span %d: name %q kind %v", i, sp.Name, sp.SpanKind)
		}
		for k, v := range want[i] {
			if attrs[k] != v {
				t.Errorf("span %d: %s = %q, want %q", i, k, attrs[k], v)
			}
		}
		if _, ok := attrs["http.request.resend_count"]; ok != (i > 0) {
			t.Errorf("span %d: resend_count present = %v", i, ok)
		}
		if attrs["errcat.vendor"] != "samsara" || attrs["http.request.method"] != "GET" || attrs["url.full"] != srv.URL+"/fleet/drivers" {
			t.Errorf("span %d: %v", i, attrs)
		}
		if (i < 2) != (sp.Status.Code == codes.Error) {
			t.Errorf("span %d: status %v", i, sp.Status)
		}
		for k, v := range attrs {
			if strings.Contains(v, secret) || strings.Contains(v, "?") || strings.Contains(v, "Bearer") {
				t.Errorf("span %d: attribute %s = %q leaks", i, k, v)
			}
		}
		if strings.Contains(sp.Status.Description, secret) {
			t.Errorf("span %d: status leaks", i)
		}
	}

	var rm metricdata.ResourceMetrics
	if err := s.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	sums := map[string]int64{}
	var waitCount uint64
	var waitSum float64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					key := m.Name
					if r, ok := p.Attributes.Value("errcat.retry.reason"); ok {
						key += "/" + r.AsString()
					}
					sums[key] += p.Value
					checkNoSecret(t, m.Name, p.Attributes)
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					waitCount += p.Count
					waitSum += p.Sum
					checkNoSecret(t, m.Name, p.Attributes)
				}
			}
		}
	}
	if sums["errcat.client.attempts"] != 3 || sums["errcat.client.retries/internal"] != 1 || sums["errcat.client.retries/rate_limited"] != 1 {
		t.Errorf("counters = %v, want 3 attempts, retries internal 1 and rate_limited 1", sums)
	}
	if waitCount != 2 || waitSum < 0.01 {
		t.Errorf("wait histogram: %d waits, %.3fs in all; want 2 waits, ≥ 0.01s", waitCount, waitSum)
	}
}

func checkNoSecret(t *testing.T, name string, set attribute.Set) {
	t.Helper()
	for _, kv := range set.ToSlice() {
		if strings.Contains(kv.Value.Emit(), secret) {
			t.Errorf("metric %s: attribute %s leaks", name, kv.Key)
		}
	}
}

// A transport error becomes a span with error.type naming its kind, never
// its text, which quotes the URL with its query string.
func TestTransportErrorSpan(t *testing.T) {
	fail := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return nil, errors.New("dial tcp: connection refused for " + r.URL.String())
	})
	s := newSetup(t, fail)
	req, _ := http.NewRequest(http.MethodPut, "https://api.samsara.com/fleet/drivers/1?token="+secret, nil)
	if _, err := s.client.Do(req); err == nil {
		t.Fatal("no error")
	}
	got := s.spans.GetSpans()
	if len(got) != apierr.DefaultMaxAttempts {
		t.Fatalf("%d spans, want %d", len(got), apierr.DefaultMaxAttempts)
	}
	for _, sp := range got {
		for _, kv := range sp.Attributes {
			if strings.Contains(kv.Value.Emit(), secret) {
				t.Errorf("attribute %s leaks: %q", kv.Key, kv.Value.Emit())
			}
			if kv.Key == "error.type" && kv.Value.AsString() != "*errors.errorString" {
				t.Errorf("error.type = %q", kv.Value.AsString())
			}
			if kv.Key == "server.port" && kv.Value.AsInt64() != 443 {
				t.Errorf("server.port = %d", kv.Value.AsInt64())
			}
		}
		if sp.Status.Code != codes.Error || strings.Contains(sp.Status.Description, secret) {
			t.Errorf("status %+v", sp.Status)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A string code comes from the body: on the span it is one bounded line,
// and it is never a metric dimension (a server could mint time series).
func TestHostileCodeBoundedOnSpanAbsentFromMetrics(t *testing.T) {
	long := strings.Repeat("x", 500)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"code":"`+long+`\nFORGED line\u202e","message":"m","status":400}`)
	}))
	defer srv.Close()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) }()
	tel, err := errcatotel.New(trackunit.Policy(), tp, mp)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: apierr.NewTransport(tel.Wrap(srv.Client().Transport), trackunit.Policy())}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	got := spans.GetSpans()
	if len(got) != 1 {
		t.Fatalf("%d spans, want 1", len(got))
	}
	var code string
	for _, kv := range got[0].Attributes {
		if kv.Key == errcatotel.AttrCode {
			code = kv.Value.AsString()
		}
	}
	if code == "" || strings.ContainsAny(code, "\n\u202e") || len([]rune(code)) > apierr.MaxEventCode+1 {
		t.Errorf("span code %q: want one line of at most %d runes", code, apierr.MaxEventCode+1)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	points := 0
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if d, ok := m.Data.(metricdata.Sum[int64]); ok {
				for _, p := range d.DataPoints {
					points++
					if _, ok := p.Attributes.Value(errcatotel.AttrCode); ok {
						t.Errorf("metric %s has the code as a dimension", m.Name)
					}
				}
			}
		}
	}
	if points == 0 {
		t.Fatal("no metric recorded")
	}
}

// A Retry-After on a request to fix (400) means nothing the client should
// do: errcat.server_delay follows apierr.RetryDelay and says false, while a
// 429's says true (TestSpansAndMetricsPerAttempt).
func TestServerDelayOnlyWhereTheActionTakesOne(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(int(samsara.StatusBadRequest))
		_, _ = io.WriteString(w, `{"message":"bad","requestId":"r1"}`)
	}))
	defer srv.Close()
	s := newSetup(t, srv.Client().Transport)
	resp, err := s.client.Get(srv.URL + "/fleet/drivers")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	got := s.spans.GetSpans()
	if len(got) != 1 {
		t.Fatalf("%d spans, want 1", len(got))
	}
	for _, kv := range got[0].Attributes {
		if kv.Key == errcatotel.AttrServerDelay && kv.Value.AsBool() {
			t.Errorf("errcat.server_delay = true on a fix_request response")
		}
	}
}
