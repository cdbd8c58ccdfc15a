package main

import (
	"github.com/spf13/cobra"

	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

func newSimCmd(a *cli) *cobra.Command {
	var (
		addr      string
		in        sim.Inputs // data sets, faults, scripts, model errors
		cfg       sim.Config // latency, seed, embedding size, API key
		noPlanner bool
	)
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Run the OpenAI-compatible simulator (a test double, not a real model)",
		Long: `Run planwise sim: an OpenAI-compatible server for tests, benchmarks and demos where no
real model is reachable. It is a TEST DOUBLE: it never calls a model, and every response
says so (header X-Planwise-Sim: true, system_fingerprint "planwise-sim").

It serves POST /v1/chat/completions (json_schema response formats answered in exactly the
requested shape, usage counted with the model's tokenizer), POST /v1/embeddings
(deterministic feature-hashing vectors) and GET /v1/models. Answers come from the labelled
data sets given with --gold (JSON lines {"request", "plan"}) and --nestful (NESTFUL
*-data.json), else from the offline pattern planner over the tools the request declares,
as a model reads them: its function tools (answered with tool_calls), or its strict
json_schema and the system prompt's tool documentation. Only a request that declares no
tools is planned over the sim's own registry (the built-in catalog plus --tools). When
nothing plans a request the sim answers as a model that finds no fitting tool: no steps
and cannot_plan set to the reason (or a text answer instead of tool calls).

stream: true is answered with server-sent chunks in OpenAI's format (usage in the last
one with stream_options.include_usage). A strict schema that OpenAI would refuse gets
OpenAI's 400 error. --model-errors turns on the model tier knob: cheaper models answer
wrongly more often (a wrong tool, a missing argument, a hallucinated tool name),
deterministically for a --seed, so that routing and cascades can be measured.

Latency is modelled per model (gpt-4o-mini 200-500 ms, gpt-4o 400-900 ms, others
200-600 ms) times --latency-scale. Faults are injected with --fault kind=prob or
model:kind=prob (kinds: 429, 500, 503, hang, malformed, invalid_plan, truncated,
wrong_tool, slow), scripted request by request with --fault-script (e.g.
gpt-4o-mini:invalid_plan,none makes the first answer invalid and its repair clean), or
per request with the header X-Sim-Fault: <kind> (and X-Sim-Fault-Model: <model> to
target one model).`,
		Example: `  planwise sim --addr 127.0.0.1:8089
  planwise sim --nestful ../shared/data/nestful/executable-data.json --tools ../shared/data/nestful/executable-spec.json
  planwise sim --fault gpt-4o-mini:429=0.3 --fault 500=0.05 --latency-scale 0.1 --seed 7`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := in.Apply(&cfg); err != nil {
				return err
			}
			reg, err := a.registry(cmd.Context())
			if err != nil {
				return err
			}
			if !noPlanner {
				cfg.Answerer = pattern.NewPattern(reg)
				cfg.PlannerFor = func(r *tool.Registry) query.Planner { return pattern.NewPattern(r) }
			}
			return sim.ListenAndServe(cmd.Context(), addr, cfg, in, reg.Len(), func(b sim.Banner) { _ = a.Report(b, nil) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8089", "listen address")
	fl.StringArrayVar(&in.Gold, "gold", nil, `labelled data set, JSON lines {"request": ..., "plan": {...}}; repeatable`)
	fl.StringArrayVar(&in.Nestful, "nestful", nil, "NESTFUL *-data.json file used as a labelled data set; repeatable")
	fl.StringArrayVar(&in.Faults, "fault", nil, "inject a fault: kind=prob or model:kind=prob (e.g. 429=0.2, gpt-4o-mini:500=1); repeatable")
	fl.StringArrayVar(&in.Scripts, "fault-script", nil, "fault script, request by request: [model:]kind,kind,... with none for a clean answer (e.g. gpt-4o-mini:invalid_plan,none); repeatable")
	fl.Float64Var(&cfg.LatencyScale, "latency-scale", 1, "multiply the modelled latency (0 disables it)")
	fl.Uint64Var(&cfg.Seed, "seed", 1, "seed of the latency and fault random source")
	fl.IntVar(&cfg.EmbeddingDims, "embedding-dims", 256, "default embedding size")
	fl.StringVar(&cfg.APIKey, "api-key", "", "require this API key (Authorization: Bearer ...); default accepts any")
	fl.BoolVar(&noPlanner, "no-planner", false, "do not fall back to the offline pattern planner: unknown requests get a refusal (cannot_plan)")
	fl.StringArrayVar(&in.ModelErrors, "model-errors", nil, `model tier knob: "default" (gpt-4.1-nano 30%, gpt-4o-mini 15%, gpt-4.1-mini 10%, gpt-4o 3%, others 10%) or model=rate entries (a model prefix; "*" for every other model); repeatable`)
	a.JSONFlag(cmd)
	return cmd
}
