//go:build !race

// The race detector makes sync.Pool drop items at random, which changes
// what a parse allocates.

package perf

import (
	"encoding/json"
	"math"
	"net/http"
	"runtime"
	"testing"

	"github.com/errcat/errcat/generated/alloy"
	"github.com/errcat/errcat/generated/quivo"
	"github.com/errcat/errcat/generated/samsara"
	"github.com/errcat/errcat/generated/trackunit"
)

// allocated is what f allocates per call, in bytes and objects, over n
// calls after a warm-up that fills the pools.
func allocated(n int, f func()) (bytes, objects float64) {
	for range 10 {
		f()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(n), float64(after.Mallocs-before.Mallocs) / float64(n)
}

// keptBy is the heap that n results of f keep alive, per result, measured
// as retained measures a parsed error.
func keptBy(f func() any) float64 {
	const n = 2000
	held := make([]any, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range held {
		held[i] = f()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(held)
	return float64(after.HeapAlloc-before.HeapAlloc) / n
}

// boundCase is one vendor's documented error with its three decodes:
// errcat's FromResponse, the hand-written io.ReadAll + json.Unmarshal
// (the reference), and the cheapest typed decode encoding/json
// allows (a json.Decoder kept across calls, reading the body straight
// into the struct, no copy of it).
type boundCase struct {
	name      string
	status    int
	body      []byte
	from      func(*http.Response) error
	manual    func(*http.Response) (any, error)
	newTyped  func() any
	maxAllocs float64 // errcat's allocations per parse, at most
}

func boundCases() []boundCase {
	return []boundCase{
		{"alloy", 401, alloyBody, alloy.FromResponse, anyDecode[alloyManual], func() any { return new(alloyManual) }, 38},
		{"samsara", 404, samsaraBody, samsara.FromResponse, anyDecode[samsaraManual], func() any { return new(samsaraManual) }, 10},
		{"quivo", 401, quivoBody, quivo.FromResponse, anyDecode[samsaraManual], func() any { return new(samsaraManual) }, 7},
		{"trackunit", 400, trackunitBody, trackunit.FromResponse, anyDecode[trackunitManual], func() any { return new(trackunitManual) }, 26},
	}
}

func anyDecode[T any](resp *http.Response) (any, error) { return manualDecode[T](resp) }

// TestAllocationBound measures issue 10's allocation bound, "allocations ≤
// 1.2× the body size plus the result", for each decode of each vendor's
// documented error, the result being what the decode's product keeps alive
// (for errcat the *Error: its struct, its fields' strings and maps, the
// raw body). It fails when FromResponse allocates more objects than its
// budget; -v prints the table README's performance section quotes.
func TestAllocationBound(t *testing.T) {
	const n = 2000
	t.Logf("%-9s %5s | %-28s | %-28s | %-28s", "vendor", "body", "errcat B/op, allocs (bound)", "manual B/op, allocs (bound)", "typed B/op, allocs (bound)")
	for _, tc := range boundCases() {
		u := reuse(tc.status, tc.body)
		eB, eN := allocated(n, func() { _ = tc.from(u.next()) })
		eKept := keptBy(func() any { return tc.from(response(tc.status, tc.body)) })
		mB, mN := allocated(n, func() { _, _ = tc.manual(u.next()) })
		mKept := keptBy(func() any { v, _ := tc.manual(response(tc.status, tc.body)); return v })
		u.next()
		dec := json.NewDecoder(u.body)
		tB, tN := allocated(n, func() {
			u.next()
			if err := dec.Decode(tc.newTyped()); err != nil {
				t.Fatal(err)
			}
		})
		body := float64(len(tc.body))
		eBound, mBound, tBound := 1.2*body+eKept, 1.2*body+mKept, 1.2*body+mKept
		t.Logf("%-9s %5d | %5.0f, %4.1f (%4.0f = %3.1f×) | %5.0f, %4.1f (%4.0f = %3.1f×) | %5.0f, %4.1f (%4.0f = %3.1f×)",
			tc.name, len(tc.body), eB, eN, eBound, eB/eBound, mB, mN, mBound, mB/mBound, tB, tN, tBound, tB/tBound)
		t.Logf("%-9s       | errcat ÷ manual: %.2f× bytes, %.2f× allocations; results kept: errcat %.0f B, typed %.0f B", "", eB/mB, eN/mN, eKept, mKept)
		if math.Round(eN) > tc.maxAllocs {
			t.Errorf("%s: FromResponse allocates %.1f objects per parse, want at most %v", tc.name, eN, tc.maxAllocs)
		}
	}
}
