package errcatimpl

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/internal/text"
)

// Path is a location in a JSON document, as generated code spells it from a
// catalog's field path: error.minor_code is {{Key: "error"}, {Key: "minor_code"}}.
// A path with a wildcard or a filter step (format errcat/v2) selects every
// value it matches, in document order (see [MaxMatches] and paths.go).
type Path []Step

// Step is one key of an object or, when IsIndex is set, one index of an
// array; or, when Wildcard is set, every item of an array and every member of
// an object; or, when Filter is set, those of them the filter holds for.
type Step struct {
	Key      string  // the object key, when IsIndex is false
	Index    int     // the array index, when IsIndex is true
	IsIndex  bool    // whether the step indexes an array
	Wildcard bool    // [*] or .*: every item, every member
	Filter   *Filter // [?@.k == v]: the items and members it holds for
}

// Doc is a decoded JSON object body (or, from [DecodeJSON], array body) that generated parsers read fields from.
// Every accessor is total: a missing value or one of the wrong type reports
// false, never panics, so a vendor's surprise body yields a partly filled
// typed error rather than a crash.
type Doc struct {
	root any // a map[string]any, or a []any for a top-level array (DecodeJSON)
	// secrets collects the values Redact and RedactKeys took out, shared
	// by the Docs of list items, for Scrub.
	secrets *[]string
	// member is the member name the path's last wildcard or filter matched
	// in an object, for a list item (see [Doc.Key]).
	member string
	// xml marks a document DecodeXML made: every scalar is text, an element
	// read as a scalar is its text, and one element is also a list of one.
	xml bool
	// hasMember reports whether member is set (next to xml: one word for both).
	hasMember bool
}

// DecodeObject decodes body as a JSON object. It reports false for anything
// else: text, arrays, invalid or truncated JSON, nesting too deep for
// encoding/json. Numbers are kept exact (json.Number). A leading UTF-8
// byte order mark, which some servers send and encoding/json refuses, is
// skipped: refusing it would lose the code (and the redaction) of an
// otherwise valid body.
func DecodeObject(body []byte) (Doc, bool) {
	m, ok := parseObject(bytes.TrimPrefix(body, utf8BOM))
	if !ok {
		return Doc{}, false
	}
	return Doc{root: m, secrets: new([]string)}, true
}

// utf8BOM is the byte order mark DecodeObject and DecodeObjectPrefix skip.
var utf8BOM = []byte("\ufeff")

// Lookup returns the first value, in the order of paths and then of the
// document, that is present and not null.
func (d Doc) Lookup(paths ...Path) (any, bool) {
	return d.find(paths, func(v any) bool { return v != nil })
}

