package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Item 9: invisible formatting characters do not reach a printed line.
func TestOneLineDropsInvisibleFormatting(t *testing.T) {
	for in, want := range map[string]string{
		"a\u200bb":                  "ab",
		"\ufeffstart":               "start",
		"user \u202eadmin\u202c ok": "user admin ok",
		"x\u2066y\u2069z":           "xyz",
		"tag\U000E0041":             "tag",
		"no\u00a0break\u3000space":  "no break space",
		"soft\u00adhyphen":          "softhyphen",
	} {
		if got := OneLine(in, 100); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOneLine(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"plain", 200, "plain"},
		{"  a\n\tb\r\n  c  ", 200, "a b c"},
		{"\x1b[31mred\x1b[0m", 200, "[31mred [0m"},
		{"bad \xff utf8", 200, "bad utf8"},
		{"line\u2028sep", 200, "line sep"},
		{"abcdefghij", 5, "abcde…"},
		{"ab cd ef", 4, "ab c…"},
		{"", 10, ""},
	}
	for _, c := range cases {
		if got := OneLine(c.in, c.max); got != c.want {
			t.Errorf("OneLine(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
	long := OneLine(strings.Repeat("é", 1000), 100)
	if !utf8.ValidString(long) || utf8.RuneCountInString(long) > 101 {
		t.Errorf("long input: %d runes, valid %v", utf8.RuneCountInString(long), utf8.ValidString(long))
	}
}
