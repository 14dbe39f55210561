package golang

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/gen/model"
)

func (g *gen) errorsFile(f *jen.File) {
	v := g.c.Vendor
	comment(f.Group, fmt.Sprintf("Vendor is the catalog id of %s, as apierr.Error.Vendor reports it.", oneLine(v.Name)))
	f.Const().Id("Vendor").Op("=").Lit(v.ID)
	f.Line()
	enforceVersion(f, g.c.RuntimeVersion())
	g.vetTexts(f)
	g.statusDecls(f)
	g.errorType(f)
}

// enforceVersion writes the compile-time check that the runtime serves
// the contract version (at most apierr.Version) this code is written for:
// a mismatch makes a constant negative, and the type the compiler names in
// its error says the fix (see errcatimpl.MinVersion).
func enforceVersion(f *jen.File, version int) {
	v := jen.Lit(version)
	f.Comment(fmt.Sprintf("// This package is written for version %d of errcat's runtime contract; a", version))
	f.Comment("// runtime that does not serve it fails to compile, naming the fix.")
	f.Const().Defs(
		jen.Id("_").Op("=").Qual(implPath, "GeneratedCodeTooOld_RegenerateWithErrcat").Call(v.Clone().Op("-").Qual(implPath, "MinVersion")),
		jen.Id("_").Op("=").Qual(implPath, "ErrcatRuntimeTooOld_UpgradeErrcatOrRegenerate").Call(jen.Qual(implPath, "Version").Op("-").Add(v.Clone())),
	)
	f.Line()
}

// sentinelsFile holds the sentinel errors and the matchers of every status
// and code.
func (g *gen) sentinelsFile(f *jen.File) {
	g.sentinels(f)
	g.matchers(f)
}

func (g *gen) statusDecls(f *jen.File) {
	c := g.c
	name := oneLine(c.Vendor.Name)
	comment(f.Group, fmt.Sprintf("Status is an HTTP status code as %s documents it. Statuses the catalog does not list stay representable: their methods fall back to the status's class, then to apierr's defaults.", name))
	f.Type().Id("Status").Int()
	f.Line()
	exact := c.ExactStatuses()
	if len(exact) > 0 {
		comment(f.Group, fmt.Sprintf("The exact statuses %s documents, in catalog order.", name))
		f.Const().DefsFunc(func(d *jen.Group) {
			for _, s := range exact {
				comment(d, endSentence(fmt.Sprintf("%s is HTTP %d: %s", s.Idents.Const, s.Code, quote(s.Description))))
				d.Id(s.Idents.Const).Id("Status").Op("=").Lit(s.Code)
			}
		})
		f.Line()
	}
	g.table(f)
	g.statusMethods(f)
}

// table writes the package's one catalog table: every status and class as
// a row here, every code as a row of codeRows in codes.go; the support
// runtime indexes them once (errcatimpl.NewTable).
func (g *gen) table(f *jen.File) {
	c := g.c
	comment(f.Group, fmt.Sprintf("catalog is what the %s catalog says of its statuses and codes, read by the methods of Status, Code and Error.", oneLine(c.Vendor.Name)))
	codes := jen.Nil()
	if c.CodeType != model.CodeNone {
		codes = jen.Id("codeRows")
	}
	table := jen.Qual(implPath, "NewTable").Types(g.codeType()).Call(
		jen.Id("Vendor"), jen.Lit(c.SuccessErrors()),
		jen.Index().Qual(implPath, "StatusInfo").Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, g.statusRows()...),
		codes,
	)
	if c.FormatKinds() {
		var rows []jen.Code
		for _, b := range c.Bodies {
			if b.HasKindAction {
				rows = append(rows, jen.Values(jen.Id("Name").Op(":").Lit(b.Name), jen.Id("Kind").Op(":").Add(kindLit(b.Kind)), jen.Id("Action").Op(":").Add(actionLit(b.Action))))
			}
		}
		table = table.Dot("WithFormats").Call(jen.Index().Qual(implPath, "FormatInfo").Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, rows...))
	}
	f.Var().Id("catalog").Op("=").Add(table)
	f.Line()
}

