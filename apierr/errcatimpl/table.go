package errcatimpl

import (
	"fmt"
	"strconv"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/internal/text"
)

// StatusInfo is what a catalog says of one status, or of a status class
// (Class set, Status the class's first digit times 100).
type StatusInfo struct {
	Status      int
	Class       bool
	Name        string // the Go name, as String returns it
	Description string
	Kind        apierr.Kind
	Action      apierr.Action
	Err         error // the sentinel, or nil for a status that has none
}

// CodeInfo is what a catalog says of one code, C being the generated
// package's Code type.
type CodeInfo[C comparable] struct {
	Code        C
	Name        string // the Go name
	Status      int    // the HTTP status the vendor returns it with
	Description string
	Kind        apierr.Kind
	Action      apierr.Action
	Err         error  // the code's sentinel
	Alias       error  // the sentinel of the code it is an alias of, or nil
	Deprecated  string // why it is deprecated, or ""
	// StatusWins is the code's precedence "status" (catalog format v2): at
	// a live status that is not one of Statuses, the status's kind and
	// action apply instead of the code's. False: the code's apply at any
	// status.
	StatusWins bool
	// Statuses are the statuses the code is listed with, exact ones as
	// themselves and classes as their first digit (5 for 5XX); read only
	// when StatusWins is set.
	Statuses []int
}

// decides reports whether the code's own kind and action apply at the live
// status (see StatusWins).
func (i *CodeInfo[C]) decides(status int) bool {
	if !i.StatusWins {
		return true
	}
	for _, s := range i.Statuses {
		if s == status || (s >= 1 && s <= 5 && status/100 == s) {
			return true
		}
	}
	return false
}

// FormatInfo is the kind and action a body format that reads errors inside
// success responses gives such an error when its code is not listed (or it
// has none), as catalog format v2 states them on the format.
type FormatInfo struct {
	Name   string // the format's catalog name, as Error.Format holds it
	Kind   apierr.Kind
	Action apierr.Action
}

// Table is a generated package's catalog: one value per package, built
// once from the rows the generator writes, read by the package's thin
// methods. Lookups are map reads; lists keep catalog order.
type Table[C comparable] struct {
	vendor   string
	statuses []StatusInfo
	byStatus map[int]*StatusInfo
	classes  [6]*StatusInfo
	codes    []CodeInfo[C]
	byCode   map[C]*CodeInfo[C]
	// successErrors: a body format may report an error inside a success
	// response, whose status's own kind would call it a success.
	successErrors bool
	// formats are the body formats that classify such errors themselves.
	formats []FormatInfo
}

// WithFormats gives the table the kind and action of the body formats that
// classify the errors they read inside success responses, for KindIn and
// ActionIn; it returns t, for use in the generated table's declaration.
func (t *Table[C]) WithFormats(formats []FormatInfo) *Table[C] {
	t.formats = formats
	return t
}

// NewTable indexes a generated package's statuses (exact ones and classes,
// in catalog order) and codes. vendor is the catalog id error texts start
// with; successErrors tells whether a body format reports errors inside
// success responses.
func NewTable[C comparable](vendor string, successErrors bool, statuses []StatusInfo, codes []CodeInfo[C]) *Table[C] {
	t := &Table[C]{vendor: vendor, successErrors: successErrors, byStatus: make(map[int]*StatusInfo, len(statuses)), byCode: make(map[C]*CodeInfo[C], len(codes))}
	for i := range statuses {
		s := &statuses[i]
		if s.Class {
			if d := s.Status / 100; d >= 1 && d <= 5 {
				t.classes[d] = s
			}
			continue
		}
		t.statuses = append(t.statuses, *s)
		t.byStatus[s.Status] = s
	}
	t.codes = codes
	for i := range codes {
		t.byCode[codes[i].Code] = &codes[i]
	}
	return t
}

// status is the exact entry of s, else its class's, else nil.
func (t *Table[C]) status(s int) *StatusInfo {
	if i, ok := t.byStatus[s]; ok {
		return i
	}
	if s >= 100 && s < 600 {
		return t.classes[s/100]
	}
	return nil
}

// StatusKnown reports whether the catalog lists s exactly.
func (t *Table[C]) StatusKnown(s int) bool {
	_, ok := t.byStatus[s]
	return ok
}

// StatusName is the Go name of s, or "Status(418)" for a status the catalog
// does not list exactly.
func (t *Table[C]) StatusName(s int) string {
	if i, ok := t.byStatus[s]; ok {
		return i.Name
	}
	return fmt.Sprintf("Status(%d)", s)
}

// StatusDescription is the vendor's description of s or of its class, or "".
func (t *Table[C]) StatusDescription(s int) string {
	if i := t.status(s); i != nil {
		return i.Description
	}
	return ""
}

// StatusKind is the kind of s, of its class, or apierr.DefaultKind.
func (t *Table[C]) StatusKind(s int) apierr.Kind {
	if i := t.status(s); i != nil {
		return i.Kind
	}
	return apierr.DefaultKind(s)
}

// StatusAction is the action of s, of its class, or apierr.DefaultAction.
func (t *Table[C]) StatusAction(s int) apierr.Action {
	if i := t.status(s); i != nil {
		return i.Action
	}
	return apierr.DefaultAction(s)
}

