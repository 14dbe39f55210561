package apierr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRetryBudgetAccounting(t *testing.T) {
	b := NewRetryBudget(0.5, 2)
	for i := range 2 {
		if !b.trySpend() {
			t.Fatalf("a full budget of 2 refused retry %d", i+1)
		}
	}
	if b.trySpend() {
		t.Fatal("an empty budget allowed a retry")
	}
	b.refund()
	if b.trySpend() {
		t.Fatal("half a token allowed a retry")
	}
	b.refund()
	if !b.trySpend() {
		t.Fatal("two successes at ratio 0.5 did not refund a retry")
	}
	for range 10 {
		b.refund()
	}
	if got := b.Tokens(); got != 2 {
		t.Errorf("tokens = %v after many refunds, want the capacity 2", got)
	}
	for _, b := range []*RetryBudget{NewRetryBudget(-1, -3), NewRetryBudget(0, 0)} {
		b.refund()
		if b.trySpend() {
			t.Error("a zero budget allowed a retry")
		}
	}
}

func TestRetryBudgetNonRetryableNeverSpends(t *testing.T) {
	budget := NewRetryBudget(0, 1)
	e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	}, WithRetryBudget(budget))
	for range 5 {
		resp := e.get(t)
		_ = readAll(resp)
		if resp.StatusCode != 400 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	if got := budget.Tokens(); got != 1 {
		t.Errorf("tokens = %v after five 400s, want 1 (never spent)", got)
	}
}

func TestRetryBudgetEmptyReturnsResponse(t *testing.T) {
	budget := NewRetryBudget(1, 1)
	e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		if hit == 4 {
			_, _ = io.WriteString(w, "ok")
			return
		}
		http.Error(w, "code=overloaded", http.StatusServiceUnavailable)
	}, WithRetryBudget(budget))
	resp := e.get(t) // hit 1 fails, the one token buys hit 2, which fails
	if got := readAll(resp); resp.StatusCode != 503 || Attempts(resp) != 2 || !strings.Contains(got, "overloaded") {
		t.Fatalf("first request: %d after %d attempts, body %q; want the 503 intact after 2", resp.StatusCode, Attempts(resp), got)
	}
	resp = e.get(t) // hit 3 fails; the bucket is empty
	_ = readAll(resp)
	if resp.StatusCode != 503 || Attempts(resp) != 1 {
		t.Fatalf("second request: %d after %d attempts, want 503 after 1", resp.StatusCode, Attempts(resp))
	}
	resp = e.get(t) // hit 4 succeeds and refunds a whole token
	_ = readAll(resp)
	if resp.StatusCode != 200 || budget.Tokens() != 1 {
		t.Fatalf("third request: %d, tokens %v; want 200 and a refunded token", resp.StatusCode, budget.Tokens())
	}
	if e.track.openBodies() != 0 {
		t.Error("a discarded response body was left open")
	}
}

func TestRetryBudgetLimitsTransportErrorRetries(t *testing.T) {
	budget := NewRetryBudget(0, 1)
	var calls int
	tr := NewTransport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return nil, errors.New("connection reset")
	}), testPolicy(time.Now), WithClock(newFakeClock()), WithRetryBudget(budget))
	req, _ := http.NewRequest(http.MethodGet, "http://vendor.invalid/", nil)
	if _, err := tr.RoundTrip(req); err == nil {
		t.Fatal("no error")
	}
	if calls != 2 {
		t.Errorf("base called %d times, want 2 (one retry from the budget)", calls)
	}
}

func TestDecideHookOverridesCatalog(t *testing.T) {
	var seen []string
	decide := func(o Outcome, d Decision) Decision {
		seen = append(seen, fmt.Sprintf("%d:%s:%v", o.Attempt, o.APIError.ErrorCode(), d.Retry))
		switch o.APIError.ErrorCode() {
		case "transient-for-us": // the catalog says contact support
			return Decision{Retry: true, Delay: 7 * time.Millisecond}
		case "do-not-retry": // the catalog says retry
			return Decision{}
		}
		return d
	}
	e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		switch hit {
		case 1:
			http.Error(w, "code=transient-for-us", http.StatusInternalServerError)
		case 2:
			_, _ = io.WriteString(w, "ok")
		default:
			http.Error(w, "code=do-not-retry", http.StatusServiceUnavailable)
		}
	}, WithDecide(decide))
	e.tr.policy.Classify = contactSupportOn500(e.tr.policy.Classify)

	resp := e.get(t)
	_ = readAll(resp)
	if resp.StatusCode != 200 || Attempts(resp) != 2 {
		t.Fatalf("overridden 500: %d after %d attempts, want 200 after 2", resp.StatusCode, Attempts(resp))
	}
	if got := e.clock.Sleeps(); !slices.Equal(got, []time.Duration{7 * time.Millisecond}) {
		t.Errorf("sleeps = %v, want the hook's 7ms", got)
	}
	resp = e.get(t)
	_ = readAll(resp)
	if resp.StatusCode != 503 || Attempts(resp) != 1 {
		t.Fatalf("declined 503: %d after %d attempts, want 503 after 1", resp.StatusCode, Attempts(resp))
	}
	if want := []string{"1:transient-for-us:false", "1:do-not-retry:true"}; !slices.Equal(seen, want) {
		t.Errorf("hook saw %q, want %q", seen, want)
	}
}

