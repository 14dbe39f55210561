package errcatimpl

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// stdlibObject is the oracle parseObject must agree with: what
// json.Decoder.Decode makes of data as a map[string]any with UseNumber.
func stdlibObject(data []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}

// parseObjectCases are seeds for the fuzz target and the table test: each
// names a rule of encoding/json that parseObject must follow.
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

func TestParseObjectMatchesEncodingJSON(t *testing.T) {
	for _, c := range parseObjectCases {
		got, ok := parseObject([]byte(c))
		want, wantOK := stdlibObject([]byte(c))
		if ok != wantOK || !reflect.DeepEqual(got, want) {
			t.Errorf("parseObject(%q) = %#v, %v; encoding/json: %#v, %v", c, got, ok, want, wantOK)
		}
	}
}

// encoding/json refuses nesting deeper than 10000; so does parseObject, at
// exactly the same depth.
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

// The unescape buffer is reused between strings: a long escaped string must
// not leak into a later, shorter one.
func TestParseObjectReusesScratchSafely(t *testing.T) {
	got, ok := parseObject([]byte(`{"a":"long\n escaped é text","b":"\u0041","c":"é"}`))
	if !ok || got["a"] != "long\n escaped é text" || got["b"] != "A" || got["c"] != "é" {
		t.Errorf("got %#v, %v", got, ok)
	}
}

func FuzzParseObjectMatchesEncodingJSON(f *testing.F) {
	for _, c := range parseObjectCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := parseObject(data)
		want, wantOK := stdlibObject(data)
		if ok != wantOK || !reflect.DeepEqual(got, want) {
			t.Fatalf("parseObject(%q) = %#v, %v; encoding/json: %#v, %v", data, got, ok, want, wantOK)
		}
	})
}
