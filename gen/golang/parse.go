package golang

import (
	"fmt"
	"slices"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/gen/model"
)

// entryPoints writes FromResponse, FromResponseLimit, mayReportError (for
// catalogs whose formats report errors inside successes) and Parse.
func (g *gen) entryPoints(f *jen.File) {
	c := g.c
	vendor := oneLine(c.Vendor.Name)
	hasSuccessFormats := c.SuccessErrors()

	comment(f.Group, fmt.Sprintf("FromResponse returns nil for %s success response and the typed *Error otherwise. It reads at most apierr.DefaultMaxBodyBytes of the body, waiting at most apierr.DefaultBodyWait for it, decompressing a gzip or deflate body for the inspection only, and leaves resp.Body readable from the start, so the caller can still read and must still close it. A response that came through an apierr.Transport with this package's Policy is not parsed again: the error its policy made is returned. It never panics, whatever the body.", withArticle(vendor)))
	f.Func().Id("FromResponse").Params(jen.Id("resp").Op("*").Qual(httpPath, "Response")).Error().Block(
		jen.Return(jen.Id("FromResponseLimit").Call(jen.Id("resp"), jen.Qual(apierrPath, "DefaultMaxBodyBytes"))),
	)
	f.Line()
	comment(f.Group, "FromResponseLimit is FromResponse reading at most limit bytes of the body (apierr.DefaultMaxBodyBytes if limit is not positive).")
	f.Func().Id("FromResponseLimit").Params(jen.Id("resp").Op("*").Qual(httpPath, "Response"), jen.Id("limit").Int64()).Error().BlockFunc(func(b *jen.Group) {
		b.If(jen.Id("resp").Op("==").Nil()).Block(jen.Return(jen.Qual(apierrPath, "ErrNilResponse")))
		b.Id("status").Op(":=").Id("resp").Dot("StatusCode")
		skip := jen.Id("status").Op(">=").Lit(100).Op("&&").Id("status").Op("<").Lit(400)
		if hasSuccessFormats {
			skip = skip.Op("&&").Op("!").Parens(jen.Id("mayReportError").Call(jen.Id("status")).Op("&&").Qual(implPath, "MayHoldJSON").Call(jen.Id("resp").Dot("Header")))
			b.Comment("// A success is read only where a body format may report an error in it")
			b.Comment("// and the body may be JSON; otherwise it costs no read and no allocation.")
		} else {
			b.Comment("// A success is not read at all: the fast path costs no allocation.")
		}
		b.If(skip).Block(jen.Return(jen.Nil()))
		b.Comment("// Through an apierr.Transport, its policy already parsed the response.")
		b.If(jen.Id("limit").Op("<=").Lit(0).Op("||").Id("limit").Op("==").Qual(apierrPath, "DefaultMaxBodyBytes")).Block(
			jen.If(jen.List(jen.Id("e"), jen.Id("ok")).Op(":=").Qual(implPath, "Classified").Types(jen.Op("*").Id("Error")).Call(jen.Id("resp")), jen.Id("ok")).Block(jen.Return(jen.Id("e"))),
		)
		b.Comment("// A body cut by the limit, a read error or the wait is decoded as far as it")
		b.Comment("// goes; a compressed one is decompressed for the inspection only.")
		b.List(jen.Id("body"), jen.Id("truncated")).Op(":=").Qual(implPath, "InspectBody").Call(jen.Id("resp"), jen.Id("limit"))
		b.If(jen.Id("e").Op(":=").Id("parse").Call(jen.Id("status"), jen.Id("resp").Dot("Header"), jen.Id("body"), jen.Id("truncated"), jen.Qual(apierrPath, "Now").Call(jen.Id("resp"))), jen.Id("e").Op("!=").Nil()).Block(jen.Return(jen.Id("e")))
		b.Return(jen.Nil())
	})
	f.Line()
	if hasSuccessFormats {
		g.mayReportError(f)
	}

	comment(f.Group, "Parse is FromResponse for callers that already hold the status, the headers and the body bytes (decompressed here if the headers say gzip or deflate). It returns nil for a success and the typed *Error otherwise; delays are measured from time.Now.")
	f.Func().Id("Parse").Params(jen.Id("status").Int(), jen.Id("header").Qual(httpPath, "Header"), jen.Id("body").Index().Byte()).Error().Block(
		jen.List(jen.Id("body"), jen.Id("truncated")).Op(":=").Qual(implPath, "DecodeContent").Call(jen.Id("header"), jen.Id("body"), jen.Lit(0)),
		jen.If(jen.Id("e").Op(":=").Id("parse").Call(jen.Id("status"), jen.Id("header"), jen.Id("body"), jen.Id("truncated"), jen.Qual(timePath, "Now").Call()), jen.Id("e").Op("!=").Nil()).Block(jen.Return(jen.Id("e"))),
		jen.Return(jen.Nil()),
	)
	f.Line()
}

