package alloy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/errcat/errcat/generated/alloy"
)

// TestSecretValueScrubbedEverywhere: once the body's secret field
// (error.details.bearer_token) is read, its value is gone from every
// other text of the error, wherever the vendor echoed it.
func TestSecretValueScrubbedEverywhere(t *testing.T) {
	const token = "7GimeNYhwD3fs0xoTtLXdZIox53eSttzrRf71ENA"
	body := `{"status_code":401,"error":{"minor_code":4012,"type":"bad token ` + token + `",` +
		`"message":"The bearer token ` + token + ` has expired.",` +
		`"details":{"bearer_token":"` + token + `","note":["was ` + token + `"]},"error_token":"` + token + `"},` +
		`"evaluation_token":"x` + token + `y"}`
	err := alloy.Parse(401, nil, []byte(body))
	var e *alloy.Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse = %v, want *alloy.Error", err)
	}
	if !alloy.IsCredentialsExpired(err) {
		t.Fatalf("code lost: %v", err)
	}
	var log strings.Builder
	slog.New(slog.NewTextHandler(&log, nil)).LogAttrs(context.Background(), slog.LevelError, "failed", slog.Any("err", e))
	texts := map[string]string{
		"Error()":         e.Error(),
		"Message":         e.Message,
		"ErrorType":       e.ErrorType,
		"ErrorToken":      e.ErrorToken,
		"EvaluationToken": e.EvaluationToken,
		"Details":         fmt.Sprint(e.Details),
		"%+v":             fmt.Sprintf("%+v", *e),
		"slog":            log.String(),
	}
	for name, text := range texts {
		if strings.Contains(text, token) {
			t.Errorf("%s prints the secret: %s", name, text)
		}
	}
	if want := "The bearer token [REDACTED] has expired."; e.Message != want {
		t.Errorf("Message = %q, want %q", e.Message, want)
	}
	if !strings.Contains(string(e.RawBody()), token) {
		t.Error("RawBody, documented as unredacted, lost the body")
	}
}

// TestSecretValueScrubbedFromTruncatedBody: a body cut by the read limit
// is decoded as far as it goes, and the secret it holds is scrubbed from
// the other texts as for a whole body (the prefix decoder's document
// recorded no secret values, so the message printed the token).
func TestSecretValueScrubbedFromTruncatedBody(t *testing.T) {
	const token = "7GimeNYhwD3fs0xoTtLXdZIox53eSttzrRf71ENA"
	body := `{"status_code":401,"error":{"minor_code":4012,"details":{"bearer_token":"` + token + `"},` +
		`"message":"The bearer token ` + token + ` has expired."},"padding":"` + strings.Repeat("x", 200) + `"}`
	resp := &http.Response{StatusCode: 401, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader([]byte(body)))}
	err := alloy.FromResponseLimit(resp, int64(len(body)-50))
	var e *alloy.Error
	if !errors.As(err, &e) || !e.Truncated || !alloy.IsCredentialsExpired(err) {
		t.Fatalf("FromResponseLimit = %v, want a truncated CredentialsExpired *alloy.Error", err)
	}
	if want := "The bearer token [REDACTED] has expired."; e.Message != want {
		t.Errorf("Message = %q, want %q", e.Message, want)
	}
	if got := fmt.Sprint(e.Details); strings.Contains(got, token) {
		t.Errorf("Details print the secret: %s", got)
	}
}
