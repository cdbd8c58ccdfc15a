package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
)

func init() { register(newBenchCmd) }

func newBenchCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Load and soak benchmarks against a planwise server",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newBenchLoadCmd(a), newBenchSoakCmd(a), newBenchHitsCmd(a), newBenchTrivialCmd(a))
	return cmd
}

// loadFlags configure a load run.
type loadFlags struct {
	url         string
	duration    time.Duration
	concurrency int
	maxRequests int64
	mix         string
	token       string
	requests    string
	timeout     time.Duration
	warmup      time.Duration
	seed        uint64
	progress    progressFlag
	// progressTo receives the progress bars (nil: none), set from --progress; phase
	// names the measured phase on the bar ("load" when empty).
	progressTo io.Writer
	phase      string
}

func (f *loadFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.url, "url", "http://127.0.0.1:8080", "base URL of the planwise server")
	fl.DurationVar(&f.duration, "duration", 30*time.Second, "how long to send requests")
	fl.IntVar(&f.concurrency, "concurrency", 32, "requests in flight (one connection each)")
	fl.Int64Var(&f.maxRequests, "max-requests", 0, "stop after this many requests (0: only --duration bounds the run)")
	fl.StringVar(&f.mix, "mix", "repeats=0.6,paraphrases=0.3,new=0.1", "request mix: repeats (exact text sent before), paraphrases (a known request shape with new slot values), new (text never sent)")
	fl.StringVar(&f.token, "token", "", "API key sent as Authorization: Bearer")
	fl.StringVar(&f.requests, "requests", "", "request file: one request per line, or JSON lines {\"request\": ...} (default: a built-in set for the built-in tool catalog)")
	fl.DurationVar(&f.timeout, "timeout", 15*time.Second, "client timeout per request")
	fl.DurationVar(&f.warmup, "warmup", 0, "send the mix for this long before measuring (fills the cache)")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the request mix")
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
			f.progressTo = f.progress.writer(cmd, a.Err)
			rep, err := runLoad(cmd.Context(), f)
			if err != nil {
				return err
			}
			return printLoad(a, rep)
		},
	}
	f.register(cmd)
	a.jsonFlag(cmd, false)
	return cmd
}

// mix is the share of each kind of request.
type loadMix struct{ repeats, paraphrases, fresh float64 }

func parseLoadMix(s string) (loadMix, error) {
	var m loadMix
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		x, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || x < 0 {
			return m, fmt.Errorf("--mix %q: want kind=share,... with shares >= 0 (kinds: repeats, paraphrases, new)", s)
		}
		switch k {
		case "repeats":
			m.repeats = x
		case "paraphrases":
			m.paraphrases = x
		case "new":
			m.fresh = x
		default:
			return m, fmt.Errorf("--mix: unknown kind %q (kinds: repeats, paraphrases, new)", k)
		}
	}
	sum := m.repeats + m.paraphrases + m.fresh
	if sum <= 0 {
		return m, fmt.Errorf("--mix %q: the shares add up to 0", s)
	}
	m.repeats, m.paraphrases, m.fresh = m.repeats/sum, m.paraphrases/sum, m.fresh/sum
	return m, nil
}

// requestShape is a request with typed holes: {n} number, {name} capitalised name,
// {word} lower-case word, {url}, {date}, {tz} IANA time zone.
type requestShape string

// benchShapes are requests the built-in catalog (and the pattern planner behind
// planwise sim) can plan.
var benchShapes = []requestShape{
	"Calculate {n} * {n}",
	"Calculate {n} + {n}",
	"Calculate {n} / {n}",
	"Fetch the page {url}",
	"Make an HTTP request to {url}",
	"Send a GET request to {url}",
	"Download {url}",
	"Render the template 'Dear {{name}}' with name {name}",
	"Get the current time in {tz}",
}

var (
	benchNames = []string{"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter"}
	benchZones = []string{"Asia/Tokyo", "Europe/Paris", "America/New_York", "Europe/London", "Australia/Sydney", "America/Chicago", "Asia/Kolkata", "Africa/Cairo"}
	benchWords = []string{"status", "title", "price", "owner", "count", "total", "label", "region", "score", "summary"}
)

