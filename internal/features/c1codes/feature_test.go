package c1codes_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/e2e"
	"github.com/errcat/errcat/internal/features/c1codes"
	"github.com/errcat/errcat/internal/features/c1codes/c1codestest"
)

func body(code string) string {
	return `{"error": {"code": "` + code + `", "message": "m"}}`
}

// fromServer makes a response of a loopback server and reads it with
// FromResponse, as a client does.
func fromServer(t *testing.T, status int, code string) *c1codes.Error {
	t.Helper()
	err := c1codes.FromResponse(e2e.Get(t, e2e.Reply{Status: status, Header: e2e.JSON, Body: body(code)}))
	var e *c1codes.Error
	if !errors.As(err, &e) {
		t.Fatalf("FromResponse(%d, %s) = %v, want a *c1codes.Error", status, code, err)
	}
	return e
}

// A code whose precedence is status decides its kind and action only at
// the statuses it is listed with: the "general error" documented under 400
// that a gateway returns with a 502 is the 502's (retried), while LEGACY
// (precedence: code) keeps its own at any status.
func TestPrecedence(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		code   c1codes.Code
		kind   apierr.Kind
		action apierr.Action
	}{
		{"general error at its own status", 400, c1codes.CodeGeneralError, apierr.KindBadRequest, apierr.ActionFixRequest},
		{"general error on a 502: the status wins", 502, c1codes.CodeGeneralError, apierr.KindUnavailable, apierr.ActionRetryBackoff},
		{"general error on a 500: the class wins", 500, c1codes.CodeGeneralError, apierr.KindInternal, apierr.ActionRetryBackoff},
		{"legacy code on a 502: the code wins", 502, c1codes.CodeLegacy, apierr.KindBadRequest, apierr.ActionFixRequest},
		{"quota at its first status", 429, c1codes.CodeQuotaExceeded, apierr.KindRateLimited, apierr.ActionRetryAfter},
		{"quota at its second status", 503, c1codes.CodeQuotaExceeded, apierr.KindRateLimited, apierr.ActionRetryAfter},
		{"quota at a status it is not listed with", 500, c1codes.CodeQuotaExceeded, apierr.KindInternal, apierr.ActionRetryBackoff},
		{"class code inside its class", 504, c1codes.CodeBackendFailure, apierr.KindInternal, apierr.ActionRetryBackoff},
		{"class code outside its class", 404, c1codes.CodeBackendFailure, apierr.KindNotFound, apierr.ActionFixRequest},
		{"statusless code at 404", 404, c1codes.CodeDenied, apierr.KindPermissionDenied, apierr.ActionFixRequest},
		{"statusless code at 502", 502, c1codes.CodeDenied, apierr.KindPermissionDenied, apierr.ActionFixRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := fromServer(t, c.status, string(c.code))
			if e.Code != c.code || !e.HasCode || e.Kind() != c.kind || e.Action() != c.action {
				t.Errorf("code %v, kind %v, action %v; want %v, %v, %v", e.Code, e.Kind(), e.Action(), c.code, c.kind, c.action)
			}
			err := error(e)
			if apierr.KindOf(err) != c.kind || apierr.ActionOf(err) != c.action || apierr.IsRetryable(err) != c.action.Retryable() {
				t.Errorf("apierr helpers: %v, %v", apierr.KindOf(err), apierr.ActionOf(err))
			}
			// The code's sentinel matches at any status.
			sentinel := map[c1codes.Code]error{
				c1codes.CodeGeneralError: c1codes.ErrGeneralError, c1codes.CodeLegacy: c1codes.ErrLegacy,
				c1codes.CodeQuotaExceeded: c1codes.ErrQuotaExceeded, c1codes.CodeBackendFailure: c1codes.ErrBackendFailure,
				c1codes.CodeDenied: c1codes.ErrDenied,
			}[c.code]
			if !errors.Is(err, sentinel) {
				t.Errorf("errors.Is(err, %v) = false", sentinel)
			}
		})
	}
}