// contactSupportOn500 makes a classifier answer contact_support for 500s,
// as many catalogs do.
func contactSupportOn500(classify func(*http.Response) error) func(*http.Response) error {
	return func(resp *http.Response) error {
		err := classify(resp)
		var te *testError
		if errors.As(err, &te) && te.status == 500 {
			te.action = ActionContactSupport
		}
		return err
	}
}

func TestDecideHookCannotMakeUnsafeRetries(t *testing.T) {
	always := func(o Outcome, d Decision) Decision {
		return Decision{Retry: true, Delay: time.Hour, ServerDelay: true}
	}
	e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		http.Error(w, "code=x", http.StatusInternalServerError)
	}, WithDecide(always))
	// POST without an idempotency key: never repeated.
	resp, err := e.client.Post(e.srv.URL, "text/plain", strings.NewReader("create"))
	if err != nil {
		t.Fatal(err)
	}
	_ = readAll(resp)
	if Attempts(resp) != 1 {
		t.Errorf("POST attempts = %d, want 1", Attempts(resp))
	}
	// A server delay of an hour is above the cap: the response comes back.
	resp = e.get(t)
	_ = readAll(resp)
	if Attempts(resp) != 1 || len(e.clock.Sleeps()) != 0 {
		t.Errorf("GET attempts = %d, sleeps %v; want 1 attempt and no sleep", Attempts(resp), e.clock.Sleeps())
	}
}

func TestDecideHookSeesTransportErrors(t *testing.T) {
	var got []error
	tr := NewTransport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return nil, errors.New("connection reset")
	}), testPolicy(time.Now), WithClock(newFakeClock()), WithDecide(func(o Outcome, d Decision) Decision {
		got = append(got, o.Err)
		if o.Response != nil || o.APIError != nil || !d.Retry {
			t.Errorf("outcome %+v, decision %+v", o, d)
		}
		return Decision{}
	}))
	req, _ := http.NewRequest(http.MethodGet, "http://vendor.invalid/", nil)
	if _, err := tr.RoundTrip(req); err == nil {
		t.Fatal("no error")
	}
	if len(got) != 1 || got[0] == nil {
		t.Errorf("hook saw %v, want the one transport error (and no retry after)", got)
	}
}

// A server delay the hook hands a transport error is capped like a
// response's (WithDecide: "for a server delay, the WithMaxServerDelay
// cap"): the error comes back instead of an hour's sleep.
func TestDecideHookServerDelayCappedAfterTransportError(t *testing.T) {
	clock := newFakeClock()
	sends := 0
	tr := NewTransport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sends++
		return nil, errors.New("connection reset")
	}), testPolicy(time.Now), WithClock(clock), WithDecide(func(o Outcome, d Decision) Decision {
		return Decision{Retry: true, Delay: time.Hour, ServerDelay: true}
	}))
	req, _ := http.NewRequest(http.MethodGet, "http://vendor.invalid/", nil)
	if _, err := tr.RoundTrip(req); err == nil {
		t.Fatal("no error")
	}
	if sends != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("%d sends, sleeps %v; want 1 send and no sleep", sends, clock.Sleeps())
	}
}

func TestIsFailure(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&testError{status: 500}, true},
		{fmt.Errorf("wrapped: %w", &testError{status: 503}), true},
		{&testError{status: 429}, false},
		{&testError{status: 404}, false},
		{&testError{status: 401}, false},
		{&testError{status: 200}, false},
		{&url.Error{Op: "Get", URL: "http://x", Err: errors.New("connection refused")}, true},
		{context.DeadlineExceeded, true},
		{context.Canceled, false},
		{fmt.Errorf("x: %w", context.Canceled), false},
		{ErrLimitWait, false},
	} {
		if got := IsFailure(c.err); got != c.want {
			t.Errorf("IsFailure(%v) = %v, want %v", c.err, got, c.want)
		}
	}
	for s, want := range map[int]bool{200: false, 429: false, 499: false, 500: true, 503: true, 599: true, 600: false} {
		if IsFailureStatus(s) != want {
			t.Errorf("IsFailureStatus(%d) = %v", s, !want)
		}
	}
}

