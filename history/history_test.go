package history

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/histplan"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

func testRegistry(t testing.TB) *tool.Registry {
	t.Helper()
	mk := func(name, desc, schema string) *tool.Tool {
		return &tool.Tool{Name: name, Description: desc, InputSchema: json.RawMessage(schema)}
	}
	reg, err := tool.NewRegistry(
		mk("send_email", "Send an e-mail.", `{"type":"object","properties":{"to":{"type":"string","format":"email"},"body":{"type":"string"}},"required":["to","body"]}`),
		mk("set_lights", "Switch the lights of a room.", `{"type":"object","properties":{"room":{"type":"string"},"state":{"type":"string","enum":["on","off"]}},"required":["room","state"]}`),
		mk("get_weather", "Weather forecast for a city on a date.", `{"type":"object","properties":{"city":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["city","date"]}`),
		mk("search_web", "Search the web.", `{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func testEmbedder(t testing.TB) embed.Embedder {
	t.Helper()
	e, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func parsePlan(t testing.TB, s string) *plan.Plan {
	t.Helper()
	p, err := plan.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newHistory(t testing.TB, store Store, clk *clock) *History {
	t.Helper()
	h, err := New(context.Background(), store, testEmbedder(t), Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func emailPlan(t testing.TB, to, body string) *plan.Plan {
	return parsePlan(t, fmt.Sprintf(`{"steps":[{"id":"s1","tool":"send_email","args":{"to":%q,"body":%q}}]}`, to, body))
}

func TestRecordFillsAndStores(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	store := NewMemoryStore()
	clk := newClock()
	h := newHistory(t, store, clk)
	r := &Record{ID: "req1", RequestID: "req1", Tenant: "acme", Request: "Email bob@example.com that I am late", Source: "llm",
		Plan: emailPlan(t, "bob@example.com", "I am late"), Valid: true, RegistryVersion: reg.Version()}
	if err := h.Record(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := store.GetRecord(ctx, "req1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Template != "email <email> that i am late" || len(got.Slots) != 1 || len(got.Embedding) != 256 || got.Embedder == "" {
		t.Errorf("record not analysed: template %q slots %v dim %d embedder %q", got.Template, got.Slots, len(got.Embedding), got.Embedder)
	}
	if !got.Time.Equal(clk.Now()) || got.ID != "req1" {
		t.Errorf("time %v id %q", got.Time, got.ID)
	}
	if n := h.PoolSize("acme", reg.Version()); n != 1 {
		t.Errorf("pool size %d, want 1", n)
	}
	if n := h.PoolSize("other", reg.Version()); n != 0 {
		t.Errorf("another tenant's pool has %d records", n)
	}
	// Invalid first answers, errors, and untrusted sources do not teach.
	for i, bad := range []*Record{
		{Request: "email x", Source: "llm", ErrorType: "ValidationError"},
		{Request: "email y", Source: "pattern", Plan: emailPlan(t, "y@example.com", "y")},
		{Request: "email z", Source: "llm"},
	} {
		bad.Tenant, bad.RegistryVersion = "acme", reg.Version()
		if err := h.Record(ctx, bad); err != nil {
			t.Fatal(err)
		}
		if n := h.PoolSize("acme", reg.Version()); n != 1 {
			t.Errorf("record %d joined the pool (size %d)", i, n)
		}
	}
	if err := h.Record(ctx, &Record{}); err == nil {
		t.Error("a record without a request was accepted")
	}
}

func TestRunAndFeedbackUpdatePool(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	store := NewMemoryStore()
	h := newHistory(t, store, newClock())
	ns := func() int { return h.PoolSize("t", reg.Version()) }
	add := func(id, source string) {
		if err := h.Record(ctx, &Record{ID: id, RequestID: id, Tenant: "t", Request: "email " + id + "@example.com hi", Source: source,
			Plan: emailPlan(t, id+"@example.com", "hi"), Valid: true, RegistryVersion: reg.Version()}); err != nil {
			t.Fatal(err)
		}
	}
	add("a", "llm")
	add("b", "llm")
	add("c", "pattern")
	if ns() != 2 {
		t.Fatalf("pool %d, want 2", ns())
	}
	failedRun := &execute.Result{ID: "run1", Status: execute.RunFailed, Steps: []execute.StepResult{{ID: "s1", Tool: "send_email", Status: execute.StepFailed, Error: "smtp down"}}}
	if err := h.RecordRun(ctx, "a", failedRun); err != nil {
		t.Fatal(err)
	}
	if ns() != 1 {
		t.Errorf("a failed run left the record in the pool (%d)", ns())
	}
	got, _ := store.GetRecord(ctx, "a")
	if got.Execution == nil || got.Execution.Status != execute.RunFailed || got.Execution.Steps[0].Error != "smtp down" {
		t.Errorf("execution not stored: %+v", got.Execution)
	}
	if err := h.RecordFeedback(ctx, "b", -1); err != nil {
		t.Fatal(err)
	}
	if ns() != 0 {
		t.Errorf("negative feedback left the record in the pool (%d)", ns())
	}
	if err := h.RecordFeedback(ctx, "c", 1); err != nil {
		t.Fatal(err)
	}
	if ns() != 1 {
		t.Errorf("a pattern plan rated good did not join the pool (%d)", ns())
	}
	if err := h.RecordFeedback(ctx, "c", 2); !errors.Is(err, execute.ErrInvalidFeedback) {
		t.Errorf("rating 2: %v", err)
	}
	if err := h.RecordRun(ctx, "nope", failedRun); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown request: %v, want ErrNotFound", err)
	}
	// A restart rebuilds the same pool from the store.
	h2 := newHistory(t, store, newClock())
	if n := h2.PoolSize("t", reg.Version()); n != 1 {
		t.Errorf("after restart pool %d, want 1", n)
	}
}

func TestRetryDetection(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	h := newHistory(t, NewMemoryStore(), clk)
	rec := func(key, req string) bool {
		r := &Record{APIKey: key, Tenant: "t", Request: req}
		if err := h.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r.Retry
	}
	if rec("k1", "what's the weather in Paris tomorrow") {
		t.Error("first request marked as retry")
	}
	clk.Add(30 * time.Second)
	if !rec("k1", "what is the weather in Paris tomorrow?") {
		t.Error("re-ask within the window not marked as retry")
	}
	if rec("k2", "what is the weather in Paris tomorrow?") {
		t.Error("another key's request marked as retry")
	}
	clk.Add(10 * time.Second)
	if rec("k1", "send an email to bob@example.com about the invoice") {
		t.Error("a different request marked as retry")
	}
	clk.Add(3 * time.Minute)
	if rec("k1", "what is the weather in Paris tomorrow") {
		t.Error("re-ask after the window marked as retry")
	}
	if rec("", "what is the weather in Paris tomorrow") || rec("", "what is the weather in Paris tomorrow") {
		t.Error("requests without an API key marked as retries")
	}
}

// An API key's ask log keeps its latest maxRecentPerKey asks, oldest first, whatever
// the window drops, and once its buffer is grown keeps them without allocating.
func TestAskLogKeepsTheLatest(t *testing.T) {
	var l askLog
	var want []ask
	at := time.Unix(0, 0)
	for i := range 1000 {
		a := ask{at: at.Add(time.Duration(i)), template: fmt.Sprint(i)}
		l.push(a)
		want = append(want, a)
		if len(want) > maxRecentPerKey {
			want = want[len(want)-maxRecentPerKey:]
		}
		if i%97 == 0 { // the window drops some
			n := min(len(want), 5)
			l.drop(n)
			want = want[n:]
		}
		if got := l.live(); !reflect.DeepEqual(got, want) && (len(got) != 0 || len(want) != 0) {
			t.Fatalf("after %d asks: %d asks %v..., want %d", i+1, len(got), got[:min(len(got), 2)], len(want))
		}
	}
	if n := testing.AllocsPerRun(1000, func() { l.push(ask{at: at, template: "x"}) }); n != 0 {
		t.Errorf("push allocates %.1f times an ask", n)
	}
	for _, a := range l.buf[:l.first] {
		if a.template != "" {
			t.Fatal("an ask dropped from the log is still held")
		}
	}
}

// A key asking the same request again shares its vector (prepare): the retry is found
// with the vector's dot product with itself, as with a copy of the vector.
func TestRetryWithTheSameVector(t *testing.T) {
	h := newHistory(t, NewMemoryStore(), newClock())
	v := []float32{0.6, 0.8}
	at := time.Unix(100, 0)
	if h.noteAsk("k", "t", at, v) {
		t.Fatal("the first ask is a retry")
	}
	for i := range 3 {
		if !h.noteAsk("k", "t", at.Add(time.Duration(i+1)*time.Second), v) {
			t.Fatalf("ask %d with the same vector is not a retry", i+2)
		}
	}
	if got, want := h.recent["k"].live()[0].self, dot(v, slices.Clone(v)); got != want {
		t.Fatalf("self %v, dot %v", got, want)
	}
	if h.noteAsk("k", "u", at.Add(5*time.Second), []float32{0.8, -0.6}) {
		t.Fatal("an orthogonal vector is a retry")
	}
}

func TestExamplesSimilarDedupDiverse(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	h := newHistory(t, NewMemoryStore(), newClock())
	add := func(req, p string) {
		if err := h.Record(ctx, &Record{Tenant: "t", Request: req, Source: "llm", Valid: true, Plan: parsePlan(t, p),
			RegistryVersion: reg.Version()}); err != nil {
			t.Fatal(err)
		}
	}
	weather := `{"steps":[{"id":"s1","tool":"get_weather","args":{"city":"Paris","date":"2026-12-01"}}]}`
	weatherMail := `{"steps":[{"id":"s1","tool":"get_weather","args":{"city":"Paris","date":"2026-12-01"}},{"id":"s2","tool":"send_email","args":{"to":"bob@example.com","body":"${s1}"}}]}`
	add("what is the weather in Paris on 2026-12-01", weather)
	add("what is the weather in Rome on 2026-12-03", weather) // same template as the first
	add("what is the weather in Oslo on 2026-12-04 and email it to bob@example.com", weatherMail)
	add("what is the weather like in Paris on 2026-12-01", weather)
	add("turn on the lights in the kitchen", `{"steps":[{"id":"s1","tool":"set_lights","args":{"room":"kitchen","state":"on"}}]}`)
	add("search the web for cheap flights", `{"steps":[{"id":"s1","tool":"search_web","args":{"query":"cheap flights"}}]}`)

	ex, err := h.Examples(ctx, query.For("t", "what is the weather in Berlin on 2026-12-09"), reg.Version(), 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) == 0 || ex[0].Request != "what is the weather in Paris on 2026-12-01" && ex[0].Request != "what is the weather in Rome on 2026-12-03" {
		t.Fatalf("first example %v, want the most similar request", ex)
	}
	var reqs []string
	for _, e := range ex {
		reqs = append(reqs, e.Request)
		if e.Plan == nil || plan.Validate(e.Plan, reg) != nil || e.ID == "" {
			t.Errorf("example %q has no valid plan or id", e.Request)
		}
	}
	if slices.Contains(reqs, "what is the weather in Paris on 2026-12-01") && slices.Contains(reqs, "what is the weather in Rome on 2026-12-03") {
		t.Errorf("two examples share a template: %q", reqs)
	}
	// Diversity: the weather-and-email request (new tool) comes before the paraphrase
	// that uses the same single tool as the first example, although the paraphrase is
	// more similar to the request.
	v, _ := h.queryVector(ctx, query.New("what is the weather in Berlin on 2026-12-09"))
	sims := map[string]float64{}
	for _, m := range h.search("t", reg.Version(), v, 10) {
		sims[m.e.request] = m.sim
	}
	if sims["what is the weather like in Paris on 2026-12-01"] <= sims["what is the weather in Oslo on 2026-12-04 and email it to bob@example.com"] {
		t.Fatalf("test premise: the paraphrase must be more similar than the weather+email request: %v", sims)
	}
	iMail, iPara := slices.Index(reqs, "what is the weather in Oslo on 2026-12-04 and email it to bob@example.com"), slices.Index(reqs, "what is the weather like in Paris on 2026-12-01")
	if iMail < 0 || (iPara >= 0 && iPara < iMail) {
		t.Errorf("examples %q: want the weather+email example before the same-tool paraphrase", reqs)
	}
	for _, r := range reqs {
		if r == "search the web for cheap flights" || r == "turn on the lights in the kitchen" {
			t.Errorf("unrelated example %q above the floor", r)
		}
	}
	// Other namespaces see nothing.
	if ex, _ := h.Examples(ctx, query.For("other", "what is the weather in Berlin on 2026-12-09"), reg.Version(), 3); len(ex) != 0 {
		t.Errorf("tenant isolation: %v", ex)
	}
	if ex, _ := h.Examples(ctx, query.For("t", "what is the weather in Berlin on 2026-12-09"), "other-version", 3); len(ex) != 0 {
		t.Errorf("registry isolation: %v", ex)
	}
}

func TestHistoryPlannerEndToEnd(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	h := newHistory(t, NewMemoryStore(), newClock())
	if err := h.Record(ctx, &Record{Tenant: "acme", Request: "email bob@example.com that the build is green", Source: "llm", Valid: true,
		Plan: emailPlan(t, "bob@example.com", "the build is green"), RegistryVersion: reg.Version()}); err != nil {
		t.Fatal(err)
	}
	hp := h.Planner(reg)
	p, err := hp.Plan(ctx, query.For("acme", "email carol@example.com that the build is green"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Steps[0].Args["to"] != "carol@example.com" {
		t.Errorf("to = %v", p.Steps[0].Args["to"])
	}
	if _, err := hp.Plan(ctx, query.For("other", "email carol@example.com that the build is green")); !errors.Is(err, plan.ErrCannotPlan) {
		t.Errorf("another tenant was served: %v", err)
	}
}

func TestMemoryStoreQuery(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		tenant := "a"
		if i%2 == 1 {
			tenant = "b"
		}
		if err := s.PutRecord(ctx, &Record{ID: fmt.Sprint(i), Tenant: tenant, Request: "r", Time: t0.Add(time.Duration(i) * time.Hour), Experiment: tenant}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(q Query) []string {
		rs, err := s.Records(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	for _, c := range []struct {
		q    Query
		want []string
	}{
		{Query{}, []string{"4", "3", "2", "1", "0"}},
		{Query{Tenant: "a"}, []string{"4", "2", "0"}},
		{Query{Since: t0.Add(time.Hour), Until: t0.Add(4 * time.Hour)}, []string{"3", "2", "1"}},
		{Query{Limit: 2, Offset: 1}, []string{"3", "2"}},
		{Query{Experiment: "b"}, []string{"3", "1"}},
		{Query{Offset: 9}, nil},
	} {
		if got := ids(c.q); !slices.Equal(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.q, got, c.want)
		}
	}
}

func TestPlannerFloor(t *testing.T) {
	if got := PlannerFloor(testEmbedder(t).Name()); got != histplan.DefaultHistoryFloor {
		t.Errorf("local embedder floor %v", got)
	}
	if got := PlannerFloor("openai:text-embedding-3-small:1536"); got <= histplan.DefaultHistoryFloor {
		t.Errorf("uncalibrated embedder floor %v is not stricter than the local one", got)
	}
	if got := PlannerFloor("someone-else"); got < 0.9 {
		t.Errorf("unknown embedder floor %v", got)
	}
}

// A cache hit's record is stored without its embedding (it does not teach), and joins
// the pool, embedded again, when it is rated good.
func TestCacheHitRecordsKeepNoEmbedding(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	store := NewMemoryStore()
	h := newHistory(t, store, newClock())
	r := &Record{ID: "hit1", RequestID: "hit1", Tenant: "t", Request: "email bob@example.com hi", Source: "cache",
		Plan: emailPlan(t, "bob@example.com", "hi"), Valid: true, RegistryVersion: reg.Version()}
	if err := h.RecordBatch(ctx, []*Record{r}); err != nil {
		t.Fatal(err)
	}
	got, err := store.GetRecord(ctx, "hit1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Embedding) != 0 || got.Embedder != "" || got.Template == "" {
		t.Fatalf("stored cache hit: %d-d embedding by %q, template %q", len(got.Embedding), got.Embedder, got.Template)
	}
	if n := h.PoolSize("t", reg.Version()); n != 0 {
		t.Fatalf("a cache hit joined the pool (%d)", n)
	}
	if err := h.RecordFeedback(ctx, "hit1", 1); err != nil {
		t.Fatal(err)
	}
	if n := h.PoolSize("t", reg.Version()); n != 1 {
		t.Fatalf("a cache hit rated good did not join the pool (%d)", n)
	}
	if h2 := newHistory(t, store, newClock()); h2.PoolSize("t", reg.Version()) != 1 {
		t.Fatal("after a restart the rated hit is not in the pool")
	}
}

// The success pool is bounded: past MaxPool the records that joined first leave first,
// and a restart keeps the newest MaxPool.
func TestPoolIsBounded(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	store := NewMemoryStore()
	clk := newClock()
	h, err := New(ctx, store, testEmbedder(t), Options{Now: clk.Now, MaxPool: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		clk.Add(time.Second)
		id := fmt.Sprintf("r%d", i)
		if err := h.Record(ctx, &Record{ID: id, RequestID: id, Tenant: "t", Request: "email " + id + "@example.com hi", Source: "llm",
			Plan: emailPlan(t, id+"@example.com", "hi"), Valid: true, RegistryVersion: reg.Version()}); err != nil {
			t.Fatal(err)
		}
	}
	pooled := func(h *History) []string {
		h.mu.Lock()
		defer h.mu.Unlock()
		var ids []string
		for id := range h.inPool {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		return ids
	}
	if got := pooled(h); !slices.Equal(got, []string{"r2", "r3", "r4"}) {
		t.Fatalf("pool %v, want the newest three", got)
	}
	h.removeFromPool("r3") // a removed id left in the order list is skipped
	if err := h.Record(ctx, &Record{ID: "r5", RequestID: "r5", Tenant: "t", Request: "email r5@example.com hi", Source: "llm",
		Plan: emailPlan(t, "r5@example.com", "hi"), Valid: true, RegistryVersion: reg.Version()}); err != nil {
		t.Fatal(err)
	}
	if got := pooled(h); !slices.Equal(got, []string{"r2", "r4", "r5"}) {
		t.Fatalf("pool %v after a removal and an add", got)
	}
	h2, err := New(ctx, store, testEmbedder(t), Options{Now: clk.Now, MaxPool: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := pooled(h2); !slices.Equal(got, []string{"r3", "r4", "r5"}) {
		t.Fatalf("after a restart pool %v, want the newest three that teach", got)
	}
}

// countEmbeds counts the texts an embedder is asked for.
type countEmbeds struct {
	embed.Embedder
	n atomic.Int64
}

func (c *countEmbeds) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.n.Add(int64(len(texts)))
	return c.Embedder.Embed(ctx, texts)
}

// TestRepeatedHitEmbeddedOnce: the records of one API key's cache hits on the same
// request embed it once (retry detection reuses the key's earlier vector), are still
// told as retries within the window, and keep no vector.
func TestRepeatedHitEmbeddedOnce(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	emb := &countEmbeds{Embedder: testEmbedder(t)}
	h, err := New(ctx, NewMemoryStore(), emb, Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	p := emailPlan(t, "bob@example.com", "the invoice")
	var retries []bool
	for range 3 {
		r := &Record{APIKey: "k1", Tenant: "t", Request: "email bob@example.com the invoice", Source: "cache", Valid: true, Plan: p}
		if err := h.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
		if len(r.Embedding) != 0 {
			t.Errorf("a cache hit's record kept its vector")
		}
		retries = append(retries, r.Retry)
		clk.Add(10 * time.Second)
	}
	if n := emb.n.Load(); n != 1 {
		t.Errorf("three hits on one request embedded %d texts, want 1", n)
	}
	if !slices.Equal(retries, []bool{false, true, true}) {
		t.Errorf("retries %v, want [false true true]", retries)
	}
}
