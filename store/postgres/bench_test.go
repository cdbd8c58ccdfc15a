package postgres_test

import (
	"testing"

	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/store/storetest"
)

// BenchmarkStore runs the store benchmarks (storetest.Bench) on the test server, each on
// a schema of its own:
//
//	PLANWISE_TEST_POSTGRES_DSN=... go test -run XXX -bench Store ./store/postgres/
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) storetest.Stores {
		db := open(b, pgtest.DSN(b))
		return storetest.Stores{Cache: db.CacheStore(""), History: db.HistoryStore(), Runs: db.Runs(), Spend: db.SpendStore()}
	})
}
