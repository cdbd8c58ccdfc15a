package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/metrics"
)

// LLM spending per UTC day and API key, shared by the replicas' budgets.
const spendDDL = `
CREATE TABLE spend (
	day     BIGINT NOT NULL,
	api_key TEXT NOT NULL,
	usd     DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (day, api_key)
);
`

// Spend is the spending store (metrics.SpendStore) over a DB.
type Spend struct{ db *DB }

// SpendStore returns the spending store of d.
func (d *DB) SpendStore() *Spend { return &Spend{db: d} }

var _ metrics.SpendStore = (*Spend)(nil)

// AddSpend adds every amount in one transaction; concurrent adds from replicas sum.
func (s *Spend) AddSpend(ctx context.Context, rows []metrics.Spend) error {
	if len(rows) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, r := range rows {
		b.Queue(`INSERT INTO spend (day, api_key, usd) VALUES ($1, $2, $3)
			ON CONFLICT (day, api_key) DO UPDATE SET usd = spend.usd + excluded.usd`, metrics.Day(r.Day).Unix(), r.APIKey, r.USD)
	}
	if err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, b).Close() }); err != nil {
		return fmt.Errorf("add spend: %w", err)
	}
	return nil
}

// DaySpend returns the day's spending per API key.
func (s *Spend) DaySpend(ctx context.Context, day time.Time) (map[string]float64, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT api_key, usd FROM spend WHERE day = $1`, metrics.Day(day).Unix())
	if err != nil {
		return nil, fmt.Errorf("day spend: %w", err)
	}
	out := map[string]float64{}
	var k string
	var v float64
	_, err = pgx.ForEachRow(rows, []any{&k, &v}, func() error { out[k] = v; return nil })
	if err != nil {
		return nil, fmt.Errorf("day spend: %w", err)
	}
	return out, nil
}
