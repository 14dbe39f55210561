package ewarnings_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/e_warnings"
)

// warningsExample is the warnings section's example in the catalog, as the
// vendor's page shows it.
func warningsExample(t testing.TB) string {
	t.Helper()
	c, err := load.File("../catalog/e_warnings.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return c.Warnings.Example
}

func checkExampleWarnings(t *testing.T, ws []ewarnings.Warning, err error) {
	t.Helper()
	if err != nil || len(ws) != 2 {
		t.Fatalf("Warnings = %v, %v; want the two documented", ws, err)
	}
	if w := ws[0]; w.Code != "deprecated_field" || w.Field != "fax" || w.RemovalDate != "2027-01-01" || !strings.Contains(w.Message, "'fax' is deprecated") {
		t.Errorf("first warning: %+v", w)
	}
	if w := ws[1]; w.Code != "ignored_parameter" || w.Field != "expand" || w.RemovalDate != "" {
		t.Errorf("second warning: %+v", w)
	}
	if got := ws[0].String(); got != "e_warnings warning deprecated_field: The field 'fax' is deprecated and will be removed on 2027-01-01." {
		t.Errorf("String() = %q", got)
	}
}

// A success body's warnings reach the caller; the response stays a
// success, and its body stays readable.
func TestWarningsFromLoopback(t *testing.T) {
	body := warningsExample(t)
	resp := e2e.Get(t, e2e.Reply{Status: 200, Header: e2e.JSON, Body: body})
	if err := ewarnings.FromResponse(resp); err != nil {
		t.Fatalf("FromResponse = %v for a 200 with warnings, want nil", err)
	}
	ws, err := ewarnings.Warnings(resp)
	checkExampleWarnings(t, ws, err)
	if got := e2e.Body(t, resp); got != body {
		t.Errorf("body after Warnings = %q", got)
	}
	ws, err = ewarnings.ParseWarnings(201, http.Header{"Content-Type": {"application/json; charset=utf-8"}}, []byte(body))
	checkExampleWarnings(t, ws, err)
}

// The transport returns a 200 with warnings at once (it is a success), and
// the caller reads the warnings from the response it got.
func TestWarningsThroughTransportNotRetried(t *testing.T) {
	seq := &e2e.Sequence{Replies: []e2e.Reply{{Status: 200, Header: e2e.JSON, Body: warningsExample(t)}}}
	srv := e2e.Start(t, seq)
	var events e2e.Events
	client := &http.Client{Transport: apierr.NewTransport(e2e.Base(), ewarnings.Policy(), events.Option())}
	resp, err := client.Get(srv.URL + "/customers/cus_123")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if n := seq.Hits.Load(); n != 1 || len(events.List()) != 0 || resp.StatusCode != 200 {
		t.Fatalf("status %d after %d requests and %d retries; want 200 after 1", resp.StatusCode, n, len(events.List()))
	}
	if err := ewarnings.FromResponse(resp); err != nil {
		t.Fatalf("FromResponse after the transport = %v", err)
	}
	ws, err := ewarnings.Warnings(resp)
	checkExampleWarnings(t, ws, err)
}

// Error responses are FromResponse's: Warnings has none for them, as for
// a stream, a body without warnings and a nil response.
func TestWarningsOnlyForSuccesses(t *testing.T) {
	bad := e2e.Get(t, e2e.Reply{Status: 400, Header: e2e.JSON, Body: `{"error": {"code": "invalid_parameter", "message": "limit"}, "warnings": [{"code": "x"}]}`})
	if err := ewarnings.FromResponse(bad); !ewarnings.IsInvalidParameter(err) {
		t.Errorf("FromResponse(400) = %v", err)
	}
	if ws, err := ewarnings.Warnings(bad); ws != nil || err != nil {
		t.Errorf("Warnings(400) = %v, %v", ws, err)
	}
	for _, r := range []e2e.Reply{
		{Status: 200, Header: map[string]string{"Content-Type": "application/x-ndjson"}, Body: warningsExample(t)},
		{Status: 200, Header: e2e.JSON, Body: `{"data": {}}`},
		{Status: 204},
	} {
		if ws, err := ewarnings.Warnings(e2e.Get(t, r)); len(ws) != 0 || err != nil {
			t.Errorf("%+v: Warnings = %v, %v", r, ws, err)
		}
	}
	if _, err := ewarnings.Warnings(nil); !errors.Is(err, apierr.ErrNilResponse) {
		t.Errorf("Warnings(nil) = %v", err)
	}
}

// A string item is a warning's message; items of other types are skipped.
func TestStringWarnings(t *testing.T) {
	ws, err := ewarnings.ParseWarnings(200, nil, []byte(`{"warnings": ["Field fax is deprecated.", 7, null, {"detail": "Use phone."}]}`))
	if err != nil || len(ws) != 2 || ws[0].Message != "Field fax is deprecated." || ws[1].Message != "Use phone." || ws[0].Code != "" {
		t.Errorf("ParseWarnings = %#v, %v", ws, err)
	}
}

// The API key a body holds, at its sensitive path or under the same name
// anywhere, and a warning's secret field are printed nowhere: not in the
// warning's texts, fields, String, %v/%+v/%#v or slog.
func TestWarningSecretsNeverPrinted(t *testing.T) {
	const key, tok = "sk_live_0123456789abcdef", "tok_ABCDEFGHIJKL"
	body := `{"api_key": "` + key + `", "warnings": [{"code": "key_expiring", "message": "Key ` + key + ` expires in 3 days.", "field": "` + key + `", "session_token": "` + tok + `", "details": {"apiKey": "` + key + `", "note": "for ` + key + `", "session": "` + tok + `"}}]}`
	ws, err := ewarnings.ParseWarnings(200, nil, []byte(body))
	if err != nil || len(ws) != 1 {
		t.Fatalf("ParseWarnings = %v, %v", ws, err)
	}
	w := ws[0]
	if w.SessionToken.Reveal() != tok || w.Code != "key_expiring" {
		t.Errorf("secret field %q, code %q", w.SessionToken.Reveal(), w.Code)
	}
	outs := []string{w.String(), w.Message, w.Field, fmt.Sprint(w.Details), fmt.Sprintf("%v|%+v|%#v|%s", w, w, w, w), fmt.Sprintf("%v %+v", ws, ws),
		e2e.LogText(slog.NewJSONHandler, "warned", slog.Any("warning", w)), e2e.LogText(slog.NewTextHandler, "warned", slog.Any("warning", w))}
	for _, out := range outs {
		if e2e.Leaks(out, key) || e2e.Leaks(out, tok) {
			t.Errorf("a secret leaks: %s", out)
		}
	}
}

// Hostile success bodies: more than apierr.MaxItems warnings are bounded,
// a body past the read bound is read as far as it goes, deep nesting and
// control characters never panic or break the one line.
func TestHostileWarnings(t *testing.T) {
	many := `{"warnings": [` + strings.Repeat(`{"code": "w"},`, 2*apierr.MaxItems) + `"last"]}`
	ws, err := ewarnings.ParseWarnings(200, nil, []byte(many))
	if len(ws) != apierr.MaxItems || !errors.Is(err, apierr.ErrTooManyItems) {
		t.Errorf("%d warnings: got %d, %v", 2*apierr.MaxItems+1, len(ws), err)
	}
	huge := `{"warnings": [` + strings.Repeat(`{"code": "w", "message": "`+strings.Repeat("m", 1000)+`"},`, 5000) + `"last"]}`
	resp := e2e.Get(t, e2e.Reply{Status: 200, Header: e2e.JSON, Body: huge})
	ws, err = ewarnings.Warnings(resp)
	if !errors.Is(err, apierr.ErrBodyTruncated) || len(ws) < 4000 || len(ws) > 5000 {
		t.Errorf("%d-byte body: %d warnings, %v", len(huge), len(ws), err)
	}
	for _, body := range []string{
		`{"warnings": ` + strings.Repeat(`[`, 100000) + strings.Repeat(`]`, 100000) + `}`,
		`{"warnings": [{"details": ` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000) + `}]}`,
		`{"warnings": {"code": "x"}}`, `{"warnings": "x"}`, `[{"code": "x"}]`, `not json`,
		`{"warnings": [{"code": {"x": 1}, "message": ["a"], "field": 7, "removal_date": true, "details": "x", "session_token": {"a": 1}}]}`,
	} {
		ws, _ := ewarnings.ParseWarnings(200, nil, []byte(body))
		_ = fmt.Sprintf("%v %+v %#v", ws, ws, ws)
	}
	ws, _ = ewarnings.ParseWarnings(200, nil, []byte(`{"warnings": [{"code": "a\nb", "message": "line1\r\nline2\u202e\u0000"}]}`))
	if len(ws) != 1 || strings.ContainsAny(ws[0].String(), "\r\n\x00\u202e") {
		t.Errorf("String() is not one clean line: %q", ws[0].String())
	}
}

// BenchmarkParseWarnings parses a success body with three warnings.
func BenchmarkParseWarnings(b *testing.B) {
	body := []byte(`{"data": {"id": "cus_123", "name": "Ada"}, "warnings": [{"code": "deprecated_field", "message": "The field 'fax' is deprecated.", "field": "fax"}, {"code": "ignored_parameter", "message": "expand was ignored.", "field": "expand"}, "Plain text warning."]}`)
	b.ReportAllocs()
	for b.Loop() {
		if ws, err := ewarnings.ParseWarnings(200, nil, body); err != nil || len(ws) != 3 {
			b.Fatal(ws, err)
		}
	}
}
