package markdown_test

import (
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/markdown"
)

// TestPageNamesOnlyDeclaredSentinels: the page shows the identifiers the
// model computed, which the Go emitter declares; a success status that no
// format reports errors in has no sentinel, and the page does not invent
// one (it named ErrCreated, which alloy never declared).
func TestPageNamesOnlyDeclaredSentinels(t *testing.T) {
	cat, err := load.File("../../catalog/alloy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tm, err := markdown.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := tm.Vendor(cat)
	if err != nil {
		t.Fatal(err)
	}
	page := string(out)
	for _, s := range cat.Statuses {
		if s.Idents.Err == "" && strings.Contains(page, "`Err"+s.GoName+"`") {
			t.Errorf("the page names `Err%s`, which the package does not declare", s.GoName)
		}
	}
	if !strings.Contains(page, "| 201 | `StatusCreated` | — |") {
		t.Error("201 Created's row does not show that it has no sentinel")
	}
}
