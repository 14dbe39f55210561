package vet_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/errcat/errcat/vet"
)

// TestAnalyzer runs the analyzer over vet/testdata, a module that replaces
// github.com/errcat/errcat with this repository, so its packages import the
// real generated packages (generated/alloy, samsara, trackunit). Each
// finding is a `// want` comment at its position; each .golden file is its
// file after every fix is applied. One load for all packages (a load takes
// seconds):
//
//   - textmatch: strings.Contains & co. and == on a known code, status, Go
//     name, description or message, in err.Error(), e.Message or
//     e.ErrorCode(), with case folded or not; the fix calls the matcher and
//     drops the strings import once nothing uses it;
//   - ambiguous: a text two vendors document names both, with no fix;
//   - rawconst: raw codes and statuses in comparisons and switch cases,
//     resp.StatusCode next to FromResponse, HTTPStatus(); the fix names the
//     constant;
//   - wrapped: == and != on sentinels (errors.Is fix, adding the import),
//     type assertions, type switches and switch cases (reported only);
//   - good: correct code, and near misses, with no finding.
func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), vet.Analyzer,
		"./textmatch", "./ambiguous", "./rawconst", "./wrapped", "./good")
}
