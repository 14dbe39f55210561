package redislimit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/errcat/errcat/apierr"
)

func quota(key string, n int, per time.Duration) apierr.Quota {
	return apierr.Quota{Key: key, Limit: apierr.RateLimit{Scope: apierr.ScopeToken, Requests: n, Per: per}}
}

// Two limiters (two replicas) on one Redis share one schedule: 40 waits at
// 200/s take about 200ms together, not 100ms each in parallel.
func TestSharedScheduleAcrossLimiters(t *testing.T) {
	noLeaks(t)
	srv := startRedis(t)
	a, b := newClient(srv.Addr), newClient(srv.Addr)
	defer a.Close()
	defer b.Close()
	la, lb := New(a, Options{}), New(b, Options{})
	q := quota("v:token:shared", 200, time.Second)
	var mu sync.Mutex
	var times []time.Time
	start := time.Now()
	var wg sync.WaitGroup
	for i := range 40 {
		l := la
		if i%2 == 1 {
			l = lb
		}
		wg.Go(func() {
			if err := l.Wait(context.Background(), q); err != nil {
				t.Error(err)
			}
			mu.Lock()
			times = append(times, time.Now())
			mu.Unlock()
		})
	}
	wg.Wait()
	if el := time.Since(start); el < 180*time.Millisecond {
		t.Errorf("40 waits at 200/s across two limiters took %v, want ≥ 195ms (one shared schedule)", el)
	}
	if la.Failures()+lb.Failures() != 0 {
		t.Errorf("redis failures: %d", la.Failures()+lb.Failures())
	}
}

// A cooldown from one replica holds every replica's next wait.
func TestCooldownShared(t *testing.T) {
	noLeaks(t)
	srv := startRedis(t)
	a, b := newClient(srv.Addr), newClient(srv.Addr)
	defer a.Close()
	defer b.Close()
	la, lb := New(a, Options{}), New(b, Options{})
	q := apierr.Quota{Key: "v:token:cool"} // no rate: cooldown only
	if err := lb.Wait(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	la.Cooldown(context.Background(), q, 250*time.Millisecond)
	start := time.Now()
	if err := lb.Wait(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 200*time.Millisecond {
		t.Errorf("b waited %v after a's 250ms cooldown", el)
	}
	// A wait past the deadline reserves nothing and says so at once.
	la.Cooldown(context.Background(), q, 5*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	if err := lb.Wait(ctx, q); !errors.Is(err, apierr.ErrLimitWait) {
		t.Errorf("wait past the deadline: %v, want ErrLimitWait", err)
	}
	if el := time.Since(start); el > 50*time.Millisecond {
		t.Errorf("refusal took %v", el)
	}
}

// With Redis gone, waits fall back to in-process pacing within the timeout:
// they neither fail nor hang, and nothing leaks.
func TestRedisDownFailsOpenBounded(t *testing.T) {
	noLeaks(t)
	srv := startRedis(t)
	c := newClient(srv.Addr)
	var errs sync.Map
	l := New(c, Options{Timeout: 50 * time.Millisecond, OnError: func(err error) { errs.Store(err.Error(), true) }})
	q := quota("v:token:down", 100, time.Second)
	if err := l.Wait(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	start := time.Now()
	for range 10 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := l.Wait(ctx, q)
		cancel()
		if err != nil {
			t.Fatalf("wait with Redis down: %v", err)
		}
	}
	// 10 waits at 100/s in-process: ~90ms, plus one bounded Redis failure.
	if el := time.Since(start); el > time.Second {
		t.Errorf("10 waits with Redis down took %v", el)
	}
	if l.Failures() == 0 {
		t.Error("no failure recorded")
	}
	n := 0
	errs.Range(func(any, any) bool { n++; return true })
	if n == 0 {
		t.Error("OnError not called")
	}
	l.Cooldown(context.Background(), q, time.Millisecond) // must not block either
	_ = c.Close()
}

// noLeaks checks, after every cleanup (the Redis server's included), that
// the test left no goroutine behind.
func noLeaks(t *testing.T) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
}