// mayReportError writes the test of the non-error statuses at which a body
// format (with error_when) may report an error.
func (g *gen) mayReportError(f *jen.File) {
	c := g.c
	f.Comment("// mayReportError reports whether a body format can report an error in a")
	f.Comment("// response with this non-error status.")
	f.Func().Id("mayReportError").Params(jen.Id("status").Int()).Bool().BlockFunc(func(b *jen.Group) {
		// Each status once: formats that share a status would
		// otherwise repeat its test, which go vet reports.
		var cond *jen.Statement
		or := func(e *jen.Statement) {
			if cond == nil {
				cond = e
			} else {
				cond = cond.Op("||").Add(e)
			}
		}
		seen := map[model.StatusMatch]bool{}
		anyError := false
		for _, body := range c.Bodies {
			if body.ErrorWhen == nil {
				continue
			}
			if len(body.Statuses) == 0 {
				if !anyError {
					anyError = true
					or(appliesExpr(body))
				}
				continue
			}
			for _, m := range body.Statuses {
				if !seen[m] {
					seen[m] = true
					or(statusExpr(m))
				}
			}
		}
		b.Return(cond)
	})
	f.Line()
}

// parseFunc writes parse: decode, pick the format, scrub, headers, delay
// and action override.
func (g *gen) parseFunc(f *jen.File) {
	c := g.c
	f.Comment("// parse picks the first body format that fits the status and the body,")
	f.Comment("// in catalog order, and fills an *Error from it; nil means success. A body")
	f.Comment("// cut short by the read limit (truncated) is decoded as far as it goes, so")
	f.Comment("// a code near the start of a huge body is still found. Server delays are")
	f.Comment("// measured from now.")
	f.Func().Id("parse").Params(jen.Id("status").Int(), jen.Id("header").Qual(httpPath, "Header"), jen.Id("body").Index().Byte(), jen.Id("truncated").Bool(), jen.Id("now").Qual(timePath, "Time")).Op("*").Id("Error").BlockFunc(func(b *jen.Group) {
		// One allocation holds the Error and the slice header its raw
		// pointer points at (&body would be a second one).
		b.Comment("// e and the header of its raw body share one allocation.")
		b.Id("box").Op(":=").Op("&").Struct(jen.Id("e").Id("Error"), jen.Id("raw").Index().Byte()).Values(
			jen.Id("Error").Values(jen.Id("Status").Op(":").Id("Status").Call(jen.Id("status")), jen.Id("Truncated").Op(":").Id("truncated")),
			jen.Id("body"),
		)
		b.Id("e").Op(":=").Op("&").Id("box").Dot("e")
		b.Id("e").Dot("raw").Op("=").Op("&").Id("box").Dot("raw")
		needJSON := g.needJSON()
		if needJSON {
			decode := "DecodeObject"
			switch {
			case c.ReadsArrays():
				decode = "DecodeJSON" // a path starts at a top-level array
			case len(g.secretPaths()) == 0 && len(g.secretKeys()) == 0:
				decode = "DecodeObjectNoSecrets" // nothing to scrub: no list of secret values
			}
			b.List(jen.Id("doc"), jen.Id("isJSON")).Op(":=").Qual(implPath, decode).Call(jen.Id("body"))
			b.If(jen.Op("!").Id("isJSON").Op("&&").Id("truncated")).Block(
				jen.List(jen.Id("doc"), jen.Id("isJSON")).Op("=").Qual(implPath, "DecodeObjectPrefix").Call(jen.Id("body")),
			)
		}
		if g.c.HasContent(model.ContentXML) {
			b.List(jen.Id("xdoc"), jen.Id("isXML")).Op(":=").Qual(implPath, "DecodeXML").Call(jen.Id("body"), jen.Id("truncated"))
		}
		g.formatSwitch(b)
		if needJSON && len(g.secretKeys()) > 0 {
			b.Id("e").Dot("scrub").Call(jen.Id("doc"))
		}
		if len(c.Headers) > 0 {
			for _, h := range c.Headers {
				val := jen.Id("header").Dot("Get").Call(jen.Lit(h.Header))
				if h.Sensitive {
					val = jen.Qual(apierrPath, "Secret").Call(val)
				}
				b.Id("e").Dot(h.GoName).Op("=").Add(val)
			}
		}
		if len(c.Retry.Delays) > 0 || c.HasDelayBounds() {
			b.Id("e").Dot("findDelay").Call(jen.Id("header"), jen.Id("now"))
		}
		if o := c.Retry.Override; o != nil {
			b.Switch(jen.Id("header").Dot("Get").Call(jen.Lit(o.Header))).BlockFunc(func(sw *jen.Group) {
				for _, v := range o.Values {
					sw.Case(jen.Lit(v.Value)).Block(overrideCase(v)...)
				}
			})
		}
		b.Return(jen.Id("e"))
	})
	f.Line()
}

