package cache

import "strings"

// Calibrated similarity thresholds, per embedding space (embed.Embedder.Name prefix).
// A candidate below its threshold is a miss (MissBelowThreshold) before any guard runs.
//
// How they were measured: `planwise eval cache --from NAME --sweep --n 2000` runs the
// whole lookup (templates, guards, re-binding, validation) on 2000 same-intent and 2000
// different-intent pairs (seed 1) and reports, per threshold, the plans served right and
// wrong. The figures are in each constant's comment.
const (
	// ThresholdLocal is for the built-in feature-hashing embedder (embed.Local, default
	// configuration, 256-d). Measured wrong plans / same-intent hit rate:
	//
	//	threshold  CLINC150 random  Banking77 random  GPTCache mock (right/wrong of 999)
	//	0.60       0 / 7.75%        1 / 4.95%         242 / 27
	//	0.65       0 / 6.05%        0 / 3.65%         225 / 21
	//	0.70       0 / 4.40%        0 / 2.70%         204 / 10
	//	0.80       0 / 2.20%        0 / 1.05%         130 / 3
	//
	// 0.70 is the lowest with no wrong plan on either random set and at most 1% wrong on
	// GPTCache's near-duplicate origins. The generated one-slot-edit traps serve no wrong
	// plan at any threshold from 0.30 (guards and re-binding decide there). A lexical
	// embedder cannot tell apart the hardest negatives, each request paired with its most
	// similar different-intent request (--hard): at 0.70, 100 of 2000 CLINC150 and 255 of
	// 2000 Banking77 such pairs are served a wrong plan; use a neural embedder (and
	// calibrate it) where requests differ in one meaningful word.
	ThresholdLocal = 0.70
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
