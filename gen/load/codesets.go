package load

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/model"
)

// codeSets reads code_sets (format v2): named sets of secondary codes,
// each with its own Go type, constants, sentinels and matchers.
func (b *builder) codeSets(n *yaml.Node) {
	seen := map[string]*yaml.Node{}
	items := b.seq(n, "code_sets")
	if n != nil && n.Kind == yaml.SequenceNode && len(items) == 0 {
		b.errorf(n, "list the secondary code sets, or remove code_sets", "code_sets is empty")
	}
	for _, it := range items {
		m := b.mapping(it, "code set", []string{"name", "description", "type", "decides", "domain", "items"}, "name", "items")
		s := &model.CodeSet{Pos: at(it), Type: model.CodeString}
		if e, ok := m["name"]; ok {
			if name, ok := b.str(e.val, "code set name", true); ok {
				s.Name = name
				prev, dup := seen[name]
				if dup {
					b.errorf(e.val, "give each set its own name", "code set %q is listed twice (first at line %d)", clip(name), prev.Line)
				}
				seen[name] = e.val
				if g, ok := b.goName(e.val, name, "code set name"); ok && !dup {
					s.GoName = g
					_, domain := m["domain"]
					id := model.SetIdentsOf(g, domain)
					b.declare(e.val, name, id.Type)
					// The Error holds the value and its presence: fields
					// beside the fixed members, headers and body fields.
					if b.member(id.Field, name, e.val, nil) {
						b.member(id.Has, name, e.val, nil)
					}
					if slices.Contains(model.KitOptions, id.KitOption) {
						b.errorf(e.val, "rename the set", "name %q makes the test kit option %s, which every kit declares itself", clip(name), id.KitOption)
					}
				}
			}
		}
		if e, ok := m["description"]; ok {
			s.Description, _ = b.str(e.val, "code set description", true)
		}
		if e, ok := m["type"]; ok {
			if t, ok := b.oneOf(e.val, "code set type", setTypeNames); ok && t == "integer" {
				s.Type = model.CodeInt
			}
		}
		if e, ok := m["decides"]; ok {
			s.Decides, _ = b.bool(e.val, "decides")
			if d, ok := m["domain"]; ok && s.Decides {
				b.errorf(d.key, "remove domain:, or decides:", "a set keyed by domain cannot decide kind and action: its type's Kind and Action methods would not know the domain")
			}
		}
		if e, ok := m["domain"]; ok {
			if name, ok := b.str(e.val, "code set domain", true); ok {
				b.pendingDomains = append(b.pendingDomains, pendingDomain{s, e.val, name})
			}
		}
		if e, ok := m["items"]; ok {
			_, domain := m["domain"]
			s.Items = b.setItems(e.val, s, domain)
		}
		b.cat.CodeSets = append(b.cat.CodeSets, s)
		b.setNodes = append(b.setNodes, it)
	}
}

// setItems reads a set's items; domain says the set has a domain field,
// so that every item names its domain and is keyed by (domain, code).
func (b *builder) setItems(n *yaml.Node, s *model.CodeSet, domain bool) []*model.SetCode {
	var out []*model.SetCode
	seen := map[string]*yaml.Node{}
	items := b.seq(n, "code set items")
	if n.Kind == yaml.SequenceNode && len(items) == 0 {
		b.errorf(n, "list the set's documented values", "code set %q has no items", clip(s.Name))
	}
	for _, it := range items {
		m := b.mapping(it, "code set item", []string{"code", "name", "domain", "description", "note", "kind", "action"}, "code", "description")
		c := &model.SetCode{Pos: at(it), Set: s}
		valid := false
		if e, ok := m["code"]; ok {
			valid = b.setValue(e.val, s, c)
		}
		if e, ok := m["domain"]; ok {
			if !domain {
				b.errorf(e.key, "remove it, or give the set domain: (the body field naming the domain)", "an item has a domain but set %q has no domain field", clip(s.Name))
			} else {
				c.Domain, _ = b.str(e.val, "item domain", true)
			}
		} else if domain && it.Kind == yaml.MappingNode {
			b.errorf(it, "add domain: with the domain the vendor documents the code in", "set %q is keyed by domain, so its item needs a domain", clip(s.Name))
		}
		dup := false
		if key := c.Domain + "\x00" + c.Text(); valid {
			var prev *yaml.Node
			if prev, dup = seen[key]; dup {
				what := "code " + clip(c.Text())
				if domain {
					what += " in domain " + clip(c.Domain)
				}
				b.errorf(m["code"].val, "remove or merge the duplicate", "set %q lists %s twice (first at line %d)", clip(s.Name), what, prev.Line)
			} else {
				seen[key] = m["code"].val
			}
		}
		b.setItemName(it, m, c, valid, !dup)
		if e, ok := m["description"]; ok {
			c.Description, _ = b.str(e.val, "item description", true)
		}
		if e, ok := m["note"]; ok {
			c.Note, _ = b.str(e.val, "item note", true)
		}
		b.setItemDecision(it, m, c)
		out = append(out, c)
	}
	return out
}

