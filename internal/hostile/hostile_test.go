// Package hostile runs every generated parser against bodies a broken or
// hostile server might send: endless streams, huge bodies, invalid UTF-8,
// JSON nested 10,000 deep, and wrong types in every field. Each must give a
// typed error (or nil for a success) in bounded time and memory, never a
// panic, and leave the body readable.
package hostile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/generated/alvys"
	"github.com/errcat/errcat/generated/quivo"
	"github.com/errcat/errcat/generated/samsara"
	"github.com/errcat/errcat/generated/trackunit"
	"github.com/errcat/errcat/internal/features/agraphql"
	"github.com/errcat/errcat/internal/features/apaths"
	"github.com/errcat/errcat/internal/features/bbodies"
	"github.com/errcat/errcat/internal/features/bodydelay"
	"github.com/errcat/errcat/internal/features/c1codes"
	"github.com/errcat/errcat/internal/features/c1graphql"
	"github.com/errcat/errcat/internal/features/cardpay"
	"github.com/errcat/errcat/internal/features/d1transport"
	"github.com/errcat/errcat/internal/features/d2cost"
	"github.com/errcat/errcat/internal/features/d2delays"
	"github.com/errcat/errcat/internal/features/e_batch"
	"github.com/errcat/errcat/internal/features/e_bulk"
	"github.com/errcat/errcat/internal/features/e_warnings"
	"github.com/errcat/errcat/internal/features/errarray"
	"github.com/errcat/errcat/internal/features/nasty"
	"github.com/errcat/errcat/internal/features/okflag"
	"github.com/errcat/errcat/internal/features/override"
	"github.com/errcat/errcat/internal/features/percode"
	"github.com/errcat/errcat/internal/features/u_s3"
	"github.com/errcat/errcat/internal/features/u_shopify"
	"github.com/errcat/errcat/internal/features/unionbox"
	"github.com/errcat/errcat/internal/features/x_mix"
)

type parser struct {
	name         string
	parse        func(int, http.Header, []byte) error
	fromResponse func(*http.Response, int64) error
}

var parsers = []parser{
	{"alloy", alloy.Parse, alloy.FromResponseLimit},
	{"alvys", alvys.Parse, alvys.FromResponseLimit},
	{"quivo", quivo.Parse, quivo.FromResponseLimit},
	{"samsara", samsara.Parse, samsara.FromResponseLimit},
	{"trackunit", trackunit.Parse, trackunit.FromResponseLimit},
	{"agraphql", agraphql.Parse, agraphql.FromResponseLimit},
	{"apaths", apaths.Parse, apaths.FromResponseLimit},
	{"bbodies", bbodies.Parse, bbodies.FromResponseLimit},
	{"bodydelay", bodydelay.Parse, bodydelay.FromResponseLimit},
	{"errarray", errarray.Parse, errarray.FromResponseLimit},
	{"nasty", nasty.Parse, nasty.FromResponseLimit},
	{"okflag", okflag.Parse, okflag.FromResponseLimit},
	{"override", override.Parse, override.FromResponseLimit},
	{"percode", percode.Parse, percode.FromResponseLimit},
	{"cardpay", cardpay.Parse, cardpay.FromResponseLimit},
	{"unionbox", unionbox.Parse, unionbox.FromResponseLimit},
	{"e_batch", ebatch.Parse, ebatch.FromResponseLimit},
	{"e_bulk", ebulk.Parse, ebulk.FromResponseLimit},
	{"e_warnings", ewarnings.Parse, ewarnings.FromResponseLimit},
	{"d1transport", d1transport.Parse, d1transport.FromResponseLimit},
	{"d2delays", d2delays.Parse, d2delays.FromResponseLimit},
	{"d2cost", d2cost.Parse, d2cost.FromResponseLimit},
	{"c1codes", c1codes.Parse, c1codes.FromResponseLimit},
	{"c1graphql", c1graphql.Parse, c1graphql.FromResponseLimit},
	{"u_s3", us3.Parse, us3.FromResponseLimit},
	{"u_shopify", ushopify.Parse, ushopify.FromResponseLimit},
	{"x_mix", xmix.Parse, xmix.FromResponseLimit},
}

// endless is a body that never ends; it counts what was read from it.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '{'
	}
	e.read += int64(len(p))
	return len(p), nil
}

// sized is a streaming body of n bytes of a repeated pattern, never held
// in memory whole.
type sized struct {
	left    int64
	pattern []byte
	pos     int
}

func (s *sized) Read(p []byte) (int, error) {
	if s.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n := 0
	for n < len(p) {
		c := copy(p[n:], s.pattern[s.pos:])
		n += c
		s.pos = (s.pos + c) % len(s.pattern)
	}
	s.left -= int64(n)
	return n, nil
}

func check(t *testing.T, p parser, status int, err error) {
	t.Helper()
	if status < 400 {
		return // a success may be nil; okflag and trackunit may report errors in 200s
	}
	e, ok := apierr.As(err)
	if !ok {
		t.Fatalf("%s: status %d gave %T %v, want an apierr.Error", p.name, status, err, err)
	}
	if e.HTTPStatus() != status {
		t.Errorf("%s: HTTPStatus %d, want %d", p.name, e.HTTPStatus(), status)
	}
	msg := err.Error()
	if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\n\r\x00") || len(msg) > 1024 {
		t.Errorf("%s: Error() is not one short valid line: %q", p.name, msg)
	}
}

