package gen

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// SourceName is how generated headers name a catalog written to the output
// root out. Inside the Go module holding out it is the catalog's path
// relative to the module root, so it is the same whether errcat runs from
// make at the root or from go generate in a subdirectory; anywhere else
// (no module, or another module) it is the path relative to out. Either way
// it never depends on the working directory, and ResolveSource(out, name)
// finds the catalog again, which is what lets the stale scan tell a deleted
// catalog from one that still exists.
func SourceName(path, out string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(filepath.Clean(path))
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	if root := moduleRoot(absOut); root != "" {
		if rel, err := filepath.Rel(root, abs); err == nil && !escapes(rel) {
			return filepath.ToSlash(rel)
		}
	}
	if rel, err := filepath.Rel(absOut, abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs) // another volume: only an absolute path names it
}

// moduleSourceName names a catalog for messages before the output root is
// known: relative to the root of the module holding it, else as given.
func moduleSourceName(path string) string {
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

// escapes reports whether a relative path leaves its base directory.
func escapes(rel string) bool {
	return rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// ResolveSource turns a name SourceName gave for the output root out back
// into a path: a name that climbs out ("../…") or any name outside a module
// is relative to out; an absolute name is itself; any other is relative to
// the root of the module holding out. ok is false when there is no base to
// resolve the name against.
func ResolveSource(out, name string) (path string, ok bool) {
	p := filepath.FromSlash(name)
	if filepath.IsAbs(p) {
		return p, true
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return "", false
	}
	if root := moduleRoot(absOut); root != "" && !escapes(filepath.Clean(p)) {
		return filepath.Join(root, p), true
	}
	return filepath.Join(absOut, p), true
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
