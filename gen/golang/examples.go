package golang

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/model"
)

func (g *gen) examplesFile(f *jen.File) {
	pkg := g.c.Vendor.Package
	imp := g.c.ImportPath
	f.ImportName(imp, pkg)
	s := g.c.Showcase()
	if s == nil {
		return
	}
	q := func(name string) *jen.Statement { return jen.Qual(imp, name) }

	// Example: Parse, the matchers and the vendor-neutral view.
	kind, action := s.Action()
	errText := s.ErrorText(g.c.Vendor.ID)
	f.Comment("// This example parses an error body as the vendor sends it and asks what")
	f.Comment("// it is and what to do, without ever looking at the message.")
	f.Func().Id("Example").Params().Block(
		jen.Id("body").Op(":=").Index().Byte().Call(bodyLit(s.Body)),
		jen.Id("err").Op(":=").Add(q("Parse")).Call(jen.Lit(s.Status.Code), jen.Nil(), jen.Id("body")),
		jen.Qual("fmt", "Println").Call(jen.Id("err")),
		jen.Qual("fmt", "Println").Call(q(s.Matcher()).Call(jen.Id("err")), jen.Qual("errors", "Is").Call(jen.Id("err"), q(s.Status.Idents.Err))),
		jen.Qual("fmt", "Println").Call(jen.Qual(apierrPath, "KindOf").Call(jen.Id("err")), jen.Qual(apierrPath, "ActionOf").Call(jen.Id("err")), jen.Qual(apierrPath, "IsRetryable").Call(jen.Id("err"))),
		jen.Comment("// Output:"),
		jen.Comment("// "+escapeLine(errText)),
		jen.Comment("// true true"),
		jen.Comment(fmt.Sprintf("// %s %s %t", kind, action, action.Retryable())),
	)
	f.Line()

	// ExampleError: errors.As for the typed fields.
	f.Comment("// This example reads the typed error with errors.As.")
	codeText := ""
	if s.Code != nil {
		codeText = s.Code.Text()
	}
	f.Func().Id("ExampleError").Params().Block(
		jen.Id("err").Op(":=").Qual("fmt", "Errorf").Call(jen.Lit("fetching: %w"), q("Parse").Call(jen.Lit(s.Status.Code), jen.Nil(), jen.Index().Byte().Call(bodyLit(s.Body)))),
		jen.Var().Id("e").Op("*").Add(q("Error")),
		jen.If(jen.Qual("errors", "As").Call(jen.Id("err"), jen.Op("&").Id("e"))).Block(
			jen.Qual("fmt", "Printf").Call(jen.Lit("status=%d code=%q message=%q\n"), jen.Id("e").Dot("HTTPStatus").Call(), jen.Id("e").Dot("ErrorCode").Call(), jen.Id("e").Dot("Message")),
		),
		jen.Comment("// Output:"),
		jen.Comment("// "+escapeLine(fmt.Sprintf("status=%d code=%q message=%q", s.Status.Code, codeText, s.Message))),
	)
	f.Line()

	// ExampleFromResponse: a 503 straight from an *http.Response.
	g.fromResponseExample(f, q)
	g.successExamples(f, q)

	g.policyExample(f, q)
}

// policyExample writes ExamplePolicy; it shows WithReauthenticate only for
// a catalog where some error asks for re-authentication.
func (g *gen) policyExample(f *jen.File, q func(string) *jen.Statement) {
	reauth := g.c.UsesAction(apierr.ActionReauthenticate)
	f.Comment("// This example builds an HTTP client that retries as the vendor's")
	f.Comment("// documentation says: backoff for retryable errors, the server's delay")
	if !reauth {
		f.Comment("// (capped) where it gives one.")
		f.Func().Id("ExamplePolicy").Params().Block(
			jen.Id("client").Op(":=").Op("&").Qual(httpPath, "Client").Values(jen.Dict{
				jen.Id("Transport"): jen.Qual(apierrPath, "NewTransport").Call(jen.Qual(httpPath, "DefaultTransport"), q("Policy").Call()),
			}),
			jen.Id("_").Op("=").Id("client"),
		)
		return
	}
	f.Comment("// (capped) where it gives one, and one re-authentication where asked.")
	f.Func().Id("ExamplePolicy").Params().Block(
		jen.Id("refresh").Op(":=").Func().Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(
			jen.Comment("// Obtain a new token here."),
			jen.Return(jen.Nil()),
		),
		jen.Id("client").Op(":=").Op("&").Qual(httpPath, "Client").Values(jen.Dict{
			jen.Id("Transport"): jen.Qual(apierrPath, "NewTransport").Call(
				jen.Qual(httpPath, "DefaultTransport"),
				q("Policy").Call(),
				jen.Qual(apierrPath, "WithReauthenticate").Call(jen.Id("refresh")),
			),
		}),
		jen.Id("_").Op("=").Id("client"),
	)
}

