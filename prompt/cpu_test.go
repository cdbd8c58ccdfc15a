package prompt_test

import (
	"syscall"
	"testing"
	"time"
)

// reportCPU adds "cpu-ns/op": the process CPU time (user + system) per iteration. On a
// shared, loaded machine wall-clock ns/op mostly measures waiting for a core; CPU time
// per op is the cost of the code.
func reportCPU(b *testing.B) func() {
	b.Helper()
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
