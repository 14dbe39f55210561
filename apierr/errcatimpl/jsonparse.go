package errcatimpl

import (
	"bytes"
	"encoding/json"
)

// parseObject decodes the JSON object at the start of data (after optional
// JSON white space) with encoding/json, as json.Decoder.Decode does for a
// map[string]any with UseNumber: map[string]any, []any, string,
// json.Number (numbers stay exact), bool and nil, the last of duplicate
// keys winning, invalid UTF-8 and lone surrogates turned into U+FFFD,
// nesting past encoding/json's limit refused. As with json.Decoder, what
// follows the object is not read. It reports false for anything else.
func parseObject(data []byte) (map[string]any, bool) {
	v, ok := parseTop(data, '{')
	if !ok {
		return nil, false
	}
	m, ok := v.(map[string]any)
	return m, ok
}

// parseArray is parseObject for a JSON array.
func parseArray(data []byte) ([]any, bool) {
	v, ok := parseTop(data, '[')
	if !ok {
		return nil, false
	}
	a, ok := v.([]any)
	return a, ok
}

// parseTop decodes the value at the start of data (after optional JSON
// white space) if it opens with open.
func parseTop(data []byte, open byte) (any, bool) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != open {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}