// formatSwitch writes parse's choice of body format: the first, in
// catalog order, that fits the status and the body; else the body's text.
func (g *gen) formatSwitch(b *jen.Group) {
	c := g.c
	b.Switch().BlockFunc(func(sw *jen.Group) {
		for _, body := range c.Bodies {
			sw.Case(g.fitsExpr(body)).BlockFunc(func(cb *jen.Group) {
				cb.Id("e").Dot("Format").Op("=").Lit(body.Name)
				doc := "doc"
				if body.Content == model.ContentXML {
					doc = "xdoc"
					if len(g.secretKeys()) > 0 {
						// scrub reads the secrets of the document read.
						cb.Id("doc").Op("=").Id("xdoc")
						doc = "doc"
					}
				}
				if body.Content == model.ContentText {
					cb.Id("e").Dot("Message").Op("=").Add(g.textMessage())
				} else {
					args := []jen.Code{jen.Id(doc)}
					if g.bodyNeedsNow(body) {
						args = append(args, jen.Id("now"))
					}
					cb.Id("e").Dot("parse" + body.GoName).Call(args...)
				}
			})
		}
		sw.Case(jen.Id("status").Op(">=").Lit(100).Op("&&").Id("status").Op("<").Lit(400)).Block(jen.Return(jen.Nil()))
		sw.Default().Block(
			jen.Comment("// No documented format fits: keep the body's text as the message."),
			jen.Id("e").Dot("Message").Op("=").Add(g.textMessage()),
		)
	})
}

// fitsExpr is the condition under which parse picks body: its statuses,
// media types, content and shape (when) fit, and error_when for a
// non-error status, as model.Body.fits decides.
func (g *gen) fitsExpr(body *model.Body) *jen.Statement {
	cond := appliesExpr(body)
	if len(body.MediaTypes) > 0 {
		args := []jen.Code{jen.Id("header")}
		for _, t := range body.MediaTypes {
			args = append(args, jen.Lit(t))
		}
		cond = cond.Op("&&").Qual(implPath, "MediaTypeIn").Call(args...)
	}
	switch body.Content {
	case model.ContentXML:
		cond = cond.Op("&&").Id("isXML")
		if body.When != nil {
			cond = cond.Op("&&").Add(conditionExpr("xdoc", body.When))
		}
	case model.ContentJSON:
		cond = cond.Op("&&").Id("isJSON")
		if body.When != nil {
			cond = cond.Op("&&").Add(conditionExpr("doc", body.When))
		}
		// error_when decides only for non-error statuses, and only
		// for bodies that may be JSON, as FromResponse reads them.
		mayJSON := jen.Qual(implPath, "MayHoldJSON").Call(jen.Id("header"))
		switch {
		case body.ErrorWhen != nil && onlySuccess(body):
			cond = cond.Op("&&").Add(mayJSON).Op("&&").Add(conditionExpr("doc", body.ErrorWhen))
		case body.ErrorWhen != nil:
			cond = cond.Op("&&").Parens(jen.Id("status").Op(">=").Lit(400).Op("||").Add(mayJSON).Op("&&").Add(conditionExpr("doc", body.ErrorWhen)))
		}
	}
	return cond
}

