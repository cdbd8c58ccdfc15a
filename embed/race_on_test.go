//go:build race

package embed

// raceEnabled lets the data-quality measurement skip under the race detector, where it
// is 50x slower and measures nothing about races.
const raceEnabled = true
