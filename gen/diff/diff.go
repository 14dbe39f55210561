// Package diff compares two revisions of an errcat catalog and reports what
// changed and what it breaks. It reads only the model (package model): the
// loader has already resolved inheritance, names and paths, so reordering
// entries, reformatting YAML or editing comments is no change at all.
//
// Every change has a stable class id (docs/diff.md lists them), a severity
// and a fingerprint that stays the same while the change does, so a
// reviewer's acceptance can be recorded in an ignore file. GoAPI adds the
// impact on the generated Go package, computed from the generated code.
package diff

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/model"
)

// Severity ranks a change by what it may do to users of the generated
// package.
type Severity int

// The severities, lowest first.
const (
	Info     Severity = iota // documentation, or something new
	Warning                  // behaviour changes; code keeps compiling
	Breaking                 // code stops compiling, stops matching, or a secret leaks
)

var severityNames = [...]string{"info", "warning", "breaking"}

// String returns "info", "warning" or "breaking".
func (s Severity) String() string { return severityNames[s] }

// ParseSeverity reads a severity name.
func ParseSeverity(s string) (Severity, bool) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), true
		}
	}
	return 0, false
}

// Change is one difference between the old and the new catalog.
type Change struct {
	ID       string   // the change class, such as "code-removed"
	Severity Severity // fixed by the class
	Security bool     // the change may expose a secret
	// Subject names what changed, such as `code 4012` or
	// `body "envelope" field "error_token"`; catalog text in it is quoted.
	Subject string
	// Message is one line saying what changed and what it means.
	Message string
	// Old and New are the values before and after ("" when absent),
	// quoted where they come from the catalog.
	Old, New string
	// Pos is where to look in the new catalog: the entry itself, or for a
	// removed entry the nearest entry that survived. OldPos is the entry
	// in the old catalog (zero for an added one).
	Pos, OldPos model.Pos
	// Fingerprint identifies the change across runs: a hash of the vendor,
	// the class, the subject and the values, not of positions.
	Fingerprint string
}

// class is the fixed definition of a change class.
type class struct {
	sev      Severity
	security bool
	summary  string // for docs/diff.md and the JSON schema's enum
}

// Classes maps every change class id to its severity; docs/diff.md lists
// them and a test keeps the two in step.
var classes = map[string]class{
	"catalog-added":           {Info, false, "a catalog (a vendor package) is new"},
	"catalog-removed":         {Breaking, false, "a catalog is gone: its whole package disappears"},
	"vendor-id-changed":       {Breaking, false, "the vendor id (output directory, Vendor constant) changed"},
	"package-renamed":         {Breaking, false, "the Go package name changed"},
	"vendor-metadata-changed": {Info, false, "vendor name, docs links or docs revision changed"},
	"description-changed":     {Info, false, "a description, note, message or example changed"},
	"name-changed":            {Info, false, "a name changed in spelling only; Go names stay"},
	"go-name-changed":         {Breaking, false, "a name changed so that its Go identifiers change"},
	"status-removed":          {Breaking, false, "an exact status is gone (its constant, sentinel and matcher disappear)"},
	"class-removed":           {Breaking, false, "a status class (4XX…) is gone"},
	"status-added":            {Info, false, "an exact status is new"},
	"class-added":             {Info, false, "a status class is new"},
	"code-type-changed":       {Breaking, false, "the codes changed between integer and string (or appeared or vanished)"},
	"code-removed":            {Breaking, false, "a vendor code is gone"},
	"code-added":              {Info, false, "a vendor code is new"},
	"code-status-changed":     {Breaking, false, "a code moved to another status: errors.Is against the old status sentinel stops matching"},
	"kind-changed":            {Warning, false, "an error's kind changed (apierr.KindOf answers differently)"},
	"action-changed":          {Warning, false, "an error's action changed, retrying and re-authenticating alike"},
	"retry-lost":              {Breaking, false, "an error that was retried automatically no longer is"},
	"retry-gained":            {Warning, false, "an error that was not retried now is"},
	"reauth-lost":             {Breaking, false, "an error no longer triggers re-authentication"},
	"reauth-gained":           {Warning, false, "an error now triggers re-authentication"},
	"deprecation-added":       {Warning, false, "a code is deprecated"},
	"deprecation-removed":     {Info, false, "a code is no longer deprecated"},
	"alias-changed":           {Warning, false, "a code became, stopped being or changed what it is an alias of (what its sentinel matches)"},
	"body-removed":            {Breaking, false, "a body format is gone: such bodies are no longer decoded"},
	"body-added":              {Info, false, "a body format is new"},
	"body-content-changed":    {Breaking, false, "a body format changed between json, text and xml"},
	"body-statuses-changed":   {Warning, false, "the statuses a body format applies to changed"},
	"body-error-when-changed": {Warning, false, "how a body reports an error under a success status changed"},
	"body-selection-changed":  {Warning, false, "which responses a body format reads changed: its media types, its shape test (when) or its Problem Details preset and code_from"},
	"field-removed":           {Breaking, false, "a body field is gone from the generated Error (or list item)"},
	"field-dropped":           {Warning, false, "a body format no longer reads a field that another format still fills"},
	"field-added":             {Info, false, "a body field is new"},
	"field-path-changed":      {Warning, false, "where a field is read in the body changed"},
	"field-type-changed":      {Breaking, false, "a field's Go type changed"},
	"field-role-changed":      {Warning, false, "a field's role (code, message) changed"},
	"sensitive-removed":       {Breaking, true, "a value that was redacted no longer is"},
	"sensitive-added":         {Info, false, "a body value is now redacted"},
	"header-removed":          {Breaking, false, "a captured response header is gone from the Error"},
	"header-added":            {Info, false, "a captured response header is new"},
	"header-type-changed":     {Breaking, false, "a captured header became sensitive: redacted, and its Error field's Go type becomes apierr.Secret"},
	"delay-removed":           {Warning, false, "a retry delay source is gone: the server's delay is no longer honoured there"},
	"delay-changed":           {Warning, false, "a retry delay source is read in another format or under another rule, or a status's or code's minimum or default delay changed"},
	"delay-added":             {Info, false, "a retry delay source is new"},
	"override-changed":        {Warning, false, "the header that overrides actions, or a value's action, changed"},
	"idempotency-key-changed": {Warning, false, "the idempotency key (header, or request body field) changed: which requests are safe to repeat"},
	"rate-limit-changed":      {Warning, false, "a documented rate limit changed, appeared or is gone: how fast a transport's limiter paces by default"},
	"success-section-added":   {Info, false, "a warnings or batch section is new: Warnings or BatchErrors appear"},
	"success-section-removed": {Breaking, false, "a warnings or batch section is gone: its Go type and functions disappear"},
	"success-section-changed": {Warning, false, "where a warnings or batch section reads its list, statuses or item parts changed"},
}

