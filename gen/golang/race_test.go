//go:build race

package golang_test

// raceEnabled skips tests that type-check huge generated files: the race
// detector makes go/types ten times slower, and those tests cover no
// concurrency. make test-norace (a CI step) runs them without -race.
const raceEnabled = true
