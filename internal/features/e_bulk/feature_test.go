package ebulk_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/e_bulk"
)

func bulkExample(t testing.TB) string {
	t.Helper()
	c, err := load.File("../catalog/e_bulk.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return c.Batch.Example
}

// The documented _bulk response through the transport: one request (a 200
// is never retried), FromResponse nil, and the two failed updates as typed
// errors, read from the action-keyed items; the created document is no
// error.
func TestBulkItemErrors(t *testing.T) {
	seq := &e2e.Sequence{Replies: []e2e.Reply{{Status: 200, Header: e2e.JSON, Body: bulkExample(t)}}}
	srv := e2e.Start(t, seq)
	client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), ebulk.Policy())}
	resp, err := client.Post(srv.URL+"/_bulk", "application/x-ndjson", strings.NewReader("{\"update\":{\"_id\":\"5\"}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if seq.Hits.Load() != 1 || ebulk.FromResponse(resp) != nil {
		t.Fatalf("%d requests; FromResponse = %v", seq.Hits.Load(), ebulk.FromResponse(resp))
	}
	items, err := ebulk.BatchErrors(resp)
	if err != nil || len(items) != 2 {
		t.Fatalf("BatchErrors = %v, %v", items, err)
	}
	for i, it := range items {
		var e *ebulk.Error
		if it.Index != i || it.ID != []string{"5", "6"}[i] || !errors.As(it, &e) || e.Code != ebulk.CodeDocumentMissingException || e.Index != "index1" {
			t.Errorf("item %d: %#v %#v", i, it, e)
		}
		if !ebulk.IsDocumentMissingException(it) || !ebulk.IsNotFound(it) || !ebulk.IsClientError(it) || apierr.KindOf(it) != apierr.KindNotFound || apierr.IsRetryable(it) {
			t.Errorf("item %d: matchers, kind %v, action %v", i, apierr.KindOf(it), apierr.ActionOf(it))
		}
	}
}

// A rejected action is retryable on its own: the caller resends that item.
func TestBulkRejectedItemRetryable(t *testing.T) {
	body := `{"took": 3, "errors": true, "items": [{"index": {"_index": "i", "_id": "1", "status": 429, "error": {"type": "es_rejected_execution_exception", "reason": "rejected execution"}}}, {"delete": {"_index": "i", "_id": "2", "status": 200, "result": "deleted"}}, {"delete": {"_index": "i", "_id": "3", "status": 409, "error": {"type": "version_conflict_engine_exception", "reason": "[3]: version conflict"}}}]}`
	items, err := ebulk.ParseBatchErrors(200, nil, []byte(body))
	if err != nil || len(items) != 2 {
		t.Fatalf("ParseBatchErrors = %v, %v", items, err)
	}
	if !ebulk.IsEsRejectedExecutionException(items[0]) || !apierr.IsRetryable(items[0]) || items[0].ID != "1" {
		t.Errorf("rejected item: %v retryable %v", items[0], apierr.IsRetryable(items[0]))
	}
	if !ebulk.IsVersionConflictEngineException(items[1]) || !ebulk.IsConflict(items[1]) || items[1].Index != 2 || items[1].ID != "3" {
		t.Errorf("conflict item: %v", items[1])
	}
}
