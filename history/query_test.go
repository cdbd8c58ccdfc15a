package history

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// TestQueryVectorUsesTheQuerysTemplate: the few-shot query embeds the template the
// History's own extractor (no enum values) gives; a query analysed for a registry gives
// the same template whenever its slots hold no enum value, and then no second
// extraction is made. A query whose slots hold an enum value is extracted again.
func TestQueryVectorUsesTheQuerysTemplate(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "book", Description: "Book a seat.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"class":{"type":"string","enum":["economy","business"]},"city":{"type":"string"}},"required":["class","city"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC) }
	an := query.NewAnalyzer(reg, now)
	own := slot.NewExtractor(slot.Options{Now: now})
	h, err := New(context.Background(), NewMemoryStore(), testEmbedder(t), Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		"book a seat to Paris on 2026-12-24 at 7 PM for bob@example.com",
		"Book a business seat to New York tomorrow",
		"book 'Economy Plus' for Luigi's on December 10th",
		"fly economy to Rome next Friday and email it to ann@example.com",
		"book a seat for $120 to Berlin, DC",
	} {
		q := an.Query("t", text)
		slots, _ := q.Slots()
		want := slot.Template(text, own.Extract(text))
		if !hasEnum(slots) {
			if got, _ := q.Template(); got != want {
				t.Errorf("%q: the query's template %q is not the History's %q", text, got, want)
			}
		}
		v, err := h.queryVector(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		w, err := h.emb.Embed(context.Background(), []string{want})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(v, w[0]) {
			t.Errorf("%q: the few-shot query embedded another text than the template %q", text, want)
		}
	}
}

// FromQuery gives a record the query's analysis without enum values (Plain), the
// History's own, and nothing when the query has no analysis or is another request's.
func TestFromQuery(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "book", Description: "Book a seat.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"class":{"type":"string","enum":["economy","business"]},"city":{"type":"string"}},"required":["class","city"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(context.Background(), NewMemoryStore(), testEmbedder(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	an := query.NewAnalyzer(reg, nil)
	q := an.Query("t", "book a seat to Paris")
	if _, err := h.queryVector(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	r := &Record{Request: q.Text}
	h.FromQuery(r, q)
	tmpl, _ := q.Template()
	if r.Template != tmpl || len(r.Slots) != 1 || len(r.Embedding) == 0 || r.Embedder != h.emb.Name() {
		t.Errorf("record %+v: want the query's template %q, slots and embedding", r, tmpl)
	}
	// A query whose slots hold an enum value gives its Plain analysis, the History's
	// own extractor's (no enum values), which it made once (the few-shot query's too).
	const withEnum = "book a business seat to Paris"
	r = &Record{Request: withEnum}
	h.FromQuery(r, an.Query("t", withEnum))
	own := h.ex.Extract(withEnum)
	if want := slot.Template(withEnum, own); r.Template != want || !slices.Equal(r.Slots, own) {
		t.Errorf("%q: record %+v; want the History's own template %q and slots %+v", withEnum, r, want, own)
	}
	for _, c := range []struct {
		q    query.Query
		text string
	}{
		{query.For("t", "book a seat to Rome"), "book a seat to Rome"}, // no analysis
		{an.Query("t", "book a seat to Rome"), "another request"},      // another request
	} {
		r := &Record{Request: c.text}
		h.FromQuery(r, c.q)
		if r.Template != "" || r.Slots != nil || r.Embedding != nil {
			t.Errorf("%q: the record took the query's analysis: %+v", c.text, r)
		}
	}
}

func hasEnum(slots []slot.Slot) bool {
	for _, s := range slots {
		if s.Kind == slot.Enum {
			return true
		}
	}
	return false
}
