package execute

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/google/uuid"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// Defaults.
const (
	DefaultConcurrency  = 8
	DefaultStepTimeout  = 30 * time.Second
	DefaultMaxAttempts  = 3
	DefaultBackoffStart = 100 * time.Millisecond
	DefaultBackoffMax   = 2 * time.Second
)

// Executor runs plans against one tool registry. It is safe for concurrent use; Close
// releases the MCP sessions it opened.
type Executor struct {
	// reg is the current registry (SetRegistry replaces it); a run keeps the one it
	// started with.
	reg          atomic.Pointer[tool.Registry]
	runners      map[string]Runner
	concurrency  int
	loopConc     int
	stepTimeout  time.Duration
	maxAttempts  int
	backoffStart time.Duration
	backoffMax   time.Duration
	log          *slog.Logger
	limits       Limits
	owned        []interface{ Close() error } // runners created by New
}

// New returns an Executor for the tools of reg.
func New(reg *tool.Registry, opts ...Option) *Executor {
	e := &Executor{
		concurrency:  DefaultConcurrency,
		stepTimeout:  DefaultStepTimeout,
		maxAttempts:  DefaultMaxAttempts,
		backoffStart: DefaultBackoffStart,
		backoffMax:   DefaultBackoffMax,
		log:          slog.Default(),
	}
	e.reg.Store(reg)
	c := &config{e: e, maxBody: DefaultMaxResponseBytes, runners: map[string]Runner{}}
	for _, o := range opts {
		o(c)
	}
	if e.loopConc <= 0 {
		e.loopConc = e.concurrency
	}
	e.limits.defaults()
	guard := newNetGuard(c.policy)
	e.runners = map[string]Runner{}
	if _, ok := c.runners[tool.RunBuiltin]; !ok {
		e.runners[tool.RunBuiltin] = &BuiltinRunner{HTTP: newGuardedClient(guard), MaxResponseBytes: c.maxBody}
	}
	if _, ok := c.runners[tool.RunHTTP]; !ok {
		e.runners[tool.RunHTTP] = newWebhookRunner(guard, c.maxBody)
	}
	if _, ok := c.runners[tool.RunMCP]; !ok {
		m := NewMCPRunner()
		e.runners[tool.RunMCP] = m
		e.owned = append(e.owned, m)
	}
	if _, ok := c.runners[tool.RunSimulated]; !ok {
		e.runners[tool.RunSimulated] = SimulatedRunner{}
	}
	if _, ok := c.runners[tool.RunGo]; !ok {
		e.runners[tool.RunGo] = GoRunner{}
	}
	for k, r := range c.runners {
		e.runners[k] = r
	}
	return e
}

// Close releases what the executor's runners hold (MCP sessions and the server
// processes they started). Runs in progress may fail afterwards.
func (e *Executor) Close() error {
	var errs []error
	for _, c := range e.owned {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// Registry returns the executor's tool registry.
func (e *Executor) Registry() *tool.Registry { return e.reg.Load() }

// SetRegistry replaces the registry for runs that start afterwards (a tool source's list
// changed); runs in progress finish with the registry they started with.
func (e *Executor) SetRegistry(reg *tool.Registry) { e.reg.Store(reg) }

// Limits returns the limits every run of the executor has (defaults filled in).
func (e *Executor) Limits() Limits { return e.limits }

// RunOptions tune one run.
type RunOptions struct {
	// RunID names the run; a random UUID when empty.
	RunID string
	// StepTimeout bounds one tool call for tools that declare no timeout of their own;
	// zero means the executor's default.
	StepTimeout time.Duration
	// DryRun runs every tool as simulated: nothing real is called.
	DryRun bool
	// OnEvent receives progress events, one at a time, in order, from the run's
	// goroutines. It must not block for long: the run waits for it.
	OnEvent func(Event)
}

// Run executes p and returns its result; it never returns nil. The plan should have
// been validated against the executor's registry; Run validates it again and refuses an
// invalid plan with a failed result naming the problems.
func (e *Executor) Run(ctx context.Context, p *plan.Plan, opts RunOptions) *Result {
	r := &run{e: e, reg: e.reg.Load(), opts: opts}
	if e.limits.RunTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, e.limits.RunTimeout, ErrRunDeadline)
		defer cancel()
	}
	return r.execute(ctx, p)
}

