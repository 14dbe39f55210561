package load

import (
	"encoding/json"
	"go/token"
	"go/types"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/errcat/errcat/gen/model"
)

const schemaFile = "../../catalog/errcat.schema.json"

// TestSchemaEnums checks the schema's spellings against the loader's.
func TestSchemaEnums(t *testing.T) {
	s := readSchema(t)
	defs := s["$defs"].(map[string]any)
	check := func(what string, got any, want []string) {
		t.Helper()
		var g []string
		for _, x := range got.([]any) {
			g = append(g, x.(string))
		}
		a, b := append([]string(nil), g...), append([]string(nil), want...)
		sort.Strings(a)
		sort.Strings(b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: schema has %v, loader %v", what, g, want)
		}
	}
	check("kinds", defs["kind"].(map[string]any)["enum"], kindNames)
	check("actions", defs["action"].(map[string]any)["enum"], actionNames)
	field := dig(s, "properties", "bodies", "items", "properties", "fields", "items").(map[string]any)
	check("field types", dig(field, "properties", "type", "enum"), model.FieldTypes())
	check("roles", dig(field, "properties", "role", "enum"), roleNames)
	check("folds", dig(field, "properties", "fold", "enum"), foldNames)
	check("code set types", dig(s, "properties", "code_sets", "items", "properties", "type", "enum"), setTypeNames)
	check("delay formats", dig(s, "properties", "retry", "properties", "delays", "items", "properties", "format", "enum"), model.DelayFormats())
	check("code types", dig(s, "properties", "codes", "properties", "type", "enum"), []string{"integer", "string"})
	check("contents", dig(s, "properties", "bodies", "items", "properties", "content", "enum"), []string{"json", "text", "xml"})
	body := dig(s, "properties", "bodies", "items", "properties").(map[string]any)
	check("presets", dig(body, "preset", "enum"), []string{"problem_details"})
	check("code_from", dig(body, "code_from", "enum"), model.URIParts())
	check("format versions", dig(s, "properties", "format", "enum"), []string{model.FormatV1, model.FormatVersion})
	for what, re := range map[string]string{
		"vendor.id":      vendorIDPattern.String(),
		"vendor.package": packagePattern.String(),
	} {
		key := strings.TrimPrefix(what, "vendor.")
		if got := dig(s, "properties", "vendor", "properties", key, "pattern"); got != re {
			t.Errorf("%s pattern: schema has %v, loader %s", what, got, re)
		}
	}
	// The schema's media type pattern is the loader's two, either case.
	mt := dig(body, "media_types", "items", "pattern").(string)
	for _, c := range []struct {
		s  string
		ok bool
	}{{"application/problem+json", true}, {"Text/XML", true}, {"+xml", true}, {"+json", true}, {"application/json; charset=utf-8", false}, {"json", false}, {"+", false}, {"a/b/c", false}, {"/x", false}} {
		lower := strings.ToLower(c.s)
		if got := regexp.MustCompile(mt).MatchString(c.s); got != c.ok || (mediaTypePattern.MatchString(lower) || mediaSuffixPattern.MatchString(lower)) != c.ok {
			t.Errorf("media type %q: schema %v, want %v", c.s, got, c.ok)
		}
	}
	if got := dig(defs, "headerName", "pattern"); got != headerPattern.String() {
		t.Errorf("header pattern: schema has %v, loader %s", got, headerPattern.String())
	}
}

