package load

import (
	"encoding/json"
	"fmt"
	"net/textproto"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/model"
)

var fieldTypeNames = model.FieldTypes()

// bodyKeys are the keys of a body format.
var bodyKeys = []string{"name", "description", "statuses", "content", "media_types", "when", "preset", "code_from", "error_when", "kind", "action", "fields", "sensitive", "example"}

// roleNames are the field roles (subcode is format v2's), foldNames the
// foldings of a cleaned code, setTypeNames the types of a code set.
var (
	roleNames    = []string{"code", "message", "subcode"}
	foldNames    = []string{"lower", "upper"}
	setTypeNames = []string{"string", "integer"}
)

func (b *builder) bodies(n *yaml.Node) {
	seen := map[string]*yaml.Node{}
	for _, it := range b.seq(n, "bodies") {
		m := b.mapping(it, "body format", bodyKeys, "name", "description")
		body := &model.Body{Pos: at(it)}
		if e, ok := m["name"]; ok {
			b.bodyName(e.val, body, seen)
		}
		if e, ok := m["description"]; ok {
			body.Description, _ = b.str(e.val, "body description", true)
		}
		if e, ok := m["example"]; ok {
			body.Example, _ = b.str(e.val, "example", true)
		}
		if e, ok := m["content"]; ok {
			b.content(e.val, body)
		}
		if e, ok := m["statuses"]; ok {
			for _, sn := range b.seq(e.val, "body statuses") {
				if code, class, ok := b.statusValue(sn, "body status"); ok {
					body.Statuses = append(body.Statuses, model.StatusMatch{Code: code, Class: class})
				}
			}
		}
		b.bodySelection(m, body)
		if body.Content == model.ContentText {
			for _, k := range []string{"fields", "error_when", "sensitive", "when"} {
				if e, ok := m[k]; ok {
					b.errorf(e.key, "remove it, or use content: json", "a text body format has no %s: the whole body is its message", k)
				}
			}
		}
		b.errorWhen(m, body)
		b.formatKindAction(it, m, body)
		if e, ok := m["sensitive"]; ok && body.Content.Structured() {
			nodes, paths := b.strs(e.val, "sensitive")
			for i, p := range paths {
				if path, ok := b.path(nodes[i], p); ok {
					body.Sensitive = append(body.Sensitive, path)
				}
			}
		}
		if body.Problem != nil {
			body.Fields = b.fields(b.problemFields(m["preset"].val, m["fields"].val), body, scopeTop, nil)
		} else if e, ok := m["fields"]; ok && body.Content.Structured() {
			body.Fields = b.fields(e.val, body, scopeTop, nil)
		}
		b.xmlRoot(body)
		b.cat.Bodies = append(b.cat.Bodies, body)
	}
}

// bodyName reads a body format's name, unique by the method it names.
func (b *builder) bodyName(n *yaml.Node, body *model.Body, seen map[string]*yaml.Node) {
	s, ok := b.str(n, "body name", true)
	if !ok {
		return
	}
	body.Name = s
	// Body names only name unexported parse methods, so Go keywords are
	// fine here ("error" makes parseError); two names that normalise
	// alike would make the same method.
	g, err := model.GoName(s)
	if err != nil {
		b.errorf(n, "", "body name: %v", err)
		return
	}
	body.GoName = g
	if prev, dup := seen[g]; dup {
		b.errorf(n, "give each format its own name", "body format %q has the same name as the one at line %d (both make parse%s)", clip(s), prev.Line, g)
	}
	seen[g] = n
}

// content reads a body format's content: json, text, or (v2) xml.
func (b *builder) content(n *yaml.Node, body *model.Body) {
	s, ok := b.oneOf(n, "content", []string{"json", "text", "xml"})
	switch {
	case !ok:
	case s == "text":
		body.Content = model.ContentText
	case s == "xml" && b.needV2(n, "content: xml"):
		body.Content = model.ContentXML
	}
}