// needJSON reports whether parse decodes the body as JSON: for a JSON
// format, and in a catalog with secrets for an XML format too (its secrets
// are scrubbed through the same doc variable, and the text fallback
// re-encodes a JSON body with them redacted). A catalog whose only
// structured formats are XML and that has no secrets decodes no JSON.
func (g *gen) needJSON() bool {
	if len(g.secretKeys()) > 0 && g.c.HasContent(model.ContentXML) {
		return true
	}
	return g.c.HasContent(model.ContentJSON)
}

func (g *gen) parseFile(f *jen.File) {
	c := g.c
	vendor := oneLine(c.Vendor.Name)
	g.entryPoints(f)
	g.parseFunc(f)
	for i, body := range c.Bodies {
		if !body.Content.Structured() {
			continue
		}
		g.bodyParser(f, i, body)
	}
	if paths, keys := g.secretPaths(), g.secretKeys(); len(keys) > 0 {
		f.Comment("// secretPaths are the paths the catalog marks secret; secretKeys are their")
		f.Comment("// last keys and those of list items' secret fields, redacted wherever a body")
		f.Comment("// holds them (see errcatimpl.Doc.RedactKeys).")
		f.Var().Defs(
			jen.Id("secretPaths").Op("=").Index().Qual(implPath, "Path").ValuesFunc(func(v *jen.Group) {
				for _, p := range paths {
					v.Line().ValuesFunc(pathSteps(p))
				}
				v.Line()
			}),
			jen.Id("secretKeys").Op("=").Index().String().ValuesFunc(func(v *jen.Group) {
				for _, k := range keys {
					v.Lit(k)
				}
			}),
		)
		f.Line()
	}
	if needsScrub := len(g.secretKeys()) > 0 && g.needJSON(); needsScrub {
		g.scrub(f)
	}
	switch {
	case c.DelayRules():
		g.findDelayV2(f)
	case len(c.Retry.Delays) > 0:
		g.findDelay(f)
	}

	comment(f.Group, fmt.Sprintf("Policy returns %s's retry policy for apierr.NewTransport: responses are classified by FromResponse, and the actions the catalog gives decide what is retried.", vendor))
	f.Func().Id("Policy").Params().Qual(apierrPath, "Policy").Block(
		jen.Return(jen.Qual(apierrPath, "Policy").Values(g.policyFields())),
	)
}

// policyFields are the fields of the generated Policy: the classifier, the
// idempotency key header, the body's idempotency key (format v2, only when
// the catalog names one) and the documented rate limits.
func (g *gen) policyFields() jen.Dict {
	c := g.c
	d := jen.Dict{
		jen.Id("Vendor"):               jen.Id("Vendor"),
		jen.Id("Classify"):             jen.Id("FromResponse"),
		jen.Id("IdempotencyKeyHeader"): jen.Lit(c.Retry.IdempotencyKeyHeader),
	}
	if p := c.Retry.IdempotencyKeyField; len(p) > 0 {
		keys := make([]jen.Code, len(p))
		for i, seg := range p {
			keys[i] = jen.Lit(seg.Key)
		}
		d[jen.Id("IdempotencyKeyField")] = jen.Index().String().Values(keys...)
	}
	if len(c.Retry.RateLimits) == 0 {
		return d
	}
	var items []jen.Code
	for _, l := range c.Retry.RateLimits {
		unit, n := l.Period.TimeUnit()
		per := jen.Qual("time", unit)
		if n != 1 {
			per = jen.Lit(n).Op("*").Qual("time", unit)
		}
		item := jen.Dict{
			jen.Id("Scope"):    jen.Qual(apierrPath, l.ScopeGoName()),
			jen.Id("Requests"): jen.Lit(l.Requests),
			jen.Id("Per"):      per,
		}
		if l.Method != "" {
			item[jen.Id("Method")] = jen.Lit(l.Method)
		}
		if l.Path != "" {
			item[jen.Id("Path")] = jen.Lit(l.Path)
		}
		items = append(items, jen.Values(item))
	}
	d[jen.Id("RateLimits")] = jen.Index().Qual(apierrPath, "RateLimit").Values(items...)
	return d
}

// onlySuccess reports whether every status the format lists is below 400.
func onlySuccess(b *model.Body) bool {
	if len(b.Statuses) == 0 {
		return false
	}
	for _, m := range b.Statuses {
		if m.Code >= 400 {
			return false
		}
	}
	return true
}

