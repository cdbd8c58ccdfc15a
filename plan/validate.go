package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/planwise/planwise/tool"
)

// Issue codes. They are stable: metrics, insights and repair prompts key on them.
const (
	CodeEmptyPlan        = "empty_plan"
	CodeTooManySteps     = "too_many_steps"
	CodeTooLarge         = "too_large"
	CodeMissingID        = "missing_id"
	CodeInvalidID        = "invalid_id"
	CodeDuplicateID      = "duplicate_id"
	CodeMissingTool      = "missing_tool"
	CodeUnknownTool      = "unknown_tool"
	CodeMissingArg       = "missing_arg"
	CodeUnknownArg       = "unknown_arg"
	CodeInvalidType      = "invalid_type"
	CodeInvalidEnum      = "invalid_enum"
	CodeInvalidArg       = "invalid_arg"
	CodeBadReference     = "bad_reference"
	CodeUnknownStep      = "unknown_step"
	CodeForwardReference = "forward_reference"
	CodeUnknownField     = "unknown_output_field"
	CodeTypeMismatch     = "type_mismatch"
	CodeBadCondition     = "bad_condition"
	CodeBadLoop          = "bad_loop"
)

// Issue is one validation problem.
type Issue struct {
	Step    string `json:"step,omitempty"`  // step id ("" for plan-level issues)
	Tool    string `json:"tool,omitempty"`  // the step's tool, when known
	Field   string `json:"field,omitempty"` // "args.to", "if", "for_each", "after[0]", "id", "tool"
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (i Issue) String() string {
	var b strings.Builder
	if i.Step != "" {
		b.WriteString("step ")
		b.WriteString(i.Step)
		if i.Tool != "" {
			fmt.Fprintf(&b, " (%s)", i.Tool)
		}
		if i.Field != "" {
			b.WriteString(" ")
		}
	}
	b.WriteString(i.Field)
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(i.Message)
	b.WriteString(" [")
	b.WriteString(i.Code)
	b.WriteString("]")
	return b.String()
}

// ValidationError lists every problem found in a plan.
type ValidationError struct {
	Issues []Issue `json:"issues"`
}

// Error renders the issues one per line, for people and for repair prompts.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if len(e.Issues) == 1 {
		b.WriteString("invalid plan: ")
		b.WriteString(e.Issues[0].String())
		return b.String()
	}
	fmt.Fprintf(&b, "invalid plan (%d problems):", len(e.Issues))
	for _, i := range e.Issues {
		b.WriteString("\n  - ")
		b.WriteString(i.String())
	}
	return b.String()
}

// Codes returns the distinct issue codes, sorted.
func (e *ValidationError) Codes() []string {
	seen := map[string]bool{}
	var out []string
	for _, i := range e.Issues {
		if !seen[i.Code] {
			seen[i.Code] = true
			out = append(out, i.Code)
		}
	}
	sort.Strings(out)
	return out
}

// AsValidationError returns the *ValidationError in err's chain, if any.
func AsValidationError(err error) (*ValidationError, bool) {
	// errors.AsType, not errors.As: As's target escapes, an allocation on every call,
	// and every request's history record asks (history.IssuesOf), most with no error.
	return errors.AsType[*ValidationError](err)
}

// Limits bound a plan's size.
type Limits struct {
	MaxSteps   int // steps in a plan
	MaxBytes   int // encoded JSON size
	MaxExprLen int // length of an if or for_each expression
}

// DefaultLimits are generous for real plans and small enough to bound the executor.
var DefaultLimits = Limits{MaxSteps: 64, MaxBytes: 256 << 10, MaxExprLen: 2048}

// Validate checks p against reg and returns nil or a *ValidationError listing every
// problem. The plan is not modified.
func Validate(p *Plan, reg *tool.Registry) error {
	return ValidateWithLimits(p, reg, DefaultLimits)
}

// ValidateWithLimits is Validate with explicit limits.
func ValidateWithLimits(p *Plan, reg *tool.Registry, lim Limits) error {
	v := &validator{reg: reg, lim: lim, index: map[string]int{}}
	v.run(p)
	if len(v.issues) == 0 {
		return nil
	}
	return &ValidationError{Issues: v.issues}
}

