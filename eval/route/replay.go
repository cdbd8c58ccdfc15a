package routeeval

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/route"
)

// Quality is the probability, per gold shape, that a model's plan is invalid.
type Quality struct {
	Simple, Moderate, Complex float64
}

func (q Quality) of(t route.Tier) float64 {
	switch t {
	case route.Simple:
		return q.Simple
	case route.Moderate:
		return q.Moderate
	case route.Complex:
		return q.Complex
	}
	return 0
}

// DefaultMiniFail is the replay's default quality assumption: the cheap model fails
// rarely on one-step requests, sometimes on chains and often on DAGs (and the strong
// model sometimes on DAGs, DefaultStrongFail). These are assumptions of the
// simulation, stated in every report, not measurements.
func DefaultMiniFail() Quality { return Quality{Simple: 0.02, Moderate: 0.10, Complex: 0.40} }

// DefaultStrongFail is the strong model's invalid-plan probability on DAG requests.
const DefaultStrongFail = 0.05

// ReplayConfig configures Replay.
type ReplayConfig struct {
	// Requests is the number of held-out requests replayed (default 200).
	Requests int
	// MiniFail is the cheap model's (route.DefaultCheapModel) invalid-plan probability
	// per gold shape; StrongFail is the strong model's on DAG requests.
	MiniFail   Quality
	StrongFail float64
	// LatencyScale multiplies the simulator's latency model (0: none).
	LatencyScale float64
	// Concurrency is the number of requests in flight (default 8).
	Concurrency int
	// Seed seeds the simulator and the quality model's draws.
	Seed uint64
	// PerCall draws a model's failure independently for every call (so the repair
	// round often fixes it). By default a model fails a request for all its calls: a
	// request the model cannot plan stays unplanned after repair, and only the
	// cascade helps, which is the harder case for routing.
	PerCall bool
}

// ReplayRun is one pass over the workload.
type ReplayRun struct {
	Name     string `json:"name"`
	Requests int    `json:"requests"`
	// LLMValid counts requests answered by the LLM with a valid plan (after repair
	// and cascade); the rest fell back to the offline planners or failed.
	LLMValid     int     `json:"llm_valid"`
	Validity     float64 `json:"validity"`
	Fallbacks    int     `json:"fallbacks"`
	Errors       int     `json:"errors"`
	CostUSD      float64 `json:"cost_usd"`
	CostPerValid float64 `json:"cost_per_valid_usd"`
	// Calls counts chat completions per model, repairs and cascades included.
	Calls      map[string]int `json:"calls"`
	Escalated  int            `json:"escalated"`
	FinalModel map[string]int `json:"final_model"`
	Tokens     int            `json:"tokens"`
	Seconds    float64        `json:"seconds"`
	// Latency of the answers in milliseconds (simulated provider latency times the
	// configured scale, plus the planner's own time), over all requests and over the
	// requests whose gold shape is a DAG.
	MeanLatencyMS    float64 `json:"mean_latency_ms"`
	P95LatencyMS     float64 `json:"p95_latency_ms"`
	DAGMeanLatencyMS float64 `json:"dag_mean_latency_ms"`
}

// ReplayReport compares routed planning with the strong model for everything.
type ReplayReport struct {
	Domain     string         `json:"domain"`
	Requests   int            `json:"requests"`
	Shapes     map[string]int `json:"shapes"`
	RouteMix   map[string]int `json:"route_mix"`
	Assumption string         `json:"assumption"`
	Routed     ReplayRun      `json:"routed"`
	// CheapFirst sends every request to the cheap model and escalates to the strong
	// one (the planner's TwoModelRouter): routing without complexity analysis.
	CheapFirst ReplayRun `json:"cheap_first"`
	Strong     ReplayRun `json:"strong_only"`
	// Saving is 1 - routed cost / strong-only cost; SavingPerValid compares the cost
	// per valid plan.
	Saving         float64 `json:"saving"`
	SavingPerValid float64 `json:"saving_per_valid"`
}

