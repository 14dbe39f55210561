// Package model is errcat's typed, validated view of one catalog. The loader
// (package load) builds it from YAML; the emitters read only it. It knows
// nothing of YAML, jennifer or templates, and every Go name it carries has
// already been computed and checked, so emitters never invent identifiers.
package model

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/apierr/errcatimpl"
)

// FormatVersion is the newest catalog format this model describes; the
// loader also reads FormatV1 catalogs, which may not use the keys v2 added.
const FormatVersion = "errcat/v2"

// FormatV1 is the first catalog format. Every v1 catalog is a valid v2
// catalog and generates the same output under either header.
const FormatV1 = "errcat/v1"

// Catalog is one vendor's error catalog.
type Catalog struct {
	// Source is the catalog's path as given to the generator, slash-separated
	// and relative to the working directory; generated headers name it.
	Source string
	// ImportPath is the Go import path of the generated package, set by the
	// pipeline once it knows where output goes; "" when unknown.
	ImportPath string
	// TestKit, set by the pipeline, asks for the <package>test package
	// beside the generated one (it needs ImportPath too).
	TestKit bool
	// Format is the catalog format version the file states: 1 or 2.
	Format   int
	Vendor   Vendor
	Statuses []*Status // catalog order: classes and exact statuses
	CodeType CodeType
	Codes    []*Code // catalog order
	Bodies   []*Body // tried in catalog order
	Headers  []*Header
	Retry    Retry
	// Warnings, when set, says where success bodies carry warnings (v2).
	Warnings *Warnings
	// Batch, when set, says how batch responses list their items (v2).
	Batch *Batch
	// CodeSets are the secondary code sets (format v2), in catalog order.
	CodeSets []*CodeSet
}

// Pos is where an entry starts in its catalog file, 1-based; the zero Pos
// means unknown (a model built by hand). Only reports use it (errcat diff
// names the line of each change); emitters never print it.
type Pos struct{ Line, Col int }

// Vendor describes who publishes the API.
type Vendor struct {
	Pos          Pos
	ID           string // lowercase id, such as "alloy"
	Name         string // display name, such as "Alloy"
	Package      string // Go package name of the generated package
	Docs         []string
	Description  string
	DocsRevision string // date or revision of the docs the catalog reflects
}

// Status is one documented HTTP status or status class (2XX…5XX).
type Status struct {
	Pos Pos
	// Code is the exact status (400), or the class's first status (500 for 5XX).
	Code        int
	Class       bool
	Name        string // the catalog's name, as written
	GoName      string // normalised, such as "BadRequest"
	Description string
	Note        string
	Kind        apierr.Kind
	Action      apierr.Action
	// KindInherited and ActionInherited report that the value came from the
	// status's class rather than from the entry itself.
	KindInherited, ActionInherited bool
	Messages                       []Message
	// Idents are its Go identifiers in generated code (see Catalog.Finish).
	Idents Idents
	// Examples are example responses of this status, in catalog order; the
	// first is the one test kits answer with.
	Examples []*Example
	// Delay is the status's minimum and default retry delay.
	Delay DelayBounds
}

// Idents are the Go identifiers generated code declares for a status or a
// code. The model computes them once (Catalog.Finish); emitters and
// templates print them and never build them.
type Idents struct {
	Const string // StatusBadRequest, CodeCredentialsExpired; "" for a status class
	Err   string // the sentinel, ErrBadRequest; "" when it has none
	Is    string // the matcher, IsBadRequest; "" when it has none
}

// DeclaredIdents are the identifiers a status or code named goName may be
// given: the loader reserves them all, so that no two entries collide
// whichever of them they get.
func DeclaredIdents(goName string, code bool) Idents {
	if code {
		return Idents{Const: "Code" + goName, Err: "Err" + goName, Is: "Is" + goName}
	}
	return Idents{Const: "Status" + goName, Err: "Err" + goName, Is: "Is" + goName}
}

// CodeIdents are the identifiers of a code named goName. A code whose Go
// name is also a status's (format v2 allows it: code "bad request" beside
// status 400 "Bad Request") keeps its constant (CodeBadRequest, beside
// StatusBadRequest) and has its sentinel and matcher named after the
// constant, ErrCodeBadRequest and IsCodeBadRequest, since the status holds
// ErrBadRequest and IsBadRequest. Both keep their own names everywhere
// else (Error(), slog, docs).
func CodeIdents(goName string, statusNamed bool) Idents {
	id := DeclaredIdents(goName, true)
	if statusNamed {
		id.Err, id.Is = "Err"+id.Const, "Is"+id.Const
	}
	return id
}

