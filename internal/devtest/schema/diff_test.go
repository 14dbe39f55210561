package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/errcat/errcat/gen/diff"
	"github.com/errcat/errcat/gen/load"
)

// TestDiffJSONMatchesSchema validates errcat diff's golden JSON, and a
// report with an ignored change and an API error, against
// docs/diff.schema.json.
func TestDiffJSONMatchesSchema(t *testing.T) {
	schema, err := jsonschema.NewCompiler().Compile(root + "/docs/diff.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	testdata := root + "/gen/diff/testdata"
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(testdata, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	old, err := load.Bytes("testdata/old.yaml", read("old.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	new, err := load.Bytes("testdata/new.yaml", read("new.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := &diff.Report{Catalogs: []*diff.CatalogDiff{diff.NewCatalogDiff("testdata/old.yaml", old, "testdata/new.yaml", new, nil)}}
	r.Catalogs[0].APIError = "go list failed"
	r.Ignore(map[string]string{r.Catalogs[0].Changes[0].Fingerprint: "accepted"})
	var b bytes.Buffer
	if err := diff.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"golden.json": read("golden.json"), "ignored": b.Bytes()} {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%s does not match docs/diff.schema.json: %v", name, err)
		}
	}
}
