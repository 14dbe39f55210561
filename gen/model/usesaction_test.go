package model

import (
	"testing"

	"github.com/errcat/errcat/apierr"
)

// TestUsesAction: every place a catalog states an action counts, and
// nothing else does.
func TestUsesAction(t *testing.T) {
	r := apierr.ActionReauthenticate
	if (&Catalog{Statuses: []*Status{{Action: apierr.ActionFixRequest}}}).UsesAction(r) {
		t.Error("a catalog without reauthenticate uses it")
	}
	for name, c := range map[string]*Catalog{
		"status":       {Statuses: []*Status{{Action: r}}},
		"code":         {Codes: []*Code{{Action: r}}},
		"deciding set": {CodeSets: []*CodeSet{{Decides: true, Items: []*SetCode{{Action: r}}}}},
		"format":       {Bodies: []*Body{{HasKindAction: true, Action: r}}},
		"override":     {Retry: Retry{Override: &Override{Values: []OverrideValue{{Action: r}}}}},
	} {
		if !c.UsesAction(r) {
			t.Errorf("%s: reauthenticate not found", name)
		}
	}
	if (&Catalog{CodeSets: []*CodeSet{{Items: []*SetCode{{Action: r}}}}}).UsesAction(r) {
		t.Error("a set that does not decide counts")
	}
}
