package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// NESTFUL file naming: <set>-data.json holds the samples, <set>-spec.json the tools.
const (
	nestfulDataSuffix = "-data.json"
	nestfulSpecSuffix = "-spec.json"
	// nestfulResult is the final pseudo-call naming what is returned; not a tool call.
	nestfulResult = "var_result"
)

// NESTFULSet is one NESTFUL data set on disk.
type NESTFULSet struct {
	// Name is the short name: "executable", or "sgd" for non-executable-sgd.
	Name string
	// Data is the *-data.json file and Spec the matching *-spec.json (the tool catalogue).
	Data, Spec string
}

// NESTFULSetName derives a set's short name from its data file name:
// "executable-data.json" -> "executable", "non-executable-sgd-data.json" -> "sgd".
func NESTFULSetName(dataFile string) string {
	name := strings.TrimSuffix(filepath.Base(dataFile), nestfulDataSuffix)
	name = strings.TrimSuffix(name, ".json")
	return strings.TrimPrefix(name, "non-executable-")
}

// NESTFULSpecPath returns the tool catalogue that goes with a *-data.json file.
func NESTFULSpecPath(dataFile string) string {
	return strings.TrimSuffix(dataFile, nestfulDataSuffix) + nestfulSpecSuffix
}

// FindNESTFULSets lists the NESTFUL sets in dir (each *-data.json with its *-spec.json),
// sorted by name. A data file without its spec is an error: it could not be evaluated.
func FindNESTFULSets(dir string) ([]NESTFULSet, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*"+nestfulDataSuffix))
	if err != nil {
		return nil, fmt.Errorf("nestful: list %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("nestful: no *%s file in %s", nestfulDataSuffix, dir)
	}
	sets := make([]NESTFULSet, 0, len(files))
	for _, f := range files {
		spec := NESTFULSpecPath(f)
		if _, err := os.Stat(spec); err != nil {
			return nil, fmt.Errorf("nestful: %s has no tool catalogue: %w", f, err)
		}
		sets = append(sets, NESTFULSet{Name: NESTFULSetName(f), Data: f, Spec: spec})
	}
	sort.Slice(sets, func(i, j int) bool { return sets[i].Name < sets[j].Name })
	return sets, nil
}

// LoadNESTFUL reads a NESTFUL *-data.json file: a JSON list of
// {"input", "output": [{"name", "arguments", "label"}]}.
//
// Each call except the final "var_result" pseudo-call becomes a gold step; a reference
// "$varK.field$" (or "$varK$"), whole or embedded in a longer string, becomes the plan
// reference "${sJ.field}" to the step that last defined label varK before this call
// (two sgd samples reuse a label, and a later definition shadows an earlier one). One
// executable sample drops the leading '$' ("var1.product_id$"); a whole value of that
// form is read as the reference it was meant to be. Numbers are kept as json.Number.
func LoadNESTFUL(dataFile string) ([]Sample, error) {
	b, err := os.ReadFile(dataFile)
	if err != nil {
		return nil, fmt.Errorf("nestful: %w", err)
	}
	return parseNESTFUL(b, NESTFULSetName(dataFile))
}

type nestfulRecord struct {
	Input  string        `json:"input"`
	Output []nestfulCall `json:"output"`
}

type nestfulCall struct {
	Name      string         `json:"name"`
	Arguments map[string]any `json:"arguments"`
	Label     string         `json:"label"`
}

// nestfulRef matches $varK$ and $varK.field$ inside a string; the field may hold spaces.
var nestfulRef = regexp.MustCompile(`\$(var\d+)(?:\.([^$]+))?\$`)

// nestfulBareRef matches a whole value missing its leading '$': "var1.product_id$".
var nestfulBareRef = regexp.MustCompile(`^(var\d+)(?:\.([^$]+))?\$$`)

func parseNESTFUL(b []byte, set string) ([]Sample, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var recs []nestfulRecord
	if err := dec.Decode(&recs); err != nil {
		return nil, fmt.Errorf("nestful %s: decode: %w", set, err)
	}
	samples := make([]Sample, 0, len(recs))
	for i, r := range recs {
		s, err := nestfulSample(r)
		if err != nil {
			return nil, fmt.Errorf("nestful %s: sample %d: %w", set, i, err)
		}
		s.ID = set + "/" + strconv.Itoa(i)
		samples = append(samples, s)
	}
	return samples, nil
}

func nestfulSample(r nestfulRecord) (Sample, error) {
	s := Sample{Request: strings.TrimSpace(r.Input)}
	if s.Request == "" {
		return s, fmt.Errorf("empty input")
	}
	labels := map[string]int{} // label -> index of the gold step that last defined it
	edges := map[[2]int]bool{}
	for k, c := range r.Output {
		if c.Name == nestfulResult {
			continue
		}
		if strings.TrimSpace(c.Name) == "" {
			return s, fmt.Errorf("call %d has no name", k)
		}
		to := len(s.Gold)
		var refErr error
		rewrite := func(str string) string {
			if !strings.HasPrefix(str, "$") && nestfulBareRef.MatchString(str) {
				str = "$" + str
			}
			return nestfulRef.ReplaceAllStringFunc(str, func(ref string) string {
				m := nestfulRef.FindStringSubmatch(ref)
				from, ok := labels[m[1]]
				if !ok {
					if refErr == nil {
						refErr = fmt.Errorf("call %d (%s) refers to %s before any call defines it", k, c.Name, m[1])
					}
					return ref
				}
				edges[[2]int{from, to}] = true
				if m[2] == "" {
					return "${" + goldID(from) + "}"
				}
				return "${" + goldID(from) + "." + m[2] + "}"
			})
		}
		args := make(map[string]any, len(c.Arguments))
		for name, v := range c.Arguments {
			args[name] = mapStrings(v, rewrite)
		}
		if refErr != nil {
			return s, refErr
		}
		s.Gold = append(s.Gold, GoldStep{Tool: c.Name, Args: args})
		if c.Label != "" {
			labels[c.Label] = to
		}
	}
	if len(s.Gold) == 0 {
		return s, fmt.Errorf("no tool calls")
	}
	s.Edges = sortedEdges(edges)
	return s, nil
}

// mapStrings returns v with f applied to every string inside it (through maps and slices).
func mapStrings(v any, f func(string) string) any {
	switch t := v.(type) {
	case string:
		return f(t)
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = mapStrings(x, f)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = mapStrings(x, f)
		}
		return a
	default:
		return v
	}
}

func sortedEdges(set map[[2]int]bool) [][2]int {
	if len(set) == 0 {
		return nil
	}
	out := make([][2]int, 0, len(set))
	for e := range set {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}
