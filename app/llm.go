package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/planwise/planwise/internal/config"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/route"
	"github.com/planwise/planwise/server"
)

// llmOption builds the LLM stage: the OpenAI-compatible provider (SDK retries off) in
// the one LLM-call pipeline (llm.Client), routed by request complexity over the
// planner's own pattern planner (LLMConfig.Routing: one pattern planner a registry).
// The provider is built once and shared by every planner of the app, so a stage
// rebuilt for a new registry keeps the breakers' state and the connections. a.mu is
// held.
func (a *App) llmOption() (planner.Option, error) {
	if err := a.llmLocked(); err != nil {
		return nil, err
	}
	routing := routeConfig(a.cfg)
	return planner.WithLLM(planner.LLMConfig{
		Provider:     a.llm.res,
		ProviderName: a.cfg.LLM.Provider,
		Routing:      &routing, // over the planner's own pattern planner
		Prices:       a.llm.prices,
		Refusal:      a.cfg.LLM.Refusal,
	}), nil
}

// llmLocked builds, once, the LLM-call pipeline every LLM stage and the cache's
// embedder share. a.mu is held.
func (a *App) llmLocked() error {
	if a.llm != nil {
		return nil
	}
	res, prices, err := a.llmProvider()
	if err != nil {
		return err
	}
	a.llm = &llmShared{res: res, prices: prices}
	return nil
}

// llmShared is what every LLM stage of the process shares.
type llmShared struct {
	res    *llm.Client
	prices *llm.PriceTable
}

// llmProvider builds the LLM-call pipeline (retries, breakers, GenAI metrics and spans,
// cost) around the provider, and the price table.
func (a *App) llmProvider() (*llm.Client, *llm.PriceTable, error) {
	cfg := a.cfg
	prov, err := openai.New(openai.Config{BaseURL: cfg.LLM.BaseURL, APIKey: cfg.LLM.APIKey, TracerProvider: a.tracer})
	if err != nil {
		return nil, nil, fmt.Errorf("llm provider: %w", err)
	}
	// Load the BPE tables now rather than on the first request (prompt estimates use them).
	llm.LoadTokenizers()
	prices := llm.DefaultPrices()
	if cfg.LLM.PricesFile != "" {
		if prices, err = llm.LoadPrices(cfg.LLM.PricesFile); err != nil {
			return nil, nil, err
		}
	}
	if err := checkPriced(cfg, prices); err != nil {
		return nil, nil, err
	}
	// Breaker transitions go to the App's logger, as the key refusals do: serve's JSON
	// log, not a second JSON stream on stderr beside it (and a library user's logger).
	rec, log := a.rec, a.log
	obs := metrics.NewLLMObserver(rec, a.tracer)
	if a.opts.LongRunning {
		// A one-shot command says it on stderr itself (WarnAuthRefused).
		obs = &keyRefusedLog{Observer: obs, log: a.log, every: keyRefusedLogEvery, now: time.Now}
	}
	hold := cfg.LLM.AuthHold
	if hold == 0 {
		hold = -1 // llm.auth_hold: 0 is off; the Client's zero is its default
	}
	res := llm.NewClient(prov, llm.ClientConfig{Name: cfg.LLM.Provider, Prices: prices, Observer: obs,
		Resilience: llm.ResilienceConfig{
			MaxAttempts: cfg.LLM.MaxAttempts, AttemptTimeout: cfg.LLM.AttemptTimeout, AuthHold: hold,
			Breaker: llm.BreakerConfig{OnStateChange: func(key, from, to string) {
				// Runs under the breaker's lock: a log line and a counter, nothing more.
				level := slog.LevelWarn
				if to == "closed" {
					level = slog.LevelInfo
				}
				log.Log(context.Background(), level, "circuit breaker "+to, "breaker", key, "from", from, "to", to)
				rec.RecordBreakerTransition(key, from, to)
			}},
		}})
	return res, prices, nil
}

// keyRefusedLogEvery is the least time between two of keyRefusedLog's lines.
const keyRefusedLogEvery = time.Minute

// keyRefusedLog logs at error level the calls the provider refused for the API key
// (llm.AuthError), and the calls held without asking it after a refusal
// (llm.ErrAuthHeld, llm.auth_hold): the requests then fall back to the offline planners
// and answer 200, so without it a server shows the refusal only in its counters
// (planwise_errors_total{error_type="AuthError"}) and the provider_auth_failed alert. A
// line per call would flood the log under load: it logs the first refusal, then at most
// one line every interval, with the count of the calls refused and held since the last
// line.
type keyRefusedLog struct {
	llm.Observer
	log   *slog.Logger
	every time.Duration
	now   func() time.Time

	mu      sync.Mutex
	last    time.Time // of the last line; zero before the first
	refused int       // calls the provider refused since the last line, this one included
	held    int       // calls held without asking the provider since the last line
}