// secretPaths are every path a body format marks sensitive or reads into a
// secret field, in catalog order without repeats.
func (g *gen) secretPaths() []model.Path {
	var out []model.Path
	seen := map[string]bool{}
	add := func(p model.Path) {
		if k := p.String(); !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	for _, b := range g.c.Bodies {
		for _, p := range b.Sensitive {
			add(p)
		}
		for _, f := range b.Fields {
			if f.Type == model.TypeSecret {
				for _, p := range f.Paths {
					add(p)
				}
			}
		}
	}
	return out
}

// secretKeys are the last object keys of the secret paths and of the
// secret fields of list items (whose paths are relative to an item), in
// catalog order without repeats.
func (g *gen) secretKeys() []string {
	var keys []string
	add := func(p model.Path) {
		if k, ok := p.LastKey(); ok && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, p := range g.secretPaths() {
		add(p)
	}
	for _, b := range g.c.Bodies {
		for _, f := range b.Fields {
			if f.Item == nil {
				continue
			}
			for _, it := range f.Item.Fields {
				if it.Type == model.TypeSecret {
					for _, p := range it.Paths {
						add(p)
					}
				}
			}
		}
	}
	return keys
}

// textMessage is the expression for a body's text as the Error's message:
// scrubbed of secrets where the catalog has any.
func (g *gen) textMessage() *jen.Statement {
	if len(g.secretKeys()) > 0 {
		// Secrets come only from JSON formats, so parse has decoded doc.
		return jen.Qual(implPath, "ScrubbedText").Call(jen.Id("doc"), jen.Id("isJSON"), jen.Id("body"), jen.Id("secretPaths"), jen.Id("secretKeys"))
	}
	return jen.Qual(implPath, "Text").Call(jen.Id("body"))
}

// conditionExpr tests c on the document named doc.
func conditionExpr(doc string, c *model.Condition) *jen.Statement {
	switch {
	case c.NonEmpty:
		return jen.Id(doc).Dot("NonEmpty").Call(pathLit(c.Path))
	case c.Present:
		return jen.Id(doc).Dot("Present").Call(pathLit(c.Path))
	}
	return jen.Id(doc).Dot("Equals").Call(pathLit(c.Path), jen.Lit(c.Equals))
}

// delaySourceIndex returns the index in retry.delays of the source reading
// field, or -1.
func (g *gen) delaySourceIndex(f *model.Field) int {
	for i, d := range g.c.Retry.Delays {
		if d.Field != nil && d.Field.GoName == f.GoName {
			return i
		}
	}
	return -1
}

// bodyNeedsNow reports whether body carries a delay measured from now (an
// HTTP-date or an epoch reset time), so that its parser takes now.
func (g *gen) bodyNeedsNow(body *model.Body) bool {
	for _, fl := range body.Fields {
		if i := g.delaySourceIndex(fl); i >= 0 && fl.Role == model.RoleNone && g.c.Retry.Delays[i].Parser().Now {
			return true
		}
	}
	return false
}

// delayCall is the call that parses val as the source's model.DelayParser
// says; fieldType is the type of val when it is a body field's.
func delayCall(p model.DelayParser, val *jen.Statement, fieldType model.FieldType) jen.Code {
	args := []jen.Code{val}
	switch {
	case p.Number:
		args[0] = jen.Float64().Call(val)
	case p.Format && fieldType == model.TypeInteger:
		args[0] = jen.Qual(strconvPth, "FormatInt").Call(val, jen.Lit(10))
	case p.Format && fieldType == model.TypeNumber:
		args[0] = jen.Qual(strconvPth, "FormatFloat").Call(val, jen.LitByte('f'), jen.Lit(-1), jen.Lit(64))
	}
	switch p.Unit {
	case time.Second:
		args = append(args, jen.Qual(timePath, "Second"))
	case time.Millisecond:
		args = append(args, jen.Qual(timePath, "Millisecond"))
	}
	if p.Now {
		args = append(args, jen.Id("now"))
	}
	if p.InAPIErr() {
		return jen.Qual(apierrPath, p.Func).Call(args...)
	}
	return jen.Qual(implPath, p.Func).Call(args...)
}

func (g *gen) bodyParser(f *jen.File, _ int, body *model.Body) {
	params := []jen.Code{jen.Id("doc").Qual(implPath, "Doc")}
	what := fmt.Sprintf("parse%s fills e from a body of the %q format.", body.GoName, body.Name)
	if g.bodyNeedsNow(body) {
		params = append(params, jen.Id("now").Qual(timePath, "Time"))
		what += " Delays it carries are measured from now."
	}
	comment(f.Group, what)
	f.Func().Params(jen.Id("e").Op("*").Id("Error")).Id("parse" + body.GoName).Params(params...).BlockFunc(func(b *jen.Group) {
		for _, p := range body.Sensitive {
			b.Id("doc").Dot("Redact").Call(pathLit(p))
		}
		if len(g.secretKeys()) > 0 {
			// Redacted before any field is read: a secret echoed at an
			// undocumented place uses the same name there, and no field,
			// typed or free-form, may carry it. Secret fields read
			// redacted values through Doc.Secret.
			b.Id("doc").Dot("RedactKeys").Call(jen.Id("secretKeys").Op("..."))
		}
		for _, fl := range body.Fields {
			var target *jen.Statement
			switch fl.Role {
			case model.RoleCode:
				b.Add(g.codeAssign(body, fl))
				continue
			case model.RoleSubcode:
				id := fl.Set.Idents
				b.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Add(g.readExpr(jen.Id("doc"), fl)), jen.Id("ok")).Block(
					jen.List(jen.Id("e").Dot(id.Field), jen.Id("e").Dot(id.Has)).Op("=").List(jen.Id(id.Type).Call(jen.Id("v")), jen.True()),
				)
				continue
			case model.RoleMessage:
				target = jen.Id("e").Dot("Message")
			default:
				target = jen.Id("e").Dot(fl.GoName)
			}
			if fl.Type == model.TypeList {
				g.assignList(b, fl, target)
				continue
			}
			var extra []jen.Code
			if i := g.delaySourceIndex(fl); i >= 0 && fl.Role == model.RoleNone {
				extra = append(extra, g.bodyDelay(fl, i))
			}
			g.assign(b, jen.Id("doc"), fl, target, extra...)
		}
		g.costDelays(b, body)
	})
	f.Line()
}

// assignList fills the list field fl: the items of a list of scalars, or
// one item per value its path selects, each with its fields.
func (g *gen) assignList(b *jen.Group, fl *model.Field, target *jen.Statement) {
	if fl.ScalarList() {
		b.Add(target).Op("=").Id("doc").Dot(scalarListMethod(fl.Elem)).Call(pathLits(fl.Paths)...)
		return
	}
	method := "List"
	if slices.ContainsFunc(fl.Item.Fields, func(it *model.Field) bool { return it.From == model.FromValue }) {
		method = "Values" // items may be scalars
	}
	b.For(jen.List(jen.Id("_"), jen.Id("it")).Op(":=").Range().Id("doc").Dot(method).Call(pathLits(fl.Paths)...)).BlockFunc(func(lb *jen.Group) {
		lb.Var().Id("x").Id(fl.Item.GoName)
		for _, it := range fl.Item.Fields {
			switch {
			case it.ScalarList():
				lb.Id("x").Dot(it.GoName).Op("=").Id("it").Dot(scalarListMethod(it.Elem)).Call(pathLits(it.Paths)...)
			case it.From == model.FromKey:
				lb.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("it").Dot("Key").Call(), jen.Id("ok")).Block(
					jen.Id("x").Dot(it.GoName).Op("=").Id("v"),
				)
			default:
				g.assign(lb, jen.Id("it"), it, jen.Id("x").Dot(it.GoName))
			}
		}
		lb.Add(target.Clone()).Op("=").Append(target.Clone(), jen.Id("x"))
	})
}

