package golang

import (
	"fmt"
	"slices"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/gen/model"
)

// successFile writes success.go for a catalog with a warnings or batch
// section (format v2): the Warning type with Warnings and ParseWarnings,
// and the ItemError type with BatchErrors and ParseBatchErrors.
func (g *gen) successFile(f *jen.File) {
	if g.c.Warnings != nil {
		g.warningType(f)
		g.warningFuncs(f)
		g.warningParser(f)
	}
	if g.c.Batch != nil {
		g.itemErrorType(f)
		g.batchFuncs(f)
		g.batchParser(f)
	}
	if keys := g.successSecretKeys(); len(keys) > 0 {
		f.Comment("// successSecretKeys are the keys redacted wherever a success body holds")
		f.Comment("// them: those of the error bodies' secrets and of the warnings' secrets.")
		f.Var().Id("successSecretKeys").Op("=").Index().String().ValuesFunc(func(v *jen.Group) {
			for _, k := range keys {
				v.Lit(k)
			}
		})
		f.Line()
	}
}

// successSecretKeys are secretKeys and the last keys of the warnings'
// sensitive paths and secret fields, in that order without repeats.
func (g *gen) successSecretKeys() []string {
	keys := g.secretKeys()
	w := g.c.Warnings
	if w == nil {
		return keys
	}
	paths := slices.Clone(w.Sensitive)
	for _, fl := range w.Fields {
		if fl.Type == model.TypeSecret {
			paths = append(paths, fl.Paths...)
		}
	}
	for _, p := range paths {
		for i := len(p) - 1; i >= 0; i-- {
			if !p[i].IsIndex {
				if !slices.Contains(keys, p[i].Key) {
					keys = append(keys, p[i].Key)
				}
				break
			}
		}
	}
	return keys
}

// successAppliesExpr tests status against the statuses of a warnings or
// batch section (every 2xx when it lists none).
func successAppliesExpr(ms []model.StatusMatch) *jen.Statement {
	if len(ms) == 0 {
		return jen.Parens(jen.Id("status").Op(">=").Lit(200).Op("&&").Id("status").Op("<").Lit(300))
	}
	var s *jen.Statement
	for i, m := range ms {
		if i == 0 {
			s = statusExpr(m)
		} else {
			s = s.Op("||").Add(statusExpr(m))
		}
	}
	return jen.Parens(s)
}

func (g *gen) warningType(f *jen.File) {
	w := g.c.Warnings
	text := fmt.Sprintf("Warning is a warning %s success body carries: Warnings and ParseWarnings return them, and it is never an error (FromResponse returns nil for the response).", withArticle(oneLine(g.c.Vendor.Name)))
	if w.Description != "" {
		text += " " + w.Description
	}
	text += " Its texts never hold a value of the body's secrets."
	comment(f.Group, text)
	f.Type().Id(model.WarningType).StructFunc(func(s *jen.Group) {
		s.Comment("// Code is the warning's code as text, or \"\" when it has none.")
		s.Id("Code").String()
		s.Comment("// Message is the warning's human-readable text. It is for people only:")
		s.Comment("// the vendor may change it at any time, so never match on it.")
		s.Id("Message").String()
		for _, fl := range w.Fields {
			if fl.Role != model.RoleNone {
				continue
			}
			doc := fl.GoName + " is the warning's " + pathsText(fl.Paths) + "."
			if fl.Description != "" {
				doc += " " + fl.Description
			}
			if fl.Type == model.TypeSecret {
				doc += " It is a secret: it prints as " + `"[REDACTED]"` + "."
			}
			comment(s, doc)
			s.Id(fl.GoName).Add(fieldType(fl))
		}
	})
	f.Line()
	comment(f.Group, fmt.Sprintf("String returns one line: %q, the code if any and the message, cut short.", g.c.Vendor.ID+" warning"))
	f.Func().Params(jen.Id("w").Id(model.WarningType)).Id("String").Params().String().Block(
		jen.Return(jen.Qual(implPath, "WarningLine").Call(jen.Id("Vendor"), jen.Id("w").Dot("Code"), jen.Id("w").Dot("Message"))),
	)
	f.Line()
	f.Comment("// GoString makes %#v print the warning's one line rather than its fields.")
	f.Func().Params(jen.Id("w").Id(model.WarningType)).Id("GoString").Params().String().Block(
		jen.Return(jen.Lit(g.c.Vendor.Package+"."+model.WarningType+"{").Op("+").Qual(strconvPth, "Quote").Call(jen.Id("w").Dot("String").Call()).Op("+").Lit("}")),
	)
	f.Line()
	g.warningLogValue(f)
}

