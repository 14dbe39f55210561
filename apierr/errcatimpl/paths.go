package errcatimpl

import (
	"bytes"
	"maps"
	"slices"
	"strings"
)

// MaxMatches bounds the values one path with a wildcard or filter selects:
// the walk stops at the MaxMatches-th match, so a hostile body with a
// million list items or members yields at most this many list items,
// joined strings or candidates for a field. (A path without a wildcard
// selects one value; a list field's path without one still takes every
// item of its list, as format errcat/v1 does.)
const MaxMatches = 1000

// Filter selects the items of an array and the members of an object whose
// value at Path (relative to the item; keys and indexes only) equals the
// JSON scalar whose text is Equals ("\"type.googleapis.com/x\"", "1",
// "true", "null").
type Filter struct {
	Path   Path
	Equals string
}

// holds reports whether f selects v.
func (f *Filter) holds(v any, xml bool) bool {
	x, ok := lookup(v, f.Path, xml)
	if xml {
		return ok && xmlEquals(Doc{xml: true}.elementText(x), f.Equals)
	}
	return ok && equalsJSON(x, f.Equals)
}

// multi reports whether p has a wildcard or a filter step: whether it may
// select more than one value.
func (p Path) multi() bool {
	for _, s := range p {
		if s.Wildcard || s.Filter != nil {
			return true
		}
	}
	return false
}

// slot is one value a path selects and where it sits.
type slot struct {
	parent    any    // the map[string]any or []any holding v; nil for the root
	key       string // v's key when parent is a map
	index     int    // v's index when parent is an array
	v         any
	member    string // the member name the last wildcard or filter matched in an object
	hasMember bool
}

// each calls visit with every value p selects below root in document
// order, until visit returns false or [MaxMatches] values were visited.
// Array items come in their order; the members of an object in the byte
// order of their names, since encoding/json's maps do not keep the body's
// order: the order is so the same for every run and every Go version.
// The walk only descends, so it visits each value of the body at most once
// per step of p.
//
// In an XML document (xml), index 0 also selects an element that occurs
// once, as lookup does.
func (p Path) each(root any, xml bool, visit func(slot) bool) {
	n := 0
	walk(slot{v: root}, p, xml, &n, visit)
}

// walk is each below s; it reports whether to go on.
func walk(s slot, p Path, xml bool, n *int, visit func(slot) bool) bool {
	if len(p) == 0 {
		*n++
		return visit(s) && *n < MaxMatches
	}
	st, rest := p[0], p[1:]
	switch {
	case st.Wildcard || st.Filter != nil:
		if _, isArr := s.v.([]any); xml && !isArr && s.v != nil {
			// An element that occurs once is a list of one, as for [0].
			if st.Filter != nil && !st.Filter.holds(s.v, xml) {
				return true
			}
			return walk(s, rest, xml, n, visit)
		}
		return children(s, func(c slot) bool {
			if st.Filter != nil && !st.Filter.holds(c.v, xml) {
				return true
			}
			return walk(c, rest, xml, n, visit)
		})
	case st.IsIndex:
		arr, ok := s.v.([]any)
		if !ok && xml && st.Index == 0 && s.v != nil {
			return walk(s, rest, xml, n, visit) // an element that occurs once
		}
		if !ok || st.Index < 0 || st.Index >= len(arr) {
			return true
		}
		return walk(slot{parent: arr, index: st.Index, v: arr[st.Index], member: s.member, hasMember: s.hasMember}, rest, xml, n, visit)
	}
	obj, ok := s.v.(map[string]any)
	if !ok {
		return true
	}
	v, ok := obj[st.Key]
	if !ok {
		return true
	}
	return walk(slot{parent: obj, key: st.Key, v: v, member: s.member, hasMember: s.hasMember}, rest, xml, n, visit)
}

