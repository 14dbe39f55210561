package model

import (
	"encoding/json"
	"encoding/xml"

	"slices"
	"strings"
)

// xmlSample writes a sample document made for an XML format as the XML
// errcatimpl.DecodeXML reads back into it: the root's one member is the
// root element, objects' members are child elements (those named "@…"
// attributes, "#text" the text), lists repeated elements, scalars text.
// Members are written in name order, so the sample is deterministic. It
// reports false for a document XML cannot hold (no single root, a name
// that is not an XML name).
func xmlSample(root map[string]any) (string, bool) {
	if len(root) != 1 {
		return "", false
	}
	var b strings.Builder
	for name, v := range root {
		if !writeXML(&b, name, v) {
			return "", false
		}
	}
	return b.String(), true
}

func writeXML(b *strings.Builder, name string, v any) bool {
	if !xmlName(name) {
		return false
	}
	if list, ok := v.([]any); ok {
		for _, it := range list {
			if !writeXML(b, name, it) {
				return false
			}
		}
		return true
	}
	b.WriteString("<" + name)
	m, isObj := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if attr, ok := strings.CutPrefix(k, "@"); ok {
			if !xmlName(attr) {
				return false
			}
			b.WriteString(" " + attr + `="` + xmlEscape(scalarSample(m[k])) + `"`)
		}
	}
	b.WriteString(">")
	if !isObj {
		b.WriteString(xmlEscape(scalarSample(v)))
	}
	for _, k := range keys {
		switch {
		case k == "#text":
			b.WriteString(xmlEscape(scalarSample(m[k])))
		case !strings.HasPrefix(k, "@"):
			if !writeXML(b, k, m[k]) {
				return false
			}
		}
	}
	b.WriteString("</" + name + ">")
	return true
}

// scalarSample is a sample scalar as XML text.
func scalarSample(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case map[string]any:
		return ""
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// xmlName reports whether s is a plain XML element or attribute name:
// a letter or '_' first, then letters, digits, '_', '-' and '.'.
func xmlName(s string) bool {
	if s == "" || strings.HasPrefix(strings.ToLower(s), "xml") {
		return false
	}
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 0x7f
		if !letter && (i == 0 || !(r == '-' || r == '.' || (r >= '0' && r <= '9'))) {
			return false
		}
	}
	return true
}