// run is the state of one Run. Fields below "coordinator state" are owned by the
// goroutine that called Run; workers receive snapshots and send back their StepResult.
type run struct {
	e     *Executor
	reg   *tool.Registry
	opts  RunOptions
	res   *Result
	slots chan struct{}
	evMu  sync.Mutex

	// coordinator state
	steps      []*stepInfo
	outputs    []any
	simulated  []bool
	status     []string
	failedRoot []string // for failed steps: their own id; for steps skipped by a failure: the failed step
	cause      error    // why ctx ended, if it did

	calls    atomic.Int64 // real tool calls made (Limits.MaxCalls)
	outBytes atomic.Int64 // JSON size of the outputs kept (Limits.MaxRunBytes)
}

// stepInfo is what the executor derives from a plan step before running it.
type stepInfo struct {
	step       *plan.Step
	tool       *tool.Tool
	deps       []int        // all dependencies (data and ordering)
	dataDeps   map[int]bool // dependencies whose output the step reads
	dependants []int
	cond       *plan.Condition
	condItem   bool // the condition reads ${item}: evaluated per element
	pending    int
}

type stepDone struct {
	idx int
	sr  StepResult
}

func (r *run) emit(ev Event) {
	if r.opts.OnEvent == nil {
		return
	}
	r.evMu.Lock()
	defer r.evMu.Unlock()
	r.opts.OnEvent(ev)
}

func (r *run) execute(ctx context.Context, p *plan.Plan) *Result {
	id := r.opts.RunID
	if id == "" {
		id = uuid.NewString()
	}
	r.res = &Result{ID: id, Started: time.Now()}
	r.emit(Event{Type: EventRunStarted, RunID: id, Time: r.res.Started})
	if err := r.prepare(p); err != nil {
		r.res.Status = RunFailed
		r.res.Error = err.Error()
		if p != nil {
			for _, s := range p.Steps {
				r.res.Steps = append(r.res.Steps, StepResult{ID: s.ID, Tool: s.Tool, Status: StepSkipped, Error: "not run: the plan is invalid"})
			}
		}
		return r.finish()
	}
	n := len(r.steps)
	r.res.Steps = make([]StepResult, n)
	for i, s := range r.steps {
		r.res.Steps[i] = StepResult{ID: s.step.ID, Tool: s.step.Tool}
	}
	r.outputs = make([]any, n)
	r.simulated = make([]bool, n)
	r.status = make([]string, n)
	r.failedRoot = make([]string, n)
	r.slots = make(chan struct{}, r.e.concurrency)

	done := make(chan stepDone, n)
	running := 0
	var ready []int
	for i, s := range r.steps {
		if s.pending == 0 {
			ready = append(ready, i)
		}
	}
	// settle decides, for each step whose dependencies have all finished, whether it
	// runs or is skipped; skipped steps finish at once and may settle their dependants.
	settle := func(queue []int) {
		for len(queue) > 0 {
			i := queue[0]
			queue = queue[1:]
			if sr, skip := r.blocked(ctx, i); skip {
				r.record(i, sr)
				r.emit(Event{Type: EventStepFinished, RunID: id, Time: time.Now(), Step: ptr(r.res.Steps[i])})
				queue = append(queue, r.release(i)...)
				continue
			}
			running++
			sc := r.snapshot(i)
			go func() { done <- stepDone{i, r.runStep(ctx, r.steps[i], sc)} }()
		}
	}
	settle(ready)
	for running > 0 {
		d := <-done
		running--
		r.record(d.idx, d.sr)
		r.emit(Event{Type: EventStepFinished, RunID: id, Time: d.sr.Finished, Step: ptr(r.res.Steps[d.idx])})
		settle(r.release(d.idx))
	}
	if ctx.Err() != nil {
		r.cause = context.Cause(ctx)
	}
	return r.finish()
}

func ptr(sr StepResult) *StepResult { return &sr }

