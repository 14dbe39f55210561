package agraphql_test

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/agraphql"
)

func fromServer(t *testing.T, reply e2e.Reply) *agraphql.Error {
	t.Helper()
	err := agraphql.FromResponse(e2e.Get(t, reply))
	var e *agraphql.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As failed: %v", err)
	}
	return e
}

// A mutation's userErrors, under a key named after the mutation
// (data.*.userErrors[*]), make the 200 an error: the first userError's
// code is the code, every message is joined, and each userError is a typed
// item carrying the mutation's name and its field path as a []string.
func TestMutationUserErrors(t *testing.T) {
	body := `{"data": {"customerCreate": {"customer": null, "userErrors": [
		{"field": ["input", "email"], "message": "Email has already been taken", "code": "TAKEN"},
		{"field": ["input", "phone"], "message": "Phone is invalid", "code": "INVALID"}]}}}`
	e := fromServer(t, e2e.Reply{Status: 200, Header: e2e.JSON, Body: body})
	if e.Code != agraphql.CodeTaken || e.Message != "Email has already been taken; Phone is invalid" || e.Format != "user errors" {
		t.Errorf("code %q message %q format %q", e.Code, e.Message, e.Format)
	}
	want := []agraphql.UserError{
		{Mutation: "customerCreate", Code: "TAKEN", Message: "Email has already been taken", Field: []string{"input", "email"}},
		{Mutation: "customerCreate", Code: "INVALID", Message: "Phone is invalid", Field: []string{"input", "phone"}},
	}
	if len(e.UserErrors) != len(want) {
		t.Fatalf("user errors %+v", e.UserErrors)
	}
	for i, w := range want {
		g := e.UserErrors[i]
		if g.Mutation != w.Mutation || g.Code != w.Code || g.Message != w.Message || !slices.Equal(g.Field, w.Field) {
			t.Errorf("item %d: %+v, want %+v", i, g, w)
		}
	}
	if !agraphql.IsTaken(e) || !errors.Is(e, agraphql.ErrTaken) || apierr.KindOf(e) != apierr.KindConflict {
		t.Error("matchers or kind disagree")
	}
	// Empty userErrors are a success.
	if err := agraphql.Parse(200, http.Header{"Content-Type": {"application/json"}}, []byte(`{"data": {"customerCreate": {"customer": {"id": "1"}, "userErrors": []}}}`)); err != nil {
		t.Errorf("a clean mutation is an error: %v", err)
	}
}

// Top-level errors with a chain of causes (errors[*].chain[*].code): the
// causes of every error, in order, as a []string.
func TestErrorChains(t *testing.T) {
	body := `{"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}, "chain": [{"code": "COST_EXCEEDED"}, {"code": "BUCKET_EMPTY"}]},
		{"message": "Also this", "chain": [{"code": "SECOND"}]}]}`
	e := fromServer(t, e2e.Reply{Status: 200, Header: e2e.JSON, Body: body})
	if e.Code != agraphql.CodeThrottled || e.Message != "Throttled; Also this" || !slices.Equal(e.Causes, []string{"COST_EXCEEDED", "BUCKET_EMPTY", "SECOND"}) {
		t.Errorf("code %q message %q causes %q", e.Code, e.Message, e.Causes)
	}
	if !agraphql.IsThrottled(e) || !apierr.IsRetryable(e) {
		t.Error("matchers or retry disagree")
	}
	// The same errors in a 400: read by the same format.
	e = fromServer(t, e2e.Reply{Status: 400, Header: e2e.JSON, Body: `{"errors": [{"message": "Syntax error"}]}`})
	if e.Message != "Syntax error" || e.HasCode || !agraphql.IsBadRequest(e) {
		t.Errorf("400: %+v", e)
	}
}

// The transport retries a throttled 200 and returns the success.
func TestThrottledThroughTransport(t *testing.T) {
	seq := &e2e.Sequence{Replies: []e2e.Reply{
		{Status: 200, Header: e2e.JSON, Body: `{"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]}`},
		{Status: 200, Header: e2e.JSON, Body: `{"data": {"customerCreate": {"userErrors": []}}}`},
	}}
	srv := e2e.Start(t, seq)
	var events e2e.Events
	client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), agraphql.Policy(), apierr.WithBackoff(time.Millisecond, 2*time.Millisecond), events.Option())}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	evs := events.List()
	if resp.StatusCode != 200 || seq.Hits.Load() != 2 || len(evs) != 1 || evs[0].Code != string(agraphql.CodeThrottled) {
		t.Errorf("status %d after %d requests, events %+v", resp.StatusCode, seq.Hits.Load(), evs)
	}
}
