package errcatimpl

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// stdlibObject is what json.Decoder.Decode makes of data as a
// map[string]any with UseNumber.
func stdlibObject(data []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}

// parseObjectCases are bodies that name the rules of encoding/json generated
// parsers rely on (exact numbers, escapes, invalid UTF-8, trailing data).
var parseObjectCases = []string{
	`{}`,
	` {"a":1} `,
	"\t\r\n{\"a\" : [ 1 , 2 ] }",
	`{"a":1}trailing garbage is not read`,
	`{"a":1}{"b":2}`,
	`{"a":1,"a":2}`,
	`{"a":null,"b":true,"c":false,"d":[],"e":{},"f":""}`,
	`{"n":[0,-0,1.5,-2e10,3E+2,4e-2,12345678901234567890123]}`,
	`{"n":01}`, `{"n":-}`, `{"n":1.}`, `{"n":1e}`, `{"n":.5}`, `{"n":+1}`, `{"n":1.e5}`,
	`{"s":"\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC"}`,
	`{"s":"\ud83d\ude00"}`,
	`{"s":"\ud83d"}`, `{"s":"\ude00"}`, `{"s":"\ud83d\u0041"}`, `{"s":"\ud83d\ud83d\ude00"}`,
	`{"s":"\ud83d\u00"}`, `{"s":"\u00zz"}`, `{"s":"\x"}`, `{"s":"\'"}`,
	"{\"s\":\"a\tb\"}", "{\"s\":\"\x00\"}", "{\"s\":\"\x7f\"}",
	"{\"s\":\"caf\xc3\xa9 \xff \xed\xa0\x80 \xe2\x82\"}",
	"{\"k\xff\":1}",
	`{"a":[1,]}`, `{"a":1,}`, `{,}`, `{"a"}`, `{"a":}`, `{"a" 1}`, `{1:2}`, `{"a":1`, `{"a":"x`, `{"a":[`,
	`{"a":tru}`, `{"a":truex}`, `{"a":nul}`, `{"a":True}`,
	`{"a":{"b":{"c":[{"d":"e"}]}}}`,
	`[1]`, `"x"`, `null`, ``, `{`,
}

const maxNesting = 10000

// encoding/json refuses nesting deeper than 10000, and a body that deep
// is refused whole rather than half read.
func TestParseObjectNestingLimit(t *testing.T) {
	for _, depth := range []int{maxNesting, maxNesting + 1} {
		for _, open := range []string{"[", `{"a":`} {
			closer := map[string]string{"[": "]", `{"a":`: "}"}[open]
			// The outer object counts as one level.
			body := `{"x":` + strings.Repeat(open, depth-1) + "1" + strings.Repeat(closer, depth-1) + "}"
			_, ok := parseObject([]byte(body))
			_, wantOK := stdlibObject([]byte(body))
			if ok != wantOK || ok != (depth <= maxNesting) {
				t.Errorf("depth %d of %q: parseObject %v, encoding/json %v", depth, open, ok, wantOK)
			}
		}
	}
}

// TestParseObjectKeepsNumbersExact: a code beyond float64's precision stays
// the vendor's (UseNumber), and what follows the object is not read.
func TestParseObjectKeepsNumbersExact(t *testing.T) {
	for _, c := range parseObjectCases {
		got, ok := parseObject([]byte(c))
		want, wantOK := stdlibObject([]byte(c))
		if ok != wantOK || !reflect.DeepEqual(got, want) {
			t.Errorf("parseObject(%q) = %#v, %v; want %#v, %v", c, got, ok, want, wantOK)
		}
	}
	m, ok := parseObject([]byte(`{"code":9007199254740993}trailing`))
	if !ok || m["code"] != json.Number("9007199254740993") {
		t.Errorf("got %#v, %v", m, ok)
	}
}

// TestPooledDecoderSequences: a decoder reused from the pool decodes every
// body as a new json.Decoder would, whatever it decoded before: every pair
// of cases in both orders, with bodies that cross the decoder's first
// buffer (512 bytes) with trailing white space and one too large to pool.
func TestPooledDecoderSequences(t *testing.T) {
	long := `{"s":"` + strings.Repeat("x", 600) + `"}`
	cases := append(append([]string{}, parseObjectCases...),
		long+strings.Repeat(" ", 700), long+"\n", " \n"+long, `{"a":1}`+"\n\n\t ",
		`{"big":"`+strings.Repeat("y", maxPooledBody)+`"}  `)
	for _, a := range cases {
		for _, b := range cases {
			d := decoders.New().(*decoder)
			for _, c := range []string{a, b, a} {
				got, ok := d.decode([]byte(c))
				m, isMap := got.(map[string]any)
				want, wantOK := stdlibObject([]byte(c))
				if wantOK != (ok && isMap) || (wantOK && !reflect.DeepEqual(m, want)) {
					t.Fatalf("after %.40q, decoding %.40q gave %#v, %v; want %#v", a, c, got, ok, want)
				}
				if !d.reusable {
					d = decoders.New().(*decoder)
				}
			}
		}
	}
}

// TestPooledDecoderKeepsNoDocument: the interface a pooled decoder decodes
// into is cleared, so the pool holds no body's document alive.
func TestPooledDecoderKeepsNoDocument(t *testing.T) {
	d := decoders.New().(*decoder)
	for _, c := range []string{`{"a":"b"}`, `{"a":`, `[1]`} {
		d.decode([]byte(c))
		if d.v != nil {
			t.Errorf("after %q the decoder still holds %#v", c, d.v)
		}
	}
}