// warningLogValue writes Warning.LogValue: the vendor, the code, the
// message and the scalar fields; never a secret.
func (g *gen) warningLogValue(f *jen.File) {
	f.Comment("// LogValue makes slog print the warning as a group of its facts, without")
	f.Comment("// secrets or free-form values.")
	f.Func().Params(jen.Id("w").Id(model.WarningType)).Id("LogValue").Params().Qual(slogPath, "Value").BlockFunc(func(b *jen.Group) {
		b.Id("attrs").Op(":=").Index().Qual(slogPath, "Attr").Values(jen.Qual(slogPath, "String").Call(jen.Lit("vendor"), jen.Id("Vendor")))
		str := func(key string, v *jen.Statement, max int) {
			b.If(v.Clone().Op("!=").Lit("")).Block(jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "String").Call(jen.Lit(key), jen.Qual(implPath, "OneLine").Call(v.Clone(), jen.Lit(max)))))
		}
		str("code", jen.Id("w").Dot("Code"), 100)
		str("message", jen.Id("w").Dot("Message"), 200)
		for _, fl := range g.c.Warnings.Fields {
			if fl.Role != model.RoleNone {
				continue
			}
			key, val := jen.Lit(logKey(fl.GoName)), jen.Id("w").Dot(fl.GoName)
			switch fl.Type {
			case model.TypeString:
				str(logKey(fl.GoName), val, 200)
			case model.TypeInteger:
				b.If(val.Clone().Op("!=").Lit(0)).Block(jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "Int64").Call(key, val.Clone())))
			case model.TypeNumber:
				b.If(val.Clone().Op("!=").Lit(0)).Block(jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "Float64").Call(key, val.Clone())))
			case model.TypeBoolean:
				b.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "Bool").Call(key, val))
			case model.TypeTimeMillis, model.TypeTimeSeconds:
				b.If(jen.Op("!").Add(val.Clone()).Dot("IsZero").Call()).Block(jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "Time").Call(key, val.Clone())))
			}
		}
		b.Return(jen.Qual(slogPath, "GroupValue").Call(jen.Id("attrs").Op("...")))
	})
	f.Line()
}

func (g *gen) warningFuncs(f *jen.File) {
	w := g.c.Warnings
	vendor := withArticle(oneLine(g.c.Vendor.Name))
	comment(f.Group, fmt.Sprintf("Warnings returns the warnings of %s success response, in body order; none for a response of another status, or whose Content-Type is not one JSON document (FromResponse reports errors). It reads at most apierr.DefaultMaxSuccessBodyBytes of the body, waiting at most apierr.DefaultBodyWait for it, and leaves resp.Body readable from the start. At most apierr.MaxItems warnings are read; past them the error is apierr.ErrTooManyItems, and for a body cut short apierr.ErrBodyTruncated, each with the warnings read. A nil resp gives apierr.ErrNilResponse. It never panics, whatever the body.", vendor))
	f.Func().Id(model.WarningsFunc).Params(jen.Id("resp").Op("*").Qual(httpPath, "Response")).Params(jen.Index().Id(model.WarningType), jen.Error()).Block(
		jen.If(jen.Id("resp").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Qual(apierrPath, "ErrNilResponse"))),
		jen.If(jen.Id("status").Op(":=").Id("resp").Dot("StatusCode"), jen.Op("!").Add(successAppliesExpr(w.Statuses)).Op("||").Op("!").Qual(implPath, "MayHoldJSON").Call(jen.Id("resp").Dot("Header"))).Block(jen.Return(jen.Nil(), jen.Nil())),
		jen.List(jen.Id("body"), jen.Id("truncated")).Op(":=").Qual(implPath, "InspectBody").Call(jen.Id("resp"), jen.Qual(apierrPath, "DefaultMaxSuccessBodyBytes")),
		jen.Return(jen.Id("parseWarnings").Call(jen.Id("body"), jen.Id("truncated"))),
	)
	f.Line()
	comment(f.Group, "ParseWarnings is Warnings for callers that already hold the status, the headers and the body bytes (decompressed here if the headers say gzip or deflate, to at most apierr.DefaultMaxSuccessBodyBytes).")
	f.Func().Id(model.ParseWarningsFunc).Params(jen.Id("status").Int(), jen.Id("header").Qual(httpPath, "Header"), jen.Id("body").Index().Byte()).Params(jen.Index().Id(model.WarningType), jen.Error()).Block(
		jen.If(jen.Op("!").Add(successAppliesExpr(w.Statuses)).Op("||").Op("!").Qual(implPath, "MayHoldJSON").Call(jen.Id("header"))).Block(jen.Return(jen.Nil(), jen.Nil())),
		jen.List(jen.Id("body"), jen.Id("truncated")).Op(":=").Qual(implPath, "DecodeContent").Call(jen.Id("header"), jen.Id("body"), jen.Qual(apierrPath, "DefaultMaxSuccessBodyBytes")),
		jen.Return(jen.Id("parseWarnings").Call(jen.Id("body"), jen.Id("truncated"))),
	)
	f.Line()
}