// children calls each with every item of an array or member of an object
// (names in byte order); it reports whether to go on.
func children(s slot, each func(slot) bool) bool {
	switch x := s.v.(type) {
	case []any:
		for i, v := range x {
			if !each(slot{parent: x, index: i, v: v, member: s.member, hasMember: s.hasMember}) {
				return false
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if !each(slot{parent: x, key: k, v: x[k], member: k, hasMember: true}) {
				return false
			}
		}
	}
	return true
}

// find returns the first value, in the order of paths and then of the
// document, that accept takes: a field takes the first value of its
// declared type, so an alternative whose value has another type (a list
// where a string was expected) gives way to the next. (Not generic: the
// accessors that call it are inlined into generated code, and a generic
// callee there made the compiler move every path literal to the heap.)
func (d Doc) find(paths []Path, accept func(any) bool) (any, bool) {
	for _, p := range paths {
		if !p.multi() {
			if v, ok := lookup(d.root, p, d.xml); ok && accept(v) {
				return v, true
			}
			continue
		}
		var out any
		found := false
		p.each(d.root, d.xml, func(s slot) bool {
			if accept(s.v) {
				out, found = s.v, true
			}
			return !found
		})
		if found {
			return out, true
		}
	}
	return nil, false
}

// redactAll is Redact for a path with a wildcard or filter: every value it
// selects.
func (d Doc) redactAll(p Path) {
	p.each(d.root, d.xml, func(s slot) bool {
		switch c := s.parent.(type) {
		case map[string]any:
			c[s.key] = d.secretOf(s.v)
		case []any:
			c[s.index] = d.secretOf(s.v)
		}
		return true
	})
}

// Values is [Doc.List] for lists whose items may be scalars (a list item
// field with from: value): every non-null value is an item, not only
// objects. [Doc.String] and the other accessors read a scalar item with
// an empty path.
func (d Doc) Values(paths ...Path) []Doc {
	for _, p := range paths {
		var out []Doc
		add := func(s slot) bool {
			if s.v != nil {
				out = append(out, Doc{root: s.v, secrets: d.secrets, xml: d.xml, member: s.member, hasMember: s.hasMember})
			}
			return len(out) < MaxMatches
		}
		if p.multi() {
			p.each(d.root, d.xml, add)
		} else if v, _ := lookup(d.root, p, d.xml); v != nil {
			arr, _ := v.([]any)
			for _, it := range arr {
				if !add(slot{v: it}) {
					break
				}
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// Key returns the member name the last wildcard or filter of the path that
// selected this list item matched in an object (errors.*[*] on
// {"errors":{"email":["is invalid"]}} gives "email"); false when it matched
// array items only, or the item came from a path without one.
func (d Doc) Key() (string, bool) {
	return d.member, d.hasMember
}

// scalars returns the values of the first of paths that selects one conv
// accepts: without a wildcard or filter, the items of the array there; with
// one, every value it matches. At most [MaxMatches] values are kept.
func scalars[T any](d Doc, paths []Path, conv func(any) (T, bool)) []T {
	for _, p := range paths {
		var out []T
		add := func(v any) bool {
			if x, ok := conv(v); ok {
				out = append(out, x)
			}
			return len(out) < MaxMatches
		}
		if p.multi() {
			p.each(d.root, d.xml, func(s slot) bool { return add(s.v) })
		} else if v, _ := lookup(d.root, p, d.xml); v != nil {
			arr, isArr := v.([]any)
			if !isArr && d.xml {
				arr = []any{v} // an element that occurs once
			}
			for _, it := range arr {
				if !add(it) {
					break
				}
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// Strings returns a list of strings (numbers and booleans as their JSON
// text), as [Doc.List] selects items.
func (d Doc) Strings(paths ...Path) []string {
	return scalars(d, paths, func(v any) (string, bool) { return scalarText(d.elementText(v)) })
}

// Ints returns a list of integers, as [Doc.Strings] does strings.
func (d Doc) Ints(paths ...Path) []int64 {
	return scalars(d, paths, func(v any) (int64, bool) { return intOf(d.elementText(v)) })
}

// Floats returns a list of numbers, as [Doc.Strings] does strings.
func (d Doc) Floats(paths ...Path) []float64 {
	return scalars(d, paths, func(v any) (float64, bool) { return floatOf(d.elementText(v)) })
}

// Bools returns a list of booleans, as [Doc.Strings] does strings.
func (d Doc) Bools(paths ...Path) []bool { return scalars(d, paths, d.boolOf) }

// Join returns the string values the first of paths that selects any
// selects, and the strings of the arrays among them (NestJS's
// "message": ["a", "b"]), joined with sep: at most [MaxMatches] strings.
func (d Doc) Join(sep string, paths ...Path) (string, bool) {
	for _, p := range paths {
		var out []string
		add := func(v any) bool {
			switch x := d.elementText(v).(type) {
			case string:
				out = append(out, x)
			case []any:
				for _, it := range x {
					if s, ok := it.(string); ok && len(out) < MaxMatches {
						out = append(out, s)
					}
				}
			}
			return len(out) < MaxMatches
		}
		if p.multi() {
			p.each(d.root, d.xml, func(s slot) bool { return add(s.v) })
		} else if v, ok := lookup(d.root, p, d.xml); ok {
			add(v)
		}
		if len(out) > 0 {
			return strings.Join(out, sep), true
		}
	}
	return "", false
}

// DecodeJSON is [DecodeObject] that also accepts a top-level JSON array,
// for catalogs (format errcat/v2) whose paths start with an index, a
// wildcard or a filter: [0].code, [*].message.
func DecodeJSON(body []byte) (Doc, bool) {
	if d, ok := DecodeObject(body); ok {
		return d, true
	}
	arr, ok := parseArray(bytes.TrimPrefix(body, utf8BOM))
	if !ok {
		return Doc{}, false
	}
	return Doc{root: arr, secrets: new([]string)}, true
}
