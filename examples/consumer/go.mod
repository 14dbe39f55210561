module example.com/consumer

go 1.25.0

tool github.com/errcat/errcat/cmd/errcat

require github.com/errcat/errcat v0.0.0

require (
	github.com/dave/jennifer v1.7.1 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/mod v0.31.0 // indirect
	golang.org/x/sync v0.19.0 // indirect
	golang.org/x/tools v0.40.1-0.20260108161641-ca281cf95054 // indirect
)

replace github.com/errcat/errcat => ../..