// ClassIDs returns every change class id, sorted.
func ClassIDs() []string {
	out := make([]string, 0, len(classes))
	for id := range classes {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// ClassSeverity returns a class's severity, whether it is a security
// change, and its one-line summary.
func ClassSeverity(id string) (sev Severity, security bool, summary string, ok bool) {
	c, ok := classes[id]
	return c.sev, c.security, c.summary, ok
}

// Compare returns the changes from old to new, ordered by position in the
// new catalog. Either side may be nil: a catalog added or removed.
func Compare(old, new *model.Catalog) []Change {
	d := &differ{old: old, new: new}
	switch {
	case old == nil && new == nil:
		return nil
	case old == nil:
		d.add("catalog-added", "catalog", "", q(new.Vendor.ID), new.Vendor.Pos, model.Pos{}, "catalog for vendor %s is new", q(new.Vendor.ID))
	case new == nil:
		d.add("catalog-removed", "catalog", q(old.Vendor.ID), "", model.Pos{}, old.Vendor.Pos, "catalog for vendor %s is gone, and its package with it", q(old.Vendor.ID))
	default:
		d.vendor()
		d.statuses()
		d.codes()
		d.codeSets()
		d.headers()
		d.bodies()
		d.retry()
		d.success()
	}
	vendor := ""
	if new != nil {
		vendor = new.Vendor.ID
	} else {
		vendor = old.Vendor.ID
	}
	for i := range d.out {
		d.out[i].Fingerprint = fingerprint(vendor, &d.out[i])
	}
	sort.SliceStable(d.out, func(i, j int) bool {
		a, b := d.out[i], d.out[j]
		if a.Pos != b.Pos {
			return a.Pos.Line < b.Pos.Line || (a.Pos.Line == b.Pos.Line && a.Pos.Col < b.Pos.Col)
		}
		return a.ID < b.ID
	})
	return d.out
}

func fingerprint(vendor string, c *Change) string {
	h := sha256.New()
	for _, s := range []string{vendor, c.ID, c.Subject, c.Old, c.New} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

type differ struct {
	old, new *model.Catalog
	out      []Change
}

func (d *differ) add(id, subject, old, new string, pos, oldPos model.Pos, format string, args ...any) {
	c, ok := classes[id]
	if !ok {
		panic("diff: unknown change class " + id) // a programming error, caught by every test
	}
	d.out = append(d.out, Change{
		ID: id, Severity: c.sev, Security: c.security, Subject: subject,
		Message: subject + ": " + fmt.Sprintf(format, args...),
		Old:     old, New: new, Pos: pos, OldPos: oldPos,
	})
}

// q quotes catalog text for a report: one line, control characters
// escaped, long text clipped. Every report format escapes it further.
func q(s string) string {
	if r := []rune(s); len(r) > 80 {
		s = string(r[:77]) + "..."
	}
	return strconv.Quote(s)
}

// text reports a documentation-only difference.
func (d *differ) text(subject, what, old, new string, pos, oldPos model.Pos) {
	if old != new {
		d.add("description-changed", subject, q(old), q(new), pos, oldPos, "%s changed", what)
	}
}

func messagesText(ms []model.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Text + "\x00" + m.Description + "\x00")
	}
	return b.String()
}

// examplesText is the examples as one comparable text: they document
// responses (and feed generated tests and test kits), so a change of them is
// a documentation change, never a Go API one.
func examplesText(es []*model.Example) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(strconv.Itoa(e.Status) + "\x00")
		for _, h := range e.Headers {
			b.WriteString(h.Name + ": " + h.Value + "\x00")
		}
		b.WriteString(e.Body + "\x00" + e.Description + "\x00")
	}
	return b.String()
}

