package apierr

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Scope is what a vendor's rate limit counts requests against.
type Scope string

// The scopes vendors document.
const (
	// ScopeToken counts the requests made with one API token (one set of
	// credentials).
	ScopeToken Scope = "token"
	// ScopeOrganization counts the requests of every token of one account.
	ScopeOrganization Scope = "organization"
	// ScopeEndpoint counts the requests to one endpoint (method and path).
	ScopeEndpoint Scope = "endpoint"
)

// RateLimit is one rate limit a vendor documents: at most Requests requests
// per Per, counted by Scope. Generated packages list their vendor's in
// Policy().RateLimits.
type RateLimit struct {
	Scope Scope
	// Method and Path select the requests an endpoint limit applies to
	// (ScopeEndpoint only): the method ("" for any) and the exact URL path.
	Method, Path string
	Requests     int
	Per          time.Duration
}

// Applies reports whether requests with method and path count against l.
func (l RateLimit) Applies(method, path string) bool {
	if l.Scope != ScopeEndpoint {
		return true
	}
	if method == "" {
		method = http.MethodGet
	}
	return (l.Method == "" || l.Method == method) && l.Path == path
}

// Interval is the time one request of the limit's allowance takes: Per
// divided by Requests, or 0 for a limit that does not limit.
func (l RateLimit) Interval() time.Duration {
	if l.Requests <= 0 || l.Per <= 0 {
		return 0
	}
	return l.Per / time.Duration(l.Requests)
}

// Quota is one shared allowance an attempt spends from: a key naming the
// vendor, the scope and whose token, organization or endpoint it is, and the
// rate. A Quota whose Limit has no rate still carries cooldowns.
type Quota struct {
	// Key identifies the allowance among every process sharing a [Limiter],
	// such as "samsara:organization:acme". It never contains a secret: the
	// identity comes from [WithQuotaID], which must not return credentials.
	Key   string
	Limit RateLimit
}

// Limiter paces attempts against vendor quotas. The [Transport] calls Wait
// for each of a request's quotas before every attempt, and Cooldown for each
// when a response carries a server delay (Retry-After or a reset header), so
// that every request sharing the quota — in this process or, with a shared
// implementation such as the Redis one in integrations/redislimit, in every
// replica — waits it out. Implementations must be safe for concurrent use.
type Limiter interface {
	// Wait returns nil once one more attempt fits q: its rate and any
	// cooldown. An error (the context's, or one saying the wait would pass
	// the context's deadline) ends the request with that error. An
	// implementation whose backend fails should decide quickly and say in
	// its documentation whether it then fails open or closed.
	Wait(ctx context.Context, q Quota) error
	// Cooldown asks every user of q to send nothing for d from now.
	Cooldown(ctx context.Context, q Quota, d time.Duration)
}

// ErrLimitWait is returned by [LocalLimiter.Wait] when the wait
// for a quota would outlast the request's context deadline.
var ErrLimitWait = errors.New("apierr: rate limit wait exceeds the context deadline")

// WithLimiter makes the transport call l before every attempt, for each
// quota of the request (see [WithQuotaID]), and report server delays to it.
// The quotas' rates default to the Policy's RateLimits, the vendor's
// documented limits; [WithRateLimits] replaces them.
func WithLimiter(l Limiter) Option {
	return func(t *Transport) { t.limiter = l }
}

// WithRateLimits replaces the Policy's documented rate limits, for a plan
// with other limits than the docs state. With no limits, quotas carry only
// cooldowns.
func WithRateLimits(limits ...RateLimit) Option {
	return func(t *Transport) {
		t.rateLimits = append([]RateLimit(nil), limits...)
		t.rateLimitsSet = true
	}
}

// WithQuotaID sets how the transport tells whose quota a request spends:
// id returns, for a request and a token or organization scope, a stable
// name of the token or organization (an account id, or a hash of the token
// — never the token itself, since it becomes part of a shared key). The
// default names everything "default": one token, one organization.
func WithQuotaID(id func(r *http.Request, s Scope) string) Option {
	return func(t *Transport) { t.quotaID = id }
}

// quotas returns the quotas an attempt of req spends from: one per
// applicable rate limit, and a token quota without rate when no token limit
// applies, so that cooldowns are shared even for vendors that document no
// numbers. It returns nil without a limiter.
func (t *Transport) quotas(req *http.Request) []Quota {
	if t.limiter == nil {
		return nil
	}
	limits := t.policy.RateLimits
	if t.rateLimitsSet {
		limits = t.rateLimits
	}
	path := ""
	if req.URL != nil {
		path = req.URL.Path
	}
	var out []Quota
	hasToken := false
	for _, l := range limits {
		if !l.Applies(req.Method, path) {
			continue
		}
		if l.Scope == ScopeToken {
			hasToken = true
		}
		out = append(out, Quota{Key: t.quotaKey(req, l), Limit: l})
	}
	if !hasToken {
		l := RateLimit{Scope: ScopeToken}
		out = append(out, Quota{Key: t.quotaKey(req, l), Limit: l})
	}
	return out
}