// prepare validates the plan and derives the dependency graph.
func (r *run) prepare(p *plan.Plan) error {
	if p == nil {
		return errors.New("no plan")
	}
	if r.reg == nil {
		return errors.New("the executor has no tool registry")
	}
	if err := plan.Validate(p, r.reg); err != nil {
		return err
	}
	index := make(map[string]int, len(p.Steps))
	for i := range p.Steps {
		index[p.Steps[i].ID] = i
	}
	known := func(id string) bool { _, ok := index[id]; return ok }
	r.steps = make([]*stepInfo, len(p.Steps))
	for i := range p.Steps {
		s := &p.Steps[i]
		t, _ := r.reg.Get(s.Tool)
		si := &stepInfo{step: s, tool: t, dataDeps: map[int]bool{}}
		addData := func(id string) {
			if j, ok := index[id]; ok && j != i {
				si.dataDeps[j] = true
			}
		}
		plan.WalkStrings(s.Args, func(str string) {
			for _, ref := range plan.FindRefs(str) {
				addData(ref.Step)
			}
		})
		for _, ref := range plan.FindRefs(s.ForEach) {
			addData(ref.Step)
		}
		if s.If != "" {
			vars := make([]string, 0, i+1)
			for j := 0; j < i; j++ {
				vars = append(vars, p.Steps[j].ID)
			}
			if s.ForEach != "" {
				vars = append(vars, plan.ItemVar)
			}
			c, err := plan.CompileCondition(s.If, vars)
			if err != nil {
				return fmt.Errorf("%s: condition %q: %w", s.ID, s.If, err)
			}
			si.cond = c
			for _, v := range c.Refs {
				if v == plan.ItemVar {
					si.condItem = true
				} else {
					addData(v)
				}
			}
		}
		seen := map[int]bool{}
		for _, id := range s.Deps(known) {
			if j, ok := index[id]; ok && j != i && !seen[j] {
				seen[j] = true
				si.deps = append(si.deps, j)
			}
		}
		for j := range si.dataDeps {
			if !seen[j] {
				seen[j] = true
				si.deps = append(si.deps, j)
			}
		}
		si.pending = len(si.deps)
		r.steps[i] = si
	}
	for i, si := range r.steps {
		for _, j := range si.deps {
			r.steps[j].dependants = append(r.steps[j].dependants, i)
		}
	}
	return nil
}

// blocked reports whether step i must not run, and the result saying why.
func (r *run) blocked(ctx context.Context, i int) (StepResult, bool) {
	si := r.steps[i]
	sr := StepResult{ID: si.step.ID, Tool: si.step.Tool, Status: StepSkipped}
	for _, j := range si.deps {
		dep := r.steps[j].step.ID
		switch r.status[j] {
		case StepCanceled:
			sr.Status = StepCanceled
			sr.Error = "not run: the run was canceled"
			return sr, true
		case StepFailed:
			r.failedRoot[i] = dep
			sr.Error = fmt.Sprintf("not run: %s failed", dep)
			return sr, true
		case StepSkipped:
			if root := r.failedRoot[j]; root != "" {
				r.failedRoot[i] = root
				sr.Error = fmt.Sprintf("not run: depends on %s, which was not run because %s failed", dep, root)
				return sr, true
			}
			if si.dataDeps[j] {
				sr.Error = fmt.Sprintf("not run: reads the output of %s, which was skipped", dep)
				return sr, true
			}
		}
	}
	if ctx.Err() != nil {
		sr.Status = StepCanceled
		sr.Error = "not run: the run was canceled"
		return sr, true
	}
	return sr, false
}

// release marks step i finished for its dependants and returns those now ready.
func (r *run) release(i int) []int {
	var ready []int
	for _, j := range r.steps[i].dependants {
		r.steps[j].pending--
		if r.steps[j].pending == 0 {
			ready = append(ready, j)
		}
	}
	return ready
}

func (r *run) record(i int, sr StepResult) {
	if sr.Status == StepFailed {
		r.failedRoot[i] = sr.ID
	}
	r.status[i] = sr.Status
	r.outputs[i] = sr.Output
	r.simulated[i] = sr.Simulated
	r.res.Steps[i] = sr
}

