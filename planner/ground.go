package planner

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// groundingExtractor reads the values a plan must not make up. Only phone numbers,
// e-mail addresses and URLs are read, none of which depends on the clock.
var groundingExtractor = slot.NewExtractor(slot.Options{})

// UngroundedError says that a model's plan passes values of the kinds a user must give
// (phone numbers, e-mail addresses, URLs) that neither the request nor the tool catalog
// holds: a plan that texts a made-up number is worse than no plan. It is repaired like a
// validation error, and refused when the repair keeps it.
type UngroundedError struct {
	Step, Tool, Param string
	Kind              slot.Kind
	Value             string
}

func (e *UngroundedError) Error() string {
	return fmt.Sprintf("step %s (%s): %s %q in %q is not in the request: use only the phone numbers, e-mail addresses and URLs the user wrote (or an earlier step's output), or answer cannot_plan",
		e.Step, e.Tool, kindWord(e.Kind), e.Value, e.Param)
}

func kindWord(k slot.Kind) string {
	switch k {
	case slot.Phone:
		return "the phone number"
	case slot.Email:
		return "the e-mail address"
	default:
		return "the URL"
	}
}

// CheckGrounded returns an *UngroundedError for the first literal phone number, e-mail
// address or URL in p's arguments that request does not state and the step's tool does
// not document (a default, an enum value or an example in its input schema), or nil.
// Values inside ${...} references come from earlier steps and are not read.
func CheckGrounded(p *plan.Plan, request string, reg *tool.Registry) error {
	return checkGrounded(p, func() []slot.Slot { return groundingExtractor.Extract(request) }, reg)
}

// checkGrounded is CheckGrounded with the request's slots given by request, called at
// most once, when a literal value of a kind it checks is met: the planner's stage
// passes the query's analysis (plainSlots), which extracts nothing again.
func checkGrounded(p *plan.Plan, request func() []slot.Slot, reg *tool.Registry) error {
	var given []slot.Slot
	read := false
	for _, st := range p.Steps {
		var schema string
		if t, ok := reg.Get(st.Tool); ok {
			schema = strings.ToLower(string(t.InputSchema))
		}
		params := make([]string, 0, len(st.Args))
		for param := range st.Args {
			params = append(params, param)
		}
		sort.Strings(params)
		for _, param := range params {
			v := st.Args[param]
			var bad *UngroundedError
			plan.WalkStrings(v, func(s string) {
				if bad != nil {
					return
				}
				for _, v := range groundingExtractor.Extract(plan.BlankRefs(s)) {
					switch v.Kind {
					case slot.Phone, slot.Email, slot.URL:
					default:
						continue
					}
					if !read {
						given, read = request(), true
					}
					if !stated(v, given) && !strings.Contains(schema, strings.ToLower(v.Text)) {
						bad = &UngroundedError{Step: st.ID, Tool: st.Tool, Param: param, Kind: v.Kind, Value: v.Text}
						return
					}
				}
			})
			if bad != nil {
				return bad
			}
		}
	}
	return nil
}

// plainSlots are the slots of q's text without enum values (query.Query.Plain): those
// groundingExtractor reads, from the query's analysis.
func plainSlots(q query.Query) []slot.Slot {
	if slots, _, ok := q.Plain(); ok {
		return slots
	}
	return groundingExtractor.Extract(q.Text)
}

// stated reports whether value v is one the request gives: the same e-mail address,
// the same phone number (one's digits ending the other's: a country code added), the
// same host for a URL.
func stated(v slot.Slot, given []slot.Slot) bool {
	for _, g := range given {
		if g.Kind != v.Kind {
			continue
		}
		switch v.Kind {
		case slot.Email:
			if strings.EqualFold(g.Value, v.Value) {
				return true
			}
		case slot.Phone:
			a, b := digits(v.Value), digits(g.Value)
			if len(a) >= 7 && len(b) >= 7 && (strings.HasSuffix(a, b) || strings.HasSuffix(b, a)) {
				return true
			}
		case slot.URL:
			if h := host(v.Value); h != "" && h == host(g.Value) {
				return true
			}
		}
	}
	return false
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// host is a URL's host, lower-cased, without "www.": "https://www.Example.com/a" and
// "example.com" name the same site.
func host(raw string) string {
	s := raw
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}
