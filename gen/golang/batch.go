package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/gen/model"
)

func (g *gen) itemErrorType(f *jen.File) {
	vendor := withArticle(oneLine(g.c.Vendor.Name))
	text := fmt.Sprintf("ItemError is the error of one failed item of %s batch response: BatchErrors and ParseBatchErrors return one per item whose status or body reports an error. It wraps the item's typed *Error (Unwrap), so errors.Is and errors.As, the matchers and apierr.KindOf, ActionOf, IsRetryable and RetryDelay see the item's error.", vendor)
	if d := g.c.Batch.Description; d != "" {
		text += " " + d
	}
	comment(f.Group, text)
	f.Type().Id(model.ItemErrorType).Struct(
		jen.Comment("// Index is the item's position in the batch's list, from 0."),
		jen.Id("Index").Int(),
		jen.Comment("// ID is the item's id as text, or \"\" when the item has none."),
		jen.Id("ID").String(),
		jen.Comment("// Err is the item's error, parsed as FromResponse parses a response with"),
		jen.Comment("// the item's status, headers and body."),
		jen.Id("Err").Op("*").Id("Error"),
	)
	f.Line()
	f.Comment("// Error returns one line: the item's index, its id if any and its error.")
	f.Func().Params(jen.Id("e").Op("*").Id(model.ItemErrorType)).Id("Error").Params().String().BlockFunc(func(b *jen.Group) {
		b.If(jen.Id("e").Dot("Err").Op("==").Nil()).Block(jen.Return(jen.Qual(implPath, "ItemLine").Call(jen.Id("e").Dot("Index"), jen.Id("e").Dot("ID"), jen.Nil())))
		b.Return(jen.Qual(implPath, "ItemLine").Call(jen.Id("e").Dot("Index"), jen.Id("e").Dot("ID"), jen.Id("e").Dot("Err")))
	})
	f.Line()
	f.Comment("// Unwrap returns the item's *Error.")
	f.Func().Params(jen.Id("e").Op("*").Id(model.ItemErrorType)).Id("Unwrap").Params().Error().BlockFunc(func(b *jen.Group) {
		b.If(jen.Id("e").Dot("Err").Op("==").Nil()).Block(jen.Return(jen.Nil()))
		b.Return(jen.Id("e").Dot("Err"))
	})
	f.Line()
	f.Comment("// GoString makes %#v print the item error's one line rather than its fields.")
	f.Func().Params(jen.Id("e").Op("*").Id(model.ItemErrorType)).Id("GoString").Params().String().Block(
		jen.Return(jen.Lit("&"+g.c.Vendor.Package+"."+model.ItemErrorType+"{").Op("+").Qual(strconvPth, "Quote").Call(jen.Id("e").Dot("Error").Call()).Op("+").Lit("}")),
	)
	f.Line()
	f.Comment("// LogValue makes slog print the item's index, its id and its error's facts.")
	f.Func().Params(jen.Id("e").Op("*").Id(model.ItemErrorType)).Id("LogValue").Params().Qual(slogPath, "Value").BlockFunc(func(b *jen.Group) {
		b.Id("attrs").Op(":=").Index().Qual(slogPath, "Attr").Values(jen.Qual(slogPath, "Int").Call(jen.Lit("index"), jen.Id("e").Dot("Index")))
		b.If(jen.Id("e").Dot("ID").Op("!=").Lit("")).Block(jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "String").Call(jen.Lit("id"), jen.Qual(implPath, "OneLine").Call(jen.Id("e").Dot("ID"), jen.Lit(100)))))
		b.If(jen.Id("e").Dot("Err").Op("!=").Nil()).Block(jen.Id("attrs").Op("=").Append(jen.Id("attrs"), jen.Qual(slogPath, "Any").Call(jen.Lit("error"), jen.Id("e").Dot("Err").Dot("LogValue").Call())))
		b.Return(jen.Qual(slogPath, "GroupValue").Call(jen.Id("attrs").Op("...")))
	})
	f.Line()
}

