package execute_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// testTool declares a tool run by the test's builtin runner under its own name.
func testTool(name string, idempotent bool, out string) *tool.Tool {
	t := &tool.Tool{
		Name:        name,
		Description: name,
		InputSchema: json.RawMessage(`{"type":"object"}`),
		Run:         &tool.RunSpec{Kind: tool.RunBuiltin, Builtin: name},
		Idempotent:  idempotent,
	}
	if out != "" {
		t.OutputSchema = json.RawMessage(out)
	}
	return t
}

func mustRegistry(t *testing.T, tools ...*tool.Tool) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func mustPlan(t *testing.T, src string) *plan.Plan {
	t.Helper()
	p, err := plan.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func step(t *testing.T, r *execute.Result, id string) *execute.StepResult {
	t.Helper()
	s, ok := r.Step(id)
	if !ok {
		t.Fatalf("no step %s in result", id)
	}
	return s
}

// fn is a tool implementation for the test runner.
type fn func(ctx context.Context, args map[string]any) (any, error)

// funcs is a Runner dispatching builtin tools to test functions by name.
type funcs map[string]fn

func (f funcs) Run(ctx context.Context, t *tool.Tool, args map[string]any) (any, error) {
	h, ok := f[t.Name]
	if !ok {
		return nil, fmt.Errorf("test runner has no %s", t.Name)
	}
	return h(ctx, args)
}

// window is a [start, end] interval recorded by a tool itself.
type window struct{ start, end time.Time }

type windows struct {
	mu sync.Mutex
	m  map[string]window
}

func (w *windows) set(name string, v window) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m == nil {
		w.m = map[string]window{}
	}
	w.m[name] = v
}

func (w *windows) get(name string) window {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.m[name]
}

// TestIndependentStepsRunConcurrently proves parallelism without timing thresholds: each
// of the three independent tools blocks until all three have started, so the run can only
// succeed if they were in flight together; the dependant must start after all three ended.
func TestIndependentStepsRunConcurrently(t *testing.T) {
	const n = 3
	var started atomic.Int32
	all := make(chan struct{})
	var ws windows
	barrier := func(name string) fn {
		return func(ctx context.Context, args map[string]any) (any, error) {
			w := window{start: time.Now()}
			if started.Add(1) == n {
				close(all)
			}
			select {
			case <-all:
			case <-ctx.Done():
				return nil, fmt.Errorf("%s: the other independent steps never started: %w", name, ctx.Err())
			}
			w.end = time.Now()
			ws.set(name, w)
			return map[string]any{"name": name}, nil
		}
	}
	r := funcs{"a": barrier("a"), "b": barrier("b"), "c": barrier("c"),
		"join": func(ctx context.Context, args map[string]any) (any, error) {
			ws.set("join", window{start: time.Now(), end: time.Now()})
			return args, nil
		}}
	reg := mustRegistry(t, testTool("a", false, ""), testTool("b", false, ""), testTool("c", false, ""), testTool("join", false, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, r), execute.WithStepTimeout(5*time.Second))
	defer ex.Close()
	p := mustPlan(t, `{"steps":[
		{"id":"s1","tool":"a","args":{}},
		{"id":"s2","tool":"b","args":{}},
		{"id":"s3","tool":"c","args":{}},
		{"id":"s4","tool":"join","args":{"x":"${s1.name}","y":"${s2.name}","z":"${s3.name}"}}]}`)
	res := ex.Run(context.Background(), p, execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("status %s: %+v", res.Status, res.Steps)
	}
	// Overlap: every start precedes every end.
	var latestStart, earliestEnd time.Time
	for _, name := range []string{"a", "b", "c"} {
		w := ws.get(name)
		if w.start.After(latestStart) {
			latestStart = w.start
		}
		if earliestEnd.IsZero() || w.end.Before(earliestEnd) {
			earliestEnd = w.end
		}
	}
	if latestStart.After(earliestEnd) {
		t.Errorf("windows do not overlap: last start %v after first end %v", latestStart, earliestEnd)
	}
	join := ws.get("join")
	for _, name := range []string{"a", "b", "c"} {
		if join.start.Before(ws.get(name).end) {
			t.Errorf("dependant started at %v before producer %s ended at %v", join.start, name, ws.get(name).end)
		}
	}
	if got := step(t, res, "s4").Output; fmt.Sprint(got) != "map[x:a y:b z:c]" {
		t.Errorf("s4 output %v", got)
	}
	// The executor's own records agree: every step has a window inside the run's, and
	// the dependant started after its producers finished.
	for _, s := range res.Steps {
		if s.Started.IsZero() || s.Finished.Before(s.Started) || s.DurationMS < 0 ||
			s.Started.Before(res.Started) || s.Finished.After(res.Finished) {
			t.Errorf("%s: window [%v, %v] (%.3f ms) outside run [%v, %v]", s.ID, s.Started, s.Finished, s.DurationMS, res.Started, res.Finished)
		}
	}
	for _, id := range []string{"s1", "s2", "s3"} {
		if step(t, res, "s4").Started.Before(step(t, res, id).Finished) {
			t.Errorf("s4 started before %s finished", id)
		}
	}
}

