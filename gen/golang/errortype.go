package golang

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/gen/model"
)

// fieldType is the Go type of a body field.
func fieldType(f *model.Field) *jen.Statement {
	switch f.Type {
	case model.TypeInteger:
		return jen.Int64()
	case model.TypeNumber:
		return jen.Float64()
	case model.TypeBoolean:
		return jen.Bool()
	case model.TypeTimeMillis, model.TypeTimeSeconds:
		return jen.Qual(timePath, "Time")
	case model.TypeObject:
		return jen.Map(jen.String()).Any()
	case model.TypeList:
		if f.ScalarList() {
			return jen.Index().Add(fieldType(&model.Field{Type: f.Elem}))
		}
		return jen.Index().Id(f.Item.GoName)
	case model.TypeSecret:
		return jen.Qual(apierrPath, "Secret")
	case model.TypeAny:
		return jen.Any()
	}
	return jen.String()
}

func fieldDoc(f *model.Field, fallback string) string {
	text := f.GoName + " is " + fallback
	switch {
	case f.From == model.FromKey:
		text = f.GoName + " is the member name the list's path matched."
	case f.From == model.FromValue:
		text = f.GoName + " is the value the list's path matched."
	case f.Join != "" && len(f.Paths) > 0:
		text = f.GoName + " is every string of the body's " + pathsText(f.Paths) + ", joined with " + strconv.Quote(f.Join) + "."
	case len(f.Paths) > 0:
		text = f.GoName + " is the body's " + pathsText(f.Paths) + "."
	}
	if f.Description != "" {
		text += " " + f.Description
	}
	if f.Type == model.TypeSecret {
		text += " It is a secret: it prints as " + `"[REDACTED]"` + "."
	}
	return text
}

func pathsText(ps []model.Path) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += " or "
		}
		s += p.String()
	}
	return s
}

