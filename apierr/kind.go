package apierr

// Kind is the vendor-neutral category of an API response, so that code handling
// several vendors can branch on meaning rather than on each vendor's codes.
type Kind uint8

// The kinds, in the order catalogs document them. KindUnknown is the zero value:
// an error whose status and code no catalog entry describes.
const (
	KindUnknown              Kind = iota // no catalog entry describes the response
	KindOK                               // success, nothing to do
	KindIncomplete                       // accepted but not complete: data missing or partial
	KindBadRequest                       // the request is malformed or invalid
	KindUnauthenticated                  // credentials are missing, invalid or expired
	KindPermissionDenied                 // credentials are valid but lack access
	KindNotFound                         // the resource or endpoint does not exist
	KindMethodNotAllowed                 // the endpoint does not accept the HTTP method
	KindConflict                         // the request conflicts with the resource's state
	KindPreconditionFailed               // a precondition of the request does not hold
	KindTooLarge                         // the request body is too large
	KindUnsupportedMediaType             // the request's Content-Type is not accepted
	KindRateLimited                      // a rate limit or quota was exceeded
	KindInternal                         // the server failed unexpectedly
	KindNotImplemented                   // the server does not implement the function
	KindUnavailable                      // the server is temporarily unavailable
	KindTimeout                          // an upstream or gateway timed out
)

var kindNames = [...]string{
	KindUnknown:              "unknown",
	KindOK:                   "ok",
	KindIncomplete:           "incomplete",
	KindBadRequest:           "bad_request",
	KindUnauthenticated:      "unauthenticated",
	KindPermissionDenied:     "permission_denied",
	KindNotFound:             "not_found",
	KindMethodNotAllowed:     "method_not_allowed",
	KindConflict:             "conflict",
	KindPreconditionFailed:   "precondition_failed",
	KindTooLarge:             "too_large",
	KindUnsupportedMediaType: "unsupported_media_type",
	KindRateLimited:          "rate_limited",
	KindInternal:             "internal",
	KindNotImplemented:       "not_implemented",
	KindUnavailable:          "unavailable",
	KindTimeout:              "timeout",
}

// String returns the kind's catalog spelling, such as "rate_limited".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// MarshalText encodes the kind as its catalog spelling, so JSON logs and
// APIs show "rate_limited" rather than a number.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Kinds returns every kind in declaration order.
func Kinds() []Kind {
	out := make([]Kind, len(kindNames))
	for i := range kindNames {
		out[i] = Kind(i)
	}
	return out
}

// ParseKind returns the kind whose catalog spelling is s.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return KindUnknown, false
}

// Action is what a client should do about a response: the retry semantics a
// vendor documents, reduced to a closed set.
type Action uint8

// The actions. ActionNone is the zero value.
const (
	ActionNone           Action = iota // success: nothing to do
	ActionFixRequest                   // fix the request; never retry it unchanged
	ActionRetryBackoff                 // retry with exponential backoff and jitter
	ActionRetryAfter                   // retry after the server's delay, else backoff
	ActionReauthenticate               // obtain new credentials, then retry once
	ActionResume                       // complete or resume the operation as the vendor describes
	ActionContactSupport               // nothing the client can change; ask the vendor
	// ActionDoNotRetry: the request was not wrong, but must not be repeated
	// automatically (a daily quota spent, a duplicate the vendor refuses to
	// process twice); a person or a scheduler decides when to send it again.
	// Format v2 catalogs only.
	ActionDoNotRetry
	// ActionUserAction: the end user must act (log in again, re-consent,
	// complete a challenge) before the request can succeed; new credentials
	// the client could fetch by itself do not help, so the [Transport] never
	// calls its [WithReauthenticate] hook for it. Format v2 catalogs only.
	ActionUserAction
)

var actionNames = [...]string{
	ActionNone:           "none",
	ActionFixRequest:     "fix_request",
	ActionRetryBackoff:   "retry_backoff",
	ActionRetryAfter:     "retry_after",
	ActionReauthenticate: "reauthenticate",
	ActionResume:         "resume",
	ActionContactSupport: "contact_support",
	ActionDoNotRetry:     "do_not_retry",
	ActionUserAction:     "user_action",
}

// String returns the action's catalog spelling, such as "retry_backoff".
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "none"
}

// MarshalText encodes the action as its catalog spelling.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// Actions returns every action in declaration order.
func Actions() []Action {
	out := make([]Action, len(actionNames))
	for i := range actionNames {
		out[i] = Action(i)
	}
	return out
}

// ParseAction returns the action whose catalog spelling is s.
func ParseAction(s string) (Action, bool) {
	for i, n := range actionNames {
		if n == s {
			return Action(i), true
		}
	}
	return ActionNone, false
}

// Retryable reports whether the action allows repeating the same request
// automatically, with backoff or after the server's delay.
func (a Action) Retryable() bool {
	return a == ActionRetryBackoff || a == ActionRetryAfter
}

// TakesDelay reports whether a server-given delay means something for the
// action, so that [RetryDelay] reports it: when to retry
// ([ActionRetryBackoff], [ActionRetryAfter]), when to poll or resume
// ([ActionResume]), or when the request may be sent again by whoever
// decides to ([ActionDoNotRetry], such as a quota's reset). A delay on any
// other action (a request to fix, credentials to renew, a user to ask,
// support to contact, a success) tells the client nothing it should do.
func (a Action) TakesDelay() bool {
	switch a {
	case ActionRetryBackoff, ActionRetryAfter, ActionResume, ActionDoNotRetry:
		return true
	}
	return false
}
