package redislimit

// The fleet proof: separate OS processes (this test binary, re-executed as
// replicas) share one Redis and call one loopback fake vendor that enforces
// Samsara's documented per-token limit (150 requests/second) and answers 429
// with a fractional Retry-After beyond it, as Samsara documents.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/generated/samsara"
)

// replicaEnv carries a replica's JSON config; its presence makes the test
// binary run as a replica instead of running tests.
const replicaEnv = "ERRCAT_REDISLIMIT_REPLICA"

func TestMain(m *testing.M) {
	if cfg := os.Getenv(replicaEnv); cfg != "" {
		os.Exit(runReplica(cfg))
	}
	os.Exit(m.Run())
}

type replicaConfig struct {
	Mode     string // "none": transport only; "redis": shared Redis limiter
	Redis    string
	Vendor   string
	Replicas int
	Workers  int
	Requests int // per worker
	Start    time.Time
}

type replicaResult struct {
	OK, Final429, Other, Errors int
	RedisFailures               int64
	Leaks                       string
}

// runReplica is one replica: Workers goroutines each send Requests GETs
// through an apierr.Transport with samsara.Policy(), then it reports.
func runReplica(cfgJSON string) int {
	var cfg replicaConfig
	if err := json.Unmarshal([]byte(cfgJSON), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "replica config:", err)
		return 2
	}
	before := goleak.IgnoreCurrent()
	var res replicaResult
	base := &http.Transport{MaxIdleConnsPerHost: cfg.Workers}
	opts := []apierr.Option{apierr.WithQuotaID(func(*http.Request, apierr.Scope) string { return "fleet-test" })}
	var lim *Limiter
	if cfg.Mode == "redis" {
		rdb := newClient(cfg.Redis)
		defer rdb.Close()
		lim = New(rdb, Options{Timeout: 50 * time.Millisecond, Replicas: cfg.Replicas})
		opts = append(opts, apierr.WithLimiter(lim))
	}
	client := &http.Client{Transport: apierr.NewTransport(base, samsara.Policy(), opts...)}
	time.Sleep(time.Until(cfg.Start))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range cfg.Workers {
		wg.Go(func() {
			for range cfg.Requests {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, cfg.Vendor+"/fleet/drivers", nil)
				req.Header.Set("Authorization", "Bearer fleet-test-token")
				resp, err := client.Do(req)
				mu.Lock()
				switch {
				case err != nil:
					res.Errors++
				case resp.StatusCode == 200:
					res.OK++
				case resp.StatusCode == 429:
					res.Final429++
				default:
					res.Other++
				}
				mu.Unlock()
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
				}
				cancel()
			}
		})
	}
	wg.Wait()
	client.CloseIdleConnections()
	if lim != nil {
		res.RedisFailures = lim.Failures()
	}
	if err := goleak.Find(before, goleak.IgnoreTopFunction("github.com/redis/go-redis/v9/internal/pool.(*ConnPool).reaper")); err != nil {
		res.Leaks = err.Error()
	}
	out, _ := json.Marshal(res)
	fmt.Println("RESULT " + string(out))
	return 0
}

// fakeVendor enforces a token bucket per Authorization header: rate per
// second, burst tokens; beyond it, 429 with Retry-After in fractional
// seconds until the next token, and Samsara's JSON error body.
type fakeVendor struct {
	rate, burst float64

	mu          sync.Mutex
	tokens      float64
	last        time.Time
	ok, limited int
	first, end  time.Time
}

