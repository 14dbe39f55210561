package errcatimpl

import (
	"net/http"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
)

func TestDecodeXMLMapping(t *testing.T) {
	body := `<?xml version="1.0" encoding="UTF-8"?>
<!-- S3 -->
<Error xmlns="http://s3.amazonaws.com/doc/2006-03-01/" xmlns:x="urn:x" x:kind="client">
  <Code>NoSuchKey</Code>
  <Message lang="en">The resource you requested does not exist</Message>
  <Resource/>
  <Detail><Item id="1">a</Item><Item id="2">b</Item></Detail>
  <Retry>true</Retry><Count>3</Count>
  <Mixed>one <b>bold</b> two</Mixed>
  <x:RequestId>4442587FB7D0A2F9</x:RequestId>
</Error>trailing ignored`
	d, ok := DecodeXML([]byte(body), false)
	if !ok {
		t.Fatal("not decoded")
	}
	p := func(keys ...any) Path {
		var out Path
		for _, k := range keys {
			if i, ok := k.(int); ok {
				out = append(out, Step{Index: i, IsIndex: true})
			} else {
				out = append(out, Step{Key: k.(string)})
			}
		}
		return out
	}
	for _, c := range []struct {
		path Path
		want string
	}{
		{p("Error", "Code"), "NoSuchKey"},
		{p("Error", "Code", 0), "NoSuchKey"},
		{p("Error", "Message"), "The resource you requested does not exist"},
		{p("Error", "Message", "@lang"), "en"},
		{p("Error", "@kind"), "client"},
		{p("Error", "RequestId"), "4442587FB7D0A2F9"},
		{p("Error", "Resource"), ""},
		{p("Error", "Detail", "Item", 1, "@id"), "2"},
		{p("Error", "Detail", "Item", 0), "a"},
		{p("Error", "Mixed"), "one  two"},
		{p("Error", "Mixed", "b"), "bold"},
	} {
		if got, ok := d.String(c.path); !ok || got != c.want {
			t.Errorf("%v = %q, %v; want %q", c.path, got, ok, c.want)
		}
	}
	if _, ok := d.String(p("Error", "xmlns")); ok {
		t.Error("xmlns kept")
	}
	if n, ok := d.Int(p("Error", "Count")); !ok || n != 3 {
		t.Errorf("Int = %d %v", n, ok)
	}
	if b, ok := d.Bool(p("Error", "Retry")); !ok || !b {
		t.Errorf("Bool = %v %v", b, ok)
	}
	if items := d.List(p("Error", "Detail", "Item")); len(items) != 2 {
		t.Errorf("List = %d items", len(items))
	}
	if items := d.List(p("Error", "Message")); len(items) != 1 {
		t.Errorf("a single element is a list of %d", len(items))
	}
	if !d.Equals(p("Error", "Code"), `"NoSuchKey"`) || !d.Equals(p("Error", "Count"), "3") || d.Equals(p("Error", "Count"), `null`) {
		t.Error("Equals")
	}
	if !d.Present(p("Error", "Resource")) || d.Present(p("Error", "Nope")) || d.NonEmpty(p("Error", "Resource")) {
		t.Error("Present/NonEmpty")
	}
}

func TestDecodeXMLRefuses(t *testing.T) {
	for _, body := range []string{
		``, `NoSuchKey`, `{"a":1}`, `<a>`, `<a></b>`, `text <a/>`, `<a>&lol;</a>`,
		"<a>\xff\xfe</a>", `<?xml version="1.0" encoding="EBCDIC"?><a/>`,
		strings.Repeat("<a>", MaxXMLDepth+1) + strings.Repeat("</a>", MaxXMLDepth+1),
		`<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`,
		`<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>`,
	} {
		if d, ok := DecodeXML([]byte(body), false); ok {
			t.Errorf("DecodeXML(%.60q) = %v, want not XML", body, d.root)
		}
	}
	if _, ok := DecodeXML([]byte(strings.Repeat("<a>", MaxXMLDepth)+strings.Repeat("</a>", MaxXMLDepth)), false); !ok {
		t.Error("nesting at the limit refused")
	}
	latin := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>")
	if d, ok := DecodeXML(latin, false); !ok || d.root.(map[string]any)["a"] != "café" {
		t.Errorf("ISO-8859-1: %v %v", d.root, ok)
	}
}

