package errcatimpl

import (
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
)

// maxNesting is encoding/json's nesting limit, kept so that a body the
// standard library refuses is refused here too.
const maxNesting = 10000

// parseObject decodes the JSON object at the start of data (after optional
// JSON white space) into exactly the values json.Decoder.Decode gives for a
// map[string]any with UseNumber: map[string]any, []any, string,
// json.Number, bool and nil, the last of duplicate keys winning, invalid
// UTF-8 and lone surrogates turned into U+FFFD. As with json.Decoder, what
// follows the object is not read. It reports false for anything the
// standard library refuses.
//
// Error bodies are decoded on every failed call, and encoding/json's
// reflection and buffering cost about three times this direct walk;
// FuzzParseObjectMatchesEncodingJSON holds the two to the same answers.
func parseObject(data []byte) (map[string]any, bool) {
	v, ok := parseTop(data, '{')
	if !ok {
		return nil, false
	}
	return v.(map[string]any), true
}

// parseArray is parseObject for a JSON array.
func parseArray(data []byte) ([]any, bool) {
	v, ok := parseTop(data, '[')
	if !ok {
		return nil, false
	}
	return v.([]any), true
}

// parseTop decodes the value at the start of data (after optional JSON
// white space) if it opens with open.
func parseTop(data []byte, open byte) (any, bool) {
	p := jsonParser{data: data}
	p.skipSpace()
	if p.pos >= len(p.data) || p.data[p.pos] != open {
		return nil, false
	}
	return p.value()
}

// jsonParser walks data once; pos is the next byte to read.
type jsonParser struct {
	data  []byte
	pos   int
	depth int
	buf   []byte // scratch for strings that need unescaping
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value reads any JSON value at pos.
func (p *jsonParser) value() (any, bool) {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return nil, false
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		m, ok := p.object()
		return m, ok
	case c == '[':
		return p.array()
	case c == '"':
		s, ok := p.string()
		return s, ok
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, false
}

// object reads an object whose '{' is at pos.
func (p *jsonParser) object() (map[string]any, bool) {
	if p.depth++; p.depth > maxNesting {
		return nil, false
	}
	p.pos++
	m := make(map[string]any)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return m, true
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, false
		}
		key, ok := p.string()
		if !ok {
			return nil, false
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, false
		}
		p.pos++
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		m[key] = v
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, false
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.depth--
			return m, true
		default:
			return nil, false
		}
	}
}

// array reads an array whose '[' is at pos.
func (p *jsonParser) array() (any, bool) {
	if p.depth++; p.depth > maxNesting {
		return nil, false
	}
	p.pos++
	arr := make([]any, 0)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return arr, true
	}
	for {
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		arr = append(arr, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, false
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.depth--
			return arr, true
		default:
			return nil, false
		}
	}
}

// literal reads true, false or null.
func (p *jsonParser) literal(word string) bool {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return false
	}
	p.pos += len(word)
	return true
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and keeps
// its text, as UseNumber does.
func (p *jsonParser) number() (any, bool) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(p.data) && p.data[p.pos] == '0':
		p.pos++
	case p.digits() == 0:
		return nil, false
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if p.digits() == 0 {
			return nil, false
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if p.digits() == 0 {
			return nil, false
		}
	}
	return json.Number(p.data[start:p.pos]), true
}

func (p *jsonParser) digits() int {
	start := p.pos
	for p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
		p.pos++
	}
	return p.pos - start
}

// string reads a string whose opening quote is at pos. A string of plain
// ASCII is copied once; one with escapes or non-ASCII bytes goes through
// unescape.
func (p *jsonParser) string() (string, bool) {
	p.pos++
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			s := string(p.data[start:p.pos])
			p.pos++
			return s, true
		case c == '\\' || c < ' ' || c >= utf8.RuneSelf:
			return p.unescape(start)
		}
		p.pos++
	}
	return "", false
}

// unescape finishes the string that began at start, from pos, decoding
// escapes and coercing the text to valid UTF-8 the way encoding/json does.
func (p *jsonParser) unescape(start int) (string, bool) {
	b := append(p.buf[:0], p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			p.buf = b
			return string(b), true
		case c < ' ':
			return "", false
		case c == '\\':
			if p.pos+1 >= len(p.data) {
				return "", false
			}
			esc := p.data[p.pos+1]
			p.pos += 2
			switch esc {
			case '"', '\\', '/':
				b = append(b, esc)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(p.data[p.pos:])
				if !ok {
					return "", false
				}
				p.pos += 4
				if utf16.IsSurrogate(r) {
					// A pair only when a valid low half follows; else one
					// U+FFFD and the next escape is read on its own.
					if len(p.data)-p.pos >= 6 && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
						if r2, ok := hex4(p.data[p.pos+2:]); ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								p.pos += 6
								b = utf8.AppendRune(b, dec)
								continue
							}
						}
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", false
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			p.pos += size
			b = utf8.AppendRune(b, r)
		}
	}
	return "", false
}

// hex4 reads the four hex digits of a \u escape.
func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
