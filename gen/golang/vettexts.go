package golang

import (
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/gen/model"
)

// vetTextsName is the constant every generated package declares for
// `errcat vet`. Its presence marks a package as errcat's output; its value
// lists the texts the catalog documents. The name cannot collide with a
// catalog name: catalog names make only Status<Name>, Code<Name>,
// Err<Name> and Is<Name>, whose <Name> starts with an upper-case letter or
// a digit, never with "cat".
const vetTextsName = "ErrcatTexts"

// vetTextsHeader is the first line of the constant's value, naming its
// format; the analyzer (package vet) ignores a package whose constant
// starts otherwise.
const vetTextsHeader = "errcat-texts/v1"

// vetTextsGroup is how many lines of ErrcatTexts one parenthesised group
// of a large catalog holds.
const vetTextsGroup = 100

// vetTexts emits ErrcatTexts: one line per documented text (the
// description and known messages of every status that has a matcher, then
// of every code, in catalog order), each "<GoName>\t<text quoted as a Go
// string>". Quoting keeps any catalog text on one line and inert: the whole
// value is a Go string literal that jennifer escapes again.
func (g *gen) vetTexts(f *jen.File) {
	c := g.c
	var lines []string
	seen := map[string]bool{}
	add := func(goName, text string) {
		if text == "" {
			return
		}
		l := goName + "\t" + strconv.Quote(text) + "\n"
		if !seen[l] {
			seen[l] = true
			lines = append(lines, l)
		}
	}
	addAll := func(goName, description string, messages []model.Message) {
		add(goName, description)
		for _, m := range messages {
			add(goName, m.Text)
		}
	}
	for _, s := range c.Statuses {
		if c.HasSentinel(s) {
			addAll(s.GoName, s.Description, s.Messages)
		}
	}
	for _, code := range c.Codes {
		// The matcher's name after "Is": the Go name, or "Code"+Go name
		// for a code named like a status (model.CodeIdents).
		addAll(strings.TrimPrefix(code.Idents.Is, "Is"), code.Description, code.Messages)
	}
	comment(f.Group, vetTextsName+" is data for errcat vet, which reads it through go/types to point code that matches an error's text at the matcher to use instead; programs should not use it. Its first line names its format; each further line is the Go name of a status or code (the matcher is Is<name>), a tab, and a text the catalog documents for it (a description or a known message) quoted as a Go string.")
	value := jen.Lit(vetTextsHeader + "\n")
	if len(lines) <= vetTextsGroup {
		for _, l := range lines {
			value = value.Op("+").Line().Lit(l)
		}
	} else {
		// gofmt takes time quadratic in the length of a chain of +: a
		// 10,000-code catalog's chain took it 4 s. Parenthesised groups
		// keep every chain short and the value the same.
		for len(lines) > 0 {
			n := min(vetTextsGroup, len(lines))
			group := jen.Lit(lines[0])
			for _, l := range lines[1:n] {
				group = group.Op("+").Line().Lit(l)
			}
			value = value.Op("+").Line().Parens(group)
			lines = lines[n:]
		}
	}
	f.Const().Id(vetTextsName).Op("=").Add(value)
	f.Line()
}
