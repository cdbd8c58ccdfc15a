//go:build race

package cache

// raceEnabled shrinks the large recall tests under the race detector, where they are
// 30x slower and measure nothing about races.
const raceEnabled = true
