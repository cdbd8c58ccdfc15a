package plan

import (
	"errors"
	"strings"
)

// ErrCannotPlan is wrapped by every error an offline planner (packages pattern and
// histplan) returns when it cannot produce a plan for a request.
var ErrCannotPlan = errors.New("cannot plan")

// CannotPlanError says why an offline planner could not plan a request.
type CannotPlanError struct {
	// Reason is a sentence for people and logs ("no tool matches the request").
	Reason string
	// Clauses are the parts of the request that could not be planned, in order.
	Clauses []string
}

func (e *CannotPlanError) Error() string {
	var b strings.Builder
	b.WriteString("cannot plan: ")
	b.WriteString(e.Reason)
	if len(e.Clauses) > 0 {
		b.WriteString(" (unplanned: ")
		for i, c := range e.Clauses {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteByte('"')
			b.WriteString(c)
			b.WriteByte('"')
		}
		b.WriteString(")")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrCannotPlan) true.
func (e *CannotPlanError) Is(target error) bool { return target == ErrCannotPlan }
