package apierrtest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func read(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRetryAfterFormats checks each delay format, header and body, and
// that epoch times are measured from WithClock's clock, rounded up.
func TestRetryAfterFormats(t *testing.T) {
	at := time.Unix(1_700_000_000, 250_000_000) // not on a whole second
	clock := NewClock(at)
	body := []Format{{JSON: true, Delay: []any{"wait", 0}, Cost: [][]any{{"c"}, {"a"}, {"r"}}, Sample: `{"wait":[0]}`}}
	for _, tt := range []struct {
		name       string
		delay      Delay
		d          time.Duration
		header     string
		wantHeader string
		wantBody   string
	}{
		{"seconds", Delay{Header: "Retry-After", Format: Seconds}, 1500 * time.Millisecond, "Retry-After", "1.5", ""},
		{"millis", Delay{Header: "X-Ms", Format: Millis}, 1500 * time.Millisecond, "X-Ms", "1500", ""},
		{"duration", Delay{Header: "X-D", Format: Duration}, 90 * time.Second, "X-D", "1m30s", ""},
		{"epoch seconds", Delay{Header: "X-Reset", Format: EpochSeconds}, 2 * time.Second, "X-Reset", "1700000003", ""},
		{"epoch millis", Delay{Header: "X-Reset", Format: EpochMillis}, 2 * time.Second, "X-Reset", "1700000002250", ""},
		{"body number", Delay{Format: Millis}, time.Second, "", "", `{"wait":[1000]}`},
		{"body text", Delay{Format: EpochSeconds, Text: true}, time.Second, "", "", `{"wait":["1700000002"]}`},
		{"body duration", Delay{Format: Duration}, time.Second, "", "", `{"wait":["1s"]}`},
		{"ratelimit", Delay{Header: "RateLimit", Format: RateLimit}, 1500 * time.Millisecond, "RateLimit", `"default";r=0;t=2`, ""},
		{"condition header", Delay{Header: "X-Reset", Format: Seconds, WhenHeader: "X-Remaining", WhenValue: "0"}, time.Second, "X-Remaining", "0", ""},
		{"cost", Delay{Format: Cost}, 4 * time.Second, "", "", `{"a":0,"c":4,"r":1,"wait":[0]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &Catalog{Formats: body, Delay: &tt.delay}
			resp := c.Response(429, nil, nil, WithRetryAfter(tt.d), WithClock(clock))
			got := read(t, resp)
			if tt.header != "" && resp.Header.Get(tt.header) != tt.wantHeader {
				t.Errorf("%s = %q; want %q", tt.header, resp.Header.Get(tt.header), tt.wantHeader)
			}
			if tt.wantBody != "" && got != tt.wantBody {
				t.Errorf("body = %s; want %s", got, tt.wantBody)
			}
		})
	}
}

// TestEpochWithoutClockUsesNow: without WithClock an epoch delay is
// measured from time.Now.
func TestEpochWithoutClockUsesNow(t *testing.T) {
	c := &Catalog{Delay: &Delay{Header: "X-Reset", Format: EpochSeconds}}
	before := time.Now()
	resp := c.Response(429, nil, nil, WithRetryAfter(time.Hour))
	want := before.Add(time.Hour).Unix()
	got, err := strconv.ParseInt(resp.Header.Get("X-Reset"), 10, 64)
	if err != nil || got < want || got > want+2 {
		t.Errorf("X-Reset = %d, %v; want about %d", got, err, want)
	}
}

// TestExampleAndOptions: the documented example is kept unless the status
// changes; a code and error_when are set in samples; headers come last.
func TestExampleAndOptions(t *testing.T) {
	c := &Catalog{
		Formats: []Format{
			{Statuses: []int{2}, JSON: true, ErrorWhen: []any{"ok"}, ErrorValue: "false", Sample: `{"msg":"s"}`},
			{JSON: true, Code: []any{"code"}, Message: []any{"msg"}, Sample: `{"code":"","msg":"s"}`},
		},
		Reset:         &Delay{Header: "X-Reset", Format: EpochMillis},
		SampleMessage: "sample",
	}
	ex := &Example{Header: [][2]string{{"X-Doc", "1"}}, Body: `{"code":"doc","msg":"documented"}`}
	if got := read(t, c.Response(400, ex, "E1")); got != ex.Body {
		t.Errorf("example body = %s", got)
	}
	resp := c.Response(400, ex, "E1", WithStatus(409), WithMessage("m"), WithReset(time.UnixMilli(42)), WithHeader("X-Reset", "7"))
	if got := read(t, resp); resp.StatusCode != 409 || got != `{"code":"E1","msg":"m"}` || resp.Header.Get("X-Doc") != "" || resp.Header.Get("X-Reset") != "7" {
		t.Errorf("changed status: %d %s %v", resp.StatusCode, got, resp.Header)
	}
	if got := read(t, c.Response(200, nil, nil)); got != `{"msg":"s","ok":false}` {
		t.Errorf("error_when sample = %s", got)
	}
	if got := read(t, c.Response(400, nil, nil, WithReset(time.UnixMilli(42)))); got != `{"code":"","msg":"s"}` {
		t.Errorf("sample = %s", got)
	}
	if resp := c.Response(400, nil, nil, WithReset(time.UnixMilli(42))); resp.Header.Get("X-Reset") != "42" {
		t.Errorf("reset = %q", resp.Header.Get("X-Reset"))
	}
	if resp := c.Response(400, nil, nil, WithBody("plain"), WithMessage("text")); read(t, resp) != "text" || resp.Header.Get("Content-Length") != "4" {
		t.Errorf("text body: %v", resp.Header)
	}
}

// TestSetHas covers paths through objects and arrays, and wrong steps.
func TestSetHas(t *testing.T) {
	doc := set(nil, []any{"a", 1, "b"}, "v")
	if got := encode(doc); got != `{"a":[null,{"b":"v"}]}` {
		t.Errorf("set = %s", got)
	}
	for _, tt := range []struct {
		path []any
		want bool
	}{{[]any{"a", 1, "b"}, true}, {[]any{"a", 2}, false}, {[]any{"a", "x"}, false}, {[]any{1}, false}, {[]any{"a", -1}, false}, {[]any{"a", 1, "b", "c"}, false}} {
		if got := has(doc, tt.path); got != tt.want {
			t.Errorf("has(%v) = %v", tt.path, got)
		}
	}
	if decode(`{} {}`) != nil || decode("text") != nil {
		t.Error("decode accepts a non-document")
	}
}

// TestScriptFailAndExhausted: Fail fails the round trip or drops the
// connection; an exhausted script says so.
func TestScriptFailAndExhausted(t *testing.T) {
	boom := errors.New("boom")
	s := NewScript(Fail(boom))
	if _, err := s.RoundTrip(httptest.NewRequest("GET", "/", nil)); !errors.Is(err, boom) {
		t.Errorf("Fail: %v", err)
	}
	if _, err := s.RoundTrip(httptest.NewRequest("GET", "/", nil)); !errors.Is(err, ErrExhausted) {
		t.Errorf("exhausted: %v", err)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 500 {
		t.Errorf("exhausted handler: %d", w.Code)
	}
	st := StepOf(&http.Response{StatusCode: 418, Header: http.Header{"X": {"y"}}, Body: io.NopCloser(strings.NewReader("tea"))})
	resp, _ := NewScript(st).RoundTrip(httptest.NewRequest("GET", "/", nil))
	if resp.StatusCode != 418 || resp.Header.Get("X") != "y" || read(t, resp) != "tea" || resp.Request == nil {
		t.Errorf("StepOf: %v", resp)
	}
}

// TestWithValue: a named value goes where the format carries it (several
// at once through Options); a format without it, or a text body, is left as
// it is, and without values a documented body keeps its bytes.
func TestWithValue(t *testing.T) {
	c := &Catalog{Formats: []Format{
		{Statuses: []int{402}, JSON: true, Values: []Value{{Name: "set:sub", Path: []any{"error", "sub"}}, {Name: "domain:sub", Path: []any{"error", "domain"}}}, Sample: `{"error":{}}`},
		{Statuses: []int{5}},
	}, SampleMessage: "down"}
	ex := &Example{Body: `{"error": {"code": "x"}}`}
	if got := read(t, c.Response(402, ex, nil)); got != ex.Body {
		t.Errorf("no values: %s", got)
	}
	got := read(t, c.Response(402, ex, nil, Options(WithValue("set:sub", "s1"), WithValue("domain:sub", "d.example"), WithValue("set:other", "o"))))
	if got != `{"error":{"code":"x","domain":"d.example","sub":"s1"}}` {
		t.Errorf("values: %s", got)
	}
	if got := read(t, c.Response(402, nil, nil, WithValue("set:sub", int64(51)))); got != `{"error":{"sub":51}}` {
		t.Errorf("sample with value: %s", got)
	}
	if got := read(t, c.Response(503, nil, nil, WithValue("set:sub", "s1"))); got != "down" {
		t.Errorf("text body: %s", got)
	}
}

// A code the catalog lists without a status and without an example has no
// status to answer with: the kit asks for WithStatus rather than invent one.
func TestResponseNeedsAStatus(t *testing.T) {
	c := &Catalog{Formats: []Format{{JSON: true, Code: []any{"code"}, Sample: `{"code":""}`}}}
	resp := c.Response(0, nil, "E1", WithStatus(503))
	if got := read(t, resp); resp.StatusCode != 503 || got != `{"code":"E1"}` {
		t.Errorf("WithStatus(503): %d %s", resp.StatusCode, got)
	}
	defer func() {
		if msg, _ := recover().(string); !strings.Contains(msg, "WithStatus") {
			t.Errorf("recovered %q, want a panic asking for WithStatus", msg)
		}
	}()
	c.Response(0, nil, "E1")
	t.Error("Response(0, ...) returned a response without a status")
}

// TestRetryAfterTakesTheSourceOfTheStatus: WithRetryAfter writes the delay
// to the first delay source whose statuses take the response's status (a
// class as its digit), with its condition header: a source limited to 402
// is no place for a 429's delay.
func TestRetryAfterTakesTheSourceOfTheStatus(t *testing.T) {
	quota := &Delay{Header: "X-Quota-Reset", Format: Seconds, Statuses: []int{402}, WhenHeader: "X-Quota-Remaining", WhenValue: "0"}
	server := &Delay{Header: "X-Wait", Format: Seconds, Statuses: []int{5}}
	retry := &Delay{Header: "Retry-After", Format: Seconds}
	c := &Catalog{Formats: []Format{{JSON: true, Sample: `{}`}}, Delay: quota, Delays: []*Delay{quota, server, retry}}
	for _, tt := range []struct {
		status         int
		header, absent string
	}{
		{402, "X-Quota-Reset", "Retry-After"},
		{503, "X-Wait", "X-Quota-Reset"},
		{429, "Retry-After", "X-Quota-Reset"},
	} {
		resp := c.Response(tt.status, nil, nil, WithRetryAfter(5*time.Second))
		if resp.Header.Get(tt.header) != "5" || resp.Header.Get(tt.absent) != "" {
			t.Errorf("%d: %s = %q, %s = %q; want the delay in %s only", tt.status, tt.header, resp.Header.Get(tt.header), tt.absent, resp.Header.Get(tt.absent), tt.header)
		}
	}
	if resp := c.Response(402, nil, nil, WithRetryAfter(time.Second)); resp.Header.Get("X-Quota-Remaining") != "0" {
		t.Errorf("402: the source's condition header is not set")
	}
}
