package diff

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestEachClass makes one small edit to testdata/old.yaml per case and
// checks that exactly the expected change classes are reported, with
// their severities, and the Go API bump the generated package really
// shows. It also holds the rule docs/diff.md states: a major Go API change
// always comes with a breaking change class.
func TestEachClass(t *testing.T) {
	base, err := os.ReadFile("testdata/old.yaml")
	if err != nil {
		t.Fatal(err)
	}
	old := mustLoad(t, "old.yaml", base)
	type edit struct{ from, to string }
	cases := []struct {
		name  string
		edits []edit
		want  []string // class ids, sorted
		bump  string
	}{
		{"vendor id", []edit{{"  id: acme\n", "  id: acme2\n"}}, []string{"vendor-id-changed"}, "major"},
		{"package", []edit{{"  package: acme\n", "  package: acme2\n"}}, []string{"package-renamed"}, "major"},
		{"vendor name", []edit{{"  name: Acme\n", "  name: Acme Inc\n"}}, []string{"vendor-metadata-changed"}, "patch"},
		{"docs revision", []edit{{`"2025-01-01"`, `"2025-02-02"`}}, []string{"vendor-metadata-changed"}, "patch"},
		{"vendor description", []edit{{"description: Acme's API.", "description: Acme's public API."}}, []string{"description-changed"}, "patch"},
		{"status spelling", []edit{{"name: bad request,", "name: Bad Request,"}}, []string{"name-changed"}, "none"},
		{"status go name", []edit{{"name: not found,", "name: missing,"}}, []string{"go-name-changed"}, "major"},
		{"status removed", []edit{{"  - {status: 410, name: gone, description: Gone for good., kind: not_found}\n", ""}}, []string{"status-removed"}, "major"},
		{"class removed", []edit{{"  - {status: 5XX, name: server error, description: Server error., kind: internal, action: retry_backoff}\n", ""}}, []string{"class-removed"}, "major"},
		{"status added", []edit{{"  - {status: 410,", "  - {status: 409, name: conflict, description: d., kind: conflict}\n  - {status: 410,"}}, []string{"status-added"}, "minor"},
		{"class added", []edit{{"  - {status: 5XX,", "  - {status: 3XX, name: redirect, description: d., kind: unknown, action: none}\n  - {status: 5XX,"}}, []string{"class-added"}, "patch"},
		{"code removed", []edit{{"    - {code: 1, name: retired, status: 400, description: Going away.}\n", ""}}, []string{"code-removed"}, "major"},
		{"code added", []edit{{"    - {code: 3,", "    - {code: 2, name: newcomer, status: 404, description: New.}\n    - {code: 3,"}}, []string{"code-added"}, "minor"},
		{"code moved", []edit{{"{code: 3, name: moved, status: 400,", "{code: 3, name: moved, status: 422,"}}, []string{"code-status-changed"}, "patch"},
		{"kind", []edit{{"kind: permission_denied}", "kind: not_found}"}}, []string{"kind-changed"}, "patch"},
		{"action", []edit{{"description: Invalid., kind: bad_request}", "description: Invalid., kind: bad_request, action: contact_support}"}}, []string{"action-changed"}, "patch"},
		{"retry lost", []edit{{"kind: rate_limited, action: retry_after}", "kind: rate_limited, action: fix_request}"}}, []string{"retry-lost"}, "patch"},
		{"retry gained", []edit{{"kind: timeout}", "kind: timeout, action: retry_backoff}"}}, []string{"retry-gained"}, "patch"},
		{"reauth lost", []edit{{"action: reauthenticate}", "action: fix_request}"}}, []string{"reauth-lost"}, "patch"},
		{"reauth gained", []edit{{"kind: permission_denied}", "kind: permission_denied, action: reauthenticate}"}}, []string{"reauth-gained"}, "patch"},
		{"inherited action", []edit{{"kind: bad_request, action: fix_request}", "kind: bad_request, action: contact_support}"}}, []string{"action-changed"}, "patch"},
		{"deprecated", []edit{{"description: Soon deprecated.}", "description: Soon deprecated., deprecated: Use 3.}"}}, []string{"deprecation-added"}, "patch"},
		{"undeprecated", []edit{{", deprecated: Use 4.}", "}"}}, []string{"deprecation-removed"}, "patch"},
		{"alias", []edit{{", alias_of: 4}", "}"}}, []string{"alias-changed"}, "patch"},
		{"status example", []edit{{"description: Gone for good., kind: not_found}", "description: Gone for good., kind: not_found, examples: [{body: gone}]}"}}, []string{"description-changed"}, "none"},
		{"code example", []edit{{"description: Moves to 422.}", "description: Moves to 422., examples: [{headers: {X-A: b}, body: '{\"code\": 3}'}]}"}}, []string{"description-changed"}, "none"},
		{"code note", []edit{{"note: Old note.", "note: New note."}}, []string{"description-changed"}, "none"},
		{"code go name", []edit{{"name: renamed,", "name: fresh name,"}}, []string{"go-name-changed"}, "major"},
		{"header removed", []edit{{"  - {header: X-Request-Id, name: request id, description: Support id.}\n", ""}}, []string{"header-removed"}, "major"},
		{"header added", []edit{{"headers:\n", "headers:\n  - {header: X-Trace, name: trace}\n"}}, []string{"header-added"}, "minor"},
		{"header not sensitive", []edit{{"name: token header, sensitive: true}", "name: token header}"}}, []string{"sensitive-removed"}, "major"},
		{"header sensitive", []edit{{"name: other header}", "name: other header, sensitive: true}"}}, []string{"header-type-changed"}, "major"},
		{"body removed", []edit{{"  - {name: legacy, description: Old format., statuses: [410], sensitive: [password]}\n", ""}}, []string{"body-removed", "sensitive-removed"}, "patch"},
		{"body added", []edit{{"  - {name: legacy,", "  - {name: fresh, description: New., statuses: [409]}\n  - {name: legacy,"}}, []string{"body-added"}, "patch"},
		{"body content", []edit{{"statuses: [5XX], content: text}", "statuses: [5XX]}"}}, []string{"body-content-changed"}, "patch"},
		{"body selection", []edit{{"statuses: [410], sensitive", "statuses: [410], media_types: [+json], when: {path: kind, present: true}, sensitive"}}, []string{"body-selection-changed"}, "patch"},
		{"body statuses", []edit{{"    statuses: [4XX]\n", "    statuses: [4XX, 5XX]\n"}}, []string{"body-statuses-changed"}, "patch"},
		{"error_when", []edit{{"equals: false}", "equals: 0}"}}, []string{"body-error-when-changed"}, "patch"},
		{"code precedence (v2)", []edit{{"{code: 3, name: moved, status: 400,", "{code: 3, name: moved, status: 400, precedence: status,"}}, []string{"code-status-changed"}, "patch"},
		{"code statuses listed (v2)", []edit{{"{code: 3, name: moved, status: 400,", "{code: 3, name: moved, status: [400, 4XX],"}}, []string{"code-status-changed"}, "patch"},
		{"format kind (v2)", []edit{{"error_when: {path: ok, equals: false}\n", "error_when: {path: ok, equals: false}\n    kind: internal\n    action: retry_backoff\n"}}, []string{"body-error-when-changed"}, "patch"},
		{"body example", []edit{{`"text": "no"`, `"text": "nope"`}}, []string{"description-changed"}, "none"},
		{"field removed", []edit{{"      - {name: gone field, path: gone, type: string}\n", ""}}, []string{"field-removed"}, "major"},
		{"item field removed", []edit{{"          - {name: where, path: where, type: string}\n", ""}}, []string{"field-removed"}, "major"},
		{"field dropped", []edit{{"    fields:\n      - {name: request ref, path: request_ref, type: string}\n  - {name: plain", "    fields: []\n  - {name: plain"}}, []string{"field-dropped"}, "patch"},
		{"field added", []edit{{"      - {name: wait,", "      - {name: added field, path: added, type: boolean}\n      - {name: wait,"}}, []string{"field-added"}, "minor"},
		{"field path", []edit{{"path: detail,", "path: [detail, details],"}}, []string{"field-path-changed"}, "patch"},
		{"field type", []edit{{"path: count, type: integer}", "path: count, type: number}"}}, []string{"field-type-changed"}, "major"},
		{"field role", []edit{{"{name: text, path: text, type: string, role: message}", "{name: text, path: text, type: string}"}}, []string{"field-role-changed"}, "minor"},
		{"secret field", []edit{{"path: token, type: secret}", "path: token, type: string}"}}, []string{"sensitive-removed"}, "major"},
		{"sensitive path removed", []edit{{"sensitive: [secret_key, request.auth]", "sensitive: [request.auth]"}}, []string{"sensitive-removed"}, "patch"},
		{"sensitive path added", []edit{{"sensitive: [secret_key, request.auth]", "sensitive: [secret_key, request.auth, api_key]"}}, []string{"sensitive-added"}, "patch"},
		{"delay removed", []edit{{"    - {field: wait, format: seconds}\n", ""}}, []string{"delay-removed"}, "patch"},
		{"delay changed", []edit{{"format: epoch_seconds}", "format: epoch_millis}"}}, []string{"delay-changed"}, "patch"},
		{"delay added", []edit{{"  delays:\n", "  delays:\n    - {header: X-New-Delay, format: seconds}\n"}}, []string{"delay-added"}, "patch"},
		{"override", []edit{{`{value: "true", action: retry_backoff}`, `{value: "true", action: retry_after}`}}, []string{"override-changed"}, "patch"},
		{"idempotency key", []edit{{"  idempotency_key_header: Idempotency-Key\n", ""}}, []string{"idempotency-key-changed"}, "patch"},
		{"idempotency key in the body", []edit{{"  idempotency_key_header: Idempotency-Key\n", "  idempotency_key_header: Idempotency-Key\n  idempotency_key_field: meta.idempotency_key\n"}}, []string{"idempotency-key-changed"}, "patch"},
		{"action do_not_retry", []edit{{"kind: rate_limited, action: retry_after}", "kind: rate_limited, action: do_not_retry}"}}, []string{"retry-lost"}, "patch"},
		{"action user_action", []edit{{"action: reauthenticate}", "action: user_action}"}}, []string{"reauth-lost"}, "patch"},
		{"rate limit changed", []edit{{"{scope: token, requests: 10, per: second}", "{scope: token, requests: 600, per: minute}"}}, []string{"rate-limit-changed"}, "patch"},
		{"rate limit removed", []edit{{"    - {scope: endpoint, method: POST, path: /orders, requests: 5, per: second, description: Order creation.}\n", ""}}, []string{"rate-limit-changed"}, "patch"},
		{"rate limit added", []edit{{"  rate_limits:\n", "  rate_limits:\n    - {scope: organization, requests: 50, per: second}\n"}}, []string{"rate-limit-changed"}, "patch"},
		{"rate limit description", []edit{{"description: Order creation.}", "description: Order creation only.}"}}, []string{"description-changed"}, "none"},
		{"retry description", []edit{{"Retry with care.", "Retry with great care."}}, []string{"description-changed"}, "none"},
		{"delay rule", []edit{{"{header: X-Reset, format: epoch_seconds}", `{header: X-Reset, format: epoch_seconds, statuses: [429], when: {header: X-Left, equals: "0"}}`}}, []string{"delay-changed"}, "patch"},
		{"delay bounds", []edit{{"description: Slow down., kind: rate_limited, action: retry_after}", "description: Slow down., kind: rate_limited, action: retry_after, min_delay: 1s}"}}, []string{"delay-changed"}, "patch"},
		{"code delay bounds", []edit{{"description: Kind changes., kind: rate_limited}", "description: Kind changes., kind: rate_limited, default_delay: 2s}"}}, []string{"delay-changed"}, "patch"},
		{"override rule", []edit{{`{value: "true", action: retry_backoff}`, `{value: "true", action: retry_backoff, statuses: [5XX]}`}}, []string{"override-changed"}, "patch"},
		{"warnings path", []edit{{"  path: warnings\n", "  path: data.warnings\n"}}, []string{"success-section-changed"}, "patch"},
		{"batch status", []edit{{"  status: status\n", "  status: [status, code]\n"}}, []string{"success-section-changed"}, "patch"},
		{"warning field removed", []edit{{"    - {name: field, path: field, type: string}\n", ""}}, []string{"field-removed"}, "major"},
		{"batch removed", []edit{{"batch:\n  path: responses\n  status: status\n", ""}}, []string{"success-section-removed"}, "major"},
		{"nothing", nil, nil, "none"},
	}
	ck := NewChecker()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := string(base)
			for _, e := range tc.edits {
				if !strings.Contains(src, e.from) {
					t.Fatalf("old.yaml lacks %q", e.from)
				}
				src = strings.Replace(src, e.from, e.to, 1)
			}
			new := mustLoad(t, "new.yaml", []byte(src))
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

// TestOneSided: a catalog that appears or disappears.
func TestOneSided(t *testing.T) {
	c := mustLoad(t, "old.yaml", []byte(stringCodes))
	for _, tc := range []struct {
		cs   []Change
		want string
	}{{Compare(nil, c), "catalog-added"}, {Compare(c, nil), "catalog-removed"}} {
		if len(tc.cs) != 1 || tc.cs[0].ID != tc.want {
			t.Errorf("got %+v, want one %s", tc.cs, tc.want)
		}
	}
	api, err := NewChecker().GoAPI(c, nil)
	if err != nil || api.Bump != "major" || !slices.Contains(api.Removed, "FromResponse") {
		t.Errorf("removed catalog: %+v, %v", api, err)
	}
	// Codes changing type: one change says it all.
	intCodes := strings.Replace(strings.Replace(stringCodes, "type: string", "type: integer", 1), "code: retired,", "code: 1, name: retired,", 1)
	if cs := Compare(c, mustLoad(t, "int.yaml", []byte(intCodes))); len(cs) != 1 || cs[0].ID != "code-type-changed" {
		t.Errorf("code type: %v", ids(cs))
	}
}
