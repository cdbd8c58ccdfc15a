package execute

import (
	"time"
)

// Run statuses. Run returns one of the final four; a service that runs plans in the
// background (planner.Runs) also records queued and running runs, and interrupted ones:
// runs that were in flight when their process stopped.
const (
	RunSucceeded   = "succeeded"
	RunFailed      = "failed"
	RunPartial     = "partial"
	RunCanceled    = "canceled"
	RunQueued      = "queued"
	RunRunning     = "running"
	RunInterrupted = "interrupted"
)

// InFlight reports whether a run status is not final (queued or running).
func InFlight(status string) bool { return status == RunQueued || status == RunRunning }

// Step statuses. Pending and running are seen only on runs in flight; interrupted on
// steps of an interrupted run.
const (
	StepSucceeded   = "succeeded"
	StepFailed      = "failed"
	StepSkipped     = "skipped"
	StepCanceled    = "canceled"
	StepPending     = "pending"
	StepRunning     = "running"
	StepInterrupted = "interrupted"
)

// Result is the outcome of one run of a plan.
type Result struct {
	ID string `json:"id"`
	// Status is succeeded, failed, partial or canceled (see the package documentation).
	Status string `json:"status"`
	// Error explains a run that could not start (an invalid plan) or was cancelled.
	Error string `json:"error,omitempty"`
	// Steps are in plan order, one per plan step.
	Steps      []StepResult `json:"steps"`
	Started    time.Time    `json:"started"`
	Finished   time.Time    `json:"finished"`
	DurationMS float64      `json:"duration_ms"`
}

// Step returns the result of the step with the given id.
func (r *Result) Step(id string) (*StepResult, bool) {
	for i := range r.Steps {
		if r.Steps[i].ID == id {
			return &r.Steps[i], true
		}
	}
	return nil, false
}

// StepResult is what one step did.
type StepResult struct {
	ID   string `json:"id"`
	Tool string `json:"tool"`
	// Status is succeeded, failed, skipped or canceled.
	Status string `json:"status"`
	// Output is the tool's output as JSON values (map[string]any, []any, string, bool,
	// nil, int64 for integral numbers up to 2^53, float64 for other numbers); for a
	// for_each step, the list of per-element outputs.
	Output any `json:"output,omitempty"`
	// Error is the failure, or for a skipped step the reason it was skipped.
	Error string `json:"error,omitempty"`
	// Simulated is true when the output was invented by a simulated tool, not produced by
	// a real call.
	Simulated bool `json:"simulated,omitempty"`
	// Attempts counts tool calls made, retries included (summed over loop elements).
	Attempts   int       `json:"attempts"`
	Started    time.Time `json:"started,omitzero"`
	Finished   time.Time `json:"finished,omitzero"`
	DurationMS float64   `json:"duration_ms"`
	// Items is the number of loop elements called, for a for_each step.
	Items int `json:"items,omitempty"`
}

// Event types.
const (
	EventRunStarted   = "run_started"
	EventStepStarted  = "step_started"
	EventStepFinished = "step_finished"
	EventRunFinished  = "run_finished"
)

// Event reports progress of a run to RunOptions.OnEvent: run_started first, then for
// each step step_started and step_finished (a step that never runs, because it was
// skipped or the run was cancelled, has only step_finished), and run_finished last.
type Event struct {
	Type  string    `json:"type"`
	RunID string    `json:"run_id"`
	Time  time.Time `json:"time"`
	// Step is a copy of the step's result so far (step events only). Its Output is
	// shared with the run: read it, do not modify it.
	Step *StepResult `json:"step,omitempty"`
	// Result is the finished run (run_finished only).
	Result *Result `json:"result,omitempty"`
}

func durationMS(from, to time.Time) float64 {
	return float64(to.Sub(from)) / float64(time.Millisecond)
}