// scalarListMethod is the errcatimpl.Doc method that reads a list of elem.
func scalarListMethod(elem model.FieldType) string {
	switch elem {
	case model.TypeInteger:
		return "Ints"
	case model.TypeNumber:
		return "Floats"
	case model.TypeBoolean:
		return "Bools"
	}
	return "Strings"
}

// codeAssign reads the code field fl of body into e.Code; a Problem
// Details type URI through errcatimpl.ProblemType.
func (g *gen) codeAssign(body *model.Body, fl *model.Field) jen.Code {
	read := g.readExpr(jen.Id("doc"), fl)
	set := jen.List(jen.Id("e").Dot("Code"), jen.Id("e").Dot("HasCode")).Op("=").List(jen.Id("Code").Call(jen.Id("v")), jen.True())
	if p := body.Problem; p != nil {
		// Absent or about:blank: no code beyond the status (RFC 9457).
		problemType := jen.Qual(implPath, "ProblemType").Call(jen.Id("t"), jen.Qual(implPath, p.CodeFrom.RuntimeName()))
		return jen.If(jen.List(jen.Id("t"), jen.Id("ok")).Op(":=").Add(read), jen.Id("ok")).Block(
			jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Add(problemType), jen.Id("ok")).Block(set),
		)
	}
	return jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Add(read), jen.Id("ok")).Block(set)
}

