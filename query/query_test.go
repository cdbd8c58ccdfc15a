package query_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

func registry(t *testing.T, enum string) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(&tool.Tool{Name: "book", Description: "Book a seat.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"class":{"type":"string","enum":["` + enum + `"]},"city":{"type":"string"}},"required":["city"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// counting counts the texts it embeds, and fails when told to.
type counting struct {
	embed.Embedder
	embeds atomic.Int64
	fail   atomic.Bool
}

func (c *counting) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.embeds.Add(int64(len(texts)))
	if c.fail.Load() {
		return nil, errors.New("embedder down")
	}
	return c.Embedder.Embed(ctx, texts)
}

func TestQueryAnalysedOnceAndShared(t *testing.T) {
	reg := registry(t, "business")
	var reads atomic.Int64
	now := func() time.Time { reads.Add(1); return time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC) }
	an := query.NewAnalyzer(reg, now)
	const text = "book a business seat to Paris tomorrow"
	q := an.Query("acme", text)
	if q.Text != text || q.Tenant != "acme" {
		t.Fatalf("query %+v", q)
	}
	cp := q // copies share the analysis
	slots, ok := q.Slots()
	if !ok {
		t.Fatal("an analysed query has no slots")
	}
	want := slot.NewExtractor(slot.Options{Enums: slot.EnumsOf(reg), Now: now}).Extract(text)
	if len(slots) != len(want) || len(slots) == 0 {
		t.Fatalf("slots %+v, want %+v", slots, want)
	}
	reads.Store(0)
	cs, _ := cp.SlotsFor(reg)
	tmpl, _ := cp.Template()
	if reads.Load() != 0 || &cs[0] != &slots[0] {
		t.Error("a copy extracted the slots again")
	}
	if tmpl != slot.Template(text, want) {
		t.Errorf("template %q, want %q", tmpl, slot.Template(text, want))
	}
	// Another registry version is not the query's: its stages extract their own.
	if _, ok := q.SlotsFor(registry(t, "economy")); ok {
		t.Error("the slots of one registry were given for another")
	}
	// A query without an Analyzer has no slots, but keeps values and embeddings.
	if _, ok := query.For("acme", text).Slots(); ok {
		t.Error("a query without an Analyzer has slots")
	}
	if _, ok := (query.Query{Text: text}).Template(); ok {
		t.Error("a literal query has a template")
	}
}

func TestQueryValueAndEmbedding(t *testing.T) {
	local, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	emb := &counting{Embedder: local}
	ctx := context.Background()
	q := query.New("email bob the report")
	calls := 0
	for range 3 {
		if v := q.Value("k", func() any { calls++; return calls }); v != 1 {
			t.Fatalf("Value = %v, want the first computation's 1", v)
		}
	}
	v1, err := q.Embedding(ctx, emb, "email <name> the report")
	if err != nil {
		t.Fatal(err)
	}
	v2, _ := q.Embedding(ctx, emb, "email <name> the report")
	if emb.embeds.Load() != 1 || &v1[0] != &v2[0] {
		t.Errorf("the same text was embedded %d times", emb.embeds.Load())
	}
	if _, err := q.Embedding(ctx, emb, "email bob the report"); err != nil || emb.embeds.Load() != 2 {
		t.Errorf("another text: %v, %d embeddings", err, emb.embeds.Load())
	}
	// A failure is not kept: the next call asks again.
	emb.fail.Store(true)
	if _, err := q.Embedding(ctx, emb, "other"); err == nil {
		t.Fatal("the embedder's error was lost")
	}
	emb.fail.Store(false)
	if _, err := q.Embedding(ctx, emb, "other"); err != nil || emb.embeds.Load() != 4 {
		t.Errorf("after a failure: %v, %d embeddings", err, emb.embeds.Load())
	}
	// A literal query keeps nothing.
	lit := query.Query{Text: "x"}
	n := 0
	lit.Value("k", func() any { n++; return n })
	if lit.Value("k", func() any { n++; return n }) != 2 {
		t.Error("a literal query kept a value")
	}
}

// Plain is the analysis without enum values: the query's own slots when they hold no
// enum value (nothing extracted again), else one more extraction, kept. SlotsOf gives a
// rewriting of the text its Analyzer's slots, once per text, and the query's own slots
// for the text itself.
func TestPlainAndRewritings(t *testing.T) {
	reg := registry(t, "business")
	var reads atomic.Int64
	now := func() time.Time { reads.Add(1); return time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC) }
	an := query.NewAnalyzer(reg, now)
	plain := slot.NewExtractor(slot.Options{Now: func() time.Time { return time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC) }})
	for _, tc := range []struct {
		text  string
		reads int64 // extractions for Slots, then Plain twice
	}{
		{"book a seat to Paris tomorrow for bob@example.com", 1},
		{"book a business seat to Paris tomorrow", 2},
	} {
		reads.Store(0)
		q := an.Query("acme", tc.text)
		slots, tmpl, ok := q.Plain()
		again, _, _ := q.Plain()
		want := plain.Extract(tc.text)
		if !ok || !slices.Equal(slots, want) || tmpl != slot.Template(tc.text, want) || &again[0] != &slots[0] {
			t.Errorf("%q: Plain %+v %q %v; want %+v, kept", tc.text, slots, tmpl, ok, want)
		}
		if n := reads.Load(); n != tc.reads {
			t.Errorf("%q: %d extractions, want %d", tc.text, n, tc.reads)
		}
	}
	if _, _, ok := query.New("book a seat").Plain(); ok {
		t.Error("a query without an Analyzer has a plain analysis")
	}

	const text = "book a seat to Paris"
	q := an.Query("acme", text)
	own, _ := q.Slots()
	if same, ok := q.SlotsOf(reg, text); !ok || &same[0] != &own[0] {
		t.Error("SlotsOf the query's own text is not its Slots")
	}
	reads.Store(0)
	const masked = `book a "quoted" seat to Paris`
	a, ok := q.SlotsOf(reg, masked)
	b, _ := q.SlotsOf(reg, masked)
	want := slot.NewExtractor(slot.Options{Enums: slot.EnumsOf(reg), Now: now}).Extract(masked)
	if !ok || !slices.Equal(a, want) || &a[0] != &b[0] || reads.Load() != 2 { // one by the query, one for want
		t.Errorf("SlotsOf a rewriting: %+v %v (%d extractions); want %+v, extracted once", a, ok, reads.Load(), want)
	}
	if _, ok := q.SlotsOf(registry(t, "economy"), masked); ok {
		t.Error("SlotsOf answered for another registry")
	}
}
