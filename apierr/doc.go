// Package apierr is the small runtime that every errcat-generated package imports.
//
// It holds what is the same for every vendor: the vendor-neutral [Kind] and
// [Action] of an error, the [Error] interface every generated error type
// implements, helpers that answer "may I retry this, and when?" for any vendor
// ([IsRetryable], [RetryDelay], [NeedsReauth]), the parsers for the ways vendors
// signal a retry delay ([ParseRetryAfter] and friends), the bounded body reader
// generated parsers use, and a retrying [http.RoundTripper] driven by a
// generated package's [Policy].
//
// For fleets of replicas sharing a vendor quota the [Transport] takes
// standard-library hooks: a [Limiter] called before every attempt for each
// quota of the request, which also shares server delays as cooldowns
// ([WithLimiter]; [LocalLimiter] in-process, a Redis one in the separate
// module integrations/redislimit); a [RetryBudget] that keeps retries to a
// fraction of traffic; a decision hook over each failed attempt
// ([WithDecide]); and [IsFailure], what a circuit breaker should count.
//
// Generated packages keep everything vendor-specific: constants, sentinels,
// body formats and the classification of a response.
package apierr
