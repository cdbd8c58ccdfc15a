package plans

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

func testRegistry(t testing.TB) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "get_weather", Description: "weather for a place",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"}},"required":["location"],"additionalProperties":false}`)},
		&tool.Tool{Name: "send_email", Description: "send an email",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"to":{"type":"string"},"body":{"type":"string"}},"required":["to","body"],"additionalProperties":false}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// scripted answers each request from a table; "panic" panics and "block" waits for ctx.
type scripted struct {
	plans map[string]*plan.Plan
	errs  map[string]error

	inFlight, maxInFlight atomic.Int32
}

func (s *scripted) Plan(ctx context.Context, q query.Query) (*plan.Plan, error) {
	req := q.Text
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	switch req {
	case "panic":
		panic("boom")
	case "block":
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if err := s.errs[req]; err != nil {
		return nil, err
	}
	return s.plans[req], nil
}

func sampleFor(req string) dataset.Sample {
	s := weatherMail()
	s.ID, s.Request = req, req
	return s
}

func TestRunCountsMissesAndScores(t *testing.T) {
	gold := weatherMail().Plan()
	half := steps(step("s1", "get_weather", map[string]any{"location": "Paris"}))
	invalid := steps(step("s1", "get_wether", map[string]any{"location": "Paris"}))
	p := &scripted{
		plans: map[string]*plan.Plan{"good": gold, "half": half, "invalid": invalid, "nil": nil},
		errs:  map[string]error{"err": errors.New("no tool fits")},
	}
	var samples []dataset.Sample
	for _, r := range []string{"good", "half", "invalid", "nil", "err", "panic", "block"} {
		samples = append(samples, sampleFor(r))
	}
	var progress []int
	rep, err := Run(context.Background(), p, testRegistry(t), samples, RunOptions{
		Dataset: "unit", Planner: "scripted", Concurrency: 3, Timeout: 50 * time.Millisecond,
		Progress: func(done, total int) {
			if total != len(samples) {
				t.Errorf("progress total = %d", total)
			}
			progress = append(progress, done)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Samples != 7 || rep.Valid != 2 || !near(rep.ValidRate, 2.0/7) {
		t.Errorf("samples %d valid %d rate %v", rep.Samples, rep.Valid, rep.ValidRate)
	}
	wantErrs := map[string]int{ErrorKindInvalid: 1, errorKindNoPlan: 1, errorKindPlanner: 1, ErrorKindPanic: 1, errorKindTimeout: 1}
	if fmt.Sprint(rep.Errors) != fmt.Sprint(wantErrs) {
		t.Errorf("errors = %v, want %v", rep.Errors, wantErrs)
	}
	// good scores 1 everywhere, half scores node 2/3, edge 0, names 1/2, values 1/2,
	// ed 1/2; the five misses score 0 and ed 1.
	if !near(rep.NodeF1, (1+2.0/3)/7) || !near(rep.EdgeF1, 1.0/7) || !near(rep.ArgNameF1, 1.5/7) ||
		!near(rep.ArgValueF1, 1.5/7) || !near(rep.EditDistance, (0+0.5+5)/7) {
		t.Errorf("scores: %+v", rep)
	}
	if len(progress) != 7 || progress[6] != 7 {
		t.Errorf("progress calls = %v", progress)
	}
	if m := p.maxInFlight.Load(); m > 3 {
		t.Errorf("%d Plan calls at once, want at most 3", m)
	}
	if rep.Dataset != "unit" || rep.Planner != "scripted" || len(rep.Results) != 7 {
		t.Errorf("labels/results: %q %q %d", rep.Dataset, rep.Planner, len(rep.Results))
	}
	for i, r := range rep.Results {
		if r.ID != samples[i].ID {
			t.Errorf("result %d is %s, want sample order", i, r.ID)
		}
	}
	if r := rep.Results[2]; r.Valid || r.Plan == nil || r.PredTools[0] != "get_wether" || r.Error == "" {
		t.Errorf("invalid result kept wrong: %+v", r)
	}
	if rep.Latency.Max < rep.Latency.P95 || rep.Latency.P95 < rep.Latency.P50 || rep.Latency.Max < 50 {
		t.Errorf("latency %+v: want ordered and max >= the 50 ms timeout", rep.Latency)
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Errorf("report does not encode: %v", err)
	}
}

func TestRunClassify(t *testing.T) {
	errQuota := errors.New("quota")
	p := &scripted{errs: map[string]error{"a": fmt.Errorf("wrapped: %w", errQuota), "b": errors.New("other")}}
	rep, err := Run(context.Background(), p, testRegistry(t), []dataset.Sample{sampleFor("a"), sampleFor("b")}, RunOptions{
		Classify: func(err error) string {
			if errors.Is(err, errQuota) {
				return "quota"
			}
			return ""
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors["quota"] != 1 || rep.Errors[errorKindPlanner] != 1 {
		t.Errorf("errors = %v", rep.Errors)
	}
}

// blocking plans each request only when released, so the test controls completion.
type blocking struct {
	release chan struct{}
	started chan struct{}
}

func (b *blocking) Plan(ctx context.Context, _ query.Query) (*plan.Plan, error) {
	b.started <- struct{}{}
	select {
	case <-b.release:
		return weatherMail().Plan(), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	b := &blocking{release: make(chan struct{}), started: make(chan struct{})}
	samples := make([]dataset.Sample, 10)
	for i := range samples {
		samples[i] = sampleFor(fmt.Sprint(i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		rep *Report
		err error
		wg  sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		rep, err = Run(ctx, b, testRegistry(t), samples, RunOptions{Concurrency: 1})
	}()
	// Let two samples finish, then cancel while the third is in flight.
	for range 2 {
		<-b.started
		b.release <- struct{}{}
	}
	<-b.started
	cancel()
	wg.Wait()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if rep == nil || rep.Samples != 2 || rep.Valid != 2 || len(rep.Errors) != 0 {
		t.Fatalf("partial report = %+v, want the 2 completed samples only", rep)
	}
}

func TestRunRejectsMissingInputs(t *testing.T) {
	if _, err := Run(context.Background(), nil, testRegistry(t), nil, RunOptions{}); err == nil {
		t.Error("nil planner accepted")
	}
	if _, err := Run(context.Background(), &scripted{}, nil, nil, RunOptions{}); err == nil {
		t.Error("nil registry accepted")
	}
	rep, err := Run(context.Background(), &scripted{}, testRegistry(t), nil, RunOptions{})
	if err != nil || rep.Samples != 0 {
		t.Errorf("empty run: %+v, %v", rep, err)
	}
}

func TestCombine(t *testing.T) {
	p := &scripted{plans: map[string]*plan.Plan{"good": weatherMail().Plan()}, errs: map[string]error{"bad": errors.New("x")}}
	reg := testRegistry(t)
	a, err := Run(context.Background(), p, reg, []dataset.Sample{sampleFor("good"), sampleFor("good"), sampleFor("good")}, RunOptions{Dataset: "a", Planner: "p"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), p, reg, []dataset.Sample{sampleFor("bad")}, RunOptions{Dataset: "b", Planner: "p"})
	if err != nil {
		t.Fatal(err)
	}
	c := Combine("all", a, b)
	// Sample-weighted: 3 perfect + 1 miss.
	if c.Samples != 4 || c.Valid != 3 || !near(c.NodeF1, 0.75) || !near(c.EditDistance, 0.25) ||
		c.Planner != "p" || c.Dataset != "all" || len(c.Sets) != 2 || c.Errors[errorKindPlanner] != 1 {
		t.Errorf("combined = %+v", c)
	}
}
