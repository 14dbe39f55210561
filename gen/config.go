package gen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// ConfigFile is the file errcat reads when no catalogs are named on the
// command line, like sqlc.yaml or buf.gen.yaml: it lists every run, so the
// same bare `errcat generate` and `errcat check` serve make, go generate,
// CI and editors' hooks.
const ConfigFile = "errcat.yaml"

// config is the file's shape:
//
//	runs:
//	  - out: generated         # output root
//	    catalogs: [catalog]    # files, directories or globs
//	    index: true            # also write out/README.md
//	    templates: docs/tmpl   # optional template overrides
//	    test_kit: false        # optional: no <package>test kits (default true)
type config struct {
	Runs []struct {
		Out       string   `yaml:"out"`
		Catalogs  []string `yaml:"catalogs"`
		Index     bool     `yaml:"index"`
		Templates string   `yaml:"templates"`
		TestKit   *bool    `yaml:"test_kit"`
	} `yaml:"runs"`
}

// LoadConfig reads a config file into the runs it lists. Paths in it are
// relative to the file's directory.
func LoadConfig(path string) ([]Options, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %v (fix: see the example in gen/config.go)", path, err)
	}
	if len(c.Runs) == 0 {
		return nil, fmt.Errorf("%s: lists no runs (fix: add runs: with out: and catalogs:)", path)
	}
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	var runs []Options
	for i, r := range c.Runs {
		if r.Out == "" || len(r.Catalogs) == 0 {
			return nil, fmt.Errorf("%s: run %d lacks out or catalogs (fix: give both)", path, i+1)
		}
		var args []string
		for _, a := range r.Catalogs {
			args = append(args, rel(a))
		}
		catalogs, err := ExpandCatalogs(args)
		if err != nil {
			return nil, fmt.Errorf("%s: run %d: %w", path, i+1, err)
		}
		runs = append(runs, Options{Out: rel(r.Out), Catalogs: catalogs, Index: r.Index, Templates: rel(r.Templates), NoTestKit: r.TestKit != nil && !*r.TestKit})
	}
	return runs, nil
}
