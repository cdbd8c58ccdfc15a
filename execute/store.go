package execute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// RunStore records runs and the feedback people give on them. store/sqlite implements
// it; a PostgreSQL store may too. Methods are safe for concurrent use.
type RunStore interface {
	// SaveRun writes the run, its steps and meta atomically; saving the same run id
	// again replaces the run and its steps (feedback is kept).
	SaveRun(ctx context.Context, r *Result, meta RunMeta) error
	// GetRun returns the run; an error wrapping ErrRunNotFound when there is none.
	GetRun(ctx context.Context, id string) (*Result, RunMeta, error)
	// SaveFeedback attaches feedback to a run; ErrRunNotFound when the run is unknown,
	// an error wrapping ErrInvalidFeedback when the rating is out of range.
	SaveFeedback(ctx context.Context, runID string, fb Feedback) error
}

// RunRecord is one run to save: its result so far and what it was for.
type RunRecord struct {
	Result *Result
	Meta   RunMeta
}

// RunBatchSaver is implemented by run stores that can save several runs in one
// transaction (one commit, one fsync): planner.Runs writes through it when the store has
// it, so that a burst of runs costs one commit, not one each.
type RunBatchSaver interface {
	// SaveRuns saves every record as SaveRun would, atomically.
	SaveRuns(ctx context.Context, recs []RunRecord) error
}

// RunRecovery is implemented by run stores that can tell runs left in flight by a
// process that stopped. Every save of a run marks it alive at the time of the save;
// RenewRuns marks runs alive again; InterruptRuns ends the runs nobody renewed.
type RunRecovery interface {
	// RenewRuns marks the runs with these ids alive at t.
	RenewRuns(ctx context.Context, ids []string, t time.Time) error
	// InterruptRuns marks every queued or running run last marked alive before t as
	// interrupted (its unfinished steps too), with reason as its error, and returns
	// how many it marked.
	InterruptRuns(ctx context.Context, before time.Time, reason string) (int, error)
}

// RunMeta is what a stored run was for.
type RunMeta struct {
	// Request is the natural-language request the plan answers.
	Request string `json:"request,omitempty"`
	// Plan is the plan's JSON as it was run.
	Plan json.RawMessage `json:"plan,omitempty"`
	// Tenant and APIKeyHash identify who asked; the key itself is never stored.
	Tenant     string `json:"tenant,omitempty"`
	APIKeyHash string `json:"api_key_hash,omitempty"`
	// Source is where the plan came from: llm, cache, history, pattern, user.
	Source string `json:"source,omitempty"`
	// RequestID is the planning request's id (the client's X-Request-ID, or the one
	// planwise made); empty for a plan given by the user.
	RequestID string `json:"request_id,omitempty"`
	// HistoryID is the id of the planning request's history record, which the run's
	// outcome and feedback are attached to (a request id keys no record: two requests
	// may share one); empty for a plan given by the user. Runs recorded before it was
	// kept have none: their record's id was their RequestID.
	HistoryID string `json:"history_id,omitempty"`
	// CacheEntry is the cache entry the plan was served from, if any: negative feedback
	// evicts it, on every replica, after restarts too.
	CacheEntry string `json:"cache_entry,omitempty"`
	// Created is when the run was recorded; zero means now.
	Created time.Time `json:"created"`
}

// Feedback is a person's judgement of a run. Rating is -1 (bad), 0 (neutral) or 1
// (good): thumbs are what people give, and they feed the satisfaction ratio and the
// cache's eviction of plans rated bad.
type Feedback struct {
	Rating  int    `json:"rating"`
	Comment string `json:"comment,omitempty"`
	// Time is when it was given; zero means now.
	Time time.Time `json:"time"`
}

// Store errors.
var (
	ErrRunNotFound     = errors.New("run not found")
	ErrInvalidFeedback = errors.New("invalid feedback")
)

// MaxFeedbackComment bounds a feedback comment, in bytes.
const MaxFeedbackComment = 4096

// Validate checks the rating and the comment's size.
func (f Feedback) Validate() error {
	if f.Rating < -1 || f.Rating > 1 {
		return fmt.Errorf("%w: rating %d; use -1 (bad), 0 (neutral) or 1 (good)", ErrInvalidFeedback, f.Rating)
	}
	if len(f.Comment) > MaxFeedbackComment {
		return fmt.Errorf("%w: comment is %d bytes; at most %d", ErrInvalidFeedback, len(f.Comment), MaxFeedbackComment)
	}
	return nil
}
