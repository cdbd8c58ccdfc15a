package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serve's history queue holds what a crash loses of the history, and history's keys
// bound it: by time (flush_interval: how long a batch waits for more records) and by
// count (max_unflushed: the records it may hold unwritten, queue and batch). The
// defaults are 20 ms (a batch lingered 100 ms, and a SIGKILL right after 1,500 hits
// lost a median of 221 records) and 4,096.
func TestServeHistoryQueueBounds(t *testing.T) {
	for _, tc := range []struct {
		name          string
		flush         time.Duration
		unflushed     int
		wantLinger    time.Duration
		wantUnwritten int
	}{
		{"defaults", -1, -1, 20 * time.Millisecond, 4096},
		{"configured", 5 * time.Millisecond, 100, 5 * time.Millisecond, 100},
		{"max_unflushed 0 is the default", 0, 0, 0, 4096},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Store.Driver, cfg.Store.Path = "sqlite", filepath.Join(t.TempDir(), "planwise.db")
			if tc.flush >= 0 {
				cfg.History.FlushInterval, cfg.History.MaxUnflushed = tc.flush, tc.unflushed
			}
			a, err := New(context.Background(), &cfg, Options{Serve: true, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if _, err := a.History(context.Background()); err != nil {
				t.Fatal(err)
			}
			if a.queue.Linger != tc.wantLinger || a.queue.MaxUnwritten() != tc.wantUnwritten {
				t.Errorf("linger %s, at most %d records unwritten; want %s and %d", a.queue.Linger, a.queue.MaxUnwritten(), tc.wantLinger, tc.wantUnwritten)
			}
		})
	}
}

// A record the history queue drops (the store not keeping up) is counted where an
// operator looks: /metrics, the service-wide summary, and the default
// history_records_dropped alert. The queue's writer is not running here (Serve runs
// it), so the queue fills at once: max_unflushed 2 is a queue of 1 and a batch of 1.
func TestServeCountsHistoryRecordsDropped(t *testing.T) {
	ctx := context.Background()
	cfg := DefaultConfig()
	cfg.Store.Driver, cfg.Store.Path = "sqlite", filepath.Join(t.TempDir(), "planwise.db")
	cfg.History.MaxUnflushed = 2
	a, err := New(ctx, &cfg, Options{Serve: true, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv, err := a.Server(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	get := func(path string) string {
		t.Helper()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
		return w.Body.String()
	}
	for i := range 4 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("POST", "/api/v1/plan", strings.NewReader(fmt.Sprintf(`{"request": "calculate %d * 3"}`, i+2))))
		if w.Code != 200 {
			t.Fatalf("plan %d: %d %s", i, w.Code, w.Body)
		}
	}
	if m := get("/metrics"); !strings.Contains(m, "\nplanwise_history_records_dropped_total 3\n") {
		t.Errorf("/metrics has no planwise_history_records_dropped_total 3:\n%s", grepLines(m, "history"))
	}
	var sum struct {
		Dropped int64 `json:"history_records_dropped"`
	}
	if err := json.Unmarshal([]byte(get("/api/v1/metrics/planner?window=lifetime")), &sum); err != nil || sum.Dropped != 3 {
		t.Errorf("summary history_records_dropped %d (%v), want 3", sum.Dropped, err)
	}
	a.srv.alerts.Evaluate(ctx, time.Now())
	var st struct {
		Active []struct {
			Rule  string  `json:"rule"`
			Value float64 `json:"value"`
		} `json:"active"`
	}
	if err := json.Unmarshal([]byte(get("/api/v1/alerts")), &st); err != nil || len(st.Active) != 1 || st.Active[0].Rule != "history_records_dropped" || st.Active[0].Value != 3 {
		t.Errorf("active alerts %+v (%v); want history_records_dropped at 3", st.Active, err)
	}
}