// decodeSuccess writes the decoding of a success body into doc, as far as
// a body cut short goes, returning no items for one that is no JSON object.
func decodeSuccess(b *jen.Group) {
	b.List(jen.Id("doc"), jen.Id("ok")).Op(":=").Qual(implPath, "DecodeObject").Call(jen.Id("body"))
	b.If(jen.Op("!").Id("ok").Op("&&").Id("truncated")).Block(
		jen.List(jen.Id("doc"), jen.Id("ok")).Op("=").Qual(implPath, "DecodeObjectPrefix").Call(jen.Id("body")),
	)
	b.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.Qual(implPath, "SuccessBodyErr").Call(jen.Id("truncated"))))
}

func (g *gen) warningParser(f *jen.File) {
	w := g.c.Warnings
	secrets := len(g.successSecretKeys()) > 0
	f.Comment("// parseWarnings reads the warnings of a success body, redacting its secrets")
	f.Comment("// first; a string item is a warning's message.")
	f.Func().Id("parseWarnings").Params(jen.Id("body").Index().Byte(), jen.Id("truncated").Bool()).Params(jen.Index().Id(model.WarningType), jen.Error()).BlockFunc(func(b *jen.Group) {
		decodeSuccess(b)
		if secrets {
			for _, p := range w.Sensitive {
				b.Id("doc").Dot("Redact").Call(pathLit(p))
			}
			b.Id("doc").Dot("RedactKeys").Call(jen.Id("successSecretKeys").Op("..."))
		}
		b.List(jen.Id("items"), jen.Id("err")).Op(":=").Id("doc").Dot("Items").Call(append([]jen.Code{jen.Id("truncated")}, pathLits(w.Paths)...)...)
		b.Id("out").Op(":=").Make(jen.Index().Id(model.WarningType), jen.Lit(0), jen.Len(jen.Id("items")))
		b.For(jen.List(jen.Id("_"), jen.Id("it")).Op(":=").Range().Id("items")).BlockFunc(func(lb *jen.Group) {
			lb.Var().Id("w").Id(model.WarningType)
			lb.If(jen.Id("it").Dot("IsObject")).Block(
				jen.Id("w").Dot("read").Call(jen.Id("it").Dot("Doc")),
			).Else().Block(
				jen.Id("w").Dot("Message").Op("=").Id("it").Dot("Text"),
			)
			if secrets {
				lb.Id("w").Dot("scrub").Call(jen.Id("doc"))
			}
			lb.Id("out").Op("=").Append(jen.Id("out"), jen.Id("w"))
		})
		b.Return(jen.Id("out"), jen.Id("err"))
	})
	f.Line()
	f.Comment("// read fills w from an object item of the warnings list.")
	f.Func().Params(jen.Id("w").Op("*").Id(model.WarningType)).Id("read").Params(jen.Id("doc").Qual(implPath, "Doc")).BlockFunc(func(b *jen.Group) {
		for _, fl := range w.Fields {
			target := jen.Id("w").Dot(fl.GoName)
			read := fl
			switch fl.Role {
			case model.RoleCode:
				target = jen.Id("w").Dot("Code")
				read = &model.Field{Paths: fl.Paths, Type: model.TypeString}
			case model.RoleMessage:
				target = jen.Id("w").Dot("Message")
			}
			g.assign(b, jen.Id("doc"), read, target)
		}
	})
	f.Line()
	if secrets {
		g.warningScrub(f)
	}
}

