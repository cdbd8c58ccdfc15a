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
// once held 601 file descriptors after a burst, and never released them.
func TestConnectionPoolBounded(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "planwise.db"))
	defer db.Close()
	ctx := context.Background()
	var peak atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if n := int64(db.SQL.Stats().OpenConnections); n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			// A query that holds its connection for a moment (a few milliseconds).
			var n int
			if err := db.SQL.QueryRowContext(ctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) SELECT count(*) FROM c`).Scan(&n); err != nil || n != 20000 {
				t.Errorf("query: %d, %v", n, err)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	st := db.SQL.Stats()
	if st.MaxOpenConnections != sqlite.MaxOpenConns || peak.Load() > sqlite.MaxOpenConns || st.OpenConnections > sqlite.MaxOpenConns {
		t.Fatalf("pool limit %d, peak %d open, %d open after the burst; want at most %d", st.MaxOpenConnections, peak.Load(), st.OpenConnections, sqlite.MaxOpenConns)
	}
	if st.WaitCount == 0 {
		t.Errorf("no query waited for a connection: the burst did not reach the bound (peak %d)", peak.Load())
	}
	if st.Idle > 4 {
		t.Errorf("%d idle connections kept after the burst, want at most 4", st.Idle)
	}
	t.Logf("peak %d connections, %d waits; after the burst %d open, %d idle", peak.Load(), st.WaitCount, st.OpenConnections, st.Idle)
}
