package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/internal/conntest"
	"github.com/planwise/planwise/internal/cputime"
	"github.com/planwise/planwise/internal/loadgen"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// servingApp is what planwise serve runs, on a fresh SQLite store and planwise sim
// (its pattern planner, no latency) as the LLM, serving on a loopback listener: its
// API handler, and stop, which ends Serve and returns its error once the history queue
// has written every record. addr is the listener's (host:port). Everything else is
// closed when tb ends.
func servingApp(tb testing.TB) (h http.Handler, addr string, stop func() error) {
	tb.Helper()
	s, err := sim.New(sim.Config{LatencyScale: 0, PlannerFor: func(r *tool.Registry) query.Planner { return pattern.NewPattern(r) }})
	if err != nil {
		tb.Fatal(err)
	}
	simSrv := httptest.NewServer(s)
	tb.Cleanup(func() { simSrv.Close(); s.Close() })
	cfg := app.DefaultConfig()
	cfg.Store.Driver, cfg.Store.Path = "sqlite", filepath.Join(tb.TempDir(), "planwise.db")
	cfg.LLM.BaseURL, cfg.LLM.APIKey = simSrv.URL+"/v1", "test"
	cfg.Server.DrainDelay = 0
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	a, err := app.New(ctx, &cfg, app.Options{Serve: true, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	srv, err := a.Server(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	return srv.Handler(), ln.Addr().String(), func() error { cancel(); return <-served }
}

// BenchmarkServeCacheHit measures a cache hit through what planwise serve runs (the
// planwise side of planwise bench hits) without the network: the App's handler (edge,
// authentication, the planner with its metrics, routing and cache) and, behind it, the
// history queue writing the hits' records to SQLite in batches. cpu-ns/op is the
// process's CPU time per request (getrusage), the queue's goroutine and the garbage
// collector included, until Serve has written the last record: on two cores ns/op (the
// loop's wall time) does not show the work done beside the loop.
//
//	go test -run XXX -bench ServeCacheHit -benchtime 30000x ./app/
func BenchmarkServeCacheHit(b *testing.B) {
	h, _, stop := servingApp(b)
	const body = `{"request":"calculate (12.5 + 7) * 3"}`
	// Each request is a copy of one made by httptest, with a body of its own: a server
	// reads a request into a connection's buffers, where httptest.NewRequest gives each
	// one a reader of 4 KB, as much garbage again as the whole hit makes.
	tmpl := httptest.NewRequest("POST", "/api/v1/plan", nil)
	tmpl.Header.Set("Content-Type", "application/json")
	tmpl.ContentLength = int64(len(body))
	// The recorder sets the body's read deadline on a connection, as serve's response
	// writer does, where httptest's alone made the server allocate an error serve never
	// makes (internal/conntest).
	rec := conntest.NewRecorder(b)
	hit := func() *httptest.ResponseRecorder {
		rec.Reset()
		r := new(http.Request)
		*r = *tmpl
		r.Body = io.NopCloser(strings.NewReader(body))
		h.ServeHTTP(rec, r)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
		return rec.ResponseRecorder
	}
	for i := 0; ; i++ {
		var resp planner.Response
		if err := json.Unmarshal(hit().Body.Bytes(), &resp); err != nil {
			b.Fatal(err)
		}
		if resp.Source == planner.SourceCache {
			break
		}
		if i == 10 {
			b.Fatalf("not served from the cache after 10 requests: %+v", resp)
		}
	}

	b.ReportAllocs()
	cpu0, _ := cputime.Process()
	n := 0
	for b.Loop() {
		hit()
		n++
	}
	if err := stop(); err != nil { // (Serve returns once the queue has written every record)
		b.Fatal(err)
	}
	if cpu1, ok := cputime.Process(); ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(n), "cpu-ns/op")
	}
}

// BenchmarkHTTPCacheHit is planwise bench hits in one process: the same request POSTed
// on one kept-alive loopback connection (conntest.Poster, a client that allocates
// nothing) to the trivial Go JSON server of bench hits (loadgen.TrivialHandler, answering
// planwise's reply from memory) and to what planwise serve runs, its http.Server
// included. What planwise spends beyond the trivial server is the difference of the
// two: run under callgrind with GOMAXPROCS=1 (client and server then share one thread,
// and the count is the instructions of both), or read cpu-ns/op (the process's CPU
// time a request, the history queue's and the collector's included).
//
//	go test -run XXX -bench HTTPCacheHit -benchtime 30000x ./app/
func BenchmarkHTTPCacheHit(b *testing.B) {
	const body = `{"request":"calculate (12.5 + 7) * 3"}`
	_, addr, stop := servingApp(b)
	pw := conntest.NewPoster(b, addr, "/api/v1/plan", body)
	var reply []byte
	for i := 0; ; i++ {
		status, got, err := pw.Post()
		if err != nil || status != 200 {
			b.Fatalf("%d %s %v", status, got, err)
		}
		var resp planner.Response
		if err := json.Unmarshal(got, &resp); err != nil {
			b.Fatal(err)
		}
		if resp.Source == planner.SourceCache {
			reply = bytes.Clone(got)
			break
		}
		if i == 10 {
			b.Fatalf("not served from the cache after 10 requests: %+v", resp)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	trivialDone := make(chan error, 1)
	go func() { trivialDone <- loadgen.ServeTrivial(ctx, ln, reply) }()
	b.Cleanup(func() { cancel(); <-trivialDone })
	tv := conntest.NewPoster(b, ln.Addr().String(), "/api/v1/plan", body)

	run := func(b *testing.B, p *conntest.Poster, done func() error) {
		b.ReportAllocs()
		cpu0, _ := cputime.Process()
		n := 0
		for b.Loop() {
			if status, got, err := p.Post(); err != nil || status != 200 {
				b.Fatalf("%d %s %v", status, got, err)
			}
			n++
		}
		if done != nil {
			if err := done(); err != nil {
				b.Fatal(err)
			}
		}
		if cpu1, ok := cputime.Process(); ok {
			b.ReportMetric(float64(cpu1-cpu0)/float64(n), "cpu-ns/op")
		}
	}
	b.Run("trivial", func(b *testing.B) { run(b, tv, nil) })
	// planwise last: stop ends Serve once the history queue has written every record, so
	// that the queue's work is counted, and the server cannot serve again.
	b.Run("planwise", func(b *testing.B) { run(b, pw, stop) })
}
