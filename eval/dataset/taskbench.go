package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// TaskBench file names inside a domain directory. Every TaskBench file planwise reads is
// read here: the labelled records (LoadTaskBench), the requests
// (LoadTaskBenchRequests), the shape labels (LoadTaskBenchShapes) and the tools
// (LoadTaskBenchTools).
const (
	TaskBenchSamples   = "data.sample.jsonl"
	TaskBenchTools     = "tool_desc.json"
	TaskBenchRequests  = "user_requests.json"
	TaskBenchAlignment = "alignment_ids.json"
)

// TaskBenchRequest is one request of a domain's user_requests.json.
type TaskBenchRequest struct {
	ID   string `json:"id"`
	Text string `json:"user_request"`
}

// readTaskBenchRequests reads user_requests.json: JSON lines {"id", "user_request"}, in
// file order. Blank lines are skipped; a request with an empty text is kept (callers
// decide). An error names the line.
func readTaskBenchRequests(r io.Reader) ([]TaskBenchRequest, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var out []TaskBenchRequest
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var req TaskBenchRequest
		if err := json.Unmarshal(b, &req); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, req)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// LoadTaskBenchRequests reads the requests of a TaskBench domain directory
// (user_requests.json), in file order.
func LoadTaskBenchRequests(dir string) ([]TaskBenchRequest, error) {
	path := filepath.Join(dir, TaskBenchRequests)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("taskbench: %w", err)
	}
	defer f.Close()
	reqs, err := readTaskBenchRequests(f)
	if err != nil {
		return nil, fmt.Errorf("taskbench %s: %w", path, err)
	}
	return reqs, nil
}

// LoadTaskBenchTools reads the tools of a TaskBench domain directory (tool_desc.json)
// through the TaskBench importer of package tool.
func LoadTaskBenchTools(dir string) ([]*tool.Tool, error) {
	return tool.LoadPath(filepath.Join(dir, TaskBenchTools))
}

// LoadTaskBenchShapes reads the shape labels of a TaskBench domain directory
// (alignment_ids.json: request ids per quality filter and shape) under filter: the
// shape ("single", "chain" or "dag") of each labelled request id. Other shapes are
// ignored. An id listed under two shapes has no usable label: it is left out rather than
// labelled by map order, and counted in ambiguous.
func LoadTaskBenchShapes(dir, filter string) (shapes map[string]string, ambiguous int, err error) {
	path := filepath.Join(dir, TaskBenchAlignment)
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("taskbench %s: %w", dir, err)
	}
	var filters map[string]map[string][]string
	if err := json.Unmarshal(raw, &filters); err != nil {
		return nil, 0, fmt.Errorf("taskbench %s: %w", path, err)
	}
	byShape, ok := filters[filter]
	if !ok {
		names := make([]string, 0, len(filters))
		for k := range filters {
			names = append(names, k)
		}
		sort.Strings(names)
		return nil, 0, fmt.Errorf("taskbench %s: no alignment filter %q (have %v)", dir, filter, names)
	}
	shapes = map[string]string{}
	conflict := map[string]bool{}
	for shape, ids := range byShape {
		if shape != "single" && shape != "chain" && shape != "dag" {
			continue
		}
		for _, id := range ids {
			if s, ok := shapes[id]; ok && s != shape {
				conflict[id] = true
			}
			shapes[id] = shape
		}
	}
	for id := range conflict {
		delete(shapes, id)
	}
	return shapes, len(conflict), nil
}

// TaskBenchDomains returns dir when it is a TaskBench domain directory (it holds file,
// one of the TaskBench file names), else the domain directories under it that hold
// file, sorted; none is an empty list.
func TaskBenchDomains(dir, file string) []string {
	if _, err := os.Stat(filepath.Join(dir, file)); err == nil {
		return []string{dir}
	}
	found, _ := filepath.Glob(filepath.Join(dir, "*", file))
	sort.Strings(found)
	for i := range found {
		found[i] = filepath.Dir(found[i])
	}
	return found
}

