package loadgen

import "testing"

// The verdict needs both ratios within the target and no error answer on either side
// (errors answered fast are no cache hits); with no round there is nothing to meet.
func TestHitReportVerdict(t *testing.T) {
	side := func(rps, p99 float64, errs int) HitSide { return HitSide{RPS: rps, P99MS: p99, Errors: errs} }
	for _, tc := range []struct {
		name   string
		rounds []HitRound
		want   string
	}{
		{"met", []HitRound{{side(20000, 2, 0), side(18000, 2.4, 0)}}, "MET"},
		{"median of three", []HitRound{{side(20000, 2, 0), side(18000, 9, 0)}, {side(20000, 2, 0), side(18000, 2.2, 0)}, {side(20000, 2, 0), side(18000, 2.4, 0)}}, "MET"},
		{"slow tail", []HitRound{{side(20000, 2, 0), side(18000, 3.2, 0)}}, "NOT MET (p99 1.60x > 1.5x)"},
		{"slow and few", []HitRound{{side(20000, 2, 0), side(10000, 4, 0)}}, "NOT MET (p99 2.00x > 1.5x, throughput 0.50x < 0.8x)"},
		{"errors", []HitRound{{side(20000, 2, 1), side(30000, 1, 4)}}, "NOT MET (5 error answers)"},
		{"no round", nil, "NOT MET (no round ran)"},
	} {
		rep := &HitReport{Rounds: tc.rounds}
		rep.judge()
		if got := rep.Verdict(); got != tc.want || rep.TargetMet != (tc.want == "MET") {
			t.Errorf("%s: verdict %q (met %v), want %q", tc.name, got, rep.TargetMet, tc.want)
		}
	}
}
