// Package plans scores planners against labelled data sets the way TaskBench does, with
// one change the mission asks for: a prediction that is missing, errored or invalid is
// counted as a miss instead of being dropped. The labelled samples come from package
// eval/dataset.
//
// # Metrics
//
// Score compares one prediction with its gold plan. Tool and argument names are compared
// exactly (calculate_BMI is not calculate_bmi); gold steps are mapped through the same
// importer as the catalogue, so both sides spell names alike.
//
//   - node F1: F1 over the multisets of tool names;
//   - edge F1: F1 over the multisets of (source tool, target tool) pairs of the dependency
//     edges (references, after and conditions of the predicted plan; gold Edges);
//   - argument-name F1: F1 over (tool, argument name) pairs of top-level arguments;
//   - argument-value F1: F1 over (tool, argument name, value) triples, where a value is
//     trimmed and case-folded, a number is compared by value whether it was written as a
//     number or a string, and every reference is replaced by the tool it points to (so
//     "${s1.skyId}" and "$var1.skyId$" agree when both point at SkyScrapperSearchAirport);
//   - edit distance: Levenshtein distance between the predicted and gold tool-name
//     sequences divided by the longer length (0 is identical, 1 is nothing in common).
//
// With P = |pred ∩ gold| / |pred| and R = |pred ∩ gold| / |gold| over multisets, F1 is
// 2PR/(P+R) = 2|pred ∩ gold| / (|pred| + |gold|). When both sides are empty (a one-step
// plan has no edges) F1 is 1 only if the plan's tools are exactly the gold's, else 0: a
// wrong plan never scores above a refusal. A miss (the planner returned an error or no
// plan, or the plan fails plan.Validate) scores F1 = 0 on every metric and edit distance
// 1; for an Irrelevant sample a refusal is the right answer and scores 1 (and 0).
//
// Outcomes count what an F1 hides: plans served and refused, plans with exactly the gold
// tools (ExactTools: the same sequence, or the same tools and edges in another order),
// wrong plans served (any other plan, and any plan for an irrelevant request), refusals
// of irrelevant requests, and for BFCL the calls its AST checker would accept
// (ExactCalls: every argument one of its acceptable values, strings compared as BFCL
// normalises them). writePredictions writes one JSON line per sample.
//
// Run reports the mean of the per-sample scores over every sample evaluated (macro
// average over samples, misses included), and the validity rate. Because TaskBench's own
// evaluate.py pools instead (per-sample sets, then one binary F1 over all samples'
// items, with misses dropped), Report.TaskBench repeats the four F1 scores pooled that
// way, but with misses kept as empty predictions, and its edit distance as TaskBench
// computes it (1 - the normalised indel similarity of the two sequences), so figures can
// be set beside the TaskBench leaderboard. As in scikit-learn's binary F1, which
// TaskBench calls, a pooled F1 with nothing on either side (no sample has an edge) is 0.
//
// # Running
//
// Run plans every sample with bounded concurrency, validates each plan against the
// registry, and returns a Report with every per-sample result kept for debugging. The
// query.Planner interface is all eval needs; the offline pattern planner and the full planner
// (through a small adapter) satisfy it.
package plans
