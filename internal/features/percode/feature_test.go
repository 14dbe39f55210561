package percode_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/percode"
)

// One status, 409, retryable for one code and not for another.
func TestRetryDependsOnCode(t *testing.T) {
	cases := []struct {
		body      string
		retryable bool
		code      percode.Code
	}{
		{`{"code":"lock_timeout","detail":"try later"}`, true, percode.CodeLockTimeout},
		{`{"code":"duplicate","detail":"exists"}`, false, percode.CodeDuplicate},
		{`{"code":"unheard_of"}`, false, "unheard_of"},
		{`{}`, false, ""},
	}
	for _, c := range cases {
		resp := e2e.Get(t, e2e.Reply{Status: 409, Body: c.body})
		err := percode.FromResponse(resp)
		if apierr.IsRetryable(err) != c.retryable {
			t.Errorf("%s: retryable %v", c.body, !c.retryable)
		}
		if !percode.IsConflict(err) {
			t.Errorf("%s: not a conflict", c.body)
		}
		if e, ok := apierr.As(err); !ok || e.ErrorCode() != string(c.code) {
			t.Errorf("%s: code %q", c.body, e.ErrorCode())
		}
	}
}

func TestSensitiveHeaderRedactedInLogs(t *testing.T) {
	resp := e2e.Get(t, e2e.Reply{Status: 409, Header: map[string]string{"X-Session-Token": "tok_secret"}, Body: `{"code":"duplicate"}`})
	err := percode.FromResponse(resp)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Error("call failed", "err", err)
	if strings.Contains(buf.String(), "tok_secret") || strings.Contains(err.Error(), "tok_secret") {
		t.Errorf("token printed: %s", buf.String())
	}
	var rec map[string]any
	if json.Unmarshal(buf.Bytes(), &rec) != nil || rec["err"].(map[string]any)["code"] != "duplicate" {
		t.Errorf("log record: %s", buf.String())
	}
}
