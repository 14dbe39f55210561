// Package textmatch matches vendor errors by their text; every match has a
// fix, so after -fix the strings import goes too.
package textmatch

import (
	"strings"

	"github.com/errcat/errcat/generated/alloy"
	tu "github.com/errcat/errcat/generated/trackunit"
)

var _ = tu.Vendor // the package imports trackunit for other reasons

func codes(err error) bool {
	if strings.Contains(err.Error(), "4012") { // want `errcat: matching "4012" in an error's text; use alloy.IsCredentialsExpired\(err\)`
		return true
	}
	return strings.HasSuffix(err.Error(), "RATE_LIMITED") // want `errcat: matching "RATE_LIMITED" in an error's text; use tu.IsRateLimited\(err\)`
}

func messages(err error, e *alloy.Error) bool {
	if strings.Contains(strings.ToLower(err.Error()), "unauthorized - credentials expired") { // want `errcat: matching "unauthorized - credentials expired" in an error's text; use alloy.IsCredentialsExpired\(err\)`
		return true
	}
	if e.Message == "The supplied bearer token has expired.  Please obtain a new one." { // want `errcat: matching "The supplied bearer token has expired.  Please obtain a new one." in an error's Message; use alloy.IsCredentialsExpired\(e\)`
		return true
	}
	if strings.EqualFold(e.Message, "i'm a TEAPOT") { // want `errcat: matching "i'm a TEAPOT" in an error's Message; use alloy.IsTeapot\(e\) or alloy.IsTeapotGeneral\(e\)`
		return true
	}
	return err.Error() != "Constraint violation" // want `errcat: matching "Constraint violation" in an error's text; use tu.IsConstraintViolation\(err\)`
}

func names(err error) bool {
	return strings.HasPrefix(err.Error(), "CredentialsExpired") // want `matching "CredentialsExpired" in an error's text; use alloy.IsCredentialsExpired\(err\)`
}

func code(e *alloy.Error) bool {
	return e.ErrorCode() == "4015" // want `errcat: matching "4015" in an error's code; use alloy.IsProductionModeDisabled\(e\)`
}

// parts of a documented text, at least ten bytes long
func parts(err error) bool {
	return strings.Contains(err.Error(), "Credentials Expired") || // want `errcat: matching "Credentials Expired" in an error's text; use alloy.IsCredentialsExpired\(err\)`
		strings.HasPrefix(strings.ToLower(err.Error()), "service unavailable - we're") // want `matching "service unavailable - we're" in an error's text; use alloy.IsOfflineForMaintenance\(err\)`
}
