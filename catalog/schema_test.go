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

// TestSchemaHasNoDuplicateKeys: JSON readers keep only the last of two
// members with one name, so a key written twice in an object (easy to do
// when two changes to the schema meet) silently drops a rule.
func TestSchemaHasNoDuplicateKeys(t *testing.T) {
	dec := json.NewDecoder(strings.NewReader(string(catalog.Schema)))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token is a member name
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, &frame{object: true, keys: map[string]bool{}, key: true})
				continue
			case '[':
				stack = append(stack, &frame{})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.object && top.key {
				if top.keys[v] {
					t.Errorf("member %q appears twice in one object (offset %d)", v, dec.InputOffset())
				}
				top.keys[v] = true
				top.key = false
				continue
			}
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true
		}
	}
	if len(stack) != 0 {
		t.Fatal("the schema did not decode to its end")
	}
}
