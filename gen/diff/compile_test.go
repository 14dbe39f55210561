package diff

import (
	"fmt"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/golang"
	"github.com/errcat/errcat/gen/model"
)

// TestGoAPIMatchesCompiler is the proof that the reported Go API impact is
// what really breaks. It takes the shipped Alloy catalog and a second
// revision made by editing a copy (a code renamed, a status and a header
// removed, a field retyped, a header made sensitive), generates the new
// package into a scratch module, and compiles a consumer that uses every
// exported identifier of the old package with its old type. The
// identifiers the compiler rejects must be exactly those reported removed
// or changed; the same consumer must compile against the old package.
func TestGoAPIMatchesCompiler(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scratch module")
	}
	src := string(readFile(t, "../../catalog/alloy.yaml"))
	for _, e := range [][2]string{
		{"name: credentials expired", "name: token expired"},
		{"  - status: 201\n    name: created\n    description: 'Created - this will be the result of all HTTP POST requests, we just successfully \"created\" the entity on our system'\n    kind: ok\n    action: none\n", ""},
		{"  - header: alloy-ratelimit-limit\n    name: rate limit limit\n    description: \"Total requests allowed per window.\"\n", ""},
		{"    name: rate limit remaining\n", "    name: rate limit remaining\n    sensitive: true\n"},
		{"path: status_code\n        type: integer", "path: status_code\n        type: number"},
	} {
		if !strings.Contains(src, e[0]) {
			t.Fatalf("alloy.yaml no longer holds %q: update the edit", e[0])
		}
		src = strings.Replace(src, e[0], e[1], 1)
	}
	old := mustLoad(t, "catalog/alloy.yaml", readFile(t, "../../catalog/alloy.yaml"))
	new := mustLoad(t, "alloy-edited.yaml", []byte(src))

	ck := NewChecker()
	api, err := ck.GoAPI(old, new)
	if err != nil {
		t.Fatal(err)
	}
	reported := append([]string(nil), api.Removed...)
	for _, c := range api.Changed {
		reported = append(reported, c.Name)
	}
	sort.Strings(reported)
	if api.Bump != "major" || len(api.Removed) == 0 || len(api.Changed) == 0 {
		t.Fatalf("want a major bump with removals and changes, got %+v", api)
	}
	// The catalog comparison flags it as breaking too.
	breaking := false
	for _, c := range Compare(old, new) {
		breaking = breaking || c.Severity == Breaking
	}
	if !breaking {
		t.Error("major Go API change without a breaking change class")
	}

	_, oldPkg, err := ck.check(old)
	if err != nil {
		t.Fatal(err)
	}
	consumer, names := probe(oldPkg)

	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	build := func(c *model.Catalog) []string {
		dir := t.TempDir()
		write := func(name, content string) {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("go.mod", "module example.com/probe\n\ngo 1.25.0\n\nrequire github.com/errcat/errcat v0.0.0\n\nreplace github.com/errcat/errcat => "+strconv.Quote(root)+"\n")
		write("go.sum", string(readFile(t, "../../go.sum")))
		files, err := golang.Generate(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			write("alloy/"+f.Name, string(f.Content))
		}
		write("consumer/use.go", consumer)
		cmd := exec.Command("go", "build", "-gcflags=-e", "./consumer")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err == nil {
			return nil
		}
		failed := map[string]bool{}
		lineRE := regexp.MustCompile(`(?m)^consumer[/\\]use\.go:(\d+):\d+: `)
		for _, m := range lineRE.FindAllStringSubmatch(string(out), -1) {
			n, _ := strconv.Atoi(m[1])
			name, ok := names[n]
			if !ok {
				t.Fatalf("compile error outside a probe:\n%s\n%s", out, consumer)
			}
			failed[name] = true
		}
		if len(failed) == 0 {
			t.Fatalf("go build failed without probe errors:\n%s", out)
		}
		var list []string
		for n := range failed {
			list = append(list, n)
		}
		sort.Strings(list)
		return list
	}
	if failed := build(old); failed != nil {
		t.Fatalf("the consumer does not compile against the old package itself: %v", failed)
	}
	failed := build(new)
	if !slices.Equal(failed, reported) {
		t.Errorf("the compiler rejects %v\nerrcat diff reported   %v", failed, reported)
	}
	t.Logf("%d probes; removed %v; changed %v", len(names), api.Removed, api.Changed)
}

// probe writes a consumer package that uses every exported identifier of
// pkg with its exact type, one identifier per line, and returns the line
// of each.
func probe(pkg *types.Package) (string, map[int]string) {
	imports := map[string]string{pkg.Name(): "example.com/probe/alloy"}
	qual := func(p *types.Package) string {
		if p != pkg {
			imports[p.Name()] = p.Path()
		}
		return p.Name()
	}
	str := func(t types.Type) string { return types.TypeString(t, qual) }
	var lines []string
	var names []string
	add := func(name, line string) {
		names = append(names, name)
		lines = append(lines, line)
	}
	p := pkg.Name()
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch o := obj.(type) {
		case *types.Const:
			if b, ok := o.Type().(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
				add(name, fmt.Sprintf("func _() { _ = %s.%s }", p, name))
			} else {
				add(name, fmt.Sprintf("func _() { var _ %s = %s.%s }", str(o.Type()), p, name))
			}
		case *types.Var:
			add(name, fmt.Sprintf("func _() { var _ *%s = &%s.%s }", str(o.Type()), p, name))
		case *types.Func:
			add(name, fmt.Sprintf("func _() { var _ %s = %s.%s }", str(o.Type()), p, name))
		case *types.TypeName:
			if _, isStruct := o.Type().Underlying().(*types.Struct); isStruct {
				add(name, fmt.Sprintf("func _() { var _ *%s.%s }", p, name))
			} else {
				add(name, fmt.Sprintf("func _(x %s.%s) { _ = (*%s)(&x) }", p, name, str(o.Type().Underlying())))
			}
			if st, ok := o.Type().Underlying().(*types.Struct); ok {
				for i := 0; i < st.NumFields(); i++ {
					if f := st.Field(i); f.Exported() {
						add(name+"."+f.Name(), fmt.Sprintf("func _(x *%s.%s) { var _ *%s = &x.%s }", p, name, str(f.Type()), f.Name()))
					}
				}
			}
			ms := types.NewMethodSet(types.NewPointer(o.Type()))
			for i := 0; i < ms.Len(); i++ {
				if m := ms.At(i).Obj(); m.Exported() {
					add(name+"."+m.Name(), fmt.Sprintf("func _(x *%s.%s) { var _ %s = x.%s }", p, name, str(m.Type()), m.Name()))
				}
			}
		}
	}
	var paths []string
	for _, path := range imports {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	var b strings.Builder
	b.WriteString("package consumer\n\nimport (\n")
	for _, path := range paths {
		b.WriteString("\t" + strconv.Quote(path) + "\n")
	}
	b.WriteString(")\n\n")
	header := strings.Count(b.String(), "\n")
	at := map[int]string{}
	for i, l := range lines {
		b.WriteString(l + "\n")
		at[header+i+1] = names[i]
	}
	return b.String(), at
}
