// Package golangci registers errcat vet's analyzer (package
// github.com/errcat/errcat/vet) as a golangci-lint module plugin named
// "errcatvet". It is its own module so that errcat's root module, which
// generated packages' users import, never depends on golangci-lint's plugin
// API; see README.md for the .custom-gcl.yml and .golangci.yml to use it.
package golangci

import (
	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/errcat/errcat/vet"
)

func init() {
	register.Plugin(vet.Analyzer.Name, New)
}

// New returns the plugin. The analyzer takes no settings: anything under
// settings: in .golangci.yml is ignored.
func New(any) (register.LinterPlugin, error) {
	return plugin{}, nil
}

type plugin struct{}

// BuildAnalyzers returns errcat vet's analyzer.
func (plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{vet.Analyzer}, nil
}

// GetLoadMode asks for type information: the analyzer reads the generated
// packages' constants through go/types.
func (plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
