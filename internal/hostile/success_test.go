package hostile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/features/e_batch"
	"github.com/errcat/errcat/internal/features/e_bulk"
	"github.com/errcat/errcat/internal/features/e_warnings"
	"github.com/errcat/errcat/internal/features/x_mix"
)

// successParser is a generated Warnings or BatchErrors (and its Parse
// form), its results as the lines they print.
type successParser struct {
	name  string
	parse func(int, http.Header, []byte) ([]string, error)
	read  func(*http.Response) ([]string, error)
}

func lines[T fmt.Stringer](xs []T, err error) ([]string, error) {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%v|%+v|%#v|%s", x, x, x, x.String())
	}
	return out, err
}

func itemLines[T error](xs []T, err error) ([]string, error) {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%v|%+v|%#v|%s", x, x, x, x.Error())
	}
	return out, err
}

var successParsers = []successParser{
	{"e_warnings", func(s int, h http.Header, b []byte) ([]string, error) { return lines(ewarnings.ParseWarnings(s, h, b)) },
		func(r *http.Response) ([]string, error) { return lines(ewarnings.Warnings(r)) }},
	{"e_batch", func(s int, h http.Header, b []byte) ([]string, error) {
		return itemLines(ebatch.ParseBatchErrors(s, h, b))
	},
		func(r *http.Response) ([]string, error) { return itemLines(ebatch.BatchErrors(r)) }},
	{"e_bulk", func(s int, h http.Header, b []byte) ([]string, error) {
		return itemLines(ebulk.ParseBatchErrors(s, h, b))
	},
		func(r *http.Response) ([]string, error) { return itemLines(ebulk.BatchErrors(r)) }},
	{"x_mix warnings", func(s int, h http.Header, b []byte) ([]string, error) { return lines(xmix.ParseWarnings(s, h, b)) },
		func(r *http.Response) ([]string, error) { return lines(xmix.Warnings(r)) }},
	{"x_mix batch", func(s int, h http.Header, b []byte) ([]string, error) {
		return itemLines(xmix.ParseBatchErrors(s, h, b))
	},
		func(r *http.Response) ([]string, error) { return itemLines(xmix.BatchErrors(r)) }},
}

func successBodies() map[string][]byte {
	out := hostileBodies()
	out["deep items"] = []byte(`{"responses":[{"status":404,"body":` + strings.Repeat(`{"a":`, 9990) + "1" + strings.Repeat("}", 9990) + `}],"warnings":[` + strings.Repeat("[", 9990) + strings.Repeat("]", 9990) + `]}`)
	out["wrong item types"] = []byte(`{"responses":[1,"x",null,{"status":"404x"},{"status":404,"body":[1,2],"headers":"h","id":[]}],"items":[{"update":7},{"index":{"status":1e999}}],"warnings":[{"code":[],"message":{}},7]}`)
	out["many items"] = []byte(`{"responses":[` + strings.Repeat(`{"status":500},`, apierr.MaxItems) + `{"status":500}],"warnings":[` + strings.Repeat(`"w",`, apierr.MaxItems) + `"w"]}`)
	out["truncated items"] = []byte(`{"responses":[{"id":"1","status":404,"body":{"error":{"code":"itemNotFound"`)
	return out
}

func checkLines(t *testing.T, name string, out []string, err error) {
	t.Helper()
	if len(out) > apierr.MaxItems {
		t.Errorf("%s: %d results, over apierr.MaxItems", name, len(out))
	}
	if err != nil && !errors.Is(err, apierr.ErrTooManyItems) && !errors.Is(err, apierr.ErrBodyTruncated) {
		t.Errorf("%s: unexpected error %v", name, err)
	}
	for _, l := range out {
		if !utf8.ValidString(l) || strings.ContainsAny(l, "\n\r\x00") {
			t.Errorf("%s: a result prints more than one valid line: %q", name, l)
			return
		}
	}
}

// TestHostileSuccessBodies: Warnings and BatchErrors over hostile bodies
// never panic, stay within apierr.MaxItems, print one line per result,
// agree with their Parse forms and leave the body readable.
func TestHostileSuccessBodies(t *testing.T) {
	for name, body := range successBodies() {
		for _, p := range successParsers {
			for _, status := range []int{200, 207, 400, 500} {
				out, err := p.parse(status, nil, body)
				checkLines(t, p.name+"/"+name, out, err)
				resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
				out2, err2 := p.read(resp)
				if len(out) != len(out2) || (err == nil) != (err2 == nil) {
					t.Errorf("%s/%s/%d: Parse and the response form disagree: %d, %v vs %d, %v", p.name, name, status, len(out), err, len(out2), err2)
				}
				if rest, _ := io.ReadAll(resp.Body); !bytes.Equal(rest, body) {
					t.Errorf("%s/%s/%d: body not readable after the response form", p.name, name, status)
				}
			}
		}
	}
}

// TestEndlessSuccessBodyIsBounded: an endless 200 body costs at most
// apierr.DefaultMaxSuccessBodyBytes, and the results come with
// apierr.ErrBodyTruncated.
func TestEndlessSuccessBodyIsBounded(t *testing.T) {
	for _, p := range successParsers {
		body := &endless{}
		resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(body)}
		out, err := p.read(resp)
		checkLines(t, p.name, out, err)
		if body.read > apierr.DefaultMaxSuccessBodyBytes+64<<10 {
			t.Errorf("%s: read %d bytes of an endless body", p.name, body.read)
		}
	}
}

// FuzzSuccessParsers feeds arbitrary bodies to every generated Warnings
// and BatchErrors: never a panic, at most apierr.MaxItems results, one
// line each.
func FuzzSuccessParsers(f *testing.F) {
	for _, b := range successBodies() {
		if len(b) <= 4096 {
			f.Add(200, b)
		}
	}
	f.Add(200, []byte(`{"responses":[{"id":"3","status":403,"headers":{"Retry-After":"3"},"body":{"error":{"code":"Forbidden","message":"m","innerError":{"access_token":"t0k3n"}}}}],"warnings":[{"code":"c","message":"m","session_token":"s"}]}`))
	f.Add(200, []byte(`{"items":[{"update":{"_id":"5","status":404,"error":{"type":"document_missing_exception","reason":"r"}}}]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		for _, p := range successParsers {
			out, err := p.parse(status, nil, body)
			checkLines(t, p.name, out, err)
		}
	})
}