// statusRows are the table's rows of the statuses, in catalog order.
func (g *gen) statusRows() []jen.Code {
	var rows []jen.Code
	for _, s := range g.c.Statuses {
		row := []jen.Code{jen.Id("Status").Op(":").Lit(s.Code)}
		if s.Class {
			row = append(row, jen.Id("Class").Op(":").True())
		}
		row = append(row,
			jen.Id("Name").Op(":").Lit(s.GoName),
			jen.Id("Description").Op(":").Lit(s.Description),
			jen.Id("Kind").Op(":").Add(kindLit(s.Kind)),
			jen.Id("Action").Op(":").Add(actionLit(s.Action)))
		if s.Idents.Err != "" {
			row = append(row, jen.Id("Err").Op(":").Id(s.Idents.Err))
		}
		rows = append(rows, jen.Values(row...))
	}
	return rows
}

// codeType is the table's type argument: the package's Code type, or int64
// for a catalog without codes.
func (g *gen) codeType() jen.Code {
	if g.c.CodeType == model.CodeNone {
		return jen.Int64()
	}
	return jen.Id("Code")
}

// method writes a documented method whose body is one statement.
func method(f *jen.File, recv jen.Code, doc []string, name string, results jen.Code, stmt jen.Code) {
	for _, l := range doc {
		f.Comment("// " + l)
	}
	f.Func().Params(recv).Id(name).Params().Add(results).Block(stmt)
	f.Line()
}

func (g *gen) statusMethods(f *jen.File) {
	s := func() jen.Code { return jen.Id("s").Id("Status") }
	arg := func() jen.Code { return jen.Int().Call(jen.Id("s")) }
	method(f, s(), []string{`String returns the status's Go name, such as "BadRequest", or "Status(418)"`, "for a status the catalog does not list exactly."}, "String", jen.String(),
		jen.Return(jen.Id("catalog").Dot("StatusName").Call(arg())))
	method(f, s(), []string{"Known reports whether the catalog lists s exactly."}, "Known", jen.Bool(),
		jen.Return(jen.Id("catalog").Dot("StatusKnown").Call(arg())))
	method(f, s(), []string{`Description returns the vendor's description of s, or of its class, or "".`}, "Description", jen.String(),
		jen.Return(jen.Id("catalog").Dot("StatusDescription").Call(arg())))
	method(f, s(), []string{"Kind returns the vendor-neutral kind of s, from the catalog or else from", "apierr.DefaultKind."}, "Kind", jen.Qual(apierrPath, "Kind"),
		jen.Return(jen.Id("catalog").Dot("StatusKind").Call(arg())))
	method(f, s(), []string{"Action returns what a client should do about s, from the catalog or else", "from apierr.DefaultAction."}, "Action", jen.Qual(apierrPath, "Action"),
		jen.Return(jen.Id("catalog").Dot("StatusAction").Call(arg())))
	f.Comment("// Statuses returns the exact statuses the catalog lists, in catalog order.")
	f.Func().Id("Statuses").Params().Index().Id("Status").Block(
		jen.Return(jen.Qual(implPath, "Statuses").Types(jen.Id("Status"), g.codeType()).Call(jen.Id("catalog"))),
	)
	f.Line()
	f.Comment("// LookupStatus returns the Status for an HTTP status code and whether the")
	f.Comment("// catalog lists it exactly.")
	f.Func().Id("LookupStatus").Params(jen.Id("code").Int()).Params(jen.Id("Status"), jen.Bool()).Block(
		jen.Id("s").Op(":=").Id("Status").Call(jen.Id("code")),
		jen.Return(jen.Id("s"), jen.Id("s").Dot("Known").Call()),
	)
	f.Line()
}

