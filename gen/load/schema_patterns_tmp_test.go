package load

import (
	"go/token"
	"go/types"
	"sort"
	"strings"
	"unicode"

	"github.com/errcat/errcat/gen/model"
)

// reservedWords are the Go keywords and predeclared identifiers that
// model.IsReservedWord refuses as catalog names.
func reservedWords() []string {
	var out []string
	for tok := token.BREAK; tok <= token.VAR; tok++ {
		if tok.IsKeyword() && model.IsReservedWord(tok.String()) {
			out = append(out, tok.String())
		}
	}
	for _, n := range types.Universe.Names() {
		if model.IsReservedWord(n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// anyCase spells word as a case-insensitive ECMA-262 and RE2 pattern.
func anyCase(word string) string {
	var b strings.Builder
	for _, r := range word {
		if unicode.IsLetter(r) {
			b.WriteString("[" + string(unicode.ToUpper(r)) + string(unicode.ToLower(r)) + "]")
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func reservedWordPattern() string {
	var alts []string
	for _, w := range reservedWords() {
		alts = append(alts, anyCase(w))
	}
	return "^(?:" + strings.Join(alts, "|") + ")$"
}

// identWords splits a Go identifier made by model.GoName into its words:
// HTTPStatus → HTTP, Status.
func identWords(id string) []string {
	var words []string
	start := 0
	for i := 1; i < len(id); i++ {
		up := unicode.IsUpper(rune(id[i]))
		if up && (!unicode.IsUpper(rune(id[i-1])) || (i+1 < len(id) && unicode.IsLower(rune(id[i+1])))) {
			words = append(words, id[start:i])
			start = i
		}
	}
	return append(words, id[start:])
}

// identPattern matches the usual spellings of catalog names that
// model.GoName turns into one of idents: each word in lower, Title or UPPER
// case, words separated by non-alphanumerics or joined in camel case
// ("request id", "REQUEST_ID", "requestId", "RequestID").
func identPattern(idents []string) string {
	const sep = "[^A-Za-z0-9]"
	title := func(w string) string { return strings.ToUpper(w[:1]) + strings.ToLower(w[1:]) }
	cases := func(w string) string {
		return "(?:" + strings.ToLower(w) + "|" + title(w) + "|" + strings.ToUpper(w) + ")"
	}
	var alts []string
	seen := map[string]bool{}
	sorted := append([]string(nil), idents...)
	sort.Strings(sorted)
	for _, id := range sorted {
		if seen[id] {
			continue
		}
		seen[id] = true
		words := identWords(id)
		p := cases(words[0])
		for _, w := range words[1:] {
			p += "(?:" + sep + "+" + cases(w) + "|" + title(w) + ")"
		}
		alts = append(alts, p)
	}
	return "^" + sep + "*(?:" + strings.Join(alts, "|") + ")" + sep + "*$"
}
