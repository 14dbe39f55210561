package errcatimpl

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
)

// Item 2: streams of JSON are not bodies that may hold one JSON error.
func TestMayHoldJSONStreams(t *testing.T) {
	for _, ct := range []string{"application/x-ndjson", "application/ndjson", "application/jsonl", "application/json-seq", "application/stream+json", "application/x-json-stream", "text/event-stream"} {
		if MayHoldJSON(http.Header{"Content-Type": {ct}}) {
			t.Errorf("%s may hold JSON", ct)
		}
	}
	for _, ct := range []string{"application/json", "APPLICATION/JSON; charset=utf-8", "application/vnd.api+json", "text/json"} {
		if !MayHoldJSON(http.Header{"Content-Type": {ct}}) {
			t.Errorf("%s may not hold JSON", ct)
		}
	}
}

// Item 4: an unparsed body that mentions a secret key in any shape is
// withheld (one that starts as a JSON object shows only its valid start,
// redacted).
func TestScrubbedTextWithholdsEveryShape(t *testing.T) {
	keys := []string{"bearer_token"}
	for _, body := range []string{
		`<error><bearer_token>tok_live_1</bearer_token></error>`,
		`{'bearer_token': 'tok_live_1'}`,
		`bearer_token = tok_live_1`,
		`<table><tr><td>bearer_token</td><td>tok_live_1</td></tr></table>`,
		`<td>bearer<b></b>_token</td><td>tok_live_1</td>`,
		`prefix {"bearer\u005ftoken": "tok_live_1"`,
		`prefix {"bearer\\u005ftoken": "tok_live_1"`,
		"bearer_token\t: tok_live_1",
		`BearerToken: tok_live_1`,
		`bearer-token tok_live_1`,
		`bearer&#95;token=tok_live_1`,
		`bearer&amp;#x5f;token=tok_live_1`,
		`bearer%5Ftoken=tok_live_1`,
		`bearer=5Ftoken=tok_live_1`,
		`\x62earer_token: tok_live_1`,
		"ｂｅａｒｅｒ＿ｔｏｋｅｎ: tok_live_1",
		"bearer\u200b_token: tok_live_1",
	} {
		if got := ScrubbedText(Doc{}, false, []byte(body), nil, keys); strings.Contains(got, "tok_live") || !strings.HasPrefix(body, "{") && got != WithheldText {
			t.Errorf("ScrubbedText(%q) = %q, want it withheld", body, got)
		}
	}
	if got := ScrubbedText(Doc{}, false, []byte("upstream timed out"), nil, keys); got != "upstream timed out" {
		t.Errorf("a body that mentions no key: %q", got)
	}
}

func TestRedactKeysIgnoresSeparators(t *testing.T) {
	doc, _ := DecodeObject([]byte(`{"a":{"bearerToken":"s1","Bearer-Token":"s2","bearer_tokens":"kept"},"_":"x"}`))
	doc.RedactKeys("bearer_token", "_")
	if got := doc.JSON(); got != `{"_":"[REDACTED]","a":{"Bearer-Token":"[REDACTED]","bearerToken":"[REDACTED]","bearer_tokens":"kept"}}` {
		t.Errorf("got %s", got)
	}
}

// Item 6: a read error counts as truncation for the inspection.
func TestInspectBodyReadErrorTruncates(t *testing.T) {
	resp := &http.Response{Body: &failingBody{data: `{"code":4012,"mess`, err: io.ErrUnexpectedEOF}}
	body, truncated := InspectBody(resp, 1024)
	if string(body) != `{"code":4012,"mess` || !truncated {
		t.Errorf("InspectBody = %q, %v; want the bytes, truncated", body, truncated)
	}
}

