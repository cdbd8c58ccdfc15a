package llm

import (
	"fmt"
	"time"
)

// Spending reports what LLM calls have cost so far on now's UTC day, in total and per
// API key id. metrics.Ledger (kept in the store, shared by replicas) and
// metrics.Recorder (this process only) implement it.
type Spending interface {
	DayCost(now time.Time) (total float64, byKey map[string]float64)
}

// Budget caps LLM spending per UTC day, overall and per API key id; a zero cap is no
// cap. Check is meant to be called before a call, with the call's estimated cost.
type Budget struct {
	DailyUSD       float64
	PerKeyDailyUSD float64
	// Spending is where the day's spending is read; nil checks nothing.
	Spending Spending
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// On reports whether Check can refuse anything.
func (b Budget) On() bool {
	return b.Spending != nil && (b.DailyUSD > 0 || b.PerKeyDailyUSD > 0)
}

// BudgetError refuses a call that would take the day's spending past a budget.
type BudgetError struct {
	// PerKey is true when the key's budget, not the overall one, is spent.
	PerKey bool
	// LimitUSD is the budget, SpentUSD what was spent against it so far today.
	LimitUSD, SpentUSD float64
	// RetryAfter is the time until the budget resets, at midnight UTC.
	RetryAfter time.Duration
}

func (e *BudgetError) Error() string {
	scope := "daily"
	if e.PerKey {
		scope = "per-key daily"
	}
	return fmt.Sprintf("llm: the %s budget of $%g is spent ($%g so far today)", scope, e.LimitUSD, e.SpentUSD)
}

// ErrorType classifies a budget refusal as a RateLimitError: asking again after
// RetryAfter can succeed.
func (e *BudgetError) ErrorType() ErrorType { return RateLimitError }

// Check returns a *BudgetError when the day's spending plus estimateUSD would pass the
// overall budget or key's budget, and nil otherwise.
func (b Budget) Check(key string, estimateUSD float64) error {
	if !b.On() {
		return nil
	}
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	t := now().UTC()
	total, byKey := b.Spending.DayCost(t)
	var e *BudgetError
	switch {
	case b.DailyUSD > 0 && total+estimateUSD > b.DailyUSD:
		e = &BudgetError{LimitUSD: b.DailyUSD, SpentUSD: total}
	case b.PerKeyDailyUSD > 0 && byKey[key]+estimateUSD > b.PerKeyDailyUSD:
		e = &BudgetError{PerKey: true, LimitUSD: b.PerKeyDailyUSD, SpentUSD: byKey[key]}
	default:
		return nil
	}
	midnight := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC)
	e.RetryAfter = midnight.Sub(t)
	return e
}
