package postgres

import (
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/store/internal/sqlstore"
)

// HistoryStore persists the execution history (history.Store, history.BatchStore,
// history.Pruner), prompt experiments (history.ExperimentStore) and their automatic
// promotion's counts (history.TallyStore, shared by the replicas) in a DB.
type HistoryStore struct{ sqlstore.HistoryStore }

// HistoryStore returns the history store of d.
func (d *DB) HistoryStore() *HistoryStore { return &HistoryStore{sqlstore.HistoryStore{DB: d.sq}} }

// Spend is the spending store (metrics.SpendStore) over a DB, shared by the replicas'
// budgets.
type Spend struct{ sqlstore.Spend }

// SpendStore returns the spending store of d.
func (d *DB) SpendStore() *Spend { return &Spend{sqlstore.Spend{DB: d.sq}} }

var (
	_ history.Store           = (*HistoryStore)(nil)
	_ history.BatchStore      = (*HistoryStore)(nil)
	_ history.Pruner          = (*HistoryStore)(nil)
	_ history.ExperimentStore = (*HistoryStore)(nil)
	_ history.TallyStore      = (*HistoryStore)(nil)
	_ metrics.SpendStore      = (*Spend)(nil)
)
