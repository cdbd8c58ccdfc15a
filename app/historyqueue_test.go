package app

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
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
