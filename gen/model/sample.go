package model

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// SampleMessage is the message SampleBody puts in the bodies it makes.
const SampleMessage = "example message"

// SampleBody makes up a JSON body of format b carrying code (if any) and
// SampleMessage, with the error flag set where the format needs one; msg
// is the message the body carries, if any. ok is false when the format
// cannot carry them. Generated examples and documentation use it where the
// vendor shows no example.
func SampleBody(b *Body, code *Code) (body, msg string, ok bool) {
	root := map[string]any{}
	hasCode := false
	for _, f := range b.Fields {
		if f.Role != RoleNone && f.Compose == nil && len(f.Paths) > 0 {
			shape(root, f.Paths[0])
		}
		switch {
		case f.Role == RoleCode && code != nil:
			put, ok := putCode(root, f, code)
			if !ok {
				return "", "", false
			}
			hasCode = hasCode || put
		case len(f.Paths) == 0:
		case f.Role == RoleMessage:
			if _, ok := set(root, f.Paths[0], SampleMessage); !ok {
				return "", "", false
			}
			msg = SampleMessage
		}
	}
	if code != nil && !hasCode {
		return "", "", false
	}
	if w := b.ErrorWhen; w != nil && code != nil && code.Status != nil && code.Status.Code < 400 {
		var v any = true
		if !w.NonEmpty {
			if err := json.Unmarshal([]byte(w.Equals), &v); err != nil {
				return "", "", false
			}
		}
		if _, present := get(root, w.Path); !present {
			if _, ok := set(root, w.Path, v); !ok {
				return "", "", false
			}
		}
	}
	if b.Problem != nil && code == nil {
		// A problem with no code: about:blank (RFC 9457), not a made-up URI.
		set(root, Path{{Key: "type"}}, "about:blank")
	}
	if w := b.When; w != nil {
		if _, present := get(root, w.Path); !present {
			if _, ok := set(root, w.Path, conditionSample(w, b.Fields)); !ok {
				return "", "", false
			}
		}
	}
	sampleOthers(root, b)
	if b.Content == ContentXML {
		out, ok := xmlSample(root)
		return out, msg, ok
	}
	out, err := json.Marshal(root)
	if err != nil {
		return "", "", false
	}
	return string(out), msg, true
}

// conditionSample is a value that makes w hold: its value, or for a test
// of presence that of the field read at its path (true if none).
func conditionSample(w *Condition, fields []*Field) any {
	if !w.NonEmpty && !w.Present {
		var v any
		if json.Unmarshal([]byte(w.Equals), &v) == nil {
			return v
		}
	}
	for _, f := range fields {
		if f.Role == RoleNone && len(f.Paths) > 0 && f.Paths[0].String() == w.Path.String() {
			return sampleValue(f)
		}
	}
	return true
}

// sampleOthers gives the fields without a role a value of their type, so
// the sample shows the whole shape; one that clashes with a path already
// set is left out.
func sampleOthers(root map[string]any, b *Body) {
	for _, f := range b.Fields {
		if f.Role != RoleNone || len(f.Paths) == 0 {
			continue
		}
		if _, present := get(root, f.Paths[0]); !present {
			v := sampleValue(f)
			if f.Type == TypeList && f.Paths[0].Multi() {
				v = sampleItem(f) // the path selects the items
			}
			set(root, f.Paths[0], v)
		}
	}
}

// sampleValue is a made-up value of a field's type.
func sampleValue(f *Field) any {
	switch f.Type {
	case TypeInteger:
		return 1
	case TypeNumber:
		return 1.5
	case TypeBoolean:
		return true
	case TypeTimeMillis:
		return json.Number("1700000000000")
	case TypeTimeSeconds:
		return 1700000000
	case TypeObject:
		return map[string]any{}
	case TypeList:
		return []any{sampleItem(f)}
	}
	return "example " + f.Name
}

// sampleItem is a made-up item of the list field f: a scalar for a list of
// scalars or of items read whole (from: value), else an object with the
// item's fields.
func sampleItem(f *Field) any {
	if f.Item == nil {
		return sampleValue(&Field{Name: f.Name, Type: f.Elem})
	}
	item := map[string]any{}
	for _, it := range f.Item.Fields {
		if it.From == FromValue {
			return sampleValue(it)
		}
		if len(it.Paths) > 0 {
			set(item, it.Paths[0], sampleValue(it))
		}
	}
	return item
}

