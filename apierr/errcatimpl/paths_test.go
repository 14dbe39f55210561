package errcatimpl

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
)

func pathDoc(t testing.TB, body string) Doc {
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
	d := pathDoc(t, `{
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
	d := pathDoc(t, `{"message": ["a", "b"], "error": "fallback", "code": "x", "status": 7, "list": {"k": 1}, "items": [{"v": 1}]}`)
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
	d := pathDoc(t, `[{"code": "A", "message": "one"}, {"code": "B", "message": "two", "token": "sekret-value"}]`)
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
	d := pathDoc(t, b.String())
	all := Path{{Key: "errors"}, every, every}
	if n := len(d.Strings(all)); n != MaxMatches {
		t.Errorf("Strings: %d values, want %d", n, MaxMatches)
	}
	if s, _ := d.Join(",", Path{{Key: "errors"}, every}); strings.Count(s, ",") != MaxMatches-1 {
		t.Errorf("Join kept %d strings", strings.Count(s, ",")+1)
	}
	n := 0
	all.each(d.root, false, func(slot) bool { n++; return true })
	if n != MaxMatches {
		t.Errorf("each visited %d", n)
	}
	deep := Path{{Key: "deep"}, every, every, every, every}
	if v, ok := d.Lookup(deep); !ok || len(v.([]any)) != 1 {
		t.Error("the fifth array of the deep body not matched")
	}
}

func BenchmarkWildcard(b *testing.B) {
	d := pathDoc(b, `{"error":{"details":[{"@type":"a","reason":"x"},{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := d.String(details); !ok {
			b.Fatal("no match")
		}
	}
}

// fuzzPath makes a path from spec, one step per byte: a key, an index, a
// wildcard or a filter on a key (equal to "x" or 1).
func fuzzPath(spec []byte) Path {
	var p Path
	for _, c := range spec[:min(len(spec), 8)] {
		switch c % 5 {
		case 0:
			p = append(p, Step{Key: string(rune('a' + c%3))})
		case 1:
			p = append(p, Step{Index: int(c % 3), IsIndex: true})
		case 2, 3:
			p = append(p, every)
		case 4:
			p = append(p, Step{Filter: &Filter{Path: Path{{Key: "a"}}, Equals: []string{`"x"`, "1"}[c%2]}})
		}
	}
	return p
}

// FuzzWildcardPaths: any path of keys, indexes, wildcards and filters over
// any JSON body never panics, selects at most MaxMatches values, and the
// typed accessors agree with the values selected.
//
//	go test -run x -fuzz FuzzWildcardPaths -fuzztime 30s ./apierr/errcatimpl/
func FuzzWildcardPaths(f *testing.F) {
	f.Add([]byte{2, 2}, []byte(`{"a":{"b":["x",1],"c":[{"a":"x"}]}}`))
	f.Add([]byte{1, 4, 0}, []byte(`[[{"a":"x","b":2},{"a":1}]]`))
	f.Add([]byte{2, 3, 2}, []byte(`{"a":[[1,2],[3]],"b":{"c":{"a":"x"}}}`))
	f.Fuzz(func(t *testing.T, spec, body []byte) {
		d, ok := DecodeJSON(body)
		if !ok {
			return
		}
		p := fuzzPath(spec)
		n := 0
		p.each(d.root, false, func(slot) bool { n++; return true })
		if n > MaxMatches {
			t.Fatalf("%d matches", n)
		}
		var want string
		found := false
		p.each(d.root, false, func(s slot) bool {
			want, found = scalarText(s.v)
			return !found
		})
		if got, ok := d.String(p); ok != found || got != want {
			t.Fatalf("String = %q, %v; the first text the walk selects is %q, %v", got, ok, want, found)
		}
		if len(d.Strings(p)) > MaxMatches || len(d.List(p)) > MaxMatches+len(body) || len(d.Values(p)) > MaxMatches {
			t.Fatal("too many items")
		}
		d.Join(",", p)
		d.Equals(p, `"x"`)
		d.NonEmpty(p)
		d.Redact(p)
		_ = d.JSON()
	})
}

// In an XML document a wildcard or filter treats an element that occurs
// once as a list of one, as index 0 does.
func TestWildcardsInXML(t *testing.T) {
	many, ok := DecodeXML([]byte(`<Errors><Error><Code>A</Code><Kind>x</Kind></Error><Error><Code>B</Code><Kind>y</Kind></Error></Errors>`), false)
	if !ok {
		t.Fatal("not XML")
	}
	one, _ := DecodeXML([]byte(`<Errors><Error><Code>A</Code><Kind>y</Kind></Error></Errors>`), false)
	codes := Path{{Key: "Errors"}, {Key: "Error"}, every, {Key: "Code"}}
	if got := many.Strings(codes); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("many: %q", got)
	}
	if got := one.Strings(codes); !slices.Equal(got, []string{"A"}) {
		t.Errorf("one: %q", got)
	}
	kindY := Path{{Key: "Errors"}, {Key: "Error"}, {Filter: &Filter{Path: Path{{Key: "Kind"}}, Equals: `"y"`}}, {Key: "Code"}}
	if c, _ := many.String(kindY); c != "B" {
		t.Errorf("filter over many: %q", c)
	}
	if c, _ := one.String(kindY); c != "A" {
		t.Errorf("filter over one: %q", c)
	}
}

// TestPresentWithWildcardsAndFilters: present: (error_when, when) over a
// path with a wildcard or filter holds when one value it matches is there
// and not null, as equals and non_empty do; Present first read such a path
// as a plain one and never held.
func TestPresentWithWildcardsAndFilters(t *testing.T) {
	d := pathDoc(t, `{"errors":[{"severity":"warn"},{"severity":"error","code":"bad"},{"severity":"error","code":null}],"meta":{"a":{"x":null},"b":{"x":0}}}`)
	errCode := Path{{Key: "errors"}, {Filter: &Filter{Path: Path{{Key: "severity"}}, Equals: `"error"`}}, {Key: "code"}}
	warnCode := Path{{Key: "errors"}, {Filter: &Filter{Path: Path{{Key: "severity"}}, Equals: `"warn"`}}, {Key: "code"}}
	cases := []struct {
		p    Path
		want bool
	}{
		{Path{{Key: "errors"}, every, {Key: "code"}}, true},
		{errCode, true},
		{warnCode, false},
		{Path{{Key: "errors"}, every, {Key: "nothing"}}, false},
		{Path{{Key: "meta"}, every, {Key: "x"}}, true}, // b.x is 0: present
		{Path{{Key: "meta"}, {Key: "a"}, {Key: "x"}}, false},
	}
	for _, c := range cases {
		if got := d.Present(c.p); got != c.want {
			t.Errorf("Present(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	x, _ := DecodeXML([]byte(`<Errors><Error><Kind>x</Kind></Error><Error><Kind>y</Kind><Code/></Error></Errors>`), false)
	if !x.Present(Path{{Key: "Errors"}, {Key: "Error"}, every, {Key: "Code"}}) {
		t.Error("XML: an empty element matched by a wildcard is not present")
	}
}

// BenchmarkWildcardMembers reads a Rails-style map of 50 fields, two
// messages each: every member visited in name order, 100 items.
func BenchmarkWildcardMembers(b *testing.B) {
	var s strings.Builder
	s.WriteString(`{"errors":{`)
	for i := range 50 {
		if i > 0 {
			s.WriteByte(',')
		}
		fmt.Fprintf(&s, `"field_%02d":["is invalid","is taken"]`, 49-i)
	}
	s.WriteString(`}}`)
	d := pathDoc(b, s.String())
	p := Path{{Key: "errors"}, every, every}
	b.ReportAllocs()
	for b.Loop() {
		if len(d.Values(p)) != 100 {
			b.Fatal("items")
		}
	}
}
