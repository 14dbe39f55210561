package errcatimpl

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
)

func mustDoc(t testing.TB, body string) Doc {
	t.Helper()
	d, ok := DecodeJSON([]byte(body))
	if !ok {
		t.Fatalf("not JSON: %s", body)
	}
	return d
}

var (
	every   = Step{Wildcard: true}
	details = Path{{Key: "error"}, {Key: "details"}, {Filter: &Filter{Path: Path{{Key: "@type"}}, Equals: `"type.googleapis.com/google.rpc.ErrorInfo"`}}, {Key: "reason"}}
)

func TestWildcardsAndFilters(t *testing.T) {
	d := mustDoc(t, `{
		"error": {"details": [
			{"@type": "type.googleapis.com/google.rpc.Help", "reason": "not me"},
			{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}]},
		"errors": {"name": ["is blank"], "email": ["is invalid", "is taken"]},
		"data": {"userCreate": {"userErrors": [{"code": "TAKEN", "field": ["email"]}]}},
		"items": [{"code": 1}, {"code": "x"}, {"code": 3}]}`)
	if v, ok := d.String(details); !ok || v != "API_KEY_INVALID" {
		t.Errorf("filter: %q %v", v, ok)
	}
	// Members come in byte order of their names: email before name.
	msgs := d.Strings(Path{{Key: "errors"}, every, every})
	if want := []string{"is invalid", "is taken", "is blank"}; !slices.Equal(msgs, want) {
		t.Errorf("errors.*[*] = %q, want %q", msgs, want)
	}
	items := d.List(Path{{Key: "errors"}, every, every})
	if len(items) != 0 {
		t.Errorf("strings are not object items: %d", len(items))
	}
	ue := d.List(Path{{Key: "data"}, every, {Key: "userErrors"}, every})
	if len(ue) != 1 {
		t.Fatalf("data.*.userErrors[*]: %d items", len(ue))
	}
	if k, ok := ue[0].Key(); !ok || k != "userCreate" {
		t.Errorf("Key = %q %v", k, ok)
	}
	if c, _ := ue[0].String(Path{{Key: "code"}}); c != "TAKEN" {
		t.Errorf("item code %q", c)
	}
	rails := d.Values(Path{{Key: "errors"}, every, every})
	if len(rails) != 3 {
		t.Fatalf("Values: %d items", len(rails))
	}
	if k, _ := rails[0].Key(); k != "email" {
		t.Errorf("Values key %q", k)
	}
	if v, _ := rails[0].String(Path{}); v != "is invalid" {
		t.Errorf("Values value %q", v)
	}
	// The first value of the declared type, in document order.
	if n, ok := d.Int(Path{{Key: "items"}, every, {Key: "code"}}); !ok || n != 1 {
		t.Errorf("Int = %d %v", n, ok)
	}
	if s, ok := d.Join("; ", Path{{Key: "errors"}, every}); !ok || s != "is invalid; is taken; is blank" {
		t.Errorf("Join = %q %v", s, ok)
	}
	if !d.Equals(Path{{Key: "items"}, every, {Key: "code"}}, "3") || d.Equals(Path{{Key: "items"}, every, {Key: "code"}}, "2") {
		t.Error("Equals over a wildcard")
	}
}

// TestAlternativesTakeTheDeclaredType: path [a, b] picks the first value of
// the field's type, not the first key present (issue 17.4).
func TestAlternativesTakeTheDeclaredType(t *testing.T) {
	d := mustDoc(t, `{"message": ["a", "b"], "error": "fallback", "code": "x", "status": 7, "list": {"k": 1}, "items": [{"v": 1}]}`)
	if s, ok := d.String(Path{{Key: "message"}}, Path{{Key: "error"}}); !ok || s != "fallback" {
		t.Errorf("String = %q %v", s, ok)
	}
	if n, ok := d.Int(Path{{Key: "code"}}, Path{{Key: "status"}}); !ok || n != 7 {
		t.Errorf("Int = %d %v", n, ok)
	}
	if l := d.List(Path{{Key: "list"}}, Path{{Key: "items"}}); len(l) != 1 {
		t.Errorf("List = %d items", len(l))
	}
	if s, ok := d.Join(", ", Path{{Key: "message"}}); !ok || s != "a, b" {
		t.Errorf("Join = %q %v", s, ok)
	}
	if s, ok := d.Join(", ", Path{{Key: "status"}}, Path{{Key: "error"}}); !ok || s != "fallback" {
		t.Errorf("Join of a non-string = %q %v", s, ok)
	}
}

func TestTopLevelArray(t *testing.T) {
	d := mustDoc(t, `[{"code": "A", "message": "one"}, {"code": "B", "message": "two", "token": "sekret-value"}]`)
	if c, ok := d.String(Path{{Index: 0, IsIndex: true}, {Key: "code"}}); !ok || c != "A" {
		t.Errorf("[0].code = %q %v", c, ok)
	}
	if s, _ := d.Join(" / ", Path{every, {Key: "message"}}); s != "one / two" {
		t.Errorf("[*].message = %q", s)
	}
	d.Redact(Path{every, {Key: "token"}})
	if strings.Contains(d.JSON(), "sekret") || d.Scrub("x sekret-value") != "x "+apierr.Redacted {
		t.Errorf("not redacted: %s", d.JSON())
	}
	if _, ok := DecodeObject([]byte(`[1]`)); ok {
		t.Error("DecodeObject took an array")
	}
}

// TestWildcardMatchesBounded: a body with far more matches than MaxMatches
// yields at most MaxMatches, and a deep body does not make the walk deeper
// than its path.
func TestWildcardMatchesBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"errors":{`)
	for i := range 3 * MaxMatches {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"f%05d":["m%d","n%d"]`, i, i, i)
	}
	b.WriteString(`},"deep":` + strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000) + `}`)
	d := mustDoc(t, b.String())
	all := Path{{Key: "errors"}, every, every}
	if n := len(d.Strings(all)); n != MaxMatches {
		t.Errorf("Strings: %d values, want %d", n, MaxMatches)
	}
	if s, _ := d.Join(",", Path{{Key: "errors"}, every}); strings.Count(s, ",") != MaxMatches-1 {
		t.Errorf("Join kept %d strings", strings.Count(s, ",")+1)
	}
	n := 0
	all.each(d.root, func(slot) bool { n++; return true })
	if n != MaxMatches {
		t.Errorf("each visited %d", n)
	}
	deep := Path{{Key: "deep"}, every, every, every, every}
	if v, ok := d.Lookup(deep); !ok || len(v.([]any)) != 1 {
		t.Error("the fifth array of the deep body not matched")
	}
}

func BenchmarkWildcard(b *testing.B) {
	d := mustDoc(b, `{"error":{"details":[{"@type":"a","reason":"x"},{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := d.String(details); !ok {
			b.Fatal("no match")
		}
	}
}
