// Package rawconst compares vendor codes and statuses with raw literals.
package rawconst

import (
	"net/http"

	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/generated/trackunit"
)

func codes(e *alloy.Error, t *trackunit.Error) bool {
	if e.Code == 4012 { // want `errcat: raw 4012 compared to alloy.Code; use alloy.CodeCredentialsExpired`
		return true
	}
	if 503 == e.Status { // want `errcat: raw 503 compared to alloy.Status; use alloy.StatusServiceUnavailable`
		return true
	}
	if e.Code == 4999 { // not in the catalog: nothing to suggest
		return true
	}
	return t.Code != "RATE_LIMITED" // want `errcat: raw "RATE_LIMITED" compared to trackunit.Code; use trackunit.CodeRateLimited`
}

func switches(e *alloy.Error) string {
	switch e.Code {
	case 4012, 4013: // want `raw 4012 compared to alloy.Code; use alloy.CodeCredentialsExpired` `raw 4013 compared to alloy.Code; use alloy.CodeAPIAuthenticationFailure`
		return "auth"
	case alloy.CodeAppDisabled:
		return "disabled"
	}
	switch e.HTTPStatus() {
	case 429: // want `errcat: raw status 429 compared to e.HTTPStatus\(\); use int\(alloy.StatusTooManyRequests\)`
		return "slow down"
	}
	return ""
}

func response(resp *http.Response, other *http.Response) error {
	if err := alloy.FromResponse(resp); err != nil {
		if resp.StatusCode == 429 { // want `errcat: raw status 429 compared to resp.StatusCode of a response alloy.FromResponse parses; use int\(alloy.StatusTooManyRequests\)`
			return err
		}
		return err
	}
	if resp.StatusCode == 200 { // a success check, not a vendor error
		return nil
	}
	if other.StatusCode == 429 { // no vendor parses other
		return nil
	}
	return nil
}
