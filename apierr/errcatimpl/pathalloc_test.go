//go:build !race

package errcatimpl_test

import (
	"testing"

	"github.com/errcat/errcat/apierr/errcatimpl"
)

var sinkString string

// TestAccessorsKeepPathsOnTheStack: the typed accessors, called as
// generated code calls them (from another package, with path literals),
// allocate nothing for a path without a wildcard. A generic helper behind
// them once moved every path literal of every generated parser to the heap
// (two allocations per field read).
func TestAccessorsKeepPathsOnTheStack(t *testing.T) {
	d, ok := errcatimpl.DecodeObject([]byte(`{"error":{"code":"x","n":1,"f":1.5,"b":true,"o":{}},"m":"y"}`))
	if !ok {
		t.Fatal("not decoded")
	}
	for name, read := range map[string]func(){
		"String": func() {
			sinkString, _ = d.String(errcatimpl.Path{{Key: "error"}, {Key: "code"}}, errcatimpl.Path{{Key: "m"}})
		},
		"Int":    func() { d.Int(errcatimpl.Path{{Key: "error"}, {Key: "n"}}) },
		"Float":  func() { d.Float(errcatimpl.Path{{Key: "error"}, {Key: "f"}}) },
		"Bool":   func() { d.Bool(errcatimpl.Path{{Key: "error"}, {Key: "b"}}) },
		"Object": func() { d.Object(errcatimpl.Path{{Key: "error"}, {Key: "o"}}) },
		"Lookup": func() { d.Lookup(errcatimpl.Path{{Key: "m"}}) },
		"Secret": func() { d.Secret(errcatimpl.Path{{Key: "m"}}) },
	} {
		if n := testing.AllocsPerRun(100, read); n != 0 {
			t.Errorf("%s: %v allocations per read, want 0", name, n)
		}
	}
}
