package plans

import (
	"encoding/json"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/cases"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/plan"
)

// Scores are one prediction's scores against its gold plan; see the package doc for the
// definitions. F1 scores are in [0, 1], higher is better; EditDistance is in [0, 1],
// lower is better.
type Scores struct {
	NodeF1       float64 `json:"node_f1"`
	EdgeF1       float64 `json:"edge_f1"`
	ArgNameF1    float64 `json:"arg_name_f1"`
	ArgValueF1   float64 `json:"arg_value_f1"`
	EditDistance float64 `json:"edit_distance"`

	// pooled are the counts behind Report.TaskBench.
	pooled pooledCounts
}

// count is the overlap of a predicted and a gold collection: TP items in both, Pred and
// Gold the sizes of each side.
type count struct {
	TP, Pred, Gold int
}

// F1 is 2·TP / (Pred + Gold): the harmonic mean of precision TP/Pred and recall TP/Gold.
// Two empty sides agree perfectly (1); one empty side scores 0.
func (c count) F1() float64 {
	if c.Pred == 0 && c.Gold == 0 {
		return 1
	}
	return 2 * float64(c.TP) / float64(c.Pred+c.Gold)
}

func (c *count) add(o count) { c.TP += o.TP; c.Pred += o.Pred; c.Gold += o.Gold }

// pooledCounts are per-sample set counts (TaskBench's evaluate.py deduplicates within a
// sample) summed over samples, plus the TaskBench-style edit distance.
type pooledCounts struct {
	nodes, edges, argNames, argValues count
	indelED                           float64
}

// Score compares p with s's gold plan. A nil p is a miss: every F1 is 0 and the edit
// distance 1. Score does not validate p; Run counts an invalid plan as a miss by passing
// nil.
//
// A wrong plan never scores above a refusal: where both sides of a metric are empty (a
// one-step plan has no edges; a tool may take no arguments) the metric is 1 only when
// the plan's tools are exactly the gold's, and 0 otherwise; without that rule a valid
// one-step plan with the wrong tool would score edge-F1 1.0, more than saying "I
// cannot". For an Irrelevant sample (the right answer is no plan) a refusal scores 1 on
// every F1 and edit distance 0, and any plan scores 0 and 1.
func Score(s dataset.Sample, p *plan.Plan) Scores {
	gold := goldGraph(s)
	if s.Irrelevant {
		if p == nil {
			return Scores{NodeF1: 1, EdgeF1: 1, ArgNameF1: 1, ArgValueF1: 1}
		}
		return Scores{EditDistance: 1, pooled: pooled(planGraph(p), gold)}
	}
	if p == nil {
		empty := graph{}
		return Scores{EditDistance: 1, pooled: pooled(empty, gold)}
	}
	pred := planGraph(p)
	nodes := multisetCount(pred.nodeKeys(), gold.nodeKeys())
	right := nodes.TP == nodes.Pred && nodes.TP == nodes.Gold
	f1 := func(c count) float64 {
		if c.Pred == 0 && c.Gold == 0 && !right {
			return 0
		}
		return c.F1()
	}
	return Scores{
		NodeF1:       f1(nodes),
		EdgeF1:       f1(multisetCount(pred.edgeKeys(), gold.edgeKeys())),
		ArgNameF1:    f1(multisetCount(pred.argNameKeys(), gold.argNameKeys())),
		ArgValueF1:   f1(multisetCount(pred.argValueKeys(), gold.argValueKeys())),
		EditDistance: normalizedLevenshtein(pred.tools, gold.tools),
		pooled:       pooled(pred, gold),
	}
}

// ExactTools reports whether p calls exactly the gold tools: the same sequence, or the
// same tools and the same dependency edges in another order (independent steps listed
// the other way round). A nil p is never exact.
func ExactTools(s dataset.Sample, p *plan.Plan) bool {
	if p == nil || s.Irrelevant {
		return false
	}
	pred, gold := planGraph(p), goldGraph(s)
	if slicesEqual(pred.tools, gold.tools) {
		return true
	}
	n, e := multisetCount(pred.nodeKeys(), gold.nodeKeys()), multisetCount(pred.edgeKeys(), gold.edgeKeys())
	return n.TP == n.Pred && n.TP == n.Gold && e.TP == e.Pred && e.TP == e.Gold
}

