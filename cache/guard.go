package cache

// DefaultMaxWordEdits is the default Config.MaxWordEdits: off. Measured with the local
// embedder (`planwise eval cache --sweep --max-word-edits K`, 2000+2000 pairs, seed 1):
// at equal hit rate the guard removed no more hard-negative wrong plans than a higher
// threshold did (CLINC150 hardest different-intent pairs: 179 wrong at K=2/0.60 vs 171
// at no limit/0.65, both ~6% hit rate), and on GPTCache's mock data a higher threshold
// kept more right answers for the same error (no limit/0.80: 130 right, 3 wrong; K=2/0.80:
// 42 right, 2 wrong). It stays available for deployments that prefer misses.
const DefaultMaxWordEdits = -1