// A body cut by the read limit keeps every element that began.
func TestDecodeXMLTruncated(t *testing.T) {
	body := []byte(`<Error><Code>SlowDown</Code><Message>Reduce your request ra`)
	if _, ok := DecodeXML(body, false); ok {
		t.Fatal("a truncated body decoded without truncated")
	}
	d, ok := DecodeXML(body, true)
	if !ok {
		t.Fatal("truncated body not decoded")
	}
	if c, _ := d.String(Path{{Key: "Error"}, {Key: "Code"}}); c != "SlowDown" {
		t.Errorf("code %q", c)
	}
	if _, ok := DecodeXML([]byte(`<?xml version="1.0"?>`), true); ok {
		t.Error("a prolog alone decoded")
	}
	// A cut body is one that ran out of bytes, not any broken body.
	if _, ok := DecodeXML([]byte(`<html><body><br></body></html><p>`), true); ok {
		t.Error("a malformed page decoded as a truncated XML body")
	}
	d, ok = DecodeXML([]byte("<Error><Code>Caf\xc3\xa9</Code><Message>caf\xc3"), true)
	if c, _ := d.String(Path{{Key: "Error"}, {Key: "Code"}}); !ok || c != "Café" {
		t.Errorf("a rune cut in two at the end: %q %v", c, ok)
	}
}

// Hostile bodies: deep nesting, huge attributes, entity bombs, invalid
// UTF-8, truncation: bounded and panic-free. (Time is not asserted here: a
// timed test fails on a loaded machine; the decoder reads at most
// MaxXMLBytes, and BenchmarkDecodeXML measures its speed.)
func TestDecodeXMLHostile(t *testing.T) {
	bomb := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
		strings.Repeat(`<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">`, 9) + `]><lolz>&lol1;</lolz>`
	cases := []string{
		strings.Repeat("<a>", 100000),
		strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000),
		`<a b="` + strings.Repeat("x", 4<<20) + `"/>`,
		`<a ` + strings.Repeat(`b="1" `, 100000) + `/>`,
		"<a>" + strings.Repeat("<b>\xc3\x28</b>", 1000) + "</a>",
		bomb,
		`<a>` + strings.Repeat(`<b/>`, 200000) + `</a>`,
	}
	for _, body := range cases {
		for _, truncated := range []bool{false, true} {
			d, ok := DecodeXML([]byte(body), truncated)
			if ok {
				d.RedactKeys("token")
				_, _ = d.String(Path{{Key: "a"}})
			}
		}
	}
	if _, ok := DecodeXML([]byte(bomb), false); ok {
		t.Error("entity bomb decoded")
	}
	big := `<a>` + strings.Repeat(`<b>x</b>`, MaxXMLBytes/8+10) + `</a>`
	if d, ok := DecodeXML([]byte(big), false); !ok || len(d.List(Path{{Key: "a"}, {Key: "b"}})) > MaxXMLBytes/8 {
		t.Errorf("a body over MaxXMLBytes: ok %v", ok)
	}
}

// Secrets in XML are redacted as in JSON, wherever the key is: an element
// or an attribute.
func TestDecodeXMLRedact(t *testing.T) {
	d, ok := DecodeXML([]byte(`<Error><Code>Bad</Code><Message>token tok_live_secret1 was refused</Message><Auth token="tok_live_secret2"/><Token>tok_live_secret1</Token></Error>`), false)
	if !ok {
		t.Fatal("not decoded")
	}
	d.RedactKeys("token")
	msg, _ := d.String(Path{{Key: "Error"}, {Key: "Message"}})
	if got := d.Scrub(msg); strings.Contains(got, "tok_live") {
		t.Errorf("scrubbed message %q", got)
	}
	if s, ok := d.Secret(Path{{Key: "Error"}, {Key: "Auth"}, {Key: "@token"}}); !ok || s != apierr.Secret("tok_live_secret2") {
		t.Errorf("attribute secret %q %v", string(s), ok)
	}
	if _, ok := d.String(Path{{Key: "Error"}, {Key: "Token"}}); ok {
		t.Error("a redacted element reads as a string")
	}
}