// Finish computes what the model decides once for every emitter: each
// status's and code's Go identifiers, including whether a status gets a
// sentinel and a matcher (HasSentinel). The loader calls it last.
func (c *Catalog) Finish() {
	statusNames := map[string]bool{}
	for _, s := range c.Statuses {
		id := DeclaredIdents(s.GoName, false)
		if s.Class {
			id.Const = ""
		}
		if !c.HasSentinel(s) {
			id.Err, id.Is = "", ""
		}
		s.Idents = id
		statusNames[s.GoName] = true
	}
	for _, code := range c.Codes {
		code.Idents = CodeIdents(code.GoName, statusNames[code.GoName])
	}
	for _, s := range c.CodeSets {
		s.Idents = SetIdentsOf(s.GoName, s.Domain != nil)
		for _, it := range s.Items {
			it.Idents = SetCodeIdents(s.GoName, it.GoName)
		}
	}
}

// Text is the status as the vendor writes it: "400" or "5XX".
func (s *Status) Text() string {
	if s.Class {
		return strconv.Itoa(s.Code/100) + "XX"
	}
	return strconv.Itoa(s.Code)
}

// ClassDigit is the status's first digit: 4 for 404 and for 4XX.
func (s *Status) ClassDigit() int { return s.Code / 100 }

// Matches reports whether an HTTP status falls under this entry.
func (s *Status) Matches(status int) bool {
	if s.Class {
		return status/100 == s.Code/100
	}
	return status == s.Code
}

// Message is a message a vendor documents. Every vendor here says not to
// match on messages, so nothing at run time matches them: they are
// documentation, and errcat vet's list of known texts (to point code that
// matches them at the matcher).
type Message struct {
	Text        string
	Description string
}

// CodeType is the Go type of a vendor's codes.
type CodeType int

// The code types. CodeNone means the vendor documents no codes.
const (
	CodeNone CodeType = iota
	CodeInt
	CodeString
)

// String returns the catalog spelling of the code type.
func (t CodeType) String() string {
	switch t {
	case CodeInt:
		return "integer"
	case CodeString:
		return "string"
	}
	return "none"
}

// Code is one vendor code: an integer minor code or a string code.
type Code struct {
	Pos    Pos
	Int    int64  // when the catalog's code type is integer
	Str    string // when it is string
	Name   string
	GoName string
	// Status is the first exact status the code is listed with: the one
	// its Status() method returns; nil when it lists none (format v2: a
	// code without a status, or with only status classes).
	Status *Status
	// Statuses are every status and class the code is listed with, in
	// catalog order (Status among them); empty for a code without a status.
	Statuses []*Status
	// StatusWins is the code's precedence (format v2, "precedence:
	// status"): at a live status outside Statuses, the status's kind and
	// action apply rather than the code's. False (the default, "code"):
	// the code's kind and action apply at any status.
	StatusWins  bool
	Description string
	Note        string
	Kind        apierr.Kind
	Action      apierr.Action
	// KindInherited and ActionInherited report that the value came from the
	// code's statuses (which all agree on it) rather than from the entry
	// itself.
	KindInherited, ActionInherited bool
	Deprecated                     string // why, and what to use instead; "" if current
	AliasOf                        *Code
	Messages                       []Message
	// Idents are its Go identifiers in generated code (see Catalog.Finish).
	Idents Idents
	// Examples are example responses carrying this code, in catalog order;
	// the first is the one test kits answer with.
	Examples []*Example
	// Delay is the code's minimum and default retry delay; each bound it
	// leaves zero comes from the response's status entry.
	Delay DelayBounds
}

// At reports whether the code is listed with the HTTP status: one of its
// Statuses, or a status of one of its classes.
func (c *Code) At(status int) bool {
	for _, s := range c.Statuses {
		if s.Matches(status) {
			return true
		}
	}
	return false
}

// Decides reports whether the code's own kind and action apply to an error
// carrying it at the live status: always, unless its precedence is status
// and the status is not one it is listed with.
func (c *Code) Decides(status int) bool { return !c.StatusWins || c.At(status) }

// StatusTexts are the code's statuses as the vendor writes them ("400",
// "5XX"), in catalog order; empty for a code without a status.
func (c *Code) StatusTexts() []string {
	out := make([]string, len(c.Statuses))
	for i, s := range c.Statuses {
		out[i] = s.Text()
	}
	return out
}

// Text is the code as the vendor writes it.
func (c *Code) Text() string {
	if c.Str != "" {
		return c.Str
	}
	return strconv.FormatInt(c.Int, 10)
}

// Content is what a body format expects the body to be.
type Content int

