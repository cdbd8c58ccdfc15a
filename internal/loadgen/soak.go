package loadgen

import (
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"time"

	"github.com/planwise/planwise/internal/textfmt"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/query"
)

// SoakConfig configures Soak.
type SoakConfig struct {
	// Load is the request mix and its bounds; Load.Warmup also fills the cache before
	// the baseline is taken. Load.URL is set by Soak.
	Load Config
	// Faults are the simulator's faults: kind=prob or model:kind=prob.
	Faults []string
	// LatencyScale multiplies the simulator's latency model.
	LatencyScale float64
	// Answerer plans the simulator's answers.
	Answerer query.Planner
	// MaxGoroutineGrowth and MaxHeapGrowthMiB are the leak bounds, measured after a
	// forced GC against the baseline.
	MaxGoroutineGrowth int
	MaxHeapGrowthMiB   float64
	// Start starts the system under test in this process, its LLM at llmBaseURL (the
	// simulator), serving HTTP on ln; stop stops it and waits for it.
	Start func(ctx context.Context, llmBaseURL string, ln net.Listener) (stop func(), err error)
	// Log receives the start-up line.
	Log io.Writer
}

// SoakReport is the outcome of a soak.
type SoakReport struct {
	Load             *Report  `json:"load"`
	GoroutinesBefore int      `json:"goroutines_before"`
	GoroutinesAfter  int      `json:"goroutines_after"`
	HeapBeforeMiB    float64  `json:"heap_before_mib"`
	HeapAfterMiB     float64  `json:"heap_after_mib"`
	SimRequests      int64    `json:"sim_requests"`
	SimFaults        int64    `json:"sim_faults"`
	Failures         []string `json:"failures"`

	maxGoroutineGrowth int
	maxHeapGrowthMiB   float64
}

func heapMiB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// Soak runs planwise sim (a test double) with faults injected and the system under test
// (c.Start) in this process, drives it with the request mix, and checks that every
// request was answered (no transport error, every non-2xx answer with the API's typed
// error body) and that goroutines and the live heap grew within the bounds. A failed
// check is listed in SoakReport.Failures.
func Soak(ctx context.Context, c SoakConfig) (*SoakReport, error) {
	simCfg := sim.Config{LatencyScale: c.LatencyScale, Seed: c.Load.Seed, Answerer: c.Answerer, HangLimit: 30 * time.Second}
	var err error
	if simCfg.Faults, err = sim.ParseFaultRules(c.Faults); err != nil {
		return nil, fmt.Errorf("--fault: %w", err)
	}
	s, err := sim.New(simCfg)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	simLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	simCtx, stopSim := context.WithCancel(context.Background())
	simDone := make(chan struct{})
	go func() { defer close(simDone); _ = s.Serve(simCtx, simLn) }()
	defer func() { stopSim(); <-simDone }()
	simURL := "http://" + simLn.Addr().String() + "/v1"

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	stop, err := c.Start(ctx, simURL, ln)
	if err != nil {
		ln.Close()
		return nil, err
	}
	defer stop()

	c.Load.URL = "http://" + ln.Addr().String()
	if c.Log != nil {
		fmt.Fprintf(c.Log, "soak: server %s, simulator %s (faults %s), warm-up %s, then %s at concurrency %d\n",
			c.Load.URL, simURL, textfmt.List(c.Faults), c.Load.Warmup, c.Load.Duration, c.Load.Concurrency)
	}

	// Warm up (fills the cache), then take the baseline.
	warm := c.Load
	warm.Duration, warm.Warmup, warm.MaxRequests, warm.Phase = c.Load.Warmup, 0, 0, "soak warm-up"
	if warm.Duration > 0 {
		if _, err := Run(ctx, warm); err != nil {
			return nil, err
		}
	}
	rep := &SoakReport{Failures: []string{}, maxGoroutineGrowth: c.MaxGoroutineGrowth, maxHeapGrowthMiB: c.MaxHeapGrowthMiB}
	rep.GoroutinesBefore, rep.HeapBeforeMiB = runtime.NumGoroutine(), heapMiB()
	run := c.Load
	run.Warmup, run.Phase = 0, "soak"
	if rep.Load, err = Run(ctx, run); err != nil {
		return nil, err
	}
	// Idle connections and finished requests release their goroutines; poll, bounded.
	deadline := time.Now().Add(15 * time.Second)
	for runtime.NumGoroutine() > rep.GoroutinesBefore+c.MaxGoroutineGrowth && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	rep.GoroutinesAfter, rep.HeapAfterMiB = runtime.NumGoroutine(), heapMiB()
	st := s.Stats()
	for _, n := range st.Requests {
		rep.SimRequests += int64(n)
	}
	for _, n := range st.Faults {
		rep.SimFaults += int64(n)
	}

	if rep.Load.ErrorTotal > 0 {
		rep.Failures = append(rep.Failures, fmt.Sprintf("%d requests got no answer: %s", rep.Load.ErrorTotal, textfmt.Counts(rep.Load.Errors)))
	}
	if rep.Load.Untyped > 0 {
		rep.Failures = append(rep.Failures, fmt.Sprintf("%d error answers without a typed error body", rep.Load.Untyped))
	}
	if g := rep.GoroutinesAfter - rep.GoroutinesBefore; g > c.MaxGoroutineGrowth {
		rep.Failures = append(rep.Failures, fmt.Sprintf("goroutines grew by %d (bound %d)", g, c.MaxGoroutineGrowth))
	}
	if h := rep.HeapAfterMiB - rep.HeapBeforeMiB; h > c.MaxHeapGrowthMiB {
		rep.Failures = append(rep.Failures, fmt.Sprintf("live heap grew by %.1f MiB (bound %.0f MiB)", h, c.MaxHeapGrowthMiB))
	}
	return rep, nil
}

// WriteText prints the report for people, and that the soak passed when no check
// failed (the failures are the caller's to show: Failed).
func (rep *SoakReport) WriteText(w io.Writer) {
	rep.Load.WriteText(w)
	fmt.Fprintf(w, "simulator  %d requests, %d faults injected\n", rep.SimRequests, rep.SimFaults)
	fmt.Fprintf(w, "goroutines %d -> %d (bound +%d)\n", rep.GoroutinesBefore, rep.GoroutinesAfter, rep.maxGoroutineGrowth)
	fmt.Fprintf(w, "live heap  %.1f MiB -> %.1f MiB (bound +%.0f MiB)\n", rep.HeapBeforeMiB, rep.HeapAfterMiB, rep.maxHeapGrowthMiB)
	if len(rep.Failures) == 0 {
		fmt.Fprintln(w, "soak passed: every request answered, no growth beyond the bounds")
	}
}

// Failed prints each failed check on w, a line "soak FAILED: ..." each, and reports
// whether any check failed (the process then exits 1).
func (rep *SoakReport) Failed(w io.Writer) bool {
	for _, f := range rep.Failures {
		fmt.Fprintln(w, "soak FAILED:", f)
	}
	return len(rep.Failures) > 0
}