// setItemName gives an item its name (the value, prefixed by its domain
// in a domain set, when it has none) and declares its identifiers.
func (b *builder) setItemName(it *yaml.Node, m map[string]entry, c *model.SetCode, valid, declare bool) {
	nameNode := it
	switch e, ok := m["name"]; {
	case ok:
		nameNode = e.val
		c.Name, _ = b.str(e.val, "item name", true)
	case c.Set.Type == model.CodeString && valid:
		c.Name = strings.TrimSpace(c.Domain + " " + c.Str)
	case c.Set.Type == model.CodeInt:
		b.errorf(it, "add name: such as \"card expired\"", "an integer item of set %q needs a name", clip(c.Set.Name))
	}
	if c.Name == "" || c.Set.GoName == "" {
		return
	}
	if g, ok := b.goName(nameNode, c.Name, "item name"); ok && declare {
		c.GoName = g
		id := model.SetCodeIdents(c.Set.GoName, g)
		b.declare(nameNode, c.Name, id.Const, id.Err, id.Is)
	}
}

// setItemDecision reads an item's kind and action: both in a set that
// decides, neither in one that does not.
func (b *builder) setItemDecision(it *yaml.Node, m map[string]entry, c *model.SetCode) {
	k, hasK := m["kind"]
	a, hasA := m["action"]
	if !c.Set.Decides {
		for _, e := range []entry{k, a} {
			if e.key != nil {
				b.errorf(e.key, "add decides: true to the set if the vendor says this value decides what to do, or remove it", "%s on an item of set %q, which does not decide kind and action", e.key.Value, clip(c.Set.Name))
			}
		}
		return
	}
	if it.Kind == yaml.MappingNode && (!hasK || !hasA) {
		b.errorf(it, "add both kind: and action:", "set %q decides kind and action, so its item %s needs both", clip(c.Set.Name), clip(c.Text()))
	}
	if hasK {
		c.Kind, _ = b.kind(k.val, "kind")
	}
	if hasA {
		c.Action, _ = b.action(a.val, "action")
	}
}

// setValue reads an item's code as the set's type.
func (b *builder) setValue(n *yaml.Node, s *model.CodeSet, c *model.SetCode) bool {
	if s.Type == model.CodeInt {
		v, ok := b.int64(n, "item code")
		c.Int = v
		return ok
	}
	v, ok := b.str(n, "item code", true)
	if !ok {
		return false
	}
	if n.Tag != "!!str" {
		b.errorf(n, "quote it, or set the set's type: integer", "item code %s is not a string but set %q is of type string", clip(v), clip(s.Name))
		return false
	}
	if r, at, ok := model.Verbatim(v); !ok {
		b.errorf(n, "write the code exactly as the vendor's bodies carry it, with printable characters only", "item code %q holds the character %U (character %d), a control, invisible, bidi or format character", clip(v), r, utf8.RuneCountInString(v[:at])+1)
		return false
	}
	c.Str = v
	return true
}

// pendingDomain is a set's domain: field, resolved once the bodies are read.
type pendingDomain struct {
	set  *model.CodeSet
	node *yaml.Node
	name string
}

