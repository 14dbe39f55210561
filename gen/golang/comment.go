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
	var out []string
	for i, para := range paragraphs(text) {
		if i > 0 {
			out = append(out, "")
		}
		var line strings.Builder
		n := 0 // runes in line
		for _, w := range strings.Fields(para) {
			wn := utf8.RuneCountInString(w)
			switch {
			case n == 0:
			case n+1+wn > commentWidth:
				out = append(out, line.String())
				line.Reset()
				n = 0
			default:
				line.WriteByte(' ')
				n++
			}
			line.WriteString(w)
			n += wn
		}
		if n > 0 {
			out = append(out, line.String())
		}
	}
	return out
}

// paragraphs splits clean text at blank lines.
func paragraphs(text string) []string {
	text = clean(text)
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// clean makes invalid UTF-8 and control characters other than line
// breaks spaces; the line and paragraph separators U+2028 and U+2029 too.
func clean(text string) string {
	plain := true // printable ASCII and line breaks only: nothing to do
	for i := 0; i < len(text) && plain; i++ {
		c := text[i]
		plain = c >= 0x20 && c < 0x7f || c == '\n'
	}
	if plain {
		return text
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(text, " "))
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