// warningScrub writes Warning.scrub: the values of the secrets the body
// held replaced in every text of the warning but its secret fields.
func (g *gen) warningScrub(f *jen.File) {
	f.Comment("// scrub replaces, in every text of w but its secret fields, the values of")
	f.Comment("// the secrets the body held (see errcatimpl.Doc.Scrub).")
	f.Func().Params(jen.Id("w").Op("*").Id(model.WarningType)).Id("scrub").Params(jen.Id("doc").Qual(implPath, "Doc")).BlockFunc(func(b *jen.Group) {
		for _, name := range []string{"Code", "Message"} {
			b.Id("w").Dot(name).Op("=").Id("doc").Dot("Scrub").Call(jen.Id("w").Dot(name))
		}
		for _, fl := range g.c.Warnings.Fields {
			if fl.Role != model.RoleNone {
				continue
			}
			v := jen.Id("w").Dot(fl.GoName)
			switch fl.Type {
			case model.TypeString, model.TypeObject, model.TypeAny:
				b.Add(scrubValue(v, fl.Type))
			}
		}
	})
	f.Line()
}

// successExamples writes ExampleWarnings and ExampleBatchErrors into the
// package's example_test.go, from the sections' examples: the calls, and
// output that prints no catalog text (counts, indexes, statuses), worked
// out with model.EvaluateWarnings and model.EvaluateBatch.
func (g *gen) successExamples(f *jen.File, q func(string) *jen.Statement) {
	if w := g.c.Warnings; w != nil && w.Example != "" {
		out, _ := model.EvaluateWarnings(g.c, []byte(w.Example))
		f.Comment("// This example reads the warnings of a success body; the response")
		f.Comment("// itself is no error.")
		f.Func().Id("ExampleWarnings").Params().BlockFunc(func(b *jen.Group) {
			b.Id("body").Op(":=").Index().Byte().Call(bodyLit(w.Example))
			b.Id("status").Op(":=").Lit(model.FirstStatus(w.Statuses))
			b.List(jen.Id("warnings"), jen.Id("err")).Op(":=").Add(q(model.ParseWarningsFunc)).Call(jen.Id("status"), jen.Nil(), jen.Id("body"))
			b.Qual("fmt", "Println").Call(jen.Len(jen.Id("warnings")), jen.Id("err"), q("Parse").Call(jen.Id("status"), jen.Nil(), jen.Id("body")).Op("==").Nil())
			b.Comment("// Output:")
			b.Comment(fmt.Sprintf("// %d <nil> true", len(out)))
		})
		f.Line()
	}
	if bt := g.c.Batch; bt != nil && bt.Example != "" {
		out, _, _ := model.EvaluateBatch(g.c, []byte(bt.Example), time.Now())
		f.Comment("// This example reads the failed items of a batch response: each is the")
		f.Comment("// package's typed *Error, which the matchers and errors.As see.")
		f.Func().Id("ExampleBatchErrors").Params().BlockFunc(func(b *jen.Group) {
			b.Id("body").Op(":=").Index().Byte().Call(bodyLit(bt.Example))
			b.List(jen.Id("items"), jen.Id("err")).Op(":=").Add(q(model.ParseBatchErrorsFunc)).Call(jen.Lit(model.FirstStatus(bt.Statuses)), jen.Nil(), jen.Id("body"))
			b.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return())
			b.For(jen.List(jen.Id("_"), jen.Id("it")).Op(":=").Range().Id("items")).Block(
				jen.Var().Id("e").Op("*").Add(q("Error")),
				jen.If(jen.Qual("errors", "As").Call(jen.Id("it"), jen.Op("&").Id("e"))).Block(
					jen.Qual("fmt", "Println").Call(jen.Id("it").Dot("Index"), jen.Id("e").Dot("HTTPStatus").Call(), jen.Id("e").Dot("ErrorCode").Call().Op("!=").Lit("")),
				),
			)
			b.Comment("// Output:")
			for _, o := range out {
				b.Comment(fmt.Sprintf("// %d %d %t", o.Index, o.Status, o.HasCode))
			}
		})
		f.Line()
	}
}