// errorWhen reads error_when: a JSON format's test for an error inside a
// success response.
func (b *builder) errorWhen(m map[string]entry, body *model.Body) {
	if e, ok := m["error_when"]; ok && body.Content == model.ContentXML {
		fix := "remove it: XML formats read error responses only"
		if anySuccess(body) {
			fix = "remove it and the format's success statuses: XML formats read error responses only, and errcat cannot read an error inside an XML success body"
		}
		b.errorf(e.key, fix, "error_when goes with content: json, not xml")
		return
	} else if ok && body.Content == model.ContentJSON {
		body.ErrorWhen = b.condition(e.val, "error_when")
		if !anySuccess(body) {
			b.errorf(e.key, "list the 2xx statuses the format reports errors in", "error_when only matters for success statuses, but the format lists none")
		}
	}
	// An error_when refused above has had its message: no second one
	// asking to add it.
	if _, given := m["error_when"]; body.ErrorWhen == nil && anySuccess(body) && !given {
		switch e, ok := m["statuses"]; {
		case !ok:
		case body.Content == model.ContentText:
			b.errorf(e.val, "remove the success statuses, or use content: json with error_when: a text format reads error responses only", "format lists a success status, which a text format never reads")
		case body.Content == model.ContentXML:
			b.errorf(e.val, "remove the success statuses: XML formats read error responses only; error_when, for errors inside success bodies, is for JSON formats", "format lists a success status, which an XML format never reads")
		default:
			b.errorf(e.val, "add error_when: to say how the body signals an error", "format lists a success status but has no error_when, so it could never apply")
		}
	}
}

// formatKindAction reads a format's kind and action (format v2): both
// together, only on a format with error_when, they classify the errors it
// reads inside success responses whose code the catalog does not list.
func (b *builder) formatKindAction(it *yaml.Node, m map[string]entry, body *model.Body) {
	k, hasKind := m["kind"]
	a, hasAction := m["action"]
	if !hasKind && !hasAction {
		return
	}
	first := k
	if !hasKind {
		first = a
	}
	if !b.needV2(first.key, "kind and action on a body format") {
		return
	}
	if body.ErrorWhen == nil {
		b.errorf(first.key, "add error_when: (and a 2xx status), or remove kind: and action: from the format", "kind and action on a body format classify the errors it reads inside success responses, but the format has no error_when")
		return
	}
	if !hasKind || !hasAction {
		missing := "kind:"
		if hasKind {
			missing = "action:"
		}
		b.errorf(it, "add "+missing+" to the format", "a body format that gives a kind must give an action too, and the reverse")
		return
	}
	kind, kok := b.kind(k.val, "format kind")
	action, aok := b.action(a.val, "format action")
	body.Kind, body.Action, body.HasKindAction = kind, action, kok && aok
}

func anySuccess(body *model.Body) bool {
	for _, s := range body.Statuses {
		if s.Code < 400 {
			return true
		}
	}
	return false
}

// condition reads a test on a body's value (error_when, when): a path
// and exactly one of equals, non_empty and (v2) present.
func (b *builder) condition(n *yaml.Node, what string) *model.Condition {
	m := b.mapping(n, what, []string{"path", "equals", "non_empty", "present"}, "path")
	c := &model.Condition{}
	if e, ok := m["path"]; ok {
		if s, ok := b.str(e.val, what+" path", true); ok {
			c.Path, _ = b.path(e.val, s)
		}
	}
	eq, hasEq := m["equals"]
	ne, hasNE := m["non_empty"]
	pr, hasPr := m["present"]
	tests := 0
	for _, has := range []bool{hasEq, hasNE, hasPr} {
		if has {
			tests++
		}
	}
	switch {
	case n.Kind != yaml.MappingNode:
		// mapping reported it.
	case tests != 1 && b.cat.Format == 1:
		b.errorf(n, "give exactly one of equals: and non_empty: true", "%s needs one test", what)
	case tests != 1:
		b.errorf(n, "give exactly one of equals:, non_empty: true and present: true", "%s needs one test", what)
	case hasPr:
		if b.needV2(pr.key, "present:") {
			if v, ok := b.bool(pr.val, "present"); ok {
				if !v {
					b.errorf(pr.val, "write present: true, or use equals:", "present: false tests nothing")
				}
				c.Present = v
			}
		}
	case hasEq:
		if s, ok := b.scalar(eq.val, "equals"); ok {
			c.Equals = jsonScalar(s)
		}
	case hasNE:
		if v, ok := b.bool(ne.val, "non_empty"); ok {
			if !v {
				b.errorf(ne.val, "write non_empty: true, or use equals:", "non_empty: false tests nothing")
			}
			c.NonEmpty = v
		}
	}
	return c
}

