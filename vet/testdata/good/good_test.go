package good

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/errcat/errcat/generated/alloy"
)

// Tests assert what a parser produced: comparing texts there is no finding.
func TestParsed(t *testing.T) {
	var resp *http.Response
	err := alloy.FromResponse(resp)
	var e *alloy.Error
	if !errors.As(err, &e) || e.Message != "The supplied bearer token has expired.  Please obtain a new one." || !strings.Contains(err.Error(), "CredentialsExpired") {
		t.Error(err)
	}
	if resp.StatusCode != 200 { // a success check, not a vendor error
		t.Error(resp.StatusCode)
	}
}
