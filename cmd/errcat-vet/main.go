// Command errcat-vet is errcat vet as a standalone analysis driver: run it
// on packages like any singlechecker (errcat-vet [-fix] ./...), or hand it
// to go vet, which then runs it on every package of the build:
//
//	go build -o bin/errcat-vet github.com/errcat/errcat/cmd/errcat-vet
//	go vet -vettool=$PWD/bin/errcat-vet ./...
//
// It runs the analyzer of package github.com/errcat/errcat/vet; `errcat vet`
// is the same analyzer behind errcat's own command line.
package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/errcat/errcat/vet"
)

func main() { singlechecker.Main(vet.Analyzer) }
