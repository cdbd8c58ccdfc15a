package plans

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// kinds are the data-set formats resolveSets reads.
var kinds = []string{"nestful", "taskbench", "bfcl", "cases"}

// Set is one data set to evaluate: its samples and the catalogue they are planned
// against.
type Set struct {
	Name string // "nestful/executable"
	// Catalogs are the catalogue files; none when the samples bring their own tools
	// (bfcl).
	Catalogs []string
	// Now is the date (YYYY-MM-DD) relative dates are read against, or "" for today.
	Now  string
	Load func() ([]dataset.Sample, error)
}

// resolveSets turns a data-set kind (nestful, taskbench, bfcl or cases), a data path
// and an optional set name into the sets to evaluate. Errors name the flags of `planwise
// eval plans` (--data, --set, --dataset).
func resolveSets(kind, data, only string) ([]Set, error) {
	st, err := os.Stat(data)
	if err != nil {
		return nil, fmt.Errorf("--data: %w", err)
	}
	var sets []Set
	switch kind {
	case "nestful":
		if !st.IsDir() {
			if only != "" {
				return nil, errors.New("--set only applies when --data is a directory")
			}
			name := dataset.NESTFULSetName(data)
			return []Set{{Name: "nestful/" + name, Catalogs: []string{dataset.NESTFULSpecPath(data)},
				Load: func() ([]dataset.Sample, error) { return dataset.LoadNESTFUL(data) }}}, nil
		}
		found, err := dataset.FindNESTFULSets(data)
		if err != nil {
			return nil, err
		}
		for _, s := range found {
			sets = append(sets, Set{Name: "nestful/" + s.Name, Catalogs: []string{s.Spec},
				Load: func() ([]dataset.Sample, error) { return dataset.LoadNESTFUL(s.Data) }})
		}
	case "taskbench":
		if !st.IsDir() {
			return nil, fmt.Errorf("--data %s: taskbench needs a domain directory (holding %s and %s)", data, dataset.TaskBenchSamples, dataset.TaskBenchTools)
		}
		domains := dataset.TaskBenchDomains(data, dataset.TaskBenchSamples)
		if len(domains) == 0 {
			return nil, fmt.Errorf("--data %s: no %s here or in its subdirectories", data, dataset.TaskBenchSamples)
		}
		if domains[0] == data && only != "" {
			return nil, errors.New("--set only applies when --data holds several domains")
		}
		for _, dir := range domains {
			sets = append(sets, Set{Name: "taskbench/" + filepath.Base(dir), Catalogs: []string{filepath.Join(dir, dataset.TaskBenchTools)},
				Load: func() ([]dataset.Sample, error) { return dataset.LoadTaskBench(dir) }})
		}
	case "cases":
		files := []string{data}
		if st.IsDir() {
			files, _ = filepath.Glob(filepath.Join(data, "*.yaml"))
			if len(files) == 0 {
				return nil, fmt.Errorf("--data %s: no *.yaml case files here", data)
			}
		} else if only != "" {
			return nil, errors.New("--set only applies when --data is a directory")
		}
		for _, file := range files {
			set, _, err := dataset.LoadCases(file)
			if err != nil {
				return nil, err
			}
			sets = append(sets, Set{Name: "cases/" + set.Name, Catalogs: set.Tools, Now: set.Now,
				Load: func() ([]dataset.Sample, error) { _, s, err := dataset.LoadCases(file); return s, err }})
		}
	case "bfcl":
		if !st.IsDir() {
			return nil, fmt.Errorf("--data %s: bfcl needs the directory holding BFCL_v4_*.json and possible_answer/", data)
		}
		found, err := dataset.FindBFCLSets(data)
		if err != nil {
			return nil, err
		}
		for _, s := range found {
			sets = append(sets, Set{Name: "bfcl/" + s.Name, Load: func() ([]dataset.Sample, error) { return dataset.LoadBFCL(s) }})
		}
	default:
		return nil, fmt.Errorf("--dataset %q: use nestful, taskbench, bfcl or cases", kind)
	}
	if only == "" {
		return sets, nil
	}
	var names []string
	for _, s := range sets {
		short := s.Name[strings.IndexByte(s.Name, '/')+1:]
		if short == only {
			return []Set{s}, nil
		}
		names = append(names, short)
	}
	return nil, fmt.Errorf("--set %q: not found in %s; sets there: %s", only, data, strings.Join(names, ", "))
}