type validator struct {
	reg    *tool.Registry
	lim    Limits
	p      *Plan
	index  map[string]int // step id -> position (first occurrence)
	issues []Issue
}

func (v *validator) add(s *Step, field, code, format string, args ...any) {
	is := Issue{Field: field, Code: code, Message: fmt.Sprintf(format, args...)}
	if s != nil {
		is.Step, is.Tool = s.ID, s.Tool
	}
	v.issues = append(v.issues, is)
}

func (v *validator) run(p *Plan) {
	if p == nil || len(p.Steps) == 0 {
		v.add(nil, "steps", CodeEmptyPlan, "the plan has no steps; add at least one step")
		return
	}
	v.p = p
	if v.lim.MaxSteps > 0 && len(p.Steps) > v.lim.MaxSteps {
		v.add(nil, "steps", CodeTooManySteps, "the plan has %d steps; at most %d are allowed", len(p.Steps), v.lim.MaxSteps)
		return
	}
	if v.lim.MaxBytes > 0 {
		if n := len(p.JSON()); n > v.lim.MaxBytes {
			v.add(nil, "", CodeTooLarge, "the plan is %d bytes of JSON; at most %d are allowed", n, v.lim.MaxBytes)
			return
		}
	}
	for i := range p.Steps {
		v.checkIDAndTool(i)
	}
	for i := range p.Steps {
		v.checkStep(i)
	}
}

func (v *validator) checkIDAndTool(i int) {
	s := &v.p.Steps[i]
	switch {
	case s.ID == "":
		v.add(s, "id", CodeMissingID, "step %d has no id; give every step a unique id such as \"s%d\"", i+1, i+1)
	case s.ID == ItemVar:
		v.add(s, "id", CodeInvalidID, "%q is reserved for the for_each loop variable; use another id", ItemVar)
	case !validID(s.ID):
		v.add(s, "id", CodeInvalidID, "invalid step id %q; use a letter followed by letters, digits or '_' (e.g. \"s%d\")", s.ID, i+1)
	default:
		if _, dup := v.index[s.ID]; dup {
			v.add(s, "id", CodeDuplicateID, "step id %q is used more than once; step ids must be unique", s.ID)
		} else {
			v.index[s.ID] = i
		}
	}
	switch {
	case s.Tool == "":
		v.add(s, "tool", CodeMissingTool, "the step names no tool")
	case v.reg == nil:
		v.add(s, "tool", CodeUnknownTool, "unknown tool %q: the registry is empty", s.Tool)
	default:
		if _, ok := v.reg.Get(s.Tool); !ok {
			v.add(s, "tool", CodeUnknownTool, "unknown tool %q; %s", s.Tool, suggestTool(v.reg, s.Tool))
		}
	}
}

// refLoc is the JSON-pointer-like location of a string value inside the args.
type refLoc struct {
	path  []string // e.g. ["to"] or ["recipients", "0"]
	value string
}

