package golangci

import (
	"testing"

	"github.com/golangci/plugin-module-register/register"

	"github.com/errcat/errcat/vet"
)

// TestRegistered: golangci-lint finds the plugin by name, and it yields
// errcat vet's analyzer with type information.
func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("errcatvet")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(map[string]any{"ignored": true})
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil || len(as) != 1 || as[0] != vet.Analyzer {
		t.Fatalf("BuildAnalyzers() = %v, %v; want errcat vet's analyzer", as, err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
}