// The contents.
const (
	ContentJSON Content = iota // a JSON object
	ContentText                // anything; the whole body is the message
	ContentXML                 // an XML document (format v2), read as errcatimpl.DecodeXML maps it
)

// String returns the catalog spelling.
func (c Content) String() string {
	switch c {
	case ContentText:
		return "text"
	case ContentXML:
		return "xml"
	}
	return "json"
}

// Structured reports whether the content has fields (JSON or XML), as
// opposed to text, whose whole body is the message.
func (c Content) Structured() bool { return c != ContentText }

// Body is one error body format.
type Body struct {
	Pos         Pos
	Name        string // the catalog's name
	GoName      string
	Description string
	// Statuses are the statuses and classes the format applies to; empty
	// means every status from 400 up.
	Statuses []StatusMatch
	Content  Content
	// MediaTypes, when not empty, are the media types (lower-case essences
	// such as "application/problem+json", or structured-syntax suffixes
	// such as "+xml") the response's Content-Type must be one of.
	MediaTypes []string
	// When, when set, is a test on the body's shape the format needs at
	// every status (a field present, or equal to a value).
	When *Condition
	// ErrorWhen, when set, says how a body reports an error although its
	// HTTP status is a success (or a non-error status).
	ErrorWhen *Condition
	// Problem is set for a Problem Details (RFC 9457) format (preset:
	// problem_details): its fields are the preset's plus the catalog's
	// extension members, and the code is read from the type URI.
	Problem *Problem
	// Kind and Action (format v2, only with ErrorWhen; HasKindAction set)
	// classify an error this format reads inside a response below 400
	// whose code the catalog does not list, or that carries none (a
	// GraphQL errors[] with only a message). Without them such an error is
	// apierr.KindUnknown and apierr.ActionFixRequest.
	Kind          apierr.Kind
	Action        apierr.Action
	HasKindAction bool
	Fields        []*Field
	// Sensitive are paths whose values are secrets: replaced by
	// apierr.Secret before any field is read.
	Sensitive []Path
	Example   string
}

// AppliesTo reports whether the format may describe a response with status.
func (b *Body) AppliesTo(status int) bool {
	if len(b.Statuses) == 0 {
		return status >= 400
	}
	for _, m := range b.Statuses {
		if m.Matches(status) {
			return true
		}
	}
	return false
}

// StatusMatch is an exact status or a class.
type StatusMatch struct {
	Code  int
	Class bool
}

// Matches reports whether status falls under m.
func (m StatusMatch) Matches(status int) bool {
	if m.Class {
		return status/100 == m.Code/100
	}
	return status == m.Code
}

// String returns "400" or "4XX".
func (m StatusMatch) String() string {
	if m.Class {
		return strconv.Itoa(m.Code/100) + "XX"
	}
	return strconv.Itoa(m.Code)
}

// Condition tests a value in a JSON body.
type Condition struct {
	Path Path
	// Equals, when set, is the JSON scalar the value must equal, as its JSON
	// text ("false", "\"error\"", "1").
	Equals string
	// NonEmpty means the value must be present and not null, false, 0, "",
	// an empty array or an empty object.
	NonEmpty bool
	// Present means the value must be present and not null (format v2).
	Present bool
}

// Problem is what a Problem Details body format states beyond its fields.
type Problem struct {
	// CodeFrom is the part of the type URI that is the code.
	CodeFrom URIPart
}

// URIPart is the part of a Problem Details type URI that is the code.
type URIPart int

// The parts, as errcatimpl.URIPart numbers them.
const (
	URIWhole       URIPart = iota // the whole URI
	URIFragment                   // what follows '#'
	URILastSegment                // the last path segment (a URN's last ':' part)
)

var uriPartNames = [...]string{"uri", "fragment", "last_segment"}

// String returns the catalog spelling.
func (p URIPart) String() string { return uriPartNames[p] }

// RuntimeName is the name of the errcatimpl constant for the part.
func (p URIPart) RuntimeName() string {
	return [...]string{"URIWhole", "URIFragment", "URILastSegment"}[p]
}

// URIParts returns the catalog spellings of every URI part.
func URIParts() []string { return uriPartNames[:] }

// FieldType is the Go type a body field decodes to.
type FieldType int

// The field types.
const (
	TypeString      FieldType = iota
	TypeInteger               // int64
	TypeNumber                // float64
	TypeBoolean               // bool
	TypeTimeMillis            // time.Time from Unix milliseconds
	TypeTimeSeconds           // time.Time from Unix seconds
	TypeObject                // map[string]any, free-form
	TypeList                  // []Item, a list of objects with typed fields
	TypeSecret                // apierr.Secret: a string never printed
	TypeAny                   // any JSON value as encoding/json decodes it (numbers as json.Number)
)