func (v *validator) checkStep(i int) {
	s := &v.p.Steps[i]
	_, toolOK := v.reg.Get(s.Tool)
	if v.reg == nil {
		toolOK = false
	}

	// for_each first: it decides whether ${item} is bound.
	var itemSchema *tool.Schema
	hasLoop := s.ForEach != ""
	if hasLoop {
		itemSchema = v.checkForEach(i, s)
	}

	// References inside arguments.
	var locs []refLoc
	collectStrings(s.Args, nil, &locs)
	refBearing := map[string]bool{} // joined path -> true
	for _, loc := range locs {
		refs, errs := ScanRefs(loc.value)
		field := "args." + strings.Join(loc.path, ".")
		for _, err := range errs {
			v.add(s, field, CodeBadReference, "%v", err)
		}
		if len(refs) == 0 {
			continue
		}
		refBearing[strings.Join(loc.path, "/")] = true
		whole := len(refs) == 1 && refs[0].Start == 0 && refs[0].End == len(loc.value) && len(errs) == 0
		var want []string
		if toolOK {
			want = v.reg.InputSchema(s.Tool).At(loc.path).Types()
		}
		if !whole && len(want) > 0 && !containsStr(want, "string") {
			v.add(s, field, CodeTypeMismatch, "a string with an embedded reference cannot fill an argument of type %s; pass the reference alone, e.g. %q", strings.Join(want, "|"), refs[0].String())
		}
		for _, r := range refs {
			got, ok := v.resolveRef(i, s, field, r, hasLoop, itemSchema)
			if !ok || !whole {
				continue
			}
			if !compatible(want, got.Types()) {
				v.add(s, field, CodeTypeMismatch, "%s has type %s but the argument needs %s",
					r.String(), strings.Join(got.Types(), "|"), strings.Join(want, "|"))
			}
		}
	}

	// Arguments against the tool's input schema.
	if toolOK {
		v.checkArgs(s, refBearing)
	}

	// Condition.
	if s.If != "" {
		v.checkCondition(i, s, hasLoop)
	}

	// Ordering-only edges.
	for k, id := range s.After {
		field := "after[" + strconv.Itoa(k) + "]"
		v.checkEarlier(i, s, field, id)
	}
}

// resolveRef checks that r names an earlier step (or the loop item) and, where the
// producer declares an output schema, that the path exists. It returns the schema of the
// referenced value (nil when unknown) and whether the reference itself is sound.
func (v *validator) resolveRef(i int, s *Step, field string, r Ref, hasLoop bool, itemSchema *tool.Schema) (*tool.Schema, bool) {
	if r.Step == ItemVar {
		if !hasLoop {
			v.add(s, field, CodeBadReference, "%s is only defined in a step with for_each", r.String())
			return nil, false
		}
		return v.follow(s, field, r, itemSchema, "the loop item")
	}
	if !v.checkEarlier(i, s, field, r.Step) {
		return nil, false
	}
	producer := &v.p.Steps[v.index[r.Step]]
	return v.follow(s, field, r, v.reg.OutputSchema(producer.Tool), "the output of "+r.Step+" ("+producer.Tool+")")
}

// follow walks r.Path through schema, reporting the first segment that the schema says
// does not exist. An unknown schema (nil, or a node without declared properties) accepts
// any path.
func (v *validator) follow(s *Step, field string, r Ref, schema *tool.Schema, what string) (*tool.Schema, bool) {
	cur := schema
	for k, seg := range r.Path {
		if cur == nil {
			return nil, true
		}
		next := cur.At([]string{seg})
		if next == nil {
			if len(cur.Properties) > 0 && cur.Items == nil {
				v.add(s, field, CodeUnknownField, "%s: %s has no field %q; it has: %s",
					r.String(), what, strings.Join(r.Path[:k+1], "."), strings.Join(cur.PropOrder, ", "))
				return nil, false
			}
			return nil, true
		}
		cur = next
	}
	return cur, true
}

// checkEarlier reports whether id names a step before position i.
func (v *validator) checkEarlier(i int, s *Step, field, id string) bool {
	j, ok := v.index[id]
	switch {
	case !ok:
		v.add(s, field, CodeUnknownStep, "%q is not a step of this plan; steps are: %s", id, v.stepList())
		return false
	case j == i:
		v.add(s, field, CodeForwardReference, "step %s refers to itself", id)
		return false
	case j > i:
		v.add(s, field, CodeForwardReference, "%s comes after %s; a step may only depend on earlier steps (reorder the steps)", id, s.ID)
		return false
	}
	return true
}

func (v *validator) stepList() string {
	ids := make([]string, 0, len(v.p.Steps))
	for _, s := range v.p.Steps {
		ids = append(ids, s.ID)
	}
	return strings.Join(ids, ", ")
}