func (d *differ) vendor() {
	o, n := d.old.Vendor, d.new.Vendor
	if o.ID != n.ID {
		d.add("vendor-id-changed", "vendor", q(o.ID), q(n.ID), n.Pos, o.Pos, "id %s → %s: the package moves to another directory", q(o.ID), q(n.ID))
	}
	if o.Package != n.Package {
		d.add("package-renamed", "vendor", q(o.Package), q(n.Package), n.Pos, o.Pos, "Go package %s → %s: every importer must change", q(o.Package), q(n.Package))
	}
	meta := func(what, old, new string) {
		if old != new {
			d.add("vendor-metadata-changed", "vendor", q(old), q(new), n.Pos, o.Pos, "%s %s → %s", what, q(old), q(new))
		}
	}
	meta("name", o.Name, n.Name)
	meta("docs", strings.Join(o.Docs, " "), strings.Join(n.Docs, " "))
	meta("docs_revision", o.DocsRevision, n.DocsRevision)
	d.text("vendor", "description", o.Description, n.Description, n.Pos, o.Pos)
}

// survivor returns the position in the new catalog of the entry nearest to
// old entry i that still exists (the next one, else the previous), so a
// removal points where the entry used to be; else fallback.
func survivor[T any](olds []T, i int, find func(T) (model.Pos, bool), fallback model.Pos) model.Pos {
	for j := i + 1; j < len(olds); j++ {
		if p, ok := find(olds[j]); ok {
			return p
		}
	}
	for j := i - 1; j >= 0; j-- {
		if p, ok := find(olds[j]); ok {
			return p
		}
	}
	return fallback
}

func statusKey(s *model.Status) [2]int { return [2]int{s.Code, btoi(s.Class)} }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func statusSubject(s *model.Status) string {
	if s.Class {
		return "class " + s.Text()
	}
	return "status " + s.Text()
}

func (d *differ) statuses() {
	news := map[[2]int]*model.Status{}
	for _, s := range d.new.Statuses {
		news[statusKey(s)] = s
	}
	olds := map[[2]int]*model.Status{}
	find := func(s *model.Status) (model.Pos, bool) {
		n, ok := news[statusKey(s)]
		if !ok {
			return model.Pos{}, false
		}
		return n.Pos, true
	}
	for i, o := range d.old.Statuses {
		olds[statusKey(o)] = o
		n, ok := news[statusKey(o)]
		if !ok {
			id, what := "status-removed", "its constant, sentinel and matcher disappear"
			if o.Class {
				id, what = "class-removed", "its sentinel and matcher disappear, and its statuses lose their defaults"
			}
			d.add(id, statusSubject(o), q(o.Name), "", survivor(d.old.Statuses, i, find, d.firstPos()), o.Pos, "%s removed: %s", q(o.Name), what)
			continue
		}
		subj := statusSubject(n)
		d.names(subj, o.Name, n.Name, o.GoName, n.GoName, n.Pos, o.Pos)
		if !(o.KindInherited && n.KindInherited) {
			d.kind(subj, o.Kind, n.Kind, n.Pos, o.Pos)
		}
		if !(o.ActionInherited && n.ActionInherited) {
			d.action(subj, o.Action, n.Action, n.Pos, o.Pos)
		}
		d.text(subj, "description", o.Description, n.Description, n.Pos, o.Pos)
		d.text(subj, "note", o.Note, n.Note, n.Pos, o.Pos)
		d.text(subj, "messages", messagesText(o.Messages), messagesText(n.Messages), n.Pos, o.Pos)
		d.text(subj, "examples", examplesText(o.Examples), examplesText(n.Examples), n.Pos, o.Pos)
		d.bounds(subj, o.Delay, n.Delay, n.Pos, o.Pos)
	}
	for _, n := range d.new.Statuses {
		if _, ok := olds[statusKey(n)]; !ok {
			id := "status-added"
			if n.Class {
				id = "class-added"
			}
			d.add(id, statusSubject(n), "", q(n.Name), n.Pos, model.Pos{}, "%s added (%s, %s)", q(n.Name), n.Kind, n.Action)
		}
	}
}

