package plans

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/plan"
)

// weatherMail is the gold plan most metric cases score against:
// s1 get_weather(location=Paris) -> s2 send_email(to=bob@example.com, body=${s1.summary}).
func weatherMail() dataset.Sample {
	return dataset.Sample{
		ID:      "t1",
		Request: "email Bob the weather in Paris",
		Gold: []dataset.GoldStep{
			{Tool: "get_weather", Args: map[string]any{"location": "Paris"}},
			{Tool: "send_email", Args: map[string]any{"to": "bob@example.com", "body": "${s1.summary}"}},
		},
		Edges: [][2]int{{0, 1}},
	}
}

func step(id, tool string, args map[string]any) plan.Step {
	if args == nil {
		args = map[string]any{}
	}
	return plan.Step{ID: id, Tool: tool, Args: args}
}

func steps(s ...plan.Step) *plan.Plan { return &plan.Plan{Steps: s} }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScore(t *testing.T) {
	tests := []struct {
		name   string
		sample dataset.Sample
		pred   *plan.Plan
		want   Scores
	}{
		{
			name:   "exact prediction",
			sample: weatherMail(),
			pred: steps(step("s1", "get_weather", map[string]any{"location": "Paris"}),
				step("s2", "send_email", map[string]any{"to": "bob@example.com", "body": "${s1.summary}"})),
			want: Scores{NodeF1: 1, EdgeF1: 1, ArgNameF1: 1, ArgValueF1: 1, EditDistance: 0},
		},
		{
			name:   "miss: no plan",
			sample: weatherMail(),
			pred:   nil,
			want:   Scores{EditDistance: 1},
		},
		{
			// nodes 2·1/(1+2); edges 0 of 1; names 2·1/(1+3); values likewise (" paris " is
			// trimmed and folded); edit distance 1 deletion / 2.
			name:   "one of two steps, value needs trimming and folding",
			sample: weatherMail(),
			pred:   steps(step("s1", "get_weather", map[string]any{"location": " paris "})),
			want:   Scores{NodeF1: 2.0 / 3, EdgeF1: 0, ArgNameF1: 0.5, ArgValueF1: 0.5, EditDistance: 0.5},
		},
		{
			// A reference is compared by the tool it points to, not its path; ids differ.
			name:   "reference to the same tool through another field and other ids",
			sample: weatherMail(),
			pred: steps(step("w", "get_weather", map[string]any{"location": "Paris"}),
				step("m", "send_email", map[string]any{"to": "BOB@example.com", "body": "${w.text}"})),
			want: Scores{NodeF1: 1, EdgeF1: 1, ArgNameF1: 1, ArgValueF1: 1, EditDistance: 0},
		},
		{
			// nodes: pred {get_time, get_weather, send_email} vs gold 2 -> 2·2/5;
			// edges: (get_time->send_email) vs (get_weather->send_email) -> 0;
			// names all 3 match -> 1; values: body points at get_time -> 2·2/6;
			// edit: one insertion -> 1/3.
			name:   "reference to the wrong tool",
			sample: weatherMail(),
			pred: steps(step("s1", "get_time", nil),
				step("s2", "get_weather", map[string]any{"location": "Paris"}),
				step("s3", "send_email", map[string]any{"to": "bob@example.com", "body": "${s1}"})),
			want: Scores{NodeF1: 0.8, EdgeF1: 0, ArgNameF1: 1, ArgValueF1: 4.0 / 6, EditDistance: 1.0 / 3},
		},
		{
			// Same tools in the other order and no reference: nodes match as a multiset,
			// the sequence needs two substitutions of two.
			name:   "swapped order without the dependency",
			sample: weatherMail(),
			pred: steps(step("s1", "send_email", map[string]any{"to": "bob@example.com", "body": "hi"}),
				step("s2", "get_weather", map[string]any{"location": "Paris"})),
			want: Scores{NodeF1: 1, EdgeF1: 0, ArgNameF1: 1, ArgValueF1: 4.0 / 6, EditDistance: 1},
		},
		{
			// Multisets: gold a,a,b vs pred a,b,b share a and b once each: 2·2/6.
			// Edit distance: one substitution of three.
			name: "repeated tools count as a multiset",
			sample: dataset.Sample{Gold: []dataset.GoldStep{
				{Tool: "a", Args: map[string]any{}}, {Tool: "a", Args: map[string]any{}}, {Tool: "b", Args: map[string]any{}}}},
			pred: steps(step("s1", "a", nil), step("s2", "b", nil), step("s3", "b", nil)),
			// No edges and no arguments on either side: that agreement is only worth
			// something when the tools are right, which they are not here.
			want: Scores{NodeF1: 4.0 / 6, EdgeF1: 0, ArgNameF1: 0, ArgValueF1: 0, EditDistance: 1.0 / 3},
		},
		{
			// Numbers and booleans compare by value whatever their JSON type or spelling.
			name: "numbers and booleans by value",
			sample: dataset.Sample{Gold: []dataset.GoldStep{{Tool: "book", Args: map[string]any{
				"rooms": "1", "wifi": "True", "price": json.Number("12.50"), "tags": []any{"A", "b"}}}}},
			pred: steps(step("s1", "book", map[string]any{
				"rooms": json.Number("1.0"), "wifi": true, "price": 12.5, "tags": []any{"a", " B "}})),
			want: Scores{NodeF1: 1, EdgeF1: 1, ArgNameF1: 1, ArgValueF1: 1, EditDistance: 0},
		},
		{
			// Names compare exactly: calculate_BMI is another tool than calculate_bmi
			// (gold steps go through the same importer as the catalog).
			name: "tool names compare exactly",
			sample: dataset.Sample{Gold: []dataset.GoldStep{
				{Tool: "Text_to_Image", Args: map[string]any{"text": "a lake"}},
				{Tool: "Image_Colorizer", Args: map[string]any{"image": "${s1}"}}}, Edges: [][2]int{{0, 1}}},
			pred: steps(step("s1", "text_to_image", map[string]any{"text": "A lake"}),
				step("s2", "Image_Colorizer", map[string]any{"image": "${s1}"})),
			want: Scores{NodeF1: 0.5, EdgeF1: 0, ArgNameF1: 0.5, ArgValueF1: 0, EditDistance: 0.5},
		},
		{
			name:   "a wrong one-step plan scores no more than a refusal",
			sample: dataset.Sample{Gold: []dataset.GoldStep{{Tool: "send_sms", Args: map[string]any{}}}},
			pred:   steps(step("s1", "render_template", map[string]any{})),
			want:   Scores{NodeF1: 0, EdgeF1: 0, ArgNameF1: 0, ArgValueF1: 0, EditDistance: 1},
		},
		{
			// Wrong value, right name: names 1, values 0 of 1.
			name:   "single step, wrong value",
			sample: dataset.Sample{Gold: []dataset.GoldStep{{Tool: "get_weather", Args: map[string]any{"location": "Paris"}}}},
			pred:   steps(step("s1", "get_weather", map[string]any{"location": "Rome"})),
			want:   Scores{NodeF1: 1, EdgeF1: 1, ArgNameF1: 1, ArgValueF1: 0, EditDistance: 0},
		},
		{
			// A single-step gold has no edges; a prediction that invents one scores 0.
			name:   "spurious edge",
			sample: dataset.Sample{Gold: []dataset.GoldStep{{Tool: "b", Args: map[string]any{}}}},
			pred:   steps(step("s1", "a", nil), step("s2", "b", map[string]any{"x": "${s1}"})),
			want:   Scores{NodeF1: 2.0 / 3, EdgeF1: 0, ArgNameF1: 0, ArgValueF1: 0, EditDistance: 0.5},
		},
		{
			// for_each: ${item.id} points at the producer of the looped array.
			name: "loop item resolves to the array's producer",
			sample: dataset.Sample{Gold: []dataset.GoldStep{
				{Tool: "list", Args: map[string]any{}},
				{Tool: "get", Args: map[string]any{"id": "${s1.items}"}}}, Edges: [][2]int{{0, 1}}},
			pred: &plan.Plan{Steps: []plan.Step{step("s1", "list", nil),
				{ID: "s2", Tool: "get", ForEach: "${s1.items}", Args: map[string]any{"id": "${item.id}"}}}},
			want: Scores{NodeF1: 1, EdgeF1: 1, ArgNameF1: 1, ArgValueF1: 1, EditDistance: 0},
		},
		{
			// after adds an edge like a reference does.
			name:   "after is an edge",
			sample: dataset.Sample{Gold: []dataset.GoldStep{{Tool: "a", Args: map[string]any{}}, {Tool: "b", Args: map[string]any{}}}, Edges: [][2]int{{0, 1}}},
			pred:   &plan.Plan{Steps: []plan.Step{step("s1", "a", nil), {ID: "s2", Tool: "b", Args: map[string]any{}, After: []string{"s1"}}}},
			want:   Scores{NodeF1: 1, EdgeF1: 1, ArgNameF1: 1, ArgValueF1: 1, EditDistance: 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(tt.sample, tt.pred)
			if !near(got.NodeF1, tt.want.NodeF1) || !near(got.EdgeF1, tt.want.EdgeF1) ||
				!near(got.ArgNameF1, tt.want.ArgNameF1) || !near(got.ArgValueF1, tt.want.ArgValueF1) ||
				!near(got.EditDistance, tt.want.EditDistance) {
				t.Errorf("Score =\n  node %.4f edge %.4f name %.4f value %.4f ed %.4f\nwant\n  node %.4f edge %.4f name %.4f value %.4f ed %.4f",
					got.NodeF1, got.EdgeF1, got.ArgNameF1, got.ArgValueF1, got.EditDistance,
					tt.want.NodeF1, tt.want.EdgeF1, tt.want.ArgNameF1, tt.want.ArgValueF1, tt.want.EditDistance)
			}
		})
	}
}

