package execute_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/planwise/planwise/execute"
)

// The memory store is bounded: past its capacity the oldest finished runs go, runs in
// flight stay.
func TestMemoryRunStoreBounded(t *testing.T) {
	ctx := context.Background()
	s := execute.NewMemoryRunStore(3)
	s.SaveRun(ctx, &execute.Result{ID: "inflight", Status: execute.RunRunning}, execute.RunMeta{})
	for i := range 10 {
		s.SaveRun(ctx, &execute.Result{ID: fmt.Sprint(i), Status: execute.RunSucceeded}, execute.RunMeta{})
	}
	if _, _, err := s.GetRun(ctx, "inflight"); err != nil {
		t.Fatalf("the run in flight was dropped: %v", err)
	}
	for i := range 8 {
		if _, _, err := s.GetRun(ctx, fmt.Sprint(i)); err == nil {
			t.Errorf("run %d kept past the capacity", i)
		}
	}
	for _, id := range []string{"8", "9"} {
		if _, _, err := s.GetRun(ctx, id); err != nil {
			t.Errorf("newest run %s dropped: %v", id, err)
		}
	}
}
