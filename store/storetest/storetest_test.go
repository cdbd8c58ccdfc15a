package storetest_test

import (
	"testing"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/store/storetest"
)

// TestConformance runs the suite against the memory stores (store.driver: memory).
func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) (storetest.Stores, func() storetest.Stores) {
		return storetest.Stores{
			Cache:   cache.NewMemoryStore(),
			History: history.NewMemoryStore(),
			Runs:    execute.NewMemoryRunStore(0),
			Spend:   &metrics.MemorySpendStore{},
		}, nil
	})
}
