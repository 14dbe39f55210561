package vet_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/errcat/errcat/vet"
)

// The testdata directory is a module that replaces github.com/errcat/errcat
// with this repository, so its packages import the real generated packages.

func TestTextMatch(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), vet.Analyzer, "./textmatch", "./ambiguous")
}