// TestSchemaPatterns checks the generated name patterns of the schema: run
// it after changing reservedIdents, errorMembers or the reserved words, and
// paste the wanted pattern it prints.
func TestSchemaPatterns(t *testing.T) {
	s := readSchema(t)
	defs := s["$defs"].(map[string]any)
	for what, c := range map[string]struct {
		got  any
		want string
	}{
		"$defs.reservedWord":      {dig(defs, "reservedWord", "anyOf", 0, "pattern"), reservedWordPattern()},
		"$defs.memberName":        {dig(defs, "memberName", "pattern"), identPattern(errorMembers)},
		"$defs.packageIdentName":  {dig(defs, "packageIdentName", "pattern"), identPattern(reservedIdents)},
		"$defs.warningMemberName": {dig(defs, "warningMemberName", "pattern"), identPattern(model.WarningMembers)},
	} {
		if c.got != c.want {
			t.Errorf("%s pattern is out of date; want\n%s", what, c.want)
		}
	}

	// The patterns against the loader's own rules. They are plain "type:
	// string" and "pattern" schemas, written for both ECMA-262 and RE2, so
	// regexp matches as a validator does; the whole "$defs/name" schema is
	// checked with a JSON Schema validator in internal/devtest/schema.
	member := regexp.MustCompile(dig(defs, "memberName", "pattern").(string))
	pkgIdent := regexp.MustCompile(dig(defs, "packageIdentName", "pattern").(string))
	warningMember := regexp.MustCompile(dig(defs, "warningMemberName", "pattern").(string))
	for set, re := range map[*[]string]*regexp.Regexp{&errorMembers: member, &reservedIdents: pkgIdent, &model.WarningMembers: warningMember} {
		for _, id := range *set {
			for _, spelling := range identSpellings(id) {
				if g, err := model.GoName(spelling); err != nil || g != id {
					t.Errorf("GoName(%q) = %q, %v; the schema assumes %s", spelling, g, err, id)
				}
				if !re.MatchString(spelling) {
					t.Errorf("schema does not recognise %q as %s", spelling, id)
				}
			}
		}
	}
	for _, ok := range []string{"messages", "error message", "status code", "mess age", "code1", "request id", "headers"} {
		if member.MatchString(ok) {
			t.Errorf("schema takes %q for an Error member", ok)
		}
	}
}

// identSpellings are the usual ways to write a catalog name making id.
func identSpellings(id string) []string {
	words := identWords(id)
	lower := make([]string, len(words))
	upper := make([]string, len(words))
	title := make([]string, len(words))
	for i, w := range words {
		lower[i], upper[i] = strings.ToLower(w), strings.ToUpper(w)
		title[i] = strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
	}
	camel := lower[0] + strings.Join(title[1:], "")
	return []string{
		strings.Join(lower, " "), strings.Join(lower, "_"), strings.Join(upper, "_"),
		strings.Join(title, " "), strings.Join(title, ""), camel, " " + strings.Join(lower, "-") + " ",
	}
}

func readSchema(t testing.TB) map[string]any {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// dig walks a decoded JSON document by object keys and array indexes.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[p]
		case int:
			a, ok := v.([]any)
			if !ok || p >= len(a) {
				return nil
			}
			v = a[p]
		}
	}
	return v
}

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

// TestSchemaPaths holds the schema's path patterns to the loader's
// grammars: every path the loader reads matches them; the refusals a
// regular expression can state do not.
func TestSchemaPaths(t *testing.T) {
	s := readSchema(t)
	v1 := regexp.MustCompile(dig(s, "$defs", "pathV1", "pattern").(string))
	v2 := regexp.MustCompile(dig(s, "$defs", "path", "pattern").(string))
	for _, in := range []string{
		"code", "errors[0].extensions.code", "a.*", "error['.tag']", `error[".tag"]`, `a['it\'s']`, `a["x\u00e9\n"]`,
		"errors.*[*]", "data.*.userErrors[*]", "[0].code", "[*].message", "[ * ]",
		`details[?@['@type'] == 'type.googleapis.com/google.rpc.ErrorInfo'].reason`, `d[?@.type=="x"]`,
		`d[?@.a[0].b == 12.5]`, `d[?@ == true]`, `d[?@.n == null].x`, `d[?@.n == -1]`,
	} {
		if _, err := parsePath(in); err != nil {
			t.Errorf("loader refuses %q: %s", in, err.why)
		}
		if !v2.MatchString(in) {
			t.Errorf("schema path pattern refuses %q", in)
		}
		if _, why := parsePathV1(in); (why == "") != v1.MatchString(in) {
			t.Errorf("v1: loader says %q, schema matches %v for %q", why, v1.MatchString(in), in)
		}
	}
	for _, in := range []string{"", "error..tag", "a['x", `a['x\q']`, "a[?@.type == 'x'", "a[?@.type != 'x']", "a[?@.type == x]", "a[?type == 'x']", "a[?@.* == 'x']", "a[x]", "a[0]b", "a.", "a[1048577]", strings.Repeat("[*]", 33)} {
		if v2.MatchString(in) {
			t.Errorf("schema path pattern takes %q, which the loader refuses", in)
		}
	}
}
