package override_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/errcat/errcat/apierr"
	"github.com/errcat/errcat/internal/features/override"
)

// The catalog's rate limits reach Policy() exactly, every scope and period.
func TestPolicyCarriesRateLimits(t *testing.T) {
	want := []apierr.RateLimit{
		{Scope: apierr.ScopeToken, Requests: 100, Per: time.Minute},
		{Scope: apierr.ScopeOrganization, Requests: 10000, Per: 24 * time.Hour},
		{Scope: apierr.ScopeEndpoint, Method: "POST", Path: "/v1/orders", Requests: 5, Per: time.Second},
		{Scope: apierr.ScopeEndpoint, Path: "/v1/reports", Requests: 2, Per: time.Hour},
	}
	if got := override.Policy().RateLimits; !reflect.DeepEqual(got, want) {
		t.Errorf("Policy().RateLimits = %+v\nwant %+v", got, want)
	}
}

type keyLimiter struct {
	mu   sync.Mutex
	keys []string
}

func (l *keyLimiter) Wait(_ context.Context, q apierr.Quota) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, q.Key+" "+q.Limit.Interval().String())
	return nil
}

func (l *keyLimiter) Cooldown(context.Context, apierr.Quota, time.Duration) {}

// A limiter gets the generated limits as defaults: the endpoint limit only
// for its method and path.
func TestLimiterUsesCatalogLimits(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	lim := &keyLimiter{}
	client := &http.Client{Transport: apierr.NewTransport(srv.Client().Transport, override.Policy(), apierr.WithLimiter(lim))}
	for _, c := range []struct{ method, path string }{{"POST", "/v1/orders"}, {"GET", "/v1/orders"}, {"GET", "/v1/reports"}} {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	want := []string{
		"override:token:default 600ms", "override:organization:default 8.64s", "override:endpoint:POST /v1/orders 200ms",
		"override:token:default 600ms", "override:organization:default 8.64s",
		"override:token:default 600ms", "override:organization:default 8.64s", "override:endpoint:/v1/reports 30m0s",
	}
	if !slices.Equal(lim.keys, want) {
		t.Errorf("quotas = %q\nwant %q", lim.keys, want)
	}
}
