package plan

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
)

// Condition is a compiled CEL condition. It is safe for concurrent use.
type Condition struct {
	Expr    string
	Program cel.Program
	// Refs are the variables (step ids, or ItemVar) the expression reads.
	Refs []string
}

// Eval evaluates the condition with vars bound to step outputs (and ItemVar).
func (c *Condition) Eval(vars map[string]any) (bool, error) {
	out, _, err := c.Program.Eval(vars)
	if err != nil {
		return false, fmt.Errorf("condition %q: %w", c.Expr, err)
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, fmt.Errorf("condition %q evaluated to %v, not a bool", c.Expr, out.Value())
	}
	return b, nil
}

// condCache bounds the cost of compiling CEL (milliseconds) to once per distinct
// (expression, variables) pair.
var condCache = struct {
	sync.Mutex
	m map[string]*Condition
}{m: map[string]*Condition{}}

const condCacheMax = 4096

// CompileCondition compiles expr with vars declared as dynamic variables. The result must
// be a bool (or dynamic). Compiled conditions are cached.
func CompileCondition(expr string, vars []string) (*Condition, error) {
	vs := append([]string(nil), vars...)
	sort.Strings(vs)
	key := expr + "\x00" + strings.Join(vs, ",")
	condCache.Lock()
	c, ok := condCache.m[key]
	condCache.Unlock()
	if ok {
		return c, nil
	}
	opts := make([]cel.EnvOption, 0, len(vs))
	for _, v := range vs {
		opts = append(opts, cel.Variable(v, cel.DynType))
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, err
	}
	ast, iss := env.Compile(expr)
	if iss != nil && iss.Err() != nil {
		return nil, iss.Err()
	}
	if t := ast.OutputType(); t != cel.BoolType && t != cel.DynType {
		return nil, fmt.Errorf("condition must be a boolean expression, but it yields %s", t)
	}
	prg, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize), cel.CostLimit(1_000_000))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var refs []string
	for _, r := range ast.NativeRep().ReferenceMap() {
		if r.Name != "" && r.Value == nil && !seen[r.Name] && contains(vs, r.Name) {
			seen[r.Name] = true
			refs = append(refs, r.Name)
		}
	}
	sort.Strings(refs)
	c = &Condition{Expr: expr, Program: prg, Refs: refs}
	condCache.Lock()
	if len(condCache.m) >= condCacheMax {
		condCache.m = map[string]*Condition{}
	}
	condCache.m[key] = c
	condCache.Unlock()
	return c, nil
}

func contains(s []string, x string) bool {
	i := sort.SearchStrings(s, x)
	return i < len(s) && s[i] == x
}