// evaluateOptions configure Evaluate.
type evaluateOptions struct {
	// Kind is the data-set kind, the combined report's name.
	Kind string
	// Base are the tools every set's registry starts with (the built-ins, the configured
	// tool files); each set adds its catalogue.
	Base []*tool.Tool
	// Union offers every question of a set with per-question tools (bfcl) the union of
	// all questions' tools instead of its own.
	Union bool
	// Notes, when not nil, receives notes for people: the union catalogue's size.
	Notes io.Writer
	// Limit keeps at most this many samples of each set (0: all).
	Limit int
	// Concurrency and Timeout are passed to Run.
	Concurrency int
	Timeout     time.Duration
	// LoadTools loads catalogue files (tool.LoadPaths when nil).
	LoadTools func(files ...string) ([]*tool.Tool, error)
	// Planner builds the planner for a registry; now, when not nil, is the clock relative
	// dates are read against. label names the planner in the report.
	Planner func(reg *tool.Registry, now func() time.Time) (p query.Planner, label string, err error)
	// Progress, when set, is called as each set starts: the progress callback for Run and
	// a function called when the set is done.
	Progress func(set string, samples int) (progress func(done, total int), done func())
}

// evaluate loads every set, plans its samples with a planner over its registry (Base
// and the set's catalogue) and returns one report: the set's, or all sets' combined
// (Report.Sets holding each). Interrupted, it returns the report of the sets done so far
// with the error.
func evaluate(ctx context.Context, sets []Set, opts evaluateOptions) (*Report, error) {
	load := opts.LoadTools
	if load == nil {
		load = tool.LoadPaths
	}
	registry := func(extra []*tool.Tool) (*tool.Registry, error) {
		return (*tool.Registry)(nil).Merge(append(append([]*tool.Tool(nil), opts.Base...), extra...)...)
	}
	loaded := make([][]dataset.Sample, len(sets))
	for i, s := range sets {
		var err error
		if loaded[i], err = s.Load(); err != nil {
			return nil, err
		}
		if opts.Limit > 0 && len(loaded[i]) > opts.Limit {
			loaded[i] = loaded[i][:opts.Limit]
		}
	}
	var union []*tool.Tool
	if opts.Union {
		var lists [][]*tool.Tool
		for _, samples := range loaded {
			for _, x := range samples {
				lists = append(lists, x.Tools)
			}
		}
		var merged int
		union, merged = tool.UnionTools(lists...)
		if opts.Notes != nil {
			fmt.Fprintf(opts.Notes, "planwise: union catalogue: %d functions (%d defined differently by different questions: the most common definition of each is offered)\n", len(union), merged)
		}
	}
	var reports []*Report
	for i, s := range sets {
		samples := loaded[i]
		var extra []*tool.Tool
		switch {
		case len(s.Catalogs) > 0:
			var err error
			if extra, err = load(s.Catalogs...); err != nil {
				return nil, fmt.Errorf("%s: tool catalogue: %w", s.Name, err)
			}
		case union != nil:
			extra = union
			// Every question sees the union: the samples' own lists are not used.
			samples = withoutTools(samples)
		}
		reg, err := registry(extra)
		if err != nil {
			return nil, fmt.Errorf("%s: tool catalogue: %w", s.Name, err)
		}
		var now func() time.Time
		if s.Now != "" {
			day, err := time.Parse("2006-01-02", s.Now)
			if err != nil {
				return nil, fmt.Errorf("%s: now %q: want YYYY-MM-DD", s.Name, s.Now)
			}
			// The set's date, advancing with the wall clock so latencies stay real.
			start := time.Now()
			now = func() time.Time { return day.Add(12*time.Hour + time.Since(start)) }
		}
		p, label, err := opts.Planner(reg, now)
		if err != nil {
			return nil, err
		}
		progress, done := func(int, int) {}, func() {}
		if opts.Progress != nil {
			progress, done = opts.Progress(s.Name, len(samples))
		}
		rep, runErr := Run(ctx, p, reg, samples, RunOptions{
			Dataset:     s.Name,
			Planner:     label,
			Concurrency: opts.Concurrency,
			Timeout:     opts.Timeout,
			Progress:    progress,
			Classify:    plannerErrorKind,
			ForRegistry: func(tools []*tool.Tool) (*tool.Registry, query.Planner, error) {
				reg, err := registry(tools)
				if err != nil {
					return nil, nil, err
				}
				p, _, err := opts.Planner(reg, now)
				if err != nil {
					return nil, nil, err
				}
				return reg, p, nil
			},
		})
		done()
		if rep != nil {
			reports = append(reports, rep)
		}
		if runErr != nil {
			if len(reports) == 0 {
				return nil, runErr
			}
			return combine(opts.Kind, reports), runErr
		}
	}
	return combine(opts.Kind, reports), nil
}