func (g *gen) batchFuncs(f *jen.File) {
	bt := g.c.Batch
	vendor := withArticle(oneLine(g.c.Vendor.Name))
	result := []jen.Code{jen.Index().Op("*").Id(model.ItemErrorType), jen.Error()}
	comment(f.Group, fmt.Sprintf("BatchErrors returns the errors of the failed items of %s batch response, in body order: each item's status, headers and body are parsed as FromResponse parses a response, and an item that parses as a success yields none. A response of another status, or whose Content-Type is not one JSON document, gives none (FromResponse reports the response's own error; it returns nil for a batch whatever its items say, so an apierr.Transport never retries one). It reads at most apierr.DefaultMaxSuccessBodyBytes of the body, waiting at most apierr.DefaultBodyWait for it, and leaves resp.Body readable from the start. At most apierr.MaxItems items are read; past them the error is apierr.ErrTooManyItems, and for a body cut short apierr.ErrBodyTruncated, each with the errors found. A nil resp gives apierr.ErrNilResponse. It never panics, whatever the body.", vendor))
	f.Func().Id(model.BatchErrorsFunc).Params(jen.Id("resp").Op("*").Qual(httpPath, "Response")).Params(result...).Block(
		jen.If(jen.Id("resp").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Qual(apierrPath, "ErrNilResponse"))),
		jen.If(jen.Id("status").Op(":=").Id("resp").Dot("StatusCode"), jen.Op("!").Add(successAppliesExpr(bt.Statuses)).Op("||").Op("!").Qual(implPath, "MayHoldJSON").Call(jen.Id("resp").Dot("Header"))).Block(jen.Return(jen.Nil(), jen.Nil())),
		jen.List(jen.Id("body"), jen.Id("truncated")).Op(":=").Qual(implPath, "InspectBody").Call(jen.Id("resp"), jen.Qual(apierrPath, "DefaultMaxSuccessBodyBytes")),
		jen.Return(jen.Id("parseBatch").Call(jen.Id("body"), jen.Id("truncated"), jen.Qual(apierrPath, "Now").Call(jen.Id("resp")))),
	)
	f.Line()
	comment(f.Group, "ParseBatchErrors is BatchErrors for callers that already hold the status, the headers and the body bytes (decompressed here if the headers say gzip or deflate, to at most apierr.DefaultMaxSuccessBodyBytes); delays are measured from time.Now.")
	f.Func().Id(model.ParseBatchErrorsFunc).Params(jen.Id("status").Int(), jen.Id("header").Qual(httpPath, "Header"), jen.Id("body").Index().Byte()).Params(result...).Block(
		jen.If(jen.Op("!").Add(successAppliesExpr(bt.Statuses)).Op("||").Op("!").Qual(implPath, "MayHoldJSON").Call(jen.Id("header"))).Block(jen.Return(jen.Nil(), jen.Nil())),
		jen.List(jen.Id("body"), jen.Id("truncated")).Op(":=").Qual(implPath, "DecodeContent").Call(jen.Id("header"), jen.Id("body"), jen.Qual(apierrPath, "DefaultMaxSuccessBodyBytes")),
		jen.Return(jen.Id("parseBatch").Call(jen.Id("body"), jen.Id("truncated"), jen.Qual(timePath, "Now").Call())),
	)
	f.Line()
}

func (g *gen) batchParser(f *jen.File) {
	bt := g.c.Batch
	f.Comment("// batchShape is where a batch body lists its items and where each item")
	f.Comment("// holds its status, body, id and headers.")
	f.Var().Id("batchShape").Op("=").Qual(implPath, "BatchShape").Values(jen.DictFunc(func(d jen.Dict) {
		for _, k := range []struct {
			name  string
			paths []model.Path
		}{{"List", bt.Paths}, {"Status", bt.Status}, {"Body", bt.Body}, {"ID", bt.ID}, {"Header", bt.Headers}} {
			if len(k.paths) > 0 {
				d[jen.Id(k.name)] = jen.Index().Qual(implPath, "Path").ValuesFunc(func(v *jen.Group) {
					for _, p := range k.paths {
						v.ValuesFunc(pathSteps(p))
					}
				})
			}
		}
	}))
	f.Line()
	secrets := len(g.successSecretKeys()) > 0
	f.Comment("// parseBatch parses the failed items of a batch body with parse. The body's")
	f.Comment("// secrets are redacted before its items are read, and their values")
	f.Comment("// scrubbed from every item before it is parsed.")
	f.Func().Id("parseBatch").Params(jen.Id("body").Index().Byte(), jen.Id("truncated").Bool(), jen.Id("now").Qual(timePath, "Time")).Params(jen.Index().Op("*").Id(model.ItemErrorType), jen.Error()).BlockFunc(func(b *jen.Group) {
		decodeSuccess(b)
		if secrets {
			b.Id("doc").Dot("RedactKeys").Call(jen.Id("successSecretKeys").Op("..."))
		}
		b.List(jen.Id("items"), jen.Id("err")).Op(":=").Id("batchShape").Dot("Items").Call(jen.Id("doc"), jen.Id("truncated"))
		b.Var().Id("out").Index().Op("*").Id(model.ItemErrorType)
		b.For(jen.List(jen.Id("_"), jen.Id("it")).Op(":=").Range().Id("items")).BlockFunc(func(lb *jen.Group) {
			if secrets {
				lb.Id("doc").Dot("ScrubItem").Call(jen.Op("&").Id("it"))
			}
			lb.Id("e").Op(":=").Id("parse").Call(jen.Id("it").Dot("Status"), jen.Id("it").Dot("Header"), jen.Id("it").Dot("Body"), jen.False(), jen.Id("now"))
			lb.If(jen.Id("e").Op("==").Nil()).Block(jen.Continue())
			lb.Id("out").Op("=").Append(jen.Id("out"), jen.Op("&").Id(model.ItemErrorType).Values(jen.Dict{
				jen.Id("Index"): jen.Id("it").Dot("Index"),
				jen.Id("ID"):    jen.Id("it").Dot("ID"),
				jen.Id("Err"):   jen.Id("e"),
			}))
		})
		b.Return(jen.Id("out"), jen.Id("err"))
	})
	f.Line()
}
