// Package cputime reads the CPU time the process has used, for benchmarks of the hit
// path that report it per operation: on a machine shared with other work (two cores, and
// others' builds and evaluations) a loop's wall time includes the time spent waiting for
// a core, and misses the work done beside the loop (the history queue, the garbage
// collector); the process's CPU time counts that work and not the wait.
package cputime

import "time"

// Process returns the CPU time (user and system) the process has used so far; false
// where it cannot be read.
func Process() (time.Duration, bool) { return process() }
