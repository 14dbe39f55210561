package errcatimpl

import (
	"testing"

	"github.com/errcat/errcat/apierr"
)

// A code whose precedence is status decides only at the statuses it lists
// (a class as its first digit); a format's kind and action classify
// errors inside success responses without a listed code (model.Decide is
// the same rule; internal/e2e holds every generated table to it).
func TestTablePrecedenceAndFormats(t *testing.T) {
	tab := NewTable("v", true, []StatusInfo{
		{Status: 200, Name: "OK", Kind: apierr.KindOK, Action: apierr.ActionNone},
		{Status: 502, Name: "BadGateway", Kind: apierr.KindUnavailable, Action: apierr.ActionRetryBackoff},
		{Status: 400, Class: true, Name: "ClientError", Kind: apierr.KindBadRequest, Action: apierr.ActionFixRequest},
	}, []CodeInfo[string]{
		{Code: "general", Status: 400, Kind: apierr.KindBadRequest, Action: apierr.ActionFixRequest, StatusWins: true, Statuses: []int{400}},
		{Code: "class", Kind: apierr.KindConflict, Action: apierr.ActionFixRequest, StatusWins: true, Statuses: []int{4}},
		{Code: "legacy", Status: 400, Kind: apierr.KindBadRequest, Action: apierr.ActionFixRequest},
	}).WithFormats([]FormatInfo{{Name: "graphql", Kind: apierr.KindInternal, Action: apierr.ActionRetryBackoff}})
	for _, tc := range []struct {
		format  string
		status  int
		code    string
		hasCode bool
		kind    apierr.Kind
		action  apierr.Action
	}{
		{"", 400, "general", true, apierr.KindBadRequest, apierr.ActionFixRequest},
		{"", 502, "general", true, apierr.KindUnavailable, apierr.ActionRetryBackoff},
		{"", 409, "class", true, apierr.KindConflict, apierr.ActionFixRequest},
		{"", 502, "class", true, apierr.KindUnavailable, apierr.ActionRetryBackoff},
		{"", 502, "legacy", true, apierr.KindBadRequest, apierr.ActionFixRequest},
		{"graphql", 200, "", false, apierr.KindInternal, apierr.ActionRetryBackoff},
		{"graphql", 200, "unlisted", true, apierr.KindInternal, apierr.ActionRetryBackoff},
		{"other", 200, "", false, apierr.KindUnknown, apierr.ActionFixRequest},
		{"", 200, "", false, apierr.KindUnknown, apierr.ActionFixRequest},
		{"graphql", 200, "legacy", true, apierr.KindBadRequest, apierr.ActionFixRequest},
	} {
		if k := tab.KindIn(tc.format, tc.status, tc.code, tc.hasCode); k != tc.kind {
			t.Errorf("KindIn(%q, %d, %q) = %v, want %v", tc.format, tc.status, tc.code, k, tc.kind)
		}
		if a := tab.ActionIn(tc.format, 0, false, tc.status, tc.code, tc.hasCode); a != tc.action {
			t.Errorf("ActionIn(%q, %d, %q) = %v, want %v", tc.format, tc.status, tc.code, a, tc.action)
		}
		if tc.format == "" && (tab.Kind(tc.status, tc.code, tc.hasCode) != tc.kind || tab.Action(0, false, tc.status, tc.code, tc.hasCode) != tc.action) {
			t.Errorf("Kind/Action(%d, %q) differ from KindIn/ActionIn", tc.status, tc.code)
		}
	}
	if a := tab.ActionIn("graphql", apierr.ActionReauthenticate, true, 200, "", false); a != apierr.ActionReauthenticate {
		t.Errorf("an override header still wins: %v", a)
	}
}
