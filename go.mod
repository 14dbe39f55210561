module github.com/errcat/errcat

go 1.25.0

require (
	github.com/dave/jennifer v1.7.1
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/mod v0.31.0
	golang.org/x/tools v0.40.1-0.20260108161641-ca281cf95054
)

require golang.org/x/sync v0.19.0 // indirect