// snapshot copies what step i may read: its dependencies' outputs.
func (r *run) snapshot(i int) *scope {
	si := r.steps[i]
	sc := &scope{outputs: make(map[string]any, len(si.deps)), simulated: map[string]bool{}, untyped: map[string]bool{}}
	for _, j := range si.deps {
		id := r.steps[j].step.ID
		if r.status[j] == StepSucceeded {
			sc.outputs[id] = r.outputs[j]
		}
		if r.simulated[j] {
			sc.simulated[id] = true
			if t := r.steps[j].tool; len(t.OutputSchema) == 0 && (t.Run == nil || t.Run.Output == nil) {
				sc.untyped[id] = true
			}
		}
	}
	return sc
}

func (r *run) finish() *Result {
	res := r.res
	res.Finished = time.Now()
	res.DurationMS = durationMS(res.Started, res.Finished)
	if res.Status == "" {
		var ok, failed, canceled int
		for _, s := range res.Steps {
			switch s.Status {
			case StepSucceeded:
				ok++
			case StepFailed:
				failed++
			case StepCanceled:
				canceled++
			}
		}
		switch {
		case canceled > 0 && errors.Is(r.cause, ErrRunDeadline):
			res.Status = RunFailed
			res.Error = fmt.Sprintf("%s: %s, steps still running were canceled (limit execute.run_timeout)", ErrRunDeadline, r.e.limits.RunTimeout)
		case canceled > 0:
			res.Status = RunCanceled
			if r.cause != nil {
				res.Error = "run canceled: " + r.cause.Error()
			}
		case failed == 0:
			res.Status = RunSucceeded
		case ok > 0:
			res.Status = RunPartial
		default:
			res.Status = RunFailed
		}
	}
	r.emit(Event{Type: EventRunFinished, RunID: res.ID, Time: res.Finished, Result: res})
	return res
}

// runStep runs one step in its own goroutine and returns its result.
func (r *run) runStep(ctx context.Context, si *stepInfo, sc *scope) StepResult {
	sr := StepResult{ID: si.step.ID, Tool: si.step.Tool, Started: time.Now()}
	r.emit(Event{Type: EventStepStarted, RunID: r.res.ID, Time: sr.Started, Step: ptr(sr)})
	sr = r.doStep(ctx, si, sc, sr)
	sr.Finished = time.Now()
	sr.DurationMS = durationMS(sr.Started, sr.Finished)
	return sr
}

func (r *run) doStep(ctx context.Context, si *stepInfo, sc *scope, sr StepResult) StepResult {
	s := si.step
	kind := si.tool.RunKind()
	if r.opts.DryRun {
		kind = tool.RunSimulated
	}
	sr.Simulated = kind == tool.RunSimulated
	runner := r.e.runners[kind]
	fail := func(err error) StepResult {
		sr.Status = StepFailed
		if ctx.Err() != nil {
			sr.Status = StepCanceled
		}
		sr.Error = s.ID + ": " + err.Error()
		return sr
	}
	if runner == nil {
		return fail(fmt.Errorf("%w %q (tool %s)", ErrNoRunner, kind, s.Tool))
	}
	if si.cond != nil && !si.condItem {
		ok, err := r.evalCond(si, sc)
		if err != nil {
			return fail(err)
		}
		if !ok {
			sr.Status = StepSkipped
			sr.Error = fmt.Sprintf("condition false: %s", s.If)
			return sr
		}
	}
	call := func(ctx context.Context, sc *scope) (any, int, error) {
		args, err := resolveArgs(s.Args, sc, r.reg.InputSchema(s.Tool), r.e.limits.MaxArgBytes)
		if err != nil {
			return nil, 0, err
		}
		if n := jsonSize(args, r.e.limits.MaxArgBytes); n > r.e.limits.MaxArgBytes {
			return nil, 0, &LimitError{Limit: "execute.max_arg_bytes", Msg: fmt.Sprintf("the resolved arguments are larger than %s", bytesText(r.e.limits.MaxArgBytes))}
		}
		nargs, err := normalize(args)
		if err != nil {
			return nil, 0, err
		}
		args, _ = nargs.(map[string]any)
		if args == nil {
			args = map[string]any{}
		}
		// Resolved arguments are validated before every call: types always (a
		// simulated call too), the whole schema before a real call.
		if err := checkTypes(r.reg.InputSchema(s.Tool), s.Tool, args); err != nil {
			return nil, 0, err
		}
		if !sr.Simulated {
			if err := checkArgs(r.reg, s.Tool, args); err != nil {
				return nil, 0, err
			}
		}
		return r.call(ctx, si.tool, runner, args, sr.Simulated)
	}
	if s.ForEach == "" {
		out, attempts, err := call(ctx, sc)
		sr.Attempts = attempts
		if err != nil {
			return fail(err)
		}
		sr.Status = StepSucceeded
		sr.Output = out
		return sr
	}
	return r.runLoop(ctx, si, sc, sr, call, fail)
}