var fieldTypeNames = [...]string{"string", "integer", "number", "boolean", "time_millis", "time_seconds", "object", "list", "secret", "any"}

// String returns the catalog spelling.
func (t FieldType) String() string { return fieldTypeNames[t] }

// FieldTypes returns the catalog spellings of every field type.
func FieldTypes() []string { return fieldTypeNames[:] }

// Role is what the generated parser does with a field beyond storing it.
type Role int

// The roles.
const (
	RoleNone    Role = iota
	RoleCode         // the vendor code
	RoleMessage      // the human-readable message
	RoleSubcode      // a secondary code of the set Field.Set (format v2)
)

// Field is one typed value read from a JSON body.
type Field struct {
	Pos         Pos
	Name        string
	GoName      string
	Paths       []Path // tried in order; the first present wins
	Type        FieldType
	Role        Role
	Description string
	// Item describes list elements when Type is TypeList and the items are
	// objects; nil for a list of scalars (Elem).
	Item *Item
	// Set is the code set a field with role subcode carries.
	Set *CodeSet
	// Compose, when set, builds a code field's value from several places
	// (its Paths are then the tagged union's object, or empty for Parts).
	Compose *Compose
	// Clean is how a code field's value is cleaned before use.
	Clean Clean
	// Elem is the type of a list of scalars' items (catalog "of:"), when
	// Type is TypeList and Item is nil: string, integer, number or boolean.
	Elem FieldType
	// Join, when not "", joins every string the paths select (and the
	// strings of a list among them) with it into the string field.
	Join string
	// From says where a list item's field takes its value: its path, or
	// the member name or the value the list path matched.
	From From
}

// Composer is the runtime's errcatimpl.Compose for f: how the generated
// parser (and Evaluate) reads, joins and cleans f's value.
func (f *Field) Composer() errcatimpl.Compose {
	c := errcatimpl.Compose{Trim: f.Clean.Trim, Fold: errcatimpl.Fold(f.Clean.Fold)}
	if f.Compose != nil {
		c.Sep, c.Tag = f.Compose.Separator, f.Compose.Tag
	}
	return c
}

// ReadText reads a string code field f from doc as the generated parser
// does: composed, cleaned or plain.
func (f *Field) ReadText(doc errcatimpl.Doc) (string, bool) {
	c := f.Composer()
	switch {
	case f.Compose != nil && f.Compose.Tag != "":
		return c.Tags(doc, toRuntimePath(f.Paths[0]))
	case f.Compose != nil:
		return c.Join(doc, toRuntimePaths(f.Compose.Parts)...)
	case !f.Clean.IsZero():
		return c.Clean(doc.String(toRuntimePaths(f.Paths)...))
	}
	return doc.String(toRuntimePaths(f.Paths)...)
}

// TypeText is f's type as the catalog writes it: "string", "list", "list
// of string" for a list of scalars.
func (f *Field) TypeText() string {
	if f.ScalarList() {
		return "list of " + f.Elem.String()
	}
	return f.Type.String()
}

// ScalarList reports whether f is a list of scalars ([]string, …).
func (f *Field) ScalarList() bool { return f.Type == TypeList && f.Item == nil }

// From is where a field of a list item takes its value.
type From int

// The sources.
const (
	FromPath  From = iota // the value at the field's path in the item
	FromKey               // the member name the list path's last wildcard or filter matched
	FromValue             // the matched value itself (an item that is a scalar)
)

var fromNames = [...]string{"path", "key", "value"}

// String returns the catalog spelling ("key", "value"; "path" for the default).
func (f From) String() string { return fromNames[f] }

// Item is the element type of a list field.
type Item struct {
	GoName string
	Fields []*Field
}

// Header is a response header captured on every error.
type Header struct {
	Pos         Pos
	Header      string // canonical form, such as "X-Request-Id"
	Name        string
	GoName      string
	Description string
	Sensitive   bool
}

// Retry says where a vendor's retry delay comes from and what may override
// an error's action.
type Retry struct {
	Pos    Pos
	Delays []DelaySource
	// Override, when set, maps values of a response header to actions that
	// replace the catalog's action for that response.
	Override *Override
	// IdempotencyKeyHeader names the request header that makes a
	// non-idempotent request safe to repeat; "" if the vendor has none.
	IdempotencyKeyHeader string
	// IdempotencyKeyField is the path of object keys to the request body's
	// JSON member that makes a non-idempotent request safe to repeat (format
	// v2); nil if the vendor carries no key in the body.
	IdempotencyKeyField Path
	// RateLimits are the rate limits the vendor's docs state, in catalog
	// order; generated Policy() functions carry them to the transport's
	// limiter.
	RateLimits  []*RateLimit
	Description string
}