// TestConcurrencyBound checks that no more than the configured number of tool calls are
// in flight, counted by the tools themselves.
func TestConcurrencyBound(t *testing.T) {
	var inFlight, peak atomic.Int32
	gate := make(chan struct{})
	var calls atomic.Int32
	work := func(ctx context.Context, args map[string]any) (any, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if calls.Add(1) == 2 {
			close(gate) // two are running: let everyone proceed
		}
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return "ok", nil
	}
	reg := mustRegistry(t, testTool("w", false, ""), testTool("src", false, ""))
	ex := execute.New(reg, execute.WithConcurrency(2), execute.WithRunner(tool.RunBuiltin, funcs{
		"w":   work,
		"src": func(context.Context, map[string]any) (any, error) { return []any{1, 2, 3, 4, 5, 6}, nil },
	}))
	p := mustPlan(t, `{"steps":[
		{"id":"s1","tool":"w","args":{}},{"id":"s2","tool":"w","args":{}},{"id":"s3","tool":"w","args":{}},
		{"id":"s4","tool":"src","args":{}},
		{"id":"s5","tool":"w","for_each":"${s4}","args":{"n":"${item}"}}]}`)
	res := ex.Run(context.Background(), p, execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("status %s: %+v", res.Status, res.Steps)
	}
	if peak.Load() > 2 {
		t.Errorf("peak concurrency %d > 2", peak.Load())
	}
	if got := step(t, res, "s5"); got.Items != 6 || len(got.Output.([]any)) != 6 {
		t.Errorf("loop: items %d output %v", got.Items, got.Output)
	}
}

func TestReferences(t *testing.T) {
	reg := mustRegistry(t, testTool("src", false, ""), testTool("echo", false, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"src": func(context.Context, map[string]any) (any, error) {
			return map[string]any{"a": map[string]any{"b": []any{10, "x"}}, "n": 2.5, "ok": true, "name": "Bob"}, nil
		},
		"echo": func(_ context.Context, args map[string]any) (any, error) { return args, nil },
	}))
	p := mustPlan(t, `{"steps":[
		{"id":"s1","tool":"src","args":{}},
		{"id":"s2","tool":"echo","args":{
			"whole":"${s1.a.b}", "idx":"${s1.a.b[0]}", "num":"${s1.n}", "flag":"${s1.ok}",
			"text":"Hi ${s1.name}, n=${s1.n}, b=${s1.a.b}, ok=${s1.ok}",
			"nested":{"list":["${s1.name}", 1]}}},
		{"id":"s3","tool":"echo","args":{"t":"${s1.total}"}}]}`)
	res := ex.Run(context.Background(), p, execute.RunOptions{})
	if res.Status != execute.RunPartial {
		t.Fatalf("status %s", res.Status)
	}
	out := step(t, res, "s2").Output.(map[string]any)
	want := map[string]string{
		"whole":  "[10 x]",
		"idx":    "10",
		"num":    "2.5",
		"flag":   "true",
		"text":   `Hi Bob, n=2.5, b=[10,"x"], ok=true`,
		"nested": "map[list:[Bob 1]]",
	}
	for k, w := range want {
		if got := fmt.Sprint(out[k]); got != w {
			t.Errorf("%s = %s, want %s", k, got, w)
		}
	}
	if _, ok := out["idx"].(int64); !ok {
		t.Errorf("whole reference lost its type: %T", out["idx"])
	}
	s3 := step(t, res, "s3")
	if s3.Status != execute.StepFailed || s3.Error != "s3: ${s1.total}: s1's output has no field total; it has: a, n, name, ok" {
		t.Errorf("s3: %s %q", s3.Status, s3.Error)
	}
}

