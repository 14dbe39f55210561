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
// Generated packages keep everything vendor-specific: constants, sentinels,
// body formats and the classification of a response.
package apierr
