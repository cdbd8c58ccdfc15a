package metrics

import "syscall"

// threadCPU returns the CPU time the calling OS thread has used, in nanoseconds. On a
// machine shared with other work, wall-clock ns/op includes time spent waiting for a
// core; CPU time per op does not.
func threadCPU() (int64, bool) {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