func (s requestShape) fill(rng *rand.Rand) string {
	var b strings.Builder
	rest := string(s)
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 || strings.HasPrefix(rest[i:], "{{") {
			if i >= 0 { // a literal {{...}} of a template
				j := strings.Index(rest[i:], "}}")
				b.WriteString(rest[:i+j+2])
				rest = rest[i+j+2:]
				continue
			}
			b.WriteString(rest)
			return b.String()
		}
		j := strings.IndexByte(rest[i:], '}')
		b.WriteString(rest[:i])
		switch rest[i+1 : i+j] {
		case "n":
			b.WriteString(strconv.Itoa(2 + rng.IntN(9998)))
		case "name":
			b.WriteString(benchNames[rng.IntN(len(benchNames))])
		case "word":
			b.WriteString(benchWords[rng.IntN(len(benchWords))])
		case "url":
			fmt.Fprintf(&b, "https://api%d.example.com/v1/items/%d", rng.IntN(50), rng.IntN(100000))
		case "tz":
			b.WriteString(benchZones[rng.IntN(len(benchZones))])
		case "date":
			fmt.Fprintf(&b, "2027-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28))
		default:
			b.WriteString(rest[i : i+j+1])
		}
		rest = rest[i+j+1:]
	}
}

// fileShape turns a request from a file into a shape: its numbers become {n}.
func benchFileShape(req string) requestShape {
	var b strings.Builder
	for i := 0; i < len(req); {
		if req[i] >= '0' && req[i] <= '9' {
			for i < len(req) && req[i] >= '0' && req[i] <= '9' {
				i++
			}
			b.WriteString("{n}")
			continue
		}
		if req[i] == '{' || req[i] == '}' {
			b.WriteString("(") // keep the text free of holes we did not make
			i++
			continue
		}
		b.WriteByte(req[i])
		i++
	}
	return requestShape(b.String())
}

func benchRequests(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--requests: %w", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasPrefix(t, "{") {
			var r struct {
				Request     string `json:"request"`
				UserRequest string `json:"user_request"`
			}
			if err := json.Unmarshal([]byte(t), &r); err != nil {
				return nil, fmt.Errorf("--requests %s:%d: %w", path, line, err)
			}
			t = firstNonEmpty(r.Request, r.UserRequest)
		}
		if t != "" {
			out = append(out, t)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--requests %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--requests %s: no requests", path)
	}
	return out, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// generator makes the request mix. Safe for concurrent use.
type generator struct {
	mix    loadMix
	shapes []requestShape
	mu     sync.Mutex
	rng    *rand.Rand
	seen   []string
	nonce  atomic.Int64
}

func newGenerator(m loadMix, base []string, shapes []requestShape, seed uint64) *generator {
	return &generator{mix: m, shapes: shapes, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), seen: base}
}

// next returns a request of the mix.
func (g *generator) next() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	x := g.rng.Float64()
	switch {
	case x < g.mix.repeats && len(g.seen) > 0:
		return g.seen[g.rng.IntN(len(g.seen))]
	case x < g.mix.repeats+g.mix.paraphrases:
		r := g.shapes[g.rng.IntN(len(g.shapes))].fill(g.rng)
		g.remember(r)
		return r
	default:
		// Never sent before: a known shape, new values and a new project name that is
		// part of the request (so no exact repeat), not a slot.
		r := g.shapes[g.rng.IntN(len(g.shapes))].fill(g.rng) + " for project " + benchProject(g.nonce.Add(1))
		g.remember(r)
		return r
	}
}

// remember keeps up to 4,096 requests for repeats, replacing at random when full.
func (g *generator) remember(r string) {
	if len(g.seen) < 4096 {
		g.seen = append(g.seen, r)
		return
	}
	g.seen[g.rng.IntN(len(g.seen))] = r
}

func benchProject(n int64) string {
	const letters = "bcdfghjklmnpqrstvwxz"
	b := []byte("pro")
	for ; n > 0; n /= int64(len(letters)) {
		b = append(b, letters[n%int64(len(letters))])
	}
	return string(b)
}

// loadReport is the result of a load run.
type loadReport struct {
	URL         string         `json:"url"`
	Concurrency int            `json:"concurrency"`
	Mix         string         `json:"mix"`
	Seconds     float64        `json:"seconds"`
	Requests    int64          `json:"requests"`
	RPS         float64        `json:"requests_per_second"`
	Latency     latencySummary `json:"latency"`
	Status      map[string]int `json:"status"`
	Sources     map[string]int `json:"sources"`
	// Untyped counts non-2xx answers without the API's typed error body.
	Untyped int            `json:"untyped_errors"`
	Errors  map[string]int `json:"errors"`
	// ErrorTotal counts transport errors: requests that got no HTTP answer.
	ErrorTotal int `json:"error_total"`
}

