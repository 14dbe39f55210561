package errcatimpl

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/errcat/errcat/apierr"
)

// MinScrubBytes is the shortest secret value Scrub removes from other
// texts: a shorter one ("1", "ok") would blank out ordinary words and
// numbers all over a message while hiding nothing worth a secret.
const MinScrubBytes = 4

// record notes a secret value taken out of the document.
func (d Doc) record(v string) {
	if d.secrets == nil || len(v) < MinScrubBytes {
		return
	}
	d.add(v)
	// Inside re-encoded JSON the value appears escaped.
	if !plainJSON(v) {
		if b, err := json.Marshal(v); err == nil {
			if esc := string(b[1 : len(b)-1]); esc != v {
				d.add(esc)
			}
		}
	}
}

// add puts v in the list of secrets unless it is there already, keeping
// the list longest first (in the order of recording among equal lengths),
// the order Scrub replaces them in: so Scrub needs no sorted copy.
func (d Doc) add(v string) {
	list := *d.secrets
	at := len(list)
	for i, s := range list {
		if s == v {
			return
		}
		if len(s) < len(v) && at == len(list) {
			at = i
		}
	}
	*d.secrets = slices.Insert(list, at, v)
}

// plainJSON reports whether json.Marshal writes s between its quotes as it
// is: printable ASCII without the characters it escapes (quote, backslash,
// and <, > and & for HTML). Any other byte, UTF-8 included, takes the
// encoder's own answer.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

// Scrub replaces in text every value of a secret this document redacted
// ([Doc.Redact], [Doc.RedactKeys]) with [apierr.Redacted], longest first so
// that a secret holding another is removed whole. Generated parsers pass
// every printed text of an error through it once the body's secret fields
// are read: a vendor that echoes a token in its message, in another field
// or in the raw-text fallback does not get it printed.
func (d Doc) Scrub(text string) string {
	if d.secrets == nil || len(*d.secrets) == 0 || text == "" {
		return text
	}
	for _, s := range *d.secrets { // longest first (see add)
		if strings.Contains(text, s) {
			text = strings.ReplaceAll(text, s, apierr.Redacted)
		}
	}
	return text
}

// ScrubValue scrubs the strings of a free-form value (an object, a list,
// a value of type any) in place, and returns it (a bare string scrubbed).
func (d Doc) ScrubValue(v any) any {
	if d.secrets == nil || len(*d.secrets) == 0 {
		return v
	}
	switch x := v.(type) {
	case string:
		if s := d.Scrub(x); s != x {
			return s
		}
	case map[string]any:
		for k, child := range x {
			if s, ok := child.(string); ok {
				if t := d.Scrub(s); t != s { // a string left as it is keeps its interface
					x[k] = t
				}
				continue
			}
			d.ScrubValue(child) // objects and lists in place
		}
	case []any:
		for i, child := range x {
			if s, ok := child.(string); ok {
				if t := d.Scrub(s); t != s {
					x[i] = t
				}
				continue
			}
			d.ScrubValue(child)
		}
	}
	return v
}

// ScrubObject is ScrubValue for an object field.
func (d Doc) ScrubObject(m map[string]any) map[string]any {
	d.ScrubValue(m)
	return m
}
