// Package routeeval measures the complexity analyzers of package route against labelled
// plan shapes and fits the analyzer's model. It is evaluation tooling for `planwise eval
// route`, not part of the request path.
//
// The data are TaskBench domains (see ../shared/data/README.md): user_requests.json
// (JSON lines {id, user_request}), alignment_ids.json (request ids per quality filter and
// shape: single, chain, dag) and tool_desc.json (the catalog the clause matcher maps
// clauses to). The gold tier of a request is its shape: single -> Simple, chain ->
// Moderate, dag -> Complex. Requests are split deterministically into train and
// held-out parts by the FNV-1a hash of their id (Held); accuracies reported as results
// are held-out ones.
package routeeval

import (
	"errors"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"sort"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/route"
	"github.com/planwise/planwise/tool"
)

// File names inside a TaskBench domain directory.
const (
	requestsFile  = dataset.TaskBenchRequests
	alignmentFile = dataset.TaskBenchAlignment
	toolsFile     = dataset.TaskBenchTools
)

// DefaultFilter is the alignment filter whose shape labels are used. Every filter of the
// public data gives the same shapes for the requests that user_requests.json holds
// (they differ only on ids without a request), so the least strict one is used.
const DefaultFilter = "node_alignment_id"

// heldOutMod is the split: a request is held out when hash(id) % heldOutMod == 0.
const heldOutMod = 5

// Request is one labelled request.
type Request struct {
	ID    string     `json:"id"`
	Text  string     `json:"request"`
	Shape string     `json:"shape"` // single, chain or dag
	Gold  route.Tier `json:"gold"`
}

// Domain is one TaskBench domain's labelled requests and catalog.
type Domain struct {
	Name     string
	Dir      string
	Requests []Request // in id order
	Registry *tool.Registry
	// Ambiguous counts ids the alignment file lists under more than one shape; their
	// requests are left out.
	Ambiguous int
}

// Held reports whether the request with this id belongs to the held-out part.
func Held(id string) bool {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()%heldOutMod == 0
}

// Split returns the train and held-out parts of reqs.
func Split(reqs []Request) (train, held []Request) {
	for _, r := range reqs {
		if Held(r.ID) {
			held = append(held, r)
		} else {
			train = append(train, r)
		}
	}
	return train, held
}

var shapeTier = map[string]route.Tier{"single": route.Simple, "chain": route.Moderate, "dag": route.Complex}

// loadDomain reads a domain directory with the given alignment filter ("" for
// DefaultFilter).
func loadDomain(dir, filter string) (*Domain, error) {
	if filter == "" {
		filter = DefaultFilter
	}
	shapeOf, ambiguous, err := dataset.LoadTaskBenchShapes(dir, filter)
	if err != nil {
		return nil, err
	}
	reqs, err := dataset.LoadTaskBenchRequests(dir)
	if err != nil {
		return nil, err
	}
	d := &Domain{Name: filepath.Base(filepath.Clean(dir)), Dir: dir, Ambiguous: ambiguous}
	for _, r := range reqs {
		if shape, ok := shapeOf[r.ID]; ok && r.Text != "" {
			d.Requests = append(d.Requests, Request{ID: r.ID, Text: r.Text, Shape: shape, Gold: shapeTier[shape]})
		}
	}
	if len(d.Requests) == 0 {
		return nil, fmt.Errorf("taskbench %s: no request has a shape label under %q", dir, filter)
	}
	sort.SliceStable(d.Requests, func(i, j int) bool { return d.Requests[i].ID < d.Requests[j].ID })
	tools, err := dataset.LoadTaskBenchTools(dir)
	if err != nil {
		return nil, err
	}
	if d.Registry, err = tool.NewRegistry(tools...); err != nil {
		return nil, fmt.Errorf("taskbench %s: %w", dir, err)
	}
	return d, nil
}

// errNoDomain is returned by loadTaskBench for a directory that is neither a domain nor
// a directory of domains.
var errNoDomain = errors.New("no TaskBench domain (a directory with " + alignmentFile + ")")

