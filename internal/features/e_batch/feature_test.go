package ebatch_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/e_batch"
)

// batchExample is the batch section's example in the catalog, as the
// vendor's JSON batching page shows it.
func batchExample(t testing.TB) string {
	t.Helper()
	c, err := load.File("../catalog/e_batch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return c.Batch.Example
}

// checkExampleItems checks what BatchErrors makes of the documented batch
// response: the 403 and the 429 fail; the 302, 200 and 204 do not.
func checkExampleItems(t *testing.T, items []*ebatch.ItemError, err error) {
	t.Helper()
	if err != nil || len(items) != 2 {
		t.Fatalf("BatchErrors = %v, %v; want the 403 and the 429 items", items, err)
	}
	forbidden, throttled := items[0], items[1]
	if forbidden.Index != 1 || forbidden.ID != "3" || throttled.Index != 4 || throttled.ID != "5" {
		t.Errorf("items %d/%q and %d/%q, want 1/\"3\" and 4/\"5\"", forbidden.Index, forbidden.ID, throttled.Index, throttled.ID)
	}
	// The item's typed error: sentinels of its code, status and class,
	// matchers, errors.As, kind and action through the ItemError.
	if !errors.Is(forbidden, ebatch.ErrAccessForbidden) || !errors.Is(forbidden, ebatch.ErrForbidden) || !ebatch.IsClientError(forbidden) || ebatch.IsNotFound(forbidden) {
		t.Errorf("403 item: sentinels do not match: %v", forbidden)
	}
	var e *ebatch.Error
	if !errors.As(throttled, &e) || e.Code != ebatch.CodeActivityLimitReached || e.Status != ebatch.StatusTooManyRequests || e.Format != "odata error" {
		t.Fatalf("429 item: errors.As = %#v", e)
	}
	if !ebatch.IsActivityLimitReached(throttled) || apierr.KindOf(throttled) != apierr.KindRateLimited || !apierr.IsRetryable(throttled) {
		t.Errorf("429 item: kind %v action %v", apierr.KindOf(throttled), apierr.ActionOf(throttled))
	}
	// The item's own Retry-After header, from its headers object.
	if d, ok := apierr.RetryDelay(throttled); !ok || d != 3*time.Second {
		t.Errorf("429 item: delay %v %v, want 3s from its Retry-After", d, ok)
	}
	if apierr.IsRetryable(forbidden) || apierr.ActionOf(forbidden) != apierr.ActionFixRequest {
		t.Errorf("403 item: action %v", apierr.ActionOf(forbidden))
	}
	if got := forbidden.Error(); got != `item 1 (id "3"): `+forbidden.Err.Error() || !strings.Contains(got, "Forbidden") {
		t.Errorf("Error() = %q", got)
	}
}

func TestBatchErrorsFromLoopback(t *testing.T) {
	body := batchExample(t)
	resp := e2e.Get(t, e2e.Reply{Status: 200, Header: e2e.JSON, Body: body})
	if err := ebatch.FromResponse(resp); err != nil {
		t.Fatalf("FromResponse = %v for a 200 batch, want nil", err)
	}
	items, err := ebatch.BatchErrors(resp)
	checkExampleItems(t, items, err)
	if got := e2e.Body(t, resp); got != body {
		t.Errorf("body after BatchErrors = %q, want it whole", got)
	}
	parsed, err := ebatch.ParseBatchErrors(200, http.Header{"Content-Type": {"application/json"}}, []byte(body))
	checkExampleItems(t, parsed, err)
}

// A batch whose items fail is a 200: the transport returns it at once,
// never retrying it, and the caller reads its items afterwards.
func TestBatchThroughTransportIsNotRetried(t *testing.T) {
	seq := &e2e.Sequence{Replies: []e2e.Reply{{Status: 200, Header: e2e.JSON, Body: batchExample(t)}}}
	srv := e2e.Start(t, seq)
	var events e2e.Events
	client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), ebatch.Policy(), events.Option())}
	resp, err := client.Post(srv.URL+"/$batch", "application/json", strings.NewReader(`{"requests": []}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if n := seq.Hits.Load(); n != 1 || len(events.List()) != 0 {
		t.Fatalf("server saw %d requests, %d retries; want 1 and none", n, len(events.List()))
	}
	if err := ebatch.FromResponse(resp); err != nil {
		t.Fatalf("FromResponse after the transport = %v", err)
	}
	items, err := ebatch.BatchErrors(resp)
	checkExampleItems(t, items, err)
}

// A batch the server refuses as a whole is FromResponse's error, and
// BatchErrors has no items for it; a stream is not read.
func TestBatchOtherResponses(t *testing.T) {
	refused := e2e.Get(t, e2e.Reply{Status: 400, Header: e2e.JSON, Body: `{"error": {"code": "BadRequest", "message": "Too many requests in the batch."}}`})
	if err := ebatch.FromResponse(refused); !ebatch.IsClientError(err) {
		t.Errorf("FromResponse(400) = %v", err)
	}
	if items, err := ebatch.BatchErrors(refused); items != nil || err != nil {
		t.Errorf("BatchErrors(400) = %v, %v; want none", items, err)
	}
	stream := e2e.Get(t, e2e.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/x-ndjson"}, Body: batchExample(t)})
	if items, err := ebatch.BatchErrors(stream); items != nil || err != nil {
		t.Errorf("BatchErrors(ndjson) = %v, %v; want none", items, err)
	}
	if items, err := ebatch.BatchErrors(nil); items != nil || !errors.Is(err, apierr.ErrNilResponse) {
		t.Errorf("BatchErrors(nil) = %v, %v", items, err)
	}
}

// Hostile batch bodies: item counts past apierr.MaxItems are bounded, a
// body past apierr.DefaultMaxSuccessBodyBytes is read as far as the bound,
// deep nesting and items of every wrong shape never panic.
func TestHostileBatchBodies(t *testing.T) {
	many := `{"responses": [` + strings.Repeat(`{"id": "x", "status": 404},`, 3*apierr.MaxItems) + `{"status": 404}]}`
	items, err := ebatch.ParseBatchErrors(200, nil, []byte(many))
	if len(items) != apierr.MaxItems || !errors.Is(err, apierr.ErrTooManyItems) {
		t.Errorf("%d items: got %d errors, %v; want %d and ErrTooManyItems", 3*apierr.MaxItems+1, len(items), err, apierr.MaxItems)
	}
	pad := strings.Repeat("p", 1000)
	huge := `{"responses": [` + strings.Repeat(`{"status": 404, "pad": "`+pad+`"},`, 5000) + `{"status": 404}]}`
	resp := e2e.Get(t, e2e.Reply{Status: 200, Header: e2e.JSON, Body: huge})
	items, err = ebatch.BatchErrors(resp)
	if !errors.Is(err, apierr.ErrBodyTruncated) || len(items) < 4000 || len(items) >= 5001 {
		t.Errorf("%d-byte body: %d errors, %v; want those within the bound and ErrBodyTruncated", len(huge), len(items), err)
	}
	if got := e2e.Body(t, resp); got != huge {
		t.Errorf("body after BatchErrors is %d bytes, want %d", len(got), len(huge))
	}
	for _, body := range []string{
		`{"responses": [` + strings.Repeat(`[`, 100000) + strings.Repeat(`]`, 100000) + `]}`,
		`{"responses": [{"status": 404, "body": ` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000) + `}]}`,
		`{"responses": [1, "x", null, true, [], {"status": "abc"}, {"status": 99999}, {"status": -1}, {"status": 404.5}, {"status": null}, {"id": {"x": 1}, "status": 500, "headers": [1], "body": 7}]}`,
		`{"responses": {"status": 404}}`, `{"responses": "x"}`, `[]`, ``, `{"responses": [{"status": 404, "body": "plain text"}]}`,
		`{"responses": [{"status": 404, "headers": {"Retry-After": {"x": 1}, "": "y"}, "body": {"error": {"code": 7}}}]}`,
	} {
		items, _ := ebatch.ParseBatchErrors(200, nil, []byte(body))
		for _, it := range items {
			_ = fmt.Sprintf("%v %+v %#v %s", it, it, it, it.Error())
		}
	}
	mixed := `{"responses": [1, {"id": 42, "status": 500, "body": "upstream failed"}]}`
	items, _ = ebatch.ParseBatchErrors(200, nil, []byte(mixed))
	if len(items) != 1 || items[0].Index != 1 || items[0].ID != "42" || !ebatch.IsServerError(items[0]) || items[0].Err.Message != "upstream failed" {
		t.Errorf("mixed items: %#v", items)
	}
}

// A secret an item echoes (the access token of its error body, under the
// same name elsewhere, or in its message or id) is printed nowhere.
func TestBatchItemSecretsNeverPrinted(t *testing.T) {
	const token = "eyJ0eXAiOiJKV1QiLCJhbGciOi.secret"
	body := `{"responses": [{"id": "` + token + `", "status": 401, "headers": {"Request-Id": "r-1"}, "body": {"error": {"code": "InvalidAuthenticationToken", "message": "Token ` + token + ` is expired.", "innerError": {"access_token": "` + token + `"}, "debug": {"accessToken": "` + token + `"}}}}]}`
	items, err := ebatch.ParseBatchErrors(200, nil, []byte(body))
	if err != nil || len(items) != 1 || !ebatch.IsInvalidAuthenticationToken(items[0]) || !apierr.NeedsReauth(items[0]) {
		t.Fatalf("items %v, %v", items, err)
	}
	it := items[0]
	outs := []string{it.Error(), fmt.Sprintf("%v|%+v|%#v|%s", it, it, it, it), it.Err.Message, it.ID, string(it.Err.RawBody()), it.Err.RequestIDHeader,
		e2e.LogText(slog.NewJSONHandler, "batch", slog.Any("item", it)), e2e.LogText(slog.NewTextHandler, "batch", slog.Any("err", it.Err))}
	for _, out := range outs {
		if e2e.Leaks(out, token) {
			t.Errorf("the token leaks: %s", out)
		}
	}
	if it.Err.RequestIDHeader != "r-1" {
		t.Errorf("item header Request-Id = %q", it.Err.RequestIDHeader)
	}
}

// BenchmarkParseBatchErrors parses a batch of 1000 items, half failed.
func BenchmarkParseBatchErrors(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"responses": [`)
	for i := range 1000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		if i%2 == 0 {
			fmt.Fprintf(&sb, `{"id": "%d", "status": 200, "body": {"value": []}}`, i)
		} else {
			fmt.Fprintf(&sb, `{"id": "%d", "status": 404, "body": {"error": {"code": "itemNotFound", "message": "The resource could not be found."}}}`, i)
		}
	}
	sb.WriteString(`]}`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		items, err := ebatch.ParseBatchErrors(200, nil, body)
		if err != nil || len(items) != 500 {
			b.Fatal(len(items), err)
		}
	}
}

// A gzip batch the caller asked for itself (net/http then leaves it
// compressed) is decompressed for the inspection only: the items are
// found, and the caller reads the bytes as they arrived.
func TestGzipBatch(t *testing.T) {
	var zipped bytes.Buffer
	w := gzip.NewWriter(&zipped)
	_, _ = io.WriteString(w, batchExample(t))
	_ = w.Close()
	srv := e2e.Start(t, e2e.Reply{Status: 200, Header: map[string]string{"Content-Type": "application/json", "Content-Encoding": "gzip"}, Body: zipped.String()})
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{"requests": []}`))
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := e2e.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	items, err := ebatch.BatchErrors(resp)
	checkExampleItems(t, items, err)
	if got := e2e.Body(t, resp); got != zipped.String() {
		t.Errorf("caller reads %d bytes, want the %d gzip bytes", len(got), zipped.Len())
	}
	items, err = ebatch.ParseBatchErrors(200, http.Header{"Content-Encoding": {"gzip"}}, zipped.Bytes())
	checkExampleItems(t, items, err)
}
