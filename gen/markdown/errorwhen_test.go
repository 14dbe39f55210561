package markdown_test

import (
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/markdown"
)

// The vendor page says how a format finds an error inside a success body
// with each test error_when may use, present: (format v2) included, and
// the kind and action a format gives such errors whose code the catalog
// does not list.
func TestPageShowsErrorWhen(t *testing.T) {
	tm, err := markdown.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	for file, wants := range map[string][]string{
		"x_mix.yaml": {
			"Reports an error inside a success response when `errors[?@.severity == \"error\"].message` is present and not null; one whose code the catalog does not list is internal, retry_backoff.",
		},
		"c1_graphql.yaml": {"is present and not empty; one whose code the catalog does not list is"},
	} {
		cat, err := load.File("../../internal/features/catalog/" + file)
		if err != nil {
			t.Fatal(err)
		}
		out, err := tm.Vendor(cat)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range wants {
			if !strings.Contains(string(out), w) {
				t.Errorf("%s: page lacks %q", file, w)
			}
		}
		if strings.Contains(string(out), "equals ``") {
			t.Errorf("%s: page shows a test as equals nothing", file)
		}
	}
}
