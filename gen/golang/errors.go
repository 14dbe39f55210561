package golang

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/gen/model"
)

func (g *gen) errorsFile(f *jen.File) {
	v := g.c.Vendor
	comment(f.Group, fmt.Sprintf("Vendor is the catalog id of %s, as apierr.Error.Vendor reports it.", oneLine(v.Name)))
	f.Const().Id("Vendor").Op("=").Lit(v.ID)
	f.Line()
	enforceVersion(f)
	g.vetTexts(f)
	g.statusDecls(f)
	g.errorType(f)
}

// enforceVersion writes the compile-time check that the runtime serves
// the contract version (apierr.Version) this code is written for: a
// mismatch makes a constant negative, and the type the compiler names in
// its error says the fix (see errcatimpl.MinVersion).
func enforceVersion(f *jen.File) {
	v := jen.Lit(apierr.Version)
	f.Comment(fmt.Sprintf("// This package is written for version %d of errcat's runtime contract; a", apierr.Version))
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
				comment(d, endSentence(fmt.Sprintf("Status%s is HTTP %d: %s", s.GoName, s.Code, quote(s.Description))))
				d.Id("Status" + s.GoName).Id("Status").Op("=").Lit(s.Code)
			}
		})
		f.Line()
	}
	// One table holds everything known of a status, so every method is a
	// single map lookup whatever the catalog's size.
	f.Type().Id("statusInfo").Struct(
		jen.Id("name").String(),
		jen.Id("description").String(),
		jen.Id("kind").Qual(apierrPath, "Kind"),
		jen.Id("action").Qual(apierrPath, "Action"),
		jen.Id("err").Error(),
	)
	f.Line()
	var infos []keyValue
	for _, s := range exact {
		infos = append(infos, keyValue{"Status" + s.GoName, jen.Id("Status" + s.GoName), g.statusInfoLit(s)})
	}
	f.Var().Id("statusInfos").Op("=").Map(jen.Id("Status")).Op("*").Id("statusInfo").Add(dict(infos))
	f.Line()
	f.Comment("// classInfos holds the documented status classes, indexed by first digit.")
	var classes []keyValue
	for _, s := range c.Classes() {
		classes = append(classes, keyValue{fmt.Sprint(s.Code / 100), jen.Lit(s.Code / 100), g.statusInfoLit(s)})
	}
	f.Var().Id("classInfos").Op("=").Index(jen.Lit(6)).Op("*").Id("statusInfo").Add(dict(classes))
	f.Line()
	f.Var().Id("statusOrder").Op("=").Index().Id("Status").ValuesFunc(func(gr *jen.Group) {
		for _, s := range exact {
			gr.Id("Status" + s.GoName)
		}
	})
	f.Line()
	f.Comment("// info returns what the catalog says of s: the exact entry, else its class, else nil.")
	f.Func().Params(jen.Id("s").Id("Status")).Id("info").Params().Op("*").Id("statusInfo").Block(
		jen.If(jen.List(jen.Id("i"), jen.Id("ok")).Op(":=").Id("statusInfos").Index(jen.Id("s")), jen.Id("ok")).Block(jen.Return(jen.Id("i"))),
		jen.If(jen.Id("s").Op(">=").Lit(100).Op("&&").Id("s").Op("<").Lit(600)).Block(jen.Return(jen.Id("classInfos").Index(jen.Id("s").Op("/").Lit(100)))),
		jen.Return(jen.Nil()),
	)
	f.Line()
	f.Comment("// String returns the status's Go name, such as \"BadRequest\", or \"Status(418)\"")
	f.Comment("// for a status the catalog does not list exactly.")
	f.Func().Params(jen.Id("s").Id("Status")).Id("String").Params().String().Block(
		jen.If(jen.List(jen.Id("i"), jen.Id("ok")).Op(":=").Id("statusInfos").Index(jen.Id("s")), jen.Id("ok")).Block(jen.Return(jen.Id("i").Dot("name"))),
		jen.Return(jen.Lit("Status(").Op("+").Qual(strconvPth, "Itoa").Call(jen.Int().Call(jen.Id("s"))).Op("+").Lit(")")),
	)
	f.Line()
	f.Comment("// Known reports whether the catalog lists s exactly.")
	f.Func().Params(jen.Id("s").Id("Status")).Id("Known").Params().Bool().Block(
		jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("statusInfos").Index(jen.Id("s")),
		jen.Return(jen.Id("ok")),
	)
	f.Line()
	f.Comment("// Description returns the vendor's description of s, or of its class, or \"\".")
	f.Func().Params(jen.Id("s").Id("Status")).Id("Description").Params().String().Block(
		jen.If(jen.Id("i").Op(":=").Id("s").Dot("info").Call(), jen.Id("i").Op("!=").Nil()).Block(jen.Return(jen.Id("i").Dot("description"))),
		jen.Return(jen.Lit("")),
	)
	f.Line()
	f.Comment("// Kind returns the vendor-neutral kind of s, from the catalog or else from")
	f.Comment("// apierr.DefaultKind.")
	f.Func().Params(jen.Id("s").Id("Status")).Id("Kind").Params().Qual(apierrPath, "Kind").Block(
		jen.If(jen.Id("i").Op(":=").Id("s").Dot("info").Call(), jen.Id("i").Op("!=").Nil()).Block(jen.Return(jen.Id("i").Dot("kind"))),
		jen.Return(jen.Qual(apierrPath, "DefaultKind").Call(jen.Int().Call(jen.Id("s")))),
	)
	f.Line()
	f.Comment("// Action returns what a client should do about s, from the catalog or else")
	f.Comment("// from apierr.DefaultAction.")
	f.Func().Params(jen.Id("s").Id("Status")).Id("Action").Params().Qual(apierrPath, "Action").Block(
		jen.If(jen.Id("i").Op(":=").Id("s").Dot("info").Call(), jen.Id("i").Op("!=").Nil()).Block(jen.Return(jen.Id("i").Dot("action"))),
		jen.Return(jen.Qual(apierrPath, "DefaultAction").Call(jen.Int().Call(jen.Id("s")))),
	)
	f.Line()
	f.Comment("// Statuses returns the exact statuses the catalog lists, in catalog order.")
	f.Func().Id("Statuses").Params().Index().Id("Status").Block(
		jen.Return(jen.Append(jen.Index().Id("Status").Call(jen.Nil()), jen.Id("statusOrder").Op("..."))),
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

func (g *gen) statusInfoLit(s *model.Status) jen.Code {
	d := []keyValue{
		{"name", jen.Id("name"), jen.Lit(s.GoName)},
		{"description", jen.Id("description"), jen.Lit(s.Description)},
		{"kind", jen.Id("kind"), kindLit(s.Kind)},
		{"action", jen.Id("action"), actionLit(s.Action)},
	}
	if g.c.HasSentinel(s) {
		d = append(d, keyValue{"err", jen.Id("err"), jen.Id("Err" + s.GoName)})
	}
	return dict(d)
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
			text := endSentence(fmt.Sprintf("Code%s is %s, returned with HTTP %d: %s", code.GoName, code.Text(), code.Status.Code, quote(code.Description)))
			if code.AliasOf != nil {
				text += fmt.Sprintf(" It is an alias of Code%s.", code.AliasOf.GoName)
			}
			comment(d, text)
			if code.Deprecated != "" {
				d.Comment("//")
				commentLines(d, deprecatedLines(g.deprecation(code, "Code")))
			}
			d.Id("Code" + code.GoName).Id("Code").Op("=").Add(g.codeLit(code))
		}
	})
	f.Line()
	f.Type().Id("codeInfo").Struct(
		jen.Id("name").String(),
		jen.Id("description").String(),
		jen.Id("status").Id("Status"),
		jen.Id("kind").Qual(apierrPath, "Kind"),
		jen.Id("action").Qual(apierrPath, "Action"),
		jen.Id("deprecated").String(),
		jen.Id("alias").Error(),
		jen.Id("err").Error(),
	)
	f.Line()
	infos := make([]keyValue, 0, len(c.Codes))
	for _, code := range c.Codes {
		d := []keyValue{
			{"name", jen.Id("name"), jen.Lit(code.GoName)},
			{"description", jen.Id("description"), jen.Lit(code.Description)},
			{"status", jen.Id("status"), jen.Id("Status" + code.Status.GoName)},
			{"kind", jen.Id("kind"), kindLit(code.Kind)},
			{"action", jen.Id("action"), actionLit(code.Action)},
			{"err", jen.Id("err"), jen.Id("Err" + code.GoName)},
		}
		if code.Deprecated != "" {
			d = append(d, keyValue{"deprecated", jen.Id("deprecated"), jen.Lit(code.Deprecated)})
		}
		if code.AliasOf != nil {
			d = append(d, keyValue{"alias", jen.Id("alias"), jen.Id("Err" + code.AliasOf.GoName)})
		}
		infos = append(infos, keyValue{"Code" + code.GoName, jen.Id("Code" + code.GoName), dict(d)})
	}
	f.Var().Id("codeInfos").Op("=").Map(jen.Id("Code")).Op("*").Id("codeInfo").Add(dict(infos))
	f.Line()
	f.Var().Id("codeOrder").Op("=").Index().Id("Code").ValuesFunc(func(gr *jen.Group) {
		for _, code := range c.Codes {
			gr.Id("Code" + code.GoName)
		}
	})
	f.Line()
	if c.CodeType == model.CodeString {
		f.Comment("// String returns the code as the vendor writes it.")
		f.Func().Params(jen.Id("c").Id("Code")).Id("String").Params().String().Block(jen.Return(jen.String().Call(jen.Id("c"))))
	} else {
		f.Comment("// String returns the code's Go name, such as \"CredentialsExpired\", or")
		f.Comment("// \"Code(4999)\" for a code the catalog does not list.")
		f.Func().Params(jen.Id("c").Id("Code")).Id("String").Params().String().Block(
			jen.If(jen.List(jen.Id("i"), jen.Id("ok")).Op(":=").Id("codeInfos").Index(jen.Id("c")), jen.Id("ok")).Block(jen.Return(jen.Id("i").Dot("name"))),
			jen.Return(jen.Lit("Code(").Op("+").Qual(strconvPth, "FormatInt").Call(jen.Int64().Call(jen.Id("c")), jen.Lit(10)).Op("+").Lit(")")),
		)
	}
	f.Line()
	accessor := func(doc, name string, typ jen.Code, field string, zero jen.Code) {
		f.Comment(doc)
		f.Func().Params(jen.Id("c").Id("Code")).Id(name).Params().Add(typ).Block(
			jen.If(jen.List(jen.Id("i"), jen.Id("ok")).Op(":=").Id("codeInfos").Index(jen.Id("c")), jen.Id("ok")).Block(jen.Return(jen.Id("i").Dot(field))),
			jen.Return(zero),
		)
		f.Line()
	}
	accessor("// Description returns the vendor's description of c, or \"\".", "Description", jen.String(), "description", jen.Lit(""))
	accessor("// Status returns the HTTP status the vendor returns c with, or 0.", "Status", jen.Id("Status"), "status", jen.Lit(0))
	accessor("// Kind returns the vendor-neutral kind of c, or apierr.KindUnknown.", "Kind", jen.Qual(apierrPath, "Kind"), "kind", jen.Qual(apierrPath, "KindUnknown"))
	accessor("// Action returns what a client should do about c, or apierr.ActionNone.", "Action", jen.Qual(apierrPath, "Action"), "action", jen.Qual(apierrPath, "ActionNone"))
	accessor("// Deprecated returns why c is deprecated, or \"\" if it is current.", "Deprecated", jen.String(), "deprecated", jen.Lit(""))
	f.Comment("// Known reports whether the catalog lists c.")
	f.Func().Params(jen.Id("c").Id("Code")).Id("Known").Params().Bool().Block(
		jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("codeInfos").Index(jen.Id("c")),
		jen.Return(jen.Id("ok")),
	)
	f.Line()
	f.Comment("// Codes returns every code the catalog lists, in catalog order.")
	f.Func().Id("Codes").Params().Index().Id("Code").Block(
		jen.Return(jen.Append(jen.Index().Id("Code").Call(jen.Nil()), jen.Id("codeOrder").Op("..."))),
	)
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
			if !c.HasSentinel(s) {
				continue
			}
			var text, msg string
			if s.Class {
				text = fmt.Sprintf("Err%s matches every %s error with a %s status.", s.GoName, vendor, s.Text())
				msg = fmt.Sprintf("%s: %s status (%s)", c.Vendor.ID, s.Text(), errorName(s.Name))
			} else {
				text = fmt.Sprintf("Err%s matches every %s error with HTTP status %d, whatever its code.", s.GoName, vendor, s.Code)
				if s.Code < 400 {
					text += fmt.Sprintf(" %d is a success status: such an error is one a body format reports inside the response.", s.Code)
				}
				msg = fmt.Sprintf("%s: HTTP %d (%s)", c.Vendor.ID, s.Code, errorName(s.Name))
			}
			comment(d, text)
			d.Id("Err"+s.GoName).Op("=").Qual(errorsPath, "New").Call(jen.Lit(msg))
		}
		for _, code := range c.Codes {
			text := endSentence(fmt.Sprintf("Err%s matches %s errors with code %s: %s", code.GoName, vendor, code.Text(), quote(code.Description)))
			comment(d, text)
			if code.Deprecated != "" {
				d.Comment("//")
				commentLines(d, deprecatedLines(g.deprecation(code, "Err")))
			}
			d.Id("Err"+code.GoName).Op("=").Qual(errorsPath, "New").Call(jen.Lit(codeErrorText(c.Vendor.ID, code)))
		}
	})
	f.Line()
}

