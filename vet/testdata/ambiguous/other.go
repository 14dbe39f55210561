package ambiguous

import "strings"

// This file does not import alloy (another file of the package does): the
// finding names alloy's matcher but offers no fix.
func elsewhere(err error) bool {
	return strings.Contains(err.Error(), "4012") // want `errcat: matching "4012" in an error's text; use alloy.IsCredentialsExpired\(err\)`
}
