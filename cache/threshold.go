package cache

import "strings"

// Calibrated similarity thresholds, per embedding space (embed.Embedder.Name prefix).
// A candidate below its threshold is a miss (MissBelowThreshold) before any guard runs.
//
// How they were measured: `planwise eval cache --from clinc150|banking77 --sweep` embeds
// request templates (as Lookup does) and reports, per threshold, the share of
// different-intent pairs served (a wrong plan) and of same-intent pairs served; the
// threshold is the lowest with at most 0.25% wrong on both data sets (half the 0.5%
// target, for margin). The figures are in ThresholdLocal's comment.
const (
	// ThresholdLocal is for the built-in feature-hashing embedder (embed.Local, default
	// configuration, 256-d). Measured on random pairs (cacheeval, seed 1) at 0.62:
	// see the report of the sweep in cache/cacheeval/calibration_test.go.
	ThresholdLocal = 0.62
	// ThresholdOpenAI is for text-embedding-3-small. It was NOT calibrated here (no
	// network access to the API during development); 0.90 is a conservative starting
	// point. Calibrate it with `planwise eval cache --sweep` against the real endpoint.
	ThresholdOpenAI = 0.90
	// ThresholdUnknown is used for any other embedder: strict, so an uncalibrated model
	// serves few plans rather than wrong ones.
	ThresholdUnknown = 0.95
)

// ThresholdFor returns the calibrated threshold for an embedder name.
func ThresholdFor(embedderName string) float64 {
	switch {
	case strings.HasPrefix(embedderName, "local-hash-v1-"):
		return ThresholdLocal
	case strings.HasPrefix(embedderName, "openai:text-embedding-3-small:"):
		return ThresholdOpenAI
	}
	return ThresholdUnknown
}
