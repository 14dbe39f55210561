module github.com/errcat/errcat/bench

go 1.25.0

require (
	github.com/errcat/errcat v0.0.0
	github.com/hashicorp/go-retryablehttp v0.7.8
)

require github.com/hashicorp/go-cleanhttp v0.5.2 // indirect

replace github.com/errcat/errcat => ../
