package model

import (
	"unicode"
	"unicode/utf8"
)

// Hidden reports whether r is a character that text printed from a catalog
// must never carry as it is: control characters (line breaks included),
// format characters (bidi overrides and isolates, the byte-order mark,
// zero-width joiners and spaces), line and paragraph separators, private-use
// characters and surrogates. They could end a comment, reorder what a
// reader sees (Trojan Source, CVE-2021-42574) or make go/scanner refuse the
// file ("illegal byte order mark"). Emitters replace them; the loader
// refuses them where a value is printed verbatim (string codes).
func Hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Co, unicode.Cs)
}

// Verbatim returns the first character of s that may not appear in a value
// printed verbatim in generated code, comments and docs (a string code):
// anything but printable characters and the ASCII space, such as line
// breaks, bidi overrides, the byte-order mark, zero-width or non-ASCII
// spaces, and invalid UTF-8 (reported as utf8.RuneError). at is its byte
// offset; ok is true when there is none.
func Verbatim(s string) (r rune, at int, ok bool) {
	for i, c := range s {
		if c == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return c, i, false
			}
		}
		if c != ' ' && !unicode.IsPrint(c) {
			return c, i, false
		}
	}
	return 0, 0, true
}

// CleanText makes catalog free text safe to print: invalid UTF-8 becomes
// U+FFFD and every Hidden character but the line feed becomes a space
// (callers fold or keep line feeds as their format needs).
func CleanText(s string) string {
	s = toValidUTF8(s)
	clean := true
	for _, r := range s {
		if r != '\n' && Hidden(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r != '\n' && Hidden(r) {
			r = ' '
		}
		out = append(out, r)
	}
	return string(out)
}

func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, r) // range yields U+FFFD for each invalid byte
	}
	return string(out)
}

// SourceName makes a catalog's source name (a file path) safe inside the
// headers of generated files, a // comment and an HTML comment: invalid
// UTF-8, Hidden characters and '>' (which could close the HTML comment with
// "-->") become '?'. UnsafeSourceName reports the names that need it; the
// pipeline refuses those, so headers always name the file as it is.
func SourceName(s string) string {
	if _, ok := UnsafeSourceName(s); ok {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '>' || r == utf8.RuneError || Hidden(r) {
			r = '?'
		}
		out = append(out, r)
	}
	return string(out)
}

// UnsafeSourceName returns the first character of s that SourceName would
// replace; ok is true when there is none.
func UnsafeSourceName(s string) (r rune, ok bool) {
	for i, c := range s {
		if c == '>' || Hidden(c) {
			return c, false
		}
		if c == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return c, false
			}
		}
	}
	return 0, true
}
