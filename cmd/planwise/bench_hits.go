package main

import (
	"fmt"
	"net"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/internal/loadgen"
)

func newBenchHitsCmd(a *cli) *cobra.Command {
	var (
		duration       time.Duration
		rounds         int
		threads, conns int
		bin            string
		store          string
	)
	cmd := &cobra.Command{
		Use:   "hits",
		Short: "Cache hits over HTTP against a trivial Go JSON server, side by side with wrk",
		Long: `Start planwise sim (latency 0), planwise serve on a fresh SQLite store and a trivial
Go JSON server, fill the cache, then run wrk (Debian package wrk) against the trivial
server and planwise in alternating rounds and report throughput, p50 and p99 of each and
their ratios. Target (issue 13): planwise p99 <= 1.5x and throughput >= 0.8x the trivial
server's.`,
		Example: `  planwise bench hits --duration 10s --rounds 3 --threads 1 --connections 4`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.reportIndented(loadgen.Hits(cmd.Context(), loadgen.HitsConfig{Planwise: bin, Store: store, Duration: duration, Rounds: rounds, Threads: threads, Connections: conns, Progress: a.Err}))
		},
	}
	fl := cmd.Flags()
	fl.DurationVar(&duration, "duration", 10*time.Second, "wrk duration per side and round")
	fl.IntVar(&rounds, "rounds", 3, "rounds; each runs the trivial server then planwise")
	fl.IntVar(&threads, "threads", 1, "wrk threads (-t)")
	fl.IntVar(&conns, "connections", 4, "wrk connections (-c)")
	fl.StringVar(&bin, "planwise", "", "planwise binary to serve (default: this one)")
	fl.StringVar(&store, "store", "sqlite", "planwise's store: sqlite (the default deployment) or memory (no history writes to disk)")
	a.jsonFlag(cmd, false)
	return cmd
}

// newBenchTrivialCmd is the trivial server's process (hidden).
func newBenchTrivialCmd(a *cli) *cobra.Command {
	return &cobra.Command{
		Use:    "trivial-server",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "trivial server listening on http://%s\n", ln.Addr())
			return loadgen.ServeTrivial(cmd.Context(), ln, []byte(os.Getenv("PLANWISE_BENCH_REPLY")))
		},
	}
}
