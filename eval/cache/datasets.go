package cacheeval

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/tool"
)

// datasets are the names accepted by build.
var datasets = []string{"clinc150", "banking77", "gptcache", "qqp", "traps"}

// buildOptions select pairs from a data set.
type buildOptions struct {
	// Dir is the semcache data directory (../shared/data/semcache); unused for traps.
	Dir string
	// N is the number of pairs of each class (same/different; default 2000). For
	// gptcache all 999 pairs are used; for traps, N pairs of each trap kind (default 100).
	N    int
	Seed uint64
	// Hard picks, for each different-intent pair, the different-intent utterance most
	// similar to a (by Similar) instead of a random one: the hardest negatives.
	Hard    bool
	Similar func(texts []string) (func(i, j int) float64, error)
}

// Set is a built pair set with the catalog its plans use.
type Set struct {
	Name    string
	Pairs   []Pair
	Catalog []*tool.Tool
	// Shared is true when the set is meant to be evaluated in one namespace (GPTCache's
	// benchmark stores every origin, then queries every paraphrase).
	Shared bool
}

// errNoData is wrapped when a data file is missing.
var errNoData = errors.New("cacheeval: data set not found")

// build builds the named pair set.
func build(name string, o buildOptions) (*Set, error) {
	if o.N <= 0 {
		o.N = 2000
		if name == "traps" {
			o.N = 100
		}
	}
	switch name {
	case "clinc150":
		path := filepath.Join(o.Dir, "clinc150", "data_full.json")
		c, err := dataset.LoadCLINC150(path)
		if err != nil {
			return nil, noData(err, path)
		}
		return intentPairs("clinc150", c.Test, o)
	case "banking77":
		path := filepath.Join(o.Dir, "banking77", "test.csv")
		rows, err := dataset.LoadBanking77(path)
		if err != nil {
			return nil, noData(err, path)
		}
		return intentPairs("banking77", rows, o)
	case "gptcache":
		return gptcachePairs(filepath.Join(o.Dir, "gptcache", "mock_data.json"))
	case "qqp":
		return qqpPairs(filepath.Join(o.Dir, "gptcache", "similiar_qqp_full.json.gz"), o)
	case "traps":
		return traps(o.N, o.Seed), nil
	}
	return nil, fmt.Errorf("cacheeval: unknown data set %q (want one of %v)", name, datasets)
}

// noData wraps errNoData around the error of a missing data file.
func noData(err error, path string) error {
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w: %s", errNoData, path)
	}
	return err
}

var nonName = regexp.MustCompile(`[^A-Za-z0-9_]+`)

func intentTool(label string) string { return "intent_" + nonName.ReplaceAllString(label, "_") }

// intentPairs samples N same-intent and N different-intent pairs; each request's plan
// calls the tool of its intent (a synthetic one-tool-per-intent catalog).
func intentPairs(name string, rows []dataset.Utterance, o buildOptions) (*Set, error) {
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	byLabel := map[string][]int{}
	for i, r := range rows {
		byLabel[r.Intent] = append(byLabel[r.Intent], i)
	}
	labels := make([]string, 0, len(byLabel))
	for l := range byLabel {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	var catalog []*tool.Tool
	for _, l := range labels {
		catalog = append(catalog, &tool.Tool{Name: intentTool(l), Description: "intent " + l,
			InputSchema: json.RawMessage(`{"type":"object","properties":{},"additionalProperties":false}`)})
	}
	mk := func(i, j int, kind string) Pair {
		return Pair{A: rows[i].Text, B: rows[j].Text, Kind: kind,
			PlanA: []Step{{Tool: intentTool(rows[i].Intent)}}, PlanB: []Step{{Tool: intentTool(rows[j].Intent)}}}
	}
	var sim func(i, j int) float64
	if o.Hard {
		if o.Similar == nil {
			return nil, fmt.Errorf("cacheeval: hard negatives need a similarity function")
		}
		texts := make([]string, len(rows))
		for i, r := range rows {
			texts[i] = r.Text
		}
		var err error
		if sim, err = o.Similar(texts); err != nil {
			return nil, err
		}
	}
	var pairs []Pair
	for len(pairs) < o.N {
		i := rng.IntN(len(rows))
		same := byLabel[rows[i].Intent]
		if j := same[rng.IntN(len(same))]; j != i && rows[i].Text != rows[j].Text {
			pairs = append(pairs, mk(i, j, "same_intent"))
		}
	}
	for n := 0; n < o.N; {
		i := rng.IntN(len(rows))
		j := -1
		if o.Hard {
			best := -2.0
			for k := range rows {
				if rows[k].Intent != rows[i].Intent {
					if s := sim(i, k); s > best {
						best, j = s, k
					}
				}
			}
		} else if k := rng.IntN(len(rows)); rows[k].Intent != rows[i].Intent {
			j = k
		}
		if j >= 0 {
			kind := "different_intent"
			if o.Hard {
				kind = "different_intent_hard"
			}
			pairs = append(pairs, mk(i, j, kind))
			n++
		}
	}
	return &Set{Name: name, Pairs: pairs, Catalog: catalog}, nil
}

// gptcachePairs: every distinct origin gets its own plan (the answer with its id); the
// similar question must be served its own origin's plan. The file repeats 37 origins
// (after case and white-space folding) with different paraphrases; a repeated origin
// shares the plan of its first occurrence, since its answer is the same. Evaluated
// shared, like GPTCache's benchmark.
func gptcachePairs(path string) (*Set, error) {
	raw, err := dataset.LoadGPTCacheMock(path)
	if err != nil {
		return nil, noData(err, path)
	}
	pairs := make([]Pair, len(raw))
	first := map[string]int{}
	for i, r := range raw {
		key := strings.ToLower(strings.Join(strings.Fields(r.Origin), " "))
		id, seen := first[key]
		if !seen {
			id = i
			first[key] = i
		}
		p := []Step{{Tool: answerTool, Args: map[string]any{"id": strconv.Itoa(id)}}}
		pairs[i] = Pair{A: r.Origin, B: r.Similar, PlanA: p, PlanB: p, Kind: "paraphrase"}
	}
	return &Set{Name: "gptcache", Pairs: pairs, Catalog: answerCatalog(), Shared: true}, nil
}

// qqpPairs samples N duplicate and N non-duplicate Quora question pairs.
func qqpPairs(path string, o buildOptions) (*Set, error) {
	raw, err := dataset.LoadQQP(path)
	if err != nil {
		return nil, noData(err, path)
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x9997))
	rng.Shuffle(len(raw), func(i, j int) { raw[i], raw[j] = raw[j], raw[i] })
	var pairs []Pair
	dup, non := 0, 0
	for _, r := range raw {
		if r.A == "" || r.B == "" {
			continue
		}
		same := r.Duplicate
		if same && dup < o.N {
			dup++
		} else if !same && non < o.N {
			non++
		} else {
			continue
		}
		kind := "not_duplicate"
		if same {
			kind = "duplicate"
		}
		pairs = append(pairs, Pair{A: r.A, B: r.B, SamePlan: &same, Kind: kind})
	}
	return &Set{Name: "qqp", Pairs: pairs, Catalog: answerCatalog()}, nil
}