func TestConditionsAndSkipPropagation(t *testing.T) {
	var ran sync.Map
	rec := func(name string) fn {
		return func(_ context.Context, args map[string]any) (any, error) {
			ran.Store(name, true)
			return map[string]any{"temp": 3, "x": "v"}, nil
		}
	}
	reg := mustRegistry(t, testTool("weather", false, ""), testTool("warm", false, ""), testTool("cold", false, ""),
		testTool("use", false, ""), testTool("later", false, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"weather": rec("weather"), "warm": rec("warm"), "cold": rec("cold"), "use": rec("use"), "later": rec("later"),
	}))
	p := mustPlan(t, `{"steps":[
		{"id":"s1","tool":"weather","args":{}},
		{"id":"s2","tool":"cold","args":{},"if":"s1.temp < 5"},
		{"id":"s3","tool":"warm","args":{},"if":"s1.temp >= 5"},
		{"id":"s4","tool":"use","args":{"v":"${s3.x}"}},
		{"id":"s5","tool":"later","args":{},"after":["s3"]}]}`)
	res := ex.Run(context.Background(), p, execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("status %s", res.Status)
	}
	wantStatus := map[string]string{"s1": "succeeded", "s2": "succeeded", "s3": "skipped", "s4": "skipped", "s5": "succeeded"}
	for id, w := range wantStatus {
		if s := step(t, res, id); s.Status != w {
			t.Errorf("%s: %s (%s), want %s", id, s.Status, s.Error, w)
		}
	}
	if e := step(t, res, "s3").Error; e != "condition false: s1.temp >= 5" {
		t.Errorf("s3 reason %q", e)
	}
	if e := step(t, res, "s4").Error; !strings.Contains(e, "s3") || !strings.Contains(e, "skipped") {
		t.Errorf("s4 reason %q", e)
	}
	if _, ok := ran.Load("warm"); ok {
		t.Error("the false branch ran")
	}
	if _, ok := ran.Load("use"); ok {
		t.Error("a step reading a skipped step's output ran")
	}
}

