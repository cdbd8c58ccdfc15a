package plan

import (
	"fmt"
	"sort"
	"strings"
)

// ItemVar is the loop variable bound by for_each: ${item} and ${item.field}.
const ItemVar = "item"

// Ref is one ${step.path} reference inside a string.
type Ref struct {
	Step  string   // producing step id, or ItemVar
	Path  []string // field names and array indexes after the step id
	Start int      // byte offset of "${" in the string
	End   int      // byte offset just past "}"
}

// String renders the reference in canonical form: ${s1.a.0.b}.
func (r Ref) String() string {
	if len(r.Path) == 0 {
		return "${" + r.Step + "}"
	}
	return "${" + r.Step + "." + strings.Join(r.Path, ".") + "}"
}

// MakeRef renders a reference to step id at path.
func MakeRef(step string, path ...string) string { return Ref{Step: step, Path: path}.String() }

// FindRefs returns the well-formed references in s, in order. Malformed ones are skipped;
// use ScanRefs to see them.
func FindRefs(s string) []Ref {
	refs, _ := ScanRefs(s)
	return refs
}

// WholeRef reports whether s is exactly one reference (so the argument takes the
// referenced value with its type, rather than an interpolated string).
func WholeRef(s string) (Ref, bool) {
	refs, errs := ScanRefs(s)
	if len(errs) == 0 && len(refs) == 1 && refs[0].Start == 0 && refs[0].End == len(s) {
		return refs[0], true
	}
	return Ref{}, false
}

// ScanRefs returns the well-formed references in s and an error for each malformed one
// ("${" not followed by a valid step id and path and a closing "}").
func ScanRefs(s string) ([]Ref, []error) {
	var refs []Ref
	var errs []error
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "${")
		if j < 0 {
			break
		}
		start := i + j
		end := strings.IndexByte(s[start:], '}')
		if end < 0 {
			errs = append(errs, fmt.Errorf("unterminated reference at offset %d: missing '}'", start))
			break
		}
		body := s[start+2 : start+end]
		r, err := parseRefBody(body)
		if err != nil {
			errs = append(errs, fmt.Errorf("malformed reference %q: %v", s[start:start+end+1], err))
		} else {
			r.Start, r.End = start, start+end+1
			refs = append(refs, r)
		}
		i = start + end + 1
	}
	return refs, errs
}

func parseRefBody(body string) (Ref, error) {
	if body == "" {
		return Ref{}, fmt.Errorf("empty reference; write ${s1} or ${s1.field}")
	}
	// Normalise a[0] to a.0.
	var norm strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch c {
		case '[':
			norm.WriteByte('.')
		case ']':
			if i+1 < len(body) && body[i+1] != '.' && body[i+1] != '[' {
				return Ref{}, fmt.Errorf("unexpected text after ']'")
			}
		default:
			norm.WriteByte(c)
		}
	}
	parts := strings.Split(norm.String(), ".")
	if !validID(parts[0]) {
		return Ref{}, fmt.Errorf("%q is not a step id", parts[0])
	}
	for _, p := range parts[1:] {
		if p == "" {
			return Ref{}, fmt.Errorf("empty path segment")
		}
		for _, c := range p {
			if !(c == '_' || c == '-' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return Ref{}, fmt.Errorf("invalid character %q in path segment %q", c, p)
			}
		}
	}
	return Ref{Step: parts[0], Path: parts[1:]}, nil
}

// validID reports whether s may be a step id: a letter, then letters, digits or '_' (ids appear in CEL conditions, where '-' is minus).
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, c := range s {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if i == 0 && !letter {
			return false
		}
		if !(letter || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// identifiers returns the bare identifiers of a CEL-like expression that are not field
// selections (not preceded by '.') and not inside string literals. It is a syntactic
// approximation used to find dependency edges; Validate compiles the condition for real.
func identifiers(expr string) []string {
	var out []string
	var quote byte
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		if quote != 0 {
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		if c == '"' || c == '\'' {
			quote = c
			continue
		}
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			j := i
			for j < len(expr) && (expr[j] == '_' || expr[j] >= 'a' && expr[j] <= 'z' || expr[j] >= 'A' && expr[j] <= 'Z' || expr[j] >= '0' && expr[j] <= '9') {
				j++
			}
			k := i - 1
			for k >= 0 && expr[k] == ' ' {
				k--
			}
			if k < 0 || expr[k] != '.' {
				out = append(out, expr[i:j])
			}
			i = j - 1
		}
	}
	return out
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// BlankRefs returns s with each well-formed reference replaced by a space: the text a
// step writes itself, without the values it takes from earlier steps.
func BlankRefs(s string) string {
	refs := FindRefs(s)
	if len(refs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, r := range refs {
		b.WriteString(s[last:r.Start])
		b.WriteByte(' ')
		last = r.End
	}
	b.WriteString(s[last:])
	return b.String()
}