// lookup finds p in root; in an XML document (xml), index 0 also selects
// an element that occurs once.
func lookup(root any, p Path, xml bool) (any, bool) {
	var cur any = root
	for _, s := range p {
		if s.IsIndex {
			arr, ok := cur.([]any)
			if !ok && xml && s.Index == 0 && cur != nil {
				continue
			}
			if !ok || s.Index < 0 || s.Index >= len(arr) {
				return nil, false
			}
			cur = arr[s.Index]
			continue
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[s.Key]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// String returns a text value: the first of the values paths select that
// is a string, number or boolean (numbers and booleans as their JSON text,
// since vendors are not always consistent about quoting).
func (d Doc) String(paths ...Path) (string, bool) {
	v, _ := d.find(paths, func(v any) bool { _, ok := scalarText(d.elementText(v)); return ok })
	return scalarText(d.elementText(v))
}

// elementText is, in an XML document, the text of an element that has
// attributes or children (see [XMLText]); v itself otherwise.
func (d Doc) elementText(v any) any {
	if m, ok := v.(map[string]any); ok && d.xml {
		if t, ok := m[XMLText]; ok {
			return t
		}
		return ""
	}
	return v
}

// scalarText is a string, number or boolean value as text.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// Secret returns a value a catalog declares secret: one already redacted
// (see [Doc.Redact] and [Doc.RedactKeys]) or a plain scalar, as text.
// String refuses redacted values, so that only fields declared secret can
// read them.
func (d Doc) Secret(paths ...Path) (apierr.Secret, bool) {
	v, _ := d.find(paths, func(v any) bool { _, ok := d.asSecret(v); return ok })
	return d.asSecret(v)
}

// asSecret is a redacted value, or a scalar's text, as a Secret.
func (d Doc) asSecret(v any) (apierr.Secret, bool) {
	if s, ok := v.(apierr.Secret); ok {
		return s, true
	}
	s, ok := scalarText(d.elementText(v))
	return apierr.Secret(s), ok
}

// Int returns the first integer value; a string holding an integer is
// accepted.
func (d Doc) Int(paths ...Path) (int64, bool) {
	v, _ := d.find(paths, func(v any) bool { _, ok := intOf(d.elementText(v)); return ok })
	return intOf(d.elementText(v))
}

func intOf(v any) (int64, bool) {
	s, ok := numberText(v)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// Float returns the first numeric value; a string holding a number is
// accepted.
func (d Doc) Float(paths ...Path) (float64, bool) {
	v, _ := d.find(paths, func(v any) bool { _, ok := floatOf(d.elementText(v)); return ok })
	return floatOf(d.elementText(v))
}

func floatOf(v any) (float64, bool) {
	s, ok := numberText(v)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// numberText returns the text of a number, or of a string that may hold
// one.
func numberText(v any) (string, bool) {
	switch x := v.(type) {
	case json.Number:
		return x.String(), true
	case string:
		return strings.TrimSpace(x), true
	}
	return "", false
}

// Bool returns the first boolean value.
func (d Doc) Bool(paths ...Path) (bool, bool) {
	v, _ := d.find(paths, func(v any) bool { _, ok := d.boolOf(v); return ok })
	return d.boolOf(v)
}

// boolOf is v as a boolean: in an XML document, which has no booleans,
// its text true or false (xsd:boolean's 1 and 0 too).
func (d Doc) boolOf(v any) (bool, bool) {
	if d.xml {
		s, _ := d.elementText(v).(string)
		switch strings.TrimSpace(s) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
		return false, false
	}
	return boolOf(v)
}

func boolOf(v any) (bool, bool) {
	b, ok := v.(bool)
	return b, ok
}

// Object returns the first free-form object value.
func (d Doc) Object(paths ...Path) (map[string]any, bool) {
	v, _ := d.find(paths, func(v any) bool { _, ok := v.(map[string]any); return ok })
	m, ok := v.(map[string]any)
	return m, ok
}

// List returns the object items of a list, each as a Doc: for the first of
// paths without a wildcard or filter that leads to an array, its items; for
// the first with one that matches an object, every object it matches (at
// most [MaxMatches]), each knowing the member name the path's last wildcard
// or filter matched ([Doc.Key]). Values that are not objects are skipped.
func (d Doc) List(paths ...Path) []Doc {
	for _, p := range paths {
		if !p.multi() {
			v, _ := lookup(d.root, p, d.xml)
			arr, ok := v.([]any)
			if !ok && d.xml && v != nil {
				arr, ok = []any{v}, true // an element that occurs once
			}
			if !ok {
				continue
			}
			out := make([]Doc, 0, len(arr))
			for _, it := range arr {
				if m, ok := it.(map[string]any); ok {
					out = append(out, Doc{root: m, secrets: d.secrets, xml: d.xml})
				}
			}
			return out
		}
		var out []Doc
		p.each(d.root, d.xml, func(s slot) bool {
			if m, ok := s.v.(map[string]any); ok {
				out = append(out, Doc{root: m, secrets: d.secrets, xml: d.xml, member: s.member, hasMember: s.hasMember})
			}
			return true
		})
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// Equals reports whether the value at p is the JSON scalar whose text is
// want ("false", "\"error\"", "1"); for a path with a wildcard or filter,
// whether one of the values it matches is.
func (d Doc) Equals(p Path, want string) bool {
	if d.xml {
		return d.any(p, func(v any) bool { return xmlEquals(d.elementText(v), want) })
	}
	return d.any(p, func(v any) bool { return equalsJSON(v, want) })
}

// xmlEquals: XML text has no types, so it equals the scalar's text ("x"
// for the JSON string "x", 1 for 1, true for true).
func xmlEquals(v any, want string) bool {
	s, ok := v.(string)
	var w any
	if !ok || json.Unmarshal([]byte(want), &w) != nil {
		return false
	}
	if ws, isStr := w.(string); isStr {
		return s == ws
	}
	return w != nil && s == want
}

// any reports whether test holds for a value p selects.
func (d Doc) any(p Path, test func(any) bool) bool {
	if !p.multi() {
		v, ok := lookup(d.root, p, d.xml)
		return ok && test(v)
	}
	found := false
	p.each(d.root, d.xml, func(s slot) bool {
		found = test(s.v)
		return !found
	})
	return found
}

// equalsJSON reports whether v is the JSON scalar whose text is want.
func equalsJSON(v any, want string) bool {
	switch x := v.(type) {
	case nil:
		return want == "null"
	case bool:
		return strconv.FormatBool(x) == want
	case json.Number:
		if x.String() == want {
			return true
		}
		a, err1 := strconv.ParseFloat(x.String(), 64)
		b, err2 := strconv.ParseFloat(want, 64)
		return err1 == nil && err2 == nil && a == b
	case string:
		q, _ := json.Marshal(x)
		return string(q) == want
	}
	return false
}

// NonEmpty reports whether the value at p (for a path with a wildcard or
// filter, one of the values it matches) is present and not null, false,
// zero, "", an empty array or an empty object.
func (d Doc) NonEmpty(p Path) bool {
	return d.any(p, nonEmpty)
}

func nonEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case json.Number:
		f, err := x.Float64()
		return err != nil || f != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// Redact replaces the value at p (every value, for a path with a wildcard
// or filter) with a [apierr.Secret] holding its text, so that
// no later read or print of the document shows it.
func (d Doc) Redact(p Path) {
	if len(p) == 0 {
		return
	}
	if p.multi() {
		d.redactAll(p)
		return
	}
	parent, ok := lookup(d.root, p[:len(p)-1], d.xml)
	if !ok {
		return
	}
	last := p[len(p)-1]
	switch c := parent.(type) {
	case map[string]any:
		if v, ok := c[last.Key]; ok && !last.IsIndex {
			c[last.Key] = d.secretOf(v)
		}
	case []any:
		if last.IsIndex && last.Index >= 0 && last.Index < len(c) {
			c[last.Index] = d.secretOf(c[last.Index])
		}
	}
}

// RedactKeys replaces, anywhere in the document, the value of every object
// member named one of keys with a [apierr.Secret]. Names match ignoring case and
// every character but letters and digits, so bearer_token also matches
// bearerToken and Bearer-Token. Generated
// parsers pass the last keys of the catalog's secret paths: a vendor that
// echoes a credential at an undocumented place uses the same name there,
// and a free-form field (an object, a list, a value of type any) must not
// print it.
func (d Doc) RedactKeys(keys ...string) {
	if len(keys) == 0 {
		return
	}
	d.redactKeys(d.root, keys)
}

func (d Doc) redactKeys(v any, keys []string) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if slices.ContainsFunc(keys, func(key string) bool { return sameKey(k, key) }) {
				if _, done := child.(apierr.Secret); !done { // as it is: no new interface
					x[k] = d.secretOf(child)
				}
				continue
			}
			d.redactKeys(child, keys)
		}
	case []any:
		for _, child := range x {
			d.redactKeys(child, keys)
		}
	}
}

// secretOf is v as a Secret, its value recorded for Scrub.
func (d Doc) secretOf(v any) apierr.Secret {
	var s apierr.Secret
	switch x := v.(type) {
	case string:
		s = apierr.Secret(x)
	case apierr.Secret:
		return x // already recorded
	default:
		b, _ := json.Marshal(v)
		s = apierr.Secret(b)
	}
	d.record(string(s))
	return s
}

// Text is the message of a plain-text body: valid UTF-8, trimmed.
func Text(body []byte) string {
	return strings.TrimSpace(strings.ToValidUTF8(string(body), "\uFFFD"))
}

// WithheldText is what [ScrubbedText] shows for a body that may hold a
// secret it cannot redact.
const WithheldText = "(body withheld: it may hold a secret)"

// ScrubbedText is the message of a body no format of a catalog with
// secrets read. A body that is, or starts as, a JSON object is shown
// re-encoded with the secret paths and every member named one of keys
// redacted (doc is redacted in place); a JSON array likewise with keys.
// Any other body (text around JSON, a form, XML, HTML, a stack trace)
// cannot be redacted, so it is replaced by [WithheldText] whenever it
// mentions one of keys in any form: ignoring case and every character but
// letters and digits (bearer_token matches "Bearer Token", bearerToken,
// <bearer-token>), and also after undoing the escapes that could hide a
// name (_ and other backslash escapes, %5F, =5F, HTML and XML
// entities, markup tags inside the name), repeatedly. This withholds some
// harmless text that merely names a key; no spelling of the key gets a
// value through. The values of the secrets redacted are then scrubbed
// from the rest of the text too ([Doc.Scrub]): a vendor that echoes a
// token in a message does not print it. doc and ok are the caller's
// [DecodeObject] of body, reused rather than redone.
func ScrubbedText(doc Doc, ok bool, body []byte, paths []Path, keys []string) string {
	if !ok {
		doc, ok = DecodeObjectPrefix(body)
	}
	if ok {
		for _, p := range paths {
			doc.Redact(p)
		}
		doc.RedactKeys(keys...)
		return doc.Scrub(doc.JSON())
	}
	if arr, ok := parseArray(bytes.TrimPrefix(body, utf8BOM)); ok {
		d := Doc{secrets: new([]string)}
		d.redactKeys(arr, keys)
		if b, err := json.Marshal(arr); err == nil {
			return d.Scrub(string(b))
		}
	}
	text := Text(body)
	if MentionsKey(text, keys) {
		return WithheldText
	}
	return text
}

// maxPrefixDepth bounds DecodeObjectPrefix's recursion, as encoding/json
// bounds its own.
const maxPrefixDepth = 10000

// DecodeObjectPrefix decodes as much of a JSON object as body holds, for a
// body cut short by the read limit: every value that ends within body is
// kept, the value being read when the bytes ran out is dropped. A code or
// an error flag near the start of a large body is so still found. It reports
// false when body does not start a JSON object.
func DecodeObjectPrefix(body []byte) (Doc, bool) {
	// Trimmed before size is taken: the cut-number check compares offsets
	// in the decoded bytes against it.
	body = bytes.TrimPrefix(body, utf8BOM)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return Doc{}, false
	}
	m := map[string]any{}
	p := &prefixDecoder{dec: dec, size: int64(len(body))}
	p.objectRest(m, 1)
	return Doc{root: m, secrets: new([]string)}, true
}

// prefixDecoder reads tokens from a possibly truncated body.
type prefixDecoder struct {
	dec  *json.Decoder
	size int64
}

// decodeObjectRest fills m with the members after an opening brace; it
// reports whether the object was complete.
func (p *prefixDecoder) objectRest(m map[string]any, depth int) bool {
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return false
		}
		if tok == json.Delim('}') {
			return true
		}
		key, ok := tok.(string)
		if !ok {
			return false
		}
		v, complete := p.value(depth)
		if v != nil || complete {
			m[key] = v
		}
		if !complete {
			return false
		}
	}
}

// decodeValue reads one value; an incomplete object or array is returned
// with what it holds so far, an incomplete scalar as nil.
func (p *prefixDecoder) value(depth int) (any, bool) {
	if depth > maxPrefixDepth {
		return nil, false
	}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, false
	}
	switch tok {
	case json.Delim('{'):
		m := map[string]any{}
		return m, p.objectRest(m, depth+1)
	case json.Delim('['):
		arr := []any{}
		for {
			if !p.dec.More() {
				end, err := p.dec.Token()
				return arr, err == nil && end == json.Delim(']')
			}
			v, complete := p.value(depth + 1)
			if v != nil || complete {
				arr = append(arr, v)
			}
			if !complete {
				return arr, false
			}
		}
	case json.Delim('}'), json.Delim(']'):
		return nil, false
	}
	if _, isString := tok.(string); !isString && p.dec.InputOffset() >= p.size {
		// A number or literal that ends exactly where the bytes end may
		// have been cut ("12345" of "123456"): drop it rather than misread.
		return nil, false
	}
	return tok, true
}

// JSON re-encodes the document, with redacted values as [Redacted]: the
// safe way to show a body that may hold secrets.
func (d Doc) JSON() string {
	b, err := json.Marshal(d.root)
	if err != nil {
		return ""
	}
	return string(b)
}

// OneLine makes text fit one line of an error message or a log record (see
// the transport's retry events, which use the same rule): invalid UTF-8,
// control characters and white space become single spaces, invisible
// formatting characters are dropped, and the result is cut to at most max
// runes with "…".
func OneLine(s string, max int) string { return text.OneLine(s, max) }

// Present reports whether the document holds a value at p (for a path with
// a wildcard or filter, one of the values it matches) that is not null (in
// an XML document: an element or attribute at p, even empty).
func (d Doc) Present(p Path) bool {
	return d.any(p, func(v any) bool { return v != nil })
}
