// Package redislimit is an [apierr.Limiter] shared through Redis, so that
// every replica of a service paces its requests against one vendor quota
// and waits out a server delay that any replica learned.
//
// Each quota key holds a GCRA schedule (the theoretical arrival time of the
// next request) and a cooldown, updated by one atomic Lua script that reads
// Redis's own clock: replicas' clocks never enter the arithmetic, and two
// replicas can never take the same slot. A wait reserves a slot and sleeps
// until it; a slot beyond the request's context deadline is not reserved.
//
// # When Redis fails
//
// The limiter fails open, bounded: every Redis call is cut off after
// [Options.Timeout] (100 ms by default); after a failure the limiter paces
// in-process for [Options.Backoff] (1 s by default) without calling Redis,
// then tries Redis again. In-process pacing is an [apierr.LocalLimiter]
// that gives each replica 1/[Options.Replicas] of every quota and keeps the
// cooldowns this replica learned. With Replicas set to the fleet's size the
// fleet stays near its quota while Redis is down; left at 1, each replica
// may use the whole quota, so a fleet of n may send up to n times it and
// meets the vendor's 429s, which the transport retries after the server's
// delay. Either way requests never fail, and never hang, because Redis is
// down.
package redislimit

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/errcat/errcat/apierr"
)

// reserve atomically takes the next slot of a quota's schedule.
//
// KEYS[1]: the quota's hash. ARGV[1]: the interval between requests in
// microseconds (0: no rate, cooldown only). ARGV[2]: the longest
// acceptable wait in microseconds, or -1 for any.
// Returns {1, wait µs} with the slot reserved, or {0, wait µs} when the
// wait exceeds ARGV[2] and nothing was reserved.
var reserve = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local maxwait = tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 'tat', 'cool')
local tat = tonumber(v[1]) or 0
local cool = tonumber(v[2]) or 0
local at = now
if cool > at then at = cool end
if interval > 0 and tat > at then at = tat end
local wait = at - now
if maxwait >= 0 and wait > maxwait then
  return {0, wait}
end
if interval > 0 then
  redis.call('HSET', KEYS[1], 'tat', at + interval)
end
local last = math.max(at + interval, cool)
redis.call('PEXPIRE', KEYS[1], math.floor((last - now) / 1000) + 1000)
return {1, wait}
`)

// cooldown atomically pushes a quota's cooldown to now + ARGV[1] µs
// (Redis's clock), never pulling an existing one earlier.
var cooldown = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untilT = now + tonumber(ARGV[1])
local cool = tonumber(redis.call('HGET', KEYS[1], 'cool')) or 0
if untilT > cool then
  redis.call('HSET', KEYS[1], 'cool', untilT)
end
local ttl = redis.call('PTTL', KEYS[1])
local want = math.floor((untilT - now) / 1000) + 1000
if ttl < want then
  redis.call('PEXPIRE', KEYS[1], want)
end
return 1
`)

// Options configure a [Limiter].
type Options struct {
	// Prefix starts every Redis key; "errcat:ratelimit:" by default.
	Prefix string
	// Timeout bounds every Redis call; 100 ms by default.
	Timeout time.Duration
	// Backoff is how long the limiter paces in-process after a Redis
	// failure before it calls Redis again; 1 s by default.
	Backoff time.Duration
	// Replicas is how many processes share the quotas: while Redis is
	// down each paces at 1/Replicas of every rate. 1 by default.
	Replicas int
	// OnError, if set, is told of every Redis failure (for a metric or a
	// log line). It must be safe for concurrent use.
	OnError func(error)
}

// Limiter is an [apierr.Limiter] backed by Redis. It is safe for concurrent
// use; share one per process, and point every replica at the same Redis.
type Limiter struct {
	rdb   redis.Scripter
	opts  Options
	local apierr.LocalLimiter
	// downUntil is the Unix time in nanoseconds before which Redis is not
	// called after a failure.
	downUntil atomic.Int64
	failures  atomic.Int64
}

var _ apierr.Limiter = (*Limiter)(nil)

// New returns a Limiter that keeps its state in rdb (a *redis.Client, a
// cluster or ring client: anything that runs scripts).
func New(rdb redis.Scripter, opts Options) *Limiter {
	if opts.Prefix == "" {
		opts.Prefix = "errcat:ratelimit:"
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 100 * time.Millisecond
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	opts.Replicas = max(opts.Replicas, 1)
	return &Limiter{rdb: rdb, opts: opts}
}

// Failures returns how many Redis calls have failed so far.
func (l *Limiter) Failures() int64 { return l.failures.Load() }

// Wait implements [apierr.Limiter]: it reserves the quota's next slot in
// Redis and sleeps until it. A slot past ctx's deadline is not reserved and
// Wait returns [apierr.ErrLimitWait]. If Redis fails, Wait paces in-process
// (see the package documentation).
func (l *Limiter) Wait(ctx context.Context, q apierr.Quota) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if l.down() {
		return l.local.Wait(ctx, l.share(q))
	}
	maxWait := int64(-1)
	if dl, ok := ctx.Deadline(); ok {
		maxWait = max(time.Until(dl).Microseconds(), 0)
	}
	interval := q.Limit.Interval().Microseconds()
	cctx, cancel := context.WithTimeout(ctx, l.opts.Timeout)
	res, err := reserve.Run(cctx, l.rdb, []string{l.opts.Prefix + q.Key}, interval, maxWait).Int64Slice()
	cancel()
	if err == nil && len(res) != 2 {
		err = errors.New("redislimit: unexpected script reply")
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		l.fail(err)
		return l.local.Wait(ctx, l.share(q))
	}
	if res[0] == 0 {
		return apierr.ErrLimitWait
	}
	return sleep(ctx, time.Duration(res[1])*time.Microsecond)
}

// Cooldown implements [apierr.Limiter]: every replica's next Wait for q
// waits until d from now (by Redis's clock). The cooldown is kept
// in-process too, for when Redis fails.
func (l *Limiter) Cooldown(ctx context.Context, q apierr.Quota, d time.Duration) {
	l.local.Cooldown(ctx, q, d)
	if l.down() {
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.opts.Timeout)
	defer cancel()
	if err := cooldown.Run(cctx, l.rdb, []string{l.opts.Prefix + q.Key}, d.Microseconds()).Err(); err != nil {
		l.fail(err)
	}
}

// share is this replica's part of q while Redis is down.
func (l *Limiter) share(q apierr.Quota) apierr.Quota {
	q.Limit.Per *= time.Duration(l.opts.Replicas)
	return q
}

func (l *Limiter) down() bool {
	return time.Now().UnixNano() < l.downUntil.Load()
}

func (l *Limiter) fail(err error) {
	l.failures.Add(1)
	l.downUntil.Store(time.Now().Add(l.opts.Backoff).UnixNano())
	if l.opts.OnError != nil {
		l.opts.OnError(err)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
