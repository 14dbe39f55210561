// Package bench measures the success-path overhead of the apierr retrying
// transport against a bare http.Transport and hashicorp/go-retryablehttp.
//
// It is a separate module so that the benchmark's third-party dependency
// never reaches the errcat module or the packages it generates.
package bench
