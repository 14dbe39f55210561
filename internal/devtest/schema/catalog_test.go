// Package schema holds the tests that check errcat's JSON Schemas
// (catalog/errcat.schema.json, docs/diff.schema.json) with a JSON Schema
// validator, as editors and report consumers use them. They live in this
// test-only module so that the validator never enters errcat's go.mod (see
// ARCHITECTURE.md, "Modules"); the schema checks that need no validator
// stay beside the code (gen/load/schema_test.go, gen/diff/diff_test.go).
package schema

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
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/model"
)

// root is the errcat repository, seen from this package.
const root = "../../.."

const schemaFile = root + "/catalog/errcat.schema.json"

// loaderOnly lists the invalid fixtures that only the loader rejects,
// because JSON Schema cannot state the rule. Keep it short and honest: the
// test fails if the schema starts rejecting one of them.
var loaderOnly = map[string]string{
	"03-multiple-documents":               "a schema validates one document at a time; the file's second document is itself valid",
	"04-yaml-anchor-alias":                "aliases are resolved before validation: the schema sees a plain, if duplicated, status entry",
	"17-duplicate-status":                 "uniqueness of one property across array items is not expressible",
	"18-duplicate-code":                   "uniqueness of one property across array items is not expressible",
	"19-names-normalise-alike":            "comparing names after Go-name normalisation needs the loader's algorithm",
	"23-code-status-undocumented":         "a code's status must be one listed under statuses: a cross-reference between values",
	"36-delay-field-unknown":              "a delay field must name a body field: a cross-reference between values",
	"41-alias-of-unknown":                 "alias_of must name a listed code: a cross-reference between values",
	"42-alias-of-self":                    "comparing two values of one entry is not expressible",
	"43-code-shares-status-name":          "a code's Go identifiers must not clash with a status's: a cross-reference after normalisation",
	"49-body-names-normalise-alike":       "comparing body names after Go-name normalisation needs the loader's algorithm",
	"54-rate-limit-duplicate":             "uniqueness of scope, method and path across array items is not expressible",
	"61-example-wrong-code":               "what code an example body yields needs the body formats' paths applied to it: the generated parser's reading",
	"62-example-not-error":                "whether an example is an error, or carries a code, needs the body formats applied to it: the generated parser's reading",
	"223-success-ident-clash":             "Warning and ItemError are reserved only when the catalog has a warnings or batch section, and compared after Go-name normalisation",
	"225-success-examples-find-nothing":   "whether a section's paths find items in its example needs the paths applied to the example's JSON text",
	"226-success-examples-not-json":       "whether an example string holds a JSON object needs parsing the string",
	"126-problem-about-blank-code":        "a code about:blank is refused only where a problem_details format reads codes: a cross-reference between values",
	"227-code-status-only-class-v2":       "a code's status must be one listed under statuses: a cross-reference between values",
	"145-code-status-names-still-collide": "identifiers made after Go-name normalisation and the ErrCode/IsCode rule must not clash: the loader's algorithm",
	"162-subcode-unknown-set":             "a field's set must name an entry of code_sets: a cross-reference JSON Schema cannot express",
	"164-subcode-duplicate":               "uniqueness of one property across array items is not expressible",
	"168-domain-field-unknown":            "a set's domain must name a body field: a cross-reference",
	"170-code-set-not-carried":            "some body field must name each set: a cross-reference",
	"104-from-key-without-wildcard":       "from: key needs a wildcard in the enclosing list's path: a cross-reference between values",
	"118-list-elem-mismatch":              "one field name's type in two formats must agree: a cross-reference between values",
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
		if _, err := load.Bytes(file, data); err != nil {
			t.Errorf("%s: loader rejects a valid catalog: %v", file, err)
		}
		if err := schemaVerdict(sch, data); err != nil {
			t.Errorf("%s: schema rejects a valid catalog: %v", file, err)
		}
	}
	files, err := filepath.Glob(root + "/gen/load/testdata/invalid/*.yaml")
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
		if _, err := load.Bytes(file, data); err == nil {
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

// validCatalogs are the shipped catalogs, the loader's valid fixtures, the
// feature catalogs and the consumer example's catalog.
func validCatalogs(t testing.TB) []string {
	t.Helper()
	var all []string
	for _, pattern := range []string{
		root + "/catalog/*.yaml",
		root + "/gen/load/testdata/valid/*.yaml",
		root + "/internal/features/catalog/*.yaml",
		root + "/examples/consumer/catalog/*.yaml",
	} {
		m, err := filepath.Glob(pattern)
		if err != nil || len(m) == 0 {
			t.Fatalf("no catalogs match %s: %v", pattern, err)
		}
		all = append(all, m...)
	}
	return all
}

// TestSchemaNames checks the schema's "$defs/name" against the loader's
// rule for catalog names.
func TestSchemaNames(t *testing.T) {
	abs, _ := filepath.Abs(schemaFile)
	name := jsonschema.NewCompiler().MustCompile(abs + "#/$defs/name")
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
