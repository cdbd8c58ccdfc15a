package dataset

import (
	"fmt"
	"regexp"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// Sample is one labelled request: what a person asked and the gold plan.
type Sample struct {
	// ID identifies the sample within its data set ("executable/14", a TaskBench id).
	ID string `json:"id"`
	// Request is the natural-language request given to the planner.
	Request string `json:"request"`
	// Gold are the gold tool calls in an order where every reference points backwards.
	// Step i has plan id goldID(i).
	Gold []GoldStep `json:"gold"`
	// Edges are the gold dependency edges as (from, to) indices into Gold, sorted and
	// without duplicates.
	Edges [][2]int `json:"edges,omitempty"`
	// Shape is the data set's label for the gold graph where it has one (TaskBench
	// "single", "chain" or "dag"); empty otherwise.
	Shape string `json:"shape,omitempty"`
	// Irrelevant marks a request that no offered tool serves (BFCL's irrelevance
	// category): the right answer is a refusal, and Gold is empty.
	Irrelevant bool `json:"irrelevant,omitempty"`
	// OpenArgs lets a plan give arguments its gold Accept does not list (hand-written
	// cases list only the values that matter); BFCL's check refuses them.
	OpenArgs bool `json:"open_args,omitempty"`
	// Tools, when set, are the tools offered with this request alone (BFCL's
	// per-question function lists); see RunOptions.ForRegistry.
	Tools []*tool.Tool `json:"-"`
}

// GoldStep is one gold tool call. String argument values may hold plan references
// "${sK.field}" to earlier gold steps. A field name is kept verbatim from the data set,
// even where plan reference syntax cannot express it (NESTFUL has "Exchange Rate").
type GoldStep struct {
	Tool string         `json:"tool"`
	Args map[string]any `json:"args"`
	// Accept, where the data set gives them (BFCL's possible answers), lists every
	// acceptable value of each argument; an empty string among them means the argument
	// may be left out. Args then holds the first acceptable value of each argument.
	Accept map[string][]any `json:"accept,omitempty"`
}

// goldID is the plan step id of Gold[i]: "s1" for i = 0.
func goldID(i int) string { return fmt.Sprintf("s%d", i+1) }

// Plan renders the gold steps as a plan (ids s1..sN). A gold edge that no argument
// reference expresses (TaskBench daily-life records only link tools) becomes an After
// entry, so the plan has exactly the gold edges. Arguments are shared with the sample,
// not copied; Clone the result before changing it. The plan is only as valid against a
// registry as the data set is consistent with its catalogue.
func (s Sample) Plan() *plan.Plan {
	p := &plan.Plan{Goal: s.Request, Steps: make([]plan.Step, len(s.Gold))}
	for i, g := range s.Gold {
		args := g.Args
		if args == nil {
			args = map[string]any{}
		}
		p.Steps[i] = plan.Step{ID: goldID(i), Tool: g.Tool, Args: args}
	}
	for _, e := range s.Edges {
		from, to := e[0], e[1]
		if from < 0 || to < 0 || from >= len(p.Steps) || to >= len(p.Steps) || from == to {
			continue
		}
		referenced := false
		plan.WalkStrings(p.Steps[to].Args, func(v string) {
			for _, m := range refPattern.FindAllStringSubmatch(v, -1) {
				referenced = referenced || m[1] == goldID(from)
			}
		})
		if !referenced {
			p.Steps[to].After = append(p.Steps[to].After, goldID(from))
		}
	}
	return p
}

// refPattern finds references leniently, as package eval/plans reads them: any ${id...}
// up to the closing brace.
var refPattern = regexp.MustCompile(`\$\{([A-Za-z][A-Za-z0-9_]*)[^}]*\}`)