// RateLimit is one documented rate limit: at most Requests requests per
// Period, counted per Scope.
type RateLimit struct {
	Pos   Pos
	Scope apierr.Scope
	// Method ("" for any) and Path select the endpoint of an endpoint
	// limit; both are "" for other scopes.
	Method, Path string
	Requests     int
	Period       Period
	Description  string
}

// Period is the window a rate limit counts over.
type Period int

// The periods.
const (
	PerSecond Period = iota
	PerMinute
	PerHour
	PerDay
)

var periodNames = [...]string{"second", "minute", "hour", "day"}

// String returns the catalog spelling.
func (p Period) String() string { return periodNames[p] }

// Periods returns the catalog spellings of every period.
func Periods() []string { return periodNames[:] }

// ScopeGoName is the name of the apierr constant for the limit's scope,
// such as "ScopeToken".
func (l *RateLimit) ScopeGoName() string {
	switch l.Scope {
	case apierr.ScopeOrganization:
		return "ScopeOrganization"
	case apierr.ScopeEndpoint:
		return "ScopeEndpoint"
	}
	return "ScopeToken"
}

// TimeUnit is the name of the time package's constant the period is a
// whole number of, and how many: ("Second", 1) … ("Hour", 24) for a day.
func (p Period) TimeUnit() (string, int) {
	switch p {
	case PerMinute:
		return "Minute", 1
	case PerHour:
		return "Hour", 1
	case PerDay:
		return "Hour", 24
	}
	return "Second", 1
}

// Seconds is the period's length in seconds.
func (p Period) Seconds() int { return [...]int{1, 60, 3600, 86400}[p] }

// Scopes returns the catalog spellings of every rate-limit scope.
func Scopes() []string {
	return []string{string(apierr.ScopeToken), string(apierr.ScopeOrganization), string(apierr.ScopeEndpoint)}
}

// DelayFormat is how a delay value is written.
type DelayFormat int

// The delay formats.
const (
	DelayRetryAfter   DelayFormat = iota // seconds (integer or fractional) or an HTTP-date
	DelayEpochSeconds                    // the Unix time in seconds the limit resets
	DelayEpochMillis                     // the Unix time in milliseconds the limit resets
	DelaySeconds                         // a number of seconds
	DelayMillis                          // a number of milliseconds
	DelayDuration                        // a Go duration string such as "30s"
	DelayRateLimit                       // the IETF RateLimit structured field (format v2)
	DelayCost                            // a body cost formula: (cost - available) / rate seconds (format v2)
)

var delayFormatNames = [...]string{"retry_after", "epoch_seconds", "epoch_millis", "seconds", "milliseconds", "duration", "ratelimit", "cost"}

// String returns the catalog spelling.
func (f DelayFormat) String() string { return delayFormatNames[f] }

// DelayFormats returns the catalog spellings of every delay format.
func DelayFormats() []string { return delayFormatNames[:] }

// DelaySource is one place a retry delay may be read from. Exactly one of
// Header, Field and Cost is set.
type DelaySource struct {
	Pos    Pos
	Header string // canonical header name
	Field  *Field // a body field (of any body format)
	Format DelayFormat
	// Cost, with Format DelayCost, names the body fields of the formula.
	Cost *CostFormula
	// Rule limits the source to some responses; the zero Rule is every one.
	Rule Rule
}

// CostFormula is a delay a body's numbers give: the request costs Cost
// units, Available are left and Rate come back per second, so the wait is
// (Cost - Available) / Rate seconds. A body format that declares all three
// fields (numbers or integers, no role) carries it.
type CostFormula struct {
	Cost, Available, Rate *Field
}

// Rule is when a delay source or an override value applies: only for the
// listed statuses (none: every status) and only when the header condition
// holds (nil: always).
type Rule struct {
	Statuses []StatusMatch
	When     *HeaderCondition
}

// IsZero reports whether the rule applies to every response.
func (r Rule) IsZero() bool { return len(r.Statuses) == 0 && r.When == nil }

// Holds reports whether the rule applies to a response with status and
// header.
func (r Rule) Holds(status int, header http.Header) bool {
	if len(r.Statuses) > 0 && !slices.ContainsFunc(r.Statuses, func(m StatusMatch) bool { return m.Matches(status) }) {
		return false
	}
	return r.When == nil || r.When.Holds(header)
}

