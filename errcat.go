// Package errcat is the root of the errcat module: a generator that turns
// YAML error catalogs of third-party HTTP APIs into typed Go packages and
// documentation. The command is cmd/errcat, the runtime the generated
// packages import is apierr, and the pipeline lives under gen. See README.md
// and ARCHITECTURE.md.
//
// `go generate ./...` at the module root regenerates generated/ from
// catalog/ (and the feature packages) through the directive below, which
// makes the runs errcat.yaml lists.
package errcat

//go:generate go run ./cmd/errcat generate
