package model

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// Path is a location in a JSON document: object keys and array indexes,
// and in format errcat/v2 wildcards and filters, which make it select
// every value they match (a subset of RFC 9535 JSONPath, without "$").
type Path []Segment

// Segment is one step of a Path: a key, an index (IsIndex), every item or
// member (Wildcard), or the items and members a filter holds for (Filter).
type Segment struct {
	Key      string
	Index    int
	IsIndex  bool
	Wildcard bool
	Filter   *Filter
}

// Filter selects the items (and members) whose value at Path, relative to
// the item and made of keys and indexes only, equals the JSON scalar whose
// text is Equals ("\"x\"", "1", "true", "null").
type Filter struct {
	Path   Path
	Equals string
}

// Multi reports whether p has a wildcard or a filter: whether it may
// select more than one value.
func (p Path) Multi() bool {
	for _, s := range p {
		if s.Wildcard || s.Filter != nil {
			return true
		}
	}
	return false
}

// LastKey returns p's last object key, skipping indexes, wildcards and
// filters (errors[*].token gives token): the name a secret goes by.
func (p Path) LastKey() (string, bool) {
	for i := len(p) - 1; i >= 0; i-- {
		if s := p[i]; !s.IsIndex && !s.Wildcard && s.Filter == nil {
			return s.Key, true
		}
	}
	return "", false
}

// AtArray reports whether p starts at a top-level array: [0].code,
// [*].message.
func (p Path) AtArray() bool {
	return len(p) > 0 && (p[0].IsIndex || p[0].Wildcard || p[0].Filter != nil)
}

// String writes the path canonically, as catalogs may: plain keys dotted
// (error.minor_code), indexes, wildcards and filters in brackets
// (errors[0].code, errors[*].field, details[?@.type == "x"].reason), and a
// key that holds path syntax, white space or quotes quoted in brackets
// (error['.tag']). Every v1 path prints as it was written.
func (p Path) String() string {
	var b strings.Builder
	p.write(&b, false)
	return b.String()
}

// write writes p; rel writes a filter's relative path, after "@".
func (p Path) write(b *strings.Builder, rel bool) {
	for i, s := range p {
		switch {
		case s.IsIndex:
			b.WriteString("[" + strconv.Itoa(s.Index) + "]")
		case s.Wildcard:
			b.WriteString("[*]")
		case s.Filter != nil:
			b.WriteString("[?@")
			s.Filter.Path.write(b, true)
			b.WriteString(" == " + s.Filter.Equals + "]")
		case PlainKey(s.Key) && !(rel && strings.ContainsRune("@$", rune(s.Key[0]))):
			// (Inside a filter, @.@type would read as two nodes: quoted.)
			if i > 0 || rel {
				b.WriteByte('.')
			}
			b.WriteString(s.Key)
		default:
			b.WriteString("[" + QuoteKey(s.Key) + "]")
		}
	}
}

// PlainKey reports whether key can be written dotted: not empty, not "*",
// and free of path syntax, quotes, white space and control characters.
func PlainKey(key string) bool {
	if key == "" || key == "*" {
		return false
	}
	for _, r := range key {
		if strings.ContainsRune(".[]'\"\\", r) || unicode.IsSpace(r) || unicode.IsControl(r) || Hidden(r) {
			return false
		}
	}
	return true
}

// QuoteKey writes key as a single-quoted path string: \ and ' escaped,
// control and invisible characters as \uXXXX.
func QuoteKey(key string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range key {
		switch {
		case r == '\\' || r == '\'':
			b.WriteString("\\" + string(r))
		case r < 0x20 || r == 0x7f || Hidden(r):
			units := []uint16{uint16(r)}
			if r > 0xffff {
				r1, r2 := utf16.EncodeRune(r)
				units = []uint16{uint16(r1), uint16(r2)}
			}
			for _, u := range units {
				b.WriteString(fmt.Sprintf(`\u%04X`, u))
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// ReadsArrays reports whether a JSON body format of c has a path that
// starts at a top-level array ([0].code, [*].message): its generated parser
// then decodes a body that is a JSON array too (errcatimpl.DecodeJSON).
func (c *Catalog) ReadsArrays() bool {
	for _, b := range c.Bodies {
		if b.Content != ContentJSON {
			continue
		}
		if b.ErrorWhen != nil && b.ErrorWhen.Path.AtArray() {
			return true
		}
		for _, p := range b.Sensitive {
			if p.AtArray() {
				return true
			}
		}
		for _, f := range b.Fields {
			for _, p := range f.Paths {
				if p.AtArray() {
					return true
				}
			}
		}
	}
	return false
}
