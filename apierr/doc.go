// Package apierr is the user API of the runtime of errcat-generated packages.
//
// It holds what is the same for every vendor: the vendor-neutral [Kind] and
// [Action] of an error, the [Error] interface every generated error type
// implements, helpers that answer "may I retry this, and when?" for any vendor
// ([IsRetryable], [RetryDelay] capped at [MaxDelay], [NeedsReauth],
// [NeedsUserAction]), [ParseRetryAfter], [PeekBody]
// for decision hooks that read a body, and a retrying [http.RoundTripper]
// driven by a generated package's [Policy].
//
// For fleets of replicas sharing a vendor quota the [Transport] takes
// standard-library hooks: a [Limiter] called before every attempt for each
// quota of the request, which also shares server delays as cooldowns
// ([WithLimiter]; [LocalLimiter] in-process, a Redis one in the separate
// module integrations/redislimit); a [RetryBudget] that keeps retries to a
// fraction of traffic; a decision hook over each failed attempt
// ([WithDecide]); and [IsFailure], what a circuit breaker should count.
//
// Generated packages keep everything vendor-specific: constants, one catalog
// table, sentinels and matchers. What they need beside this API (the
// table-driven method bodies, body decoding, redaction) is in
// apierr/errcatimpl, which only generated code imports and whose API follows
// [Version], the contract generated code is checked against at compile time.
package apierr
