package apierrtest

import (
	"encoding/json"
	"strings"
)

// decode reads a JSON document, numbers exact; nil if text is not JSON.
func decode(text string) any {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || d.More() {
		return nil
	}
	return v
}

func encode(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// set puts v at path below cur (keys are strings, indexes ints), making
// objects and arrays on the way, and returns cur's new value.
func set(cur any, path []any, v any) any {
	if len(path) == 0 {
		return v
	}
	if i, ok := path[0].(int); ok && i >= 0 {
		arr, _ := cur.([]any)
		for len(arr) <= i {
			arr = append(arr, nil)
		}
		arr[i] = set(arr[i], path[1:], v)
		return arr
	}
	m, _ := cur.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	k, _ := path[0].(string)
	m[k] = set(m[k], path[1:], v)
	return m
}

// has reports whether doc holds a value at path.
func has(doc any, path []any) bool {
	_, ok := at(doc, path)
	return ok
}

// at returns the value doc holds at path.
func at(doc any, path []any) (any, bool) {
	for _, step := range path {
		switch c := doc.(type) {
		case map[string]any:
			k, ok := step.(string)
			if !ok {
				return nil, false
			}
			v, ok := c[k]
			if !ok {
				return nil, false
			}
			doc = v
		case []any:
			i, ok := step.(int)
			if !ok || i < 0 || i >= len(c) {
				return nil, false
			}
			doc = c[i]
		default:
			return nil, false
		}
	}
	return doc, true
}
