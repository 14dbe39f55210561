package unionbox_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/unionbox"
	"github.com/errcat/errcat/internal/features/unionbox/unionboxtest"
)

func get(t *testing.T, status int, body string) (*unionbox.Error, error) {
	t.Helper()
	err := unionbox.FromResponse(e2e.Get(t, e2e.Reply{Status: status, Header: e2e.JSON, Body: body}))
	var e *unionbox.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: %v is not a *unionbox.Error", body, err)
	}
	return e, err
}

// The code of a tagged union is the chain of its tags, one string code:
// its constant, sentinel and matcher are those of the composed text.
func TestTagChainIsTheCode(t *testing.T) {
	for _, c := range []struct {
		body string
		code unionbox.Code
		is   func(error) bool
	}{
		{`{"error_summary": "path/not_found/..", "error": {".tag": "path", "path": {".tag": "not_found"}}}`, unionbox.CodePathNotFound, unionbox.IsPathNotFound},
		{`{"error": {".tag": "path", "path": {".tag": "conflict", "conflict": {".tag": "file"}}}}`, unionbox.CodePathConflictFile, unionbox.IsPathConflictFile},
		{`{"error": {".tag": "from_lookup", "from_lookup": {".tag": "not_found"}, "path": {".tag": "conflict"}}}`, unionbox.CodeFromLookupNotFound, unionbox.IsFromLookupNotFound},
		// a branch the catalog does not list: representable, matches no code
		{`{"error": {".tag": "other"}}`, "other", nil},
		// a member that is no union ends the chain
		{`{"error": {".tag": "path", "path": "not_found"}}`, "path", nil},
	} {
		e, err := get(t, 409, c.body)
		if !e.HasCode || e.Code != c.code || !unionbox.IsEndpointError(err) {
			t.Errorf("%s: code %q (%v)", c.body, e.Code, e.HasCode)
		}
		if c.is != nil && !c.is(err) {
			t.Errorf("%s: its matcher does not match", c.body)
		}
		if c.is == nil && (e.Code.Known() || unionbox.IsPathNotFound(err)) {
			t.Errorf("%s: unlisted code matched", c.body)
		}
	}
	if got := unionbox.CodePathNotFound.Description(); !strings.Contains(got, "nothing at the given path") {
		t.Errorf("description %q", got)
	}
}

// The summary the vendor varies with trailing dots and slashes is cleaned
// (trim: "/.") before it is matched.
func TestSummaryCleaned(t *testing.T) {
	for _, s := range []string{"path/not_found/..", "path/not_found/", "path/not_found/.../", "path/not_found"} {
		e, err := get(t, 409, `{"error_summary": "`+s+`", "error": {".tag": "path", "path": {".tag": "not_found"}}}`)
		if e.Summary != unionbox.SummaryPathNotFound || !unionbox.IsSummaryPathNotFound(err) {
			t.Errorf("%q: summary %q", s, e.Summary)
		}
	}
	e, err := get(t, 409, `{"error_summary": "/./", "error": {}}`)
	if e.HasSummary || e.HasCode || unionbox.IsSummaryPathNotFound(err) {
		t.Errorf("a summary cleaning to nothing counted: %+v", e)
	}
}

// A code composed of two fields, trimmed and folded to lower case; parts
// stop at the first missing one.
func TestComposedParts(t *testing.T) {
	e, err := get(t, 429, `{"error": {"category": " RateLimit ", "detail": "TOO_MANY_REQUESTS"}}`)
	if e.Code != unionbox.CodeQuotaTooManyRequests || !unionbox.IsQuotaTooManyRequests(err) || !apierr.IsRetryable(err) {
		t.Errorf("code %q", e.Code)
	}
	e, _ = get(t, 429, `{"error": {"detail": "too_many_requests"}}`)
	if e.HasCode {
		t.Errorf("a missing first part still made code %q", e.Code)
	}
	e, _ = get(t, 429, `{"error": {"category": "ratelimit"}}`)
	if e.Code != "ratelimit" {
		t.Errorf("one part: code %q", e.Code)
	}
	err = unionbox.Parse(429, http.Header{"Content-Type": {"application/json"}}, []byte(`{"error": {"category": "RATELIMIT", "detail": "too_many_requests"}}`))
	if !unionbox.IsQuotaTooManyRequests(err) {
		t.Errorf("Parse: %v", err)
	}
}

