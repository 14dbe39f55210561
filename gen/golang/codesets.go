package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/gen/model"
)

// setGoType is the underlying Go type of a code set's values.
func setGoType(s *model.CodeSet) *jen.Statement {
	if s.Type == model.CodeInt {
		return jen.Int64()
	}
	return jen.String()
}

// setLit is an item's value as a literal of its set's type.
func setLit(it *model.SetCode) jen.Code {
	if it.Set.Type == model.CodeInt {
		return jen.Lit(int(it.Int))
	}
	return jen.Lit(it.Str)
}

// setKey is the table key of a value v (an expression of the set's type)
// with the domain expression dom: the value itself, or the (domain, code)
// pair of a set keyed by domain.
func setKey(s *model.CodeSet, dom, v jen.Code) jen.Code {
	if s.Domain == nil {
		return v
	}
	return jen.Id(s.Idents.Key).Values(dom, v)
}

// codeSetsFile declares every code set (format v2): its type, constants,
// table and methods.
func (g *gen) codeSetsFile(f *jen.File) {
	for _, s := range g.c.CodeSets {
		g.codeSetDecls(f, s)
	}
}

func (g *gen) codeSetDecls(f *jen.File, s *model.CodeSet) {
	vendor := oneLine(g.c.Vendor.Name)
	id := s.Idents
	text := fmt.Sprintf("%s is a value of %s's %q code set, a secondary code its error bodies carry beside the primary code (Error.%s).", id.Type, vendor, oneLine(s.Name), id.Field)
	if s.Description != "" {
		text += " " + s.Description
	}
	if s.Decides {
		text += " A listed value decides the error's kind and action: it wins over the code's and the status's."
	}
	if s.Domain != nil {
		text += fmt.Sprintf(" Its values are namespaced by the body's %s (Error.%s): the same value may mean different things in different domains, so compare with the matchers, which check both.", oneLine(s.Domain.Name), s.Domain.GoName)
	}
	comment(f.Group, text)
	f.Type().Id(id.Type).Add(setGoType(s))
	f.Line()
	comment(f.Group, fmt.Sprintf("The values of the %q set %s documents, in catalog order.", oneLine(s.Name), vendor))
	f.Const().DefsFunc(func(d *jen.Group) {
		for _, it := range s.Items {
			what := it.Text()
			if it.Domain != "" {
				what += " in domain " + it.Domain
			}
			comment(d, endSentence(fmt.Sprintf("%s is %s: %s", it.Idents.Const, what, quote(it.Description))))
			d.Id(it.Idents.Const).Id(id.Type).Op("=").Add(setLit(it))
		}
	})
	f.Line()
	keyType := jen.Id(id.Type)
	if s.Domain != nil {
		f.Comment(fmt.Sprintf("// %s keys the %s table: a value within its domain.", id.Key, id.Type))
		f.Type().Id(id.Key).Struct(jen.Id("domain").String(), jen.Id("code").Id(id.Type))
		f.Line()
		keyType = jen.Id(id.Key)
	}
	f.Comment(fmt.Sprintf("// %s are the set's rows, in catalog order.", id.Rows))
	f.Var().Id(id.Rows).Op("=").Index().Qual(implPath, "CodeInfo").Types(keyType.Clone()).Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, setRows(s)...)
	f.Line()
	f.Comment(fmt.Sprintf("// %s is what the catalog says of the set's values.", id.Table))
	f.Var().Id(id.Table).Op("=").Qual(implPath, "NewTable").Types(keyType).Call(jen.Id("Vendor"), jen.False(), jen.Nil(), jen.Id(id.Rows))
	f.Line()
	g.codeSetMethods(f, s)
}

// setRows are a set's table rows, one line per item.
func setRows(s *model.CodeSet) []jen.Code {
	rows := make([]jen.Code, 0, len(s.Items))
	for _, it := range s.Items {
		row := []jen.Code{
			jen.Id("Code").Op(":").Add(setKey(s, jen.Lit(it.Domain), jen.Id(it.Idents.Const))),
			jen.Id("Name").Op(":").Lit(it.GoName),
			jen.Id("Description").Op(":").Lit(it.Description),
		}
		if s.Decides {
			row = append(row, jen.Id("Kind").Op(":").Add(kindLit(it.Kind)), jen.Id("Action").Op(":").Add(actionLit(it.Action)))
		}
		row = append(row, jen.Id("Err").Op(":").Id(it.Idents.Err))
		rows = append(rows, jen.Values(row...))
	}
	return rows
}