func TestForEach(t *testing.T) {
	reg := mustRegistry(t, testTool("list", false, ""), testTool("greet", false, ""))
	ex := execute.New(reg, execute.WithLoopConcurrency(2), execute.WithRunner(tool.RunBuiltin, funcs{
		"list": func(context.Context, map[string]any) (any, error) {
			return map[string]any{"people": []any{map[string]any{"name": "a"}, map[string]any{"name": "b"}, map[string]any{"name": "c"}}}, nil
		},
		"greet": func(_ context.Context, args map[string]any) (any, error) { return args["text"], nil },
	}))
	p := mustPlan(t, `{"steps":[
		{"id":"s1","tool":"list","args":{}},
		{"id":"s2","tool":"greet","for_each":"${s1.people}","args":{"text":"hi ${item.name}"}},
		{"id":"s3","tool":"greet","for_each":"${s1.people}","if":"item.name != 'b'","args":{"text":"${item.name}!"}},
		{"id":"s4","tool":"greet","args":{"text":"all: ${s2}"}}]}`)
	res := ex.Run(context.Background(), p, execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("status %s %+v", res.Status, res.Steps)
	}
	s2 := step(t, res, "s2")
	if fmt.Sprint(s2.Output) != "[hi a hi b hi c]" || s2.Items != 3 || s2.Attempts != 3 {
		t.Errorf("s2 output %v items %d attempts %d", s2.Output, s2.Items, s2.Attempts)
	}
	if s3 := step(t, res, "s3"); fmt.Sprint(s3.Output) != "[a! c!]" || s3.Items != 2 {
		t.Errorf("s3 output %v items %d", s3.Output, s3.Items)
	}
	if s4 := step(t, res, "s4"); s4.Output != `all: ["hi a","hi b","hi c"]` {
		t.Errorf("s4 output %v", s4.Output)
	}

	// One failing element fails the step, naming the element.
	ex = execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"list": func(context.Context, map[string]any) (any, error) { return []any{"a", "b", "c"}, nil },
		"greet": func(_ context.Context, args map[string]any) (any, error) {
			if args["text"] == "b" {
				return nil, errors.New("no b")
			}
			return args["text"], nil
		},
	}))
	res = ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"list","args":{}},
		{"id":"s2","tool":"greet","for_each":"${s1}","args":{"text":"${item}"}}]}`), execute.RunOptions{})
	if s2 := step(t, res, "s2"); s2.Status != execute.StepFailed || s2.Error != "s2: item 1: no b" {
		t.Errorf("failing element: %s %q", s2.Status, s2.Error)
	}
	// A for_each over something that is not an array is a step error.
	res = ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"list","args":{}},
		{"id":"s2","tool":"greet","for_each":"${s1.0}","args":{"text":"${item}"}}]}`), execute.RunOptions{})
	if s2 := step(t, res, "s2"); s2.Status != execute.StepFailed || !strings.Contains(s2.Error, "is a string, not an array") {
		t.Errorf("non-array: %s %q", s2.Status, s2.Error)
	}
}

func TestFailureSkipsDependantsOthersComplete(t *testing.T) {
	reg := mustRegistry(t, testTool("boom", false, ""), testTool("ok", false, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"boom": func(context.Context, map[string]any) (any, error) { return nil, errors.New("exploded") },
		"ok":   func(_ context.Context, args map[string]any) (any, error) { return map[string]any{"v": 1}, nil },
	}))
	p := mustPlan(t, `{"steps":[
		{"id":"s1","tool":"boom","args":{}},
		{"id":"s2","tool":"ok","args":{"x":"${s1.v}"}},
		{"id":"s3","tool":"ok","args":{"x":"${s2.v}"}},
		{"id":"s4","tool":"ok","args":{}},
		{"id":"s5","tool":"ok","args":{},"after":["s1"]},
		{"id":"s6","tool":"ok","args":{"y":"${s4.v}"}}]}`)
	res := ex.Run(context.Background(), p, execute.RunOptions{})
	if res.Status != execute.RunPartial {
		t.Fatalf("status %s", res.Status)
	}
	check := func(id, status, errPart string) {
		t.Helper()
		s := step(t, res, id)
		if s.Status != status || !strings.Contains(s.Error, errPart) {
			t.Errorf("%s: %s %q, want %s containing %q", id, s.Status, s.Error, status, errPart)
		}
	}
	check("s1", "failed", "s1: exploded")
	check("s2", "skipped", "not run: s1 failed")
	check("s3", "skipped", "because s1 failed")
	check("s4", "succeeded", "")
	check("s5", "skipped", "s1 failed")
	check("s6", "succeeded", "")
	if step(t, res, "s6").Output == nil {
		t.Error("partial results lost")
	}

	// Nothing succeeded: failed.
	res = ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"boom","args":{}},{"id":"s2","tool":"ok","args":{"x":"${s1}"}}]}`), execute.RunOptions{})
	if res.Status != execute.RunFailed {
		t.Errorf("status %s, want failed", res.Status)
	}
}

func TestRetriesOnlyIdempotent(t *testing.T) {
	var idemCalls, plainCalls, permCalls atomic.Int32
	flaky := func(counter *atomic.Int32) fn {
		return func(context.Context, map[string]any) (any, error) {
			if counter.Add(1) < 3 {
				return nil, errors.New("transient")
			}
			return "ok", nil
		}
	}
	reg := mustRegistry(t, testTool("idem", true, ""), testTool("plain", false, ""), testTool("perm", true, ""))
	ex := execute.New(reg, execute.WithRetry(3, time.Millisecond, 2*time.Millisecond), execute.WithRunner(tool.RunBuiltin, funcs{
		"idem":  flaky(&idemCalls),
		"plain": flaky(&plainCalls),
		"perm": func(context.Context, map[string]any) (any, error) {
			permCalls.Add(1)
			return nil, execute.Permanent(errors.New("bad input"))
		},
	}))
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[
		{"id":"s1","tool":"idem","args":{}},{"id":"s2","tool":"plain","args":{}},{"id":"s3","tool":"perm","args":{}}]}`), execute.RunOptions{})
	if s := step(t, res, "s1"); s.Status != "succeeded" || s.Attempts != 3 || idemCalls.Load() != 3 {
		t.Errorf("idempotent: %s attempts %d calls %d", s.Status, s.Attempts, idemCalls.Load())
	}
	if s := step(t, res, "s2"); s.Status != "failed" || s.Attempts != 1 || plainCalls.Load() != 1 {
		t.Errorf("non-idempotent: %s attempts %d calls %d", s.Status, s.Attempts, plainCalls.Load())
	}
	if s := step(t, res, "s3"); s.Status != "failed" || s.Attempts != 1 || permCalls.Load() != 1 {
		t.Errorf("permanent: %s attempts %d calls %d", s.Status, s.Attempts, permCalls.Load())
	}
}

