// Package hygiene holds tests over errcat's own source and module layout:
// what a consumer's build and module graph may depend on (deps_test.go)
// and how long a function of the generator or the runtime may grow
// (funclen_test.go). It has no code of its own.
package hygiene
