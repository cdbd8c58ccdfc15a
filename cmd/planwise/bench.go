package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/client"
	"github.com/planwise/planwise/internal/cliflag"
	"github.com/planwise/planwise/internal/loadgen"
	"github.com/planwise/planwise/internal/progress"
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

// loadFlags are the flags of a load run: its loadgen.Config (the server's URL, key and
// timeout are bench load's client.Flags, a soak's timeout its own), and --progress: bars on stderr when it is a
// terminal (the default), always (--progress) or never (--progress=false). Progress
// never goes to stdout, which carries the report (and --json).
type loadFlags struct {
	loadgen.Config
	progress bool
}

// register declares the flags, with the command's defaults for the duration, the
// warm-up and the concurrency.
func (f *loadFlags) register(cmd *cobra.Command, duration, warmup time.Duration, concurrency int) {
	fl := cmd.Flags()
	fl.Var(cliflag.NewDuration(&f.Duration, duration), "duration", "how long to send requests")
	fl.IntVar(&f.Concurrency, "concurrency", concurrency, "requests in flight (one connection each)")
	fl.Int64Var(&f.MaxRequests, "max-requests", 0, "stop after this many requests (0: only --duration bounds the run)")
	fl.StringVar(&f.Mix, "mix", "repeats=0.6,paraphrases=0.3,new=0.1", "request mix: repeats (exact text sent before), paraphrases (a known request shape with new slot values), new (text never sent)")
	fl.StringVar(&f.Requests, "requests", "", "request file: one request per line, or JSON lines {\"request\": ...} (default: a built-in set for the built-in tool catalog)")
	fl.Var(cliflag.NewDuration(&f.Warmup, warmup), "warmup", "send the mix for this long before measuring (fills the cache)")
	fl.Uint64Var(&f.Seed, "seed", 1, "seed of the request mix")
	fl.BoolVar(&f.progress, "progress", false, "show progress on stderr (default: only when stderr is a terminal)")
}

// config is the load run's configuration, its progress drawn where --progress says.
func (f *loadFlags) config(cmd *cobra.Command, stderr io.Writer) loadgen.Config {
	c := f.Config
	c.Progress = progress.To(stderr, cmd.Flags().Changed("progress"), f.progress)
	return c
}

func newBenchLoadCmd(a *cli) *cobra.Command {
	var (
		f   loadFlags
		srv client.Flags
	)
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
		Example: `  planwise bench load --server http://127.0.0.1:8080 --duration 30s --concurrency 32
  planwise bench load --mix repeats=1 --warmup 2s --duration 30s --json
  planwise bench load --requests requests.txt --api-key-file key.txt --max-requests 100000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c := f.config(cmd, a.Err)
			c.URL, c.Token, c.Timeout = srv.URL, srv.Key, srv.Timeout
			rep, err := loadgen.Run(cmd.Context(), c)
			if n := rep.Refused(); n > 0 {
				fmt.Fprintf(a.Err, "warning: %d of %d requests refused (401 or 403): %s\n", n, rep.Requests, client.KeyHint)
			}
			return a.ReportIndented(rep, err)
		},
	}
	f.register(cmd, 30*time.Second, 0, 32)
	srv.Register(cmd, "http://127.0.0.1:8080", "base URL of the planwise server", a.Err)
	cliflag.Deprecated(cmd.Flags(), &srv.URL, "url", "server", a.Err)
	a.JSONFlag(cmd)
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

Exit code 1 when a check fails. To drive a server already running: planwise bench load.`,
		Example: `  planwise bench soak --duration 10m --concurrency 16
  planwise bench soak --duration 1m --fault 429=0.1 --fault hang=0.01`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := a.App(cmd.Context())
			if err != nil {
				return err
			}
			f.target.Stderr, f.soak.Load, f.soak.Log = a.Err, f.load.config(cmd, a.Err), a.Err
			rep, err := f.target.Soak(cmd.Context(), pw, f.soak)
			if err := a.ReportIndented(rep, err); err != nil || !rep.Failed(a.Err) {
				return err
			}
			return &exitError{code: exitFailed, err: errors.New("")}
		},
	}
	f.load.register(cmd, 10*time.Minute, 30*time.Second, 16)
	fl := cmd.Flags()
	fl.Var(cliflag.NewDuration(&f.load.Timeout, client.DefaultTimeout), "timeout", "timeout of each request to the server")
	fl.StringArrayVar(&f.soak.Faults, "fault", []string{"429=0.05", "500=0.03", "503=0.02", "malformed=0.02", "invalid_plan=0.03", "truncated=0.02", "hang=0.005"},
		"fault injected by the simulator, kind=prob or model:kind=prob; repeatable")
	fl.Float64Var(&f.soak.LatencyScale, "latency-scale", 0.1, "simulator latency multiplier")
	fl.IntVar(&f.target.CacheCapacity, "cache-capacity", 2000, "cache capacity (bounded so that the heap can plateau)")
	fl.IntVar(&f.target.HistoryPool, "history-pool", 5000, "history success pool bound (history.max_pool; bounded so that the heap can plateau)")
	fl.IntVar(&f.soak.MaxGoroutineGrowth, "max-goroutine-growth", 25, "allowed goroutine growth from the baseline")
	fl.Float64Var(&f.soak.MaxHeapGrowthMiB, "max-heap-growth-mib", 64, "allowed live-heap growth from the baseline, MiB")
	a.JSONFlag(cmd)
	return cmd
}

func newBenchHitsCmd(a *cli) *cobra.Command {
	var c loadgen.HitsConfig // the flags of bench hits
	cmd := &cobra.Command{
		Use:   "hits",
		Short: "Cache hits over HTTP against a trivial Go JSON server, side by side with wrk",
		Long: `Start planwise sim (latency 0), planwise serve on a fresh SQLite store and a trivial
Go JSON server, fill the cache, then run wrk (Debian package wrk) against the trivial
server and planwise in alternating rounds and report throughput, p50 and p99 of each and
their ratios. Target (issue 13): planwise p99 <= 1.5x and throughput >= 0.8x the trivial
server's, with no error answer. Exit code 1 when the target is NOT MET (the report is
printed first).`,
		Example: `  planwise bench hits --duration 10s --rounds 3 --threads 1 --connections 4`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c.Progress = a.Err
			rep, err := loadgen.Hits(cmd.Context(), c)
			if err := a.ReportIndented(rep, err); err != nil || rep.TargetMet {
				return err
			}
			return &exitError{code: exitFailed, err: errors.New("the hit-path target is " + rep.Verdict())}
		},
	}
	fl := cmd.Flags()
	fl.Var(cliflag.NewDuration(&c.Duration, 10*time.Second), "duration", "wrk duration per side and round")
	fl.IntVar(&c.Rounds, "rounds", 3, "rounds; each runs the trivial server then planwise")
	fl.IntVar(&c.Threads, "threads", 1, "wrk threads (-t)")
	fl.IntVar(&c.Connections, "connections", 4, "wrk connections (-c)")
	fl.StringVar(&c.Planwise, "planwise", "", "planwise binary to serve (default: this one)")
	fl.StringVar(&c.Store, "store", "sqlite", "planwise's store: sqlite (the default deployment) or memory (no history writes to disk)")
	a.JSONFlag(cmd)
	return cmd
}

// newBenchTrivialCmd is the trivial server's process (hidden).
func newBenchTrivialCmd(a *cli) *cobra.Command {
	return &cobra.Command{
		Use:    "trivial-server",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return loadgen.TrivialChild(cmd.Context(), a.Out)
		},
	}
}