func TestCancellationStopsRun(t *testing.T) {
	started := make(chan struct{})
	var after atomic.Bool
	reg := mustRegistry(t, testTool("block", false, ""), testTool("next", false, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"block": func(ctx context.Context, _ map[string]any) (any, error) {
			close(started)
			<-ctx.Done()
			return nil, ctx.Err()
		},
		"next": func(context.Context, map[string]any) (any, error) { after.Store(true); return "x", nil },
	}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	res := ex.Run(ctx, mustPlan(t, `{"steps":[{"id":"s1","tool":"block","args":{}},{"id":"s2","tool":"next","args":{"x":"${s1}"}}]}`), execute.RunOptions{})
	if res.Status != execute.RunCanceled {
		t.Fatalf("status %s", res.Status)
	}
	if s := step(t, res, "s1"); s.Status != execute.StepCanceled {
		t.Errorf("s1 %s %q", s.Status, s.Error)
	}
	if s := step(t, res, "s2"); s.Status != execute.StepCanceled {
		t.Errorf("s2 %s %q", s.Status, s.Error)
	}
	if after.Load() {
		t.Error("a step ran after cancellation")
	}
	if !strings.Contains(res.Error, "canceled") {
		t.Errorf("run error %q", res.Error)
	}
}

func TestStepTimeout(t *testing.T) {
	reg := mustRegistry(t, testTool("hang", false, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"hang": func(ctx context.Context, _ map[string]any) (any, error) { <-ctx.Done(); return nil, ctx.Err() },
	}))
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"hang","args":{}}]}`),
		execute.RunOptions{StepTimeout: 20 * time.Millisecond})
	s := step(t, res, "s1")
	if res.Status != execute.RunFailed || s.Status != execute.StepFailed || !strings.Contains(s.Error, "timed out after 20ms") {
		t.Errorf("run %s, step %s %q", res.Status, s.Status, s.Error)
	}
}

func TestInvalidPlanRefused(t *testing.T) {
	reg := mustRegistry(t, testTool("a", false, ""))
	ex := execute.New(reg)
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"nope","args":{}}]}`), execute.RunOptions{})
	if res.Status != execute.RunFailed || !strings.Contains(res.Error, "unknown_tool") {
		t.Errorf("status %s error %q", res.Status, res.Error)
	}
	if len(res.Steps) != 1 || res.Steps[0].Status != execute.StepSkipped {
		t.Errorf("steps %+v", res.Steps)
	}
	if res := ex.Run(context.Background(), nil, execute.RunOptions{}); res.Status != execute.RunFailed {
		t.Errorf("nil plan: %s", res.Status)
	}
}

