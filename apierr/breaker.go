package apierr

import (
	"context"
	"errors"
)

// IsFailure reports whether err means the vendor is failing, which is what a
// circuit breaker should count: a transport error (connection refused,
// reset, a timeout — the context's deadline included), or a vendor [Error]
// with a 5xx status. A 4xx error (400, 401, 404, 429 …) is the caller's
// problem or the vendor working as documented, not an outage, and the
// caller's own cancellation ([context.Canceled]) and a limiter's refusal
// ([ErrLimitWait]) never reached the vendor; none of those is a failure, and
// neither is nil.
//
// With sony/gobreaker v2 it is the complement of Settings.IsSuccessful:
//
//	IsSuccessful: func(err error) bool { return !apierr.IsFailure(err) }
//
// integrations/breaker has a runnable example.
func IsFailure(err error) bool {
	if err == nil {
		return false
	}
	if e, ok := As(err); ok {
		return IsFailureStatus(e.HTTPStatus())
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, ErrLimitWait) {
		return false
	}
	return true
}

// IsFailureStatus reports whether a response with status counts as a
// vendor failure for a circuit breaker: a 5xx.
func IsFailureStatus(status int) bool {
	return status >= 500 && status <= 599
}
