package metrics

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// History writes dropped because the history queue was full (history.Queue's OnDropped)
// are lost learning data, and were only logged: they are counted on /metrics
// (planwise_history_records_dropped_total, 0 until the first), in the service-wide JSON
// summary (not a tenant's: every tenant's records share the queue), and the default
// rules alert on the first within the window.
func TestHistoryDropsCountedAndAlerted(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	al, err := NewAlerts(r, DefaultRules(0, 0), AlertOptions{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	dropped := func() float64 {
		t.Helper()
		return find(t, scrape(t, r.Handler()), "planwise_history_records_dropped_total", nil).GetCounter().GetValue()
	}
	if v := dropped(); v != 0 {
		t.Fatalf("planwise_history_records_dropped_total = %v before any drop", v)
	}
	ctx := context.Background()
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 0 {
		t.Fatalf("alerts with nothing dropped: %+v", tr)
	}

	r.Record(Event{Source: "cache", Success: true, Tenant: "acme"})
	for range 3 {
		r.RecordHistoryDropped()
	}
	if v := dropped(); v != 3 {
		t.Fatalf("planwise_history_records_dropped_total = %v, want 3", v)
	}
	for _, w := range []time.Duration{0, 5 * time.Minute} {
		s := r.SummaryAt(clk.Now(), w)
		if s.HistoryRecordsDropped != 3 {
			t.Errorf("summary (window %v): history_records_dropped %d, want 3", w, s.HistoryRecordsDropped)
		}
		b, _ := json.Marshal(s)
		if !strings.Contains(string(b), `"history_records_dropped":3`) {
			t.Errorf("summary JSON without the drops: %s", b)
		}
		if b, _ := json.Marshal(s.ForTenant("acme", nil)); strings.Contains(string(b), "history_records_dropped") {
			t.Errorf("a tenant's summary shows the service's drops: %s", b)
		}
	}

	tr := al.Evaluate(ctx, clk.Now())
	if len(tr) != 1 || tr[0].Rule != "history_records_dropped" || tr[0].State != StateFiring || tr[0].Value != 3 ||
		!strings.Contains(tr[0].Message, "history.max_unflushed") {
		t.Fatalf("transitions %+v; want history_records_dropped firing at 3", tr)
	}
	// Nothing dropped for a window: it resolves; the counter keeps its total.
	clk.Advance(6 * time.Minute)
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 1 || tr[0].State != StateResolved {
		t.Fatalf("after a quiet window: %+v; want resolved", tr)
	}
	if v := dropped(); v != 3 {
		t.Fatalf("planwise_history_records_dropped_total = %v after the window, want 3 (a counter)", v)
	}
	if s := r.SummaryAt(clk.Now(), 5*time.Minute); s.HistoryRecordsDropped != 0 {
		t.Errorf("the last 5 minutes' summary counts %d drops, want 0", s.HistoryRecordsDropped)
	}
}
