package apierr

import "net/http"

// Policy is a vendor's retry policy, generated from its catalog; the
// [Transport] consumes it. Generated packages expose theirs as Policy().
type Policy struct {
	// Vendor is the catalog's vendor id, such as "alloy".
	Vendor string
	// Classify turns a response into the vendor's typed error, or nil for a
	// success. It reads a bounded prefix of the body, waiting a bounded
	// time for it (see [InspectBody]), and leaves resp.Body readable from
	// the start for the caller.
	Classify func(resp *http.Response) error
	// IdempotencyKeyHeader names the request header whose presence makes a
	// non-idempotent request safe to repeat, or "" if the vendor has none.
	IdempotencyKeyHeader string
	// RateLimits are the rate limits the vendor documents, in catalog
	// order; a [Limiter] set with [WithLimiter] paces attempts by them.
	RateLimits []RateLimit
}
