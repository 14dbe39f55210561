package model

import (
	"testing"

	"github.com/errcat/errcat/apierr"
)

func TestCodeIdents(t *testing.T) {
	if got := CodeIdents("BadRequest", false); got != (Idents{Const: "CodeBadRequest", Err: "ErrBadRequest", Is: "IsBadRequest"}) {
		t.Errorf("a code named like no status: %+v", got)
	}
	if got := CodeIdents("BadRequest", true); got != (Idents{Const: "CodeBadRequest", Err: "ErrCodeBadRequest", Is: "IsCodeBadRequest"}) {
		t.Errorf("a code named like a status: %+v", got)
	}
	// Finish applies the rule to a code that shares a status's Go name.
	st := &Status{Code: 400, GoName: "BadRequest", Kind: apierr.KindBadRequest}
	named, other := &Code{Str: "bad_request", GoName: "BadRequest"}, &Code{Str: "x", GoName: "Other"}
	c := &Catalog{Statuses: []*Status{st}, Codes: []*Code{named, other}}
	c.Finish()
	if st.Idents.Err != "ErrBadRequest" || named.Idents.Err != "ErrCodeBadRequest" || named.Idents.Is != "IsCodeBadRequest" || other.Idents.Is != "IsOther" {
		t.Errorf("Finish: status %+v, code %+v, other %+v", st.Idents, named.Idents, other.Idents)
	}
}

// Decide is the rule errcatimpl.Table implements: a code decides unless
// its precedence is status and the live status is not one it lists; a
// success body's format classifies errors without a listed code.
func TestDecide(t *testing.T) {
	s400 := &Status{Code: 400, Kind: apierr.KindBadRequest, Action: apierr.ActionFixRequest}
	s502 := &Status{Code: 502, Kind: apierr.KindUnavailable, Action: apierr.ActionRetryBackoff}
	c5xx := &Status{Code: 500, Class: true, Kind: apierr.KindInternal, Action: apierr.ActionRetryBackoff}
	general := &Code{Str: "general", Status: s400, Statuses: []*Status{s400}, StatusWins: true, Kind: apierr.KindBadRequest, Action: apierr.ActionFixRequest}
	class := &Code{Str: "backend", Statuses: []*Status{c5xx}, StatusWins: true, Kind: apierr.KindTimeout, Action: apierr.ActionRetryBackoff}
	statusless := &Code{Str: "denied", Kind: apierr.KindPermissionDenied, Action: apierr.ActionFixRequest}
	gql := &Body{Name: "graphql", Statuses: []StatusMatch{{Code: 200}}, ErrorWhen: &Condition{NonEmpty: true}, Kind: apierr.KindInternal, Action: apierr.ActionRetryBackoff, HasKindAction: true}
	plain := &Body{Name: "plain", Statuses: []StatusMatch{{Code: 201}}, ErrorWhen: &Condition{NonEmpty: true}}
	c := &Catalog{Statuses: []*Status{s400, s502, c5xx}, Codes: []*Code{general, class, statusless}, Bodies: []*Body{gql, plain}}
	for _, tc := range []struct {
		name   string
		status int
		code   *Code
		format string
		kind   apierr.Kind
		action apierr.Action
	}{
		{"code at its status", 400, general, "", apierr.KindBadRequest, apierr.ActionFixRequest},
		{"precedence status elsewhere", 502, general, "", apierr.KindUnavailable, apierr.ActionRetryBackoff},
		{"precedence status at an unlisted status of a class", 503, general, "", apierr.KindInternal, apierr.ActionRetryBackoff},
		{"precedence status at an unknown status", 418, general, "", apierr.DefaultKind(418), apierr.DefaultAction(418)},
		{"class code inside its class", 504, class, "", apierr.KindTimeout, apierr.ActionRetryBackoff},
		{"class code outside its class", 400, class, "", apierr.KindBadRequest, apierr.ActionFixRequest},
		{"statusless code anywhere", 502, statusless, "", apierr.KindPermissionDenied, apierr.ActionFixRequest},
		{"codeless error in a format that classifies it", 200, nil, "graphql", apierr.KindInternal, apierr.ActionRetryBackoff},
		{"codeless error in a format that does not", 201, nil, "plain", apierr.KindUnknown, apierr.ActionFixRequest},
		{"listed code in a success body", 200, statusless, "graphql", apierr.KindPermissionDenied, apierr.ActionFixRequest},
		{"precedence status in a success body", 200, general, "graphql", apierr.KindInternal, apierr.ActionRetryBackoff},
		{"format kind is for success bodies only", 400, nil, "graphql", apierr.KindBadRequest, apierr.ActionFixRequest},
	} {
		if k, a := c.Decide(tc.status, tc.code, tc.format); k != tc.kind || a != tc.action {
			t.Errorf("%s: Decide = %v, %v; want %v, %v", tc.name, k, a, tc.kind, tc.action)
		}
	}
}
