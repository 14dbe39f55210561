package apaths_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/errcatimpl"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/apaths"
)

// fromServer serves reply on a loopback server and classifies the response
// with FromResponse, as a client would.
func fromServer(t *testing.T, reply e2e.Reply) *apaths.Error {
	t.Helper()
	err := apaths.FromResponse(e2e.Get(t, reply))
	var e *apaths.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As failed: %v", err)
	}
	return e
}

// The code is the reason of the details item whose @type is ErrorInfo,
// wherever it is in the list; the BadRequest item's violations are typed.
func TestGoogleTypedDetails(t *testing.T) {
	body := `{"error": {"code": 401, "message": "API key not valid.", "status": "UNAUTHENTICATED", "details": [
		{"@type": "type.googleapis.com/google.rpc.Help", "reason": "not this one"},
		{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": "key", "description": "malformed"}, {"field": "name", "description": "missing"}]},
		{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}`
	e := fromServer(t, e2e.Reply{Status: 401, Header: e2e.JSON, Body: body})
	if e.Code != apaths.CodeAPIKeyInvalid || e.Domain != "googleapis.com" || e.Message != "API key not valid." {
		t.Errorf("code %q domain %q message %q", e.Code, e.Domain, e.Message)
	}
	want := []apaths.Violation{{Field: "key", Description: "malformed"}, {Field: "name", Description: "missing"}}
	if !slices.Equal(e.Violations, want) {
		t.Errorf("violations %+v", e.Violations)
	}
	if !apaths.IsAPIKeyInvalid(e) || !errors.Is(e, apaths.ErrUnauthorized) || apierr.ActionOf(e) != apierr.ActionReauthenticate {
		t.Error("matchers or action disagree")
	}
	// Without an ErrorInfo item the status is the code: the next alternative.
	e = fromServer(t, e2e.Reply{Status: 400, Header: e2e.JSON, Body: `{"error": {"status": "INVALID_ARGUMENT", "details": [{"@type": "x", "reason": "NOT_ME"}]}}`})
	if e.Code != apaths.CodeInvalidArgument || !apaths.IsInvalidArgument(e) {
		t.Errorf("code %q", e.Code)
	}
}

// NestJS sends message as a string for most errors and as a list of
// strings for validation errors: the message joins the list, and the typed
// list keeps each one.
func TestNestMessageList(t *testing.T) {
	e := fromServer(t, e2e.Reply{Status: 400, Header: e2e.JSON, Body: `{"statusCode": 400, "message": ["email must be an email", "name should not be empty"], "error": "Bad Request"}`})
	if e.Message != "email must be an email; name should not be empty" {
		t.Errorf("message %q", e.Message)
	}
	if !slices.Equal(e.Messages, []string{"email must be an email", "name should not be empty"}) {
		t.Errorf("messages %q", e.Messages)
	}
	if e.HasCode || !errors.Is(e, apaths.ErrBadRequest) {
		t.Errorf("code %q, status matchers", e.Code)
	}
	e = fromServer(t, e2e.Reply{Status: 404, Header: e2e.JSON, Body: `{"statusCode": 404, "message": "Cannot GET /v1/x", "error": "Not Found"}`})
	if e.Message != "Cannot GET /v1/x" || e.Messages != nil || !apaths.IsClientError(e) {
		t.Errorf("message %q, messages %q", e.Message, e.Messages)
	}
}

// A Rails-style map of field name to messages: one typed item per message,
// carrying the field name its * matched; members in byte order of their
// names.
func TestRailsFieldMap(t *testing.T) {
	e := fromServer(t, e2e.Reply{Status: 422, Header: e2e.JSON, Body: `{"errors": {"name": ["can't be blank"], "email": ["is invalid", "has already been taken"]}}`})
	want := []apaths.FieldError{{Field: "email", Text: "is invalid"}, {Field: "email", Text: "has already been taken"}, {Field: "name", Text: "can't be blank"}}
	if !slices.Equal(e.FieldErrors, want) {
		t.Errorf("field errors %+v", e.FieldErrors)
	}
	if e.Message != "is invalid; has already been taken; can't be blank" || !apaths.IsUnprocessable(e) {
		t.Errorf("message %q", e.Message)
	}
}

// A key named ".tag" is read quoted; a wildcard over the union's members
// finds the inner tag.
func TestTaggedUnion(t *testing.T) {
	e := fromServer(t, e2e.Reply{Status: 409, Header: e2e.JSON, Body: `{"error_summary": "path/not_found/..", "error": {".tag": "path", "path": {".tag": "not_found"}}}`})
	if e.Code != apaths.CodePathLookup || e.InnerTag != "not_found" || e.Message != "path/not_found/.." {
		t.Errorf("code %q inner %q message %q", e.Code, e.InnerTag, e.Message)
	}
	if !apaths.IsPathLookup(e) || !apaths.IsConflict(e) || apierr.KindOf(e) != apierr.KindConflict {
		t.Error("matchers or kind disagree")
	}
}