// loadTaskBench reads a domain directory, or every domain under the TaskBench root.
func loadTaskBench(path, filter string) ([]*Domain, error) {
	dirs := dataset.TaskBenchDomains(path, alignmentFile)
	if len(dirs) == 0 {
		return nil, fmt.Errorf("%s: %w here or in its subdirectories", path, errNoDomain)
	}
	var out []*Domain
	for _, dir := range dirs {
		d, err := loadDomain(dir, filter)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Matcher adapts the pattern planner's clause matching over reg to route.ClauseMatcher,
// reading the request's query when it has one (the replay's planner routes with the
// query it analysed, as planwise does).
func Matcher(reg *tool.Registry) route.ClauseMatcher {
	return route.MatchQueryClauses(pattern.NewPattern(reg).ClausesOf)
}

// Result scores a classifier on labelled requests.
type Result struct {
	Samples int `json:"samples"`
	// Accuracy is the 3-class accuracy.
	Accuracy float64 `json:"accuracy"`
	// BinaryAccuracy scores Simple against not-Simple (single step against several).
	BinaryAccuracy float64 `json:"binary_accuracy"`
	// Confusion[gold][predicted], in tier order Simple, Moderate, Complex.
	Confusion [3][3]int `json:"confusion"`
}

// Add counts one prediction.
func (r *Result) Add(gold, got route.Tier) {
	gi, pi := tierIndex(gold), tierIndex(got)
	if gi < 0 || pi < 0 {
		return
	}
	r.Confusion[gi][pi]++
	r.Samples++
	r.finish()
}

func (r *Result) finish() {
	right, bin := 0, 0
	for g := range 3 {
		for p := range 3 {
			n := r.Confusion[g][p]
			if g == p {
				right += n
			}
			if (g == 0) == (p == 0) {
				bin += n
			}
		}
	}
	if r.Samples > 0 {
		r.Accuracy = float64(right) / float64(r.Samples)
		r.BinaryAccuracy = float64(bin) / float64(r.Samples)
	}
}

// Merge adds o's counts to r.
func (r *Result) Merge(o Result) {
	for g := range 3 {
		for p := range 3 {
			r.Confusion[g][p] += o.Confusion[g][p]
		}
	}
	r.Samples += o.Samples
	r.finish()
}

func tierIndex(t route.Tier) int {
	for i, x := range route.Tiers() {
		if x == t {
			return i
		}
	}
	return -1
}

// score classifies every request and counts the outcomes.
func score(c route.Classifier, reqs []Request) Result {
	var r Result
	for _, q := range reqs {
		r.Add(q.Gold, c.Analyze(q.Text).Tier)
	}
	return r
}

// Train fits both models of route.Models on the train part of every domain: the
// clauses model with each domain's own catalog as the clause matcher, the text model
// on lexical features only.
func Train(domains []*Domain, o route.FitOptions) (route.Models, error) {
	var withClauses, text []route.Sample
	for _, d := range domains {
		probe := route.NewMeter(Matcher(d.Registry))
		train, _ := Split(d.Requests)
		for _, q := range train {
			f := probe.Features(q.Text)
			withClauses = append(withClauses, route.Sample{Features: f, Tier: q.Gold})
			f.Clauses, f.Tools, f.Unmatched, f.ReferringClauses = 0, 0, 0, 0
			text = append(text, route.Sample{Features: f, Tier: q.Gold})
		}
	}
	oc := o
	oc.Clauses = true
	mc, err := route.Fit(withClauses, oc)
	if err != nil {
		return route.Models{}, err
	}
	ot := o
	ot.Clauses = false
	mt, err := route.Fit(text, ot)
	if err != nil {
		return route.Models{}, err
	}
	names := make([]string, len(domains))
	for i, d := range domains {
		names[i] = d.Name
	}
	prov := fmt.Sprintf("planwise eval route --train: multinomial logistic regression, TaskBench %v, filter %s, train part (fnv1a(id) %% %d != 0), %d samples",
		names, DefaultFilter, heldOutMod, len(withClauses))
	mc.Provenance, mt.Provenance = prov, prov
	return route.Models{Clauses: mc, Text: mt}, nil
}