// withArticle puts "a" or "an" before a name, by its first letter.
func withArticle(name string) string {
	if name != "" && strings.ContainsRune("AEIOUaeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

func (g *gen) codeGoType() *jen.Statement {
	if g.c.CodeType == model.CodeString {
		return jen.String()
	}
	return jen.Int64()
}

func (g *gen) codeDecls(f *jen.File) {
	c := g.c
	name := oneLine(c.Vendor.Name)
	comment(f.Group, fmt.Sprintf("Code is %s error code as its error bodies carry it. Codes the catalog does not list stay representable; their methods then report the zero values and Known reports false.", withArticle(name)))
	f.Type().Id("Code").Add(g.codeGoType())
	f.Line()
	comment(f.Group, fmt.Sprintf("The codes %s documents, in catalog order.", name))
	f.Const().DefsFunc(func(d *jen.Group) {
		for _, code := range c.Codes {
			text := endSentence(fmt.Sprintf("%s is %s, %s: %s", code.Idents.Const, code.Text(), returnedWith(code), quote(code.Description)))
			if code.AliasOf != nil {
				text += fmt.Sprintf(" It is an alias of %s.", code.AliasOf.Idents.Const)
			}
			comment(d, text)
			if code.Deprecated != "" {
				d.Comment("//")
				commentLines(d, deprecatedLines(g.deprecation(code, func(c *model.Code) string { return c.Idents.Const })))
			}
			d.Id(code.Idents.Const).Id("Code").Op("=").Add(g.codeLit(code))
		}
	})
	f.Line()
	f.Comment("// codeRows are the codes' rows of the catalog table, in catalog order.")
	f.Var().Id("codeRows").Op("=").Index().Qual(implPath, "CodeInfo").Types(jen.Id("Code")).Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, g.codeRows()...)
	f.Line()
	g.codeMethods(f)
}

// codeRows are the table's rows of the codes, one line each, so that a
// catalog gaining a code gains one line here.
func (g *gen) codeRows() []jen.Code {
	rows := make([]jen.Code, 0, len(g.c.Codes))
	for _, code := range g.c.Codes {
		row := []jen.Code{
			jen.Id("Code").Op(":").Id(code.Idents.Const),
			jen.Id("Name").Op(":").Lit(code.GoName),
		}
		if code.Status != nil {
			row = append(row, jen.Id("Status").Op(":").Lit(code.Status.Code))
		}
		row = append(row,
			jen.Id("Description").Op(":").Lit(code.Description),
			jen.Id("Kind").Op(":").Add(kindLit(code.Kind)),
			jen.Id("Action").Op(":").Add(actionLit(code.Action)),
			jen.Id("Err").Op(":").Id(code.Idents.Err),
		)
		if code.AliasOf != nil {
			row = append(row, jen.Id("Alias").Op(":").Id(code.AliasOf.Idents.Err))
		}
		if code.Deprecated != "" {
			row = append(row, jen.Id("Deprecated").Op(":").Lit(code.Deprecated))
		}
		if code.StatusWins {
			var sts []jen.Code
			for _, st := range code.Statuses {
				if st.Class {
					sts = append(sts, jen.Lit(st.ClassDigit()))
				} else {
					sts = append(sts, jen.Lit(st.Code))
				}
			}
			row = append(row, jen.Id("StatusWins").Op(":").True(), jen.Id("Statuses").Op(":").Index().Int().Values(sts...))
		}
		rows = append(rows, jen.Values(row...))
	}
	return rows
}

// returnedWith says which statuses a code comes with, for its doc comment:
// "returned with HTTP 400" as format v1 has it, several statuses and
// classes, or none.
func returnedWith(code *model.Code) string {
	if len(code.Statuses) == 0 {
		return "documented without a status (it may come with any)"
	}
	return "returned with HTTP " + strings.Join(code.StatusTexts(), ", ")
}

func (g *gen) codeMethods(f *jen.File) {
	c := func() jen.Code { return jen.Id("c").Id("Code") }
	info := func(field string) jen.Code { return jen.Id("catalog").Dot("CodeInfoOf").Call(jen.Id("c")).Dot(field) }
	if g.c.CodeType == model.CodeString {
		method(f, c(), []string{"String returns the code as the vendor writes it."}, "String", jen.String(), jen.Return(jen.String().Call(jen.Id("c"))))
	} else {
		method(f, c(), []string{`String returns the code's Go name, such as "CredentialsExpired", or`, `"Code(4999)" for a code the catalog does not list.`}, "String", jen.String(),
			jen.Return(jen.Qual(implPath, "CodeName").Call(jen.Id("catalog"), jen.Id("c"))))
	}
	method(f, c(), []string{`Description returns the vendor's description of c, or "".`}, "Description", jen.String(), jen.Return(info("Description")))
	statusDoc := []string{"Status returns the HTTP status the vendor returns c with, or 0."}
	if g.c.FlexibleCodeStatuses() {
		statusDoc = []string{"Status returns the first exact HTTP status the catalog lists c with, or 0", "for a code listed without one (documented without a status, or only under", "status classes)."}
	}
	method(f, c(), statusDoc, "Status", jen.Id("Status"), jen.Return(jen.Id("Status").Call(info("Status"))))
	method(f, c(), []string{"Kind returns the vendor-neutral kind of c, or apierr.KindUnknown."}, "Kind", jen.Qual(apierrPath, "Kind"), jen.Return(info("Kind")))
	method(f, c(), []string{"Action returns what a client should do about c, or apierr.ActionNone."}, "Action", jen.Qual(apierrPath, "Action"), jen.Return(info("Action")))
	method(f, c(), []string{`Deprecated returns why c is deprecated, or "" if it is current.`}, "Deprecated", jen.String(), jen.Return(info("Deprecated")))
	method(f, c(), []string{"Known reports whether the catalog lists c."}, "Known", jen.Bool(), jen.Return(jen.Id("catalog").Dot("Code").Call(jen.Id("c")).Op("!=").Nil()))
	f.Comment("// Codes returns every code the catalog lists, in catalog order.")
	f.Func().Id("Codes").Params().Index().Id("Code").Block(jen.Return(jen.Id("catalog").Dot("Codes").Call()))
	f.Line()
	f.Comment("// LookupCode returns the Code for a raw value and whether the catalog lists")
	f.Comment("// it; unknown values stay representable.")
	f.Func().Id("LookupCode").Params(jen.Id("v").Add(g.codeGoType())).Params(jen.Id("Code"), jen.Bool()).Block(
		jen.Id("c").Op(":=").Id("Code").Call(jen.Id("v")),
		jen.Return(jen.Id("c"), jen.Id("c").Dot("Known").Call()),
	)
	f.Line()
}

func (g *gen) sentinels(f *jen.File) {
	c := g.c
	vendor := oneLine(c.Vendor.Name)
	f.Comment("// Sentinel errors for errors.Is: every *Error matches the sentinel of its")
	f.Comment("// code, of its exact status and of its status class.")
	f.Var().DefsFunc(func(d *jen.Group) {
		for _, s := range c.Statuses {
			if s.Idents.Err == "" {
				continue
			}
			var text, msg string
			if s.Class {
				text = fmt.Sprintf("%s matches every %s error with a %s status.", s.Idents.Err, vendor, s.Text())
				msg = fmt.Sprintf("%s: %s status (%s)", c.Vendor.ID, s.Text(), errorName(s.Name))
			} else {
				text = fmt.Sprintf("%s matches every %s error with HTTP status %d, whatever its code.", s.Idents.Err, vendor, s.Code)
				if s.Code < 400 {
					text += fmt.Sprintf(" %d is a success status: such an error is one a body format reports inside the response.", s.Code)
				}
				msg = fmt.Sprintf("%s: HTTP %d (%s)", c.Vendor.ID, s.Code, errorName(s.Name))
			}
			comment(d, text)
			d.Id(s.Idents.Err).Op("=").Qual(errorsPath, "New").Call(jen.Lit(msg))
		}
		for _, code := range c.Codes {
			// One line of doc: the constant's doc carries the description.
			d.Comment(fmt.Sprintf("// %s matches %s errors with code %s (%s).", code.Idents.Err, vendor, oneLine(code.Text()), code.Idents.Const))
			if code.Deprecated != "" {
				d.Comment("//")
				commentLines(d, deprecatedLines(g.deprecation(code, func(c *model.Code) string { return c.Idents.Err })))
			}
			d.Id(code.Idents.Err).Op("=").Qual(errorsPath, "New").Call(jen.Lit(codeErrorText(c.Vendor.ID, code)))
		}
	})
	f.Line()
}

// matchers writes every Is function on one line of doc and one of code.
func (g *gen) matchers(f *jen.File) {
	c := g.c
	vendor := withArticle(oneLine(c.Vendor.Name))
	matcher := func(id model.Idents, text, deprecated string) {
		f.Comment(fmt.Sprintf("// %s reports whether err, or an error it wraps or joins, is %s.", id.Is, text))
		if deprecated != "" {
			f.Comment("//")
			commentLines(f.Group, deprecatedLines(deprecated))
		}
		// A one-line body: gofmt keeps a function written on one line so.
		f.Func().Id(id.Is).Params(jen.Id("err").Error()).Bool().Op("{").Return(jen.Qual(errorsPath, "Is").Call(jen.Id("err"), jen.Id(id.Err))).Op("}")
		f.Line()
	}
	for _, s := range c.Statuses {
		if s.Idents.Is == "" {
			continue
		}
		if s.Class {
			matcher(s.Idents, fmt.Sprintf("%s error with a %s status", vendor, s.Text()), "")
		} else {
			matcher(s.Idents, fmt.Sprintf("%s error with HTTP status %d", vendor, s.Code), "")
		}
	}
	for _, code := range c.Codes {
		matcher(code.Idents, fmt.Sprintf("%s error with code %s", vendor, oneLine(code.Text())), g.deprecation(code, func(c *model.Code) string { return c.Idents.Is }))
	}
}

// deprecation is the reason of a deprecated code's Deprecated: paragraph
// on a declaration of the kind ident picks (the constant, sentinel or matcher): the
// catalog's text, then the Go identifiers of the codes it names, so that
// gopls and pkg.go.dev point to what to use. "" for a current code.
func (g *gen) deprecation(code *model.Code, ident func(*model.Code) string) string {
	if code.Deprecated == "" {
		return ""
	}
	text := endSentence(code.Deprecated)
	var names []string
	for _, r := range g.c.Replacements(code) {
		names = append(names, ident(r))
	}
	switch len(names) {
	case 0:
		return text
	case 1:
		return text + " Use " + names[0] + " instead."
	}
	return text + " See " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + "."
}

// codeErrorText is the text of a code's sentinel error: the vendor id and
// the code as the vendor writes it, with the catalog's name for it when
// that says more than the code itself ("acme: code 4012 (credentials
// expired)", "ledgerly: code invoice_not_found").
func codeErrorText(vendor string, code *model.Code) string {
	text := fmt.Sprintf("%s: code %s", vendor, oneLine(code.Text()))
	if norm(code.Name) != norm(code.Text()) {
		text += " (" + errorName(code.Name) + ")"
	}
	return text
}

// norm folds a name for comparison: case, and _ - . and spaces alike.
func norm(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', '.', ' ':
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// errorName is a catalog name as an error text shows it: one line, lower
// case as Go error strings are, so that respelling a name's case changes
// no error text.
func errorName(name string) string {
	return strings.ToLower(oneLine(name))
}