// LoadTaskBench reads the labelled records of a TaskBench domain directory
// (data.sample.jsonl: JSON lines with "id", "type", "instruction", "task_nodes",
// "task_links") and the domain's tool_desc.json.
//
// Tool and argument names follow the TaskBench importer in package tool, so that gold
// plans validate against the registry loaded from the same tool_desc.json: a tool id is
// mapped through tool.TaskBenchName ("Image Colorizer" -> "Image_Colorizer"). The
// domains write arguments differently. Daily-life APIs use a list of {"name", "value"}
// objects, kept as named arguments. Multimedia and HuggingFace use a list of strings; the
// i-th string is named tool.TaskBenchArgName(input types, i) ("text", "text_2"), since
// those tools have no parameter names of their own.
//
// A string "<node-K>" refers to the output of node K and becomes "${sJ.<out>}" for that
// node's step, <out> being the importer's name for the tool's first output type
// ("${s1.image}"), or "${sJ}" when the tool declares none. Some records number nodes inconsistently (a node citing
// itself); such a reference is resolved through task_links instead: the source of the
// link into this node.
//
// task_links name tools, not nodes; a link becomes an edge from the first node with the
// source tool to the first node with the target tool, unless an argument reference
// already gives an edge between those tools. Gold steps are put in dependency order
// (stable topological order of the edges), because some records list a consumer before
// its producer and a plan can only refer backwards.
func LoadTaskBench(dir string) ([]Sample, error) {
	sigs, err := taskBenchSigs(filepath.Join(dir, TaskBenchTools))
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, TaskBenchSamples))
	if err != nil {
		return nil, fmt.Errorf("taskbench: %w", err)
	}
	defer f.Close()
	return parseTaskBench(f.Name(), bufio.NewReader(f), sigs)
}

// taskBenchSig is what the loader needs of a tool: the names of its positional
// arguments and the output field a "<node-K>" reference to it reads.
type taskBenchSig struct {
	args   []string
	output string
}

