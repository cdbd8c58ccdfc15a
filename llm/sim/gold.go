package sim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/planwise/planwise/plan"
)

// NormalizeRequest is the key a request is matched by: lower case, whitespace collapsed,
// surrounding space and trailing sentence punctuation removed.
func NormalizeRequest(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRightFunc(s, func(r rune) bool {
		return r == '.' || r == '!' || r == '?' || unicode.IsSpace(r)
	})
}

// ReadGoldJSONL reads a labelled data set, one JSON object per line:
// {"request": "...", "plan": {...}}. Blank lines are skipped; a later duplicate request
// replaces an earlier one. Errors name the line.
func ReadGoldJSONL(r io.Reader) (map[string]*plan.Plan, error) {
	out := map[string]*plan.Plan{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec struct {
			Request string          `json:"request"`
			Plan    json.RawMessage `json:"plan"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if strings.TrimSpace(rec.Request) == "" || len(rec.Plan) == 0 {
			return nil, fmt.Errorf("line %d: want {\"request\": \"...\", \"plan\": {...}}", line)
		}
		p, err := plan.Parse(rec.Plan)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out[NormalizeRequest(rec.Request)] = p
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return out, nil
}

// LoadGoldFile reads a JSON lines data set file (see ReadGoldJSONL).
func LoadGoldFile(path string) (map[string]*plan.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := ReadGoldJSONL(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// nestfulSample is one entry of a NESTFUL *-data.json file.
type nestfulSample struct {
	Input  string `json:"input"`
	Output []struct {
		Name      string         `json:"name"`
		Arguments map[string]any `json:"arguments"`
		Label     string         `json:"label"`
	} `json:"output"`
}

// nestfulVarResult is NESTFUL's final pseudo-call naming what is returned.
const nestfulVarResult = "var_result"

// nestfulRef matches "$label$" and "$label.path$" inside a string.
var nestfulRef = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[^$\s]+)?)\$`)

// ReadNestful reads a NESTFUL data file (a JSON list of {"input", "output": [{"name",
// "arguments", "label"}]}) into plans: the i-th call becomes step s<i>, a reference
// "$var1.field$" becomes "${sK.field}" where sK is the latest earlier call labelled var1,
// and the var_result pseudo-call is dropped.
func ReadNestful(r io.Reader) (map[string]*plan.Plan, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var samples []nestfulSample
	if err := dec.Decode(&samples); err != nil {
		return nil, fmt.Errorf("nestful data: %w", err)
	}
	out := map[string]*plan.Plan{}
	for i, s := range samples {
		p, err := nestfulPlan(s)
		if err != nil {
			return nil, fmt.Errorf("nestful sample %d: %w", i, err)
		}
		out[NormalizeRequest(s.Input)] = p
	}
	return out, nil
}

// LoadNestfulFile reads a NESTFUL *-data.json file (see ReadNestful).
func LoadNestfulFile(path string) (map[string]*plan.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := ReadNestful(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func nestfulPlan(s nestfulSample) (*plan.Plan, error) {
	if strings.TrimSpace(s.Input) == "" {
		return nil, fmt.Errorf("no input")
	}
	// Steps are numbered by position. A label names the latest call that bore it, so a
	// reference resolves to the most recent earlier call with that label (NESTFUL reuses
	// labels in a few samples).
	ids := map[string]string{}
	p := &plan.Plan{Goal: s.Input, Steps: []plan.Step{}}
	for _, call := range s.Output {
		if call.Name == nestfulVarResult {
			continue
		}
		id := "s" + strconv.Itoa(len(p.Steps)+1)
		if call.Name == "" {
			return nil, fmt.Errorf("call %s has no name", id)
		}
		args := make(map[string]any, len(call.Arguments))
		for k, v := range call.Arguments {
			args[k] = rewriteNestful(v, ids)
		}
		p.Steps = append(p.Steps, plan.Step{ID: id, Tool: call.Name, Args: args})
		if call.Label != "" {
			ids[call.Label] = id
		}
	}
	return p, nil
}

// rewriteNestful turns NESTFUL references into planwise references, recursively.
func rewriteNestful(v any, ids map[string]string) any {
	switch t := v.(type) {
	case string:
		return nestfulRef.ReplaceAllStringFunc(t, func(m string) string {
			sub := nestfulRef.FindStringSubmatch(m)
			id, ok := ids[sub[1]]
			if !ok {
				return m
			}
			return "${" + id + sub[2] + "}"
		})
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = rewriteNestful(x, ids)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = rewriteNestful(x, ids)
		}
		return out
	}
	return v
}

// LoadGoldFiles reads JSON lines data set files (LoadGoldFile) into one data set; a
// request in a later file replaces the same request in an earlier one.
func LoadGoldFiles(paths ...string) (map[string]*plan.Plan, error) {
	return loadFiles(LoadGoldFile, paths)
}

// LoadNestfulFiles reads NESTFUL *-data.json files (LoadNestfulFile) into one data set;
// a request in a later file replaces the same request in an earlier one.
func LoadNestfulFiles(paths ...string) (map[string]*plan.Plan, error) {
	return loadFiles(LoadNestfulFile, paths)
}

func loadFiles(load func(string) (map[string]*plan.Plan, error), paths []string) (map[string]*plan.Plan, error) {
	out := map[string]*plan.Plan{}
	for _, path := range paths {
		m, err := load(path)
		if err != nil {
			return nil, err
		}
		maps.Copy(out, m)
	}
	return out, nil
}
