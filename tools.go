//go:build tools

// This file pins the development tools errcat's Makefile and CI run, so that
// `go run` uses the versions recorded in go.mod on every machine.
package errcat

import (
	_ "honnef.co/go/tools/cmd/staticcheck"
)
