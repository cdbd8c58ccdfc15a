package route

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/planwise/planwise/query"
)

// fixedTier classifies every request as its tier.
type fixedTier Tier

func (f fixedTier) Analyze(string) Analysis {
	return Analysis{Tier: Tier(f), Score: 1, Reasons: []string{"fixed"}}
}

// byPrefix classifies "s:", "m:" and "c:" requests.
type byPrefix struct{}

func (byPrefix) Analyze(r string) Analysis {
	t := map[string]Tier{"s": Simple, "m": Moderate, "c": Complex}[r[:1]]
	return Analysis{Tier: t, Score: float64(t.index())}
}

func TestRouterRoute(t *testing.T) {
	r, err := NewRouter(Config{
		Tiers:  map[Tier]string{Moderate: "gpt-4.1-mini"},
		PerKey: map[string]map[Tier]string{"key-a": {Complex: "o1-mini"}, "key-b": {Simple: "gpt-4.1-nano", Moderate: "gpt-4.1-nano", Complex: "gpt-4.1-nano"}},
	}, byPrefix{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		request, key string
		tier         Tier
		model        string
		keyed        bool
	}{
		{"s: x", "", Simple, DefaultCheapModel, false},
		{"m: x", "", Moderate, "gpt-4.1-mini", false},
		{"c: x", "", Complex, DefaultStrongModel, false},
		{"c: x", "key-a", Complex, "o1-mini", true},
		{"m: x", "key-a", Moderate, "gpt-4.1-mini", true}, // not overridden: the global table
		{"s: x", "key-b", Simple, "gpt-4.1-nano", true},
		{"c: x", "unknown-key", Complex, DefaultStrongModel, false},
	}
	for _, tt := range tests {
		d := r.Route(tt.request, tt.key)
		if d.Tier != tt.tier || d.Model != tt.model || (d.KeyID != "") != tt.keyed {
			t.Errorf("Route(%q, %q) = %+v, want tier %s model %s keyed %v", tt.request, tt.key, d, tt.tier, tt.model, tt.keyed)
		}
		if tt.keyed && d.KeyID != tt.key {
			t.Errorf("KeyID %q, want the id given, %q (not hashed again)", d.KeyID, tt.key)
		}
		if got := r.Model(tt.tier, tt.key); got != tt.model {
			t.Errorf("Model(%s, %q) = %s, want %s", tt.tier, tt.key, got, tt.model)
		}
	}
}

func TestRouterEscalate(t *testing.T) {
	def, err := NewRouter(Config{}, fixedTier(Simple))
	if err != nil {
		t.Fatal(err)
	}
	d := def.Route("anything", "")
	if d.Model != DefaultCheapModel {
		t.Fatalf("default simple model %s", d.Model)
	}
	// Moderate has the same model as Simple, so the cascade goes straight to Complex.
	up, ok := def.Escalate(d)
	if !ok || up.Tier != Complex || up.Model != DefaultStrongModel || !up.Escalated {
		t.Fatalf("Escalate(simple) = %+v, %v; want complex on %s", up, ok, DefaultStrongModel)
	}
	if _, ok := def.Escalate(up); ok {
		t.Error("escalated past the top tier")
	}
	if got, ok := def.Escalate(Decision{Tier: "override", Model: "x"}); ok || got.Model != "x" {
		t.Error("a decision of an unknown tier must not escalate")
	}

	// Three distinct models and a custom order: every step climbs.
	r, err := NewRouter(Config{
		Tiers: map[Tier]string{Simple: "nano", Moderate: "mini", Complex: "big"},
		Order: []Tier{Simple, Moderate, Complex},
		PerKey: map[string]map[Tier]string{
			"k": {Complex: "mini"}, // for this key the top model equals Moderate's: no cascade from Moderate
		},
	}, fixedTier(Simple))
	if err != nil {
		t.Fatal(err)
	}
	var chain []string
	for d, ok := r.Route("x", ""), true; ok; d, ok = r.Escalate(d) {
		chain = append(chain, d.Model)
	}
	if strings.Join(chain, ">") != "nano>mini>big" {
		t.Errorf("cascade %v, want nano>mini>big", chain)
	}
	// Per-key overrides survive a JSON round trip of the decision (the history store),
	// which carries the key's id as given.
	b, err := json.Marshal(r.Route("x", "k"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"key_id":"k"`) {
		t.Errorf("decision JSON %s does not name the key's id", b)
	}
	var back Decision
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	up, ok = r.Escalate(back)
	if !ok || up.Model != "mini" || up.KeyID != back.KeyID {
		t.Fatalf("Escalate(keyed simple) = %+v, %v; want mini for the same key", up, ok)
	}
	if top, ok := r.Escalate(up); ok {
		t.Errorf("for key k Complex uses mini like Moderate: no further cascade, got %+v", top)
	}
}

func TestNewRouterErrors(t *testing.T) {
	for name, cfg := range map[string]Config{
		"unknown tier":       {Tiers: map[Tier]string{"hard": "x"}},
		"empty model":        {Tiers: map[Tier]string{Simple: ""}},
		"order missing tier": {Order: []Tier{Simple, Complex}},
		"order repeats":      {Order: []Tier{Simple, Simple, Complex}},
		"order unknown":      {Order: []Tier{Simple, Moderate, "hard"}},
		"per-key empty key":  {PerKey: map[string]map[Tier]string{"": {Simple: "x"}}},
		"per-key bad tier":   {PerKey: map[string]map[Tier]string{"key-id": {"hard": "x"}}},
	} {
		_, err := NewRouter(cfg, fixedTier(Simple))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if name == "per-key bad tier" && !strings.Contains(err.Error(), "per_key[key-id]") {
			t.Errorf("%s: error %q does not name the key's id", name, err)
		}
	}
	if _, err := NewRouter(Config{}, nil); err == nil {
		t.Error("nil classifier accepted")
	}
}

// scored classifies every request as Moderate with the request's length as the score.
type scored struct{}

func (scored) Analyze(r string) Analysis {
	return Analysis{Tier: Moderate, Score: float64(len(r)) / 10}
}

func TestRouterThresholds(t *testing.T) {
	r, err := NewRouter(Config{Thresholds: &Thresholds{Moderate: 0.5, Complex: 1.5}}, scored{})
	if err != nil {
		t.Fatal(err)
	}
	for req, want := range map[string]Tier{
		"abcd":             Simple,   // 0.4
		"abcde":            Moderate, // 0.5: a threshold is inclusive
		"abcdefghijklmn":   Moderate, // 1.4
		"abcdefghijklmnop": Complex,  // 1.6
	} {
		d := r.Route(req, "")
		if d.Tier != want || d.Model != r.Model(want, "") {
			t.Errorf("score %.1f: %s on %s, want %s", float64(len(req))/10, d.Tier, d.Model, want)
		}
		if (want != Moderate) != strings.Contains(strings.Join(d.Reasons, ";"), "thresholds") {
			t.Errorf("score %.1f: reasons %v must say when the thresholds changed the tier", float64(len(req))/10, d.Reasons)
		}
	}
	if _, err := NewRouter(Config{Thresholds: &Thresholds{Moderate: 2, Complex: 1}}, scored{}); err == nil {
		t.Error("moderate above complex accepted")
	}
	// Without thresholds the analyzer's tier stands.
	plain, _ := NewRouter(Config{}, scored{})
	if d := plain.Route("abcdefghijklmnop", ""); d.Tier != Moderate {
		t.Errorf("without thresholds: %s, want the analyzer's moderate", d.Tier)
	}
}

func TestParseTier(t *testing.T) {
	for _, s := range []string{"simple", " Moderate ", "COMPLEX"} {
		if _, err := ParseTier(s); err != nil {
			t.Errorf("ParseTier(%q): %v", s, err)
		}
	}
	if _, err := ParseTier("hard"); err == nil {
		t.Error("ParseTier(hard) succeeded")
	}
}

// countingClassifier counts analyses.
type countingClassifier struct {
	mu sync.Mutex
	n  int
}

func (c *countingClassifier) Analyze(request string) Analysis {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return Analysis{Tier: Simple, Reasons: make([]string, 1, 8)}
}

// TestRouterRemembersAnalyses: a request seen again is not analysed again, the memo is
// bounded, and a decision's reasons can be appended to without touching the memo.
func TestRouterRemembersAnalyses(t *testing.T) {
	cc := &countingClassifier{}
	r, err := NewRouter(Config{Thresholds: &Thresholds{Moderate: -2, Complex: -1}}, cc)
	if err != nil {
		t.Fatal(err)
	}
	d1 := r.Route("book a table", "")
	d2 := r.Route("book a table", "")
	if cc.n != 1 {
		t.Fatalf("%d analyses for one request sent twice", cc.n)
	}
	// The thresholds append a reason to each decision: the two must not share it.
	d1.Reasons[len(d1.Reasons)-1] = "changed"
	if d2.Reasons[len(d2.Reasons)-1] == "changed" {
		t.Fatal("decisions share their reasons")
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 3*DefaultMemoSize; i++ {
				r.Route(fmt.Sprintf("request %d", i), "")
			}
		}(g)
	}
	wg.Wait()
	if n := len(r.memo.cur) + len(r.memo.prev); n > 2*DefaultMemoSize {
		t.Fatalf("memo holds %d analyses, bound %d", n, 2*DefaultMemoSize)
	}
}

// RouteQuery hands the request's query to a QueryClauseMatcher with the text it reads
// (quoted spans masked), so that the matcher reads the slots the query holds; Route
// gives it a query with no analysis. Analyses are remembered by text either way.
func TestRouteQueryHandsTheQuery(t *testing.T) {
	type call struct {
		q       query.Query
		request string
	}
	var calls []call
	m := MatchQueryClauses(func(q query.Query, request string) []Clause {
		calls = append(calls, call{q, request})
		return splitMatcher(request)
	})
	an, err := NewAnalyzer(m)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter(Config{}, an)
	if err != nil {
		t.Fatal(err)
	}
	q := query.For("acme", "play 'Yesterday' and text Bob")
	d := r.RouteQuery(q, "")
	if len(calls) != 1 || calls[0].q.Text != q.Text || calls[0].q.Tenant != "acme" || calls[0].request != "play 'quoted' and text Bob" {
		t.Fatalf("matcher calls %+v; want the query and its masked text", calls)
	}
	if again := r.Route(q.Text, ""); len(calls) != 1 || again.Tier != d.Tier || again.Score != d.Score {
		t.Errorf("Route of the same text analysed it again (%d calls) or differs: %+v vs %+v", len(calls), again, d)
	}
	r.Route("email Ann", "")
	if _, analysed := calls[len(calls)-1].q.Slots(); len(calls) != 2 || analysed || calls[1].q.Tenant != "" || calls[1].request != "email Ann" {
		t.Errorf("Route's matcher call %+v; want a query with no analysis", calls[len(calls)-1])
	}
	if got := an.Analyze("play 'Yesterday' and text Bob"); got.Tier != d.Tier || got.Score != d.Score {
		t.Errorf("Analyze %+v, AnalyzeQuery %+v: the same text analysed two ways", got, d)
	}
}