// jsonScalar renders a YAML scalar as the JSON text it must equal.
func jsonScalar(n *yaml.Node) string {
	switch n.Tag {
	case "!!bool", "!!int", "!!float":
		if n.Tag == "!!bool" {
			return strings.ToLower(n.Value)
		}
		if f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
		return n.Value
	case "!!null":
		return "null"
	}
	q, _ := json.Marshal(n.Value)
	return string(q)
}

// fieldScope is where a list of fields is declared: a body format's top
// level (fields of the Error), a list item, or a warning (format v2).
type fieldScope int

const (
	scopeTop fieldScope = iota
	scopeItem
	scopeWarning
)

// fields reads the fields of a format, a list item (list is the list
// field) or a warning.
func (b *builder) fields(n *yaml.Node, body *model.Body, scope fieldScope, list *model.Field) []*model.Field {
	top := scope == scopeTop
	var out []*model.Field
	local := map[string]namedAt{}
	for _, it := range b.seq(n, "fields") {
		required := []string{"name", "path"}
		if hasKey(it, "compose") || hasKey(it, "from") {
			required = required[:1] // compose: parts has no path, compose says which; from: takes the item's match
		}
		m := b.mapping(it, "field", []string{"name", "path", "type", "role", "description", "item", "fields", "set", "compose", "trim", "fold", "of", "join", "from"}, required...)
		f := &model.Field{Pos: at(it)}
		nameNode := it
		if e, ok := m["name"]; ok {
			nameNode = e.val
			if s, ok := b.str(e.val, "field name", true); ok {
				f.Name = s
				f.GoName, _ = b.goName(e.val, s, "field name")
			}
		}
		if e, ok := m["path"]; ok {
			nodes, paths := b.strs(e.val, "field path")
			for i, p := range paths {
				if path, ok := b.path(nodes[i], p); ok {
					f.Paths = append(f.Paths, path)
				}
			}
		}
		if e, ok := m["type"]; ok {
			if s, ok := b.oneOf(e.val, "field type", fieldTypeNames); ok {
				for i, name := range fieldTypeNames {
					if name == s {
						f.Type = model.FieldType(i)
					}
				}
			}
		}
		if e, ok := m["description"]; ok {
			f.Description, _ = b.str(e.val, "field description", true)
		}
		if e, ok := m["role"]; ok {
			if scope == scopeItem {
				b.errorf(e.key, "move the field to the format's top level", "fields inside a list item cannot have a role")
			} else if scope == scopeWarning {
				if s, ok := b.oneOf(e.val, "role", []string{"code", "message"}); ok {
					b.warningRole(e.val, s, f, out)
				}
			} else if s, ok := b.oneOf(e.val, "role", roleNames); ok {
				b.role(e.val, s, f, body, out)
			}
		}
		b.fieldExtras(it, m, f, body, out, scope)
		b.join(m, f)
		b.from(m, f, list)
		if scope == scopeWarning && f.Type == model.TypeList {
			b.errorf(it, "flatten the list: give each value its own field, or use type: any", "a warning's fields cannot be lists")
		} else {
			b.listItem(it, m, f, body, top)
		}
		if f.GoName != "" {
			if prev, dup := local[f.GoName]; dup {
				b.errorf(nameNode, "rename one of them", "field name %q makes %s, already made by %q at line %d", clip(f.Name), f.GoName, clip(prev.name), prev.node.Line)
			} else {
				local[f.GoName] = namedAt{nameNode, f.Name}
				if top && f.Role == model.RoleNone {
					b.member(f.GoName, f.Name, nameNode, f)
				}
				if scope == scopeWarning && f.Role == model.RoleNone && contains(model.WarningMembers, f.GoName) {
					b.errorf(nameNode, "rename it; role: code or role: message fill the fixed members", "name %q makes the Warning member %s, which the generated Warning declares itself", clip(f.Name), f.GoName)
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// fieldExtras reads the format v2 code keys of a field (set, compose,
// trim, fold), which only a body format's own fields may have.
func (b *builder) fieldExtras(it *yaml.Node, m map[string]entry, f *model.Field, body *model.Body, others []*model.Field, scope fieldScope) {
	if scope == scopeTop {
		b.codeFieldExtras(it, m, f, body, others)
		return
	}
	for _, k := range []string{"set", "compose", "trim", "fold"} {
		if e, ok := m[k]; ok {
			if scope == scopeItem {
				b.errorf(e.key, "move the field to the format's top level", "fields inside a list item cannot have %s", k)
			} else {
				b.errorf(e.key, "remove it: warnings have no secondary or composed codes", "a warning's fields cannot have %s", k)
			}
		}
	}
}

// listItem reads the item: and fields: of a list field f, which only a
// top-level field of type list may have, or its of: (format v2), the type
// of a list of scalars.
func (b *builder) listItem(it *yaml.Node, m map[string]entry, f *model.Field, body *model.Body, top bool) {
	if f.Type != model.TypeList {
		for _, k := range []string{"item", "fields", "of"} {
			if e, ok := m[k]; ok {
				b.errorf(e.key, "remove it, or use type: list", "%s only goes with type: list", k)
			}
		}
		return
	}
	if e, ok := m["of"]; ok {
		b.scalarList(e, m, f)
		return
	}
	_, hasItem := m["item"]
	_, hasFields := m["fields"]
	if !hasItem || !hasFields {
		b.errorf(it, "add item: (the element's name) and fields: (its fields)", "a list field needs item and fields")
	}
	if !top {
		b.errorf(it, "flatten the nested list", "lists inside list items are not supported")
	}
	f.Item = &model.Item{}
	if e, ok := m["item"]; ok {
		if s, ok := b.str(e.val, "item", true); ok {
			if g, ok := b.goName(e.val, s, "item name"); ok {
				f.Item.GoName = g
				b.declare(e.val, s, g)
			}
		}
	}
	if e, ok := m["fields"]; ok {
		f.Item.Fields = b.fields(e.val, body, scopeItem, f)
	}
}

// elemTypes are the types of: may give a list of scalars.
var elemTypes = []model.FieldType{model.TypeString, model.TypeInteger, model.TypeNumber, model.TypeBoolean}

// scalarList reads of: (format v2): f is a list of scalars, such as
// []string, which has no item: or fields:.
func (b *builder) scalarList(of entry, m map[string]entry, f *model.Field) {
	if !b.needV2(of.key, "of: (a list of scalars)") {
		return
	}
	var names []string
	for _, t := range elemTypes {
		names = append(names, t.String())
	}
	if s, ok := b.oneOf(of.val, "list element type", names); ok {
		for _, t := range elemTypes {
			if t.String() == s {
				f.Elem = t
			}
		}
	}
	for _, k := range []string{"item", "fields"} {
		if e, ok := m[k]; ok {
			b.errorf(e.key, "remove it: a list with of: holds scalars, not items with fields", "%s does not go with of:", k)
		}
	}
}

// join reads join: (format v2), the separator a string field joins every
// string its paths select with.
func (b *builder) join(m map[string]entry, f *model.Field) {
	e, ok := m["join"]
	if !ok || !b.needV2(e.key, "join:") {
		return
	}
	s, ok := b.str(e.val, "join", false)
	switch {
	case !ok:
	case s == "":
		b.errorf(e.val, `give the separator, such as "; "`, "join is empty")
	case f.Type != model.TypeString:
		b.errorf(e.key, "use type: string, or remove join:", "join makes one string, but the field is %s", f.Type)
	case f.Role == model.RoleCode:
		b.errorf(e.key, "remove join:, or list alternative paths under path:", "a code is one value: join does not go with role: code")
	default:
		f.Join = s
	}
}

// from reads from: (format v2): a list item's field that takes the member
// name its list's path matched (key) or the matched value itself (value),
// instead of a path.
func (b *builder) from(m map[string]entry, f *model.Field, list *model.Field) {
	e, ok := m["from"]
	if !ok || !b.needV2(e.key, "from:") {
		return
	}
	s, ok := b.oneOf(e.val, "from", []string{"key", "value"})
	if !ok {
		return
	}
	if p, ok := m["path"]; ok {
		b.errorf(p.key, "remove path:, or remove from:", "a field takes its value from its path or from its list's match, not both")
	}
	switch {
	case list == nil:
		b.errorf(e.key, "move the field into a list's fields:, or use path:", "from only goes in the fields of a list item")
		return
	case s == "key" && !slices.ContainsFunc(list.Paths, model.Path.Multi):
		b.errorf(e.key, "match members with a wildcard or filter in the list's path, such as errors.*[*]", "from: key names the member a * or filter of the list's path matched, but the list's path %q has none", clip(pathsText(list.Paths)))
	case s == "key" && f.Type != model.TypeString:
		b.errorf(e.key, "use type: string", "from: key gives a member name, a string, not %s", f.Type)
	case s == "value" && !slices.Contains(elemTypes, f.Type):
		b.errorf(e.key, "use type: string, integer, number or boolean; mark secrets with sensitive: on the format", "from: value reads an item that is a scalar, not %s", f.Type)
	}
	f.From = model.FromValue
	if s == "key" {
		f.From = model.FromKey
	}
}

// role sets f's role; others are the format's fields read before f.
func (b *builder) role(n *yaml.Node, role string, f *model.Field, body *model.Body, others []*model.Field) {
	for _, other := range others {
		if (role == "code" && other.Role == model.RoleCode) || (role == "message" && other.Role == model.RoleMessage) {
			b.errorf(n, "keep one; list alternative paths under path: instead", "body format %q has two fields with role %s", body.Name, role)
			return
		}
	}
	if role == "subcode" {
		if b.needV2(n, "role subcode") {
			f.Role = model.RoleSubcode
		}
		return
	}
	if role == "message" {
		f.Role = model.RoleMessage
		if f.Type != model.TypeString {
			b.errorf(n, "use type: string", "a field with role message must be a string, not %s", f.Type)
		}
		return
	}
	f.Role = model.RoleCode
	switch b.cat.CodeType {
	case model.CodeNone:
		b.errorf(n, "add a codes: section, or remove role: code", "role code needs the catalog to declare codes")
	case model.CodeInt:
		if f.Type != model.TypeInteger {
			b.errorf(n, "use type: integer", "the codes are integers, so the code field must be type integer, not %s", f.Type)
		}
	case model.CodeString:
		if f.Type != model.TypeString {
			b.errorf(n, "use type: string", "the codes are strings, so the code field must be type string, not %s", f.Type)
		}
	}
}

func (b *builder) retry(n *yaml.Node) {
	m := b.mapping(n, "retry", []string{"description", "delays", "override", "idempotency_key_header", "idempotency_key_field", "rate_limits"})
	r := &b.cat.Retry
	r.Pos = at(n)
	if e, ok := m["description"]; ok {
		r.Description, _ = b.str(e.val, "retry description", true)
	}
	if e, ok := m["idempotency_key_header"]; ok {
		if s, ok := b.str(e.val, "idempotency_key_header", true); ok {
			r.IdempotencyKeyHeader = b.headerName(e.val, s)
		}
	}
	if e, ok := m["idempotency_key_field"]; ok && b.needV2(e.key, "retry.idempotency_key_field") {
		r.IdempotencyKeyField = b.idempotencyKeyField(e.val)
	}
	if e, ok := m["delays"]; ok {
		for _, it := range b.seq(e.val, "retry.delays") {
			r.Delays = append(r.Delays, b.delaySource(it))
		}
	}
	if e, ok := m["override"]; ok {
		r.Override = b.override(e.val)
	}
	if e, ok := m["rate_limits"]; ok {
		r.RateLimits = b.rateLimits(e.val)
	}
}

// idempotencyKeyField reads retry.idempotency_key_field: a path of object
// keys into the request's JSON body. The transport walks it with
// encoding/json, so indexes (and any other step but a key) are refused.
func (b *builder) idempotencyKeyField(n *yaml.Node) model.Path {
	s, ok := b.str(n, "idempotency_key_field", true)
	if !ok {
		return nil
	}
	p, ok := b.path(n, s)
	if !ok {
		return nil
	}
	for _, seg := range p {
		if seg.IsIndex || seg.Key == "" {
			b.errorf(n, "name object members only, from the top level of the request body (idempotency_key, meta.idempotency_key)", "idempotency_key_field %q steps into a list; the transport reads the key from JSON objects only", clip(s))
			return nil
		}
	}
	return p
}

// delaySource reads one entry of retry.delays: a format and either a
// header, a body field or (format cost) the fields of a formula, and the
// rule that limits it to some responses.
func (b *builder) delaySource(it *yaml.Node) model.DelaySource {
	dm := b.mapping(it, "delay source", []string{"header", "field", "format", "statuses", "when", "cost", "available", "rate"}, "format")
	src := model.DelaySource{Pos: at(it)}
	if e, ok := dm["format"]; ok {
		if s, ok := b.oneOf(e.val, "delay format", model.DelayFormats()); ok {
			for i, name := range model.DelayFormats() {
				if name == s {
					src.Format = model.DelayFormat(i)
				}
			}
			if src.Format == model.DelayRateLimit || src.Format == model.DelayCost {
				b.needV2(e.val, "delay format "+s)
			}
		}
	}
	src.Rule = b.rule(dm, "delay source")
	b.costKeysOnlyForCost(dm, src.Format)
	h, hasH := dm["header"]
	f, hasF := dm["field"]
	switch {
	case it.Kind != yaml.MappingNode:
		// mapping reported it.
	case src.Format == model.DelayCost:
		if hasH || hasF {
			b.errorf(it, "remove header: and field:; name the formula's fields with cost:, available: and rate:", "a cost delay reads no header or single field")
		}
		src.Cost = b.costFormula(it, dm)
	case hasH == hasF:
		b.errorf(it, "give exactly one of header: and field:", "a delay source reads either a header or a body field")
	case hasH:
		if s, ok := b.str(h.val, "delay header", true); ok {
			src.Header = b.headerName(h.val, s)
		}
	case src.Format == model.DelayRateLimit:
		b.errorf(f.key, "use header: RateLimit (the IETF structured field)", "format ratelimit reads a header, not a body field")
	case hasF:
		if s, ok := b.str(f.val, "delay field", true); ok {
			src.Field = b.delayField(f.val, s, src.Format)
		}
	}
	return src
}

// override reads retry.override: a header and the actions its values map
// to, each value once.
func (b *builder) override(n *yaml.Node) *model.Override {
	om := b.mapping(n, "retry.override", []string{"header", "values"}, "header", "values")
	o := &model.Override{}
	if e, ok := om["header"]; ok {
		if s, ok := b.str(e.val, "override header", true); ok {
			o.Header = b.headerName(e.val, s)
		}
	}
	e, ok := om["values"]
	if !ok {
		return o
	}
	seen := map[string]*yaml.Node{}
	items := b.seq(e.val, "override values")
	if e.val.Kind == yaml.SequenceNode && len(items) == 0 {
		b.errorf(e.val, "map at least one header value to an action", "override values is empty")
	}
	for _, it := range items {
		vm := b.mapping(it, "override value", []string{"value", "action", "statuses", "when"}, "value", "action")
		var ov model.OverrideValue
		ov.Rule = b.rule(vm, "override value")
		if e, ok := vm["value"]; ok {
			if s, ok := b.str(e.val, "override value", true); ok {
				if prev, dup := seen[s]; dup {
					b.errorf(e.val, "remove the duplicate", "override value %q is listed twice (first at line %d)", clip(s), prev.Line)
				}
				seen[s] = e.val
				ov.Value = s
			}
		}
		if e, ok := vm["action"]; ok {
			ov.Action, _ = b.action(e.val, "action")
		}
		o.Values = append(o.Values, ov)
	}
	return o
}

// maxRateRequests bounds a rate limit's request count: far above any
// vendor's, and small enough that no arithmetic on it overflows.
const maxRateRequests = 1_000_000_000

var (
	methodPattern = regexp.MustCompile(`^[A-Z]+$`)
	pathPattern   = regexp.MustCompile(`^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$`)
)

func (b *builder) rateLimits(n *yaml.Node) []*model.RateLimit {
	var out []*model.RateLimit
	seen := map[string]*yaml.Node{}
	for _, it := range b.seq(n, "retry.rate_limits") {
		lm := b.mapping(it, "rate limit", []string{"scope", "method", "path", "requests", "per", "description"}, "scope", "requests", "per")
		l := &model.RateLimit{Pos: at(it)}
		if e, ok := lm["scope"]; ok {
			if s, ok := b.oneOf(e.val, "rate limit scope", model.Scopes()); ok {
				l.Scope = apierr.Scope(s)
			}
		}
		if e, ok := lm["requests"]; ok {
			if v, ok := b.int64(e.val, "rate limit requests"); ok {
				if v < 1 || v > maxRateRequests {
					b.errorf(e.val, "give the number of requests the docs allow, from 1 to 1000000000", "rate limit requests %d is out of range", v)
				} else {
					l.Requests = int(v)
				}
			}
		}
		if e, ok := lm["per"]; ok {
			if s, ok := b.oneOf(e.val, "rate limit period", model.Periods()); ok {
				for i, name := range model.Periods() {
					if name == s {
						l.Period = model.Period(i)
					}
				}
			}
		}
		if e, ok := lm["description"]; ok {
			l.Description, _ = b.str(e.val, "rate limit description", true)
		}
		me, hasM := lm["method"]
		pe, hasP := lm["path"]
		if l.Scope == apierr.ScopeEndpoint {
			if !hasP && it.Kind == yaml.MappingNode {
				b.errorf(it, "add path: with the endpoint's URL path, such as /fleet/drivers", "an endpoint rate limit needs a path")
			}
			if hasP {
				if s, ok := b.str(pe.val, "rate limit path", true); ok {
					if pathPattern.MatchString(s) {
						l.Path = s
					} else {
						b.errorf(pe.val, "write the URL path as sent, starting with /, without query string", "rate limit path %q is not a URL path", clip(s))
					}
				}
			}
			if hasM {
				if s, ok := b.str(me.val, "rate limit method", true); ok {
					if methodPattern.MatchString(s) {
						l.Method = s
					} else {
						b.errorf(me.val, "write the method in capitals, such as GET", "rate limit method %q is not an HTTP method", clip(s))
					}
				}
			}
		} else {
			for _, e := range []entry{me, pe} {
				if e.key != nil {
					b.errorf(e.key, "remove it, or use scope: endpoint", "%s is only for endpoint rate limits", e.key.Value)
				}
			}
		}
		if l.Scope != "" && (l.Scope != apierr.ScopeEndpoint || l.Path != "") {
			key := string(l.Scope) + " " + l.Method + " " + l.Path
			if prev, dup := seen[key]; dup {
				b.errorf(it, "keep one limit per scope and endpoint", "the %s rate limit %sis given twice (first at line %d)", l.Scope, strings.TrimLeft(l.Method+" "+l.Path+" ", " "), prev.Line)
			} else {
				seen[key] = it
			}
		}
		out = append(out, l)
	}
	return out
}

func (b *builder) headerName(n *yaml.Node, s string) string {
	if !headerPattern.MatchString(s) {
		b.errorf(n, "use the header's name as sent, such as Retry-After", "%q is not a valid HTTP header name", clip(s))
		return ""
	}
	return textproto.CanonicalMIMEHeaderKey(s)
}

func (b *builder) delayField(n *yaml.Node, name string, format model.DelayFormat) *model.Field {
	g, err := model.GoName(name)
	if err != nil {
		b.errorf(n, "", "delay field: %v", err)
		return nil
	}
	f := b.fieldsByName[g]
	if f == nil {
		var known []string
		for _, k := range b.fieldsByName {
			known = append(known, k.Name)
		}
		sort.Strings(known)
		fix := "name a field declared without a role under bodies"
		if m := didYouMean(name, known); m != "" {
			fix = fmt.Sprintf("did you mean %q?", m)
		} else if len(known) > 0 {
			for i, k := range known {
				known[i] = strconv.Quote(clip(k))
			}
			if len(known) > 5 {
				known = append(known[:5], "...")
			}
			fix += "; declared: " + strings.Join(known, ", ")
		}
		b.errorf(n, fix, "delay field %q names no body field", clip(name))
		return nil
	}
	switch format {
	case model.DelayCost:
		if f.Type != model.TypeInteger && f.Type != model.TypeNumber {
			b.errorf(n, "use an integer or number field", "format cost needs numbers, but %s is %s", g, f.Type)
		}
	case model.DelayDuration:
		if f.Type != model.TypeString {
			b.errorf(n, "use a string field, or a numeric format", "format duration needs a string field, but %s is %s", g, f.Type)
		}
	case model.DelaySeconds, model.DelayMillis, model.DelayEpochSeconds, model.DelayEpochMillis:
		if f.Type != model.TypeInteger && f.Type != model.TypeNumber && f.Type != model.TypeString {
			b.errorf(n, "use an integer, number or string field", "format %s needs a number, but %s is %s", format, g, f.Type)
		}
	case model.DelayRetryAfter:
		if f.Type != model.TypeString && f.Type != model.TypeInteger && f.Type != model.TypeNumber {
			b.errorf(n, "use a string or number field", "format retry_after needs a string or number, but %s is %s", g, f.Type)
		}
	}
	return f
}
