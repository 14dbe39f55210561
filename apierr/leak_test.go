package apierr

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// A goroutine leak check from the standard library, so that errcat's
// module needs no test library (see ARCHITECTURE.md, "Modules"): it does
// what goleak.VerifyNone(t, goleak.IgnoreCurrent()) did here.

// goroutines returns the stack of every live goroutine by its id.
// runtime.Stack leaves out the runtime's own goroutines.
func goroutines() map[string]string {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		// Each stack starts with "goroutine 18 [chan receive]:".
		head, _, _ := strings.Cut(g, "\n")
		if f := strings.Fields(head); len(f) >= 2 && f[0] == "goroutine" {
			out[f[1]] = g
		}
	}
	return out
}

// leakedSince returns the stacks of the goroutines not in before that are
// still running after up to wait: goroutines winding down (a closed
// connection's reader, a stopped timer's function) get that long to end.
func leakedSince(before map[string]string, wait time.Duration) []string {
	deadline := time.Now().Add(wait)
	for pause := time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		var leaked []string
		for id, stack := range goroutines() {
			if _, old := before[id]; !old {
				leaked = append(leaked, stack)
			}
		}
		if len(leaked) == 0 || time.Now().After(deadline) {
			slices.Sort(leaked)
			return leaked
		}
		time.Sleep(pause)
	}
}

// checkNoLeaks returns a function to defer that fails t if a goroutine
// started after the call is still running once the test ends (after up to
// five seconds). Goroutines of earlier tests are not the test's leaks.
// Tests that use it must not run in parallel with others.
func checkNoLeaks(t *testing.T) func() {
	before := goroutines()
	return func() {
		if leaked := leakedSince(before, 5*time.Second); len(leaked) > 0 {
			t.Errorf("%d goroutine(s) leaked:\n\n%s", len(leaked), strings.Join(leaked, "\n\n"))
		}
	}
}

// TestLeakCheckFindsLeak proves the check: a goroutine blocked for good
// is reported with its stack, and the same goroutine once it has ended is
// not.
func TestLeakCheckFindsLeak(t *testing.T) {
	before := goroutines()
	stop := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		leakForTest(stop)
	}()
	leaked := leakedSince(before, 50*time.Millisecond)
	if len(leaked) != 1 || !strings.Contains(leaked[0], "leakForTest") {
		t.Errorf("leaked = %q, want the one blocked goroutine", leaked)
	}
	close(stop)
	<-ended
	if leaked := leakedSince(before, 5*time.Second); len(leaked) != 0 {
		t.Errorf("a goroutine that ended is reported: %q", leaked)
	}
}

//go:noinline
func leakForTest(stop <-chan struct{}) { <-stop }
