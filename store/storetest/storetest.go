// Package storetest is the conformance suite of planwise's stores: one set of tests that
// every implementation of the store interfaces passes, whatever keeps the data. The
// memory stores (cache.MemoryStore, history.MemoryStore, execute.MemoryRunStore,
// metrics.MemorySpendStore), store/sqlite and store/postgres run it; a store written
// outside planwise can run it too:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) (storetest.Stores, func() storetest.Stores) {
//			db := openEmptyDatabase(t) // closed by t.Cleanup
//			return db.Stores(), func() storetest.Stores { return reopen(t, db).Stores() }
//		})
//	}
//
// The interfaces tested are cache.Store (and cache.Toucher), history.Store (and
// history.BatchStore, history.Pruner, history.ExperimentStore, history.TallyStore: the
// tallies are the stored records' counts after every kind of write), execute.RunStore (and
// execute.RunBatchSaver, execute.RunRecovery) and metrics.SpendStore. Optional
// interfaces a store does not implement are skipped, saying so.
package storetest

import (
	"testing"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/metrics"
)

// Stores are one database's implementations of the store interfaces. A nil field is a
// store the backend does not have; its tests are skipped.
type Stores struct {
	Cache   cache.Store
	History history.Store
	Runs    execute.RunStore
	Spend   metrics.SpendStore
}

// Opener returns the stores of a new, empty database, released when t ends, and, for a
// backend that keeps data, reopen: it returns stores over the same database as a
// restarted process (or another replica) sees it. The stores returned before a reopen
// are not used after it, so reopen may close them first. A backend that keeps nothing
// (memory) returns a nil reopen, and the tests of durability are skipped.
type Opener func(t *testing.T) (s Stores, reopen func() Stores)

// Run runs every test of the suite, each on a database of its own.
func Run(t *testing.T, open Opener) {
	t.Run("Cache", func(t *testing.T) { runCache(t, open) })
	t.Run("History", func(t *testing.T) { runHistory(t, open) })
	t.Run("Runs", func(t *testing.T) { runRuns(t, open) })
	t.Run("Spend", func(t *testing.T) { runSpend(t, open) })
	t.Run("Fill", func(t *testing.T) { testFill(t, open) })
}

// test is one test of one store interface: it receives the stores of a new database
// and reopen (nil when the backend keeps nothing).
type test[S any] struct {
	name string
	run  func(t *testing.T, s S, reopen func() S)
}

// runEach runs each test on a new database, skipping them all when the backend has no
// such store (pick returns the zero S).
func runEach[S comparable](t *testing.T, open Opener, pick func(Stores) S, tests []test[S]) {
	var zero S
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, reopen := open(t)
			st := pick(s)
			if st == zero {
				t.Skip("the backend has no such store")
			}
			var again func() S
			if reopen != nil {
				again = func() S { return pick(reopen()) }
			}
			tc.run(t, st, again)
		})
	}
}

// persistent skips t when the backend keeps nothing.
func persistent[S any](t *testing.T, reopen func() S) {
	t.Helper()
	if reopen == nil {
		t.Skip("the backend keeps nothing: no restart to survive")
	}
}
