package sim

import (
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// FaultKind names an injectable fault.
type FaultKind string

const (
	// Fault429 answers 429 with a Retry-After header (1 s, or X-Sim-Retry-After).
	Fault429 FaultKind = "429"
	// Fault500 answers 500 with an OpenAI error body.
	Fault500 FaultKind = "500"
	// Fault503 answers 503 with an OpenAI error body.
	Fault503 FaultKind = "503"
	// FaultHang never answers: the request waits until the client gives up.
	FaultHang FaultKind = "hang"
	// FaultMalformed answers 200 with a body that is not valid JSON.
	FaultMalformed FaultKind = "malformed"
	// FaultInvalidPlan answers with a plan that fits the response schema but fails
	// validation (a reference to a step that does not exist; in generic mode also a
	// required argument left out).
	FaultInvalidPlan FaultKind = "invalid_plan"
	// FaultTruncated cuts the content in half with finish_reason "length".
	FaultTruncated FaultKind = "truncated"
	// FaultWrongTool names a tool the registry does not have.
	FaultWrongTool FaultKind = "wrong_tool"
	// FaultSlow multiplies the latency by 10.
	FaultSlow FaultKind = "slow"
)

// FaultNone in a Script is a request answered without a fault.
const FaultNone FaultKind = "none"

// FaultKinds lists every fault kind.
func FaultKinds() []FaultKind {
	return []FaultKind{Fault429, Fault500, Fault503, FaultHang, FaultMalformed, FaultInvalidPlan, FaultTruncated, FaultWrongTool, FaultSlow}
}

// ParseFaultKind checks a fault kind name.
func ParseFaultKind(s string) (FaultKind, error) {
	k := FaultKind(strings.ToLower(strings.TrimSpace(s)))
	for _, x := range FaultKinds() {
		if k == x {
			return k, nil
		}
	}
	names := make([]string, 0, len(FaultKinds()))
	for _, x := range FaultKinds() {
		names = append(names, string(x))
	}
	return "", fmt.Errorf("unknown fault kind %q: use one of %s", s, strings.Join(names, ", "))
}

// planFault reports whether a fault changes the answer rather than the transport; such
// faults do not apply to embeddings.
func (k FaultKind) planFault() bool {
	return k == FaultInvalidPlan || k == FaultTruncated || k == FaultWrongTool
}

// FaultRule injects Kind with probability Prob into requests for Model ("" = every model).
type FaultRule struct {
	Kind  FaultKind
	Prob  float64
	Model string
}

// ParseScript reads a fault script "model:kind,kind,..." or "kind,kind,..." (any model);
// "none" is a clean answer. Example: "gpt-4o-mini:invalid_plan,none,429".
func ParseScript(s string) (model string, faults []FaultKind, err error) {
	spec := s
	if i := strings.LastIndexByte(spec, ':'); i >= 0 {
		model, spec = strings.TrimSpace(spec[:i]), spec[i+1:]
	}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if strings.EqualFold(part, string(FaultNone)) {
			faults = append(faults, FaultNone)
			continue
		}
		k, err := ParseFaultKind(part)
		if err != nil {
			return "", nil, fmt.Errorf("fault script %q: %w", s, err)
		}
		faults = append(faults, k)
	}
	return model, faults, nil
}

// ParseFaultRule reads "kind=prob" or "model:kind=prob" (e.g. "429=0.2",
// "gpt-4o-mini:500=1").
func ParseFaultRule(s string) (FaultRule, error) {
	spec, probText, ok := strings.Cut(s, "=")
	if !ok {
		return FaultRule{}, fmt.Errorf("fault %q: want kind=probability or model:kind=probability", s)
	}
	var r FaultRule
	if i := strings.LastIndexByte(spec, ':'); i >= 0 {
		r.Model, spec = strings.TrimSpace(spec[:i]), spec[i+1:]
	}
	k, err := ParseFaultKind(spec)
	if err != nil {
		return FaultRule{}, fmt.Errorf("fault %q: %w", s, err)
	}
	p, err := strconv.ParseFloat(strings.TrimSpace(probText), 64)
	if err != nil || p < 0 || p > 1 {
		return FaultRule{}, fmt.Errorf("fault %q: probability must be a number from 0 to 1", s)
	}
	r.Kind, r.Prob = k, p
	return r, nil
}

// Latency is a uniform range of response latency.
type Latency struct {
	Min, Max time.Duration
}

// DefaultLatency is the latency per model family (matched by longest prefix; "" is the
// fallback for every other model).
func DefaultLatency() map[string]Latency {
	return map[string]Latency{
		"gpt-4o-mini": {200 * time.Millisecond, 500 * time.Millisecond},
		"gpt-4o":      {400 * time.Millisecond, 900 * time.Millisecond},
		"":            {200 * time.Millisecond, 600 * time.Millisecond},
	}
}