// firstPos is where a removal points when nothing near it survived.
func (d *differ) firstPos() model.Pos {
	if d.new.Vendor.Pos != (model.Pos{}) {
		return d.new.Vendor.Pos
	}
	return model.Pos{Line: 1, Col: 1}
}

func (d *differ) names(subj, oldName, newName, oldGo, newGo string, pos, oldPos model.Pos) {
	switch {
	case oldGo != newGo:
		d.add("go-name-changed", subj, q(oldGo), q(newGo), pos, oldPos, "renamed %s → %s: its Go identifiers change from …%s to …%s", q(oldName), q(newName), oldGo, newGo)
	case oldName != newName:
		d.add("name-changed", subj, q(oldName), q(newName), pos, oldPos, "name %s → %s (Go names unchanged)", q(oldName), q(newName))
	}
}

func (d *differ) kind(subj string, o, n apierr.Kind, pos, oldPos model.Pos) {
	if o != n {
		d.add("kind-changed", subj, o.String(), n.String(), pos, oldPos, "kind %s → %s", o, n)
	}
}

func (d *differ) action(subj string, o, n apierr.Action, pos, oldPos model.Pos) {
	if o == n {
		return
	}
	id, why := "action-changed", ""
	switch {
	case o == apierr.ActionReauthenticate:
		id, why = "reauth-lost", ": the transport no longer re-authenticates and retries"
	case o.Retryable() && !n.Retryable():
		id, why = "retry-lost", ": the transport no longer retries it and apierr.IsRetryable reports false"
	case n == apierr.ActionReauthenticate:
		id, why = "reauth-gained", ": the transport now re-authenticates and retries once"
	case !o.Retryable() && n.Retryable():
		id, why = "retry-gained", ": the transport now retries it"
	}
	d.add(id, subj, o.String(), n.String(), pos, oldPos, "action %s → %s%s", o, n, why)
}

func (d *differ) codes() {
	if d.old.CodeType != d.new.CodeType {
		d.add("code-type-changed", "codes", d.old.CodeType.String(), d.new.CodeType.String(), d.firstPos(), d.old.Vendor.Pos,
			"code type %s → %s: the Code type and every code constant change", d.old.CodeType, d.new.CodeType)
		if d.old.CodeType != model.CodeNone && d.new.CodeType != model.CodeNone {
			return // no code can match across types: the change says it all
		}
	}
	news := map[string]*model.Code{}
	for _, c := range d.new.Codes {
		news[c.Text()] = c
	}
	find := func(c *model.Code) (model.Pos, bool) {
		n, ok := news[c.Text()]
		if !ok {
			return model.Pos{}, false
		}
		return n.Pos, true
	}
	olds := map[string]bool{}
	for i, o := range d.old.Codes {
		olds[o.Text()] = true
		subj := "code " + codeText(o)
		n, ok := news[o.Text()]
		if !ok {
			d.add("code-removed", subj, q(o.Name), "", survivor(d.old.Codes, i, find, d.firstPos()), o.Pos, "%s removed: its constant, sentinel and matcher disappear", q(o.Name))
			continue
		}
		d.names(subj, o.Name, n.Name, o.GoName, n.GoName, n.Pos, o.Pos)
		os, ns := codeStatusText(o), codeStatusText(n)
		if os != ns {
			d.add("code-status-changed", subj, os, ns, n.Pos, o.Pos,
				"moved from status %s to %s: errors.Is against the old status's sentinel no longer matches it", os, ns)
		}
		sameStatus := os == ns
		if !(o.KindInherited && n.KindInherited && sameStatus) {
			d.kind(subj, o.Kind, n.Kind, n.Pos, o.Pos)
		}
		if !(o.ActionInherited && n.ActionInherited && sameStatus) {
			d.action(subj, o.Action, n.Action, n.Pos, o.Pos)
		}
		d.bounds(subj, o.Delay, n.Delay, n.Pos, o.Pos)
		switch {
		case o.Deprecated == "" && n.Deprecated != "":
			d.add("deprecation-added", subj, "", q(n.Deprecated), n.Pos, o.Pos, "deprecated: %s", q(n.Deprecated))
		case o.Deprecated != "" && n.Deprecated == "":
			d.add("deprecation-removed", subj, q(o.Deprecated), "", n.Pos, o.Pos, "no longer deprecated")
		default:
			d.text(subj, "deprecation", o.Deprecated, n.Deprecated, n.Pos, o.Pos)
		}
		if oa, na := aliasText(o), aliasText(n); oa != na {
			d.add("alias-changed", subj, oa, na, n.Pos, o.Pos, "alias of %s → %s: what its sentinel matches changes", orNone(oa), orNone(na))
		}
		d.text(subj, "description", o.Description, n.Description, n.Pos, o.Pos)
		d.text(subj, "note", o.Note, n.Note, n.Pos, o.Pos)
		d.text(subj, "messages", messagesText(o.Messages), messagesText(n.Messages), n.Pos, o.Pos)
		d.text(subj, "examples", examplesText(o.Examples), examplesText(n.Examples), n.Pos, o.Pos)
	}
	for _, n := range d.new.Codes {
		if !olds[n.Text()] {
			d.add("code-added", "code "+codeText(n), "", q(n.Name), n.Pos, model.Pos{}, "%s added (status %s, %s, %s)", q(n.Name), codeStatusText(n), n.Kind, n.Action)
		}
	}
}

