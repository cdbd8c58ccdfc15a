package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/internal/loadgen"
)

func newBenchCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Load and soak benchmarks against a planwise server",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newBenchLoadCmd(a), newBenchSoakCmd(a), newBenchHitsCmd(a), newBenchTrivialCmd(a))
	return cmd
}

// loadFlags are the flags of a load run.
type loadFlags struct {
	loadgen.Config
	progress progressFlag
}

func (f *loadFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.URL, "url", "http://127.0.0.1:8080", "base URL of the planwise server")
	fl.DurationVar(&f.Duration, "duration", 30*time.Second, "how long to send requests")
	fl.IntVar(&f.Concurrency, "concurrency", 32, "requests in flight (one connection each)")
	fl.Int64Var(&f.MaxRequests, "max-requests", 0, "stop after this many requests (0: only --duration bounds the run)")
	fl.StringVar(&f.Mix, "mix", "repeats=0.6,paraphrases=0.3,new=0.1", "request mix: repeats (exact text sent before), paraphrases (a known request shape with new slot values), new (text never sent)")
	fl.StringVar(&f.Token, "token", "", "API key sent as Authorization: Bearer")
	fl.StringVar(&f.Requests, "requests", "", "request file: one request per line, or JSON lines {\"request\": ...} (default: a built-in set for the built-in tool catalog)")
	fl.DurationVar(&f.Timeout, "timeout", 15*time.Second, "client timeout per request")
	fl.DurationVar(&f.Warmup, "warmup", 0, "send the mix for this long before measuring (fills the cache)")
	fl.Uint64Var(&f.Seed, "seed", 1, "seed of the request mix")
	f.progress.register(cmd)
}

func newBenchLoadCmd(a *cli) *cobra.Command {
	var f loadFlags
	cmd := &cobra.Command{
		Use:   "load",
		Short: "Drive a running server with a realistic request mix and report throughput and latency",
		Long: `Drive POST /api/v1/plan of a running planwise server with a mix of repeated requests,
paraphrases (known request shapes with new slot values) and new requests, from a fixed
number of concurrent clients, for a bounded time and count. Prints throughput, latency
percentiles (p50, p95, p99, max), status codes, answer sources (cache, llm, pattern, ...)
and transport errors.

The load generator shares the machine with the server when both run locally: its CPU
use lowers the server's throughput, so say so when reporting figures.`,
		Example: `  planwise bench load --url http://127.0.0.1:8080 --duration 30s --concurrency 32
  planwise bench load --mix repeats=1 --warmup 2s --duration 30s --json
  planwise bench load --requests requests.txt --token $KEY --max-requests 100000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.Progress = f.progress.writer(cmd, a.Err)
			return a.reportIndented(loadgen.Run(cmd.Context(), f.Config))
		},
	}
	f.register(cmd)
	a.jsonFlag(cmd, false)
	return cmd
}

// soakFlags configure a soak run: the load, the soak's own options (bound to
// loadgen.SoakConfig) and the bounds of the system under test (loadgen.AppTarget).
type soakFlags struct {
	load   loadFlags
	soak   loadgen.SoakConfig
	target loadgen.AppTarget
}

func newBenchSoakCmd(a *cli) *cobra.Command {
	var f soakFlags
	cmd := &cobra.Command{
		Use:   "soak",
		Short: "Soak test: this process runs planwise sim with faults and the server, drives them, and checks for leaks",
		Long: `Run planwise sim (a test double) with injected faults and the planwise HTTP server in
this process, wired from the configuration as planwise serve wires it (with a SQLite
store in a temporary directory and the cache capacity bounded), drive POST /api/v1/plan with the
request mix for --duration, and check at the end that

  - every request was answered: no transport error, and every non-2xx answer carries
    the API's typed error body;
  - goroutines grew by at most --max-goroutine-growth and the live heap by at most
    --max-heap-growth-mib, measured after a forced GC against a baseline taken when the
    warm-up (--warmup, which also fills the cache) ends.

Exit code 1 when a check fails.`,
		Example: `  planwise bench soak --duration 10m --concurrency 16
  planwise bench soak --duration 1m --fault 429=0.1 --fault hang=0.01`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.load.Progress = f.load.progress.writer(cmd, a.Err)
			return runSoak(cmd.Context(), a, f)
		},
	}
	f.load.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVar(&f.soak.Faults, "fault", []string{"429=0.05", "500=0.03", "503=0.02", "malformed=0.02", "invalid_plan=0.03", "truncated=0.02", "hang=0.005"},
		"fault injected by the simulator, kind=prob or model:kind=prob; repeatable")
	fl.Float64Var(&f.soak.LatencyScale, "latency-scale", 0.1, "simulator latency multiplier")
	fl.IntVar(&f.target.CacheCapacity, "cache-capacity", 2000, "cache capacity (bounded so that the heap can plateau)")
	fl.IntVar(&f.target.HistoryPool, "history-pool", 5000, "history success pool bound (history.max_pool; bounded so that the heap can plateau)")
	fl.IntVar(&f.soak.MaxGoroutineGrowth, "max-goroutine-growth", 25, "allowed goroutine growth from the baseline")
	fl.Float64Var(&f.soak.MaxHeapGrowthMiB, "max-heap-growth-mib", 64, "allowed live-heap growth from the baseline, MiB")
	cmd.Flags().Lookup("duration").DefValue = "10m0s"
	f.load.Duration = 10 * time.Minute
	cmd.Flags().Lookup("warmup").DefValue = "30s"
	f.load.Warmup = 30 * time.Second
	cmd.Flags().Lookup("concurrency").DefValue = "16"
	f.load.Concurrency = 16
	a.jsonFlag(cmd, false)
	return cmd
}
