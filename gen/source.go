package gen

import (
	"os"
	"path/filepath"

	"golang.org/x/mod/modfile"
)

// SourceName is how generated headers name a catalog: its path relative to
// the root of the Go module holding it, slash-separated. Being independent
// of the working directory, it is the same whether errcat runs from make at
// the module root or from go generate in a subdirectory, so output does not
// flip between the two.
func SourceName(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(filepath.Clean(path))
	}
	if root := moduleRoot(filepath.Dir(abs)); root != "" {
		if rel, err := filepath.Rel(root, abs); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(filepath.Clean(path))
}

// ResolveSource turns a name from a generated header back into a path,
// searching from the module root above dir.
func ResolveSource(dir, name string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return filepath.FromSlash(name)
	}
	if root := moduleRoot(abs); root != "" {
		return filepath.Join(root, filepath.FromSlash(name))
	}
	return filepath.FromSlash(name)
}

// importPath is the Go import path of dir, from the module path in the
// go.mod above it; "" outside a module.
func importPath(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	root := moduleRoot(abs)
	if root == "" {
		return ""
	}
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return ""
	}
	mod := modfile.ModulePath(data)
	rel, err := filepath.Rel(root, abs)
	if err != nil || mod == "" {
		return ""
	}
	if rel == "." {
		return mod
	}
	return mod + "/" + filepath.ToSlash(rel)
}

func moduleRoot(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