// Item 7: compressed bodies are decoded for inspection, boundedly.
func TestDecodeContent(t *testing.T) {
	const text = `{"error":{"minor_code":4012}}`
	var gz, zl, raw bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, _ = io.WriteString(w, text)
	_ = w.Close()
	z := zlib.NewWriter(&zl)
	_, _ = io.WriteString(z, text)
	_ = z.Close()
	f, _ := flate.NewWriter(&raw, flate.BestCompression)
	_, _ = io.WriteString(f, text)
	_ = f.Close()
	var bomb bytes.Buffer
	bw := gzip.NewWriter(&bomb)
	// 4 MiB of zeros (~4 KiB compressed) prove the bound as 100 MiB do:
	// decoding stops at the limit. ERRCAT_LONG_TESTS=1 (make test-long)
	// expands 100 MiB.
	bombSize := 4 << 20
	if os.Getenv("ERRCAT_LONG_TESTS") != "" {
		bombSize = 100 << 20
	}
	_, _ = bw.Write(make([]byte, bombSize))
	_ = bw.Close()
	for _, c := range []struct {
		name, enc string
		body      []byte
		limit     int64
		want      string
		cut       bool
	}{
		{"gzip", "gzip", gz.Bytes(), 0, text, false},
		{"x-gzip", "X-Gzip", gz.Bytes(), 0, text, false},
		{"zlib deflate", "deflate", zl.Bytes(), 0, text, false},
		{"raw deflate", "deflate", raw.Bytes(), 0, text, false},
		{"limit", "gzip", gz.Bytes(), 10, text[:10], true},
		{"truncated", "gzip", gz.Bytes()[:gz.Len()-12], 0, text, true},
		{"not gzip", "gzip", []byte(text), 0, text, false},
		{"identity", "identity", []byte(text), 0, text, false},
		{"unsupported", "br", []byte("\x1b\x00"), 0, "\x1b\x00", false},
		{"bomb", "gzip", bomb.Bytes(), 0, string(make([]byte, apierr.DefaultMaxBodyBytes)), true},
	} {
		got, cut := DecodeContent(http.Header{"Content-Encoding": {c.enc}}, c.body, c.limit)
		if string(got) != c.want || cut != c.cut {
			t.Errorf("%s: %d bytes %.40q, cut %v; want %.40q, %v", c.name, len(got), got, cut, c.want, c.cut)
		}
	}
}

func BenchmarkDecodeContentBomb(b *testing.B) {
	var bomb bytes.Buffer
	w := gzip.NewWriter(&bomb)
	_, _ = w.Write(make([]byte, 1<<30))
	_ = w.Close()
	h := http.Header{"Content-Encoding": {"gzip"}}
	b.ReportAllocs()
	for b.Loop() {
		DecodeContent(h, bomb.Bytes()[:apierr.DefaultMaxBodyBytes], 0)
	}
}

// However a body surrounds a key, and whatever it holds, MentionsKey finds
// the key and never panics.
func FuzzMentionsKey(f *testing.F) {
	f.Add("bearer_token", "<td>x</td>", 3)
	f.Add("api-key", `{"a":"\u005f&#95;%5F"}`, 0)
	f.Fuzz(func(t *testing.T, key, text string, at int) {
		_ = MentionsKey(text, []string{key})
		if key == "" {
			return
		}
		if at < 0 {
			at = -at
		}
		at %= len(text) + 1
		if !MentionsKey(text[:at]+key+text[at:], []string{key}) {
			t.Errorf("%q inserted into %q at %d is not found", key, text, at)
		}
	})
}

// failingBody returns its data and then err; with together, err comes in
// the same Read as the last bytes, as io.Reader allows.
type failingBody struct {
	data     string
	err      error
	together bool
}

func (b *failingBody) Read(p []byte) (int, error) {
	if b.data == "" {
		return 0, b.err
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	if b.together && b.data == "" {
		return n, b.err
	}
	return n, nil
}

func (b *failingBody) Close() error { return nil }

// TestScrubbedTextScrubsSecretValues: the raw-text fallback of a body no
// format read drops a redacted secret's value wherever else it appears,
// escaped or not, in objects and arrays.
func TestScrubbedTextScrubsSecretValues(t *testing.T) {
	const tok = `s3cr"et-value`
	for _, body := range []string{
		`{"msg":"token s3cr\"et-value rejected","auth":{"bearer_token":"s3cr\"et-value"}}`,
		`[{"bearer_token":"s3cr\"et-value"},"echo s3cr\"et-value"]`,
	} {
		doc, ok := DecodeObject([]byte(body))
		got := ScrubbedText(doc, ok, []byte(body), nil, []string{"bearer_token"})
		if strings.Contains(got, "s3cr") || strings.Contains(got, tok) {
			t.Errorf("ScrubbedText(%s) = %s: the value got through", body, got)
		}
	}
	// Too short to scrub without blanking ordinary text.
	doc, _ := DecodeObject([]byte(`{"pin":"12","msg":"12 tries"}`))
	doc.RedactKeys("pin")
	if got := doc.Scrub("12 tries"); got != "12 tries" {
		t.Errorf("Scrub of a %d-byte secret = %q", 2, got)
	}
}
