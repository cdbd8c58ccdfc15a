// Package loadgen drives a running planwise server with a realistic request mix (Run),
// soaks one in this process with faults injected in the simulator (Soak), and measures
// cache hits over HTTP against a trivial Go JSON server with wrk (Hits). `planwise bench`
// prints their reports.
package loadgen

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

	"github.com/planwise/planwise/internal/readall"
	"github.com/planwise/planwise/internal/textfmt"
)

// Config configures a load run.
type Config struct {
	// URL is the server's base URL.
	URL string
	// Duration bounds the run, MaxRequests the requests sent (0: only Duration).
	Duration    time.Duration
	Concurrency int
	MaxRequests int64
	// Mix is the request mix: repeats=0.6,paraphrases=0.3,new=0.1.
	Mix string
	// Token is sent as Authorization: Bearer.
	Token string
	// Requests is a request file: one request per line, or JSON lines {"request": ...}
	// (default: a built-in set for the built-in tool catalog).
	Requests string
	// Timeout bounds each request.
	Timeout time.Duration
	// Warmup sends the mix for this long before measuring (fills the cache).
	Warmup time.Duration
	Seed   uint64
	// Progress receives the progress bars (nil: none); Phase names the measured phase
	// on the bar ("load" when empty).
	Progress io.Writer
	Phase    string
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

// benchShapes are requests the built-in catalog plans, offline and with planwise sim
// (whose model is the same pattern planner): a load run measures answers, not refusals.
// TestBuiltinShapesPlan plans every shape, filled many times; a shape the planner comes
// to refuse fails it.
var benchShapes = []requestShape{
	"Calculate {n} * {n}",
	"Calculate {n} + {n}",
	"Calculate {n} / {n}",
	"Fetch the page {url}",
	"Fetch the JSON from {url}",
	"Send a GET request to {url}",
	"Add {n} days to {date}",
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

// Report is the result of a load run.
type Report struct {
	URL         string         `json:"url"`
	Concurrency int            `json:"concurrency"`
	Mix         string         `json:"mix"`
	Seconds     float64        `json:"seconds"`
	Requests    int64          `json:"requests"`
	RPS         float64        `json:"requests_per_second"`
	Latency     Latency        `json:"latency"`
	Status      map[string]int `json:"status"`
	Sources     map[string]int `json:"sources"`
	// Untyped counts non-2xx answers without the API's typed error body.
	Untyped int            `json:"untyped_errors"`
	Errors  map[string]int `json:"errors"`
	// ErrorTotal counts transport errors: requests that got no HTTP answer.
	ErrorTotal int `json:"error_total"`
}

// Refused counts the answers that refused the requests' API key (401 or 403): a run
// refused for its key measures nothing. A nil report has none.
func (rep *Report) Refused() int {
	if rep == nil {
		return 0
	}
	return rep.Status["401"] + rep.Status["403"]
}

type Latency struct {
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

// Run drives POST /api/v1/plan of the server at c.URL with the request mix from
// c.Concurrency clients, after the warm-up, until c.Duration passed or c.MaxRequests were
// sent, and reports throughput, latency, status codes, answer sources and transport
// errors.
func Run(ctx context.Context, c Config) (*Report, error) {
	f := c
	m, err := parseLoadMix(f.Mix)
	if err != nil {
		return nil, err
	}
	if f.Concurrency < 1 {
		return nil, errors.New("--concurrency must be at least 1")
	}
	if f.Duration <= 0 && f.MaxRequests <= 0 {
		return nil, errors.New("set a positive --duration or --max-requests")
	}
	shapes := benchShapes
	var base []string
	if f.Requests != "" {
		base, err = benchRequests(f.Requests)
		if err != nil {
			return nil, err
		}
		shapes = make([]requestShape, len(base))
		for i, r := range base {
			shapes[i] = benchFileShape(r)
		}
	} else {
		rng := rand.New(rand.NewPCG(f.Seed, 7))
		for _, s := range benchShapes {
			base = append(base, s.fill(rng))
		}
	}
	gen := newGenerator(m, base, shapes, f.Seed)
	url := strings.TrimRight(f.URL, "/") + "/api/v1/plan"
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        f.Concurrency,
		MaxIdleConnsPerHost: f.Concurrency,
		IdleConnTimeout:     90 * time.Second,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: f.Timeout}

	if f.Warmup > 0 {
		wctx, cancel := context.WithTimeout(ctx, f.Warmup)
		prog := startLoadProgress(f.Progress, "warm-up", f.Warmup, 0)
		benchDrive(wctx, client, url, f.Token, gen, f.Concurrency, 0, prog)
		prog.finish()
		cancel()
	}
	runCtx := ctx
	if f.Duration > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, f.Duration)
		defer cancel()
	}
	start := time.Now()
	prog := startLoadProgress(f.Progress, cmp.Or(f.Phase, "load"), f.Duration, f.MaxRequests)
	stats := benchDrive(runCtx, client, url, f.Token, gen, f.Concurrency, f.MaxRequests, prog)
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
				buf, err = readall.Into(res.Body, buf[:0])
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

func benchSummarise(f Config, stats []*workerStats, elapsed time.Duration) *Report {
	rep := &Report{URL: f.URL, Concurrency: f.Concurrency, Mix: f.Mix, Seconds: elapsed.Seconds(),
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
		rep.Latency = Latency{P50: q(0.50), P95: q(0.95), P99: q(0.99), Max: benchMS(lat[len(lat)-1]), Mean: benchMS(sum / time.Duration(len(lat)))}
	}
	return rep
}

func benchMS(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// WriteText prints the report for people.
func (rep *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "target     %s (POST /api/v1/plan), concurrency %d, mix %s\n", rep.URL, rep.Concurrency, rep.Mix)
	fmt.Fprintf(w, "requests   %d answered in %.1fs: %.0f req/s\n", rep.Requests-int64(rep.ErrorTotal), rep.Seconds, rep.RPS)
	l := rep.Latency
	fmt.Fprintf(w, "latency    p50 %.2fms  p95 %.2fms  p99 %.2fms  max %.2fms  mean %.2fms\n", l.P50, l.P95, l.P99, l.Max, l.Mean)
	fmt.Fprintf(w, "status     %s\n", textfmt.Counts(rep.Status))
	fmt.Fprintf(w, "sources    %s\n", textfmt.Counts(rep.Sources))
	fmt.Fprintf(w, "errors     %d transport, %d untyped error answers", rep.ErrorTotal, rep.Untyped)
	if len(rep.Errors) > 0 {
		fmt.Fprintf(w, " (%s)", textfmt.Counts(rep.Errors))
	}
	fmt.Fprintln(w)
}
