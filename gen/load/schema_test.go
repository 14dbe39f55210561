package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"go/types"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/model"
)

const schemaFile = "../../catalog/errcat.schema.json"

// loaderOnly lists the invalid fixtures that only the loader rejects,
// because JSON Schema cannot state the rule. Keep it short and honest: the
// test fails if the schema starts rejecting one of them.
var loaderOnly = map[string]string{
	"03-multiple-documents":         "a schema validates one document at a time; the file's second document is itself valid",
	"04-yaml-anchor-alias":          "aliases are resolved before validation: the schema sees a plain, if duplicated, status entry",
	"17-duplicate-status":           "uniqueness of one property across array items is not expressible",
	"18-duplicate-code":             "uniqueness of one property across array items is not expressible",
	"19-names-normalise-alike":      "comparing names after Go-name normalisation needs the loader's algorithm",
	"23-code-status-undocumented":   "a code's status must be one listed under statuses: a cross-reference between values",
	"36-delay-field-unknown":        "a delay field must name a body field: a cross-reference between values",
	"41-alias-of-unknown":           "alias_of must name a listed code: a cross-reference between values",
	"42-alias-of-self":              "comparing two values of one entry is not expressible",
	"43-code-shares-status-name":    "a code's Go identifiers must not clash with a status's: a cross-reference after normalisation",
	"49-body-names-normalise-alike": "comparing body names after Go-name normalisation needs the loader's algorithm",
	"54-rate-limit-duplicate":       "uniqueness of scope, method and path across array items is not expressible",
}

func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	abs, err := filepath.Abs(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := jsonschema.NewCompiler().Compile(abs)
	if err != nil {
		t.Fatalf("compiling %s: %v", schemaFile, err)
	}
	return sch
}

// yamlDocs decodes every YAML document of data into plain values, as an
// editor's YAML language server does before validating, and converts them
// to JSON values (json.Number keeps integers exact).
func yamlDocs(data []byte) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []any
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		text, err := json.Marshal(jsonValue(v))
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(text))
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		docs = append(docs, nil) // an empty file is the null document
	}
	return docs, nil
}

// jsonValue turns a decoded YAML value into one encoding/json can write:
// map keys become strings, timestamps their text, non-finite floats text.
func jsonValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = jsonValue(x)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[fmt.Sprint(k)] = jsonValue(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = jsonValue(x)
		}
		return out
	case time.Time:
		if v.Equal(v.Truncate(24 * time.Hour)) {
			return v.Format(time.DateOnly)
		}
		return v.Format(time.RFC3339Nano)
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return fmt.Sprint(v)
		}
	}
	return v
}

// schemaVerdict validates every document of data; a file that is not
// YAML at all is rejected by the schema as by the loader.
func schemaVerdict(sch *jsonschema.Schema, data []byte) error {
	docs, err := yamlDocs(data)
	if err != nil {
		return fmt.Errorf("not YAML: %w", err)
	}
	for _, doc := range docs {
		if err := sch.Validate(doc); err != nil {
			return err
		}
	}
	return nil
}

