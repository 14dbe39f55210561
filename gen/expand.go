package gen

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ExpandCatalogs turns arguments into catalog files: a directory means its *.yaml
// and *.yml files, and patterns are globbed here because go generate runs
// commands without a shell.
func ExpandCatalogs(args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, errors.New("no catalogs given")
	}
	var out []string
	for _, a := range args {
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, fmt.Errorf("bad pattern %q: %v", a, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("%q matches no file", a)
			}
			out = append(out, m...)
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		for _, pat := range []string{"*.yaml", "*.yml"} {
			m, _ := filepath.Glob(filepath.Join(a, pat))
			found = append(found, m...)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("directory %s holds no *.yaml catalog", a)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}