func TestCountF1(t *testing.T) {
	tests := []struct {
		c    count
		want float64
	}{
		{count{}, 1},                             // both empty: nothing to predict, nothing predicted
		{count{TP: 0, Pred: 0, Gold: 3}, 0},      // predicted nothing
		{count{TP: 0, Pred: 2, Gold: 0}, 0},      // predicted what is not there
		{count{TP: 1, Pred: 2, Gold: 4}, 1. / 3}, // P 1/2, R 1/4: 2·(1/8)/(3/4)
		{count{TP: 3, Pred: 3, Gold: 3}, 1},
	}
	for _, tt := range tests {
		if got := tt.c.F1(); !near(got, tt.want) {
			t.Errorf("%+v.F1() = %v, want %v", tt.c, got, tt.want)
		}
	}
}

func TestMultisetAndSetCount(t *testing.T) {
	pred := []string{"a", "a", "a", "b", "c"}
	gold := []string{"a", "a", "b", "b", "d"}
	if got, want := multisetCount(pred, gold), (count{TP: 3, Pred: 5, Gold: 5}); got != want {
		t.Errorf("multisetCount = %+v, want %+v", got, want)
	}
	// Distinct: pred {a,b,c}, gold {a,b,d}.
	if got, want := setCount(pred, gold), (count{TP: 2, Pred: 3, Gold: 3}); got != want {
		t.Errorf("setCount = %+v, want %+v", got, want)
	}
}