// HeaderCondition tests a response header: present (with any value, also
// empty), or, with HasEquals, its first value equal to Equals.
type HeaderCondition struct {
	Header    string // canonical header name
	Equals    string
	HasEquals bool
}

// Holds reports whether the condition holds for header.
func (h *HeaderCondition) Holds(header http.Header) bool {
	if h.HasEquals {
		return header.Get(h.Header) == h.Equals
	}
	return len(header.Values(h.Header)) > 0
}

// String writes the rule as docs and reports show it, such as
// status 429, header X-Remaining = "0"; "" for the zero rule.
func (r Rule) String() string {
	var parts []string
	if len(r.Statuses) > 0 {
		var st []string
		for _, m := range r.Statuses {
			st = append(st, m.String())
		}
		parts = append(parts, "status "+strings.Join(st, " or "))
	}
	if w := r.When; w != nil {
		if w.HasEquals {
			parts = append(parts, "header "+w.Header+" = "+strconv.Quote(w.Equals))
		} else {
			parts = append(parts, "header "+w.Header+" present")
		}
	}
	return strings.Join(parts, ", ")
}

// DelayBounds are a status's or code's minimum and default delay (format
// v2); zero means none.
type DelayBounds struct {
	// Min is the least delay reported: a shorter server delay, or none,
	// becomes Min.
	Min time.Duration
	// Default is the delay reported when no delay source gives one.
	Default time.Duration
}

// IsZero reports whether neither bound is set.
func (b DelayBounds) IsZero() bool { return b.Min == 0 && b.Default == 0 }

// BoundsFor returns the minimum and default delay of a response with
// status carrying code (nil: none, or one the catalog does not list):
// each bound the code sets, else the exact status entry's.
func (c *Catalog) BoundsFor(status int, code *Code) DelayBounds {
	var b DelayBounds
	if st := c.StatusByCode(status); st != nil {
		b = st.Delay
	}
	if code != nil {
		if code.Delay.Min != 0 {
			b.Min = code.Delay.Min
		}
		if code.Delay.Default != 0 {
			b.Default = code.Delay.Default
		}
	}
	return b
}

// HasDelayBounds reports whether a status or code sets a minimum or
// default delay.
func (c *Catalog) HasDelayBounds() bool {
	return slices.ContainsFunc(c.Statuses, func(s *Status) bool { return !s.Delay.IsZero() }) ||
		slices.ContainsFunc(c.Codes, func(code *Code) bool { return !code.Delay.IsZero() })
}

// DelayRules reports whether the catalog's delays need format v2's
// findDelay: a delay source with a rule or of format ratelimit or cost, or
// a status or code with delay bounds. v1 catalogs never do, so their
// output stays as it was.
func (c *Catalog) DelayRules() bool {
	return c.HasDelayBounds() || slices.ContainsFunc(c.Retry.Delays, func(d DelaySource) bool {
		return !d.Rule.IsZero() || d.Format == DelayRateLimit || d.Format == DelayCost
	})
}

// RuntimeVersion is the version of errcat's runtime contract
// (apierr.Version) the generated package is written for. It is the
// runtime's own version: this release's generated code calls what version
// 3 added for every catalog (the allocation-saving decoders of issue 10 as
// well as the format v2 runtime), so a finer, per-catalog minimum would
// name version 2 for no package.
func (c *Catalog) RuntimeVersion() int {
	return apierr.Version
}

// CodeByText returns the code entry whose text is s, or nil.
func (c *Catalog) CodeByText(s string) *Code {
	for _, code := range c.Codes {
		if code.Text() == s {
			return code
		}
	}
	return nil
}

// Override maps values of a response header to actions.
type Override struct {
	Header string
	Values []OverrideValue // catalog order
}

// OverrideValue is one header value and the action it imposes.
type OverrideValue struct {
	Value  string
	Action apierr.Action
	// Rule limits the value to some responses; the zero Rule is every one.
	Rule Rule
}

