package errcatimpl

import (
	"encoding/json"
	"net/http"
	"net/textproto"
	"strconv"

	"github.com/errcat/errcat/apierr"
)

// ListItem is one item of a list in a success body: an object (Doc) or a
// string (Text).
type ListItem struct {
	Index    int    // its position in the list, items of other types counted
	Doc      Doc    // the item, when IsObject
	Text     string // the item, when it is a string
	IsObject bool
}

// Items returns the object and string items of the list at the first of
// paths that is present, in order, skipping items of other types. At most
// [apierr.MaxItems] items are read: past them err is
// [apierr.ErrTooManyItems]; for a body cut short (truncated) err is
// [apierr.ErrBodyTruncated], since the list may go on past the cut.
func (d Doc) Items(truncated bool, paths ...Path) (items []ListItem, err error) {
	if truncated {
		err = apierr.ErrBodyTruncated
	}
	v, ok := d.Lookup(paths...)
	if !ok {
		return nil, err
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, err
	}
	if len(arr) > apierr.MaxItems {
		arr, err = arr[:apierr.MaxItems], apierr.ErrTooManyItems
	}
	items = make([]ListItem, 0, len(arr))
	for i, it := range arr {
		switch x := it.(type) {
		case map[string]any:
			items = append(items, ListItem{Index: i, Doc: Doc{root: x, secrets: d.secrets}, IsObject: true})
		case string:
			items = append(items, ListItem{Index: i, Text: x})
		}
	}
	return items, err
}

// SuccessBodyErr is the error of Warnings or BatchErrors for a body that is
// no JSON object: [apierr.ErrBodyTruncated] if it was cut short, else nil.
func SuccessBodyErr(truncated bool) error {
	if truncated {
		return apierr.ErrBodyTruncated
	}
	return nil
}

// BatchShape says where a batch body lists its sub-responses and where
// each holds its status, body, id and headers (paths relative to the item).
// Generated BatchErrors functions hold one.
type BatchShape struct {
	List, Status, Body, ID, Header []Path
}

// BatchItem is one sub-response of a batch body.
type BatchItem struct {
	Index  int    // its position in the list
	ID     string // its id as text, "" if it has none
	Status int
	Header http.Header
	// Body is the item's body as bytes: an object or array re-encoded as
	// JSON, a string as its text.
	Body []byte
}

// maxItemHeaders bounds the headers read from one item.
const maxItemHeaders = 64

// Items returns the sub-responses of a batch body d (see [Doc.Items] for
// the bound and err). Items that are not objects, or whose status is not a
// number from 100 to 599, are skipped: without a status nothing says they
// failed. Generated code redacts d's secret keys first, so an item's body
// (and so its error's RawBody) holds no value of them, and scrubs their
// values from the texts of every item's error.
func (s *BatchShape) Items(d Doc, truncated bool) ([]BatchItem, error) {
	items, err := d.Items(truncated, s.List...)
	out := make([]BatchItem, 0, len(items))
	for _, it := range items {
		if !it.IsObject {
			continue
		}
		status, ok := it.Doc.Int(s.Status...)
		if !ok || status < 100 || status > 599 {
			continue
		}
		bi := BatchItem{Index: it.Index, Status: int(status), Header: itemHeader(it.Doc, s.Header)}
		if len(s.ID) > 0 {
			bi.ID, _ = it.Doc.String(s.ID...)
		}
		var body any = it.Doc.root
		if len(s.Body) > 0 {
			body, _ = it.Doc.Lookup(s.Body...)
		}
		bi.Body = bodyBytes(body)
		out = append(out, bi)
	}
	return out, err
}

// bodyBytes is a JSON value as the bytes of a response body.
func bodyBytes(v any) []byte {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return []byte(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// itemHeader reads the object at the first of paths as response headers:
// members whose value is a string, a number or a boolean, at most
// maxItemHeaders of them, names canonicalised.
func itemHeader(d Doc, paths []Path) http.Header {
	if len(paths) == 0 {
		return nil
	}
	m, ok := d.Object(paths...)
	if !ok {
		return nil
	}
	h := make(http.Header, min(len(m), maxItemHeaders))
	for k, v := range m {
		if len(h) >= maxItemHeaders {
			break
		}
		if s, ok := scalarText(v); ok && k != "" {
			h.Add(textproto.CanonicalMIMEHeaderKey(k), s)
		}
	}
	return h
}

// WarningLine is a generated Warning's String: "<vendor> warning", its
// code if any and its message, each on one line and cut short. Its texts
// are already scrubbed of the body's secrets.
func WarningLine(vendor, code, message string) string {
	s := vendor + " warning"
	if code != "" {
		s += " " + OneLine(code, 100)
	}
	if message != "" {
		s += ": " + OneLine(message, 200)
	}
	return s
}

// ItemLine is a generated ItemError's Error: `item <index> (id "<id>"): `
// and the item's error, the id on one line and cut short.
func ItemLine(index int, id string, err error) string {
	s := "item " + strconv.Itoa(index)
	if id != "" {
		s += " (id " + strconv.Quote(OneLine(id, 100)) + ")"
	}
	if err == nil {
		return s
	}
	return s + ": " + err.Error()
}

// ScrubItem replaces, in the id, the header values and the body of a batch
// item, every value of a secret d redacted ([Doc.Scrub]): generated
// BatchErrors redact the batch body's secret keys, then scrub each item
// before parsing it, so that a secret one part of the body held and another
// echoes (in a message, an id, a header) is printed nowhere, the item's
// RawBody included.
func (d Doc) ScrubItem(it *BatchItem) {
	if d.secrets == nil || len(*d.secrets) == 0 {
		return
	}
	it.ID = d.Scrub(it.ID)
	for _, vs := range it.Header {
		for i, v := range vs {
			vs[i] = d.Scrub(v)
		}
	}
	if s := string(it.Body); s != "" {
		if scrubbed := d.Scrub(s); scrubbed != s {
			it.Body = []byte(scrubbed)
		}
	}
}