// TestSchemaAgreesWithLoader checks that catalog/errcat.schema.json and the
// loader agree on every catalog we have: valid ones pass both, invalid
// fixtures fail both, except the few rules only the loader can check.
func TestSchemaAgreesWithLoader(t *testing.T) {
	sch := compileSchema(t)
	for _, file := range validCatalogs(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Bytes(file, data); err != nil {
			t.Errorf("%s: loader rejects a valid catalog: %v", file, err)
		}
		if err := schemaVerdict(sch, data); err != nil {
			t.Errorf("%s: schema rejects a valid catalog: %v", file, err)
		}
	}
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		seen[name] = true
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Bytes(file, data); err == nil {
			t.Errorf("%s: loader accepts an invalid fixture", file)
		}
		err = schemaVerdict(sch, data)
		reason, only := loaderOnly[name]
		switch {
		case err == nil && !only:
			t.Errorf("%s: schema accepts an invalid fixture (make the schema say it, or add it to loaderOnly with the reason it cannot)", file)
		case err != nil && only:
			t.Errorf("%s: schema now rejects it, so remove it from loaderOnly (%q): %v", file, reason, err)
		}
	}
	for name := range loaderOnly {
		if !seen[name] {
			t.Errorf("loaderOnly names %s, which is not a fixture", name)
		}
	}
}

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
	check("roles", dig(field, "properties", "role", "enum"), []string{"code", "message"})
	check("delay formats", dig(s, "properties", "retry", "properties", "delays", "items", "properties", "format", "enum"), model.DelayFormats())
	check("code types", dig(s, "properties", "codes", "properties", "type", "enum"), []string{"integer", "string"})
	check("contents", dig(s, "properties", "bodies", "items", "properties", "content", "enum"), []string{"json", "text"})
	if got := dig(s, "properties", "format", "const"); got != model.FormatVersion {
		t.Errorf("format: schema has %v, loader %s", got, model.FormatVersion)
	}
	for what, re := range map[string]string{
		"vendor.id":      vendorIDPattern.String(),
		"vendor.package": packagePattern.String(),
	} {
		key := strings.TrimPrefix(what, "vendor.")
		if got := dig(s, "properties", "vendor", "properties", key, "pattern"); got != re {
			t.Errorf("%s pattern: schema has %v, loader %s", what, got, re)
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
		"$defs.reservedWord":     {dig(defs, "reservedWord", "anyOf", 0, "pattern"), reservedWordPattern()},
		"$defs.memberName":       {dig(defs, "memberName", "pattern"), identPattern(errorMembers)},
		"$defs.packageIdentName": {dig(defs, "packageIdentName", "pattern"), identPattern(reservedIdents)},
	} {
		if c.got != c.want {
			t.Errorf("%s pattern is out of date; want\n%s", what, c.want)
		}
	}

	// The patterns, compiled in the schema, against the loader's own rules.
	abs, _ := filepath.Abs(schemaFile)
	c := jsonschema.NewCompiler()
	name := c.MustCompile(abs + "#/$defs/name")
	member := c.MustCompile(abs + "#/$defs/memberName")
	pkgIdent := c.MustCompile(abs + "#/$defs/packageIdentName")
	for _, w := range reservedWords() {
		for _, spelling := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
			if !model.IsReservedWord(spelling) {
				t.Errorf("%q: not reserved for the loader", spelling)
			}
			if name.Validate(spelling) == nil {
				t.Errorf("schema accepts the reserved name %q", spelling)
			}
		}
	}
	for _, ok := range []string{"bad request", "types", "stringy", "int 64", "nil value", "404", "X", "typeerror"} {
		if model.IsReservedWord(ok) {
			t.Fatalf("%q is reserved", ok)
		}
		if err := name.Validate(ok); err != nil {
			t.Errorf("schema refuses the name %q: %v", ok, err)
		}
	}
	for _, bad := range []any{"", " ", "---", "b\u0430d", "naïve", true, false} {
		if name.Validate(bad) == nil {
			t.Errorf("schema accepts the name %#v", bad)
		}
	}
	for set, sch := range map[*[]string]*jsonschema.Schema{&errorMembers: member, &reservedIdents: pkgIdent} {
		for _, id := range *set {
			for _, spelling := range identSpellings(id) {
				if g, err := model.GoName(spelling); err != nil || g != id {
					t.Errorf("GoName(%q) = %q, %v; the schema assumes %s", spelling, g, err, id)
				}
				if sch.Validate(spelling) != nil {
					t.Errorf("schema does not recognise %q as %s", spelling, id)
				}
			}
		}
	}
	for _, ok := range []string{"messages", "error message", "status code", "mess age", "code1", "request id", "headers"} {
		if member.Validate(ok) == nil {
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
