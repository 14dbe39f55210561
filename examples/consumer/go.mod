module example.com/consumer

go 1.25.0

tool github.com/errcat/errcat/cmd/errcat

require github.com/errcat/errcat v0.0.0

require (
	github.com/dave/jennifer v1.7.1 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/mod v0.31.0 // indirect
)

replace github.com/errcat/errcat => ../..
