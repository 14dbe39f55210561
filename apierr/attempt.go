package apierr

import "context"

// AttemptFromContext returns the number of the attempt (from 1) whose
// request carries ctx, or 0 outside a [Transport]. A RoundTripper below the
// Transport (a tracing wrapper, say) reads it from the request's context
// to tell the first attempt from resends.
func AttemptFromContext(ctx context.Context) int {
	if a := attemptOf(ctx); a != nil {
		return a.n
	}
	return 0
}
