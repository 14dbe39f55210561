package apierr

import (
	"errors"
	"time"

	"github.com/errcat/errcat/apierr/internal/text"
)

// Error is implemented by every error type errcat generates, whatever the
// vendor. Use [errors.As] with a *vendor.Error for the vendor's typed fields,
// or with an apierr.Error for the vendor-neutral view.
type Error interface {
	error
	// Vendor is the catalog's vendor id, such as "alloy".
	Vendor() string
	// HTTPStatus is the response's HTTP status code.
	HTTPStatus() int
	// ErrorCode is the vendor's code as text ("4012", "constraint_violation"),
	// or "" when the body carried none.
	ErrorCode() string
	// Kind is the vendor-neutral category of the error.
	Kind() Kind
	// Action is what the client should do, after any header override.
	Action() Action
	// RetryDelay is the delay the server asked for, if it gave one, as
	// parsed (generated errors' parsers cap it at [MaxDelay]); the
	// package function [RetryDelay] also drops it where the action gives
	// a delay no meaning.
	RetryDelay() (time.Duration, bool)
}

// As returns the first error in err's tree that implements [Error].
func As(err error) (Error, bool) {
	var e Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// CodeOf returns the vendor code of the first [Error] in err's tree as
// text safe to log or to put in a span: one line of at most [MaxEventCode]
// runes (then "…"), without control or invisible formatting characters —
// the rule [RetryEvent].Code follows. A string code comes from the response
// body, so printing ErrorCode as it is lets a server forge or flood a log
// line. It returns "" when err holds no [Error] or the body carried no code.
func CodeOf(err error) string {
	if e, ok := As(err); ok {
		return text.OneLine(e.ErrorCode(), MaxEventCode)
	}
	return ""
}

// KindOf returns the kind of the first [Error] in err's tree, or KindUnknown.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind()
	}
	return KindUnknown
}

// ActionOf returns the action of the first [Error] in err's tree, or ActionNone.
func ActionOf(err error) Action {
	if e, ok := As(err); ok {
		return e.Action()
	}
	return ActionNone
}

// IsRetryable reports whether err's action allows repeating the request.
func IsRetryable(err error) bool {
	return ActionOf(err).Retryable()
}

// NeedsReauth reports whether err asks the client to obtain new credentials
// by itself ([ActionReauthenticate]). It is false for [ActionUserAction],
// where only the end user can help: see [NeedsUserAction].
func NeedsReauth(err error) bool {
	return ActionOf(err) == ActionReauthenticate
}

// NeedsUserAction reports whether err asks the end user to act (log in
// again, re-consent, complete a challenge): [ActionUserAction]. Show the
// user what the error says; neither retrying nor refreshing credentials
// helps.
func NeedsUserAction(err error) bool {
	return ActionOf(err) == ActionUserAction
}

// RetryDelay returns the delay the server asked for on the first [Error] in
// err's tree, if it gave one and the error's action makes a delay meaningful
// ([Action.TakesDelay]: retry_backoff, retry_after, resume, do_not_retry).
// The delay is at most [MaxDelay], whatever the server sent (an epoch
// seconds header that carries milliseconds asks for millennia) and
// whatever an [Error] implementation returns; it is never negative.
func RetryDelay(err error) (time.Duration, bool) {
	e, ok := As(err)
	if !ok || !e.Action().TakesDelay() {
		return 0, false
	}
	d, ok := e.RetryDelay()
	if !ok {
		return 0, false
	}
	return min(max(d, 0), MaxDelay), true
}