// Replay plans the held-out requests of d three times through the real planner (prompt,
// strict schema, repair, cascade, offline fallback) against an in-process simulator on
// loopback: routed by an, cheap-first (every request to the cheap model, escalating to
// the strong one), and with route.DefaultStrongModel for every tier. The
// simulator answers with the pattern planner's plan over d's catalog (the replay keeps
// only requests the pattern planner can plan, so that a correct model answer exists),
// and the quality model turns a call's answer into an invalid plan with the configured
// probability for its model and the request's gold shape. Draws are deterministic per
// (seed, model, request) (and call number with PerCall), so both runs face the same
// luck: the strong model fails the same requests in both.
func Replay(ctx context.Context, d *Domain, an route.Classifier, cfg ReplayConfig) (*ReplayReport, error) {
	if cfg.Requests <= 0 {
		cfg.Requests = 200
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	for _, p := range []float64{cfg.MiniFail.Simple, cfg.MiniFail.Moderate, cfg.MiniFail.Complex, cfg.StrongFail} {
		if p < 0 || p > 1 || math.IsNaN(p) {
			return nil, fmt.Errorf("routeeval: failure probabilities must be in [0, 1]")
		}
	}
	pat := pattern.NewPattern(d.Registry)
	_, held := Split(d.Requests)
	var work []Request
	gold := map[string]route.Tier{}
	for _, q := range held {
		if len(work) == cfg.Requests {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if _, err := pat.Plan(ctx, query.New(q.Text)); err != nil {
			continue
		}
		work = append(work, q)
		gold[sim.NormalizeRequest(q.Text)] = q.Gold
	}
	if len(work) == 0 {
		return nil, errors.New("routeeval: the pattern planner plans none of the held-out requests; nothing to replay")
	}
	rep := &ReplayReport{Domain: d.Name, Requests: len(work), Shapes: map[string]int{}, RouteMix: map[string]int{},
		Assumption: fmt.Sprintf("simulated: %s returns an invalid plan with probability %.2f/%.2f/%.2f on single/chain/dag requests, %s with %.2f on dag requests, %s; every valid answer is the pattern planner's plan",
			route.DefaultCheapModel, cfg.MiniFail.Simple, cfg.MiniFail.Moderate, cfg.MiniFail.Complex, route.DefaultStrongModel, cfg.StrongFail, drawText(cfg.PerCall))}
	for _, q := range work {
		rep.Shapes[q.Shape]++
		rep.RouteMix[string(an.Analyze(q.Text).Tier)]++
	}
	routed, err := route.NewRouter(route.Config{}, an)
	if err != nil {
		return nil, err
	}
	strong, err := route.NewRouter(route.Config{Tiers: map[route.Tier]string{
		route.Simple: route.DefaultStrongModel, route.Moderate: route.DefaultStrongModel, route.Complex: route.DefaultStrongModel}}, an)
	if err != nil {
		return nil, err
	}
	if rep.Routed, err = replayRun(ctx, "routed", d, planner.ComplexityRouter{R: routed}, work, gold, pat, cfg); err != nil {
		return nil, err
	}
	cheapFirst := planner.TwoModelRouter{Primary: route.DefaultCheapModel, Strong: route.DefaultStrongModel}
	if rep.CheapFirst, err = replayRun(ctx, "cheap-first", d, cheapFirst, work, gold, pat, cfg); err != nil {
		return nil, err
	}
	if rep.Strong, err = replayRun(ctx, "strong-only", d, planner.ComplexityRouter{R: strong}, work, gold, pat, cfg); err != nil {
		return nil, err
	}
	if rep.Strong.CostUSD > 0 {
		rep.Saving = 1 - rep.Routed.CostUSD/rep.Strong.CostUSD
	}
	if rep.Strong.CostPerValid > 0 {
		rep.SavingPerValid = 1 - rep.Routed.CostPerValid/rep.Strong.CostPerValid
	}
	return rep, nil
}

// replayRun plans work with a fresh simulator and planner.
func replayRun(ctx context.Context, name string, d *Domain, r planner.Router, work []Request, gold map[string]route.Tier,
	answerer query.Planner, cfg ReplayConfig) (ReplayRun, error) {
	run := ReplayRun{Name: name, Requests: len(work), Calls: map[string]int{}, FinalModel: map[string]int{}}
	s, err := sim.New(sim.Config{Answerer: answerer, LatencyScale: cfg.LatencyScale, Seed: cfg.Seed})
	if err != nil {
		return run, err
	}
	defer s.Close()
	q := &qualityModel{next: s, gold: gold, mini: cfg.MiniFail, strong: cfg.StrongFail, seed: cfg.Seed, perCall: cfg.PerCall, calls: map[string]int{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return run, fmt.Errorf("routeeval: listen on loopback: %w", err)
	}
	srv := &http.Server{Handler: q, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
		<-served
	}()

	prov, err := openai.New(openai.Config{BaseURL: "http://" + ln.Addr().String() + "/v1", APIKey: "sim"})
	if err != nil {
		return run, err
	}
	p, err := planner.New(d.Registry, planner.WithLLM(planner.LLMConfig{
		Provider: llm.NewClient(prov, llm.ClientConfig{}),
		Router:   r,
	}))
	if err != nil {
		return run, err
	}
	start := time.Now()
	type result struct {
		resp *planner.Response
		err  error
	}
	results := make([]result, len(work))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				resp, err := p.Plan(ctx, planner.Request{Text: work[i].Text, Options: planner.Options{NoCache: true}})
				if pe, ok := planner.AsError(err); ok && pe.Response != nil {
					resp = pe.Response
				}
				results[i] = result{resp, err}
			}
		}()
	}
feed:
	for i := range work {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return run, err
	}
	run.Seconds = time.Since(start).Seconds()
	var lat []float64
	var dagSum float64
	dags := 0
	for i, res := range results {
		if res.resp != nil {
			lat = append(lat, res.resp.LatencyMS)
			if work[i].Gold == route.Complex {
				dagSum += res.resp.LatencyMS
				dags++
			}
			run.CostUSD += res.resp.CostUSD
			run.Tokens += res.resp.Tokens.Prompt + res.resp.Tokens.Completion
			if res.resp.Model != "" && res.resp.Model != r.Route(planner.Request{Text: work[i].Text}).Model {
				run.Escalated++
			}
		}
		switch {
		case res.err != nil:
			run.Errors++
		case res.resp.Source == planner.SourceLLM:
			run.LLMValid++
			run.FinalModel[res.resp.Model]++
		default:
			run.Fallbacks++
		}
	}
	run.Validity = float64(run.LLMValid) / float64(run.Requests)
	if len(lat) > 0 {
		sort.Float64s(lat)
		sum := 0.0
		for _, l := range lat {
			sum += l
		}
		run.MeanLatencyMS = sum / float64(len(lat))
		run.P95LatencyMS = lat[min(len(lat)-1, int(math.Ceil(0.95*float64(len(lat))))-1)]
	}
	if dags > 0 {
		run.DAGMeanLatencyMS = dagSum / float64(dags)
	}
	if run.LLMValid > 0 {
		run.CostPerValid = run.CostUSD / float64(run.LLMValid)
	}
	run.Calls = s.Stats().Requests
	return run, nil
}