// runLoop runs a for_each step: one call per element, at most loopConc at a time.
func (r *run) runLoop(ctx context.Context, si *stepInfo, sc *scope, sr StepResult,
	call func(context.Context, *scope) (any, int, error), fail func(error) StepResult) StepResult {
	ref, _ := plan.WholeRef(si.step.ForEach)
	v, err := sc.lookup(ref, &tool.Schema{Type: "array"})
	if err != nil {
		return fail(fmt.Errorf("for_each: %w", err))
	}
	items, ok := v.([]any)
	if !ok {
		if !sc.simulated[ref.Step] {
			return fail(fmt.Errorf("for_each: %s is a %s, not an array", ref.String(), jsonType(v)))
		}
		// An invented output need not have the shape the plan expects: loop once.
		items = []any{v}
	}
	if max := r.e.limits.MaxLoopItems; len(items) > max {
		return fail(&LimitError{Limit: "execute.max_loop_items", Msg: fmt.Sprintf("for_each: %s has %d elements; a loop may have at most %d", ref.String(), len(items), max)})
	}
	type itemResult struct {
		out      any
		ran      bool
		attempts int
		err      error
	}
	results := make([]itemResult, len(items))
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, r.e.loopConc)
	var wg sync.WaitGroup
	for k, item := range items {
		select {
		case sem <- struct{}{}:
		case <-lctx.Done():
		}
		if lctx.Err() != nil {
			break
		}
		isc := &scope{outputs: sc.outputs, simulated: sc.simulated, untyped: sc.untyped, item: item, hasItem: true}
		wg.Go(func() {
			defer func() { <-sem }()
			if si.cond != nil {
				ok, err := r.evalCond(si, isc)
				if err != nil {
					results[k].err = err
					cancel()
					return
				}
				if !ok {
					return
				}
			}
			out, attempts, err := call(lctx, isc)
			results[k] = itemResult{out: out, ran: true, attempts: attempts, err: err}
			if err != nil {
				cancel() // the step fails: stop starting (and running) other elements
			}
		})
	}
	wg.Wait()
	outputs := make([]any, 0, len(items))
	var firstErr error
	for k, ir := range results {
		sr.Attempts += ir.attempts
		if ir.ran {
			sr.Items++
			outputs = append(outputs, ir.out)
		}
		if ir.err != nil && firstErr == nil && !(errors.Is(ir.err, context.Canceled) && ctx.Err() == nil) {
			firstErr = fmt.Errorf("item %d: %w", k, ir.err)
		}
	}
	sr.Output = outputs
	if firstErr == nil && ctx.Err() != nil {
		firstErr = context.Cause(ctx)
	}
	if firstErr != nil {
		return fail(firstErr)
	}
	sr.Status = StepSucceeded
	return sr
}

// evalCond evaluates the step's condition over its dependencies' outputs (and the loop
// element). On simulated outputs a condition that cannot be evaluated (a field the
// simulation did not invent) counts as true, so that a dry run follows the branch.
func (r *run) evalCond(si *stepInfo, sc *scope) (bool, error) {
	vars := make(map[string]any, len(sc.outputs)+1)
	for k, v := range sc.outputs {
		vars[k] = v
	}
	if sc.hasItem {
		item, err := normalize(sc.item)
		if err != nil {
			return false, err
		}
		vars[plan.ItemVar] = item
	}
	ok, err := si.cond.Eval(vars)
	if err != nil {
		for _, ref := range si.cond.Refs {
			if sc.simulated[ref] {
				return true, nil
			}
		}
		return false, err
	}
	return ok, nil
}