// Hostile unions: a cycle of tags, a very deep chain and tags of other
// types stop quietly, never panic.
func TestHostileUnions(t *testing.T) {
	deep := strings.Repeat(`{".tag": "a", "a": `, 100) + "{}" + strings.Repeat("}", 100)
	for body, want := range map[string]string{
		`{"error": ` + deep + `}`:                              "a/a/a/a/a/a/a/a",
		`{"error": {".tag": 7, "7": {".tag": "x"}}}`:           "",
		`{"error": {".tag": ["path"], "path": {".tag": "x"}}}`: "",
		`{"error": [{".tag": "path"}]}`:                        "",
		`{"error": {".tag": "", "": {".tag": "x"}}}`:           "",
		`{"error": {".tag": "path", "path": {".tag": null}}}`:  "path",
	} {
		e, _ := get(t, 409, body)
		if string(e.Code) != want || e.HasCode != (want != "") {
			t.Errorf("%.60s: code %q (%v), want %q", body, e.Code, e.HasCode, want)
		}
	}
}

// The test kit answers a composed code with its example.
func TestKit(t *testing.T) {
	e := unionboxtest.NewError(unionbox.CodePathConflictFile)
	if !unionbox.IsPathConflictFile(e) || !unionbox.IsSummaryPathConflictFile(e) {
		t.Errorf("kit error %v", e)
	}
	e = unionboxtest.NewError(unionbox.CodePathNotFound, unionboxtest.WithSummary(unionbox.SummaryPathConflictFile))
	if !unionbox.IsPathNotFound(e) || !unionbox.IsSummaryPathConflictFile(e) || unionbox.IsSummaryPathNotFound(e) {
		t.Errorf("kit WithSummary: %v", e)
	}
}

// Through apierr.NewTransport: a composed rate-limit code is retried, a
// composed 409 code is returned at once with its matcher intact.
func TestTransport(t *testing.T) {
	ok := e2e.Reply{Status: 200, Header: e2e.JSON, Body: `{"name": "a"}`}
	for _, c := range []struct {
		reply  e2e.Reply
		hits   int32
		status int
	}{
		{e2e.Reply{Status: 429, Header: e2e.JSON, Body: `{"error": {"category": "ratelimit", "detail": "too_many_requests"}}`}, 2, 200},
		{e2e.Reply{Status: 409, Header: e2e.JSON, Body: `{"error": {".tag": "path", "path": {".tag": "not_found"}}}`}, 1, 409},
	} {
		seq := &e2e.Sequence{Replies: []e2e.Reply{c.reply, ok}}
		srv := e2e.Start(t, seq)
		client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), unionbox.Policy(), apierr.WithBackoff(time.Millisecond, 2*time.Millisecond))}
		resp, err := client.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		e2e.Body(t, resp)
		resp.Body.Close()
		if seq.Hits.Load() != c.hits || resp.StatusCode != c.status {
			t.Errorf("%s: %d hits, status %d", c.reply.Body, seq.Hits.Load(), resp.StatusCode)
		}
		if c.status == 409 && !unionbox.IsPathNotFound(unionbox.FromResponse(resp)) {
			t.Error("the final 409 does not match IsPathNotFound")
		}
	}
}

// BenchmarkParseTagChain parses a three-tag union and a summary to clean:
// the cost of a composed and a cleaned code per error.
func BenchmarkParseTagChain(b *testing.B) {
	h := http.Header{"Content-Type": {"application/json"}}
	body := []byte(`{"error_summary": "path/conflict/file/..", "error": {".tag": "path", "path": {".tag": "conflict", "conflict": {".tag": "file"}}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if err := unionbox.Parse(409, h, body); !unionbox.IsPathConflictFile(err) || !unionbox.IsSummaryPathConflictFile(err) {
			b.Fatal(err)
		}
	}
}
