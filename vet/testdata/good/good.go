// Package good handles vendor errors as errcat intends: nothing to report.
package good

import (
	"errors"
	"net/http"
	"strings"

	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/generated/trackunit"
)

func handle(resp *http.Response, other *http.Response) (string, error) {
	if other.StatusCode == 404 { // no vendor parses other
		return "", nil
	}
	err := alloy.FromResponse(resp)
	switch {
	case err == nil:
		return "", nil
	case alloy.IsCredentialsExpired(err), errors.Is(err, alloy.ErrServerError):
		return "retry", err
	case resp.StatusCode == int(alloy.StatusTooManyRequests):
		return "slow down", err
	}
	var e *alloy.Error
	if errors.As(err, &e) {
		if e.Code == alloy.CodeCredentialsExpired || e.Status == alloy.StatusNotFound || e.HTTPStatus() >= 500 {
			return "", err
		}
		if strings.Contains(e.Message, "an undocumented text") || e.Message == "" {
			return e.Message, err
		}
	}
	var t *trackunit.Error
	if errors.As(err, &t) && t.Code == trackunit.CodeRateLimited {
		return "", err
	}
	if strings.Contains(err.Error(), "connection reset") || err.Error() == "EOF" || strings.Contains(err.Error(), "Expired") {
		return "", err // "Expired" is part of a documented text, but too short to tell
	}
	if err.Error() == "Credentials Expired" || strings.HasSuffix(err.Error(), "Credentials") { // only whole texts for ==; not a suffix
		return "", err
	}
	if err != nil && err != errNotMine {
		return "", err
	}
	return strings.ToLower("Not Found"), nil // a known text, but not compared with an error
}

var errNotMine = errors.New("not mine")
