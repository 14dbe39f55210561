// A test-only module: the tests of errcat that need third-party test
// libraries (goldmark, a JSON Schema validator), kept out of errcat's own
// go.mod so that no user of errcat gets them in their module graph. See
// ARCHITECTURE.md, "Modules". Run with make test.
module github.com/errcat/errcat/internal/devtest

go 1.25.0

require (
	github.com/errcat/errcat v0.0.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/yuin/goldmark v1.8.7
	go.yaml.in/yaml/v3 v3.0.6
)

require (
	github.com/dave/jennifer v1.7.1 // indirect
	golang.org/x/text v0.14.0 // indirect
)

replace github.com/errcat/errcat => ../..
