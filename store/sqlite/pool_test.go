package sqlite_test

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/store/sqlite"
)

// A burst of concurrent queries opens at most sqlite.MaxOpenConns connections (file
// descriptors), and after it at most the few idle ones stay open: an unbounded pool
// once held 601 file descriptors after a burst, and never released them. The burst
// holds its connections until twice the bound have asked for one, so that it reaches
// the bound however the machine schedules it (a burst of short queries did not, on a
// loaded machine, and the test failed for want of a wait).
func TestConnectionPoolBounded(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "planwise.db"))
	defer db.Close()
	ctx := context.Background()
	release := make(chan struct{})
	var wg sync.WaitGroup
	var peak atomic.Int64
	for range 2 * sqlite.MaxOpenConns {
		wg.Go(func() {
			conn, err := db.SQL.Conn(ctx)
			if err != nil {
				t.Errorf("conn: %v", err)
				return
			}
			defer conn.Close()
			if n := int64(db.SQL.Stats().OpenConnections); n > peak.Load() {
				peak.Store(n)
			}
			var n int
			if err := conn.QueryRowContext(ctx, `SELECT 1`).Scan(&n); err != nil || n != 1 {
				t.Errorf("query: %d, %v", n, err)
			}
			<-release
		})
	}
	// Every connection the pool allows is taken, and the other queries wait for one.
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := db.SQL.Stats()
		if st.InUse > sqlite.MaxOpenConns || st.InUse == sqlite.MaxOpenConns && st.WaitCount >= int64(sqlite.MaxOpenConns) {
			break
		}
		if time.Now().After(deadline) {
			close(release)
			wg.Wait()
			t.Fatalf("the burst did not reach the bound: %d in use, %d waits", st.InUse, st.WaitCount)
		}
		time.Sleep(time.Millisecond)
	}
	if n := int64(db.SQL.Stats().OpenConnections); n > peak.Load() {
		peak.Store(n)
	}
	close(release)
	wg.Wait()
	st := db.SQL.Stats()
	if st.MaxOpenConnections != sqlite.MaxOpenConns || peak.Load() > sqlite.MaxOpenConns || st.OpenConnections > sqlite.MaxOpenConns {
		t.Fatalf("pool limit %d, peak %d open, %d open after the burst; want at most %d", st.MaxOpenConnections, peak.Load(), st.OpenConnections, sqlite.MaxOpenConns)
	}
	if st.Idle > 4 {
		t.Errorf("%d idle connections kept after the burst, want at most 4", st.Idle)
	}
	t.Logf("peak %d connections, %d waits; after the burst %d open, %d idle", peak.Load(), st.WaitCount, st.OpenConnections, st.Idle)
}
