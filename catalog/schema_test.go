package catalog_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/errcat/errcat/catalog"
)

// TestSchemaID: the embedded schema is the file, its $id is SchemaID, and
// docs/catalog-format.md gives that address and lists exactly the vendor
// keys the schema requires.
func TestSchemaID(t *testing.T) {
	file, err := os.ReadFile("errcat.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(file) != string(catalog.Schema) {
		t.Fatal("catalog.Schema differs from errcat.schema.json")
	}
	var s struct {
		ID         string `json:"$id"`
		Properties struct {
			Vendor struct {
				Required []string `json:"required"`
			} `json:"vendor"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(file, &s); err != nil {
		t.Fatal(err)
	}
	if s.ID != catalog.SchemaID {
		t.Errorf("$id = %q, want %q", s.ID, catalog.SchemaID)
	}
	doc, err := os.ReadFile("../docs/catalog-format.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "$schema="+catalog.SchemaID) {
		t.Errorf("docs/catalog-format.md does not show the $schema line with %s", catalog.SchemaID)
	}
	var keys []string
	for _, k := range s.Properties.Vendor.Required {
		keys = append(keys, "`"+k+"`")
	}
	if len(keys) < 2 {
		t.Fatalf("vendor requires %v", keys)
	}
	list := strings.Join(keys[:len(keys)-1], ", ")
	list = strings.Replace(list, "`docs`", "`docs` (a URL or a list of them)", 1)
	want := "All " + []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight"}[len(keys)] + " keys are required: " + list + " and " + keys[len(keys)-1]
	if !strings.Contains(strings.Join(strings.Fields(string(doc)), " "), want) {
		t.Errorf("docs/catalog-format.md should say %q", want)
	}
}
