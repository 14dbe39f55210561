package model

import (
	"fmt"
	"go/token"
	"strings"
	"unicode"
)

// initialisms are written in upper case inside Go names, as golint and
// protobuf do: "request id" becomes RequestID, not RequestId.
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "AWS": true, "CPU": true, "CSS": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true, "IP": true,
	"JSON": true, "JWT": true, "LHS": true, "OK": true, "QPS": true, "RAM": true, "RHS": true, "RPC": true,
	"SDK": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true, "TCP": true, "TLS": true,
	"TTL": true, "UDP": true, "UI": true, "UID": true, "URI": true, "URL": true, "UTF8": true,
	"UUID": true, "VM": true, "WAF": true, "XML": true, "XMPP": true, "XSRF": true, "XSS": true,
}

// GoName turns a catalog name ("credentials expired", "request_id",
// "CredentialsExpired") into an exported Go identifier ("CredentialsExpired",
// "RequestID"). Words split on anything not a letter or digit and on case
// changes; initialisms stay upper case; a leading digit gets an "X" prefix.
// Only ASCII letters are accepted: Unicode look-alikes (a Cyrillic "а" in
// "Bаd") would make two names that read alike but differ.
func GoName(name string) (string, error) {
	for _, r := range name {
		if r > unicode.MaxASCII {
			return "", fmt.Errorf("name %q contains the non-ASCII character %q: Go names here are ASCII so that look-alike names cannot collide unseen; spell it in ASCII", name, r)
		}
	}
	var b strings.Builder
	for _, w := range splitWords(name) {
		up := strings.ToUpper(w)
		if initialisms[up] {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]))
		b.WriteString(strings.ToLower(w[1:]))
	}
	out := b.String()
	if out == "" {
		return "", fmt.Errorf("name %q has no letters or digits: give it a name such as \"credentials expired\"", name)
	}
	if out[0] >= '0' && out[0] <= '9' {
		out = "X" + out
	}
	if !token.IsIdentifier(out) {
		return "", fmt.Errorf("name %q does not make a Go identifier (got %q)", name, out)
	}
	return out, nil
}

// splitWords splits on non-alphanumerics, on lower-to-upper changes
// ("minorCode"), at the end of an upper-case run ("HTTPServer" → HTTP,
// Server) and between letters and digits only where a letter follows digits
// ("4xx" stays one word, so does "utf8").
func splitWords(s string) []string {
	var words []string
	runes := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, string(runes[start:end]))
		}
		start = -1
	}
	isAlnum := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i, r := range runes {
		if !isAlnum(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := runes[i-1]
		switch {
		case unicode.IsLower(prev) && unicode.IsUpper(r):
			flush(i)
			start = i
		case unicode.IsUpper(prev) && unicode.IsUpper(r) && i+1 < len(runes) && unicode.IsLower(runes[i+1]):
			flush(i)
			start = i
		}
	}
	flush(len(runes))
	return words
}

// IsReservedWord reports whether s is a Go keyword or predeclared identifier
// (in any case): a catalog name such as "nil" or "string" would read as Go
// itself in IsNil or ErrString, so catalogs must pick a descriptive name.
func IsReservedWord(s string) bool {
	l := strings.ToLower(s)
	return token.IsKeyword(l) || predeclared[l]
}

var predeclared = map[string]bool{
	"any": true, "append": true, "bool": true, "byte": true, "cap": true, "clear": true, "close": true,
	"comparable": true, "complex": true, "complex128": true, "complex64": true, "copy": true, "delete": true,
	"error": true, "false": true, "float32": true, "float64": true, "imag": true, "int": true, "int16": true,
	"int32": true, "int64": true, "int8": true, "iota": true, "len": true, "make": true, "max": true, "min": true,
	"new": true, "nil": true, "panic": true, "print": true, "println": true, "real": true, "recover": true,
	"rune": true, "string": true, "true": true, "uint": true, "uint16": true, "uint32": true, "uint64": true,
	"uint8": true, "uintptr": true,
}