// call runs one tool call with its timeout, retrying idempotent tools.
func (r *run) call(ctx context.Context, t *tool.Tool, runner Runner, args map[string]any, simulated bool) (any, int, error) {
	timeout := r.e.stepTimeout
	if r.opts.StepTimeout > 0 {
		timeout = r.opts.StepTimeout
	}
	if t.Run != nil && t.Run.HTTP != nil && t.Run.HTTP.TimeoutMS > 0 && !r.opts.DryRun {
		timeout = time.Duration(t.Run.HTTP.TimeoutMS) * time.Millisecond
	}
	attempts := 0
	op := func() (any, error) {
		select {
		case r.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, backoff.Permanent(context.Cause(ctx))
		}
		if !simulated {
			if n := r.calls.Add(1); n > int64(r.e.limits.MaxCalls) {
				<-r.slots
				return nil, backoff.Permanent(&LimitError{Limit: "execute.max_calls",
					Msg: fmt.Sprintf("the run has made %d tool calls, the most one run may make", r.e.limits.MaxCalls)})
			}
		}
		attempts++
		cctx, cancel := context.WithTimeout(ctx, timeout)
		out, err := safeRun(cctx, runner, t, args)
		timedOut := errors.Is(cctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		<-r.slots
		if err == nil {
			n, nerr := normalize(out)
			if nerr != nil {
				return nil, backoff.Permanent(fmt.Errorf("%s: %w", t.Name, nerr))
			}
			if !simulated {
				if msg := reportedError(n, r.reg.OutputSchema(t.Name)); msg != "" {
					return nil, backoff.Permanent(&ToolReportedError{Tool: t.Name, Message: msg})
				}
			}
			if err := r.keep(n); err != nil {
				return nil, backoff.Permanent(err)
			}
			return n, nil
		}
		if timedOut {
			err = fmt.Errorf("timed out after %s: %w", timeout, err)
		}
		if ctx.Err() != nil || !t.Idempotent || permanentErr(err) {
			return nil, backoff.Permanent(err)
		}
		return nil, err
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = r.e.backoffStart
	b.MaxInterval = r.e.backoffMax
	b.Multiplier = 2
	notify := func(err error, wait time.Duration) {
		r.e.log.DebugContext(ctx, "retrying tool call", "run", r.res.ID, "tool", t.Name,
			"attempt", attempts, "wait", wait, "error", err)
	}
	out, err := backoff.Retry(ctx, op, backoff.WithBackOff(b), backoff.WithMaxTries(uint(r.e.maxAttempts)),
		backoff.WithMaxElapsedTime(0), backoff.WithNotify(notify))
	var pe *backoff.PermanentError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if err != nil && attempts > 1 {
		err = fmt.Errorf("after %d attempts: %w", attempts, err)
	}
	return out, attempts, err
}

// keep accounts for an output the run will hold, refusing one past the output or run
// limits.
func (r *run) keep(out any) error {
	l := r.e.limits
	size := jsonSize(out, l.MaxOutputBytes)
	if size > l.MaxOutputBytes {
		return &LimitError{Limit: "execute.max_output_bytes", Msg: fmt.Sprintf("the tool's output is larger than %s", bytesText(l.MaxOutputBytes))}
	}
	if total := r.outBytes.Add(int64(size)); total > int64(l.MaxRunBytes) {
		return &LimitError{Limit: "execute.max_run_bytes", Msg: fmt.Sprintf("the run's step outputs together pass %s", bytesText(l.MaxRunBytes))}
	}
	return nil
}

// safeRun calls the runner, turning a panic into a permanent step error so that one
// broken tool cannot take the process down.
func safeRun(ctx context.Context, runner Runner, t *tool.Tool, args map[string]any) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, Permanent(fmt.Errorf("tool %s panicked: %v", t.Name, p))
		}
	}()
	return runner.Run(ctx, t, args)
}

// checkArgs validates resolved arguments against the tool's input schema, so that a
// referenced value of the wrong shape is reported before a real tool is called.
func checkArgs(reg *tool.Registry, name string, args map[string]any) error {
	sch := reg.InputValidator(name)
	if sch == nil {
		return nil
	}
	err := sch.Validate(any(args))
	if err == nil {
		return nil
	}
	msg := err.Error()
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = strings.TrimSpace(strings.ReplaceAll(msg[i+1:], "\n", "; "))
	}
	return &ArgError{Msg: "arguments do not match the input schema of " + name + ": " + msg}
}
