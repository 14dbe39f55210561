package errcatimpl

import "testing"

func TestCompose(t *testing.T) {
	doc, ok := DecodeObject([]byte(`{"error": {".tag": "path", "path": {".tag": "not_found.", "not_found.": 3}}, "summary": "path/not_found/..", "type": "Card_Error ", "code": "declined", "n": 7, "deep": {"t": "a", "a": {"t": "b", "b": {"t": "c", "c": {"t": "d", "d": {"t": "e", "e": {"t": "f", "f": {"t": "g", "g": {"t": "h", "h": {"t": "i"}}}}}}}}}}`))
	if !ok {
		t.Fatal("not JSON")
	}
	p := func(keys ...string) Path {
		var out Path
		for _, k := range keys {
			out = append(out, Step{Key: k})
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		got    func() (string, bool)
		want   string
		wantOK bool
	}{
		{"tags", func() (string, bool) { return Compose{Sep: "/", Tag: ".tag"}.Tags(doc, p("error")) }, "path/not_found.", true},
		{"tags trimmed", func() (string, bool) { return Compose{Sep: "/", Tag: ".tag", Trim: "."}.Tags(doc, p("error")) }, "path/not_found", true},
		{"tags depth", func() (string, bool) { return Compose{Sep: "", Tag: "t"}.Tags(doc, p("deep")) }, "abcdefgh", true},
		{"tags missing", func() (string, bool) { return Compose{Sep: "/", Tag: ".tag"}.Tags(doc, p("nope")) }, "", false},
		{"tags not object", func() (string, bool) { return Compose{Sep: "/", Tag: ".tag"}.Tags(doc, p("code")) }, "", false},
		{"join", func() (string, bool) { return Compose{Sep: ":", Trim: " "}.Join(doc, p("type"), p("code")) }, "Card_Error:declined", true},
		{"join stops at missing", func() (string, bool) { return Compose{Sep: ":"}.Join(doc, p("code"), p("nope"), p("type")) }, "declined", true},
		{"join number", func() (string, bool) { return Compose{Sep: "-"}.Join(doc, p("code"), p("n")) }, "declined-7", true},
		{"join none", func() (string, bool) { return Compose{Sep: ":"}.Join(doc, p("nope")) }, "", false},
		{"clean", func() (string, bool) { return Compose{Trim: ". ", Fold: FoldLower}.Clean(doc.String(p("type"))) }, "card_error", true},
		{"clean upper", func() (string, bool) { return Compose{Fold: FoldUpper}.Clean(doc.String(p("code"))) }, "DECLINED", true},
		{"clean to nothing", func() (string, bool) { return Compose{Trim: "./"}.Clean("/./", true) }, "", false},
		{"clean absent", func() (string, bool) { return Compose{}.Clean(doc.String(p("nope"))) }, "", false},
	} {
		got, ok := tc.got()
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("%s: got %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.wantOK)
		}
	}
}