// codeText is a code for a subject: integer codes as digits, string codes
// quoted (they are catalog text).
func codeText(c *model.Code) string {
	if c.Str != "" {
		return q(c.Str)
	}
	return c.Text()
}

// codeStatusText is a code's statuses and precedence as a change shows
// them: "400" (format v1), "400, 5XX", "none", with " (precedence status)"
// when the status decides at other statuses (format v2). A change of any
// of them changes what the code's errors match or how they are decided.
func codeStatusText(c *model.Code) string {
	s := strings.Join(c.StatusTexts(), ", ")
	if s == "" {
		s = "none"
	}
	if c.StatusWins {
		s += " (precedence status)"
	}
	return s
}

func aliasText(c *model.Code) string {
	if c.AliasOf == nil {
		return ""
	}
	return codeText(c.AliasOf)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (d *differ) headers() {
	news := map[string]*model.Header{}
	for _, h := range d.new.Headers {
		news[h.Header] = h
	}
	find := func(h *model.Header) (model.Pos, bool) {
		n, ok := news[h.Header]
		if !ok {
			return model.Pos{}, false
		}
		return n.Pos, true
	}
	olds := map[string]bool{}
	for i, o := range d.old.Headers {
		olds[o.Header] = true
		subj := "header " + q(o.Header)
		n, ok := news[o.Header]
		if !ok {
			d.add("header-removed", subj, q(o.GoName), "", survivor(d.old.Headers, i, find, d.firstPos()), o.Pos, "no longer captured: the Error field %s disappears", o.GoName)
			continue
		}
		d.names(subj, o.Name, n.Name, o.GoName, n.GoName, n.Pos, o.Pos)
		switch {
		case o.Sensitive && !n.Sensitive:
			d.add("sensitive-removed", subj, "sensitive", "plain", n.Pos, o.Pos, "no longer sensitive: its value will be printed and logged")
		case !o.Sensitive && n.Sensitive:
			d.add("header-type-changed", subj, "string", "apierr.Secret", n.Pos, o.Pos, "now sensitive: its value is redacted, and the Error field %s changes Go type from string to apierr.Secret", n.GoName)
		}
		d.text(subj, "description", o.Description, n.Description, n.Pos, o.Pos)
	}
	for _, n := range d.new.Headers {
		if !olds[n.Header] {
			d.add("header-added", "header "+q(n.Header), "", q(n.GoName), n.Pos, model.Pos{}, "now captured in the Error field %s", n.GoName)
		}
	}
}

// goFields maps the Go names of every field the generated Error (or a list
// item) declares, "Item.Field" for item fields, to their fields.
func goFields(c *model.Catalog) map[string]*model.Field {
	out := map[string]*model.Field{}
	for _, f := range c.ErrorFields() {
		out[f.GoName] = f
		if f.Item != nil {
			for _, g := range f.Item.Fields {
				out[f.Item.GoName+"."+g.GoName] = g
			}
		}
	}
	return out
}

func (d *differ) bodies() {
	news := map[string]*model.Body{}
	for _, b := range d.new.Bodies {
		news[b.Name] = b
	}
	find := func(b *model.Body) (model.Pos, bool) {
		n, ok := news[b.Name]
		if !ok {
			return model.Pos{}, false
		}
		return n.Pos, true
	}
	newGo := goFields(d.new)
	olds := map[string]bool{}
	for i, o := range d.old.Bodies {
		olds[o.Name] = true
		subj := "body " + q(o.Name)
		n, ok := news[o.Name]
		if !ok {
			d.add("body-removed", subj, q(o.Name), "", survivor(d.old.Bodies, i, find, d.firstPos()), o.Pos, "removed: such bodies are no longer decoded")
			for _, p := range o.Sensitive {
				d.add("sensitive-removed", subj+" path "+q(p.String()), "sensitive", "", survivor(d.old.Bodies, i, find, d.firstPos()), o.Pos, "no longer redacted: the body format that redacted it is gone")
			}
			continue
		}
		if o.Content != n.Content {
			d.add("body-content-changed", subj, o.Content.String(), n.Content.String(), n.Pos, o.Pos, "content %s → %s", o.Content, n.Content)
		}
		if os, ns := matchesText(o.Statuses), matchesText(n.Statuses); os != ns {
			d.add("body-statuses-changed", subj, os, ns, n.Pos, o.Pos, "applies to %s → %s", os, ns)
		}
		if oc, nc := errorWhenText(o), errorWhenText(n); oc != nc {
			d.add("body-error-when-changed", subj, oc, nc, n.Pos, o.Pos, "error_when %s → %s", oc, nc)
		}
		if os, ns := selectionText(o), selectionText(n); os != ns {
			d.add("body-selection-changed", subj, os, ns, n.Pos, o.Pos, "selection %s → %s", os, ns)
		}
		d.sensitive(subj, o, n)
		d.fields(subj, o.Fields, n.Fields, newGo, "", n.Pos)
		d.text(subj, "description", o.Description, n.Description, n.Pos, o.Pos)
		d.text(subj, "example", o.Example, n.Example, n.Pos, o.Pos)
	}
	for _, n := range d.new.Bodies {
		if !olds[n.Name] {
			d.add("body-added", "body "+q(n.Name), "", q(n.Name), n.Pos, model.Pos{}, "added (%s)", n.Content)
		}
	}
}

// selectionText is how a body format is chosen beyond its statuses and
// content: media types, shape test, Problem Details preset.
func selectionText(b *model.Body) string {
	parts := []string{"media types " + strings.Join(b.MediaTypes, ", "), "when " + conditionText(b.When)}
	if b.Problem != nil {
		parts = append(parts, "problem_details code_from "+b.Problem.CodeFrom.String())
	}
	if len(b.MediaTypes) == 0 {
		parts[0] = "any media type"
	}
	return strings.Join(parts, "; ")
}

// errorWhenText is a format's error_when and, in format v2, the kind and
// action it gives the errors it reads inside success responses: a change
// of either changes how such errors are decided.
func errorWhenText(b *model.Body) string {
	s := conditionText(b.ErrorWhen)
	if b.HasKindAction {
		s += fmt.Sprintf(" (kind %s, action %s)", b.Kind, b.Action)
	}
	return s
}

func matchesText(ms []model.StatusMatch) string {
	if len(ms) == 0 {
		return "every status from 400"
	}
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.String()
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

func conditionText(c *model.Condition) string {
	switch {
	case c == nil:
		return "none"
	case c.NonEmpty:
		return q(c.Path.String()) + " non-empty"
	case c.Present:
		return q(c.Path.String()) + " present"
	}
	return q(c.Path.String()) + " = " + q(c.Equals)
}

func (d *differ) sensitive(subj string, o, n *model.Body) {
	has := func(ps []model.Path, p model.Path) bool {
		for _, x := range ps {
			if x.String() == p.String() {
				return true
			}
		}
		return false
	}
	for _, p := range o.Sensitive {
		if !has(n.Sensitive, p) {
			d.add("sensitive-removed", subj+" path "+q(p.String()), "sensitive", "plain", n.Pos, o.Pos, "no longer redacted: its value may reach logs and error strings")
		}
	}
	for _, p := range n.Sensitive {
		if !has(o.Sensitive, p) {
			d.add("sensitive-added", subj+" path "+q(p.String()), "plain", "sensitive", n.Pos, o.Pos, "now redacted")
		}
	}
}

func pathsText(ps []model.Path) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return q(strings.Join(s, " | "))
}

// readText says how a field is read: its paths, and (format v2) the
// separator it joins strings with or the list match it takes.
func readText(f *model.Field) string {
	switch {
	case f.From != model.FromPath:
		return "from " + f.From.String()
	case f.Join != "":
		return pathsText(f.Paths) + " joined with " + q(f.Join)
	}
	return pathsText(f.Paths)
}

// fields compares the fields of a body format (or of a list item, prefix
// "Item."); newGo holds every Go field of the new package.
func (d *differ) fields(subj string, olds, news []*model.Field, newGo map[string]*model.Field, prefix string, parent model.Pos) {
	byName := map[string]*model.Field{}
	for _, f := range news {
		byName[f.GoName] = f
	}
	find := func(f *model.Field) (model.Pos, bool) {
		n, ok := byName[f.GoName]
		if !ok {
			return model.Pos{}, false
		}
		return n.Pos, true
	}
	seen := map[string]bool{}
	for i, o := range olds {
		seen[o.GoName] = true
		fs := subj + " field " + q(o.Name)
		n, ok := byName[o.GoName]
		if !ok {
			at := survivor(olds, i, find, parent)
			if o.Type == model.TypeSecret {
				d.add("sensitive-removed", fs, "secret", "", at, o.Pos, "removed; it was a secret")
			}
			if g, still := newGo[prefix+o.GoName]; o.Role != model.RoleNone || (still && g.Type == o.Type) {
				d.add("field-dropped", fs, pathsText(o.Paths), "", at, o.Pos, "no longer read by this format (the Error keeps its field)")
			} else {
				d.add("field-removed", fs, o.Type.String(), "", at, o.Pos, "removed: the Error field %s%s disappears", prefix, o.GoName)
			}
			continue
		}
		d.names(fs, o.Name, n.Name, o.GoName, n.GoName, n.Pos, o.Pos)
		switch {
		case o.Type == model.TypeSecret && n.Type != model.TypeSecret:
			d.add("sensitive-removed", fs, "secret", n.Type.String(), n.Pos, o.Pos, "type secret → %s: its value will be printed and logged", n.Type)
		case o.TypeText() != n.TypeText():
			d.add("field-type-changed", fs, o.TypeText(), n.TypeText(), n.Pos, o.Pos, "type %s → %s: the Error field %s%s changes Go type", o.TypeText(), n.TypeText(), prefix, n.GoName)
		}
		if op, np := readText(o), readText(n); op != np {
			d.add("field-path-changed", fs, op, np, n.Pos, o.Pos, "path %s → %s", op, np)
		}
		if or, nr := fieldRoleText(o), fieldRoleText(n); or != nr {
			d.add("field-role-changed", fs, or, nr, n.Pos, o.Pos, "role %s → %s", or, nr)
		}
		if or, nr := codeRead(o), codeRead(n); or != nr {
			d.add("code-read-changed", fs, or, nr, n.Pos, o.Pos, "composed and cleaned %s → %s", or, nr)
		}
		if o.Item != nil && n.Item != nil {
			d.names(fs+" item", o.Item.GoName, n.Item.GoName, o.Item.GoName, n.Item.GoName, n.Pos, o.Pos)
			d.fields(fs, o.Item.Fields, n.Item.Fields, newGo, n.Item.GoName+".", n.Pos)
		}
		d.text(fs, "description", o.Description, n.Description, n.Pos, o.Pos)
	}
	for _, n := range news {
		if !seen[n.GoName] {
			d.add("field-added", subj+" field "+q(n.Name), "", n.Type.String(), n.Pos, model.Pos{}, "added (%s)", n.Type)
		}
	}
}

func roleText(r model.Role) string {
	switch r {
	case model.RoleCode:
		return "code"
	case model.RoleMessage:
		return "message"
	case model.RoleSubcode:
		return "subcode"
	}
	return "none"
}

// fieldRoleText is a field's role, with the set a subcode field carries.
func fieldRoleText(f *model.Field) string {
	if f.Role == model.RoleSubcode && f.Set != nil {
		return "subcode of set " + q(f.Set.Name)
	}
	return roleText(f.Role)
}

// bounds reports a changed minimum or default delay of a status or code.
func (d *differ) bounds(subj string, o, n model.DelayBounds, pos, oldPos model.Pos) {
	if ot, nt := boundsText(o), boundsText(n); ot != nt {
		d.add("delay-changed", subj, ot, nt, pos, oldPos, "delay bounds %s → %s", ot, nt)
	}
}

func boundsText(b model.DelayBounds) string {
	if b.IsZero() {
		return "none"
	}
	return "min " + b.Min.String() + ", default " + b.Default.String()
}

func delayKey(s model.DelaySource) string {
	if c := s.Cost; c != nil {
		return "cost " + q(c.Cost.Name) + " " + q(c.Available.Name) + " " + q(c.Rate.Name)
	}
	if s.Field != nil {
		return "field " + q(s.Field.Name)
	}
	return "header " + q(s.Header)
}

func (d *differ) retry() {
	o, n := d.old.Retry, d.new.Retry
	rpos := n.Pos
	if rpos == (model.Pos{}) {
		rpos = d.firstPos()
	}
	news := map[string]model.DelaySource{}
	for _, s := range n.Delays {
		news[delayKey(s)] = s
	}
	find := func(s model.DelaySource) (model.Pos, bool) {
		x, ok := news[delayKey(s)]
		return x.Pos, ok
	}
	olds := map[string]bool{}
	for i, os := range o.Delays {
		k := delayKey(os)
		olds[k] = true
		subj := "retry delay " + k
		ns, ok := news[k]
		if !ok {
			d.add("delay-removed", subj, os.Format.String(), "", survivor(o.Delays, i, find, rpos), os.Pos, "removed: the server's delay there is no longer honoured")
			continue
		}
		if os.Format != ns.Format {
			d.add("delay-changed", subj, os.Format.String(), ns.Format.String(), ns.Pos, os.Pos, "format %s → %s", os.Format, ns.Format)
		}
		if or, nr := ruleText(os.Rule), ruleText(ns.Rule); or != nr {
			d.add("delay-changed", subj, or, nr, ns.Pos, os.Pos, "applies to %s → %s", or, nr)
		}
	}
	for _, ns := range n.Delays {
		if k := delayKey(ns); !olds[k] {
			d.add("delay-added", "retry delay "+k, "", ns.Format.String(), ns.Pos, model.Pos{}, "added (%s)", ns.Format)
		}
	}
	if oo, no := overrideText(o.Override), overrideText(n.Override); oo != no {
		d.add("override-changed", "retry override", oo, no, rpos, o.Pos, "%s → %s", oo, no)
	}
	if o.IdempotencyKeyHeader != n.IdempotencyKeyHeader {
		d.add("idempotency-key-changed", "retry idempotency_key_header", q(o.IdempotencyKeyHeader), q(n.IdempotencyKeyHeader), rpos, o.Pos,
			"%s → %s: which non-idempotent requests the transport may repeat changes", orNone(q0(o.IdempotencyKeyHeader)), orNone(q0(n.IdempotencyKeyHeader)))
	}
	if of, nf := o.IdempotencyKeyField.String(), n.IdempotencyKeyField.String(); of != nf {
		d.add("idempotency-key-changed", "retry idempotency_key_field", q(of), q(nf), rpos, o.Pos,
			"%s → %s: which non-idempotent requests the transport may repeat changes", orNone(q0(of)), orNone(q0(nf)))
	}
	d.rateLimits(rpos)
	d.text("retry", "description", o.Description, n.Description, rpos, o.Pos)
}

// rateLimits reports each rate limit (by scope and endpoint) whose rate
// changed, appeared or is gone.
func (d *differ) rateLimits(rpos model.Pos) {
	key := func(l *model.RateLimit) string {
		return strings.TrimSpace(string(l.Scope) + " " + l.Method + " " + l.Path)
	}
	rate := func(l *model.RateLimit) string {
		if l == nil {
			return "none"
		}
		return fmt.Sprintf("%d/%s", l.Requests, l.Period)
	}
	olds := map[string]*model.RateLimit{}
	for _, l := range d.old.Retry.RateLimits {
		olds[key(l)] = l
	}
	news := map[string]*model.RateLimit{}
	for _, l := range d.new.Retry.RateLimits {
		news[key(l)] = l
	}
	for _, ol := range d.old.Retry.RateLimits {
		nl := news[key(ol)]
		if or, nr := rate(ol), rate(nl); or != nr {
			pos := rpos
			if nl != nil {
				pos = nl.Pos
			}
			d.add("rate-limit-changed", "retry rate limit "+key(ol), or, nr, pos, ol.Pos, "%s → %s", or, nr)
		}
		if nl != nil {
			d.text("retry rate limit "+key(ol), "description", ol.Description, nl.Description, nl.Pos, ol.Pos)
		}
	}
	for _, nl := range d.new.Retry.RateLimits {
		if olds[key(nl)] == nil {
			d.add("rate-limit-changed", "retry rate limit "+key(nl), "none", rate(nl), nl.Pos, model.Pos{}, "none → %s", rate(nl))
		}
	}
}

// q0 quotes s unless it is empty.
func q0(s string) string {
	if s == "" {
		return ""
	}
	return q(s)
}

// ruleText is what a delay source or override value applies to.
func ruleText(r model.Rule) string {
	if r.IsZero() {
		return "every response"
	}
	return r.String()
}

func overrideText(o *model.Override) string {
	if o == nil {
		return "none"
	}
	parts := []string{"header " + q(o.Header)}
	for _, v := range o.Values {
		part := q(v.Value) + "=" + v.Action.String()
		if !v.Rule.IsZero() {
			part += " (" + ruleText(v.Rule) + ")"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " ")
}