// taskBenchSigs reads tool_desc.json. Tools with named "parameters" have no positional
// argument names and no declared output field.
func taskBenchSigs(file string) (map[string]taskBenchSig, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("taskbench: %w", err)
	}
	var desc struct {
		Nodes []struct {
			ID         string   `json:"id"`
			InputType  []string `json:"input-type"`
			OutputType []string `json:"output-type"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(b, &desc); err != nil {
		return nil, fmt.Errorf("taskbench: %s: %w", file, err)
	}
	out := make(map[string]taskBenchSig, len(desc.Nodes))
	for _, n := range desc.Nodes {
		var sig taskBenchSig
		for i := range n.InputType {
			sig.args = append(sig.args, tool.TaskBenchArgName(n.InputType, i))
		}
		if len(n.OutputType) > 0 {
			sig.output = tool.TaskBenchArgName(n.OutputType, 0)
		}
		out[n.ID] = sig
	}
	return out, nil
}

type taskBenchRecord struct {
	ID          json.RawMessage `json:"id"`
	Type        string          `json:"type"`
	Instruction string          `json:"instruction"`
	Nodes       []struct {
		Task      string          `json:"task"`
		Arguments json.RawMessage `json:"arguments"`
	} `json:"task_nodes"`
	Links []struct {
		Source string `json:"source"`
		Target string `json:"target"`
	} `json:"task_links"`
}

func parseTaskBench(name string, r *bufio.Reader, sigs map[string]taskBenchSig) ([]Sample, error) {
	var samples []Sample
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var rec taskBenchRecord
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("taskbench: %s:%d: %w", name, line, err)
		}
		s, err := taskBenchSample(rec, sigs)
		if err != nil {
			return nil, fmt.Errorf("taskbench: %s:%d: %w", name, line, err)
		}
		if s.ID == "" {
			s.ID = strconv.Itoa(line)
		}
		samples = append(samples, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("taskbench: %s: %w", name, err)
	}
	return samples, nil
}

var nodeRef = regexp.MustCompile(`<node-(\d+)>`)

// tbArg is an argument before gold steps are ordered: a string may hold node references.
type tbArg struct {
	name  string
	value any
}

func taskBenchSample(rec taskBenchRecord, sigs map[string]taskBenchSig) (Sample, error) {
	s := Sample{Request: strings.TrimSpace(rec.Instruction), Shape: rec.Type}
	if id, err := strconv.Unquote(string(rec.ID)); err == nil {
		s.ID = id
	} else {
		s.ID = strings.TrimSpace(string(rec.ID))
	}
	if s.Request == "" {
		return s, fmt.Errorf("record %s: empty instruction", s.ID)
	}
	n := len(rec.Nodes)
	if n == 0 {
		return s, fmt.Errorf("record %s: no task_nodes", s.ID)
	}
	first := map[string]int{} // tool -> first node index
	for i, nd := range rec.Nodes {
		if strings.TrimSpace(nd.Task) == "" {
			return s, fmt.Errorf("record %s: node %d has no task", s.ID, i)
		}
		if _, ok := first[nd.Task]; !ok {
			first[nd.Task] = i
		}
	}
	// linkSource returns the node feeding node i according to task_links, or -1.
	linkSource := func(i int) int {
		for _, l := range rec.Links {
			if l.Target != rec.Nodes[i].Task || l.Source == l.Target {
				continue
			}
			if j, ok := first[l.Source]; ok && j != i {
				return j
			}
		}
		return -1
	}

	edges := map[[2]int]bool{}
	args := make([][]tbArg, n)
	for i, nd := range rec.Nodes {
		list, err := taskBenchArgs(nd.Arguments, sigs[nd.Task].args)
		if err != nil {
			return s, fmt.Errorf("record %s: node %d (%s): %w", s.ID, i, nd.Task, err)
		}
		for k := range list {
			list[k].value = mapStrings(list[k].value, func(str string) string {
				return nodeRef.ReplaceAllStringFunc(str, func(ref string) string {
					j, err := strconv.Atoi(nodeRef.FindStringSubmatch(ref)[1])
					if err != nil || j < 0 || j >= n || j == i {
						j = linkSource(i)
					}
					if j < 0 {
						return ref // unresolvable: keep the literal text
					}
					edges[[2]int{j, i}] = true
					return "<node-" + strconv.Itoa(j) + ">"
				})
			})
		}
		args[i] = list
	}
	byTools := map[[2]string]bool{}
	for e := range edges {
		byTools[[2]string{rec.Nodes[e[0]].Task, rec.Nodes[e[1]].Task}] = true
	}
	for _, l := range rec.Links {
		if byTools[[2]string{l.Source, l.Target}] {
			continue
		}
		from, ok1 := first[l.Source]
		to, ok2 := first[l.Target]
		if !ok1 || !ok2 || from == to {
			continue
		}
		edges[[2]int{from, to}] = true
	}

	order := topoOrder(n, edges)
	pos := make([]int, n) // original index -> gold index
	for k, i := range order {
		pos[i] = k
	}
	s.Gold = make([]GoldStep, n)
	for k, i := range order {
		m := make(map[string]any, len(args[i]))
		for _, a := range args[i] {
			m[a.name] = mapStrings(a.value, func(str string) string {
				return nodeRef.ReplaceAllStringFunc(str, func(ref string) string {
					j, _ := strconv.Atoi(nodeRef.FindStringSubmatch(ref)[1])
					if j < 0 || j >= n {
						return ref
					}
					if out := sigs[rec.Nodes[j].Task].output; out != "" {
						return plan.MakeRef(goldID(pos[j]), out)
					}
					return plan.MakeRef(goldID(pos[j]))
				})
			})
		}
		s.Gold[k] = GoldStep{Tool: tool.TaskBenchName(rec.Nodes[i].Task), Args: m}
	}
	remapped := make(map[[2]int]bool, len(edges))
	for e := range edges {
		remapped[[2]int{pos[e[0]], pos[e[1]]}] = true
	}
	s.Edges = sortedEdges(remapped)
	return s, nil
}

// taskBenchArgs decodes a node's arguments: a list of {"name","value"} objects, a list of
// plain values (named by names, positionally), or an object of name -> value.
func taskBenchArgs(raw json.RawMessage, names []string) ([]tbArg, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("arguments: %w", err)
	}
	switch t := v.(type) {
	case map[string]any:
		out := make([]tbArg, 0, len(t))
		for _, k := range sortedMapKeys(t) {
			out = append(out, tbArg{name: k, value: t[k]})
		}
		return out, nil
	case []any:
		out := make([]tbArg, 0, len(t))
		for i, x := range t {
			if obj, ok := x.(map[string]any); ok {
				if name, ok := obj["name"].(string); ok {
					out = append(out, tbArg{name: name, value: obj["value"]})
					continue
				}
			}
			name := "arg" + strconv.Itoa(i+1)
			if i < len(names) {
				name = names[i]
			}
			out = append(out, tbArg{name: name, value: x})
		}
		return out, nil
	default:
		return nil, fmt.Errorf("arguments: want a list or an object, got %s", raw)
	}
}

// topoOrder returns the nodes 0..n-1 in a topological order of edges that keeps the
// original order wherever the edges allow it. On a cycle it returns the original order.
func topoOrder(n int, edges map[[2]int]bool) []int {
	indeg := make([]int, n)
	succ := make([][]int, n)
	for e := range edges {
		indeg[e[1]]++
		succ[e[0]] = append(succ[e[0]], e[1])
	}
	done := make([]bool, n)
	order := make([]int, 0, n)
	for len(order) < n {
		next := -1
		for i := 0; i < n; i++ {
			if !done[i] && indeg[i] == 0 {
				next = i
				break
			}
		}
		if next < 0 {
			order = order[:0]
			for i := 0; i < n; i++ {
				order = append(order, i)
			}
			return order
		}
		done[next] = true
		order = append(order, next)
		for _, j := range succ[next] {
			indeg[j]--
		}
	}
	return order
}

func sortedMapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
