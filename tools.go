//go:build tools

// This file records the module errcat's generator needs as a tool
// framework: golang.org/x/tools, whose go/analysis runs errcat vet
// (vet/, cmd/errcat-vet). Its version in go.mod is the one users get.
//
// Development tools are deliberately not pinned here: anything this module
// requires appears in the module graph of every project that installs
// errcat (go get -tool github.com/errcat/errcat/cmd/errcat). The Makefile
// runs staticcheck by version (go run honnef.co/go/tools/cmd/staticcheck@v…),
// and tests that need third-party libraries live in the test-only module
// internal/devtest. See ARCHITECTURE.md, "Modules".
package errcat

import (
	_ "golang.org/x/tools/go/analysis/singlechecker"
)