type latencySummary struct {
	P50  float64 `json:"p50_ms"`
	P95  float64 `json:"p95_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
	Mean float64 `json:"mean_ms"`
}

// workerStats are one client's observations, merged at the end.
type workerStats struct {
	lat     []time.Duration
	status  map[int]int
	sources map[string]int
	errs    map[string]int
	untyped int
}

func runLoad(ctx context.Context, f loadFlags) (*loadReport, error) {
	m, err := parseLoadMix(f.mix)
	if err != nil {
		return nil, err
	}
	if f.concurrency < 1 {
		return nil, errors.New("--concurrency must be at least 1")
	}
	if f.duration <= 0 && f.maxRequests <= 0 {
		return nil, errors.New("set a positive --duration or --max-requests")
	}
	shapes := benchShapes
	var base []string
	if f.requests != "" {
		base, err = benchRequests(f.requests)
		if err != nil {
			return nil, err
		}
		shapes = make([]requestShape, len(base))
		for i, r := range base {
			shapes[i] = benchFileShape(r)
		}
	} else {
		rng := rand.New(rand.NewPCG(f.seed, 7))
		for _, s := range benchShapes {
			base = append(base, s.fill(rng))
		}
	}
	gen := newGenerator(m, base, shapes, f.seed)
	url := strings.TrimRight(f.url, "/") + "/api/v1/plan"
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        f.concurrency,
		MaxIdleConnsPerHost: f.concurrency,
		IdleConnTimeout:     90 * time.Second,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: f.timeout}

	if f.warmup > 0 {
		wctx, cancel := context.WithTimeout(ctx, f.warmup)
		prog := startLoadProgress(f.progressTo, "warm-up", f.warmup, 0)
		benchDrive(wctx, client, url, f.token, gen, f.concurrency, 0, prog)
		prog.finish()
		cancel()
	}
	runCtx := ctx
	if f.duration > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, f.duration)
		defer cancel()
	}
	start := time.Now()
	prog := startLoadProgress(f.progressTo, cmp.Or(f.phase, "load"), f.duration, f.maxRequests)
	stats := benchDrive(runCtx, client, url, f.token, gen, f.concurrency, f.maxRequests, prog)
	prog.finish()
	elapsed := time.Since(start)
	return benchSummarise(f, stats, elapsed), nil
}

// drive runs concurrency clients until ctx ends or max requests (0: no bound) were sent.
// prog, when not nil, counts the answers as they come.
func benchDrive(ctx context.Context, client *http.Client, url, token string, gen *generator, concurrency int, max int64, prog *loadProgress) []*workerStats {
	var sent atomic.Int64
	stats := make([]*workerStats, concurrency)
	var wg sync.WaitGroup
	for w := range concurrency {
		st := &workerStats{status: map[int]int{}, sources: map[string]int{}, errs: map[string]int{}}
		stats[w] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			var body []byte
			buf := make([]byte, 0, 4096)
			for ctx.Err() == nil {
				if max > 0 && sent.Add(1) > max {
					return
				}
				body = benchBody(body[:0], gen.next())
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
				if err != nil {
					st.errs[err.Error()]++
					return
				}
				req.Header.Set("Content-Type", "application/json")
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					if ctx.Err() != nil {
						return // the run ended while this request was in flight: not counted
					}
					st.errs[benchClassify(err)]++
					prog.answered(false)
					continue
				}
				buf, err = benchReadAll(res.Body, buf[:0])
				res.Body.Close()
				d := time.Since(t0)
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					st.errs[benchClassify(err)]++
					prog.answered(false)
					continue
				}
				prog.answered(true)
				st.lat = append(st.lat, d)
				st.status[res.StatusCode]++
				if res.StatusCode/100 == 2 {
					st.sources[benchJSONField(buf, "source")]++
				} else if !bytes.Contains(buf, []byte(`"error"`)) || !bytes.Contains(buf, []byte(`"code"`)) {
					st.untyped++
				}
			}
		}()
	}
	wg.Wait()
	return stats
}

func benchBody(b []byte, req string) []byte {
	b = append(b, `{"request":`...)
	q, _ := json.Marshal(req)
	b = append(b, q...)
	return append(b, '}')
}

func benchReadAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// jsonField finds a top-level string field cheaply (the answer's "source"), without
// decoding the whole plan: the load generator must not steal the server's CPU.
func benchJSONField(b []byte, name string) string {
	key := []byte(`"` + name + `":"`)
	i := bytes.LastIndex(b, key)
	if i < 0 {
		return "none"
	}
	rest := b[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return "none"
	}
	return string(rest[:j])
}

func benchClassify(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "connection refused"):
		return "connection refused"
	case strings.Contains(err.Error(), "connection reset"):
		return "connection reset"
	case strings.Contains(err.Error(), "EOF"):
		return "connection closed"
	}
	return err.Error()
}

