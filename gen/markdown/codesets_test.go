package markdown_test

import (
	"strings"
	"testing"

	"github.com/errcat/errcat/gen/load"
	"github.com/errcat/errcat/gen/markdown"
)

// The vendor page shows each secondary code set (format v2) with its
// constants and sentinels, what a deciding set decides and a set's domain,
// and how a composed or cleaned code field reads its value.
func TestPageShowsCodeSetsAndComposition(t *testing.T) {
	tm, err := markdown.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	for file, wants := range map[string][]string{
		"c2_cardpay.yaml": {
			"## Secondary codes: decline code",
			"| `insufficient_funds` | `DeclineCodeInsufficientFunds` | `ErrDeclineCodeInsufficientFunds` | The card has insufficient funds",
			"`Error.HasDeclineCode`",
			"A listed value decides the error's kind and action",
			"| `api_error` | `ErrorTypeAPIError` | `ErrErrorTypeAPIError` | internal | retry_backoff | yes |",
			"Values are namespaced by `Error.Domain`",
			"| `API_KEY_INVALID` | `billing.example.com` | `ReasonBillingKeyInvalid` |",
			"| decline code | `error.decline_code` | `Error.DeclineCode` |",
		},
		"c2_unionbox.yaml": {
			`the chain of its ".tag" tags, joined by "/"`,
			`error.category, error.detail joined by ":", trimmed of " ", folded to lower case`,
			`error_summary (trimmed of "/.")`,
		},
	} {
		cat, err := load.File("../../internal/features/catalog/" + file)
		if err != nil {
			t.Fatal(err)
		}
		out, err := tm.Vendor(cat)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range wants {
			if !strings.Contains(string(out), w) {
				t.Errorf("%s: page lacks %q", file, w)
			}
		}
	}
}