// finishSets resolves each set's domain field and checks that a body
// carries every set (with its domain field beside it): a sentinel that
// could never match would only mislead.
func (b *builder) finishSets() {
	for _, p := range b.pendingDomains {
		g, err := model.GoName(p.name)
		f := b.fieldsByName[g]
		switch {
		case err != nil || f == nil:
			b.errorf(p.node, "name a string field declared without a role under bodies, such as \"domain\"", "code set domain %q names no body field", clip(p.name))
		case f.Type != model.TypeString:
			b.errorf(p.node, "use a string field", "code set domain %q is a field of type %s, not string", clip(p.name), f.Type)
		default:
			p.set.Domain = f
		}
	}
	for i, s := range b.cat.CodeSets {
		carried := false
		for _, body := range b.cat.Bodies {
			f := body.SetField(s)
			if f == nil {
				continue
			}
			carried = true
			if s.Domain != nil && !hasField(body, s.Domain.GoName) {
				b.errorf(b.setNodes[i], fmt.Sprintf("add the field %q to body format %q", s.Domain.Name, body.Name), "body format %q carries set %q but not its domain field", clip(body.Name), clip(s.Name))
			}
		}
		if !carried && !b.subcodeUnresolved {
			b.errorf(b.setNodes[i], "give a body format a field with role: subcode and set: "+clip(s.Name), "no body format carries code set %q", clip(s.Name))
		}
	}
}

func hasField(body *model.Body, goName string) bool {
	for _, f := range body.Fields {
		if f.GoName == goName && f.Role == model.RoleNone {
			return true
		}
	}
	return false
}

// codeFieldExtras reads the v2 keys of a body field: set (which code set a
// role subcode field carries), compose, trim and fold; others are the
// format's fields read before f.
func (b *builder) codeFieldExtras(it *yaml.Node, m map[string]entry, f *model.Field, body *model.Body, others []*model.Field) {
	if f.Role == model.RoleSubcode {
		b.subcodeSet(it, m, f, body, others)
	} else if e, ok := m["set"]; ok && !(m["role"].val != nil && m["role"].val.Value == "subcode") {
		b.errorf(e.key, "add role: subcode, or remove set:", "set only goes with role: subcode")
	}
	e, hasCompose := m["compose"]
	codeField := f.Role == model.RoleCode || f.Role == model.RoleSubcode
	for _, k := range []string{"compose", "trim", "fold"} {
		x, ok := m[k]
		if !ok || !b.needV2(x.key, k) {
			continue
		}
		switch {
		case !codeField:
			b.errorf(x.key, "remove it: only a field with role code or subcode is composed or cleaned", "%s on a field without role code or subcode", k)
		case f.Type != model.TypeString:
			b.errorf(x.key, "remove it: only string codes are composed or cleaned", "%s on a field of type %s", k, f.Type)
		}
	}
	if e, ok := m["trim"]; ok {
		if v, ok := b.str(e.val, "trim", false); ok {
			if v == "" {
				b.errorf(e.val, "list the characters to remove from both ends, such as \".\"", "trim is empty")
			}
			f.Clean.Trim = v
		}
	}
	if e, ok := m["fold"]; ok {
		if s, ok := b.oneOf(e.val, "fold", foldNames); ok {
			f.Clean.Fold = model.FoldLower
			if s == "upper" {
				f.Clean.Fold = model.FoldUpper
			}
		}
	}
	if hasCompose {
		f.Compose = b.compose(e.val, f)
	}
	_, hasPath := m["path"]
	switch {
	case f.Compose != nil && len(f.Compose.Parts) > 0 && hasPath:
		b.errorf(m["path"].key, "remove path: the code is read from compose.parts", "a field composed of parts has no path of its own")
	case f.Compose != nil && f.Compose.Tag != "" && len(f.Paths) > 1:
		b.errorf(m["path"].val, "give one path: the tagged union's object", "a tag chain starts from one object, but the field lists %d paths", len(f.Paths))
	case !hasPath && f.Compose != nil && f.Compose.Tag != "":
		b.errorf(it, "add path: naming the tagged union's object, such as error", "a tag chain needs path: (where the union starts)")
	}
}

