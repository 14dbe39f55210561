package diff

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/model"
)

// edit replaces from with to in a catalog.
type edit struct{ from, to string }

// codeSetCases are the edits of TestCodeSetClasses.
var codeSetCases = []struct {
	file  string
	name  string
	edits []edit
	want  []string
	bump  string
}{
	{"c2_cardpay", "set removed", []edit{{"  - name: decline code\n", "  - name: gone set\n"}, {"set: decline code}", "set: gone set}"}}, []string{"code-set-added", "code-set-removed", "field-role-changed"}, "major"},
	{"c2_cardpay", "set added", []edit{{"code_sets:\n", "code_sets:\n  - name: outcome\n    items: [{code: issuer_declined, description: d.}]\n"}, {"      - {name: param,", "      - {name: outcome, path: error.outcome, type: string, role: subcode, set: outcome}\n      - {name: param,"}}, []string{"code-set-added", "field-added"}, "minor"},
	{"c2_cardpay", "subcode removed", []edit{{"      - code: do_not_honor\n        description: The card was declined for an unknown reason.\n", ""}}, []string{"subcode-removed"}, "major"},
	{"c2_cardpay", "subcode added", []edit{{"      - code: do_not_honor\n", "      - code: lost_card\n        description: Lost.\n      - code: do_not_honor\n"}}, []string{"subcode-added"}, "minor"},
	{"c2_cardpay", "domain subcode removed", []edit{{"      - code: QUOTA_EXCEEDED\n        domain: billing.example.com\n        description: The billing quota is exhausted.\n", ""}}, []string{"subcode-removed"}, "major"},
	{"c2_cardpay", "subcode moved domain", []edit{{"        domain: auth.example.com\n", "        domain: login.example.com\n"}}, []string{"subcode-added", "subcode-removed"}, "patch"},
	{"c2_cardpay", "decided action", []edit{{"        kind: internal\n        action: retry_backoff\n", "        kind: internal\n        action: fix_request\n"}}, []string{"retry-lost"}, "patch"},
	{"c2_cardpay", "decides dropped", []edit{{"    decides: true\n", ""}, {"        kind: internal\n        action: retry_backoff\n", ""}, {"        kind: bad_request\n        action: fix_request\n      - code: invalid", "      - code: invalid"}, {"        kind: bad_request\n        action: fix_request\n  - name: network code", "  - name: network code"}}, []string{"decides-lost"}, "major"},
	{"c2_cardpay", "set type", []edit{{"  - name: decline code\n", "  - name: decline code\n    type: integer\n"}, {"      - code: insufficient_funds\n", "      - code: 1\n        name: insufficient funds\n"}, {"      - code: expired_card\n        description: The card has expired.\n      - code: do_not_honor\n", "      - code: 2\n        name: expired card\n        description: The card has expired.\n      - code: 3\n        name: do not honor\n"}, {"path: error.decline_code, type: string", "path: error.decline_code, type: integer"}}, []string{"code-set-changed", "field-type-changed", "subcode-added", "subcode-removed"}, "major"},
	{"c2_cardpay", "subcode description", []edit{{"description: The card was declined for an unknown reason.", "description: Declined."}}, []string{"description-changed"}, "patch"},
	{"c2_cardpay", "decides added", []edit{{"  - name: decline code\n", "  - name: decline code\n    decides: true\n"}, {"      - code: insufficient_funds\n", "      - code: insufficient_funds\n        kind: bad_request\n        action: fix_request\n"}, {"      - code: expired_card\n        description: The card has expired.\n", "      - code: expired_card\n        kind: bad_request\n        action: fix_request\n        description: The card has expired.\n"}, {"      - code: do_not_honor\n", "      - code: do_not_honor\n        kind: bad_request\n        action: contact_support\n"}}, []string{"decides-gained"}, "minor"},
	{"c2_unionbox", "trim changed", []edit{{`trim: "/."`, `trim: "."`}}, []string{"code-read-changed"}, "patch"},
	{"c2_unionbox", "separator changed", []edit{{`compose: {separator: ":", parts`, `compose: {separator: "-", parts`}, {"ratelimit:too_many_requests", "ratelimit-too_many_requests"}}, []string{"code-added", "code-read-changed", "code-removed"}, "patch"},
}

// TestCodeSetClasses is TestEachClass for format v2's code sets and
// composed or cleaned code fields: one edit of a feature catalog per case,
// the classes reported, and the Go API bump the generated package shows
// (a major bump always with a breaking class).
func TestCodeSetClasses(t *testing.T) {
	cases := codeSetCases
	ck := NewChecker()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			old, new := codeSetPair(t, tc.file, tc.edits)
			cs := Compare(old, new)
			if got := ids(cs); !slices.Equal(got, tc.want) {
				t.Errorf("classes %v, want %v", got, tc.want)
			}
			breaking := false
			for _, c := range cs {
				sev, _, _, _ := ClassSeverity(c.ID)
				if c.Severity != sev || c.Fingerprint == "" || c.Pos.Line == 0 || !strings.HasPrefix(c.Message, c.Subject+": ") {
					t.Errorf("malformed change %+v", c)
				}
				breaking = breaking || c.Severity == Breaking
			}
			api, err := ck.GoAPI(old, new)
			if err != nil {
				t.Fatal(err)
			}
			if api.Bump != tc.bump {
				t.Errorf("Go API bump %s, want %s (removed %v, changed %v, added %v)", api.Bump, tc.bump, api.Removed, api.Changed, api.Added)
			}
			if api.Bump == "major" && !breaking {
				t.Errorf("a major Go API change (removed %v, changed %v) with no breaking change class", api.Removed, api.Changed)
			}
		})
	}
}

// codeSetPair loads a feature catalog and its edited copy.
func codeSetPair(t *testing.T, file string, edits []edit) (old, new *model.Catalog) {
	t.Helper()
	base, err := os.ReadFile("../../internal/features/catalog/" + file + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := string(base)
	for _, e := range edits {
		if !strings.Contains(src, e.from) {
			t.Fatalf("%s lacks %q", file, e.from)
		}
		src = strings.Replace(src, e.from, e.to, 1)
	}
	return mustLoad(t, "old.yaml", base), mustLoad(t, "new.yaml", []byte(src))
}
