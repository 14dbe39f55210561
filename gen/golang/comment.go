package golang

import (
	godoc "go/doc/comment"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/errcat/errcat/gen/model"
)

// commentWidth is where doc comments wrap, as gofmt'd Go code usually does.
const commentWidth = 76

// docLines turns free text from a catalog into doc-comment lines: it is
// the one escaping function every catalog text reaching a comment passes
// through. Invalid UTF-8 becomes U+FFFD; control characters, bidi overrides,
// the byte-order mark and every other model.Hidden character become spaces;
// blank lines separate paragraphs; long lines wrap at word boundaries. Each
// line is emitted as its own // comment (see comment), so text such as "*/"
// or "// Code generated" can never end or fake a comment, and a line of
// catalog text that would start with the "Deprecated:" marker is written
// "Deprecated —", so a description cannot deprecate what it documents.
func docLines(text string) []string {
	return wrap(text, false)
}

// deprecatedLines is the emitter's own "Deprecated: reason" paragraph: only
// its first word is a marker; the reason is catalog text like any other.
func deprecatedLines(reason string) []string {
	return wrap(deprecatedMarker+" "+reason, true)
}

const deprecatedMarker = "Deprecated:"

func wrap(text string, marker bool) []string {
	var out []string
	for i, para := range paragraphs(text) {
		if i > 0 {
			out = append(out, "")
		}
		var line strings.Builder
		n := 0 // runes in line
		for j, w := range strings.Fields(para) {
			if n == 0 && strings.EqualFold(w, deprecatedMarker) && !(marker && i == 0 && j == 0) {
				w = w[:len(w)-1] + " —" // a marker only as written by the emitter
			}
			wn := utf8.RuneCountInString(w)
			switch {
			case n == 0:
			case n+1+wn > commentWidth:
				out = append(out, line.String())
				line.Reset()
				n = 0
				if strings.EqualFold(w, deprecatedMarker) {
					w = w[:len(w)-1] + " —"
					wn = utf8.RuneCountInString(w)
				}
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

// plainDoc keeps a whole comment's catalog text plain text in Go's doc
// comment syntax (go/doc/comment), whose only markup that survives wrap's
// folding of white space is the heading and the link definition. A
// paragraph must not become a heading (a "# " line, or an old-style heading:
// one capitalised line without final punctuation between two paragraphs,
// which gofmt rewrites to "# "), nor a line a link definition ("[text]: URL"
// hides the line and retargets links). The emitter writes neither itself, so
// as with the "Deprecated:" marker the smallest visible change defeats each:
// "# x" becomes "#x", an old-style heading gets a full stop, "]:" becomes
// "] :".
func plainDoc(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if strings.HasPrefix(l, "[") {
			if j := strings.Index(l, "]:"); j > 0 {
				l = l[:j] + "] :" + l[j+2:]
			}
		}
		startsParagraph := i == 0 || lines[i-1] == ""
		if startsParagraph && (strings.HasPrefix(l, "# ") || strings.HasPrefix(l, "#\t")) {
			l = "#" + strings.TrimLeft(l[1:], " \t")
		}
		if i > 0 && lines[i-1] == "" && i+2 < len(lines) && lines[i+1] == "" && isOldHeading(l) {
			l += "."
		}
		out[i] = l
	}
	return out
}

// isOldHeading reports whether go/doc/comment reads line, set off by blank
// lines between two paragraphs (the context plainDoc checked), as a heading:
// the parser's own answer, not a copy of its rules.
func isOldHeading(line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	if !unicode.IsUpper(r) {
		return false // the parser's first rule; skips the parse for most text
	}
	var p godoc.Parser
	d := p.Parse("x.\n\n" + line + "\n\nx.\n")
	for _, b := range d.Content {
		if _, ok := b.(*godoc.Heading); ok {
			return true
		}
	}
	return false
}

// paragraphs splits clean text at blank lines.
func paragraphs(text string) []string {
	text = model.CleanText(strings.ReplaceAll(text, "\r\n", "\n"))
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// escapeLine is docLines for text that must stay one line as it is (an
// example's expected output): Hidden characters and line breaks become
// spaces, nothing wraps. The loader refuses such characters in the values
// these lines print (string codes), so the escaping never changes them.
func escapeLine(text string) string {
	return strings.ReplaceAll(model.CleanText(text), "\n", " ")
}

// comment adds the lines of text as // comments. jennifer renders a Comment
// that starts with "//" verbatim, so every line is written out whole and
// jennifer never chooses a /* */ block.
func comment(g *jen.Group, text string) {
	commentLines(g, docLines(text))
}

func commentLines(g *jen.Group, lines []string) {
	for _, l := range plainDoc(lines) {
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
