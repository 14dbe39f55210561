package model

import (
	"time"

	"github.com/errcat/errcat/apierr/errcatimpl"
)

// Warnings describes the warnings a vendor's success bodies carry (format
// v2): a list in the body whose items are surfaced to the caller by the
// generated Warnings and ParseWarnings, never as an error. FromResponse
// still returns nil for those responses.
type Warnings struct {
	Pos         Pos
	Description string
	// Statuses are the statuses whose bodies may carry warnings; empty
	// means every 2xx status.
	Statuses []StatusMatch
	// Paths locate the list of warnings (alternatives: the first present
	// wins). An item is an object read through Fields, or a string that
	// becomes the warning's message.
	Paths []Path
	// Fields are read from each object item, their paths relative to the
	// item; a field may have role code (the warning's code, as text) or
	// role message.
	Fields []*Field
	// Sensitive are paths in the body whose values are secrets.
	Sensitive []Path
	Example   string
}

// AppliesTo reports whether a response with status may carry warnings.
func (w *Warnings) AppliesTo(status int) bool { return successApplies(w.Statuses, status) }

// Batch describes a batch (bulk) response (format v2): a success body
// listing sub-responses, each with its own status and body, parsed by the
// generated BatchErrors and ParseBatchErrors into the package's *Error per
// failed item. Paths inside an item are relative to the item.
type Batch struct {
	Pos         Pos
	Description string
	// Statuses are the statuses of the outer response that carry items;
	// empty means every 2xx status.
	Statuses []StatusMatch
	// Paths locate the list of items (alternatives: the first present wins).
	Paths []Path
	// Status locates an item's HTTP status (required).
	Status []Path
	// Body locates an item's body; empty means the item itself is the body.
	Body []Path
	// ID locates an item's id; empty means items have none (their index
	// identifies them).
	ID []Path
	// Headers locates an object of the item's response headers; empty
	// means items carry none.
	Headers []Path
	Example string
}

// AppliesTo reports whether a response with status may be a batch.
func (b *Batch) AppliesTo(status int) bool { return successApplies(b.Statuses, status) }

func successApplies(ms []StatusMatch, status int) bool {
	if len(ms) == 0 {
		return status >= 200 && status < 300
	}
	for _, m := range ms {
		if m.Matches(status) {
			return true
		}
	}
	return false
}

// The identifiers a catalog's warnings and batch sections make the
// generated package declare; the loader reserves them when a catalog has
// the section.
const (
	WarningType          = "Warning"
	WarningsFunc         = "Warnings"
	ParseWarningsFunc    = "ParseWarnings"
	ItemErrorType        = "ItemError"
	BatchErrorsFunc      = "BatchErrors"
	ParseBatchErrorsFunc = "ParseBatchErrors"
)

// WarningMembers are the fixed fields and methods of the generated
// Warning; a warning's typed fields must not shadow them.
var WarningMembers = []string{"Code", "Message", "String", "GoString", "LogValue"}

// WarningOutcome is what the generated ParseWarnings makes of one warning,
// as EvaluateWarnings works it out from the model alone.
type WarningOutcome struct {
	Code, Message string
}

// EvaluateWarnings works out the warnings the generated ParseWarnings
// returns for a success body, with the runtime functions it calls: the
// loader checks a warnings example with it. ok is false when body is no
// JSON object. Secrets are not redacted: the outcome is for checks, not for
// printing.
func EvaluateWarnings(c *Catalog, body []byte) (out []WarningOutcome, ok bool) {
	doc, ok := errcatimpl.DecodeObject(body)
	if !ok || c.Warnings == nil {
		return nil, false
	}
	items, _ := doc.Items(false, toRuntimePaths(c.Warnings.Paths)...)
	for _, it := range items {
		if !it.IsObject {
			out = append(out, WarningOutcome{Message: it.Text})
			continue
		}
		var w WarningOutcome
		for _, f := range c.Warnings.Fields {
			switch f.Role {
			case RoleCode:
				w.Code, _ = it.Doc.String(toRuntimePaths(f.Paths)...)
			case RoleMessage:
				w.Message, _ = it.Doc.String(toRuntimePaths(f.Paths)...)
			}
		}
		out = append(out, w)
	}
	return out, true
}

// BatchOutcome is what the generated ParseBatchErrors makes of one failed
// item of a batch body.
type BatchOutcome struct {
	Index  int
	ID     string
	Status int // the item's HTTP status
	Outcome
}

// EvaluateBatch works out the item errors the generated ParseBatchErrors
// returns for a batch body (whose status the batch section lists), with
// Evaluate for each item: the loader checks a batch example with it, and a
// test holds it to the generated function. items counts the items with a
// status; ok is false when body is no JSON object.
func EvaluateBatch(c *Catalog, body []byte, now time.Time) (out []BatchOutcome, items int, ok bool) {
	doc, ok := errcatimpl.DecodeObject(body)
	if !ok || c.Batch == nil {
		return nil, 0, false
	}
	b := c.Batch
	shape := errcatimpl.BatchShape{List: toRuntimePaths(b.Paths), Status: toRuntimePaths(b.Status), Body: toRuntimePaths(b.Body), ID: toRuntimePaths(b.ID), Header: toRuntimePaths(b.Headers)}
	list, _ := shape.Items(doc, false)
	for _, it := range list {
		if o := Evaluate(c, it.Status, it.Header, it.Body, now); o.IsError {
			out = append(out, BatchOutcome{Index: it.Index, ID: it.ID, Status: it.Status, Outcome: o})
		}
	}
	return out, len(list), true
}

// FirstStatus is the status a batch or warnings example is shown with:
// the first the section lists (a class's first status), else 200.
func FirstStatus(ms []StatusMatch) int {
	if len(ms) == 0 {
		return 200
	}
	return ms[0].Code
}
