package apierr

import (
	"strings"
	"testing"
)

func TestDecodeObjectPrefix(t *testing.T) {
	full := `{"errors":[{"message":"slow down","extensions":{"code":"RATE_LIMITED","resetIn":586351}}],"data":{"items":[` + strings.Repeat(`{"id":"abcdef"},`, 1000) + `{"id":"z"}]}}`
	for _, cut := range []int{len(full), len(full) / 2, 120, 110} {
		doc, ok := DecodeObjectPrefix([]byte(full[:cut]))
		if !ok {
			t.Fatalf("cut %d: not an object", cut)
		}
		code, ok := doc.String(Path{{Key: "errors"}, {Index: 0, IsIndex: true}, {Key: "extensions"}, {Key: "code"}})
		if !ok || code != "RATE_LIMITED" {
			t.Errorf("cut %d: code %q %v", cut, code, ok)
		}
		if n, ok := doc.Int(Path{{Key: "errors"}, {Index: 0, IsIndex: true}, {Key: "extensions"}, {Key: "resetIn"}}); !ok || n != 586351 {
			t.Errorf("cut %d: resetIn %d %v", cut, n, ok)
		}
	}
	// A number cut mid-way is dropped, not misread.
	doc, _ := DecodeObjectPrefix([]byte(`{"a":1,"b":12345`))
	if _, ok := doc.Int(Path{{Key: "b"}}); ok {
		t.Error("a truncated number was kept")
	}
	if v, ok := doc.Int(Path{{Key: "a"}}); !ok || v != 1 {
		t.Error("a complete member was lost")
	}
	for _, s := range []string{``, `[`, `"x"`, `1`, `}`} {
		if _, ok := DecodeObjectPrefix([]byte(s)); ok {
			t.Errorf("%q decoded as an object", s)
		}
	}
	deep := `{"a":` + strings.Repeat(`[`, 20000)
	if _, ok := DecodeObjectPrefix([]byte(deep)); !ok {
		t.Error("deep prefix rejected outright")
	}
}

func FuzzDecodeObjectPrefix(f *testing.F) {
	f.Add([]byte(`{"errors":[{"code":1}],"x":"y`))
	f.Add([]byte(`{"a":{"b":[1,2,{"c":`))
	f.Fuzz(func(t *testing.T, b []byte) {
		full, okFull := DecodeObject(b)
		prefix, okPrefix := DecodeObjectPrefix(b)
		if okFull && !okPrefix {
			t.Fatalf("a complete object was not decoded as a prefix: %q", b)
		}
		_ = full
		_ = prefix
	})
}