func (g *gen) errorType(f *jen.File) {
	c := g.c
	vendor := oneLine(c.Vendor.Name)
	// List item types first, so the Error's fields can name them.
	for _, fl := range c.ErrorFields() {
		if fl.Item == nil {
			continue
		}
		comment(f.Group, fmt.Sprintf("%s is one item of Error.%s.", fl.Item.GoName, fl.GoName))
		f.Type().Id(fl.Item.GoName).StructFunc(func(s *jen.Group) {
			for _, it := range fl.Item.Fields {
				comment(s, fieldDoc(it, "a field of the item."))
				s.Id(it.GoName).Add(fieldType(it))
			}
		})
		f.Line()
	}
	comment(f.Group, fmt.Sprintf("Error is an error response from the %s API: the errors.As target that FromResponse and Parse return. It matches, with errors.Is, the sentinels of its code, its status and its status class, and implements apierr.Error. Error() is one short line that never prints a sensitive field.", vendor))
	f.Type().Id("Error").StructFunc(g.errorFields)
	f.Line()
	f.Var().Id("_").Qual(apierrPath, "Error").Op("=").Parens(jen.Op("*").Id("Error")).Parens(jen.Nil())
	f.Line()
	recv := jen.Id("e").Op("*").Id("Error")

	g.delegates(f)
	f.Comment("// GoString makes %#v print the error's one line rather than its fields,")
	f.Comment("// which hold the raw body and could hold a secret the vendor echoed.")
	f.Func().Params(recv.Clone()).Id("GoString").Params().String().Block(
		jen.Return(jen.Lit("&"+c.Vendor.Package+".Error{").Op("+").Qual(strconvPth, "Quote").Call(jen.Id("e").Dot("Error").Call()).Op("+").Lit("}")),
	)
	f.Line()
	f.Comment("// Vendor returns the catalog's vendor id.")
	f.Func().Params(recv.Clone()).Id("Vendor").Params().String().Block(jen.Return(jen.Id("Vendor")))
	f.Line()
	f.Comment("// HTTPStatus returns the response's HTTP status code.")
	f.Func().Params(recv.Clone()).Id("HTTPStatus").Params().Int().Block(jen.Return(jen.Int().Call(jen.Id("e").Dot("Status"))))
	f.Line()
	f.Comment("// ErrorCode returns the vendor code as text, or \"\" when the body carried none.")
	f.Func().Params(recv.Clone()).Id("ErrorCode").Params().String().BlockFunc(func(b *jen.Group) {
		switch c.CodeType {
		case model.CodeNone:
			b.Return(jen.Lit(""))
		case model.CodeString:
			b.If(jen.Op("!").Id("e").Dot("HasCode")).Block(jen.Return(jen.Lit("")))
			b.Return(jen.String().Call(jen.Id("e").Dot("Code")))
		case model.CodeInt:
			b.If(jen.Op("!").Id("e").Dot("HasCode")).Block(jen.Return(jen.Lit("")))
			b.Return(jen.Qual(strconvPth, "FormatInt").Call(jen.Int64().Call(jen.Id("e").Dot("Code")), jen.Lit(10)))
		}
	})
	f.Line()
	f.Comment("// RetryDelay returns the delay the server asked for, if it gave one.")
	f.Func().Params(recv.Clone()).Id("RetryDelay").Params().Params(jen.Qual(timePath, "Duration"), jen.Bool()).Block(
		jen.Return(jen.Id("e").Dot("delay"), jen.Id("e").Dot("hasDelay")),
	)
	f.Line()
	f.Comment("// RawBody returns the bytes of the body that were read (decompressed when")
	f.Comment("// the response was gzip or deflate), unredacted: it may hold secrets the")
	f.Comment("// vendor echoes back, so do not log it.")
	f.Func().Params(recv.Clone()).Id("RawBody").Params().Index().Byte().Block(
		jen.If(jen.Id("e").Dot("raw").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Return(jen.Op("*").Id("e").Dot("raw")),
	)
	f.Line()
	g.logValue(f)
}

// errorFields declares the Error struct's fields: the fixed ones, the
// body's fields, the captured headers, and the unexported state.
func (g *gen) errorFields(s *jen.Group) {
	c := g.c
	hasCodes := c.CodeType != model.CodeNone
	s.Comment("// Status is the response's HTTP status.")
	s.Id("Status").Id("Status")
	if hasCodes {
		s.Comment("// Code is the vendor code the body carried; HasCode reports whether it")
		s.Comment("// carried one.")
		s.Id("Code").Id("Code")
		s.Comment("// HasCode reports whether the body carried a code.")
		s.Id("HasCode").Bool()
	}
	for _, set := range c.CodeSets {
		comment(s, fmt.Sprintf("%s is the body's %q secondary code; %s reports whether it carried one.", set.Idents.Field, oneLine(set.Name), set.Idents.Has))
		s.Id(set.Idents.Field).Id(set.Idents.Type)
		comment(s, fmt.Sprintf("%s reports whether the body carried %s.", set.Idents.Has, set.Idents.Field))
		s.Id(set.Idents.Has).Bool()
	}
	s.Comment("// Message is the vendor's human-readable message. It is for debugging")
	s.Comment("// only: the vendor may change it at any time, so never match on it.")
	s.Id("Message").String()
	s.Comment("// Format names the body format that matched, or is \"\" when none did.")
	s.Id("Format").String()
	for _, fl := range c.ErrorFields() {
		comment(s, fieldDoc(fl, "a field of the error body."))
		s.Id(fl.GoName).Add(fieldType(fl))
	}
	for _, h := range c.Headers {
		text := fmt.Sprintf("%s is the response's %s header.", h.GoName, h.Header)
		if h.Description != "" {
			text += " " + h.Description
		}
		comment(s, text)
		if h.Sensitive {
			s.Id(h.GoName).Qual(apierrPath, "Secret")
		} else {
			s.Id(h.GoName).String()
		}
	}
	s.Comment("// Truncated reports that the body was longer than the bytes read.")
	s.Id("Truncated").Bool()
	s.Line()
	// raw is a pointer so that printing an Error value (not a pointer),
	// which bypasses its methods, shows an address, not the body.
	s.Id("raw").Op("*").Index().Byte()
	s.Id("delay").Qual(timePath, "Duration")
	s.Id("hasDelay").Bool()
	s.Id("override").Qual(apierrPath, "Action")
	s.Id("hasOverride").Bool()
	for i, d := range c.Retry.Delays {
		if hasBodyDelay(d) {
			s.Id(fmt.Sprintf("bodyDelay%d", i)).Qual(timePath, "Duration")
			s.Id(fmt.Sprintf("hasBodyDelay%d", i)).Bool()
		}
	}
}

// delegates writes the Error methods whose bodies are the support
// runtime's (errcatimpl.Table): Error, Is, Kind and Action.
func (g *gen) delegates(f *jen.File) {
	c := g.c
	recv := func() jen.Code { return jen.Id("e").Op("*").Id("Error") }
	st := func() jen.Code { return jen.Int().Call(jen.Id("e").Dot("Status")) }
	code := func() []jen.Code {
		if c.CodeType == model.CodeNone {
			return []jen.Code{jen.Lit(0), jen.False()}
		}
		return []jen.Code{jen.Id("e").Dot("Code"), jen.Id("e").Dot("HasCode")}
	}
	f.Comment(fmt.Sprintf("// Error returns one line: %q, the status, the code if any and the", c.Vendor.ID))
	f.Comment("// message, cut short. It never prints a sensitive field.")
	f.Func().Params(recv()).Id("Error").Params().String().Block(jen.Return(jen.Id("catalog").Dot("ErrorText").Call(
		append([]jen.Code{st(), jen.Id("e").Dot("ErrorCode").Call()}, append(code(), jen.Id("e").Dot("Message"))...)...)))
	f.Line()
	f.Comment("// Is reports whether target is the sentinel of e's code (or of the code it")
	f.Comment("// is an alias of), of its exact status or of its status class.")
	if len(c.CodeSets) > 0 {
		f.Comment("// It also matches the sentinels of the secondary codes it carries.")
	}
	isExpr := jen.Id("catalog").Dot("Is").Call(append([]jen.Code{jen.Id("target"), st()}, code()...)...)
	for _, x := range g.setIs() {
		isExpr = isExpr.Op("||").Add(x)
	}
	f.Func().Params(recv()).Id("Is").Params(jen.Id("target").Error()).Bool().Block(jen.Return(isExpr))
	f.Line()
	kindDoc, actionDoc := g.decisionDocs()
	kind, action, format := "Kind", "Action", []jen.Code{}
	if c.FormatKinds() {
		kind, action, format = "KindIn", "ActionIn", []jen.Code{jen.Id("e").Dot("Format")}
	}
	comment(f.Group, kindDoc)
	f.Func().Params(recv()).Id("Kind").Params().Qual(apierrPath, "Kind").BlockFunc(func(b *jen.Group) {
		g.setDecision(b, "Kind", nil)
		b.Return(jen.Id("catalog").Dot(kind).Call(append(append(format, st()), code()...)...))
	})
	f.Line()
	comment(f.Group, actionDoc)
	f.Func().Params(recv()).Id("Action").Params().Qual(apierrPath, "Action").BlockFunc(func(b *jen.Group) {
		g.setDecision(b, "Action", jen.Op("!").Id("e").Dot("hasOverride"))
		b.Return(jen.Id("catalog").Dot(action).Call(append(append(format, jen.Id("e").Dot("override"), jen.Id("e").Dot("hasOverride"), st()), code()...)...))
	})
	f.Line()
}

// decisionDocs are the doc comments of Error's Kind and Action, which state
// the catalog's rule (model.Catalog.Decide).
func (g *gen) decisionDocs() (kindDoc, actionDoc string) {
	c := g.c
	kindDoc = "Kind returns the vendor-neutral kind: the code's if the catalog lists it, else the status's."
	actionDoc = "Action returns what the client should do: the code's action if the catalog lists the code, else the status's."
	if c.StatusPrecedence() {
		const prec = " A code whose precedence is status decides only at the statuses it is listed with; at any other status the status's applies."
		kindDoc += prec
		actionDoc += prec
	}
	if c.Retry.Override != nil {
		actionDoc += fmt.Sprintf(" A %s header the catalog maps to an action overrides both.", c.Retry.Override.Header)
	}
	switch {
	case c.FormatKinds():
		kindDoc += " An error reported inside a success response whose code the catalog does not list has the kind its body format gives, else apierr.KindUnknown: the status's own kind would call it a success."
		actionDoc += " An error reported inside a success response whose code the catalog does not list has the action its body format gives, else asks to fix the request."
	case c.SuccessErrors():
		kindDoc += " An error reported inside a success response whose code the catalog does not list is apierr.KindUnknown: the status's own kind would call it a success."
		actionDoc += " An error reported inside a success response whose code the catalog does not list asks to fix the request: nothing says a retry would help."
	}
	for _, s := range g.decidingSets() {
		kindDoc += fmt.Sprintf(" The error's %s, when the catalog lists it, decides first.", s.Idents.Field)
		actionDoc += fmt.Sprintf(" The error's %s, when the catalog lists it, decides before the code and the status (a header override still wins).", s.Idents.Field)
	}
	return kindDoc, actionDoc
}

// logValue emits LogValue: the vendor-neutral facts, the message cut short,
// scalar body fields and captured headers; never a secret.
func (g *gen) logValue(f *jen.File) {
	c := g.c
	f.Comment("// LogValue makes slog print the error as a group of its facts, without")
	f.Comment("// secrets, free-form objects or the raw body.")
	f.Func().Params(jen.Id("e").Op("*").Id("Error")).Id("LogValue").Params().Qual(slogPath, "Value").BlockFunc(func(b *jen.Group) {
		b.Id("attrs").Op(":=").Index().Qual(slogPath, "Attr").ValuesFunc(func(v *jen.Group) {
			v.Qual(slogPath, "String").Call(jen.Lit("vendor"), jen.Id("Vendor"))
			v.Qual(slogPath, "Int").Call(jen.Lit("status"), jen.Int().Call(jen.Id("e").Dot("Status")))
			v.Qual(slogPath, "String").Call(jen.Lit("kind"), jen.Id("e").Dot("Kind").Call().Dot("String").Call())
			v.Qual(slogPath, "String").Call(jen.Lit("action"), jen.Id("e").Dot("Action").Call().Dot("String").Call())
		})
		if c.CodeType != model.CodeNone {
			b.If(jen.Id("e").Dot("HasCode")).Block(
				jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "String").Call(jen.Lit("code"), jen.Qual(implPath, "OneLine").Call(jen.Id("e").Dot("ErrorCode").Call(), jen.Lit(100)))),
			)
		}
		for _, set := range c.CodeSets {
			b.If(jen.Id("e").Dot(set.Idents.Has)).Block(
				jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "String").Call(jen.Lit(logKey(set.Idents.Field)), jen.Qual(implPath, "OneLine").Call(jen.Id("e").Dot(set.Idents.Field).Dot("String").Call(), jen.Lit(100)))),
			)
		}
		b.If(jen.Id("e").Dot("Message").Op("!=").Lit("")).Block(
			jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "String").Call(jen.Lit("message"), jen.Qual(implPath, "OneLine").Call(jen.Id("e").Dot("Message"), jen.Lit(200)))),
		)
		b.If(jen.Id("e").Dot("hasDelay")).Block(
			jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "Duration").Call(jen.Lit("retry_delay"), jen.Id("e").Dot("delay"))),
		)
		for _, fl := range c.ErrorFields() {
			key := jen.Lit(logKey(fl.GoName))
			val := jen.Id("e").Dot(fl.GoName)
			var attr jen.Code
			switch fl.Type {
			case model.TypeString:
				b.If(val.Clone().Op("!=").Lit("")).Block(jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "String").Call(key, jen.Qual(implPath, "OneLine").Call(val.Clone(), jen.Lit(200)))))
				continue
			case model.TypeInteger:
				b.If(val.Clone().Op("!=").Lit(0)).Block(jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "Int64").Call(key, val.Clone())))
				continue
			case model.TypeNumber:
				b.If(val.Clone().Op("!=").Lit(0)).Block(jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "Float64").Call(key, val.Clone())))
				continue
			case model.TypeBoolean:
				attr = jen.Qual(slogPath, "Bool").Call(key, val)
			case model.TypeTimeMillis, model.TypeTimeSeconds:
				b.If(jen.Op("!").Add(val.Clone()).Dot("IsZero").Call()).Block(jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "Time").Call(key, val.Clone())))
				continue
			default:
				continue // objects, lists and any values may be large or hold redacted secrets
			}
			b.Id("attrs").Op("=").Append(jen.Id("attrs"), attr)
		}
		for _, h := range c.Headers {
			if h.Sensitive {
				continue
			}
			b.If(jen.Id("e").Dot(h.GoName).Op("!=").Lit("")).Block(
				jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "String").Call(jen.Lit(logKey(h.GoName)), jen.Qual(implPath, "OneLine").Call(jen.Id("e").Dot(h.GoName), jen.Lit(200)))),
			)
		}
		b.Return(jen.Qual(slogPath, "GroupValue").Call(jen.Id("attrs").Op("...")))
	})
	f.Line()
}

// logKey is the slog key of an Error field: snake_case of its Go name
// (RequestID → request_id), matching the fixed keys such as retry_delay.
func logKey(goName string) string {
	var b strings.Builder
	runes := []rune(goName)
	for i, r := range runes {
		upper := unicode.IsUpper(r)
		if i > 0 && upper && (unicode.IsLower(runes[i-1]) || (i+1 < len(runes) && unicode.IsLower(runes[i+1]))) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