// ExactCalls reports whether every step of p is a call the gold accepts (BFCL's AST
// check, see GoldStep.Accept), in gold order; ok is false when the sample's gold lists
// no acceptable values.
func ExactCalls(s dataset.Sample, p *plan.Plan) (exact, ok bool) {
	for _, g := range s.Gold {
		if g.Accept == nil {
			return false, false
		}
	}
	if len(s.Gold) == 0 {
		return false, false
	}
	if p == nil || len(p.Steps) != len(s.Gold) {
		return false, true
	}
	for i, g := range s.Gold {
		if !acceptsCall(p.Steps[i], g, s.OpenArgs) {
			return false, true
		}
	}
	return true, true
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func pooled(pred, gold graph) pooledCounts {
	return pooledCounts{
		nodes:     setCount(pred.nodeKeys(), gold.nodeKeys()),
		edges:     setCount(pred.edgeKeys(), gold.edgeKeys()),
		argNames:  setCount(pred.argNameKeys(), gold.argNameKeys()),
		argValues: setCount(pred.argValueKeys(), gold.argValueKeys()),
		indelED:   indelDistance(pred.tools, gold.tools),
	}
}

// graph is a plan reduced to what the metrics compare: normalised tool names in step
// order, edges between step indices and each step's normalised arguments.
type graph struct {
	tools []string
	edges [][2]int
	args  [][]arg
}

type arg struct{ name, value string }

// Keys join their parts with a byte that cannot occur in normalised text.
const keySep = "\x00"

func (g graph) nodeKeys() []string { return g.tools }

func (g graph) edgeKeys() []string {
	out := make([]string, 0, len(g.edges))
	for _, e := range g.edges {
		out = append(out, g.tools[e[0]]+keySep+g.tools[e[1]])
	}
	return out
}

func (g graph) argNameKeys() []string {
	var out []string
	for i, as := range g.args {
		for _, a := range as {
			out = append(out, g.tools[i]+keySep+a.name)
		}
	}
	return out
}

func (g graph) argValueKeys() []string {
	var out []string
	for i, as := range g.args {
		for _, a := range as {
			out = append(out, g.tools[i]+keySep+a.name+keySep+a.value)
		}
	}
	return out
}

// refPattern finds references leniently: any ${id...} up to the closing brace, so that
// gold field names the plan grammar cannot spell ("${s1.Exchange Rate}") still resolve.
var refPattern = regexp.MustCompile(`\$\{([A-Za-z][A-Za-z0-9_]*)[^}]*\}`)

func goldGraph(s dataset.Sample) graph {
	n := len(s.Gold)
	g := graph{tools: make([]string, n), args: make([][]arg, n)}
	for i, st := range s.Gold {
		g.tools[i] = normName(st.Tool)
	}
	for _, e := range s.Edges {
		if e[0] >= 0 && e[0] < n && e[1] >= 0 && e[1] < n {
			g.edges = append(g.edges, e)
		}
	}
	resolve := func(id string) (string, bool) {
		k, err := strconv.Atoi(strings.TrimPrefix(id, "s"))
		if !strings.HasPrefix(id, "s") || err != nil || k < 1 || k > n {
			return "", false
		}
		return g.tools[k-1], true
	}
	norm := newNormalizer(resolve)
	for i, st := range s.Gold {
		g.args[i] = norm.args(st.Args)
	}
	return g
}

func planGraph(p *plan.Plan) graph {
	n := len(p.Steps)
	g := graph{tools: make([]string, n), args: make([][]arg, n)}
	index := make(map[string]int, n)
	for i, st := range p.Steps {
		g.tools[i] = normName(st.Tool)
		if _, dup := index[st.ID]; !dup {
			index[st.ID] = i
		}
	}
	// Edges are plan.Edges (references, for_each, conditions, after) plus references the
	// strict plan grammar skips but refPattern reads, so that a gold plan rendered with
	// Sample.Plan scores its own edges.
	seen := map[[2]int]bool{}
	addEdge := func(fromID string, to int) {
		from, ok := index[fromID]
		if e := [2]int{from, to}; ok && from != to && !seen[e] {
			seen[e] = true
			g.edges = append(g.edges, e)
		}
	}
	for _, e := range p.Edges() {
		if to, ok := index[e[1]]; ok {
			addEdge(e[0], to)
		}
	}
	for i, st := range p.Steps {
		plan.WalkStrings(st.Args, func(s string) {
			for _, m := range refPattern.FindAllStringSubmatch(s, -1) {
				addEdge(m[1], i)
			}
		})
	}
	byID := func(id string) (string, bool) {
		if k, ok := index[id]; ok {
			return g.tools[k], true
		}
		return "", false
	}
	for i, st := range p.Steps {
		resolve := byID
		if r, ok := plan.WholeRef(st.ForEach); ok {
			// ${item} is an element of the for_each array: it points at that array's producer.
			resolve = func(id string) (string, bool) {
				if id == plan.ItemVar {
					return byID(r.Step)
				}
				return byID(id)
			}
		}
		g.args[i] = newNormalizer(resolve).args(st.Args)
	}
	return g
}

// normalizer renders argument values in the canonical form they are compared in.
type normalizer struct {
	fold    cases.Caser
	resolve func(id string) (tool string, ok bool)
}

func newNormalizer(resolve func(string) (string, bool)) *normalizer {
	return &normalizer{fold: cases.Fold(), resolve: resolve}
}

func (n *normalizer) args(m map[string]any) []arg {
	out := make([]arg, 0, len(m))
	for _, k := range sortedMapKeys(m) {
		out = append(out, arg{name: normName(k), value: n.value(m[k])})
	}
	return out
}

// value renders v canonically: strings trimmed and case-folded with every reference
// replaced by "@" and the producing tool; numbers (and strings that are numbers) in
// shortest form; arrays and objects as JSON of their canonical elements.
func (n *normalizer) value(v any) string {
	switch c := n.canon(v).(type) {
	case string:
		return c
	default:
		b, _ := json.Marshal(c)
		return string(b)
	}
}

func (n *normalizer) canon(v any) any {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		// References are resolved after folding: the tool they point to is compared
		// exactly, as tool names are. A reference's own spelling is kept unfolded.
		refs := refPattern.FindAllStringIndex(t, -1)
		var b strings.Builder
		last := 0
		for _, r := range refs {
			b.WriteString(n.fold.String(t[last:r[0]]))
			n.fold.Reset()
			ref := t[r[0]:r[1]]
			if tool, ok := n.resolve(refPattern.FindStringSubmatch(ref)[1]); ok {
				ref = "@" + tool
			}
			b.WriteString(ref)
			last = r[1]
		}
		b.WriteString(n.fold.String(t[last:]))
		n.fold.Reset()
		return canonNumber(strings.TrimSpace(b.String()))
	case json.Number:
		return canonNumber(t.String())
	case float64:
		return canonNumber(strconv.FormatFloat(t, 'f', -1, 64))
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case bool:
		return strconv.FormatBool(t)
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = n.canon(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[normName(k)] = n.canon(x)
		}
		return out
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return "?"
		}
		return string(b)
	}
}