func TestMediaTypeIn(t *testing.T) {
	h := func(ct string) http.Header { return http.Header{"Content-Type": {ct}} }
	for _, c := range []struct {
		ct    string
		types []string
		want  bool
	}{
		{"application/problem+json", []string{"application/problem+json"}, true},
		{" Application/Problem+JSON ; charset=utf-8", []string{"application/problem+json"}, true},
		{"application/json", []string{"application/problem+json"}, false},
		{"application/problem+json", []string{"+json"}, true},
		{"application/vnd.api+json", []string{"+json"}, true},
		{"application/json", []string{"+json"}, false},
		{"application/+json", []string{"+json"}, false},
		{"", []string{"+json"}, false},
		{"text/xml", []string{"application/xml", "text/xml"}, true},
	} {
		if got := MediaTypeIn(h(c.ct), c.types...); got != c.want {
			t.Errorf("MediaTypeIn(%q, %q) = %v", c.ct, c.types, got)
		}
	}
}

func TestProblemType(t *testing.T) {
	for _, c := range []struct {
		uri  string
		part URIPart
		want string
		ok   bool
	}{
		{"", URIWhole, "", false},
		{"about:blank", URILastSegment, "", false},
		{"ABOUT:BLANK", URIFragment, "", false},
		{"https://example.com/probs/out-of-credit", URIWhole, "https://example.com/probs/out-of-credit", true},
		{"https://example.com/probs/out-of-credit", URILastSegment, "out-of-credit", true},
		{"https://example.com/probs/out-of-credit/?x=1#y", URILastSegment, "out-of-credit", true},
		{"/probs/out-of-credit", URILastSegment, "out-of-credit", true},
		{"urn:ietf:params:acme:error:badNonce", URILastSegment, "badNonce", true},
		{"https://example.com/", URILastSegment, "https://example.com/", true},
		{"https://example.com/errors#quota", URIFragment, "quota", true},
		{"https://example.com/errors", URIFragment, "https://example.com/errors", true},
		{"https://example.com/errors#", URIFragment, "https://example.com/errors#", true},
	} {
		got, ok := ProblemType(c.uri, c.part)
		if got != c.want || ok != c.ok {
			t.Errorf("ProblemType(%q, %d) = %q, %v; want %q, %v", c.uri, c.part, got, ok, c.want, c.ok)
		}
	}
}

func FuzzDecodeXML(f *testing.F) {
	f.Add([]byte(`<Error><Code>NoSuchKey</Code><Message>m</Message></Error>`), false)
	f.Add([]byte(`<a x="1"><b>t</b><b/>mixed</a>`), true)
	f.Add([]byte(`<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`), false)
	f.Add([]byte("<a>\xff</a>"), true)
	f.Fuzz(func(t *testing.T, b []byte, truncated bool) {
		d, ok := DecodeXML(b, truncated)
		if !ok {
			return
		}
		root := d.root.(map[string]any)
		if len(root) != 1 {
			t.Fatalf("root holds %d members", len(root))
		}
		d.RedactKeys("code")
		for k := range root {
			_, _ = d.String(Path{{Key: k}, {Key: "Code"}})
			_ = d.List(Path{{Key: k}, {Key: "b"}})
		}
		_ = d.Scrub(string(b))
	})
}

// BenchmarkDecodeXML measures the S3-style error body, against the JSON
// decoder on the same fields, and what an XML-capable parser pays for a
// JSON body (DecodeXML refuses it at its first byte).
func BenchmarkDecodeXML(b *testing.B) {
	xmlBody := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message><Resource>/mybucket/myfoto.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>`)
	jsonBody := []byte(`{"Error":{"Code":"NoSuchKey","Message":"The resource you requested does not exist","Resource":"/mybucket/myfoto.jpg","RequestId":"4442587FB7D0A2F9"}}`)
	code := Path{{Key: "Error"}, {Key: "Code"}}
	b.Run("xml", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d, _ := DecodeXML(xmlBody, false)
			_, _ = d.String(code)
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d, _ := DecodeObject(jsonBody)
			_, _ = d.String(code)
		}
	})
	b.Run("xml-of-json-body", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = DecodeXML(jsonBody, false)
		}
	})
}
