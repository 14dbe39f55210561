package hygiene

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// root is the errcat repository and consumer the example module that uses
// errcat as a user does (go get -tool, go generate), seen from here.
const (
	root       = "../.."
	consumer   = "../../examples/consumer"
	errcat     = "github.com/errcat/errcat"
	runtimePkg = errcat + "/apierr"
)

// devTools are the modules errcat's own tests and lint use. None may
// reach a user: they live in the test-only module internal/devtest or run
// by version from the Makefile (see ARCHITECTURE.md, "Modules").
var devTools = []string{
	"honnef.co/go/tools", // staticcheck
	"go.uber.org/goleak",
	"github.com/yuin/goldmark",
	"github.com/santhosh-tekuri/jsonschema",
}

// outsideEdges are the edges of a consumer's module graph to a dev tool
// that errcat does not make and cannot remove: golang.org/x/tools, which
// errcat vet's analyzer needs, itself requires goldmark (for its present
// tool). Module graph pruning keeps goldmark out of the consumer's build
// and go.mod; the edge only shows in go mod graph.
var outsideEdges = map[string]bool{
	"golang.org/x/tools -> github.com/yuin/goldmark": true,
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, stderr.Bytes())
	}
	return string(out)
}

func devTool(module string) bool {
	for _, d := range devTools {
		if module == d || strings.HasPrefix(module, d+"/") {
			return true
		}
	}
	return false
}

func isRuntime(pkg string) bool {
	return pkg == runtimePkg || strings.HasPrefix(pkg, runtimePkg+"/")
}

// nonStandard lists the packages outside the standard library that the
// patterns' packages build with, in dir.
func nonStandard(t *testing.T, dir string, patterns ...string) []string {
	args := append([]string{"list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}"}, patterns...)
	return strings.Fields(run(t, dir, args...))
}

// TestConsumerBuildNeedsOnlyRuntime: the consumer's packages (its main
// package and its generated package) build with the standard library and
// errcat's runtime only.
func TestConsumerBuildNeedsOnlyRuntime(t *testing.T) {
	pkgs := nonStandard(t, consumer, "./...")
	sawRuntime := false
	for _, p := range pkgs {
		switch {
		case p == "example.com/consumer" || strings.HasPrefix(p, "example.com/consumer/"):
		case isRuntime(p):
			sawRuntime = true
		default:
			t.Errorf("the consumer's build needs %s: only the standard library and %s (and its subpackages) may be", p, runtimePkg)
		}
	}
	if !sawRuntime {
		t.Errorf("the consumer does not import %s; listed %v", runtimePkg, pkgs)
	}
}

// TestRuntimeNeedsOnlyStandardLibrary: apierr and its subpackages import
// nothing outside the standard library.
func TestRuntimeNeedsOnlyStandardLibrary(t *testing.T) {
	for _, p := range nonStandard(t, root, runtimePkg+"/...") {
		if !isRuntime(p) {
			t.Errorf("the runtime imports %s, which is not in the standard library", p)
		}
	}
}

// TestConsumerModuleGraphHasNoDevTools: errcat's go.mod, as the consumer's
// module graph holds it, requires none of errcat's test or lint tools; no
// other edge brings one in except those outsideEdges explains; and the
// consumer's go.mod requires nothing errcat's go.mod does not.
func TestConsumerModuleGraphHasNoDevTools(t *testing.T) {
	errcatEdges := 0
	for _, line := range strings.Split(strings.TrimSpace(run(t, consumer, "mod", "graph")), "\n") {
		from, to, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("go mod graph line %q", line)
		}
		fromMod, _, _ := strings.Cut(from, "@")
		toMod, _, _ := strings.Cut(to, "@")
		if fromMod == errcat {
			errcatEdges++
		}
		if !devTool(toMod) {
			continue
		}
		switch {
		case fromMod == errcat:
			t.Errorf("errcat's go.mod requires %s, a test or lint tool: every user gets it in their module graph", to)
		case !outsideEdges[fromMod+" -> "+toMod]:
			t.Errorf("the consumer's module graph reaches %s through %s", to, from)
		}
	}
	if errcatEdges == 0 {
		t.Fatal("go mod graph shows no requirement of errcat's: is the consumer still using it?")
	}

	own := map[string]bool{errcat: true}
	for _, r := range requires(t, root) {
		own[r] = true
	}
	for _, r := range requires(t, consumer) {
		if devTool(r) {
			t.Errorf("the consumer's go.mod requires %s, a test or lint tool of errcat's", r)
		} else if !own[r] {
			t.Errorf("the consumer's go.mod requires %s, which errcat's go.mod does not: where does it come from?", r)
		}
	}
}

// requires lists the modules the go.mod in dir requires.
func requires(t *testing.T, dir string) []string {
	var mod struct{ Require []struct{ Path string } }
	if err := json.Unmarshal([]byte(run(t, dir, "mod", "edit", "-json")), &mod); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range mod.Require {
		out = append(out, r.Path)
	}
	return out
}
