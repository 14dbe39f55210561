package apierr

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// Outcome is what one attempt produced, as a decision hook sees it.
type Outcome struct {
	// Request is the caller's request; the hook must not modify it.
	Request *http.Request
	// Attempt is the attempt's number, counting from 1.
	Attempt int
	// Response is the attempt's response, or nil after a transport error.
	// Its body is readable from the start; read it only with [PeekBody],
	// which leaves it so, and never close it.
	Response *http.Response
	// APIError is the vendor's classified error, or nil after a transport
	// error.
	APIError Error
	// Err is the transport error, or nil when a response arrived.
	Err error
}

// Decision is what the transport does after an attempt: retry or not, and
// how long to wait first.
type Decision struct {
	Retry bool
	// Delay is the wait before the retry.
	Delay time.Duration
	// ServerDelay reports that Delay is the server's, so the
	// [WithMaxServerDelay] cap applies and retry events say so.
	ServerDelay bool
}

// WithDecide sets a hook that overrides the transport's decision after an
// attempt that failed: a transport error, or a response the Policy
// classified as an error, except one asking to reauthenticate (that has its
// own hook, [WithReauthenticate]). Successes are final and do not reach it.
// [ActionDoNotRetry] and [ActionUserAction] reach it with Retry false; a
// hook that retries one anyway does so without a credential refresh.
// decide gets the outcome and the transport's own decision (from the
// catalog's action, the server's delay or backoff) and returns the one to
// follow, for what the catalog cannot know: "this 500 code is transient for
// us", "do not retry 503 on this path", "wait longer".
//
// The hook cannot make the transport unsafe or unbounded: a retry still
// needs a request that is safe to repeat, an attempt left, a delay that
// fits the context deadline (and, for a server delay, the
// [WithMaxServerDelay] cap) and a token of the [RetryBudget], if any.
// It runs synchronously and must be safe for concurrent use.
func WithDecide(decide func(o Outcome, d Decision) Decision) Option {
	return func(t *Transport) { t.decide = decide }
}

// decideResponse returns the decision for a classified error response: the
// catalog's (a retryable action waits the server's delay, capped by
// [RetryDelay] and jittered upwards only, else backoff), then the hook's.
func (t *Transport) decideResponse(req *http.Request, resp *http.Response, apiErr Error, attempt int) Decision {
	var d Decision
	if apiErr.Action().Retryable() {
		d.Retry = true
		d.Delay, d.ServerDelay = RetryDelay(apiErr)
		if d.ServerDelay {
			d.Delay = t.jitterServerDelay(d.Delay)
		} else {
			d.Delay = t.backoff(attempt)
		}
	}
	if t.decide != nil {
		d = t.decide(Outcome{Request: req, Attempt: attempt, Response: resp, APIError: apiErr}, d)
	}
	return d
}

// decideError returns the decision for a transport error: its own (retry
// after delay, unless the error is permanent, see [Transport]), then the
// hook's.
func (t *Transport) decideError(req *http.Request, err error, attempt int, delay time.Duration) Decision {
	d := Decision{Retry: !permanentError(err), Delay: delay}
	if t.decide != nil {
		d = t.decide(Outcome{Request: req, Attempt: attempt, Err: err}, d)
	}
	return d
}

// jitterServerDelay spreads clients that got the same server delay (one
// Retry-After for everyone, a window resetting at one instant) without ever
// retrying earlier than the server asked: it adds a uniformly random extra
// of up to the jitter fraction of d (see [WithServerDelayJitter]), and
// never lifts a delay within the [WithMaxServerDelay] cap above the cap. A
// delay already above the cap is left as it is, for giveUp to refuse.
func (t *Transport) jitterServerDelay(d time.Duration) time.Duration {
	frac := t.serverJitter
	if !t.serverJitterSet {
		frac = DefaultServerDelayJitter
	}
	limit := t.settings().maxServerDelay
	if d <= 0 || frac <= 0 || d >= limit {
		return max(d, 0)
	}
	extra := time.Duration(float64(d) * frac)
	extra = min(extra, limit-d)
	if extra <= 0 {
		return d
	}
	return d + time.Duration(rand.Int64N(int64(extra)+1))
}
