package golang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"
)

// commentWidth is where doc comments wrap, as gofmt'd Go code usually does.
const commentWidth = 76

// docLines turns free text from a catalog into doc-comment lines: control
// characters and invalid UTF-8 become spaces, blank lines separate
// paragraphs, and long lines wrap at word boundaries. Each line is emitted
// as its own // comment (see comment), so text such as "*/" or
// "// Code generated" can never end or fake a comment.
func docLines(text string) []string {
	text = strings.ToValidUTF8(text, " ")
	var out []string
	for i, para := range paragraphs(text) {
		if i > 0 {
			out = append(out, "")
		}
		line := ""
		for _, w := range strings.Fields(para) {
			switch {
			case line == "":
				line = w
			case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > commentWidth:
				out = append(out, line)
				line = w
			default:
				line += " " + w
			}
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

func paragraphs(text string) []string {
	text = strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, text)
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// comment adds the lines of text as // comments. jennifer renders a Comment
// that starts with "//" verbatim, so every line is written out whole and
// jennifer never chooses a /* */ block.
func comment(g *jen.Group, text string) {
	for _, l := range docLines(text) {
		if l == "" {
			g.Comment("//")
			continue
		}
		g.Comment("// " + l)
	}
}

// quote puts vendor text in double quotes for a doc comment, folded to one
// paragraph; comment wraps it. Quotes inside stay as written: a comment
// needs no escaping.
func quote(s string) string {
	return `"` + oneLine(s) + `"`
}

// endSentence ends text with a full stop unless it already ends with one
// (or with ! or ?), inside closing quotes included: `"Not found."` rather
// than `"Not found.".`.
func endSentence(text string) string {
	t := strings.TrimSuffix(text, `"`)
	if strings.HasSuffix(t, ".") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, "?") {
		return text
	}
	return text + "."
}
