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
	// IdempotencyKeyField is the path, as object member names from the top
	// level, of the request body's JSON member whose presence (a non-empty
	// string) makes a non-idempotent request safe to repeat, or nil if the
	// vendor carries no key in the body. The [Transport] reads the body for
	// it only through Request.GetBody, at most [MaxIdempotencyBodyBytes],
	// and only for a JSON Content-Type; a request it cannot read so is not
	// repeated.
	IdempotencyKeyField []string
	// RateLimits are the rate limits the vendor documents, in catalog
	// order; a [Limiter] set with [WithLimiter] paces attempts by them.
	RateLimits []RateLimit
}