func TestEditDistances(t *testing.T) {
	tests := []struct {
		a, b       []string
		lev        int
		normalized float64
		indel      float64
	}{
		{nil, nil, 0, 0, 0},
		{[]string{"a"}, nil, 1, 1, 1},
		{[]string{"a", "b", "c"}, []string{"a", "b", "c"}, 0, 0, 0},
		// One deletion; LCS 2 of 3+2: indel (5-4)/5.
		{[]string{"a", "b", "c"}, []string{"a", "c"}, 1, 1.0 / 3, 0.2},
		// One substitution; LCS 2 of 3+3: indel 2/6.
		{[]string{"a", "x", "c"}, []string{"a", "y", "c"}, 1, 1.0 / 3, 2.0 / 6},
		// Swap: two substitutions of two; LCS 1 of 2+2: indel 2/4.
		{[]string{"a", "b"}, []string{"b", "a"}, 2, 1, 0.5},
		// kitten -> sitting, per letter: 3 edits, max length 7; LCS 4 of 13.
		{split("kitten"), split("sitting"), 3, 3.0 / 7, 5.0 / 13},
	}
	for _, tt := range tests {
		if got := levenshtein(tt.a, tt.b); got != tt.lev {
			t.Errorf("levenshtein(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.lev)
		}
		if got := levenshtein(tt.b, tt.a); got != tt.lev {
			t.Errorf("levenshtein(%v, %v) = %d, want %d (symmetric)", tt.b, tt.a, got, tt.lev)
		}
		if got := normalizedLevenshtein(tt.a, tt.b); !near(got, tt.normalized) {
			t.Errorf("normalizedLevenshtein(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.normalized)
		}
		if got := indelDistance(tt.a, tt.b); !near(got, tt.indel) {
			t.Errorf("indelDistance(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.indel)
		}
	}
}

func split(s string) []string {
	out := make([]string, len(s))
	for i := range s {
		out[i] = s[i : i+1]
	}
	return out
}

// TestAggregatePooled checks the macro means and the TaskBench pooled scores over two
// samples: one perfect, one miss.
func TestAggregatePooled(t *testing.T) {
	s := weatherMail()
	perfect := SampleResult{Valid: true, Scores: Score(s, s.Plan())}
	miss := SampleResult{ErrorKind: errorKindPlanner, Scores: Score(s, nil)}
	rep := aggregate("d", "p", []SampleResult{perfect, miss})
	if rep.Samples != 2 || rep.Valid != 1 || !near(rep.ValidRate, 0.5) || rep.Errors[errorKindPlanner] != 1 {
		t.Fatalf("counts: %+v", rep)
	}
	for name, got := range map[string]float64{"node": rep.NodeF1, "edge": rep.EdgeF1, "name": rep.ArgNameF1, "value": rep.ArgValueF1, "ed": rep.EditDistance} {
		if !near(got, 0.5) {
			t.Errorf("macro %s = %v, want 0.5", name, got)
		}
	}
	// Pooled: nodes TP 2, pred 2, gold 4 -> 4/6; edges TP 1, pred 1, gold 2 -> 2/3;
	// names and values TP 3, pred 3, gold 6 -> 6/9; indel distance (0 + 1) / 2.
	want := Pooled{NodeF1: 2.0 / 3, EdgeF1: 2.0 / 3, ArgNameF1: 2.0 / 3, ArgValueF1: 2.0 / 3, EditDistance: 0.5}
	got := rep.TaskBench
	if !near(got.NodeF1, want.NodeF1) || !near(got.EdgeF1, want.EdgeF1) || !near(got.ArgNameF1, want.ArgNameF1) ||
		!near(got.ArgValueF1, want.ArgValueF1) || !near(got.EditDistance, want.EditDistance) {
		t.Errorf("pooled = %+v, want %+v", got, want)
	}
}

func TestPooledDeduplicatesWithinASample(t *testing.T) {
	// TaskBench counts distinct items per sample: gold a,a vs pred a is a perfect node set.
	s := dataset.Sample{Gold: []dataset.GoldStep{{Tool: "a", Args: map[string]any{}}, {Tool: "a", Args: map[string]any{}}}}
	rep := aggregate("", "", []SampleResult{{Valid: true, Scores: Score(s, steps(step("s1", "a", nil)))}})
	if !near(rep.TaskBench.NodeF1, 1) {
		t.Errorf("pooled node F1 = %v, want 1", rep.TaskBench.NodeF1)
	}
	if !near(rep.NodeF1, 2.0/3) {
		t.Errorf("macro node F1 = %v, want 2/3 (multiset)", rep.NodeF1)
	}
}

func TestPooledNothingOnEitherSide(t *testing.T) {
	// Single-step samples have no edges: the per-sample mean calls a correct "no edges"
	// right (1), the pooled score follows scikit-learn and TaskBench (0).
	s := dataset.Sample{Gold: []dataset.GoldStep{{Tool: "a", Args: map[string]any{}}}}
	rep := aggregate("", "", []SampleResult{{Valid: true, Scores: Score(s, steps(step("s1", "a", nil)))}})
	if rep.EdgeF1 != 1 || rep.TaskBench.EdgeF1 != 0 || rep.TaskBench.NodeF1 != 1 {
		t.Errorf("edge F1 mean %v pooled %v, node pooled %v; want 1, 0, 1", rep.EdgeF1, rep.TaskBench.EdgeF1, rep.TaskBench.NodeF1)
	}
}

func TestCanonNumber(t *testing.T) {
	tests := map[string]string{
		"1": "1", "1.0": "1", "+01.50": "1.5", "-0.0": "0", "-2.500": "-2.5", "007": "7",
		"1234567890123456789": "1234567890123456789", // no float rounding of long ids
		"1e3":                 "1000", "2.5E-1": "0.25",
		"08:00": "08:00", "2024-02-12": "2024-02-12", "1,000": "1,000", "abc": "abc", "": "", "-": "-", ".5x": ".5x",
	}
	for in, want := range tests {
		if got := canonNumber(in); got != want {
			t.Errorf("canonNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