// Statuses lists the exact statuses in catalog order, as S.
func Statuses[S ~int, C comparable](t *Table[C]) []S {
	out := make([]S, len(t.statuses))
	for i, s := range t.statuses {
		out[i] = S(s.Status)
	}
	return out
}

// Code is the catalog's entry for c, or nil.
func (t *Table[C]) Code(c C) *CodeInfo[C] { return t.byCode[c] }

// CodeName is the Go name of an integer code c, or "Code(4999)" for one the
// catalog does not list. (A string code's String is the code itself.)
func CodeName[C ~int64](t *Table[C], c C) string {
	if i := t.byCode[c]; i != nil {
		return i.Name
	}
	return "Code(" + strconv.FormatInt(int64(c), 10) + ")"
}

// CodeInfoOf is the entry of c, or the zero entry for a code the catalog
// does not list (kind apierr.KindUnknown, action apierr.ActionNone).
func (t *Table[C]) CodeInfoOf(c C) CodeInfo[C] {
	if i := t.byCode[c]; i != nil {
		return *i
	}
	return CodeInfo[C]{Code: c}
}

// Codes lists the codes in catalog order.
func (t *Table[C]) Codes() []C {
	out := make([]C, len(t.codes))
	for i := range t.codes {
		out[i] = t.codes[i].Code
	}
	return out
}

// Is reports whether target is the sentinel of the code (or of the code it
// is an alias of), of the exact status or of the status class.
func (t *Table[C]) Is(target error, status int, code C, hasCode bool) bool {
	if target == nil {
		return false
	}
	if hasCode {
		if i := t.byCode[code]; i != nil && (target == i.Err || target == i.Alias) {
			return true
		}
	}
	if i, ok := t.byStatus[status]; ok && target == i.Err {
		return true
	}
	if status >= 100 && status < 600 {
		if i := t.classes[status/100]; i != nil && target == i.Err {
			return true
		}
	}
	return false
}

// Kind is an error's kind: its code's if the catalog lists it (and the
// code decides at that status, see CodeInfo.StatusWins), else its
// status's; an error inside a success response with no listed code is
// apierr.KindUnknown.
func (t *Table[C]) Kind(status int, code C, hasCode bool) apierr.Kind {
	return t.KindIn("", status, code, hasCode)
}

// KindIn is Kind for an error the body format named format read: below
// 400, the format's kind (WithFormats) replaces apierr.KindUnknown.
func (t *Table[C]) KindIn(format string, status int, code C, hasCode bool) apierr.Kind {
	if i := t.byCode[code]; hasCode && i != nil && i.decides(status) {
		return i.Kind
	}
	if t.successErrors && status < 400 {
		if f := t.format(format); f != nil {
			return f.Kind
		}
		return apierr.KindUnknown
	}
	return t.StatusKind(status)
}

// Action is an error's action: the override a header gave, else its code's
// if the catalog lists it (and the code decides at that status), else its
// status's; an error inside a success response with no listed code asks to
// fix the request.
func (t *Table[C]) Action(override apierr.Action, hasOverride bool, status int, code C, hasCode bool) apierr.Action {
	return t.ActionIn("", override, hasOverride, status, code, hasCode)
}

// ActionIn is Action for an error the body format named format read:
// below 400, the format's action (WithFormats) replaces
// apierr.ActionFixRequest.
func (t *Table[C]) ActionIn(format string, override apierr.Action, hasOverride bool, status int, code C, hasCode bool) apierr.Action {
	if hasOverride {
		return override
	}
	if i := t.byCode[code]; hasCode && i != nil && i.decides(status) {
		return i.Action
	}
	if t.successErrors && status < 400 {
		if f := t.format(format); f != nil {
			return f.Action
		}
		return apierr.ActionFixRequest
	}
	return t.StatusAction(status)
}

// format is the entry WithFormats gave for the format name, or nil.
func (t *Table[C]) format(name string) *FormatInfo {
	for i := range t.formats {
		if t.formats[i].Name == name && name != "" {
			return &t.formats[i]
		}
	}
	return nil
}

// ErrorText is an error's one line: the vendor id, the status (and its Go
// name when listed), the code as text (and its Go name when listed) and the
// message, each cut short; codeText is "" when the body carried no code.
func (t *Table[C]) ErrorText(status int, codeText string, code C, hasCode bool, message string) string {
	statusName, codeName := "", ""
	if i, ok := t.byStatus[status]; ok {
		statusName = i.Name
	}
	if i := t.byCode[code]; hasCode && i != nil {
		codeName = i.Name
	}
	return ErrorLine(t.vendor, status, statusName, codeText, codeName, hasCode, message)
}

// ErrorLine is the one line Table.ErrorText builds from the names the table
// holds ("" when the catalog does not list the status or the code); the
// generator prints the expected output of examples with it, so the line has
// one definition.
func ErrorLine(vendor string, status int, statusName, codeText, codeName string, hasCode bool, message string) string {
	s := fmt.Sprintf("%s: %d", vendor, status)
	if statusName != "" {
		s += " " + statusName
	}
	if hasCode {
		s += " code " + text.OneLine(codeText, 100)
		if codeName != "" {
			s += " (" + codeName + ")"
		}
	}
	if m := text.OneLine(message, 200); m != "" {
		s += ": " + m
	}
	return s
}