// withoutTools returns samples without their own tool lists (they see the run's
// registry).
func withoutTools(samples []dataset.Sample) []dataset.Sample {
	out := make([]dataset.Sample, len(samples))
	for i, x := range samples {
		x.Tools = nil
		out[i] = x
	}
	return out
}

func combine(kind string, reports []*Report) *Report {
	if len(reports) == 1 {
		return reports[0]
	}
	return Combine(kind, reports...)
}

// plannerErrorKind names a planner error by its planner.Error code ("cannot_plan",
// "deadline", ...) for the report's error counts.
func plannerErrorKind(err error) string {
	if pe, ok := planner.AsError(err); ok && pe.Code != "" {
		return pe.Code
	}
	return ""
}

// planwise is an evaluateOptions.Planner over planwise's own planner, without its cache
// (planOnly): build makes it for a registry and a clock (app.App.NewPlanner). Reports
// name it "planwise", or "planwise (offline)" when it uses no LLM, which notes, when not
// nil, is told once.
func planwise(build func(*tool.Registry, func() time.Time) (*planner.Planner, error), notes io.Writer) func(*tool.Registry, func() time.Time) (query.Planner, string, error) {
	var offline sync.Once
	return func(reg *tool.Registry, now func() time.Time) (query.Planner, string, error) {
		p, err := build(reg, now)
		if err != nil {
			return nil, "", err
		}
		if !p.Offline() {
			return planOnly{P: p}, "planwise", nil
		}
		if notes != nil {
			offline.Do(func() {
				fmt.Fprintln(notes, "planwise: no LLM in use (--offline, or no OPENAI_API_KEY / OPENAI_BASE_URL): evaluating the offline planners")
			})
		}
		return planOnly{P: p}, "planwise (offline)", nil
	}
}

// planOnly adapts the full planner to query.Planner: a plan for a request, without the
// cache.
type planOnly struct {
	P *planner.Planner
}

// Plan implements query.Planner.
func (po planOnly) Plan(ctx context.Context, q query.Query) (*plan.Plan, error) {
	resp, err := po.P.Plan(ctx, planner.Request{Text: q.Text, Tenant: q.Tenant, Options: planner.Options{NoCache: true}})
	if err != nil {
		return nil, err
	}
	return resp.Plan, nil
}

// WithoutResults returns a copy of rep (and its sets) without per-sample results.
func (rep *Report) WithoutResults() *Report {
	c := *rep
	c.Results = nil
	c.Sets = make([]*Report, len(rep.Sets))
	for i, s := range rep.Sets {
		c.Sets[i] = s.WithoutResults()
	}
	if len(c.Sets) == 0 {
		c.Sets = nil
	}
	return &c
}

// writePredictionsFile writes the predictions (writePredictions) through a temporary
// file renamed into place, so that an interrupted run never leaves half a file behind.
func writePredictionsFile(path string, rep *Report) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := writePredictions(tmp, rep); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
