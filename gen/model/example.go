package model

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/errcat/errcat/apierr"
)

// Example is one example response a catalog gives for a status or a code,
// quoted from the vendor's docs: generated tests parse it and check that it
// yields what the catalog says, and test kits answer with it.
type Example struct {
	Pos Pos
	// Status is the exact HTTP status of the response.
	Status int
	// Code is the code the body must yield; nil for an example of a status,
	// whose body must yield no code.
	Code        *Code
	Headers     []ExampleHeader // catalog order
	Body        string
	Description string
}

// ExampleHeader is one response header of an example.
type ExampleHeader struct {
	Name  string // canonical form, such as "Retry-After"
	Value string
}

// Header returns the example's headers as an http.Header.
func (e *Example) Header() http.Header {
	h := http.Header{}
	for _, x := range e.Headers {
		h.Add(x.Name, x.Value)
	}
	return h
}

// Examples returns every example of the catalog: the statuses' in catalog
// order, then the codes'.
func (c *Catalog) Examples() []*Example {
	var out []*Example
	for _, s := range c.Statuses {
		out = append(out, s.Examples...)
	}
	for _, code := range c.Codes {
		out = append(out, code.Examples...)
	}
	return out
}

// Expected returns the kind and action a parsed example must have (Decide,
// with the body format the generated parser reads it with), unless a retry
// override header of the example replaces the action.
func (c *Catalog) Expected(e *Example) (apierr.Kind, apierr.Action) {
	format := ""
	if e.Status < 400 && c.SuccessErrors() {
		format = Evaluate(c, e.Status, e.Header(), []byte(e.Body), time.Time{}).Format
	}
	kind, action := c.Decide(e.Status, e.Code, format)
	if len(c.CodeSets) > 0 {
		if d := Evaluate(c, e.Status, e.Header(), []byte(e.Body), time.Unix(0, 0)).Decided; d != nil {
			kind, action = d.Kind, d.Action
		}
	}
	if o := c.Retry.Override; o != nil {
		v := e.Header().Get(o.Header)
		for _, ov := range o.Values {
			if ov.Value == v {
				action = ov.Action
				break
			}
		}
	}
	return kind, action
}

// Decide is the kind and action of an error at the live HTTP status whose
// body carried code (nil for none, or one the catalog does not list), read
// by the body format named format ("" for none): the rule errcatimpl.Table
// implements for generated code. The code's own, when it decides at that
// status (Code.Decides: its precedence); else, below 400 in a catalog that
// reads errors inside success bodies, the format's (Body.Kind, Body.Action)
// or apierr.KindUnknown and apierr.ActionFixRequest; else the exact
// status's, its class's, or apierr's defaults.
func (c *Catalog) Decide(status int, code *Code, format string) (apierr.Kind, apierr.Action) {
	if code != nil && code.Decides(status) {
		return code.Kind, code.Action
	}
	if status < 400 && c.SuccessErrors() {
		for _, b := range c.Bodies {
			if b.Name == format && b.HasKindAction {
				return b.Kind, b.Action
			}
		}
		return apierr.KindUnknown, apierr.ActionFixRequest
	}
	if s := c.StatusByCode(status); s != nil {
		return s.Kind, s.Action
	}
	if s := c.ClassOf(status); s != nil {
		return s.Kind, s.Action
	}
	return apierr.DefaultKind(status), apierr.DefaultAction(status)
}

// Secrets returns the secret values an example holds, which nothing may
// print: the values of sensitive headers, and the string or number values
// in a JSON body at a key of a sensitive path or secret field (list items'
// included), compared as the runtime compares them (errcatimpl.MentionsKey's
// rule: letters and digits, case ignored), wherever in the body. Values
// shorter than 4 characters are left out: they would turn up in any text.
func (c *Catalog) Secrets(e *Example) []string {
	var keys []string
	for _, b := range c.Bodies {
		for _, p := range b.Sensitive {
			if k, ok := p.LastKey(); ok {
				keys = append(keys, k)
			}
		}
		keys = append(keys, secretFieldKeys(b.Fields)...)
	}
	var out []string
	add := func(v string) {
		if len(v) >= 4 && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, h := range c.Headers {
		if h.Sensitive {
			add(e.Header().Get(h.Header))
		}
	}
	var doc any
	d := json.NewDecoder(strings.NewReader(e.Body))
	d.UseNumber()
	if d.Decode(&doc) == nil && len(keys) > 0 {
		var found []string
		walkSecrets(doc, keys, false, func(v string) { found = append(found, v) })
		slices.Sort(found) // walkSecrets ranges over maps
		for _, v := range found {
			add(v)
		}
	}
	return out
}

func secretFieldKeys(fs []*Field) []string {
	var out []string
	for _, f := range fs {
		if f.Type == TypeSecret {
			for _, p := range f.Paths {
				if k, ok := p.LastKey(); ok {
					out = append(out, k)
				}
			}
		}
		if f.Item != nil {
			out = append(out, secretFieldKeys(f.Item.Fields)...)
		}
	}
	return out
}

// walkSecrets calls add with every scalar below a member named one of keys.
func walkSecrets(v any, keys []string, secret bool, add func(string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			walkSecrets(x, keys, secret || sameLetters(k, keys), add)
		}
	case []any:
		for _, x := range v {
			walkSecrets(x, keys, secret, add)
		}
	case string:
		if secret {
			add(v)
		}
	case json.Number:
		if secret {
			add(v.String())
		}
	}
}

// sameLetters reports whether key is one of keys, comparing letters and
// digits only, case ignored.
func sameLetters(key string, keys []string) bool {
	letters := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	for _, k := range keys {
		if letters(k) == letters(key) {
			return true
		}
	}
	return false
}