// Alternatives take the first value of the field's type (issue 17.4): a
// detail that is an object in one place gives way to the string in the
// next, a code that is a list gives way to the status, and a message that
// is a list of strings is joined.
func TestAlternativesTakeTheDeclaredType(t *testing.T) {
	body := `{"error": {".tag": ["not", "a", "code"], "status": "INVALID_ARGUMENT", "detail": {"field": "x"}, "message": ["a", "b"]}, "detail": "plain text"}`
	e := fromServer(t, e2e.Reply{Status: 400, Header: e2e.JSON, Body: body})
	if e.Detail != "plain text" || e.Code != apaths.CodeInvalidArgument || e.Message != "a; b" {
		t.Errorf("detail %q code %q message %q", e.Detail, e.Code, e.Message)
	}
}

// The gateway answers with a top-level JSON array: the code is its first
// item's, the message every item's, and the transport retries it.
func TestTopLevelArrayThroughTransport(t *testing.T) {
	array := `[{"code": "UPSTREAM_UNAVAILABLE", "message": "orders backend is down"}, {"code": "RETRY_LATER", "message": "try again"}]`
	e := fromServer(t, e2e.Reply{Status: 503, Header: e2e.JSON, Body: array})
	if e.Code != apaths.CodeUpstreamUnavailable || e.Message != "orders backend is down / try again" || !slices.Equal(e.GatewayCodes, []string{"UPSTREAM_UNAVAILABLE", "RETRY_LATER"}) {
		t.Errorf("code %q message %q codes %q", e.Code, e.Message, e.GatewayCodes)
	}
	if !apaths.IsUpstreamUnavailable(e) || !apierr.IsRetryable(e) {
		t.Error("matchers or retry disagree")
	}

	seq := &e2e.Sequence{Replies: []e2e.Reply{
		{Status: 503, Header: e2e.JSON, Body: array},
		{Status: 429, Header: map[string]string{"Content-Type": "application/json", "Retry-After": "0.01"}, Body: `{"error": {"details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED"}]}}`},
		{Status: 200, Header: e2e.JSON, Body: `[]`},
	}}
	srv := e2e.Start(t, seq)
	var events e2e.Events
	client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), apaths.Policy(), apierr.WithBackoff(time.Millisecond, 2*time.Millisecond), events.Option())}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	evs := events.List()
	if resp.StatusCode != 200 || seq.Hits.Load() != 3 || len(evs) != 2 {
		t.Fatalf("status %d after %d requests, events %+v", resp.StatusCode, seq.Hits.Load(), evs)
	}
	if evs[0].Code != string(apaths.CodeUpstreamUnavailable) || evs[1].Code != string(apaths.CodeRateLimitExceeded) || evs[1].Delay != 10*time.Millisecond || !evs[1].ServerDelay {
		t.Errorf("events %+v", evs)
	}
	// A 2xx array is a success, as any 2xx without error_when.
	if err := apaths.Parse(200, nil, []byte(array)); err != nil {
		t.Errorf("a 200 array is an error: %v", err)
	}
}

// A hostile body with thousands of field names and messages yields at most
// errcatimpl.MaxMatches items and joined strings.
func TestHugeWildcardMatchesBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"errors": {`)
	for i := range 3000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"f%04d": ["a", "b"]`, i)
	}
	b.WriteString(`}}`)
	e := fromServer(t, e2e.Reply{Status: 422, Header: e2e.JSON, Body: b.String()})
	if len(e.FieldErrors) != errcatimpl.MaxMatches || strings.Count(e.Message, ";") != errcatimpl.MaxMatches-1 {
		t.Errorf("%d items, %d joined strings", len(e.FieldErrors), strings.Count(e.Message, ";")+1)
	}
	if e.FieldErrors[0].Field != "f0000" || e.FieldErrors[2].Field != "f0001" {
		t.Errorf("first items %+v", e.FieldErrors[:3])
	}
}

// A sensitive path with a wildcard redacts the value in every details
// item; the value echoed in the message is scrubbed too, and nothing
// prints it.
func TestSensitiveWildcardPath(t *testing.T) {
	const key = "AIzaSyD-secret-value-1234"
	body := `{"error": {"status": "INVALID_ARGUMENT", "message": "key ` + key + ` is bad", "details": [
		{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "metadata": {"api_key": "` + key + `"}},
		{"@type": "x", "metadata": {"api_key": "` + key + `-2"}}]}}`
	e := fromServer(t, e2e.Reply{Status: 401, Header: e2e.JSON, Body: body})
	if e.Code != apaths.CodeAPIKeyInvalid {
		t.Errorf("code %q", e.Code)
	}
	printed := fmt.Sprintf("%v %+v %#v %s", e, e, e, e.Message) + e2e.Marshal(t, e)
	if strings.Contains(printed, key) {
		t.Errorf("the key is printed: %s", printed)
	}
	// A body no format reads (none applies to 599) is shown redacted too.
	if err := apaths.Parse(599, nil, []byte(body)); err != nil && strings.Contains(err.Error(), key) {
		t.Errorf("the key is printed: %v", err)
	}
}
