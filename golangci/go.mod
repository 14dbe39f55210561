module github.com/errcat/errcat/golangci

go 1.25.0

require (
	github.com/errcat/errcat v0.0.0
	github.com/golangci/plugin-module-register v0.1.2
	golang.org/x/tools v0.40.1-0.20260108161641-ca281cf95054
)

// In this repository the plugin builds against the working tree. A module
// that depends on this one ignores this line; see README.md.
replace github.com/errcat/errcat => ../