// qualityModel sits in front of the simulator and marks a call for an invalid plan
// (the simulator's X-Sim-Fault: invalid_plan) with the probability the configuration
// gives its model and the gold shape of its request.
type qualityModel struct {
	next    http.Handler
	gold    map[string]route.Tier
	mini    Quality
	strong  float64
	seed    uint64
	perCall bool
	mu      sync.Mutex
	calls   map[string]int // per model and request: the call number
}

func (q *qualityModel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/v1/chat/completions" {
		body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err != nil {
			http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if model, request, ok := chatRequest(body); ok {
			if q.fails(model, request) {
				r.Header.Set(sim.HeaderFault, string(sim.FaultInvalidPlan))
			}
		}
	}
	q.next.ServeHTTP(w, r)
}

// fails draws whether this call's plan is invalid.
func (q *qualityModel) fails(model, request string) bool {
	key := sim.NormalizeRequest(request)
	tier, ok := q.gold[key]
	if !ok {
		return false
	}
	var p float64
	switch model {
	case route.DefaultCheapModel:
		p = q.mini.of(tier)
	case route.DefaultStrongModel:
		if tier == route.Complex {
			p = q.strong
		}
	}
	n := 0
	if q.perCall {
		q.mu.Lock()
		n = q.calls[model+"\x00"+key]
		q.calls[model+"\x00"+key] = n + 1
		q.mu.Unlock()
	}
	h := fnv.New64a()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], q.seed)
	binary.LittleEndian.PutUint64(b[8:], uint64(n))
	h.Write(b[:])
	h.Write([]byte(model))
	h.Write([]byte{0})
	h.Write([]byte(key))
	u := float64(h.Sum64()>>11) / (1 << 53)
	return u < p
}

