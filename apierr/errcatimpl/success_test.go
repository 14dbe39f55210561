package errcatimpl

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
)

func mustDoc(t *testing.T, body string) Doc {
	t.Helper()
	d, ok := DecodeObject([]byte(body))
	if !ok {
		t.Fatalf("not an object: %s", body)
	}
	return d
}

func TestItems(t *testing.T) {
	d := mustDoc(t, `{"a": [{"x": 1}, 7, "text", null, [1], {"y": 2}], "b": {"c": 1}}`)
	items, err := d.Items(false, Path{{Key: "missing"}}, Path{{Key: "a"}})
	if err != nil || len(items) != 3 {
		t.Fatalf("Items = %+v, %v", items, err)
	}
	if !items[0].IsObject || items[0].Index != 0 || items[1].IsObject || items[1].Text != "text" || items[1].Index != 2 || items[2].Index != 5 {
		t.Errorf("items %+v", items)
	}
	if v, ok := items[2].Doc.Int(Path{{Key: "y"}}); !ok || v != 2 {
		t.Errorf("item doc reads %v %v", v, ok)
	}
	if items, err := d.Items(false, Path{{Key: "b"}}); items != nil || err != nil {
		t.Errorf("an object is no list: %v %v", items, err)
	}
	if _, err := d.Items(true, Path{{Key: "a"}}); !errors.Is(err, apierr.ErrBodyTruncated) {
		t.Errorf("truncated: %v", err)
	}
	many := mustDoc(t, `{"a": [`+strings.Repeat(`"w",`, apierr.MaxItems)+`"w"]}`)
	items, err = many.Items(false, Path{{Key: "a"}})
	if len(items) != apierr.MaxItems || !errors.Is(err, apierr.ErrTooManyItems) {
		t.Errorf("%d items, %v", len(items), err)
	}
}

func TestBatchShapeItems(t *testing.T) {
	shape := BatchShape{
		List:   []Path{{{Key: "r"}}},
		Status: []Path{{{Key: "status"}}},
		Body:   []Path{{{Key: "body"}}},
		ID:     []Path{{{Key: "id"}}},
		Header: []Path{{{Key: "headers"}}},
	}
	d := mustDoc(t, `{"r": [
		{"id": 1, "status": 404, "body": {"b": 1}, "headers": {"retry-after": "3", "x-n": 5, "x-obj": {"a": 1}}},
		{"id": "s", "status": "503", "body": "text body"},
		{"status": 200},
		{"status": 99}, {"status": 600}, {"status": "x"}, {"body": {}}, 7]}`)
	items, err := shape.Items(d, false)
	if err != nil || len(items) != 3 {
		t.Fatalf("items %+v, %v", items, err)
	}
	a, b, c := items[0], items[1], items[2]
	if a.ID != "1" || a.Status != 404 || string(a.Body) != `{"b":1}` || a.Header.Get("Retry-After") != "3" || a.Header.Get("X-N") != "5" || a.Header.Get("X-Obj") != "" {
		t.Errorf("first item %+v", a)
	}
	if b.ID != "s" || b.Status != 503 || string(b.Body) != "text body" || b.Header != nil || b.Index != 1 {
		t.Errorf("second item %+v", b)
	}
	if c.Status != 200 || c.Body != nil || c.Index != 2 {
		t.Errorf("third item %+v", c)
	}
	// Without a body path the item itself is the body.
	whole := BatchShape{List: shape.List, Status: shape.Status}
	items, _ = whole.Items(mustDoc(t, `{"r": [{"status": 409, "error": "x"}]}`), false)
	if len(items) != 1 || string(items[0].Body) != `{"error":"x","status":409}` {
		t.Errorf("whole item body %q", items[0].Body)
	}
	// Headers are bounded.
	var hs []string
	for i := range 3 * maxItemHeaders {
		hs = append(hs, fmt.Sprintf(`"h%d": "v"`, i))
	}
	items, _ = shape.Items(mustDoc(t, `{"r": [{"status": 500, "headers": {`+strings.Join(hs, ",")+`}}]}`), false)
	if n := len(items[0].Header); n != maxItemHeaders {
		t.Errorf("%d headers kept, want %d", n, maxItemHeaders)
	}
}

func TestScrubItem(t *testing.T) {
	d := mustDoc(t, `{"r": [{"token": "s3cr3t-value", "id": "s3cr3t-value", "status": 401, "headers": {"X-Echo": "was s3cr3t-value"}, "body": {"m": "bad s3cr3t-value"}}]}`)
	shape := BatchShape{List: []Path{{{Key: "r"}}}, Status: []Path{{{Key: "status"}}}, Body: []Path{{{Key: "body"}}}, ID: []Path{{{Key: "id"}}}, Header: []Path{{{Key: "headers"}}}}
	d.RedactKeys("token")
	items, _ := shape.Items(d, false)
	it := items[0]
	d.ScrubItem(&it)
	for _, s := range []string{it.ID, it.Header.Get("X-Echo"), string(it.Body)} {
		if strings.Contains(s, "s3cr3t") || !strings.Contains(s, apierr.Redacted) {
			t.Errorf("not scrubbed: %q", s)
		}
	}
	clean := BatchItem{ID: "id", Body: []byte("b")}
	mustDoc(t, `{}`).ScrubItem(&clean)
	if clean.ID != "id" || string(clean.Body) != "b" {
		t.Errorf("an item of a body without secrets changed: %+v", clean)
	}
}

// A body cut short is decoded as far as it goes, and the secrets it held
// are scrubbed from other texts as in a whole body.
func TestPrefixDocScrubs(t *testing.T) {
	d, ok := DecodeObjectPrefix([]byte(`{"token": "abcd1234", "msg": "token abcd1234 refused", "rest": "cut her`))
	if !ok {
		t.Fatal("prefix not decoded")
	}
	d.RedactKeys("token")
	msg, _ := d.String(Path{{Key: "msg"}})
	if got := d.Scrub(msg); got != "token "+apierr.Redacted+" refused" {
		t.Errorf("Scrub = %q", got)
	}
}

func TestLines(t *testing.T) {
	if got := WarningLine("v", "c\nd", "m\x00"); got != "v warning c d: m" {
		t.Errorf("WarningLine = %q", got)
	}
	if got := WarningLine("v", "", ""); got != "v warning" {
		t.Errorf("WarningLine = %q", got)
	}
	if got := ItemLine(3, "a\"b", errors.New("boom")); got != `item 3 (id "a\"b"): boom` {
		t.Errorf("ItemLine = %q", got)
	}
	if got := ItemLine(0, "", nil); got != "item 0" {
		t.Errorf("ItemLine = %q", got)
	}
	if SuccessBodyErr(false) != nil || !errors.Is(SuccessBodyErr(true), apierr.ErrBodyTruncated) {
		t.Error("SuccessBodyErr")
	}
}