// ErrorFields returns every distinct body field across formats, by Go name,
// in first-seen order: the typed fields of the generated Error. Fields with
// a role are left out: they fill the Error's fixed Code and Message.
func (c *Catalog) ErrorFields() []*Field {
	var out []*Field
	seen := map[string]bool{}
	for _, b := range c.Bodies {
		for _, f := range b.Fields {
			if f.Role == RoleNone && !seen[f.GoName] {
				seen[f.GoName] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// ExactStatuses returns the statuses that are not classes.
func (c *Catalog) ExactStatuses() []*Status {
	var out []*Status
	for _, s := range c.Statuses {
		if !s.Class {
			out = append(out, s)
		}
	}
	return out
}

// Classes returns the status classes.
func (c *Catalog) Classes() []*Status {
	var out []*Status
	for _, s := range c.Statuses {
		if s.Class {
			out = append(out, s)
		}
	}
	return out
}

// ClassOf returns the class entry covering status, or nil.
func (c *Catalog) ClassOf(status int) *Status {
	for _, s := range c.Statuses {
		if s.Class && s.Matches(status) {
			return s
		}
	}
	return nil
}

// StatusByCode returns the exact status entry for status, or nil.
func (c *Catalog) StatusByCode(status int) *Status {
	for _, s := range c.Statuses {
		if !s.Class && s.Code == status {
			return s
		}
	}
	return nil
}

// SuccessErrors reports whether a body format reports errors inside
// success responses (error_when), which a generated parser then reads.
func (c *Catalog) SuccessErrors() bool {
	for _, b := range c.Bodies {
		if b.ErrorWhen != nil {
			return true
		}
	}
	return false
}

// FormatKinds reports whether a body format gives its own kind and action
// to the errors it reads inside success responses (format v2).
func (c *Catalog) FormatKinds() bool {
	for _, b := range c.Bodies {
		if b.HasKindAction {
			return true
		}
	}
	return false
}

// StatusPrecedence reports whether a code's precedence is status, so that
// its kind and action apply only at the statuses it is listed with.
func (c *Catalog) StatusPrecedence() bool {
	for _, code := range c.Codes {
		if code.StatusWins {
			return true
		}
	}
	return false
}

// FlexibleCodeStatuses reports whether a code has no single exact status
// or a precedence of status (format v2): documentation then says what a
// code's statuses mean. False for every format v1 catalog.
func (c *Catalog) FlexibleCodeStatuses() bool {
	for _, code := range c.Codes {
		if code.StatusWins || len(code.Statuses) != 1 || code.Statuses[0].Class {
			return true
		}
	}
	return false
}

// HasSentinel reports whether a generated package can return an error with
// status s, and so gives it a sentinel and a matcher: every error status
// and class can; a success or redirect status only where a body format
// reports errors inside such responses (error_when). Sentinels that could
// never match would only mislead.
func (c *Catalog) HasSentinel(s *Status) bool {
	if s.Code >= 400 {
		return true
	}
	for _, b := range c.Bodies {
		if b.ErrorWhen == nil {
			continue
		}
		for _, m := range b.Statuses {
			if m.Matches(s.Code) || (s.Class && m.Code/100 == s.Code/100) {
				return true
			}
		}
	}
	return false
}

// Replacements returns the codes, other than code itself, that code's
// deprecation text names by their value as the vendor writes it ("use
// rate_limited", "Use 1002 (field invalid)"), in catalog order, so that the
// generated documentation can name their Go identifiers too. Nil when code
// is current or names none.
func (c *Catalog) Replacements(code *Code) []*Code {
	if code.Deprecated == "" {
		return nil
	}
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(code.Deprecated, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.' || r == ':' || r == '/')
	}) {
		words[w] = true
		words[strings.TrimRight(w, ".:-")] = true // "use 1002." ends a sentence
	}
	var out []*Code
	for _, other := range c.Codes {
		if other != code && words[other.Text()] {
			out = append(out, other)
		}
	}
	return out
}

// CodeSet is a documented set of secondary codes (format v2): a sub-code,
// a decline or reason code, an error type or category that a body carries
// beside its primary code. Each set has its own Go type, constants,
// sentinels and matchers; a body field with role subcode names its set.
type CodeSet struct {
	Pos         Pos
	Name        string // the catalog's name, as written ("decline code")
	GoName      string // the Go type and the Error field: DeclineCode
	Description string
	Type        CodeType // CodeString or CodeInt
	// Decides says the vendor lets this set decide an error's kind and
	// action: a listed value's kind and action win over the primary
	// code's and the status's (a header override still wins over all).
	// Every item of a deciding set gives both.
	Decides bool
	// Domain, when set, is the body field (role none, type string) that
	// namespaces the set's codes: items are keyed by (domain, code), as
	// Google's ErrorInfo reason is within its domain.
	Domain *Field
	Items  []*SetCode // catalog order
	// Idents are the set's own identifiers (see Catalog.Finish).
	Idents SetIdents
}

// SetIdents are the identifiers generated code declares for a code set:
// exported ones (Type, Field, Has) and unexported ones (Table, Rows, Key),
// all computed by the model.
type SetIdents struct {
	Type  string // the Go type: DeclineCode
	Field string // the Error field holding the value: DeclineCode
	Has   string // the Error field reporting presence: HasDeclineCode
	Table string // the set's errcatimpl.Table: setTableDeclineCode
	Rows  string // its rows: setRowsDeclineCode
	Key   string // the (domain, code) key type of a domain set: setKeyDeclineCode; "" otherwise
	// KitOption is the test kit's option putting a value in a body:
	// WithDeclineCode.
	KitOption string
}

// KitOptions are the options every test kit declares itself; a set whose
// KitOption is one of them is refused.
var KitOptions = []string{"WithStatus", "WithMessage", "WithBody", "WithHeader", "WithRetryAfter", "WithClock", "WithReset"}

// SetIdentsOf are the identifiers of a set whose Go name is goName.
func SetIdentsOf(goName string, domain bool) SetIdents {
	id := SetIdents{Type: goName, Field: goName, Has: "Has" + goName, Table: "setTable" + goName, Rows: "setRows" + goName, KitOption: "With" + goName}
	if domain {
		id.Key = "setKey" + goName
	}
	return id
}

// SetCode is one documented value of a code set.
type SetCode struct {
	Pos         Pos
	Set         *CodeSet
	Int         int64
	Str         string
	Domain      string // the domain it belongs to, for a set with a domain field
	Name        string
	GoName      string // the item's own part of the names: InsufficientFunds
	Description string
	Note        string
	// Kind and Action are set only in a set that decides (Decides).
	Kind   apierr.Kind
	Action apierr.Action
	// Idents are its identifiers: DeclineCodeInsufficientFunds,
	// ErrDeclineCodeInsufficientFunds, IsDeclineCodeInsufficientFunds.
	Idents Idents
}

// SetCodeIdents are the identifiers of a set's item: the set's Go name
// then the item's, so that a sub-code spelled like a primary code (Stripe's
// code expired_card and decline_code expired_card) never collides with it.
func SetCodeIdents(setGoName, goName string) Idents {
	n := setGoName + goName
	return Idents{Const: n, Err: "Err" + n, Is: "Is" + n}
}

// Text is the value as the vendor writes it.
func (c *SetCode) Text() string {
	if c.Set != nil && c.Set.Type == CodeInt {
		return strconv.FormatInt(c.Int, 10)
	}
	return c.Str
}

// SetField returns the field of body format b that carries set s, or nil.
func (b *Body) SetField(s *CodeSet) *Field {
	for _, f := range b.Fields {
		if f.Role == RoleSubcode && f.Set == s {
			return f
		}
	}
	return nil
}

// Fold is the case folding a cleaned code gets.
type Fold int

// The foldings.
const (
	FoldNone Fold = iota
	FoldLower
	FoldUpper
)

var foldNames = [...]string{"none", "lower", "upper"}

// String returns the catalog spelling.
func (f Fold) String() string { return foldNames[f] }

// Compose says how a code field (role code or subcode) builds its value
// from several places of the body (format v2). Exactly one of Parts and
// Tag is set.
type Compose struct {
	// Separator joins the parts: "/" makes path/not_found.
	Separator string
	// Parts are paths read in order, as strings, up to the first one
	// missing; the field then has no path of its own.
	Parts []Path
	// Tag is the key of a tagged union's tag (".tag"): from the object at
	// the field's path, the code is its tag, then the tag of the member
	// that tag names, and so on (at most MaxTagDepth levels).
	Tag string
}

// MaxTagDepth bounds how many nested tags a tag chain follows.
const MaxTagDepth = 8

// Clean says how a code field's value is cleaned before use (format v2):
// Trim's characters are removed from both ends of each part, then the
// whole is case-folded. A value that cleans to "" counts as absent.
type Clean struct {
	Trim string
	Fold Fold
}

// IsZero reports whether c cleans nothing.
func (c Clean) IsZero() bool { return c.Trim == "" && c.Fold == FoldNone }

// CanYield reports whether code field f can read the value v: cleaning v
// (each part of a composed one trimmed, the whole folded) leaves it as it
// is. A catalog value f could never yield would have a sentinel that never
// matches; the loader refuses it.
func (f *Field) CanYield(v string) bool {
	c := f.Composer()
	parts := []string{v}
	if f.Compose != nil && c.Sep != "" {
		parts = strings.Split(v, c.Sep)
	}
	for _, p := range parts {
		if p == "" || (c.Trim != "" && strings.Trim(p, c.Trim) != p) {
			return false
		}
	}
	switch c.Fold {
	case errcatimpl.FoldLower:
		return strings.ToLower(v) == v
	case errcatimpl.FoldUpper:
		return strings.ToUpper(v) == v
	}
	return true
}