// subcodeSet points a role subcode field at its set.
func (b *builder) subcodeSet(it *yaml.Node, m map[string]entry, f *model.Field, body *model.Body, others []*model.Field) {
	e, ok := m["set"]
	if !ok {
		b.subcodeUnresolved = true
		b.errorf(it, "add set: naming one of code_sets", "a field with role subcode needs set:")
		return
	}
	name, ok := b.str(e.val, "set", true)
	if !ok {
		return
	}
	var names []string
	for _, s := range b.cat.CodeSets {
		names = append(names, s.Name)
		if s.Name == name {
			f.Set = s
		}
	}
	if f.Set == nil {
		b.subcodeUnresolved = true
		fix := "name a set listed under code_sets"
		if mm := didYouMean(name, names); mm != "" {
			fix = fmt.Sprintf("did you mean %q?", mm)
		}
		b.errorf(e.val, fix, "set %q names no code set", clip(name))
		return
	}
	want := model.TypeString
	if f.Set.Type == model.CodeInt {
		want = model.TypeInteger
	}
	if f.Type != want {
		b.errorf(e.val, "use type: "+want.String(), "set %q is of type %s, so its field must be type %s, not %s", clip(name), f.Set.Type, want, f.Type)
	}
	for _, o := range others {
		if o.Role == model.RoleSubcode && o.Set == f.Set {
			b.errorf(e.val, "keep one; list alternative paths under path: instead", "body format %q has two fields carrying set %q", clip(body.Name), clip(name))
		}
	}
}

// compose reads a code field's compose: a separator and either parts or
// a tag key.
func (b *builder) compose(n *yaml.Node, f *model.Field) *model.Compose {
	m := b.mapping(n, "compose", []string{"separator", "parts", "tag"}, "separator")
	c := &model.Compose{}
	if e, ok := m["separator"]; ok {
		c.Separator, _ = b.str(e.val, "separator", false)
	}
	p, hasP := m["parts"]
	t, hasT := m["tag"]
	switch {
	case n.Kind != yaml.MappingNode:
	case hasP == hasT:
		b.errorf(n, "give exactly one of parts: (paths joined in order) and tag: (a tagged union's tag key)", "compose needs parts or tag")
	case hasP:
		nodes, paths := b.strs(p.val, "compose parts")
		for i, s := range paths {
			if path, ok := b.path(nodes[i], s); ok {
				c.Parts = append(c.Parts, path)
			}
		}
		if len(paths) < 2 && p.val.Kind == yaml.SequenceNode {
			b.errorf(p.val, "list two paths or more, or use path: for one", "compose parts lists %d path; composing needs two or more", len(paths))
		}
	case hasT:
		c.Tag, _ = b.str(t.val, "compose tag", true)
	}
	return c
}

// hasKey reports whether mapping node n has the key k.
func hasKey(n *yaml.Node, k string) bool {
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == k {
			return true
		}
	}
	return false
}

// checkCleanedCodes refuses catalog values that the fields carrying them
// could never yield once composed and cleaned (a code with a capital
// letter where every code field folds to lower case, a trailing dot where
// every one trims dots): their sentinels would never match.
func (b *builder) checkCleanedCodes() {
	var codeFields []*model.Field
	for _, body := range b.cat.Bodies {
		for _, f := range body.Fields {
			if f.Role == model.RoleCode {
				codeFields = append(codeFields, f)
			}
		}
	}
	reachable := func(fields []*model.Field, v string) bool {
		for _, f := range fields {
			if f.CanYield(v) {
				return true
			}
		}
		return len(fields) == 0
	}
	if b.cat.CodeType == model.CodeString {
		for _, c := range b.cat.Codes {
			if c.Str != "" && !reachable(codeFields, c.Str) {
				b.errorf(posNode(c.Pos), "write the code as the field yields it once composed and cleaned (trim, fold)", "code %q can never be read: every code field cleans it into something else", clip(c.Str))
			}
		}
	}
	for _, s := range b.cat.CodeSets {
		var fields []*model.Field
		for _, body := range b.cat.Bodies {
			if f := body.SetField(s); f != nil {
				fields = append(fields, f)
			}
		}
		for _, it := range s.Items {
			if s.Type == model.CodeString && it.Str != "" && !reachable(fields, it.Str) {
				b.errorf(posNode(it.Pos), "write the value as the field yields it once composed and cleaned (trim, fold)", "set %q value %q can never be read: every field carrying the set cleans it into something else", clip(s.Name), clip(it.Str))
			}
		}
	}
}

// posNode is a node at p, for errors about entries the model holds.
func posNode(p model.Pos) *yaml.Node { return &yaml.Node{Line: p.Line, Column: p.Col} }