// recordingLimiter records the quotas waited for and cooled down.
type recordingLimiter struct {
	mu        sync.Mutex
	waits     []Quota
	cooldowns []string
	err       error
}

func (l *recordingLimiter) Wait(_ context.Context, q Quota) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waits = append(l.waits, q)
	return l.err
}

func (l *recordingLimiter) Cooldown(_ context.Context, q Quota, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cooldowns = append(l.cooldowns, q.Key+"="+d.String())
}

func TestLimiterCalledBeforeEveryAttemptWithQuotas(t *testing.T) {
	lim := &recordingLimiter{}
	e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		if hit == 1 {
			w.Header().Set("Retry-After", "2")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}, WithLimiter(lim), WithQuotaID(func(r *http.Request, s Scope) string {
		return "acct-" + string(s)
	}))
	e.tr.policy.RateLimits = []RateLimit{
		{Scope: ScopeToken, Requests: 150, Per: time.Second},
		{Scope: ScopeOrganization, Requests: 200, Per: time.Second},
		{Scope: ScopeEndpoint, Method: "GET", Path: "/thing", Requests: 5, Per: time.Second},
		{Scope: ScopeEndpoint, Method: "GET", Path: "/other", Requests: 1, Per: time.Second},
	}
	resp := e.get(t)
	_ = readAll(resp)
	if resp.StatusCode != 200 || Attempts(resp) != 2 {
		t.Fatalf("%d after %d attempts", resp.StatusCode, Attempts(resp))
	}
	var keys []string
	for _, q := range lim.waits {
		keys = append(keys, fmt.Sprintf("%s@%v", q.Key, q.Limit.Interval()))
	}
	one := []string{"test:token:acct-token@6.666666ms", "test:organization:acct-organization@5ms", "test:endpoint:GET /thing@200ms"}
	if want := append(slices.Clone(one), one...); !slices.Equal(keys, want) {
		t.Errorf("waits = %q, want %q (every quota, before each attempt)", keys, want)
	}
	want := []string{"test:token:acct-token=2s", "test:organization:acct-organization=2s", "test:endpoint:GET /thing=2s"}
	if !slices.Equal(lim.cooldowns, want) {
		t.Errorf("cooldowns = %q, want %q", lim.cooldowns, want)
	}
}

func TestLimiterDefaultQuotaCarriesCooldownOnly(t *testing.T) {
	lim := &recordingLimiter{}
	e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600") // above the cap: shared capped
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}, WithLimiter(lim), WithRateLimits())
	e.tr.policy.RateLimits = []RateLimit{{Scope: ScopeToken, Requests: 1, Per: time.Second}}
	resp := e.get(t)
	_ = readAll(resp)
	if Attempts(resp) != 1 {
		t.Fatalf("attempts = %d", Attempts(resp))
	}
	if len(lim.waits) != 1 || lim.waits[0].Key != "test:token:default" || lim.waits[0].Limit.Interval() != 0 {
		t.Errorf("waits = %+v, want one rate-less default token quota (WithRateLimits() cleared the policy's)", lim.waits)
	}
	if want := []string{"test:token:default=20s"}; !slices.Equal(lim.cooldowns, want) {
		t.Errorf("cooldowns = %q, want %q", lim.cooldowns, want)
	}
}

func TestLimiterErrorEndsRequestAndClosesBody(t *testing.T) {
	lim := &recordingLimiter{err: ErrLimitWait}
	e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		t.Error("the server was called although the limiter refused")
	}, WithLimiter(lim))
	body := &closeRecorder{Reader: strings.NewReader("x")}
	req, _ := http.NewRequest(http.MethodPut, e.srv.URL, body)
	_, err := e.client.Do(req)
	if !errors.Is(err, ErrLimitWait) {
		t.Fatalf("err = %v, want ErrLimitWait", err)
	}
	if !body.closed {
		t.Error("request body not closed")
	}
}

