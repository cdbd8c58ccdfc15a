package history

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"strings"
	"testing"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
)

func TestTwoProportionZ(t *testing.T) {
	for _, c := range []struct {
		x1, n1, x2, n2 int
		z, p           float64
	}{
		{90, 100, 80, 100, 1.9803, 0.04767},
		{50, 100, 50, 100, 0, 1},
		{100, 100, 100, 100, 0, 1},
		{0, 0, 5, 10, 0, 1},
	} {
		z, p := twoProportionZ(c.x1, c.n1, c.x2, c.n2)
		if math.Abs(z-c.z) > 1e-3 || math.Abs(p-c.p) > 1e-4 {
			t.Errorf("%d/%d vs %d/%d: z=%.4f p=%.5f, want z=%.4f p=%.5f", c.x1, c.n1, c.x2, c.n2, z, p, c.z, c.p)
		}
	}
}

func TestAssignDeterministicByShares(t *testing.T) {
	ctx := context.Background()
	h := newHistory(t, NewMemoryStore(), newClock())
	if id, v := h.Assign("t", "anything"); id != "" || v != "" {
		t.Fatalf("no experiment: got %q %q", id, v)
	}
	e, err := h.CreateExperiment(ctx, Experiment{ID: "e1", Variants: []Variant{{Name: "default", Share: 7}, {Name: "concise", Share: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if e.Variants[0].Share != 0.7 || e.MinSamples != DefaultMinSamples || e.Alpha != DefaultAlpha || e.Status != StatusRunning {
		t.Errorf("defaults not filled: %+v", e)
	}
	counts := map[string]int{}
	const n = 5000
	for i := range n {
		req := fmt.Sprintf("request number %d", i)
		id, v := h.Assign("t", req)
		if id2, v2 := h.Assign("t", req); id != "e1" || id2 != id || v2 != v {
			t.Fatalf("assignment of %q not deterministic: %s/%s then %s/%s", req, id, v, id2, v2)
		}
		counts[v]++
	}
	if share := float64(counts["default"]) / n; math.Abs(share-0.7) > 0.03 {
		t.Errorf("default share %.3f, want 0.70 ± 0.03 (%v)", share, counts)
	}
	// Invalid definitions.
	for _, bad := range []Experiment{
		{Variants: []Variant{{Name: "default"}}},
		{Variants: []Variant{{Name: "a"}, {Name: "a"}}},
		{Variants: []Variant{{Name: "a"}, {Name: ""}}},
		{Variants: []Variant{{Name: "a", Share: -1}, {Name: "b"}}},
		{ID: "e1", Variants: []Variant{{Name: "a"}, {Name: "b"}}},
	} {
		if _, err := h.CreateExperiment(ctx, bad); !errors.Is(err, ErrInvalidExperiment) {
			t.Errorf("%+v: %v, want ErrInvalidExperiment", bad, err)
		}
	}
	// Unknown variants are rejected when the known ones are configured.
	h2, _ := New(ctx, NewMemoryStore(), testEmbedder(t), Options{Variants: []string{"default", "concise"}})
	if _, err := h2.CreateExperiment(ctx, Experiment{Variants: []Variant{{Name: "default"}, {Name: "verbose"}}}); !errors.Is(err, ErrInvalidExperiment) {
		t.Errorf("unknown variant accepted: %v", err)
	}
	// Promotion by hand needs a known variant; then everyone gets the winner.
	if _, err := h.Promote(ctx, "e1", "nope"); !errors.Is(err, ErrInvalidExperiment) {
		t.Errorf("promote unknown variant: %v", err)
	}
	if _, err := h.Promote(ctx, "e1", ""); !errors.Is(err, ErrInvalidExperiment) {
		t.Errorf("promote without evidence: %v", err)
	}
	if _, err := h.Promote(ctx, "e1", "concise"); err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if _, v := h.Assign("t", fmt.Sprint(i)); v != "concise" {
			t.Fatalf("after promotion got %q", v)
		}
	}
	if _, err := h.Stop(ctx, "e1"); err != nil {
		t.Fatal(err)
	}
	if id, _ := h.Assign("t", "x"); id != "" {
		t.Errorf("stopped experiment still assigns")
	}
	if _, err := h.Promote(ctx, "missing", "a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing experiment: %v", err)
	}
}

// worseConcise is a fake model: it answers with a valid plan, except that for prompts in
// the concise wording it drops the required e-mail body for about 35% of requests (5%
// with the default wording).
type worseConcise struct{ schema *prompt.Schema }

func (w worseConcise) Complete(_ context.Context, req llm.Request) (*llm.Response, error) {
	system, user := req.Messages[0].Content, req.Messages[len(req.Messages)-1].Content
	request := prompt.ExtractRequest(user)
	f := fnv.New32a()
	f.Write([]byte(request))
	failPct := uint32(5)
	if strings.HasPrefix(system, "Turn the user's request into a JSON plan") {
		failPct = 35
	}
	to := strings.Fields(request)[1]
	p := &plan.Plan{Goal: request, Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": to, "body": "the report"}}}}
	if f.Sum32()%100 < failPct {
		delete(p.Steps[0].Args, "body")
	}
	b, err := w.schema.Encode(p)
	if err != nil {
		return nil, err
	}
	return &llm.Response{Content: string(b), Model: req.Model, Usage: llm.Usage{PromptTokens: 300, CompletionTokens: 40}}, nil
}

// TestABTestPromotesBetterVariant runs an experiment default vs concise through the
// prompt builder and a fake model that makes concise worse: the difference becomes
// significant, default is promoted automatically, and everyone gets it afterwards.
func TestABTestPromotesBetterVariant(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	b := prompt.NewBuilder(reg)
	h, err := New(ctx, NewMemoryStore(), testEmbedder(t), Options{Variants: b.Variants(), Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateExperiment(ctx, Experiment{ID: "wording", Variants: []Variant{{Name: "default"}, {Name: "concise"}},
		AutoPromote: true, MinSamples: 100, Alpha: 0.01}); err != nil {
		t.Fatal(err)
	}
	model := worseConcise{schema: b.Schema()}
	promotedAfter := 0
	for i := 0; i < 3000 && promotedAfter == 0; i++ {
		req := fmt.Sprintf("email user%d@example.com the report for week %d", i, i%52)
		expID, variant := h.Assign("t", req)
		pr, err := b.Build(prompt.Input{Request: req, Variant: variant})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := model.Complete(ctx, llm.Request{Model: "gpt-4o-mini", Messages: toLLM(pr.Messages)})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := pr.Schema.Decode([]byte(resp.Content))
		valid := err == nil && plan.Validate(pl, reg) == nil
		r := &Record{Tenant: "t", Request: req, Experiment: expID, Variant: variant, Model: "gpt-4o-mini", Valid: valid,
			PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens, RegistryVersion: reg.Version()}
		if valid {
			r.Source, r.Plan = "llm", pl
		} else {
			r.Source, r.Fallback, r.FallbackReason = "pattern", true, "invalid_plan"
		}
		if err := h.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
		if e, _ := h.Experiment("wording"); e.Status == StatusPromoted {
			promotedAfter = i + 1
		}
	}
	e, _ := h.Experiment("wording")
	if e.Status != StatusPromoted || e.Winner != "default" {
		t.Fatalf("experiment %+v: want default promoted", e)
	}
	rep, err := h.ExperimentReport(ctx, "wording")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Test == nil || !rep.Test.Significant || rep.Test.Best != "default" || rep.Test.PValue >= 0.01 {
		t.Fatalf("test %+v", rep.Test)
	}
	var def, con VariantStats
	for _, s := range rep.Stats {
		switch s.Variant {
		case "default":
			def = s
		case "concise":
			con = s
		}
	}
	if def.Requests < 100 || con.Requests < 100 || def.ValidityRate <= con.ValidityRate || con.FallbackRate <= def.FallbackRate {
		t.Errorf("stats default %+v concise %+v", def, con)
	}
	t.Logf("promoted after %d requests: default validity %.3f (%d), concise %.3f (%d), z=%.2f p=%.2g",
		promotedAfter, def.ValidityRate, def.Requests, con.ValidityRate, con.Requests, rep.Test.Z, rep.Test.PValue)
	for i := range 200 {
		if _, v := h.Assign("t", fmt.Sprintf("another request %d", i)); v != "default" {
			t.Fatalf("after promotion request %d got %q", i, v)
		}
	}
	// The insights name the worse variant too.
	in, err := h.Insights(ctx, "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range in.Suggestions {
		if s.Kind == "variant" && s.Subject == "concise" && strings.Contains(s.Text, "vs") {
			found = true
			t.Log(s.Text)
		}
	}
	if !found {
		t.Errorf("no variant suggestion in %+v", in.Suggestions)
	}
}

func toLLM(ms []prompt.Message) []llm.Message {
	out := make([]llm.Message, len(ms))
	for i, m := range ms {
		out[i] = llm.Message{Role: m.Role, Content: m.Content}
	}
	return out
}

// TestViewPromoteNotFound: promoting through a view an experiment it does not see says
// so, by the tenant asked for or, for every tenant, without one ("no experiment "x" for
// tenant " ended with an empty name), and the error is ErrNotFound.
func TestViewPromoteNotFound(t *testing.T) {
	ctx := context.Background()
	h := newHistory(t, NewMemoryStore(), newClock())
	if _, err := h.CreateExperiment(ctx, Experiment{ID: "e1", Tenant: "acme", Variants: []Variant{{Name: "default", Share: 1}, {Name: "concise", Share: 1}}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ tenant, id, want string }{
		{"other", "e1", `no experiment "e1" for tenant other`},
		{"", "missing", `no experiment "missing"`},
	} {
		_, err := h.View(tt.tenant).Promote(ctx, tt.id, "concise")
		if !errors.Is(err, ErrNotFound) || err.Error() != tt.want+": "+ErrNotFound.Error() {
			t.Errorf("tenant %q, %s: %v, want %q wrapping ErrNotFound", tt.tenant, tt.id, err, tt.want)
		}
	}
}
