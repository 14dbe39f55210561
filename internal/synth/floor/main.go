// Command floor is the floor `errcat generate` is measured against as a
// whole process (gen's BenchmarkProcess10k): it decodes a YAML file into a
// yaml.Node and gofmts the Go files named after it, one after the other,
// writing nothing. No generator can do less and produce gofmt'd Go from a
// YAML catalog.
//
//	floor catalog.yaml file.go...
package main

import (
	"fmt"
	"go/format"
	"os"

	"go.yaml.in/yaml/v3"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: floor catalog.yaml file.go...")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		fail(err)
	}
	for _, name := range os.Args[2:] {
		src, err := os.ReadFile(name)
		if err != nil {
			fail(err)
		}
		if _, err := format.Source(src); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}