// chatRequest reads the model and the planning request (the last user message's
// delimited request) of a chat completion body.
func chatRequest(body []byte) (model, request string, ok bool) {
	var req struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	if json.Unmarshal(body, &req) != nil {
		return "", "", false
	}
	last := ""
	for _, m := range req.Messages {
		if m.Role != "user" {
			continue
		}
		var s string
		if json.Unmarshal(m.Content, &s) == nil {
			last = s
			continue
		}
		var parts []struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(m.Content, &parts) == nil {
			var sb bytes.Buffer
			for _, p := range parts {
				sb.WriteString(p.Text)
			}
			last = sb.String()
		}
	}
	if last == "" {
		return "", "", false
	}
	return req.Model, prompt.ExtractRequest(last), true
}

func drawText(perCall bool) string {
	if perCall {
		return "drawn independently for every call"
	}
	return "drawn once per model and request (a failed request stays failed after repair)"
}

// replayReports are the replays of several domains.
type replayReports []*ReplayReport

// MarshalJSON is the one domain's report, or {"domains": [...]} for several.
func (rs replayReports) MarshalJSON() ([]byte, error) {
	if len(rs) == 1 {
		return json.Marshal(rs[0])
	}
	return json.Marshal(map[string]any{"domains": []*ReplayReport(rs)})
}

// WriteText prints each domain's replay for people.
func (rs replayReports) WriteText(w io.Writer) {
	for _, rep := range rs {
		rep.WriteText(w)
	}
}

// replayDomains replays each domain (Replay) with the analyzer matching clauses to the
// domain's own catalogue (Matcher). before, when not nil, is called as each domain
// starts.
func replayDomains(ctx context.Context, domains []*Domain, cfg ReplayConfig, before func(*Domain)) (replayReports, error) {
	var reports replayReports
	for _, d := range domains {
		an, err := route.NewAnalyzer(Matcher(d.Registry))
		if err != nil {
			return nil, err
		}
		if before != nil {
			before(d)
		}
		rep, err := Replay(ctx, d, an, cfg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		reports = append(reports, rep)
	}
	return reports, nil
}

// replayTaskBench replays the TaskBench domains at path (a domain directory or the
// TaskBench root; labels of filter) with replayDomains, telling notes, when not nil, as
// each domain starts. Errors name the flags of `planwise eval route --replay`.
func replayTaskBench(ctx context.Context, path, filter string, cfg ReplayConfig, notes io.Writer) (replayReports, error) {
	if path == "" {
		return nil, errors.New("--replay needs --taskbench: a TaskBench domain directory (../shared/data/taskbench/dailylifeapis)")
	}
	domains, err := loadTaskBench(path, filter)
	if err != nil {
		return nil, err
	}
	return replayDomains(ctx, domains, cfg, func(d *Domain) {
		if notes != nil {
			fmt.Fprintf(notes, "planwise: replaying %d %s requests against the simulator (a test double), routed and gpt-4o-only...\n", cfg.Requests, d.Name)
		}
	})
}
