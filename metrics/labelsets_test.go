package metrics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// A shard resolves an event's label values once per distinct label set (shard.children)
// and keeps what it resolved across slots. Every series, summary and day cost must be
// what resolving every event afresh gives: the same events are recorded by a Recorder
// whose shards forget what they resolved after each event, and the two compared. The
// events cover empty values, values past MaxLabelValues ("other"), more label sets than
// a shard keeps, slots rolling over (a reset keeps the cells the shards point to) and
// late events. Sums are of numbers that add exactly in any order, since the two
// Recorders spread the events over their shards differently.
func TestResolvedLabelSetsGiveTheSameSeries(t *testing.T) {
	clk := newFakeClock()
	opts := Options{Now: clk.Now, MaxLabelValues: 40, Retention: 10 * time.Minute}
	kept, fresh := NewRecorder(opts), NewRecorder(opts)
	rng := rand.New(rand.NewPCG(13, 13))
	pick := func(vals ...string) string { return vals[rng.IntN(len(vals))] }
	for i := range 20000 {
		e := Event{
			Source: pick("llm", "cache", "history", "pattern", "none"), Model: pick("", "gpt-4o-mini", "gpt-4o"),
			Tier: pick("", "simple", "complex"), Variant: pick("", "a", "b"),
			// 60 keys and 45 tenants: past MaxLabelValues, some are "other".
			APIKey: fmt.Sprintf("key-%d", rng.IntN(60)), Tenant: fmt.Sprintf("tenant-%d", rng.IntN(45)),
			Latency: time.Duration(rng.IntN(3000)) * time.Millisecond, Success: rng.IntN(10) != 0, Valid: rng.IntN(9) != 0,
			CacheResult: pick("hit", "exact", "miss", "skip", ""), PromptTokens: rng.IntN(500), CompletionTokens: rng.IntN(100),
			CostUSD: float64(rng.IntN(8)) / 1024, Retries: rng.IntN(2),
		}
		if i%50 == 0 {
			e.APIKey, e.Tenant = "", "" // the empty values
		}
		if i%7 == 0 {
			e.Fallback, e.FallbackReason = true, pick("timeout", "invalid_plan")
		}
		if i%11 == 0 {
			e.ErrorType, e.Errors = "RateLimitError", []string{"RateLimitError", "TimeoutError"}
		}
		if i%13 == 0 {
			e.Refusal = pick("llm", "offline")
		}
		if i%97 == 0 {
			e.Time = clk.Now().Add(-3 * time.Minute) // late
		}
		kept.Record(e)
		fresh.Record(e)
		for s := range fresh.shards {
			fresh.shards[s].kids = nil
		}
		if i%500 == 499 {
			for _, r := range []*Recorder{kept, fresh} {
				r.RecordExecution(e.Tenant, i%1000 == 999)
				r.RecordFeedback(e.Tenant, e.APIKey, i%1000 != 999)
				r.RecordRetry(e.APIKey)
			}
		}
		if i%2000 == 1999 {
			clk.Advance(time.Minute)
		}
	}

	n := 0
	for s := range kept.shards {
		kids := kept.shards[s].kids
		if len(kids) > maxShardLabelSets {
			t.Fatalf("shard %d keeps %d label sets, more than %d", s, len(kids), maxShardLabelSets)
		}
		for k, ch := range kids {
			for d, id := range ch.ids {
				if id == idOther {
					t.Fatalf("shard %d keeps %+v, whose label %d is past MaxLabelValues", s, k, d)
				}
			}
		}
		n += len(kids)
	}
	if n == 0 {
		t.Fatal("no shard kept a resolved label set: the comparison would prove nothing")
	}

	if got, want := exposition(t, kept), exposition(t, fresh); got != want {
		t.Errorf("the exposition differs from resolving every event:\n%s\nwant\n%s", got, want)
	}
	for _, w := range []time.Duration{0, 2 * time.Minute, 10 * time.Minute} {
		got, _ := json.Marshal(kept.Summary(w))
		want, _ := json.Marshal(fresh.Summary(w))
		if !bytes.Equal(got, want) {
			t.Errorf("Summary(%v) differs from resolving every event:\n%s\nwant\n%s", w, got, want)
		}
	}
	gotDay, gotKeys := kept.DayCost(clk.Now())
	wantDay, wantKeys := fresh.DayCost(clk.Now())
	if gotDay != wantDay || fmt.Sprint(gotKeys) != fmt.Sprint(wantKeys) {
		t.Errorf("DayCost %v %v, want %v %v", gotDay, gotKeys, wantDay, wantKeys)
	}
}

// exposition is r's metrics in the Prometheus text format.
func exposition(t *testing.T, r *Recorder) string {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(r.Collector())
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, f := range fams {
		if _, err := expfmt.MetricFamilyToText(&b, f); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}