func benchSummarise(f loadFlags, stats []*workerStats, elapsed time.Duration) *loadReport {
	rep := &loadReport{URL: f.url, Concurrency: f.concurrency, Mix: f.mix, Seconds: elapsed.Seconds(),
		Status: map[string]int{}, Sources: map[string]int{}, Errors: map[string]int{}}
	var lat []time.Duration
	for _, st := range stats {
		lat = append(lat, st.lat...)
		for k, v := range st.status {
			rep.Status[strconv.Itoa(k)] += v
		}
		for k, v := range st.sources {
			rep.Sources[k] += v
		}
		for k, v := range st.errs {
			rep.Errors[k] += v
			rep.ErrorTotal += v
		}
		rep.Untyped += st.untyped
	}
	rep.Requests = int64(len(lat) + rep.ErrorTotal)
	rep.RPS = float64(len(lat)) / elapsed.Seconds()
	if len(lat) > 0 {
		slices.Sort(lat)
		q := func(p float64) float64 {
			i := int(p*float64(len(lat))+0.5) - 1
			return benchMS(lat[min(max(i, 0), len(lat)-1)])
		}
		var sum time.Duration
		for _, d := range lat {
			sum += d
		}
		rep.Latency = latencySummary{P50: q(0.50), P95: q(0.95), P99: q(0.99), Max: benchMS(lat[len(lat)-1]), Mean: benchMS(sum / time.Duration(len(lat)))}
	}
	return rep
}

func benchMS(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func printLoad(a *cli, rep *loadReport) error {
	if a.JSON {
		enc := json.NewEncoder(a.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	w := a.Out
	fmt.Fprintf(w, "target     %s (POST /api/v1/plan), concurrency %d, mix %s\n", rep.URL, rep.Concurrency, rep.Mix)
	fmt.Fprintf(w, "requests   %d answered in %.1fs: %.0f req/s\n", rep.Requests-int64(rep.ErrorTotal), rep.Seconds, rep.RPS)
	l := rep.Latency
	fmt.Fprintf(w, "latency    p50 %.2fms  p95 %.2fms  p99 %.2fms  max %.2fms  mean %.2fms\n", l.P50, l.P95, l.P99, l.Max, l.Mean)
	fmt.Fprintf(w, "status     %s\n", counts(rep.Status))
	fmt.Fprintf(w, "sources    %s\n", counts(rep.Sources))
	fmt.Fprintf(w, "errors     %d transport, %d untyped error answers", rep.ErrorTotal, rep.Untyped)
	if len(rep.Errors) > 0 {
		fmt.Fprintf(w, " (%s)", counts(rep.Errors))
	}
	fmt.Fprintln(w)
	return nil
}

// soakFlags configure a soak run.
type soakFlags struct {
	load            loadFlags
	faults          []string
	latencyScale    float64
	capacity        int
	historyPool     int
	maxGoroutineInc int
	maxHeapIncMiB   float64
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
			f.load.progressTo = f.load.progress.writer(cmd, a.Err)
			return runSoak(cmd.Context(), a, f)
		},
	}
	f.load.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVar(&f.faults, "fault", []string{"429=0.05", "500=0.03", "503=0.02", "malformed=0.02", "invalid_plan=0.03", "truncated=0.02", "hang=0.005"},
		"fault injected by the simulator, kind=prob or model:kind=prob; repeatable")
	fl.Float64Var(&f.latencyScale, "latency-scale", 0.1, "simulator latency multiplier")
	fl.IntVar(&f.capacity, "cache-capacity", 2000, "cache capacity (bounded so that the heap can plateau)")
	fl.IntVar(&f.historyPool, "history-pool", 5000, "history success pool bound (history.max_pool; bounded so that the heap can plateau)")
	fl.IntVar(&f.maxGoroutineInc, "max-goroutine-growth", 25, "allowed goroutine growth from the baseline")
	fl.Float64Var(&f.maxHeapIncMiB, "max-heap-growth-mib", 64, "allowed live-heap growth from the baseline, MiB")
	cmd.Flags().Lookup("duration").DefValue = "10m0s"
	f.load.duration = 10 * time.Minute
	cmd.Flags().Lookup("warmup").DefValue = "30s"
	f.load.warmup = 30 * time.Second
	cmd.Flags().Lookup("concurrency").DefValue = "16"
	f.load.concurrency = 16
	a.jsonFlag(cmd, false)
	return cmd
}