func (t *Transport) quotaKey(req *http.Request, l RateLimit) string {
	key := t.policy.Vendor + ":" + string(l.Scope) + ":"
	if l.Scope == ScopeEndpoint {
		return key + strings.TrimSpace(l.Method+" "+l.Path)
	}
	id := "default"
	if t.quotaID != nil {
		if s := t.quotaID(req, l.Scope); s != "" {
			id = s
		}
	}
	return key + id
}

// waitQuotas waits for every quota before an attempt.
func (t *Transport) waitQuotas(ctx context.Context, qs []Quota) error {
	for _, q := range qs {
		if err := t.limiter.Wait(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// cooldown shares a server delay with every user of the request's quotas.
func (t *Transport) cooldown(ctx context.Context, qs []Quota, apiErr Error, maxServerDelay time.Duration) {
	if len(qs) == 0 {
		return
	}
	// RetryDelay caps the delay and drops one the action gives no meaning
	// (a Retry-After on a request to fix stalls nobody).
	d, ok := RetryDelay(apiErr)
	if !ok || d <= 0 {
		return
	}
	// A delay the transport would not wait itself is the caller's to act
	// on; the fleet is not stalled for it.
	d = min(d, maxServerDelay)
	for _, q := range qs {
		t.limiter.Cooldown(ctx, q, d)
	}
}

// LocalLimiter is a [Limiter] for the transports of one process: per quota
// key, a GCRA schedule (no burst: attempts are spaced evenly at the
// limit's rate) and a cooldown. It never calls out, so it cannot fail. The
// zero value is ready to use.
type LocalLimiter struct {
	// Clock is the time source; nil means real time.
	Clock Clock

	mu    sync.Mutex
	state map[string]*localQuota
	// pruneAt is the number of keys at which quota next drops the keys
	// whose schedule and cooldown have passed.
	pruneAt int
}

// minPruneAt is the smallest key count at which LocalLimiter prunes.
const minPruneAt = 64

// quota returns key's state, creating it; l.mu is held. Keys come from
// requests (a quota per token or organisation), so the map would only grow:
// once it doubles past its last pruned size, the keys whose slot and
// cooldown both lie in the past are dropped — such a key behaves exactly
// like a new one.
func (l *LocalLimiter) quota(key string, now time.Time) *localQuota {
	if l.state == nil {
		l.state = map[string]*localQuota{}
	}
	if len(l.state) >= max(l.pruneAt, minPruneAt) {
		for k, s := range l.state {
			if !s.next.After(now) && !s.coolDown.After(now) {
				delete(l.state, k)
			}
		}
		l.pruneAt = 2 * len(l.state)
	}
	s := l.state[key]
	if s == nil {
		s = &localQuota{}
		l.state[key] = s
	}
	return s
}

type localQuota struct {
	next     time.Time // earliest time the next attempt may go (GCRA TAT)
	coolDown time.Time // no attempt before this
}

// Wait implements [Limiter]: it reserves the next slot of q's schedule and
// sleeps until then. When the slot lies past ctx's deadline it reserves
// nothing and returns [ErrLimitWait].
func (l *LocalLimiter) Wait(ctx context.Context, q Quota) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := l.now()
	l.mu.Lock()
	s := l.quota(q.Key, now)
	at := now
	if s.coolDown.After(at) {
		at = s.coolDown
	}
	interval := q.Limit.Interval()
	if interval > 0 && s.next.After(at) {
		at = s.next
	}
	if dl, ok := ctx.Deadline(); ok && at.After(dl) {
		l.mu.Unlock()
		return ErrLimitWait
	}
	if interval > 0 {
		s.next = at.Add(interval)
	}
	l.mu.Unlock()
	return sleepCtx(ctx, l.Clock, at.Sub(now))
}

// Cooldown implements [Limiter].
func (l *LocalLimiter) Cooldown(_ context.Context, q Quota, d time.Duration) {
	now := l.now()
	until := now.Add(d)
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.quota(q.Key, now)
	if until.After(s.coolDown) {
		s.coolDown = until
	}
}

func (l *LocalLimiter) now() time.Time {
	if l.Clock != nil {
		return l.Clock.Now()
	}
	return time.Now()
}

// sleepCtx waits for d on clock (nil: real time) or until ctx is done.
func sleepCtx(ctx context.Context, clock Clock, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	if clock != nil {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-clock.After(d):
			return nil
		}
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
