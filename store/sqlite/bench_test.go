package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/store/storetest"
)

// BenchmarkStore runs the store benchmarks (storetest.Bench), each on a new database file
// (WAL, synchronous=FULL: every commit is an fsync):
//
//	go test -run XXX -bench Store ./store/sqlite/
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) storetest.Stores {
		db := open(b, filepath.Join(b.TempDir(), "planwise.db"))
		b.Cleanup(func() { db.Close() })
		return stores(db)
	})
}

// BenchmarkStoreInMemory runs them on a private in-memory database: the CPU the store
// code and the driver spend, without the file system's fsyncs.
func BenchmarkStoreInMemory(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) storetest.Stores {
		db := open(b, ":memory:")
		b.Cleanup(func() { db.Close() })
		return stores(db)
	})
}
