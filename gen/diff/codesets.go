package diff

import (
	"github.com/errcat/errcat/gen/model"
)

// setClasses are the change classes of format v2's code sets and of code
// fields that compose or clean their value (see docs/diff.md).
var setClasses = map[string]class{
	"code-set-added":    {Info, false, "a secondary code set (code_sets) is new"},
	"code-set-removed":  {Breaking, false, "a secondary code set is gone: its type, constants, sentinels, matchers and Error fields disappear"},
	"code-set-changed":  {Breaking, false, "a code set changed type or domain field: its constants change Go type, or its values match in other domains"},
	"decides-gained":    {Warning, false, "a code set now decides kind and action: errors carrying its listed values get theirs"},
	"decides-lost":      {Breaking, false, "a code set no longer decides kind and action: its values' Kind and Action methods disappear"},
	"subcode-added":     {Info, false, "a value of a secondary code set is new"},
	"subcode-removed":   {Breaking, false, "a value of a secondary code set is gone: its constant, sentinel and matcher disappear"},
	"code-read-changed": {Warning, false, "how a code field composes or cleans its value changed: the same body yields another code"},
}

func init() {
	for id, c := range setClasses {
		classes[id] = c
	}
}

// codeSets compares the secondary code sets by name, and their values by
// (domain, value).
func (d *differ) codeSets() {
	news := map[string]*model.CodeSet{}
	for _, s := range d.new.CodeSets {
		news[s.Name] = s
	}
	olds := map[string]bool{}
	for _, o := range d.old.CodeSets {
		olds[o.Name] = true
		subj := "code set " + q(o.Name)
		n, ok := news[o.Name]
		if !ok {
			d.add("code-set-removed", subj, q(o.Name), "", d.firstPos(), o.Pos, "removed: the type %s, its constants, sentinels and matchers disappear", o.GoName)
			continue
		}
		d.names(subj, o.Name, n.Name, o.GoName, n.GoName, n.Pos, o.Pos)
		if ot, nt := setShape(o), setShape(n); ot != nt {
			d.add("code-set-changed", subj, ot, nt, n.Pos, o.Pos, "%s → %s: its values' constants or matching change", ot, nt)
		}
		switch {
		case o.Decides && !n.Decides:
			d.add("decides-lost", subj, "true", "false", n.Pos, o.Pos, "no longer decides kind and action: errors get the code's and status's, and %s.Kind and %s.Action disappear", o.GoName, o.GoName)
		case !o.Decides && n.Decides:
			d.add("decides-gained", subj, "false", "true", n.Pos, o.Pos, "now decides kind and action: errors carrying its listed values get theirs")
		}
		d.text(subj, "description", o.Description, n.Description, n.Pos, o.Pos)
		d.setItems(subj, o, n)
	}
	for _, n := range d.new.CodeSets {
		if !olds[n.Name] {
			d.add("code-set-added", "code set "+q(n.Name), "", q(n.Name), n.Pos, model.Pos{}, "added: the type %s with %d values", n.GoName, len(n.Items))
		}
	}
}

// setShape is what a set's constants and matching depend on: its type and
// its domain field.
func setShape(s *model.CodeSet) string {
	out := s.Type.String()
	if s.Domain != nil {
		out += " by domain " + q(s.Domain.Name)
	}
	return out
}

func setItemKey(c *model.SetCode) string { return c.Domain + "\x00" + c.Text() }

func setItemSubject(set string, c *model.SetCode) string {
	s := set + " value " + q(c.Text())
	if c.Domain != "" {
		s += " in domain " + q(c.Domain)
	}
	return s
}

func (d *differ) setItems(subj string, o, n *model.CodeSet) {
	news := map[string]*model.SetCode{}
	for _, c := range n.Items {
		news[setItemKey(c)] = c
	}
	olds := map[string]bool{}
	for _, oc := range o.Items {
		olds[setItemKey(oc)] = true
		s := setItemSubject(subj, oc)
		nc, ok := news[setItemKey(oc)]
		if !ok {
			d.add("subcode-removed", s, q(oc.Name), "", n.Pos, oc.Pos, "removed: its constant, sentinel and matcher disappear")
			continue
		}
		d.names(s, oc.Name, nc.Name, oc.GoName, nc.GoName, nc.Pos, oc.Pos)
		if o.Decides && n.Decides {
			d.kind(s, oc.Kind, nc.Kind, nc.Pos, oc.Pos)
			d.action(s, oc.Action, nc.Action, nc.Pos, oc.Pos)
		}
		d.text(s, "description", oc.Description, nc.Description, nc.Pos, oc.Pos)
		d.text(s, "note", oc.Note, nc.Note, nc.Pos, oc.Pos)
	}
	for _, nc := range n.Items {
		if !olds[setItemKey(nc)] {
			d.add("subcode-added", setItemSubject(subj, nc), "", q(nc.Name), nc.Pos, model.Pos{}, "added")
		}
	}
}

// codeRead is how a code field composes and cleans its value, as text.
func codeRead(f *model.Field) string {
	out := ""
	if c := f.Compose; c != nil {
		if c.Tag != "" {
			out = "tags " + q(c.Tag)
		} else {
			out = "parts " + pathsText(c.Parts)
		}
		out += " joined by " + q(c.Separator)
	}
	if f.Clean.Trim != "" {
		out += " trim " + q(f.Clean.Trim)
	}
	if f.Clean.Fold != model.FoldNone {
		out += " fold " + f.Clean.Fold.String()
	}
	if out == "" {
		return "as read"
	}
	return out
}