func (v *validator) checkForEach(i int, s *Step) *tool.Schema {
	if v.lim.MaxExprLen > 0 && len(s.ForEach) > v.lim.MaxExprLen {
		v.add(s, "for_each", CodeBadLoop, "for_each is %d characters; at most %d", len(s.ForEach), v.lim.MaxExprLen)
		return nil
	}
	r, ok := WholeRef(s.ForEach)
	if !ok {
		v.add(s, "for_each", CodeBadLoop, "for_each must be a single reference to an array, e.g. \"${s1.items}\"; got %q", s.ForEach)
		return nil
	}
	if r.Step == ItemVar {
		v.add(s, "for_each", CodeBadLoop, "for_each cannot loop over ${item}; nested loops need a separate step")
		return nil
	}
	sch, ok := v.resolveRef(i, s, "for_each", r, false, nil)
	if !ok || sch == nil {
		return nil
	}
	if ts := sch.Types(); len(ts) > 0 && !containsStr(ts, "array") {
		v.add(s, "for_each", CodeBadLoop, "%s has type %s; for_each needs an array", r.String(), strings.Join(ts, "|"))
		return nil
	}
	return sch.Items
}

func (v *validator) checkCondition(i int, s *Step, hasLoop bool) {
	if v.lim.MaxExprLen > 0 && len(s.If) > v.lim.MaxExprLen {
		v.add(s, "if", CodeBadCondition, "condition is %d characters; at most %d", len(s.If), v.lim.MaxExprLen)
		return
	}
	var vars []string
	for j := 0; j < i; j++ {
		if validID(v.p.Steps[j].ID) {
			vars = append(vars, v.p.Steps[j].ID)
		}
	}
	if hasLoop {
		vars = append(vars, ItemVar)
	}
	// Name later or unknown steps precisely before CEL reports "undeclared reference".
	for _, id := range identifiers(s.If) {
		if j, ok := v.index[id]; ok && j >= i {
			v.checkEarlier(i, s, "if", id)
			return
		}
	}
	if _, err := CompileCondition(s.If, vars); err != nil {
		v.add(s, "if", CodeBadCondition, "condition %q does not compile: %s (conditions are CEL over earlier steps' outputs, e.g. \"s1.temperature_c < 5\")",
			s.If, strings.TrimSpace(strings.ReplaceAll(err.Error(), "\n", " ")))
	}
}

var printer = message.NewPrinter(language.English)

// checkArgs validates s.Args against the tool's input schema. Errors located at or inside
// a reference-bearing value are left to the reference type check, since the value is only
// known at run time.
func (v *validator) checkArgs(s *Step, refBearing map[string]bool) {
	sch := v.reg.InputValidator(s.Tool)
	args := s.Args
	if args == nil {
		args = map[string]any{}
	}
	if path, bad := badNumber(args, "args"); bad {
		// A json.Number outside JSON's grammar validates as a number but cannot be
		// written out: the plan would fail when it is returned or stored.
		v.add(s, path, CodeInvalidType, "not a JSON number")
		return
	}
	err := sch.Validate(normalizeNumbers(args))
	if err == nil {
		return
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		v.add(s, "args", CodeInvalidArg, "%v", err)
		return
	}
	view := v.reg.InputSchema(s.Tool)
	seen := map[string]bool{}
	for _, leaf := range leaves(ve) {
		loc := leaf.InstanceLocation
		if underRef(loc, refBearing) {
			continue
		}
		field := "args"
		if len(loc) > 0 {
			field += "." + strings.Join(loc, ".")
		}
		switch k := leaf.ErrorKind.(type) {
		case *kind.Required:
			for _, m := range k.Missing {
				f := field + "." + m
				if field == "args" {
					f = "args." + m
				}
				if seen[f+"missing"] {
					continue
				}
				seen[f+"missing"] = true
				desc := ""
				if ps := view.At(append(append([]string{}, loc...), m)); ps != nil && ps.Description != "" {
					desc = " (" + ps.Description + ")"
				}
				v.add(s, f, CodeMissingArg, "required argument %q is missing%s", m, desc)
			}
		case *kind.AdditionalProperties:
			parent := view.At(loc)
			var allowed []string
			if parent != nil {
				allowed = parent.PropOrder
			}
			for _, extra := range k.Properties {
				v.add(s, field+"."+extra, CodeUnknownArg, "%s does not take argument %q; its arguments are: %s",
					s.Tool, extra, listOrNone(allowed))
			}
		case *kind.Type:
			v.add(s, field, CodeInvalidType, "expected %s, got %s", strings.Join(k.Want, " or "), k.Got)
		case *kind.Enum:
			var want []string
			for _, w := range k.Want {
				want = append(want, fmt.Sprint(w))
			}
			v.add(s, field, CodeInvalidEnum, "value %v is not one of: %s", k.Got, strings.Join(want, ", "))
		case *kind.Const:
			v.add(s, field, CodeInvalidEnum, "%s", leaf.ErrorKind.LocalizedString(printer))
		default:
			v.add(s, field, CodeInvalidArg, "%s", leaf.ErrorKind.LocalizedString(printer))
		}
	}
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, ", ")
}