func (g *gen) fromResponseExample(f *jen.File, q func(string) *jen.Statement) {
	c := g.c
	status := 503
	var sentinel string
	if st := c.StatusByCode(status); st != nil {
		sentinel = st.Idents.Err
	} else if cl := c.ClassOf(status); cl != nil {
		sentinel = cl.Idents.Err
	}
	if sentinel == "" {
		return // the vendor documents no 5xx; nothing honest to show
	}
	st := c.StatusByCode(status)
	if st == nil {
		st = c.ClassOf(status)
	}
	// What the package computes from the header alone, through the parser
	// the catalog's delay source names (model.DelayParser): the example
	// shows the same decision the generated findDelay makes. Any clock
	// works: "2" is a delay, or a reset time long past.
	d, hasDelay := c.HeaderDelay(status, "Retry-After", "2", time.Now())
	delay := d.String()
	f.Comment("// This example classifies an *http.Response; the body stays readable.")
	f.Func().Id("ExampleFromResponse").Params().Block(
		jen.Id("resp").Op(":=").Op("&").Qual(httpPath, "Response").Values(jen.Dict{
			jen.Id("StatusCode"): jen.Lit(status),
			jen.Id("Header"):     jen.Qual(httpPath, "Header").Values(jen.Dict{jen.Lit("Retry-After"): jen.Values(jen.Lit("2"))}),
			jen.Id("Body"):       jen.Qual("io", "NopCloser").Call(jen.Qual("strings", "NewReader").Call(jen.Lit("Service Unavailable"))),
		}),
		jen.Id("err").Op(":=").Add(q("FromResponse")).Call(jen.Id("resp")),
		jen.Qual("fmt", "Println").Call(jen.Qual("errors", "Is").Call(jen.Id("err"), q(sentinel)), jen.Qual(apierrPath, "IsRetryable").Call(jen.Id("err"))),
		jen.Qual("fmt", "Println").Call(jen.Qual(apierrPath, "RetryDelay").Call(jen.Id("err"))),
		jen.List(jen.Id("body"), jen.Id("_")).Op(":=").Qual("io", "ReadAll").Call(jen.Id("resp").Dot("Body")),
		jen.Qual("fmt", "Println").Call(jen.String().Call(jen.Id("body"))),
		jen.Comment("// Output:"),
		jen.Comment(fmt.Sprintf("// true %t", st.Action.Retryable())),
		jen.Comment(fmt.Sprintf("// %s %t", delay, hasDelay)),
		jen.Comment("// Service Unavailable"),
	)
	f.Line()
}

// bodyLit writes a body as a raw string literal where it can be one, so
// JSON reads as JSON, and as a quoted literal otherwise.
func bodyLit(s string) jen.Code {
	if strings.ContainsAny(s, "`\r") || !printable(s) {
		return jen.Lit(s) // strconv.Quote escapes what a raw literal would show
	}
	return jen.Op("`" + s + "`")
}

// printable reports whether a raw string literal can hold s as it is: valid
// UTF-8 without model.Hidden characters other than line feeds (a raw BOM
// is "illegal" to go/scanner; bidi overrides would reorder the source).
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r != '\n' && model.Hidden(r) {
			return false
		}
	}
	return true
}
