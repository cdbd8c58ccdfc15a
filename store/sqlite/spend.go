package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/planwise/planwise/metrics"
)

// LLM spending per UTC day and API key, for the budgets: one row per (day, key), added to.
const spendDDL = `
CREATE TABLE spend (
	day     INTEGER NOT NULL,
	api_key TEXT NOT NULL,
	usd     REAL NOT NULL,
	PRIMARY KEY (day, api_key)
);
`

func init() { register("spend", 1, spendDDL) }

// Spend is the spending store (metrics.SpendStore) over a DB.
type Spend struct{ db *DB }

// SpendStore returns the spending store of d.
func (d *DB) SpendStore() *Spend { return &Spend{db: d} }

var _ metrics.SpendStore = (*Spend)(nil)

// AddSpend adds every amount in one transaction.
func (s *Spend) AddSpend(ctx context.Context, rows []metrics.Spend) error {
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add spend: %w", err)
	}
	defer tx.Rollback()
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, `INSERT INTO spend (day, api_key, usd) VALUES (?, ?, ?)
			ON CONFLICT(day, api_key) DO UPDATE SET usd = usd + excluded.usd`, metrics.Day(r.Day).Unix(), r.APIKey, r.USD); err != nil {
			return fmt.Errorf("add spend: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add spend: %w", err)
	}
	return nil
}

// DaySpend returns the day's spending per API key.
func (s *Spend) DaySpend(ctx context.Context, day time.Time) (map[string]float64, error) {
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT api_key, usd FROM spend WHERE day = ?`, metrics.Day(day).Unix())
	if err != nil {
		return nil, fmt.Errorf("day spend: %w", err)
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var k string
		var v float64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("day spend: %w", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}
