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

// FromQuery gives a record the query's analysis only when it is the History's own.
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
	for _, c := range []struct {
		q    query.Query
		text string
	}{
		{an.Query("t", "book a business seat to Paris"), "book a business seat to Paris"}, // an enum value
		{query.For("t", "book a seat to Rome"), "book a seat to Rome"},                    // no analysis
		{an.Query("t", "book a seat to Rome"), "another request"},                         // another request
	} {
		r := &Record{Request: c.text}
		h.FromQuery(r, c.q)
		if r.Template != "" || r.Slots != nil || r.Embedding != nil {
			t.Errorf("%q: the record took the query's analysis: %+v", c.text, r)
		}
	}
}