func TestEvents(t *testing.T) {
	reg := mustRegistry(t, testTool("a", false, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"a": func(context.Context, map[string]any) (any, error) { return 1, nil },
	}))
	var evs []execute.Event
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"a","args":{}},{"id":"s2","tool":"a","args":{"x":"${s1}"}}]}`),
		execute.RunOptions{RunID: "run-1", OnEvent: func(e execute.Event) { evs = append(evs, e) }})
	var types []string
	for _, e := range evs {
		if e.RunID != "run-1" {
			t.Errorf("event run id %q", e.RunID)
		}
		s := e.Type
		if e.Step != nil {
			s += ":" + e.Step.ID
		}
		types = append(types, s)
	}
	want := "run_started step_started:s1 step_finished:s1 step_started:s2 step_finished:s2 run_finished"
	if got := strings.Join(types, " "); got != want {
		t.Errorf("events %s\nwant   %s", got, want)
	}
	if last := evs[len(evs)-1]; last.Result != res || res.ID != "run-1" {
		t.Error("run_finished does not carry the result")
	}
}

func TestArgumentsCheckedAfterResolution(t *testing.T) {
	src := testTool("src", false, "")
	strict := &tool.Tool{Name: "strict", Description: "strict",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"n":{"type":"integer"},"s":{"type":"string"}},"required":["n"]}`),
		Run:         &tool.RunSpec{Kind: tool.RunBuiltin, Builtin: "strict"}}
	var called atomic.Bool
	reg := mustRegistry(t, src, strict)
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"src":    func(context.Context, map[string]any) (any, error) { return map[string]any{"n": "seven"}, nil },
		"strict": func(context.Context, map[string]any) (any, error) { called.Store(true); return nil, nil },
	}))
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"src","args":{}},{"id":"s2","tool":"strict","args":{"n":"${s1.n}"}}]}`), execute.RunOptions{})
	s := step(t, res, "s2")
	if s.Status != execute.StepFailed || !strings.Contains(s.Error, "input schema of strict") || called.Load() {
		t.Errorf("s2 %s %q called=%v", s.Status, s.Error, called.Load())
	}

	// A number referenced whole into a string argument is rendered, as the validator allows.
	var got map[string]any
	ex = execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"src":    func(context.Context, map[string]any) (any, error) { return map[string]any{"n": 7, "f": 2.5}, nil },
		"strict": func(_ context.Context, args map[string]any) (any, error) { got = args; return nil, nil },
	}))
	res = ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"src","args":{}},{"id":"s2","tool":"strict","args":{"n":"${s1.n}","s":"${s1.f}"}}]}`), execute.RunOptions{})
	if res.Status != execute.RunSucceeded || got["n"] != int64(7) || got["s"] != "2.5" {
		t.Errorf("%s: args %#v", res.Status, got)
	}
}

func TestPanickingToolIsAStepError(t *testing.T) {
	reg := mustRegistry(t, testTool("bad", true, ""), testTool("ok", false, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"bad": func(context.Context, map[string]any) (any, error) { panic("nil map") },
		"ok":  func(context.Context, map[string]any) (any, error) { return 1, nil },
	}))
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"bad","args":{}},{"id":"s2","tool":"ok","args":{}}]}`), execute.RunOptions{})
	s1 := step(t, res, "s1")
	if res.Status != execute.RunPartial || s1.Status != execute.StepFailed || !strings.Contains(s1.Error, "panicked: nil map") || s1.Attempts != 1 {
		t.Errorf("run %s, s1 %s %q attempts %d", res.Status, s1.Status, s1.Error, s1.Attempts)
	}
}