// codeSetMethods writes String, and for a set not keyed by domain
// Description and Known (and Kind and Action for a set that decides).
func (g *gen) codeSetMethods(f *jen.File, s *model.CodeSet) {
	id := s.Idents
	recv := func() jen.Code { return jen.Id("c").Id(id.Type) }
	if s.Type == model.CodeString {
		method(f, recv(), []string{"String returns the value as the vendor writes it."}, "String", jen.String(), jen.Return(jen.String().Call(jen.Id("c"))))
	} else {
		method(f, recv(), []string{"String returns the value as the vendor writes it."}, "String", jen.String(), jen.Return(jen.Qual(strconvPth, "FormatInt").Call(jen.Int64().Call(jen.Id("c")), jen.Lit(10))))
	}
	if s.Domain != nil {
		return // a value alone is ambiguous: its domain is on the Error
	}
	info := func(field string) jen.Code { return jen.Id(id.Table).Dot("CodeInfoOf").Call(jen.Id("c")).Dot(field) }
	method(f, recv(), []string{`Description returns the vendor's description of c, or "".`}, "Description", jen.String(), jen.Return(info("Description")))
	method(f, recv(), []string{"Known reports whether the catalog lists c."}, "Known", jen.Bool(), jen.Return(jen.Id(id.Table).Dot("Code").Call(jen.Id("c")).Op("!=").Nil()))
	if s.Decides {
		method(f, recv(), []string{"Kind returns the kind c decides, or apierr.KindUnknown for a value the catalog does not list."}, "Kind", jen.Qual(apierrPath, "Kind"), jen.Return(info("Kind")))
		method(f, recv(), []string{"Action returns the action c decides, or apierr.ActionNone for a value the catalog does not list."}, "Action", jen.Qual(apierrPath, "Action"), jen.Return(info("Action")))
	}
}

// setSentinels declares the sentinels of every set's items.
func (g *gen) setSentinels(d *jen.Group) {
	vendor := oneLine(g.c.Vendor.Name)
	for _, s := range g.c.CodeSets {
		for _, it := range s.Items {
			d.Comment(fmt.Sprintf("// %s matches %s errors whose %s is %s (%s).", it.Idents.Err, vendor, oneLine(s.Name), oneLine(setItemText(it)), it.Idents.Const))
			d.Id(it.Idents.Err).Op("=").Qual(errorsPath, "New").Call(jen.Lit(fmt.Sprintf("%s: %s %s", g.c.Vendor.ID, errorName(s.Name), oneLine(setItemText(it)))))
		}
	}
}

// setItemText is an item as docs and sentinels name it: the value, and its
// domain in a set keyed by domain.
func setItemText(it *model.SetCode) string {
	if it.Domain != "" {
		return it.Text() + " in domain " + it.Domain
	}
	return it.Text()
}

// setIs is the expression of Error.Is for the code sets: whether target is
// the sentinel of a secondary code the error carries.
func (g *gen) setIs() []jen.Code {
	var out []jen.Code
	for _, s := range g.c.CodeSets {
		out = append(out, jen.Id(s.Idents.Table).Dot("Is").Call(jen.Id("target"), jen.Lit(0), g.errSetKey(s), jen.Id("e").Dot(s.Idents.Has)))
	}
	return out
}

// errSetKey is the table key of the set value an Error carries.
func (g *gen) errSetKey(s *model.CodeSet) jen.Code {
	var dom jen.Code
	if s.Domain != nil {
		dom = jen.Id("e").Dot(s.Domain.GoName)
	}
	return setKey(s, dom, jen.Id("e").Dot(s.Idents.Field))
}

// decidingSets are the sets that decide kind and action, in catalog order.
func (g *gen) decidingSets() []*model.CodeSet {
	var out []*model.CodeSet
	for _, s := range g.c.CodeSets {
		if s.Decides {
			out = append(out, s)
		}
	}
	return out
}

// setDecision writes, for each deciding set, the statement returning the
// kind or action (field) a listed value it carries decides.
func (g *gen) setDecision(b *jen.Group, field string, extra jen.Code) {
	for _, s := range g.decidingSets() {
		cond := jen.Id("i").Op("!=").Nil().Op("&&").Id("e").Dot(s.Idents.Has)
		if extra != nil {
			cond = cond.Op("&&").Add(extra)
		}
		b.If(jen.Id("i").Op(":=").Id(s.Idents.Table).Dot("Code").Call(g.errSetKey(s)), cond).Block(jen.Return(jen.Id("i").Dot(field)))
	}
}

// setMatchers writes the matchers of every set's items.
func (g *gen) setMatchers(f *jen.File) {
	vendor := withArticle(oneLine(g.c.Vendor.Name))
	for _, s := range g.c.CodeSets {
		for _, it := range s.Items {
			f.Comment(fmt.Sprintf("// %s reports whether err, or an error it wraps or joins, is %s error whose %s is %s.", it.Idents.Is, vendor, oneLine(s.Name), oneLine(setItemText(it))))
			f.Func().Id(it.Idents.Is).Params(jen.Id("err").Error()).Bool().Op("{").Return(jen.Qual(errorsPath, "Is").Call(jen.Id("err"), jen.Id(it.Idents.Err))).Op("}")
			f.Line()
		}
	}
}
