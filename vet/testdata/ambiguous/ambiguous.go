// Package ambiguous matches texts that more than one vendor, or more than
// one code, documents: the finding names every matcher and offers no fix.
package ambiguous

import (
	"strings"

	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/generated/samsara"
)

func statuses(err error) bool {
	return strings.Contains(err.Error(), "404") // want `errcat: matching "404" in an error's text; use alloy.IsNotFound\(err\) or samsara.IsNotFound\(err\)`
}

func oneVendor(err error) bool {
	_ = alloy.Vendor
	_ = samsara.Vendor
	return strings.Contains(err.Error(), "Configuration limit exceeded") // want `errcat: matching "Configuration limit exceeded" in an error's text; use samsara.IsBadRequest\(err\)`
}
