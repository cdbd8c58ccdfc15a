package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/planwise/planwise/metrics"
)

// Spend is the spending store (metrics.SpendStore): one row per UTC day and API key,
// added to.
type Spend struct{ DB *DB }

var _ metrics.SpendStore = Spend{}

// AddSpend adds every amount in one transaction; concurrent adds (from other replicas
// too) sum.
func (s Spend) AddSpend(ctx context.Context, rows []metrics.Spend) error {
	stmts := make([]Stmt, len(rows))
	for i, r := range rows {
		stmts[i] = Stmt{`INSERT INTO spend (day, api_key, usd) VALUES ($1, $2, $3)
			ON CONFLICT (day, api_key) DO UPDATE SET usd = spend.usd + excluded.usd`, []any{metrics.Day(r.Day).Unix(), r.APIKey, r.USD}}
	}
	if err := s.DB.batch(ctx, stmts); err != nil {
		return fmt.Errorf("add spend: %w", err)
	}
	return nil
}

// DaySpend returns the day's spending per API key.
func (s Spend) DaySpend(ctx context.Context, day time.Time) (map[string]float64, error) {
	out := map[string]float64{}
	err := s.DB.Query(ctx, `SELECT api_key, usd FROM spend WHERE day = $1`, []any{metrics.Day(day).Unix()}, func(row Scanner) error {
		var k string
		var v float64
		err := row.Scan(&k, &v)
		out[k] = v
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("day spend: %w", err)
	}
	return out, nil
}
