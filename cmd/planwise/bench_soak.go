package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/offline"
	"github.com/planwise/planwise/server"
)

// soakReport is the outcome of a soak.
type soakReport struct {
	Load             *loadReport `json:"load"`
	GoroutinesBefore int         `json:"goroutines_before"`
	GoroutinesAfter  int         `json:"goroutines_after"`
	HeapBeforeMiB    float64     `json:"heap_before_mib"`
	HeapAfterMiB     float64     `json:"heap_after_mib"`
	SimRequests      int64       `json:"sim_requests"`
	SimFaults        int64       `json:"sim_faults"`
	Failures         []string    `json:"failures"`
}

func benchHeapMiB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

func runSoak(ctx context.Context, a *cli, f soakFlags) error {
	tools, err := a.App(ctx, app.Options{})
	if err != nil {
		return err
	}
	reg, err := tools.Registry()
	if err != nil {
		return err
	}
	conf := *tools.Config() // this soak's own copy: its simulator, store and bounds
	cfg := &conf
	simCfg := sim.Config{LatencyScale: f.latencyScale, Seed: f.load.seed, Answerer: offline.NewPattern(reg), HangLimit: 30 * time.Second}
	for _, spec := range f.faults {
		r, err := sim.ParseFaultRule(spec)
		if err != nil {
			return fmt.Errorf("--fault: %w", err)
		}
		simCfg.Faults = append(simCfg.Faults, r)
	}
	s, err := sim.New(simCfg)
	if err != nil {
		return err
	}
	defer s.Close()
	simLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	simSrv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	simDone := make(chan struct{})
	go func() { defer close(simDone); simSrv.Serve(simLn) }()
	defer func() {
		s.Close()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		simSrv.Shutdown(sctx)
		cancel()
		<-simDone
	}()

	cfg.LLM.BaseURL, cfg.LLM.APIKey = "http://"+simLn.Addr().String()+"/v1", "sim"
	// The production default, SQLite, in a private directory: with the memory driver the
	// history keeps every record in memory, which is growth by design.
	dir, err := os.MkdirTemp("", "planwise-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.Store.Driver, cfg.Store.Path = "sqlite", filepath.Join(dir, "soak.db")
	cfg.Cache.Enabled, cfg.Cache.Capacity = true, f.capacity
	cfg.History.MaxPool = f.historyPool
	pw, err := app.New(ctx, cfg, app.Options{Registry: reg, Stderr: a.Err})
	if err != nil {
		return err
	}
	defer pw.Close()
	p, err := pw.Planner(ctx)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srvCtx, stopSrv := context.WithCancel(ctx)
	srvDone := make(chan error, 1)
	srv := server.New(server.Config{ReadTimeout: cfg.Server.ReadTimeout, WriteTimeout: cfg.Server.WriteTimeout,
		IdleTimeout: cfg.Server.IdleTimeout, MaxBodyBytes: cfg.Server.MaxBodyBytes}, p)
	go func() { srvDone <- srv.Serve(srvCtx, ln, 10*time.Second) }()
	defer func() { stopSrv(); <-srvDone }()

	f.load.url = "http://" + ln.Addr().String()
	fmt.Fprintf(a.Err, "soak: server %s, simulator %s (faults %s), warm-up %s, then %s at concurrency %d\n",
		f.load.url, cfg.LLM.BaseURL, list(f.faults), f.load.warmup, f.load.duration, f.load.concurrency)

	// Warm up (fills the cache), then take the baseline.
	warm := f.load
	warm.duration, warm.warmup, warm.maxRequests, warm.phase = f.load.warmup, 0, 0, "soak warm-up"
	if warm.duration > 0 {
		if _, err := runLoad(ctx, warm); err != nil {
			return err
		}
	}
	rep := &soakReport{Failures: []string{}}
	rep.GoroutinesBefore, rep.HeapBeforeMiB = runtime.NumGoroutine(), benchHeapMiB()
	run := f.load
	run.warmup, run.phase = 0, "soak"
	if rep.Load, err = runLoad(ctx, run); err != nil {
		return err
	}
	// Idle connections and finished requests release their goroutines; poll, bounded.
	deadline := time.Now().Add(15 * time.Second)
	for runtime.NumGoroutine() > rep.GoroutinesBefore+f.maxGoroutineInc && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	rep.GoroutinesAfter, rep.HeapAfterMiB = runtime.NumGoroutine(), benchHeapMiB()
	st := s.Stats()
	for _, n := range st.Requests {
		rep.SimRequests += int64(n)
	}
	for _, n := range st.Faults {
		rep.SimFaults += int64(n)
	}

	if rep.Load.ErrorTotal > 0 {
		rep.Failures = append(rep.Failures, fmt.Sprintf("%d requests got no answer: %s", rep.Load.ErrorTotal, counts(rep.Load.Errors)))
	}
	if rep.Load.Untyped > 0 {
		rep.Failures = append(rep.Failures, fmt.Sprintf("%d error answers without a typed error body", rep.Load.Untyped))
	}
	if g := rep.GoroutinesAfter - rep.GoroutinesBefore; g > f.maxGoroutineInc {
		rep.Failures = append(rep.Failures, fmt.Sprintf("goroutines grew by %d (bound %d)", g, f.maxGoroutineInc))
	}
	if h := rep.HeapAfterMiB - rep.HeapBeforeMiB; h > f.maxHeapIncMiB {
		rep.Failures = append(rep.Failures, fmt.Sprintf("live heap grew by %.1f MiB (bound %.0f MiB)", h, f.maxHeapIncMiB))
	}
	if a.JSON {
		enc := json.NewEncoder(a.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printLoad(a, rep.Load)
		fmt.Fprintf(a.Out, "simulator  %d requests, %d faults injected\n", rep.SimRequests, rep.SimFaults)
		fmt.Fprintf(a.Out, "goroutines %d -> %d (bound +%d)\n", rep.GoroutinesBefore, rep.GoroutinesAfter, f.maxGoroutineInc)
		fmt.Fprintf(a.Out, "live heap  %.1f MiB -> %.1f MiB (bound +%.0f MiB)\n", rep.HeapBeforeMiB, rep.HeapAfterMiB, f.maxHeapIncMiB)
	}
	if len(rep.Failures) > 0 {
		for _, fl := range rep.Failures {
			fmt.Fprintln(a.Err, "soak FAILED:", fl)
		}
		return &exitError{code: 1, err: errors.New("")}
	}
	if !a.JSON {
		fmt.Fprintln(a.Out, "soak passed: every request answered, no growth beyond the bounds")
	}
	return nil
}