// set puts v at path p below cur, creating objects and arrays on the way,
// and returns the new value for cur's place; ok is false when the path
// crosses a value of another shape.
func set(cur any, p Path, v any) (any, bool) {
	if len(p) == 0 {
		return v, true
	}
	s := p[0]
	if s.Wildcard || s.Filter != nil {
		return setItem(cur, s.Filter, p[1:], v)
	}
	if s.IsIndex {
		arr, isArr := cur.([]any)
		if (cur != nil && !isArr) || s.Index > 16 {
			return cur, false
		}
		for len(arr) <= s.Index {
			arr = append(arr, nil)
		}
		child, ok := set(arr[s.Index], p[1:], v)
		arr[s.Index] = child
		return arr, ok
	}
	m, isMap := cur.(map[string]any)
	if cur != nil && !isMap {
		return cur, false
	}
	if m == nil {
		m = map[string]any{}
	}
	child, ok := set(m[s.Key], p[1:], v)
	m[s.Key] = child
	return m, ok
}

// setItem is set for a wildcard or filter step: the first item of an
// array (made if need be) gets v at rest; for a filter, the first item the
// filter selects or that lacks the filter's value, which it gets (else a
// new item), so two filters on one list make two items.
func setItem(cur any, f *Filter, rest Path, v any) (any, bool) {
	arr, isArr := cur.([]any)
	if cur != nil && !isArr {
		return cur, false
	}
	var lit any
	if f != nil && json.Unmarshal([]byte(f.Equals), &lit) != nil {
		return cur, false
	}
	i := 0
	if f != nil {
		i = slices.IndexFunc(arr, func(it any) bool { return selects(it, f) })
		if i < 0 {
			i = slices.IndexFunc(arr, func(it any) bool { _, present := getAny(it, f.Path); return !present })
		}
		if i < 0 {
			i = len(arr)
		}
	}
	for len(arr) <= i {
		arr = append(arr, nil)
	}
	item, ok := set(arr[i], rest, v)
	ok2 := true
	if f != nil {
		item, ok2 = set(item, f.Path, lit)
	}
	arr[i] = item
	return arr, ok && ok2
}

// selects reports whether f selects it.
func selects(it any, f *Filter) bool {
	v, present := getAny(it, f.Path)
	b, err := json.Marshal(v)
	return present && err == nil && string(b) == f.Equals
}

// getAny is get from any value.
func getAny(v any, p Path) (any, bool) {
	if len(p) == 0 {
		return v, true
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	return get(m, p)
}

// shape makes the items p's filters select in root, so that a value set
// later at p by a test kit (which writes wildcards and filters as index 0)
// is selected.
func shape(root map[string]any, p Path) {
	last := -1
	for i, s := range p {
		if s.Filter != nil {
			last = i
		}
	}
	if last < 0 {
		return
	}
	if _, present := get(root, p[:last+1]); !present {
		set(root, p[:last+1], map[string]any{})
	}
}

// get returns the value at path p in root.
func get(root map[string]any, p Path) (any, bool) {
	var cur any = root
	for _, s := range p {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[s.Key]
			if !ok || s.IsIndex {
				return nil, false
			}
			cur = v
		case []any:
			if s.Wildcard || s.Filter != nil {
				s = Segment{IsIndex: true} // the first item, as set makes it
			}
			if !s.IsIndex || s.Index >= len(c) {
				return nil, false
			}
			cur = c[s.Index]
		default:
			return nil, false
		}
	}
	return cur, true
}

// putCode puts code where field f reads it: at its path, or composed
// (setComposed). put reports that f carries it; ok is false when the code
// does not fit f's shape.
func putCode(root map[string]any, f *Field, code *Code) (put, ok bool) {
	if f.Compose != nil {
		return true, setComposed(root, f, code.Str)
	}
	if len(f.Paths) == 0 {
		return false, true
	}
	var v any = code.Str
	if code.Str == "" {
		v = json.Number(strconv.FormatInt(code.Int, 10))
	}
	_, ok = set(root, f.Paths[0], v)
	return true, ok
}

// setComposed puts a composed code into root: its parts at the paths of
// compose.parts, or the chain of tags of a tagged union at the field's
// path. ok is false when the code does not split into what the field reads.
func setComposed(root map[string]any, f *Field, code string) bool {
	parts := []string{code}
	if f.Compose.Separator != "" {
		parts = strings.Split(code, f.Compose.Separator)
	}
	if f.Compose.Tag == "" {
		if len(parts) > len(f.Compose.Parts) {
			return false
		}
		for i, p := range parts {
			if _, ok := set(root, f.Compose.Parts[i], p); !ok {
				return false
			}
		}
		return true
	}
	if len(parts) > MaxTagDepth {
		return false
	}
	var union any
	for i := len(parts) - 1; i >= 0; i-- {
		obj := map[string]any{f.Compose.Tag: parts[i]}
		if union != nil {
			obj[parts[i]] = union
		}
		union = obj
	}
	_, ok := set(root, f.Paths[0], union)
	return ok
}
