// Package text holds the text helpers that both the transport (apierr) and
// generated code (through errcatimpl) use.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// OneLine makes text fit one line of an error message or a log record:
// invalid UTF-8, control characters and every kind of white space become
// spaces, runs of them fold to one, invisible formatting characters
// (Unicode category Cf: zero-width spaces and joiners, byte order marks,
// bidirectional overrides and isolates, tags) are dropped so that text
// cannot reorder or hide what a log shows, and the result is cut to at most
// max runes with "…".
func OneLine(s string, max int) string {
	var b strings.Builder
	space := false
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError || r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == ' ' || (r >= 0x80 && unicode.IsSpace(r)) || r == '\u2028' || r == '\u2029' {
			space = b.Len() > 0
			continue
		}
		if r >= 0x80 && unicode.Is(unicode.Cf, r) {
			continue
		}
		if space {
			if n+1 >= max {
				break
			}
			b.WriteByte(' ')
			n++
			space = false
		}
		if n >= max {
			break
		}
		b.WriteRune(r)
		n++
		if n == max && i < len(s) {
			return strings.TrimRight(b.String(), " ") + "…"
		}
	}
	return b.String()
}
