package errcatimpl

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

func TestDecodeObjectSkipsOnlyBOMAndJSONSpace(t *testing.T) {
	for body, want := range map[string]bool{
		"\ufeff{\"a\":1}":    true,  // a byte order mark some servers send
		"\ufeff \n{\"a\":1}": true,  // then JSON white space
		" \t\r\n{\"a\":1}":   true,  // JSON white space
		"\v{\"a\":1}":        false, // not JSON white space: encoding/json refuses it too
		"\u00a0{\"a\":1}":    false,
		"\ufeff\ufeff{}":     false,
		"\ufeff":             false,
	} {
		if _, ok := DecodeObject([]byte(body)); ok != want {
			t.Errorf("DecodeObject(%q) ok = %v, want %v", body, ok, want)
		}
	}
	if _, ok := DecodeObjectPrefix([]byte("\ufeff{\"a\":1,\"b\":")); !ok {
		t.Error("DecodeObjectPrefix refuses a truncated object after a byte order mark")
	}
	// A number the read limit cut is dropped after a byte order mark too.
	for _, prefix := range []string{"", "\ufeff"} {
		doc, _ := DecodeObjectPrefix([]byte(prefix + `{"error":{"minor_code":40`))
		if v, ok := doc.Int(Path{{Key: "error"}, {Key: "minor_code"}}); ok {
			t.Errorf("DecodeObjectPrefix(%q + cut number) kept minor_code %d", prefix, v)
		}
	}
}

func TestRedactKeysEverywhere(t *testing.T) {
	doc, _ := DecodeObject([]byte(`{"token":"s1","a":{"token":{"x":"s2"},"b":[{"token":"s3"},"keep"]},"tokens":"kept"}`))
	doc.RedactKeys("token")
	out := doc.JSON()
	for _, s := range []string{"s1", "s2", "s3"} {
		if strings.Contains(out, s) {
			t.Errorf("%s not redacted: %s", s, out)
		}
	}
	if !strings.Contains(out, `"tokens":"kept"`) || !strings.Contains(out, `"keep"`) {
		t.Errorf("redacted more than the named keys: %s", out)
	}
	doc.RedactKeys() // no keys: nothing to do, no panic
}

func TestScrubbedText(t *testing.T) {
	paths := []Path{{{Key: "details"}, {Key: "bearer_token"}}}
	keys := []string{"bearer_token"}
	tests := []struct{ body, want string }{
		{`{"details":{"bearer_token":"s"},"message":"m"}`, `{"details":{"bearer_token":"[REDACTED]"},"message":"m"}`},
		{`{"elsewhere":{"bearer_token":"s"}}`, `{"elsewhere":{"bearer_token":"[REDACTED]"}}`},
		{`{"details":{"bearer_token":"s"},"cut`, `{"details":{"bearer_token":"[REDACTED]"}}`}, // truncated
		// truncated, the secret's value echoed: scrubbed as in a whole body
		{`{"details":{"bearer_token":"s3cr3t"},"message":"bad s3cr3t","cut`, `{"details":{"bearer_token":"[REDACTED]"},"message":"bad [REDACTED]"}`},
		{`{"Bearer_Token":"s"}`, `{"Bearer_Token":"[REDACTED]"}`},                             // names ignore case
		{`[{"details":{"bearer_token":"s"}}]`, `[{"details":{"bearer_token":"[REDACTED]"}}]`}, // arrays are decoded too
		{`[{"bearer\u005ftoken":"s"}]`, `[{"bearer_token":"[REDACTED]"}]`},                    // so escaped names are caught
		{`proxy: {"Bearer_Token":"s"}`, WithheldText},
		{`bearer_token=s&x=1`, WithheldText},
		{`Bearer_Token: s`, WithheldText},
		{`invalid bearer_token`, WithheldText}, // any mention is withheld: see TestScrubbedTextWithholdsEveryShape
		{`invalid token`, `invalid token`},
		{"  Service Unavailable \n", "Service Unavailable"},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		doc, ok := DecodeObject([]byte(tt.body))
		if got := ScrubbedText(doc, ok, []byte(tt.body), paths, keys); got != tt.want {
			t.Errorf("ScrubbedText(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}
