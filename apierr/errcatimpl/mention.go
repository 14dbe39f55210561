package errcatimpl

import (
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxUnescapeRounds bounds how many layers of escaping MentionsKey undoes
// (&amp;#95; is two).
const maxUnescapeRounds = 4

// MentionsKey reports whether text names one of keys in any form, as
// [ScrubbedText] decides what to withhold: keys and text are compared by
// their letters and digits only, ignoring case (full-width letters count as
// their ASCII forms), in text as given, with markup tags removed, and after
// each round of undoing escapes (backslash escapes such as \u005f and \x5f,
// percent and quoted-printable escapes, HTML and XML character references).
// A key with no letter or digit is looked for as given, ignoring case.
func MentionsKey(text string, keys []string) bool {
	if len(keys) == 0 || text == "" {
		return false
	}
	norm := make([]string, 0, len(keys))
	for _, k := range keys {
		n := keyLetters(k)
		if n == "" {
			if strings.Contains(text, k) || strings.Contains(strings.ToLower(text), strings.ToLower(k)) {
				return true
			}
			continue
		}
		norm = append(norm, n)
	}
	if len(norm) == 0 {
		return false
	}
	found := func(s string) bool {
		for _, v := range []string{keyLetters(s), keyLetters(stripTags(s))} {
			for _, k := range norm {
				if strings.Contains(v, k) {
					return true
				}
			}
		}
		return false
	}
	for round := 0; ; round++ {
		if found(text) {
			return true
		}
		if round == maxUnescapeRounds {
			return false
		}
		next := unescapeAll(text)
		if next == text {
			return false
		}
		text = next
	}
}

// keyLetters is s reduced to its letters and digits, lower-cased, with
// full-width forms as ASCII: the form in which keys are compared.
func keyLetters(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r, ok := keyRune(r); ok {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// keyRune maps r to its lower-case form, with full-width ASCII as ASCII,
// and reports whether it is a letter or digit, the characters that count in
// a key.
func keyRune(r rune) (rune, bool) {
	if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
		r -= 0xFEE0
	}
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return r, true
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A'), true
	case r < utf8.RuneSelf:
		return 0, false
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return unicode.ToLower(r), true
	}
	return 0, false
}

// sameKey reports whether the member name k matches key ignoring case and
// every character but letters and digits, without allocating. Names with
// no letter or digit match only as themselves, ignoring case.
func sameKey(k, key string) bool {
	i, j := 0, 0
	matched := false
	for {
		var a, b rune
		aok, bok := false, false
		for i < len(k) && !aok {
			r, size := utf8.DecodeRuneInString(k[i:])
			i += size
			a, aok = keyRune(r)
		}
		for j < len(key) && !bok {
			r, size := utf8.DecodeRuneInString(key[j:])
			j += size
			b, bok = keyRune(r)
		}
		switch {
		case aok != bok:
			return false
		case !aok:
			return matched || strings.EqualFold(k, key)
		case a != b:
			return false
		}
		matched = true
	}
}

// stripTags removes <...> markup from s.
func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unescapeAll undoes one layer of each escape a server might use to spell a
// name: HTML and XML character references, backslash escapes (\uXXXX,
// \UXXXXXXXX, \xXX, \c), percent (%XX) and quoted-printable (=XX) escapes.
func unescapeAll(s string) string {
	s = html.UnescapeString(s)
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'u':
				if r, ok := hexRune(s, i+2, 4); ok {
					b.WriteRune(r)
					i += 6
					continue
				}
			case 'U':
				if r, ok := hexRune(s, i+2, 8); ok {
					b.WriteRune(r)
					i += 10
					continue
				}
			case 'x':
				if r, ok := hexRune(s, i+2, 2); ok {
					b.WriteRune(r)
					i += 4
					continue
				}
			}
			i++ // drop the backslash of any other escape
			continue
		}
		if (c == '%' || c == '=') && i+2 < len(s) {
			if r, ok := hexRune(s, i+1, 2); ok {
				b.WriteRune(r)
				i += 3
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// hexRune reads n hex digits of s at i as a rune.
func hexRune(s string, i, n int) (rune, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i:i+n], 16, 32)
	if err != nil || v > utf8.MaxRune {
		return 0, false
	}
	return rune(v), true
}