func (g *gen) matchers(f *jen.File) {
	c := g.c
	vendor := oneLine(c.Vendor.Name)
	matcher := func(name, text, deprecated string) {
		comment(f.Group, text)
		if deprecated != "" {
			f.Comment("//")
			commentLines(f.Group, deprecatedLines(deprecated))
		}
		f.Func().Id("Is" + name).Params(jen.Id("err").Error()).Bool().Block(
			jen.Return(jen.Qual(errorsPath, "Is").Call(jen.Id("err"), jen.Id("Err"+name))),
		)
		f.Line()
	}
	for _, s := range c.Statuses {
		if !c.HasSentinel(s) {
			continue
		}
		if s.Class {
			matcher(s.GoName, fmt.Sprintf("Is%s reports whether err, or any error it wraps or joins, is %s error with a %s status.", s.GoName, withArticle(vendor), s.Text()), "")
		} else {
			matcher(s.GoName, fmt.Sprintf("Is%s reports whether err, or any error it wraps or joins, is %s error with HTTP status %d.", s.GoName, withArticle(vendor), s.Code), "")
		}
	}
	for _, code := range c.Codes {
		text := fmt.Sprintf("Is%s reports whether err, or any error it wraps or joins, is %s error with code %s.", code.GoName, withArticle(vendor), code.Text())
		matcher(code.GoName, text, g.deprecation(code, "Is"))
	}
}

// deprecation is the reason of a deprecated code's Deprecated: paragraph
// on a declaration that starts with prefix (Code, Err or Is): the
// catalog's text, then the Go identifiers of the codes it names, so that
// gopls and pkg.go.dev point to what to use. "" for a current code.
func (g *gen) deprecation(code *model.Code, prefix string) string {
	if code.Deprecated == "" {
		return ""
	}
	text := endSentence(code.Deprecated)
	var names []string
	for _, r := range g.c.Replacements(code) {
		names = append(names, prefix+r.GoName)
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