// assign reads fl from doc into target when present, then runs extra.
func (g *gen) assign(b *jen.Group, doc *jen.Statement, fl *model.Field, target *jen.Statement, extra ...jen.Code) {
	var val jen.Code = jen.Id("v")
	switch fl.Type {
	case model.TypeTimeMillis:
		val = jen.Qual(timePath, "UnixMilli").Call(jen.Id("v")).Dot("UTC").Call()
	case model.TypeTimeSeconds:
		val = jen.Qual(timePath, "Unix").Call(jen.Id("v"), jen.Lit(0)).Dot("UTC").Call()
	}
	b.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Add(g.readExpr(doc, fl)), jen.Id("ok")).Block(
		append([]jen.Code{target.Clone().Op("=").Add(val)}, extra...)...,
	)
}

func (g *gen) readExpr(doc *jen.Statement, fl *model.Field) *jen.Statement {
	if fl.Compose != nil || !fl.Clean.IsZero() {
		return composeExpr(doc, fl)
	}
	method := "String"
	switch fl.Type {
	case model.TypeInteger, model.TypeTimeMillis, model.TypeTimeSeconds:
		method = "Int"
	case model.TypeNumber:
		method = "Float"
	case model.TypeBoolean:
		method = "Bool"
	case model.TypeObject:
		method = "Object"
	case model.TypeAny:
		method = "Lookup"
	case model.TypeSecret:
		method = "Secret"
	}
	paths := pathLits(fl.Paths)
	switch {
	case fl.From == model.FromValue:
		paths = []jen.Code{jen.Qual(implPath, "Path").Values()} // the item itself
	case fl.Join != "":
		return doc.Clone().Dot("Join").Call(append([]jen.Code{jen.Lit(fl.Join)}, paths...)...)
	}
	return doc.Clone().Dot(method).Call(paths...)
}

// bodyDelay records a body-carried retry delay for findDelay, which applies
// the delay sources in catalog order. It runs only where the body carried
// the field.
func (g *gen) bodyDelay(fl *model.Field, i int) jen.Code {
	parse := delayCall(g.c.Retry.Delays[i].Parser(), jen.Id("e").Dot(fl.GoName), fl.Type)
	return jen.List(jen.Id("e").Dot(fmt.Sprintf("bodyDelay%d", i)), jen.Id("e").Dot(fmt.Sprintf("hasBodyDelay%d", i))).Op("=").Add(parse)
}

func (g *gen) findDelay(f *jen.File) {
	f.Comment("// findDelay sets the retry delay from the first source, in catalog order,")
	f.Comment("// that holds a valid value, measuring dates and reset times from now (the")
	f.Comment("// clock of the apierr.Transport that made the request, see apierr.Now).")
	f.Func().Params(jen.Id("e").Op("*").Id("Error")).Id("findDelay").Params(jen.Id("header").Qual(httpPath, "Header"), jen.Id("now").Qual(timePath, "Time")).BlockFunc(func(b *jen.Group) {
		for i, d := range g.c.Retry.Delays {
			set := jen.List(jen.Id("e").Dot("delay"), jen.Id("e").Dot("hasDelay")).Op("=").List(jen.Id("d"), jen.True())
			if d.Field != nil {
				b.If(jen.Id("e").Dot(fmt.Sprintf("hasBodyDelay%d", i))).Block(
					jen.List(jen.Id("e").Dot("delay"), jen.Id("e").Dot("hasDelay")).Op("=").List(jen.Id("e").Dot(fmt.Sprintf("bodyDelay%d", i)), jen.True()),
					jen.Return(),
				)
				continue
			}
			h := jen.Id("header").Dot("Get").Call(jen.Lit(d.Header))
			parse := delayCall(d.Parser(), h, model.TypeString)
			b.If(jen.List(jen.Id("d"), jen.Id("ok")).Op(":=").Add(parse), jen.Id("ok")).Block(set, jen.Return())
		}
	})
	f.Line()
}