// Config configures a Server. The zero value is a working simulator with no data set,
// no latency and no faults.
type Config struct {
	// Gold maps requests to their plans; keys are normalised with NormalizeRequest.
	Gold map[string]*plan.Plan
	// Answerer plans requests Gold does not hold; nil means a refusal (cannot_plan).
	Answerer query.Planner
	// PlannerFor, when set, builds the planner for the tools a request declares (its
	// function tools, or its response schema and the system prompt's tool documentation,
	// read as prompt.ReadTools reads them), which then answers instead of Answerer: the
	// sim plans over the tools it is given, as a model does. The CLI passes the offline
	// pattern planner. Planners are built once per distinct tool set.
	PlannerFor func(*tool.Registry) query.Planner
	// ModelErrors is the model tier knob: per model family (longest prefix; "" for every
	// other model), the share of answers the model gets wrong (a wrong tool, a missing
	// argument, a hallucinated tool name), drawn deterministically from Seed, the model
	// and the request. Nil: no mistakes. DefaultModelErrors is a table where cheaper
	// models err more.
	ModelErrors map[string]float64
	// Latency per model prefix; nil means DefaultLatency. The "" entry is the fallback.
	Latency map[string]Latency
	// LatencyScale multiplies every latency; 0 disables latency (tests use 0 or 0.01).
	LatencyScale float64
	// Faults are injected by probability, in order; the first that fires applies.
	Faults []FaultRule
	// Script scripts faults request by request: Script[model] lists the faults of that
	// model's next requests in order ("" or FaultNone for a clean answer), and Script[""]
	// those of requests for any model without a script of its own. A scripted request
	// skips Faults; once a script is used up, Faults apply again. Scripts make the repair
	// round testable: {"gpt-4o-mini": {FaultInvalidPlan}} fails the first answer only.
	Script map[string][]FaultKind
	// Seed seeds the random source of latencies and faults.
	Seed uint64
	// EmbeddingDims is the default embedding size (256 when zero).
	EmbeddingDims int
	// RetryAfter is the Retry-After value of a 429 (default "1").
	RetryAfter string
	// HangLimit bounds a hanging request (default 10 minutes).
	HangLimit time.Duration
	// APIKey, when set, is required as "Authorization: Bearer <key>".
	APIKey string
	// Models are listed by GET /v1/models in addition to the latency table's models and
	// text-embedding-3-small.
	Models []string
	// Now is the clock for "created" timestamps (time.Now when nil).
	Now func() time.Time
}

func (c *Config) validate() error {
	if c.LatencyScale < 0 {
		return fmt.Errorf("sim: LatencyScale %v: must be >= 0", c.LatencyScale)
	}
	if c.EmbeddingDims < 0 || c.EmbeddingDims > 8192 {
		return fmt.Errorf("sim: EmbeddingDims %d: must be between 1 and 8192", c.EmbeddingDims)
	}
	for model, seq := range c.Script {
		for i, k := range seq {
			if k == "" || k == FaultNone {
				continue
			}
			if _, err := ParseFaultKind(string(k)); err != nil {
				return fmt.Errorf("sim: Script[%q][%d]: %w", model, i, err)
			}
		}
	}
	for i, r := range c.Faults {
		if _, err := ParseFaultKind(string(r.Kind)); err != nil {
			return fmt.Errorf("sim: Faults[%d]: %w", i, err)
		}
		if r.Prob < 0 || r.Prob > 1 {
			return fmt.Errorf("sim: Faults[%d]: probability %v not in [0, 1]", i, r.Prob)
		}
	}
	for k, r := range c.ModelErrors {
		if r < 0 || r > 1 {
			return fmt.Errorf("sim: ModelErrors[%q]: rate %v not in [0, 1]", k, r)
		}
	}
	for k, l := range c.Latency {
		if l.Min < 0 || l.Max < l.Min {
			return fmt.Errorf("sim: Latency[%q]: want 0 <= Min <= Max, got %v-%v", k, l.Min, l.Max)
		}
	}
	return nil
}

// latencyFor returns the latency range of the longest prefix of model in table.
func latencyFor(table map[string]Latency, model string) Latency {
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		if strings.HasPrefix(model, k) {
			return table[k]
		}
	}
	return Latency{}
}

// ParseFaultRules reads fault rules (ParseFaultRule), one per entry.
func ParseFaultRules(specs []string) ([]FaultRule, error) {
	var out []FaultRule
	for _, spec := range specs {
		r, err := ParseFaultRule(spec)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ParseScripts reads fault scripts (ParseScript), one per entry, into Config.Script:
// the scripts of one model are appended in order. It is nil when specs is empty.
func ParseScripts(specs []string) (map[string][]FaultKind, error) {
	var out map[string][]FaultKind
	for _, spec := range specs {
		model, seq, err := ParseScript(spec)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = map[string][]FaultKind{}
		}
		out[model] = append(out[model], seq...)
	}
	return out, nil
}

// ParseModelErrors reads Config.ModelErrors from entries of comma-separated parts, each
// "default" (DefaultModelErrors) or model=rate with a rate from 0 to 1 (a model prefix;
// "*" for every other model). It is nil when specs is empty. An error starts with the
// part it could not read, quoted.
func ParseModelErrors(specs []string) (map[string]float64, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	out := map[string]float64{}
	for _, spec := range specs {
		for _, part := range strings.Split(spec, ",") {
			part = strings.TrimSpace(part)
			if part == "default" {
				maps.Copy(out, DefaultModelErrors())
				continue
			}
			model, rate, ok := strings.Cut(part, "=")
			r, err := strconv.ParseFloat(strings.TrimSpace(rate), 64)
			if !ok || err != nil || r < 0 || r > 1 {
				return nil, fmt.Errorf("%q: want default or model=rate with a rate from 0 to 1 (e.g. gpt-4o-mini=0.15)", part)
			}
			if model = strings.TrimSpace(model); model == "*" {
				model = ""
			}
			out[model] = r
		}
	}
	return out, nil
}
