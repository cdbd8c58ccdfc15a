//go:build race

package planner_test

// raceEnabled skips the allocation budget under the race detector, which allocates.
const raceEnabled = true
