package prompt

import (
	"embed"
	"fmt"
	"path"
	"sort"

	"github.com/goccy/go-yaml"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// Example is one worked example: a request and the plan that answers it.
type Example struct {
	// ID names a curated example (it enters the prompt version); dynamic examples from
	// history may leave it empty.
	ID      string
	Request string
	Plan    *plan.Plan
}

// ExampleSet is a named group of curated examples, usually for one tool catalog.
type ExampleSet struct {
	Name     string
	Examples []Example
}

//go:embed examples/*.yaml
var examplesFS embed.FS

// exampleFile is the YAML layout of prompt/examples/*.yaml.
type exampleFile struct {
	Set      string `yaml:"set"`
	Examples []struct {
		ID      string `yaml:"id"`
		Request string `yaml:"request"`
		Plan    any    `yaml:"plan"`
	} `yaml:"examples"`
}

// CuratedExamples returns the example sets shipped with planwise, sorted by name.
func CuratedExamples() ([]ExampleSet, error) {
	entries, err := examplesFS.ReadDir("examples")
	if err != nil {
		return nil, fmt.Errorf("prompt: curated examples: %w", err)
	}
	var sets []ExampleSet
	for _, e := range entries {
		name := path.Join("examples", e.Name())
		b, err := examplesFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("prompt: %s: %w", name, err)
		}
		set, err := ParseExampleSet(b)
		if err != nil {
			return nil, fmt.Errorf("prompt: %s: %w", name, err)
		}
		sets = append(sets, set)
	}
	sort.Slice(sets, func(i, j int) bool { return sets[i].Name < sets[j].Name })
	return sets, nil
}

// ParseExampleSet reads one example set in the YAML layout of prompt/examples: a set
// name and a list of {id, request, plan}.
func ParseExampleSet(b []byte) (ExampleSet, error) {
	var f exampleFile
	if err := yaml.UnmarshalWithOptions(b, &f, yaml.Strict()); err != nil {
		return ExampleSet{}, err
	}
	if f.Set == "" {
		return ExampleSet{}, fmt.Errorf("missing set name")
	}
	set := ExampleSet{Name: f.Set}
	seen := map[string]bool{}
	for i, e := range f.Examples {
		if e.ID == "" || e.Request == "" || e.Plan == nil {
			return ExampleSet{}, fmt.Errorf("examples[%d]: id, request and plan are required", i)
		}
		if seen[e.ID] {
			return ExampleSet{}, fmt.Errorf("examples[%d]: duplicate id %q", i, e.ID)
		}
		seen[e.ID] = true
		// Round-trip through JSON so that numbers and nesting take plan.Parse's exact form.
		j, err := marshalNoEscape(e.Plan)
		if err != nil {
			return ExampleSet{}, fmt.Errorf("example %s: plan: %w", e.ID, err)
		}
		p, err := plan.Parse(j)
		if err != nil {
			return ExampleSet{}, fmt.Errorf("example %s: %w", e.ID, err)
		}
		set.Examples = append(set.Examples, Example{ID: e.ID, Request: e.Request, Plan: p})
	}
	return set, nil
}

// selectExamples keeps the examples whose plans validate against reg (so every tool they
// use exists with the arguments they pass), in set order, at most max (none when max <= 0).
func selectExamples(sets []ExampleSet, reg *tool.Registry, max int) []Example {
	var out []Example
	for _, s := range sets {
		for _, e := range s.Examples {
			if len(out) >= max {
				return out
			}
			if e.Plan != nil && plan.Validate(e.Plan, reg) == nil {
				out = append(out, e)
			}
		}
	}
	return out
}