// decimalPattern matches a plain decimal number: sign, digits, optional fraction.
var decimalPattern = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)

// canonNumber rewrites a number in a canonical form ("+01.50" -> "1.5", "2.0" -> "2",
// "1e3" -> "1000") and leaves anything else alone. Plain decimals are rewritten as text,
// so long digit strings (ids, phone numbers) keep every digit.
func canonNumber(s string) string {
	if s == "" || !(s[0] >= '0' && s[0] <= '9' || s[0] == '-' || s[0] == '+' || s[0] == '.') {
		return s
	}
	if decimalPattern.MatchString(s) {
		neg := s[0] == '-'
		s = strings.TrimLeft(s, "+-")
		intPart, frac, _ := strings.Cut(s, ".")
		intPart = strings.TrimLeft(intPart, "0")
		frac = strings.TrimRight(frac, "0")
		if intPart == "" {
			intPart = "0"
		}
		out := intPart
		if frac != "" {
			out += "." + frac
		}
		if neg && out != "0" {
			out = "-" + out
		}
		return out
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// normName is how tool and argument names are compared: exactly as written
// (calculate_BMI is not calculate_bmi; a catalog importer keeps the data set's names, and
// gold steps are mapped through the same importer).
func normName(s string) string { return s }

// multisetCount counts pred and gold as multisets: an item occurring twice in both
// matches twice.
func multisetCount(pred, gold []string) count {
	c := count{Pred: len(pred), Gold: len(gold)}
	left := make(map[string]int, len(gold))
	for _, g := range gold {
		left[g]++
	}
	for _, p := range pred {
		if left[p] > 0 {
			left[p]--
			c.TP++
		}
	}
	return c
}

// setCount counts the distinct items of pred and gold.
func setCount(pred, gold []string) count {
	ps := make(map[string]bool, len(pred))
	for _, p := range pred {
		ps[p] = true
	}
	gs := make(map[string]bool, len(gold))
	for _, g := range gold {
		gs[g] = true
	}
	c := count{Pred: len(ps), Gold: len(gs)}
	for p := range ps {
		if gs[p] {
			c.TP++
		}
	}
	return c
}

// levenshtein is the edit distance (insertions, deletions, substitutions) between a and b.
func levenshtein(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// normalizedLevenshtein is levenshtein(a, b) / max(len(a), len(b)); 0 for two empty
// sequences.
func normalizedLevenshtein(a, b []string) float64 {
	m := max(len(a), len(b))
	if m == 0 {
		return 0
	}
	return float64(levenshtein(a, b)) / float64(m)
}

// indelDistance is TaskBench's edit distance, 1 - Levenshtein.ratio: the insertions and
// deletions needed to turn a into b (len(a)+len(b)-2·LCS) over len(a)+len(b).
func indelDistance(a, b []string) float64 {
	total := len(a) + len(b)
	if total == 0 {
		return 0
	}
	lcs := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		diag := 0
		for j := 1; j <= len(b); j++ {
			up := lcs[j]
			if a[i-1] == b[j-1] {
				lcs[j] = diag + 1
			} else {
				lcs[j] = max(lcs[j], lcs[j-1])
			}
			diag = up
		}
	}
	return float64(total-2*lcs[len(b)]) / float64(total)
}

// sortedMapKeys returns the keys of m in order.
func sortedMapKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