func TestEndlessBodyIsBounded(t *testing.T) {
	for _, p := range parsers {
		body := &endless{}
		resp := &http.Response{StatusCode: 500, Header: http.Header{}, Body: io.NopCloser(body)}
		err := p.fromResponse(resp, 0)
		check(t, p, 500, err)
		if body.read > apierr.DefaultMaxBodyBytes+64<<10 {
			t.Errorf("%s: read %d bytes of an endless body", p.name, body.read)
		}
		var e interface{ RawBody() []byte }
		if !errors.As(err, &e) || len(e.RawBody()) != apierr.DefaultMaxBodyBytes {
			t.Errorf("%s: raw body not bounded to the limit", p.name)
		}
	}
}

// TestGiantStreamingBodyStaysReadable: after parsing, a streamed body
// far over the read limit is still readable in full, and parsing buffers
// only the limit: the bytes allocated while parsing and draining it stay
// far below its size, which proves "never buffered" at 8 MiB as at 1 GiB.
// ERRCAT_LONG_TESTS=1 (make test-long) streams 1 GiB.
func TestGiantStreamingBodyStaysReadable(t *testing.T) {
	size := int64(8 << 20)
	if os.Getenv("ERRCAT_LONG_TESTS") != "" {
		size = 1 << 30
	}
	for _, p := range parsers[:2] {
		resp := &http.Response{StatusCode: 503, Header: http.Header{}, Body: io.NopCloser(&sized{left: size, pattern: []byte(`{"message":"x"},`)})}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := p.fromResponse(resp, 1024)
		check(t, p, 503, err)
		n, rerr := io.Copy(io.Discard, resp.Body)
		runtime.ReadMemStats(&after)
		if rerr != nil || n != size {
			t.Errorf("%s: body after parsing gave %d bytes, %v; want all %d", p.name, n, rerr, size)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(size)/8 {
			t.Errorf("%s: parsing and reading a %d-byte body allocated %d bytes: it was buffered", p.name, size, alloc)
		}
	}
}

func hostileBodies() map[string][]byte {
	deep := strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000)
	deepArr := `{"errors":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "}"
	wrongTypes := `{"status_code":"x","error":{"minor_code":{"a":1},"type":[1],"message":7,"details":"str","error_token":false},` +
		`"timestamp":"yesterday","code":[],"violations":{"field":1},"errors":[{"extensions":{"code":5,"resetIn":"soon","cost":null}}],` +
		`"message":{"text":[]},"Message":null,"requestId":1.5e999,"retry_after_ms":"NaN","retry_in":12,"occurred_at":1e300,"ok":"false","c":1e400}`
	// Wildcard paths (format v2) over a wide map of wide lists, deep
	// arrays where a top-level array is read, and every userError shape.
	var wide strings.Builder
	wide.WriteString(`{"errors":{`)
	for i := range 2000 {
		fmt.Fprintf(&wide, `"f%d":["a","b","c"],`, i)
	}
	wide.WriteString(`"z":1},"data":{"m":{"userErrors":[` + strings.Repeat(`{"code":"TAKEN","field":[1,{"x":2},null]},`, 3000) + `{}]}}}`)
	return map[string][]byte{
		"wide wildcards":      []byte(wide.String()),
		"deep top array":      []byte(strings.Repeat("[", 10001) + strings.Repeat("]", 10001)),
		"array of odd values": []byte(`[null, 1, "x", [[]], {"code": {"a": 1}, "message": ["m", 2, null]}]`),
		"empty":               nil,
		"invalid utf8":        {0xff, 0xfe, 0xfd, '\n', 0xc0, 0x80},
		"nul bytes":           []byte("\x00\x00{\x00}"),
		"deep object":         []byte(deep),
		"deep array":          []byte(deepArr),
		"wrong types":         []byte(wrongTypes),
		"truncated":           []byte(`{"error":{"minor_code":40`),
		"array root":          []byte(`[{"code":"x"}]`),
		"string root":         []byte(`"just a string"`),
		"huge number":         []byte(`{"error":{"minor_code":99999999999999999999999999},"code":99999999999999999999}`),
		"control chars":       []byte("\x1b[31mred\x1b[0m\r\n\tline two\u2028three"),
		"dup keys":            []byte(`{"message":"a","message":"b","code":"x","code":"y"}`),
		// XML: parsers with an XML format decode every body that starts with <.
		"xml deep":      []byte(strings.Repeat("<Error>", 10000) + strings.Repeat("</Error>", 10000)),
		"xml bomb":      []byte(`<!DOCTYPE Error [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><Error><Code>&c;</Code></Error>`),
		"xml external":  []byte(`<!DOCTYPE Error [<!ENTITY x SYSTEM "http://127.0.0.1:1/x">]><Error><Code>&x;</Code></Error>`),
		"xml huge attr": []byte(`<Error Code="` + strings.Repeat("x", 200<<10) + `"><Code>SlowDown</Code></Error>`),
		"xml bad utf8":  []byte("<Error><Code>ÿþ</Code></Error>"),
		"xml truncated": []byte(`<Error><Code>SlowDown</Code><Message>cut <b`),
		"xml many":      []byte("<Error>" + strings.Repeat("<Code>x</Code>", 20000) + "</Error>"),
	}
}

func TestHostileBodies(t *testing.T) {
	for name, body := range hostileBodies() {
		for _, p := range parsers {
			for _, status := range []int{200, 400, 401, 418, 429, 500, 503, 599} {
				h := http.Header{"Retry-After": {"Fri, 31 Dec 9999 23:59:59 GMT"}, "X-Should-Retry": {"\xff"}}
				if strings.HasPrefix(name, "xml") {
					h.Set("Content-Type", "application/xml")
				}
				err := p.parse(status, h, body)
				check(t, p, status, err)
				resp := &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body))}
				err2 := p.fromResponse(resp, 0)
				if (err == nil) != (err2 == nil) {
					t.Errorf("%s/%s/%d: Parse and FromResponse disagree: %v vs %v", p.name, name, status, err, err2)
				}
				if rest, _ := io.ReadAll(resp.Body); !bytes.Equal(rest, body) {
					t.Errorf("%s/%s/%d: body not readable after FromResponse", p.name, name, status)
				}
			}
		}
	}
}

// FuzzParsers feeds arbitrary statuses, header values and bodies to every
// generated parser: never a panic, always a typed error for statuses from
// 400 up, and FromResponse agreeing with Parse.
func FuzzParsers(f *testing.F) {
	for _, b := range hostileBodies() {
		if len(b) <= 4096 { // the 10,000-deep bodies make minimisation crawl; TestHostileBodies covers them
			f.Add(500, "1", b)
		}
	}
	for _, s := range []string{
		`{"status_code":401,"error":{"minor_code":4012,"details":{"bearer_token":"t"}},"timestamp":1472052254031}`,
		`{"errors":[{"message":"m","extensions":{"code":"RATE_LIMITED","resetIn":586351}}]}`,
		`{"violations":[{"field":"name","message":"m"}],"message":"Constraint violation","status":400,"code":"constraint_violation"}`,
		`{"Message":"User: x is not authorized"}`, `{"ok":false,"error":"invalid_auth"}`, `positions: must not be null`,
		`{"error":{".tag":"path","path":{".tag":"not_found"},"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]},"errors":{"email":["is invalid"]}}`,
		`[{"code":"UPSTREAM_UNAVAILABLE","message":"down"}]`, `{"data":{"m":{"userErrors":[{"code":"TAKEN","field":["a"]}]}},"errors":[{"message":"x","chain":[{"code":"C"}]}]}`,
		`{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],"extensions":{"cost":{"requestedQueryCost":1e308,"throttleStatus":{"currentlyAvailable":-1,"restoreRate":1e-308}}}}`,
		`<Error><Code>SlowDown</Code><Message lang="en">m</Message><SessionToken>t</SessionToken></Error>`,
	} {
		f.Add(503, "1", []byte(s))
		f.Add(401, "0.40235", []byte(s))
		f.Add(200, "Wed, 21 Oct 2015 07:28:00 GMT", []byte(s))
		f.Add(429, `"default";r=0;t=999999999999999, "x";r=0`, []byte(s))
	}
	f.Add(429, "1767225600000", []byte(`{"error": {"code": "daily_quota_exceeded"}}`)) // epoch millis in a seconds header
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte) {
		h := http.Header{"Retry-After": {retryAfter}, "Alloy-Ratelimit-Reset": {retryAfter}, "X-Should-Retry": {retryAfter},
			"Ratelimit": {retryAfter}, "Ratelimit-Policy": {retryAfter}, "X-Ratelimit-Reset": {retryAfter}, "X-Ratelimit-Remaining": {"0"}, "X-Origin": {retryAfter}}
		if status%2 != 0 {
			h.Set("Content-Type", "application/xml") // reaches the XML formats' fields
		}
		for _, p := range parsers {
			err := p.parse(status, h, body)
			if status >= 400 {
				check(t, p, status, err)
			}
			if d, ok := apierr.RetryDelay(err); ok && (d < 0 || d > apierr.MaxDelay) {
				t.Fatalf("%s: delay %v outside [0, MaxDelay]", p.name, d)
			}
			if e, ok := apierr.As(err); ok {
				// The error's own method is capped by the parsers too.
				if d, _ := e.RetryDelay(); d < 0 || d > apierr.MaxDelay {
					t.Fatalf("%s: RetryDelay() = %v, outside [0, MaxDelay]", p.name, d)
				}
			}
			resp := &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body))}
			if err2 := p.fromResponse(resp, 0); (err == nil) != (err2 == nil) && len(body) <= apierr.DefaultMaxBodyBytes {
				t.Fatalf("%s: Parse and FromResponse disagree: %v vs %v", p.name, err, err2)
			}
		}
	})
}
