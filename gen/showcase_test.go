package gen_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen"
	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/markdown"
	"github.com/errcat/errcat/gen/model"
)

var (
	exampleMatcher = regexp.MustCompile(`fmt\.Println\(\w+\.(Is\w+)\(err\), errors\.Is`)
	readmeMatcher  = regexp.MustCompile(`if \w+\.(Is\w+)\(err\) \{`)
)

// render returns the example file and the README generated for c.
func render(t *testing.T, c *model.Catalog) (example, readme string) {
	t.Helper()
	c.ImportPath = "example.com/" + c.Vendor.ID
	tm, err := markdown.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	files, err := gen.Render([]*model.Catalog{c}, tm, false)
	if err != nil {
		t.Fatal(err)
	}
	return string(files[c.Vendor.ID+"/example_test.go"]), string(files[c.Vendor.ID+"/README.md"])
}

// TestReadmeAndExamplesShowcaseOneCode: over every catalog the repository
// holds, the README's usage snippet matches the error the package's Example
// parses (model.Catalog.Showcase); they used to choose apart (alloy's
// README showed IsCustomError, its Example IsCredentialsExpired).
func TestReadmeAndExamplesShowcaseOneCode(t *testing.T) {
	var paths []string
	for _, pat := range []string{"../catalog/*.yaml", "../internal/features/catalog/*.yaml", "load/testdata/valid/*.yaml"} {
		m, _ := filepath.Glob(pat)
		paths = append(paths, m...)
	}
	if len(paths) < 10 {
		t.Fatalf("found only %d catalogs", len(paths))
	}
	for _, p := range paths {
		c, err := load.File(p)
		if err != nil {
			t.Fatal(err)
		}
		example, readme := render(t, c)
		e, r := exampleMatcher.FindStringSubmatch(example), readmeMatcher.FindStringSubmatch(readme)
		if (e == nil) != (r == nil) || (e != nil && e[1] != r[1]) {
			t.Errorf("%s: the example matches with %v, the README with %v", p, e, r)
		}
	}
}

// TestExampleDelayIsTheParsers: the expected output of ExampleFromResponse
// is what the catalog's delay parser makes of "Retry-After: 2"
// (model.DelayParser); a Retry-After in milliseconds is 2ms, which the
// example used to print as "0s false" while the package said 2ms (and a
// reset time long past as "0s false" while the package says "0s true").
func TestExampleDelayIsTheParsers(t *testing.T) {
	for format, want := range map[string]string{"milliseconds": "// 2ms true", "seconds": "// 2s true", "retry_after": "// 2s true", "duration": "// 2s true", "epoch_seconds": "// 0s true"} {
		src := `format: errcat/v1
vendor: {id: v, name: V, package: v, docs: ["https://example.com"], description: d, docs_revision: r}
statuses:
  - {status: 503, name: unavailable, description: d, kind: unavailable, action: retry_backoff}
retry:
  description: d
  delays:
    - {header: Retry-After, format: ` + format + `}
`
		c, err := load.Bytes("v.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		example, _ := render(t, c)
		if !strings.Contains(example, want+"\n") {
			t.Errorf("format %s: ExampleFromResponse does not print %q:\n%s", format, want, example)
		}
	}
}
