//go:build unix

package perf

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system, GC
// workers included: unlike wall time it does not grow while the process
// waits for a CPU on a busy machine.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
