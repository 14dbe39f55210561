package errcatimpl

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxXMLDepth bounds how deeply nested the elements of an XML body may be;
// a deeper body is not decoded (it falls back to the body's text).
const MaxXMLDepth = 64

// MaxXMLBytes bounds how much of a body DecodeXML reads: a longer body is
// decoded as far as this prefix goes, as a truncated one is. FromResponse
// reads far less (apierr.DefaultMaxBodyBytes); the bound holds for Parse,
// whose caller may pass anything.
const MaxXMLBytes = 1 << 20

// XMLText is the key under which DecodeXML keeps the text of an element
// that also has attributes or child elements.
const XMLText = "#text"

// DecodeXML decodes body as an XML document into the Doc generated parsers
// read fields from, with encoding/xml. The root element's local name is the
// first key of every path (<Error><Code>… is read at Error.Code). An element
// with neither attributes nor child elements is its text, trimmed of
// surrounding white space (an empty element is ""). Any other element is an
// object: child elements by local name, attributes as "@" plus their local
// name, and its own text (all of its character data, trimmed) under
// [XMLText] when not empty. Repeated sibling elements of one name become a
// list in document order; a path index [0] also selects an element that
// occurs once. Namespaces are dropped: only local names count, and xmlns
// attributes are not kept. Comments, processing instructions and a DOCTYPE
// are skipped; no entity beyond XML's five predefined ones and character
// references is expanded (an undefined one makes the body not XML), and
// nothing external is ever fetched, so entity expansion attacks find
// nothing to expand. Declared encodings other than UTF-8, US-ASCII and
// ISO-8859-1 are refused, as are invalid UTF-8, nesting deeper than
// [MaxXMLDepth] and anything after the root element is ignored. At most
// [MaxXMLBytes] are read.
//
// A body that is not such a document reports false, unless truncated is
// set: a body cut short by the read limit is then decoded as far as it
// goes (every element that began is kept with what it held, the text being
// read when the bytes ran out is dropped), so a code near its start is
// still found. It never panics.
func DecodeXML(body []byte, truncated bool) (Doc, bool) {
	body = bytes.TrimPrefix(body, utf8BOM)
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '<' {
		return Doc{}, false
	}
	if len(body) > MaxXMLBytes {
		body, truncated = body[:MaxXMLBytes], true
	}
	if truncated {
		body = dropCutRune(body)
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	dec.CharsetReader = charsetReader
	x := &xmlBuilder{dec: dec}
	root, ok := x.run(truncated)
	if !ok {
		return Doc{}, false
	}
	return Doc{root: root, secrets: new([]string), xml: true}, true
}

// dropCutRune drops a UTF-8 sequence the read limit cut in two at the
// end of body, which the decoder would take for invalid UTF-8.
func dropCutRune(body []byte) []byte {
	for i := len(body) - 1; i >= 0 && i >= len(body)-utf8.UTFMax; i-- {
		if utf8.RuneStart(body[i]) {
			if !utf8.FullRune(body[i:]) {
				return body[:i]
			}
			break
		}
	}
	return body
}

// xmlElement is an element being read.
type xmlElement struct {
	name     string
	members  map[string]any // attributes and children; nil while none
	text     strings.Builder
	children bool
}

type xmlBuilder struct {
	dec   *xml.Decoder
	stack []*xmlElement
	root  map[string]any
}

// run reads tokens until the root element ends; a read error keeps what
// was read when the body is truncated and the root element began.
func (x *xmlBuilder) run(truncated bool) (map[string]any, bool) {
	for x.root == nil {
		tok, err := x.dec.Token()
		if err != nil {
			// Only running out of bytes is the cut; any other error means
			// the body is not XML (an HTML page's <br>, say).
			var se *xml.SyntaxError
			cut := errors.Is(err, io.EOF) || (errors.As(err, &se) && strings.HasPrefix(se.Msg, "unexpected EOF"))
			if !truncated || !cut || len(x.stack) == 0 {
				return nil, false
			}
			for len(x.stack) > 0 {
				x.end()
			}
			return x.root, true
		}
		if !x.token(tok) {
			return nil, false
		}
	}
	return x.root, true
}

// token applies one token; it reports false for a body that is not a
// document DecodeXML accepts.
func (x *xmlBuilder) token(tok xml.Token) bool {
	switch t := tok.(type) {
	case xml.StartElement:
		if len(x.stack) >= MaxXMLDepth {
			return false
		}
		el := &xmlElement{name: t.Name.Local}
		for _, a := range t.Attr {
			if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
				continue
			}
			el.add("@"+a.Name.Local, a.Value)
		}
		if n := len(x.stack); n > 0 {
			x.stack[n-1].children = true
		}
		x.stack = append(x.stack, el)
	case xml.EndElement:
		x.end()
	case xml.CharData:
		if n := len(x.stack); n > 0 {
			x.stack[n-1].text.Write(t)
		} else if len(bytes.TrimSpace(t)) > 0 {
			return false // text outside the root element
		}
	}
	return true
}

// end closes the innermost open element, adding its value to its parent
// (or making it the root).
func (x *xmlBuilder) end() {
	n := len(x.stack)
	if n == 0 {
		return
	}
	el := x.stack[n-1]
	x.stack = x.stack[:n-1]
	var v any
	text := strings.TrimSpace(el.text.String())
	if el.members == nil && !el.children {
		v = text
	} else {
		if el.members == nil {
			el.members = map[string]any{}
		}
		if text != "" {
			el.members[XMLText] = text
		}
		v = el.members
	}
	if n == 1 {
		x.root = map[string]any{el.name: v}
		return
	}
	x.stack[n-2].add(el.name, v)
}

// add sets a member; a second one of the same name makes a list.
func (el *xmlElement) add(name string, v any) {
	if el.members == nil {
		el.members = map[string]any{}
	}
	switch prev := el.members[name].(type) {
	case nil:
		el.members[name] = v
	case []any:
		el.members[name] = append(prev, v)
	default:
		el.members[name] = []any{prev, v}
	}
}

// charsetReader accepts the encodings whose text needs no table: US-ASCII
// (a subset of UTF-8) and ISO-8859-1 (each byte is the code point).
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "us-ascii", "ascii":
		return input, nil
	case "iso-8859-1", "latin1", "l1", "iso_8859-1":
		b, err := io.ReadAll(io.LimitReader(input, MaxXMLBytes))
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(b))
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	return nil, errUnsupportedCharset
}

type charsetError struct{}

func (charsetError) Error() string { return "errcatimpl: unsupported XML encoding" }

var errUnsupportedCharset error = charsetError{}
