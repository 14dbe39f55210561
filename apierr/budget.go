package apierr

import (
	"math"
	"sync"
)

// RetryBudget is a token bucket shared by the requests of a client that
// limits retries to a fraction of its traffic, so that a failing vendor
// gets a trickle of retries instead of a storm. Every retry (of a transport
// error or a retryable response) spends one token; every success puts Ratio
// tokens back, up to the bucket's capacity, which it starts with. A
// response the transport would not retry anyway spends nothing, and neither
// does the resend after a credential refresh. When the bucket holds less than
// one token, the transport returns the response (or the transport error) it
// has instead of retrying.
//
// Over any run, retries ≤ capacity + ratio × successes. Share one budget
// between the transports of a client with [WithRetryBudget]; it is safe for
// concurrent use.
type RetryBudget struct {
	ratio    float64
	capacity float64

	mu     sync.Mutex
	tokens float64
}

// NewRetryBudget returns a full budget of capacity tokens that each success
// refills by ratio: ratio 0.1 allows one retry per ten successes once the
// initial capacity is spent. A negative or NaN ratio counts as 0 and a
// capacity below 0 as 0.
func NewRetryBudget(ratio float64, capacity int) *RetryBudget {
	if !(ratio > 0) || math.IsInf(ratio, 0) {
		ratio = 0
	}
	c := float64(max(capacity, 0))
	return &RetryBudget{ratio: ratio, capacity: c, tokens: c}
}

// Tokens returns how many retries the budget would allow right now.
func (b *RetryBudget) Tokens() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens
}

// trySpend takes one token for a retry, reporting whether there was one.
func (b *RetryBudget) trySpend() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// refund puts ratio tokens back after a success.
func (b *RetryBudget) refund() {
	if b.ratio == 0 {
		return
	}
	b.mu.Lock()
	b.tokens = min(b.tokens+b.ratio, b.capacity)
	b.mu.Unlock()
}

// WithRetryBudget makes the transport spend from b before each retry and
// refund it on each success; see [RetryBudget]. A nil budget means no limit.
func WithRetryBudget(b *RetryBudget) Option {
	return func(t *Transport) { t.budget = b }
}

// spendRetry reports whether the transport's budget allows one more retry.
func (t *Transport) spendRetry() bool {
	return t.budget == nil || t.budget.trySpend()
}

// succeeded refunds the budget after a successful response.
func (t *Transport) succeeded() {
	if t.budget != nil {
		t.budget.refund()
	}
}