// A code documented without a status is matched at any status, has no
// Status(), and keeps its own kind and action.
func TestStatuslessCode(t *testing.T) {
	if c1codes.CodeDenied.Status() != 0 || c1codes.CodeMaintenance.Status() != 0 {
		t.Errorf("statusless codes report statuses %d, %d", c1codes.CodeDenied.Status(), c1codes.CodeMaintenance.Status())
	}
	if c1codes.CodeQuotaExceeded.Status() != c1codes.StatusTooManyRequests {
		t.Errorf("a listed code's Status() is its first exact status, got %d", c1codes.CodeQuotaExceeded.Status())
	}
	for _, status := range []int{403, 404, 503} {
		err := c1codes.Parse(status, nil, []byte(body("DENIED")))
		if !c1codes.IsDenied(err) || !errors.Is(err, c1codes.ErrDenied) || apierr.KindOf(err) != apierr.KindPermissionDenied {
			t.Errorf("status %d: %v is not Denied (kind %v)", status, err, apierr.KindOf(err))
		}
		if got := errors.Is(err, c1codes.ErrNotFound); got != (status == 404) {
			t.Errorf("status %d: errors.Is(err, ErrNotFound) = %v", status, got)
		}
	}
}

// A code named like a status: both keep their catalog names in Error()
// and slog; the code's sentinel and matcher are ErrCodeBadRequest and
// IsCodeBadRequest, the status's ErrBadRequest and IsBadRequest.
func TestCodeNamedLikeStatus(t *testing.T) {
	e := fromServer(t, 400, "bad_request")
	err := error(e)
	if !c1codes.IsCodeBadRequest(err) || !c1codes.IsBadRequest(err) || !errors.Is(err, c1codes.ErrCodeBadRequest) || !errors.Is(err, c1codes.ErrBadRequest) {
		t.Errorf("matchers at 400: %v", err)
	}
	if want := "c1codes: 400 BadRequest code bad_request (BadRequest): m"; e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	if c1codes.CodeBadRequest.String() != "bad_request" || c1codes.StatusBadRequest.String() != "BadRequest" {
		t.Errorf("names: %s, %s", c1codes.CodeBadRequest, c1codes.StatusBadRequest)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Error("failed", "err", e)
	if !strings.Contains(logged.String(), "code=bad_request") {
		t.Errorf("slog: %s", logged.String())
	}
	// The same code at 404: the code's matcher, not the status's.
	err = fromServer(t, 404, "bad_request")
	if !c1codes.IsCodeBadRequest(err) || c1codes.IsBadRequest(err) || !c1codes.IsNotFound(err) {
		t.Errorf("matchers at 404: %v", err)
	}
	// And the status without the code: the status's matcher only.
	err = c1codes.Parse(400, nil, []byte(`{"error": {"message": "no code"}}`))
	if c1codes.IsCodeBadRequest(err) || !c1codes.IsBadRequest(err) {
		t.Errorf("matchers for a codeless 400: %v", err)
	}
}

// The test kit answers a code with its example's status, else its first
// exact status, and never invents one: a code with neither needs
// WithStatus.
func TestKitStatuses(t *testing.T) {
	for _, c := range []struct {
		code   c1codes.Code
		status int
	}{
		{c1codes.CodeDenied, 404},        // its first example's
		{c1codes.CodeQuotaExceeded, 503}, // its example's, not its first status
		{c1codes.CodeBackendFailure, 504},
		{c1codes.CodeLegacy, 400}, // no example: its status
	} {
		e := c1codestest.NewError(c.code)
		if e == nil || e.Code != c.code || e.HTTPStatus() != c.status {
			t.Errorf("NewError(%v) = %v, want status %d", c.code, e, c.status)
		}
	}
	e := c1codestest.NewError(c1codes.CodeMaintenance, c1codestest.WithStatus(http.StatusServiceUnavailable))
	if e == nil || e.Code != c1codes.CodeMaintenance || e.Status != c1codes.StatusServiceUnavailable || !apierr.IsRetryable(e) {
		t.Errorf("NewError(Maintenance, WithStatus(503)) = %v", e)
	}
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "WithStatus") {
			t.Errorf("Response of a code without status or example: recovered %q, want a panic naming WithStatus", msg)
		}
	}()
	c1codestest.Response(c1codes.CodeMaintenance)
	t.Error("Response(CodeMaintenance) returned without a status")
}