// leaves flattens a jsonschema error tree to the errors with no causes.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

func underRef(loc []string, refBearing map[string]bool) bool {
	for k := len(loc); k >= 1; k-- {
		if refBearing[strings.Join(loc[:k], "/")] {
			return true
		}
	}
	return false
}

func collectStrings(v any, path []string, out *[]refLoc) {
	switch t := v.(type) {
	case string:
		*out = append(*out, refLoc{path: append([]string(nil), path...), value: t})
	case map[string]any:
		for _, k := range sortedKeys(t) {
			collectStrings(t[k], append(path, k), out)
		}
	case []any:
		for i, x := range t {
			collectStrings(x, append(path, strconv.Itoa(i)), out)
		}
	}
}

// badNumber finds a json.Number inside v that JSON's grammar refuses, returning its path.
func badNumber(v any, path string) (string, bool) {
	switch t := v.(type) {
	case json.Number:
		return path, !ValidNumber(t)
	case map[string]any:
		for k, x := range t {
			if p, bad := badNumber(x, path+"."+k); bad {
				return p, true
			}
		}
	case []any:
		for i, x := range t {
			if p, bad := badNumber(x, fmt.Sprintf("%s[%d]", path, i)); bad {
				return p, true
			}
		}
	}
	return "", false
}

// normalizeNumbers converts Go numeric types that the JSON Schema validator does not
// know into json-compatible ones (plans built in Go may hold int or float64).
func normalizeNumbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = normalizeNumbers(x)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = normalizeNumbers(x)
		}
		return a
	case int:
		return int64(t)
	case int32:
		return int64(t)
	case float32:
		return float64(t)
	case []string:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = x
		}
		return a
	case map[string]string:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = x
		}
		return m
	}
	return v
}

// compatible reports whether a value of types got may fill a slot of types want. Unknown
// types on either side are compatible; integers fill numbers; scalars fill strings
// (they are rendered).
func compatible(want, got []string) bool {
	if len(want) == 0 || len(got) == 0 {
		return true
	}
	for _, g := range got {
		if containsStr(want, g) {
			return true
		}
		if g == "integer" && containsStr(want, "number") {
			return true
		}
		if containsStr(want, "string") && (g == "number" || g == "integer" || g == "boolean") {
			return true
		}
	}
	return false
}

func containsStr(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// suggestTool names the closest registered tools to an unknown name.
func suggestTool(reg *tool.Registry, name string) string {
	type cand struct {
		n string
		d int
	}
	var cs []cand
	lname := strings.ToLower(name)
	for _, n := range reg.Names() {
		cs = append(cs, cand{n, levenshtein(lname, strings.ToLower(n))})
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].d < cs[j].d || cs[i].d == cs[j].d && cs[i].n < cs[j].n })
	if len(cs) == 0 {
		return "the registry has no tools"
	}
	if cs[0].d <= len(name)/3+1 {
		return fmt.Sprintf("did you mean %q?", cs[0].n)
	}
	var names []string
	for k := 0; k < len(cs) && k < 8; k++ {
		names = append(names, cs[k].n)
	}
	more := ""
	if len(cs) > 8 {
		more = fmt.Sprintf(" (and %d more)", len(cs)-8)
	}
	return "use one of: " + strings.Join(names, ", ") + more
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