func (v *fakeVendor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	v.mu.Lock()
	if v.last.IsZero() {
		v.tokens, v.first = v.burst, now
	} else {
		v.tokens = math.Min(v.burst, v.tokens+now.Sub(v.last).Seconds()*v.rate)
	}
	v.last, v.end = now, now
	allowed := v.tokens >= 1
	if allowed {
		v.tokens--
		v.ok++
	} else {
		v.limited++
	}
	wait := (1 - v.tokens) / v.rate
	v.mu.Unlock()
	if !allowed {
		w.Header().Set("Retry-After", fmt.Sprintf("%.5f", wait))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"message":"rate limit exceeded","requestId":"r1"}`)
		return
	}
	_, _ = io.WriteString(w, `{"data":[]}`)
}

type fleetRun struct {
	Label                   string
	Requests                int // sent by callers
	VendorOK, Vendor429     int
	Final429, Errors, Other int
	Share429                float64 // 429s among all responses the vendor sent
	QuotaUsed               float64 // successes per second over the quota
	Elapsed                 time.Duration
	RedisFailures           int64
}

// runFleet starts replicas processes against a fresh fake vendor and
// waits for them; killAfter > 0 kills Redis that long after the start.
func runFleet(t *testing.T, label, mode string, srv *redisServer, replicas, workers, requests int, killAfter time.Duration) fleetRun {
	t.Helper()
	const quota = 150.0 // Samsara: per API access token 150 requests/second
	vendor := &fakeVendor{rate: quota, burst: quota / 10}
	hs := httptest.NewServer(vendor)
	defer hs.Close()
	addr := ""
	if srv != nil {
		addr = srv.Addr
	}
	start := time.Now().Add(700 * time.Millisecond)
	cfg, _ := json.Marshal(replicaConfig{Mode: mode, Redis: addr, Vendor: hs.URL, Replicas: replicas, Workers: workers, Requests: requests, Start: start})
	type proc struct {
		cmd *exec.Cmd
		out strings.Builder
	}
	procs := make([]*proc, replicas)
	for i := range procs {
		p := &proc{cmd: exec.Command(os.Args[0], "-test.run=^$")}
		p.cmd.Env = append(os.Environ(), replicaEnv+"="+string(cfg))
		p.cmd.Stdout = &p.out
		p.cmd.Stderr = os.Stderr
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs[i] = p
	}
	if killAfter > 0 {
		time.AfterFunc(time.Until(start.Add(killAfter)), srv.Stop)
	}
	done := make(chan error, replicas)
	for _, p := range procs {
		go func() { done <- p.cmd.Wait() }()
	}
	timeout := time.After(60 * time.Second)
	for range procs {
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s: replica failed: %v", label, err)
			}
		case <-timeout:
			for _, p := range procs {
				_ = p.cmd.Process.Kill()
			}
			t.Fatalf("%s: replicas still running after 60s: something hangs", label)
		}
	}
	run := fleetRun{Label: label, Requests: replicas * workers * requests}
	for i, p := range procs {
		line := ""
		for l := range strings.Lines(p.out.String()) {
			if s, ok := strings.CutPrefix(l, "RESULT "); ok {
				line = s
			}
		}
		var res replicaResult
		if err := json.Unmarshal([]byte(line), &res); err != nil {
			t.Fatalf("%s: replica %d printed no result: %q", label, i, p.out.String())
		}
		if res.Leaks != "" {
			t.Errorf("%s: replica %d leaked goroutines: %s", label, i, res.Leaks)
		}
		run.Final429 += res.Final429
		run.Errors += res.Errors
		run.Other += res.Other
		run.RedisFailures += res.RedisFailures
	}
	vendor.mu.Lock()
	defer vendor.mu.Unlock()
	run.VendorOK, run.Vendor429 = vendor.ok, vendor.limited
	run.Elapsed = vendor.end.Sub(vendor.first)
	run.Share429 = float64(vendor.limited) / float64(vendor.ok+vendor.limited)
	run.QuotaUsed = float64(vendor.ok) / (run.Elapsed.Seconds() * quota)
	return run
}

func (r fleetRun) row() string {
	return fmt.Sprintf("| %s | %d | %d | %d (%.1f%%) | %d | %.0f%% | %.2f s |",
		r.Label, r.Requests, r.VendorOK, r.Vendor429, 100*r.Share429, r.Final429, 100*r.QuotaUsed, r.Elapsed.Seconds())
}

// TestFleetSharesQuota is the proof behind README's "Running a fleet"
// table: 4 replica processes × 6 workers send 300 requests in all against a
// 150/s quota, first with the transport alone, then sharing the Redis
// limiter, then sharing it while Redis is killed mid-run.
// FLEET_REQUESTS (per worker) makes the run longer: `make fleet`.
func TestFleetSharesQuota(t *testing.T) {
	if testing.Short() {
		t.Skip("the fleet proof runs for seconds; skipped with -short")
	}
	srv := startRedis(t)
	const replicas, workers = 4, 6
	requests := 13
	if n, err := fmt.Sscan(os.Getenv("FLEET_REQUESTS"), &requests); n == 1 && err == nil && requests < 1 {
		requests = 13
	}
	alone := runFleet(t, "transport alone (no shared limiter)", "none", nil, replicas, workers, requests, 0)
	shared := runFleet(t, "shared Redis limiter", "redis", srv, replicas, workers, requests, 0)
	killed := runFleet(t, "shared Redis limiter, Redis killed mid-run", "redis", srv, replicas, workers, requests, 800*time.Millisecond)

	t.Log("\n| run | requests | 200s | 429s sent by the vendor | 429s returned to callers | quota used | time |\n|---|---|---|---|---|---|---|\n" +
		alone.row() + "\n" + shared.row() + "\n" + killed.row())

	for _, r := range []fleetRun{alone, shared, killed} {
		if r.Errors != 0 || r.Other != 0 {
			t.Errorf("%s: %d requests failed with an error, %d had another status", r.Label, r.Errors, r.Other)
		}
		if got := r.VendorOK + r.Final429; got != r.Requests {
			t.Errorf("%s: %d requests ended (200 or a final 429), want all %d", r.Label, got, r.Requests)
		}
	}
	if shared.Share429 > 0.01 {
		t.Errorf("shared limiter: %.1f%% of responses were 429, want ≤ 1%%", 100*shared.Share429)
	}
	if shared.QuotaUsed < 0.90 {
		t.Errorf("shared limiter used %.0f%% of the quota, want ≥ 90%%", 100*shared.QuotaUsed)
	}
	if shared.RedisFailures != 0 {
		t.Errorf("shared limiter: %d Redis failures with Redis up", shared.RedisFailures)
	}
	if killed.RedisFailures == 0 {
		t.Error("Redis was killed, but no replica saw a failure: the run ended too early to test it")
	}
	if alone.Vendor429 <= shared.Vendor429 {
		t.Errorf("the transport alone drew %d 429s, the shared limiter %d: the proof shows nothing", alone.Vendor429, shared.Vendor429)
	}
}