// scrubStrings scrubs every string of the list of scalars fl at v, with
// the loop variable i; nothing for a list of numbers or booleans.
func scrubStrings(v *jen.Statement, fl *model.Field, i string) jen.Code {
	if fl.Elem != model.TypeString {
		return jen.Null()
	}
	el := jen.Add(v.Clone()).Index(jen.Id(i))
	return jen.For(jen.Id(i).Op(":=").Range().Add(v.Clone())).Block(
		jen.Add(el.Clone()).Op("=").Id("doc").Dot("Scrub").Call(el.Clone()),
	)
}

// scrub emits the method that removes the values of the secrets a body
// held from every other text of the error: the message, string fields,
// free-form objects and values, list items' strings.
func (g *gen) scrub(f *jen.File) {
	f.Comment("// scrub replaces, in every text of e but its secret fields, the values of")
	f.Comment("// the secrets the body held (see errcatimpl.Doc.Scrub).")
	f.Func().Params(jen.Id("e").Op("*").Id("Error")).Id("scrub").Params(jen.Id("doc").Qual(implPath, "Doc")).BlockFunc(func(b *jen.Group) {
		b.Id("e").Dot("Message").Op("=").Id("doc").Dot("Scrub").Call(jen.Id("e").Dot("Message"))
		// String secondary codes are texts the Error prints (LogValue):
		// a secret echoed in one is scrubbed like the message.
		for _, set := range g.c.CodeSets {
			if set.Type == model.CodeString {
				v := jen.Id("e").Dot(set.Idents.Field)
				b.Add(v.Clone()).Op("=").Id(set.Idents.Type).Call(jen.Id("doc").Dot("Scrub").Call(jen.String().Call(v.Clone())))
			}
		}
		for _, fl := range g.c.ErrorFields() {
			v := jen.Id("e").Dot(fl.GoName)
			switch fl.Type {
			case model.TypeString, model.TypeObject, model.TypeAny:
				b.Add(scrubValue(v, fl.Type))
			case model.TypeList:
				if fl.ScalarList() {
					b.Add(scrubStrings(v, fl, "i"))
					continue
				}
				var strs []jen.Code
				for _, it := range fl.Item.Fields {
					iv := jen.Add(v.Clone()).Index(jen.Id("i")).Dot(it.GoName)
					switch it.Type {
					case model.TypeList:
						strs = append(strs, scrubStrings(iv, it, "j"))
					case model.TypeString, model.TypeObject, model.TypeAny:
						strs = append(strs, scrubValue(iv, it.Type))
					}
				}
				if len(strs) > 0 {
					b.For(jen.Id("i").Op(":=").Range().Add(v.Clone())).Block(strs...)
				}
			}
		}
	})
	f.Line()
}

// composeExpr reads a composed or cleaned code field (format v2) through
// errcatimpl.Compose, with the settings the model gives.
func composeExpr(doc *jen.Statement, fl *model.Field) *jen.Statement {
	c := fl.Composer()
	d := jen.Dict{}
	if c.Sep != "" {
		d[jen.Id("Sep")] = jen.Lit(c.Sep)
	}
	if c.Trim != "" {
		d[jen.Id("Trim")] = jen.Lit(c.Trim)
	}
	switch fl.Clean.Fold {
	case model.FoldLower:
		d[jen.Id("Fold")] = jen.Qual(implPath, "FoldLower")
	case model.FoldUpper:
		d[jen.Id("Fold")] = jen.Qual(implPath, "FoldUpper")
	}
	if c.Tag != "" {
		d[jen.Id("Tag")] = jen.Lit(c.Tag)
	}
	recv := jen.Parens(jen.Qual(implPath, "Compose").Values(d))
	switch {
	case fl.Compose != nil && fl.Compose.Tag != "":
		return recv.Dot("Tags").Call(doc, pathLit(fl.Paths[0]))
	case fl.Compose != nil:
		return recv.Dot("Join").Call(append([]jen.Code{doc}, pathLits(fl.Compose.Parts)...)...)
	}
	return recv.Dot("Clean").Call(doc.Clone().Dot("String").Call(pathLits(fl.Paths)...))
}

// scrubValue is the statement that scrubs the body's secret values from v,
// a field of type t (string, object or any), in generated code.
func scrubValue(v *jen.Statement, t model.FieldType) jen.Code {
	method := map[model.FieldType]string{model.TypeString: "Scrub", model.TypeObject: "ScrubObject", model.TypeAny: "ScrubValue"}[t]
	return jen.Add(v.Clone()).Op("=").Id("doc").Dot(method).Call(v.Clone())
}