func TestLocalLimiterPacesAndCoolsDown(t *testing.T) {
	clock := newFakeClock()
	l := &LocalLimiter{Clock: clock}
	q := Quota{Key: "v:token:a", Limit: RateLimit{Scope: ScopeToken, Requests: 10, Per: time.Second}}
	ctx := context.Background()
	for range 3 {
		if err := l.Wait(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	// The fake clock advances by each sleep, so the schedule is exact:
	// the first goes at once, then one every 100ms.
	if got, want := clock.Sleeps(), []time.Duration{100 * time.Millisecond, 100 * time.Millisecond}; !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
	other := Quota{Key: "v:token:b", Limit: q.Limit}
	l.Cooldown(ctx, q, 2*time.Second)
	if err := l.Wait(ctx, other); err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); len(got) != 2 {
		t.Errorf("another key waited: %v", got[2:])
	}
	if err := l.Wait(ctx, q); err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); got[len(got)-1] != 2*time.Second {
		t.Errorf("after a 2s cooldown the wait was %v", got[len(got)-1])
	}
	dctx, cancel := context.WithDeadline(ctx, clock.Now().Add(time.Second))
	defer cancel()
	l.Cooldown(ctx, q, 5*time.Second)
	if err := l.Wait(dctx, q); !errors.Is(err, ErrLimitWait) {
		t.Errorf("wait past the deadline: %v, want ErrLimitWait", err)
	}
	cctx, cancel2 := context.WithCancel(ctx)
	cancel2()
	if err := l.Wait(cctx, other); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
}

// TestLocalLimiterForgetsPassedKeys: quota keys come from requests (one per
// token or organisation), so keys whose slot and cooldown have passed are
// dropped, while a key still pacing or cooling down is kept.
func TestLocalLimiterForgetsPassedKeys(t *testing.T) {
	clock := newFakeClock()
	l := &LocalLimiter{Clock: clock}
	ctx := context.Background()
	limit := RateLimit{Scope: ScopeToken, Requests: 1, Per: time.Second}
	l.Cooldown(ctx, Quota{Key: "cooling", Limit: limit}, time.Hour)
	// 1,023 keys and "cooling": the next new key finds 1,024, where the
	// doubling threshold (64, 128, … while nothing had passed) lies.
	for i := range 1023 {
		if err := l.Wait(ctx, Quota{Key: fmt.Sprint("token-", i), Limit: limit}); err != nil {
			t.Fatal(err)
		}
	}
	<-clock.After(2 * time.Second)
	if err := l.Wait(ctx, Quota{Key: "late", Limit: limit}); err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	n, cooling := len(l.state), l.state["cooling"] != nil
	l.mu.Unlock()
	if n > 2*minPruneAt || !cooling {
		t.Errorf("%d keys kept (cooling kept: %v); want the passed ones dropped and the cooling one kept", n, cooling)
	}
}

// TestLocalLimiterSharesServerDelay: one request learns a Retry-After, and
// a request another transport sharing the limiter starts meanwhile waits it
// out before its first attempt, without having seen a 429 itself.
func TestLocalLimiterSharesServerDelay(t *testing.T) {
	lim := &LocalLimiter{}
	var mu sync.Mutex
	hits := map[string][]time.Time{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		who := r.URL.Query().Get("who")
		mu.Lock()
		hits[who] = append(hits[who], time.Now())
		first := len(hits[who]) == 1 && who == "a"
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "0.3")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()
	b := &http.Client{Transport: NewTransport(srv.Client().Transport, testPolicy(time.Now), WithLimiter(lim))}
	bDone := make(chan error, 1)
	a := &http.Client{Transport: NewTransport(srv.Client().Transport, testPolicy(time.Now), WithLimiter(lim),
		WithOnRetry(func(RetryEvent) {
			// a is about to sleep 300ms; replica b sends now.
			go func() {
				resp, err := b.Get(srv.URL + "?who=b")
				if err == nil {
					_ = readAll(resp)
				}
				bDone <- err
			}()
		}))}
	resp, err := a.Get(srv.URL + "?who=a")
	if err != nil {
		t.Fatal(err)
	}
	_ = readAll(resp)
	if err := <-bDone; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hits["a"]) != 2 || len(hits["b"]) != 1 {
		t.Fatalf("hits = %v", hits)
	}
	if d := hits["b"][0].Sub(hits["a"][0]); d < 300*time.Millisecond {
		t.Errorf("b's request arrived %v after a's 429, inside the 300ms cooldown", d)
	}
}

func TestAttemptFromContext(t *testing.T) {
	var seen []int
	e := newEnv(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		if hit < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	e.tr.base = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, AttemptFromContext(r.Context()))
		return e.track.RoundTrip(r)
	})
	_ = readAll(e.get(t))
	if !slices.Equal(seen, []int{1, 2, 3}) {
		t.Errorf("attempts seen below the transport = %v, want [1 2 3]", seen)
	}
	if n := AttemptFromContext(context.Background()); n != 0 {
		t.Errorf("outside a transport: %d", n)
	}
}
