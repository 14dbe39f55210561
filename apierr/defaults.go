package apierr

import "errors"

// ErrNilResponse is returned by generated FromResponse functions given a nil
// *http.Response: there is nothing to classify, and nil would read as success.
var ErrNilResponse = errors.New("apierr: nil *http.Response")

// DefaultAction is the action for an error status that a catalog documents
// neither exactly nor by class. It is deliberately conservative: only the
// statuses HTTP itself defines as transient (408, 429, 502, 503, 504) are
// retried; other client errors need a fixed request and other server errors
// are left to a human.
func DefaultAction(status int) Action {
	switch {
	case status == 408 || status == 502 || status == 503 || status == 504:
		return ActionRetryBackoff
	case status == 429:
		return ActionRetryAfter
	case status >= 400 && status < 500:
		return ActionFixRequest
	case status >= 500:
		return ActionContactSupport
	}
	return ActionNone
}

// DefaultKind is the kind for a status that a catalog documents neither
// exactly nor by class, from the status's HTTP meaning.
func DefaultKind(status int) Kind {
	switch status {
	case 400, 422:
		return KindBadRequest
	case 401:
		return KindUnauthenticated
	case 403:
		return KindPermissionDenied
	case 404, 410:
		return KindNotFound
	case 405:
		return KindMethodNotAllowed
	case 408, 504:
		return KindTimeout
	case 409:
		return KindConflict
	case 412:
		return KindPreconditionFailed
	case 413:
		return KindTooLarge
	case 415:
		return KindUnsupportedMediaType
	case 429:
		return KindRateLimited
	case 500:
		return KindInternal
	case 501:
		return KindNotImplemented
	case 502, 503:
		return KindUnavailable
	}
	if status >= 200 && status < 300 {
		return KindOK
	}
	return KindUnknown
}