func (o *keyRefusedLog) End(ctx context.Context, call *llm.Call) {
	o.Observer.End(ctx, call)
	if llm.Classify(call.Err) != llm.AuthError {
		return
	}
	now := o.now()
	o.mu.Lock()
	if errors.Is(call.Err, llm.ErrAuthHeld) {
		o.held++
	} else {
		o.refused++
	}
	if !o.last.IsZero() && now.Sub(o.last) < o.every {
		o.mu.Unlock()
		return
	}
	refused, held := o.refused, o.held
	o.last, o.refused, o.held = now, 0, 0
	o.mu.Unlock()
	status := 0
	if e, ok := errors.AsType[*llm.Error](call.Err); ok {
		status = e.Status
	}
	o.log.LogAttrs(ctx, slog.LevelError, "the LLM provider refused the API key: check llm.api_key / OPENAI_API_KEY; requests fall back to the offline planners "+
		"(without calling the provider for llm.auth_hold after each refusal)",
		slog.String("provider", call.Provider), slog.String("model", call.Model), slog.Int("status", status),
		slog.Int("refused_calls", refused), slog.Int("held_calls", held))
}

// breakersDown names the LLM circuit breakers that are not closed, and a refused API
// key whose calls are held, for readiness (degraded): requests they guard fall back to
// the offline planners.
func (a *App) breakersDown() []string {
	a.mu.Lock()
	shared := a.llm
	a.mu.Unlock()
	if shared == nil {
		return nil
	}
	var out []string
	for key, state := range shared.res.BreakerStates() {
		if state != "closed" {
			out = append(out, "llm circuit breaker "+key+" is "+state+": requests fall back to the offline planners")
		}
	}
	for _, until := range shared.res.AuthHolds() {
		out = append(out, "the llm provider "+shared.res.ProviderName()+" refused the API key (check llm.api_key / OPENAI_API_KEY): "+
			"requests fall back to the offline planners without calling it until "+until.UTC().Format(time.RFC3339))
	}
	slices.Sort(out)
	return out
}

// checkPriced refuses a configured model the price table does not price: its calls would
// cost $0 in the accounts and never trip a budget.
func checkPriced(cfg *config.Config, prices *llm.PriceTable) error {
	var errs []error
	check := func(key, model string) {
		if model == "" {
			return
		}
		if _, ok := prices.Lookup(model); !ok {
			errs = append(errs, fmt.Errorf("%s: model %q has no price, so its cost would count as $0 and budgets would never trip "+
				"(fix: give its price per 1M tokens in a file named by llm.prices_file, e.g. \"models: {%s: {input: 2.5, output: 10}}\", or route to a priced model: %s)",
				key, model, model, strings.Join(prices.Models(), ", ")))
		}
	}
	check("routing.simple", cfg.Routing.Simple)
	check("routing.moderate", cfg.Routing.Moderate)
	check("routing.complex", cfg.Routing.Complex)
	for i, k := range cfg.Server.APIKeys {
		for _, t := range slices.Sorted(maps.Keys(k.Tiers)) {
			check(fmt.Sprintf("server.api_keys[%d].tiers.%s", i, t), k.Tiers[t])
		}
	}
	return errors.Join(errs...)
}

// routeConfig maps the routing section (and per-key tiers) to the router's config. Per-key
// overrides are keyed by the server's key id, which is what the planner sees.
func routeConfig(cfg *config.Config) route.Config {
	rc := route.Config{Tiers: map[route.Tier]string{}, PerKey: map[string]map[route.Tier]string{}}
	for t, m := range map[route.Tier]string{route.Simple: cfg.Routing.Simple, route.Moderate: cfg.Routing.Moderate, route.Complex: cfg.Routing.Complex} {
		if m != "" {
			rc.Tiers[t] = m
		}
	}
	for _, k := range cfg.Server.APIKeys {
		if len(k.Tiers) == 0 {
			continue
		}
		over := map[route.Tier]string{}
		for t, m := range k.Tiers {
			over[route.Tier(t)] = m
		}
		rc.PerKey[server.KeyID(k.Key)] = over
	}
	return rc
}
