//go:build race

package server_test

// raceEnabled skips the allocation budget under the race detector, which allocates.
const raceEnabled = true
