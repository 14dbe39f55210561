package diff

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/model"
)

// API is what a catalog change does to the exported API of the generated Go
// package, found by type-checking the package generated from each side.
type API struct {
	// Bump is the semantic version bump a module committing the package
	// needs: "major" when an identifier disappears or changes type, "minor"
	// when identifiers are only added, "patch" when the generated code
	// changes but its API does not, "none" when the code is identical.
	Bump    string
	Removed []string // "ErrCredentialsExpired", "Error.ErrorToken" (a field or method)
	// Changed are identifiers with another declaration; "package" when the
	// package's name or directory changed, which breaks every importer.
	Changed []APIChange
	Added   []string
}

// APIChange is an exported identifier whose declaration changed.
type APIChange struct {
	Name string `json:"name"`
	// Old and New are the declarations, such as "field int64" and "field string".
	Old string `json:"old"`
	New string `json:"new"`
}

// Checker type-checks generated packages. It shares one importer (so the
// runtime apierr and the standard library are loaded once), which finds
// compiled packages through the go command of the module it runs in.
type Checker struct {
	fset *token.FileSet
	imp  types.Importer
}

// NewChecker returns a Checker that imports compiled packages (the
// runtime and the standard library) from the export data the go command
// builds, as go vet does: `go list -export` in the current module.
func NewChecker() *Checker {
	fset := token.NewFileSet()
	l := &exportLookup{files: map[string]string{}}
	return &Checker{fset: fset, imp: importer.ForCompiler(fset, "gc", l.open)}
}

// exportLookup finds export data files. Its first use lists the packages
// generated code imports and all their dependencies in one go command.
type exportLookup struct {
	files  map[string]string
	listed bool
}

// generatedImports are the packages generated code imports.
var generatedImports = []string{"github.com/errcat/errcat/apierr", "errors", "log/slog", "net/http", "strconv", "time"}

func (l *exportLookup) open(path string) (io.ReadCloser, error) {
	if !l.listed {
		l.listed = true
		if err := l.list(generatedImports...); err != nil {
			return nil, err
		}
	}
	if _, ok := l.files[path]; !ok {
		if err := l.list(path); err != nil {
			return nil, err
		}
	}
	f := l.files[path]
	if f == "" {
		return nil, fmt.Errorf("go list -export found no export data for %s", path)
	}
	return os.Open(f)
}

func (l *exportLookup) list(paths ...string) error {
	cmd := exec.Command("go", append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, paths...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go list -export %s: %v: %s", strings.Join(paths, " "), err, strings.TrimSpace(stderr.String()))
	}
	for _, line := range strings.Split(string(out), "\n") {
		if p, f, ok := strings.Cut(line, "\t"); ok {
			l.files[p] = f
		}
	}
	return nil
}

// GoAPI compares the exported API of the packages generated from old and
// new (either may be nil: no package). It generates both in memory with the
// same emitter errcat generate uses.
func (ck *Checker) GoAPI(old, new *model.Catalog) (*API, error) {
	oldSrc, oldDecl, err := ck.declarations(old)
	if err != nil {
		return nil, err
	}
	newSrc, newDecl, err := ck.declarations(new)
	if err != nil {
		return nil, err
	}
	a := &API{}
	if old != nil && new != nil && (old.Vendor.ID != new.Vendor.ID || old.Vendor.Package != new.Vendor.Package) {
		// Importers name the package by its directory (the vendor id) and
		// refer to it by its package name: either changing breaks them all.
		a.Changed = append(a.Changed, APIChange{Name: "package", Old: pkgText(old), New: pkgText(new)})
	}
	for name, o := range oldDecl {
		n, ok := newDecl[name]
		switch {
		case !ok:
			a.Removed = append(a.Removed, name)
		case n != o:
			a.Changed = append(a.Changed, APIChange{name, o, n})
		}
	}
	for name := range newDecl {
		if _, ok := oldDecl[name]; !ok {
			a.Added = append(a.Added, name)
		}
	}
	sort.Strings(a.Removed)
	sort.Strings(a.Added)
	sort.Slice(a.Changed, func(i, j int) bool { return a.Changed[i].Name < a.Changed[j].Name })
	switch {
	case len(a.Removed)+len(a.Changed) > 0:
		a.Bump = "major"
	case len(a.Added) > 0:
		a.Bump = "minor"
	case !bytes.Equal(oldSrc, newSrc):
		a.Bump = "patch"
	default:
		a.Bump = "none"
	}
	return a, nil
}

// declarations generates c's package, type-checks it and returns its
// source and its exported declarations: package-level names, and
// "Type.Member" for the exported fields and methods of its types.
func (ck *Checker) declarations(c *model.Catalog) ([]byte, map[string]string, error) {
	if c == nil {
		return nil, map[string]string{}, nil
	}
	src, pkg, err := ck.check(c)
	if err != nil {
		return nil, nil, err
	}
	return src, exported(pkg), nil
}

// check generates c's package in memory and type-checks it.
func (ck *Checker) check(c *model.Catalog) ([]byte, *types.Package, error) {
	cc := *c
	cc.ImportPath = ""         // no example file: only the package itself
	cc.Source = "catalog.yaml" // where the catalog lives is no change of the code
	files, err := golang.Generate(&cc)
	if err != nil {
		return nil, nil, err
	}
	var src []byte
	var asts []*ast.File
	for _, f := range files {
		src = append(src, f.Content...)
		af, err := parser.ParseFile(ck.fset, c.Source+"/"+f.Name, f.Content, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: parsing generated %s: %w", c.Source, f.Name, err)
		}
		asts = append(asts, af)
	}
	conf := types.Config{Importer: ck.imp}
	pkg, err := conf.Check("errcat.invalid/"+c.Vendor.Package, ck.fset, asts, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: type-checking the generated package: %w (the Go API impact needs the go command, run inside a module that requires github.com/errcat/errcat)", c.Source, err)
	}
	return src, pkg, nil
}

// exported lists pkg's exported declarations by name.
func exported(pkg *types.Package) map[string]string {
	out := map[string]string{}
	qual := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Name()
	}
	str := func(t types.Type) string { return types.TypeString(t, qual) }
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch o := obj.(type) {
		case *types.Const:
			out[name] = "const " + str(o.Type())
		case *types.Var:
			out[name] = "var " + str(o.Type())
		case *types.Func:
			out[name] = "func " + strings.TrimPrefix(str(o.Type()), "func")
		case *types.TypeName:
			under := o.Type().Underlying()
			switch u := under.(type) {
			case *types.Struct:
				out[name] = "type struct"
				for i := 0; i < u.NumFields(); i++ {
					if f := u.Field(i); f.Exported() {
						out[name+"."+f.Name()] = "field " + str(f.Type())
					}
				}
			case *types.Interface:
				// Generated packages declare no interfaces; were one to
				// appear, its method list is its declaration.
				out[name] = "type " + str(u)
			default:
				out[name] = "type " + str(under)
			}
			ms := types.NewMethodSet(types.NewPointer(o.Type()))
			for i := 0; i < ms.Len(); i++ {
				if m := ms.At(i).Obj(); m.Exported() {
					out[name+"."+m.Name()] = "method " + strings.TrimPrefix(str(m.Type()), "func")
				}
			}
		}
	}
	return out
}

// pkgText is a generated package's directory and name.
func pkgText(c *model.Catalog) string {
	return fmt.Sprintf("package %s in directory %s", c.Vendor.Package, c.Vendor.ID)
}
