package errarray_test

import (
	"errors"
	"testing"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/errarray"
)

// The code is read from the first item of an array of errors, and every
// item is kept as a typed list.
func TestCodeInsideArray(t *testing.T) {
	body := `{"errors":[{"code":1001,"title":"name is required","source":{"pointer":"/data/name"}},{"code":1002,"title":"bad email","source":{"pointer":"/data/email"}}]}`
	resp := e2e.Get(t, e2e.Reply{Status: 422, Body: body})
	err := errarray.FromResponse(resp)
	var e *errarray.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As failed: %v", err)
	}
	if e.Code != errarray.CodeFieldMissing || e.Message != "name is required" {
		t.Errorf("code %v message %q", e.Code, e.Message)
	}
	if len(e.Errors) != 2 || e.Errors[1].Code != 1002 || e.Errors[1].Pointer != "/data/email" {
		t.Errorf("items %+v", e.Errors)
	}
	if !errarray.IsFieldMissing(err) || !errarray.IsUnprocessable(err) || !errarray.IsClientError(err) || errarray.IsFieldInvalid(err) {
		t.Error("matchers disagree")
	}
	if apierr.ActionOf(err) != apierr.ActionFixRequest {
		t.Errorf("action %v", apierr.ActionOf(err))
	}
}

func TestAliasMatchesTarget(t *testing.T) {
	err := errarray.Parse(422, nil, []byte(`{"errors":[{"code":1003}]}`))
	if !errarray.IsFieldBad(err) || !errarray.IsFieldInvalid(err) {
		t.Errorf("alias 1003 should match its own and 1002's sentinel: %v", err)
	}
	if errarray.CodeFieldBad.Deprecated() == "" || errarray.CodeFieldInvalid.Deprecated() != "" {
		t.Error("deprecation not carried")
	}
}

func TestEmptyOrOddArrays(t *testing.T) {
	for _, body := range []string{`{"errors":[]}`, `{"errors":"x"}`, `{"errors":[1,2]}`, `{"errors":[{"code":"x"}]}`, `{"errors":[{"code":1e400}]}`} {
		err := errarray.Parse(500, nil, []byte(body))
		var e *errarray.Error
		if !errors.As(err, &e) || e.HasCode {
			t.Errorf("%s: %#v", body, err)
		}
		if !errarray.IsServerError(err) || !apierr.IsRetryable(err) {
			t.Errorf("%s: 500 should match the 5XX class and be retryable", body)
		}
	}
}
