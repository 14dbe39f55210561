package errcatimpl

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
)

// DecodeObjectNoSecrets is [DecodeObject] for the parser of a catalog that
// declares no secret: its Doc keeps no list of the values [Doc.Redact] and
// [Doc.RedactKeys] take out (they still redact; [Doc.Scrub] then changes no
// text), which spares each parse that list's allocation. Generated code
// calls it only when the catalog has no secret field, path or key.
func DecodeObjectNoSecrets(body []byte) (Doc, bool) {
	m, ok := parseObject(bytes.TrimPrefix(body, utf8BOM))
	if !ok {
		return Doc{}, false
	}
	return Doc{root: m}, true
}

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
	d := decoders.Get().(*decoder)
	v, ok := d.decode(data)
	if d.reusable {
		decoders.Put(d)
	}
	return v, ok
}

// maxPooledBody bounds the bodies whose decoder is reused: a decoder keeps
// a buffer the size of the largest body it read.
const maxPooledBody = 4 << 10

// decoders are json.Decoders over a source that each parse points at its
// body: a new Decoder and its buffer were a fifth of a parse's allocations.
var decoders = sync.Pool{New: func() any {
	d := &decoder{}
	d.dec = json.NewDecoder(&d.src)
	d.dec.UseNumber()
	return d
}}

// decoder is a json.Decoder that parseTop reuses when it is left as a new
// one would be: its last Decode succeeded and consumed all of its body but
// trailing white space, which the next Decode skips.
type decoder struct {
	dec      *json.Decoder
	src      source
	v        any   // Decode's target: a local would escape to the heap
	offset   int64 // dec.InputOffset() after the last decode
	pending  int64 // white space the last body left in dec's buffer
	reusable bool
}

func (d *decoder) decode(data []byte) (any, bool) {
	d.src.data = data
	err := d.dec.Decode(&d.v)
	v := d.v
	d.v = nil // a pooled decoder keeps no document alive
	end := d.dec.InputOffset()
	used := end - d.offset - d.pending // bytes of data the value took, white space before it included
	rest := data[min(max(used, 0), int64(len(data))):]
	d.reusable = err == nil && len(d.src.data) == 0 && len(data) <= maxPooledBody &&
		used >= 0 && used <= int64(len(data)) && len(bytes.TrimLeft(rest, " \t\r\n")) == 0
	d.offset, d.pending, d.src.data = end, int64(len(rest)), nil
	if err != nil {
		return nil, false
	}
	return v, true
}

// source serves one body to a pooled decoder.
type source struct{ data []byte }

func (s *source) Read(b []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	n := copy(b, s.data)
	s.data = s.data[n:]
	return n, nil
}
