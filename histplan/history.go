package histplan

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/reuse"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// The history planner.
//
// History answers a request with the plan of the most similar successful past request
// of the same namespace (tenant, registry version), re-bound to the new request's slots.
// Its source (package history) supplies the nearest past plans; History decides whether
// one may serve:
//
//   - the similarity is at least the floor (WithHistoryFloor; calibrated per embedder
//     by `planwise eval history --sweep`);
//   - the past plan passes the reuse kernel (package reuse), with the plan cache's
//     guards but those inside values and phrases (docs/decisions.md): the same polarity
//     and negation words, as many times each (on/off, not, buy/sell...), the same slot
//     kinds as many times, the role words and slots in the same order ("from X to Y" is
//     not "to X from Y"); slot.Rebind re-binds every changed slot; every literal word the
//     past plan copied from the past request also appears in the new one (a room, a
//     product name that is not a recognised slot); and the result passes plan.Validate.
//
// The first candidate, best first, that passes every guard serves. When none does the
// error wraps plan.ErrCannotPlan and the request path falls through to the pattern planner.

// PastPlan is a successful past request and its plan, as a HistorySource returns it.
type PastPlan struct {
	// ID identifies the past record.
	ID      string
	Request string
	// Plan passed plan.Validate against the registry of the namespace; History re-binds
	// a copy, so the source may share it.
	Plan *plan.Plan
	// Similarity is the cosine similarity of the past request with the query.
	Similarity float64
}

// HistorySource finds the past plans most similar to a request within a namespace, best
// first. history.History implements it.
type HistorySource interface {
	SimilarPlans(ctx context.Context, q query.Query, registryVersion string, k int) ([]PastPlan, error)
}

// DefaultHistoryFloor is the history planner's similarity floor for the built-in local
// embedder (embed.Local, 256-d). Calibrated on the CLINC150 validation split with
// `planwise eval history --dataset clinc150 --validation --sweep --sizes 10000` (10,000
// past requests, 3,000 queries, vote margin 0.1): floor 0.30 answers 82.6% of queries
// from history at 0.802 precision (accuracy with the pattern fallback 0.732); 0.45
// answers 79.3% at 0.816 (0.725); 0.50 75.8% at 0.830 (0.715); 0.60 62.4% at 0.878
// (0.677); 0.65 53.8% at 0.901 (0.645); 0.80 25.3% at 0.949 (0.514). 0.45 keeps the
// accuracy within one point of the best floor while more of its answers are right; the
// guards (polarity, slot kinds, roles, grounded arguments) apply at any floor.
const DefaultHistoryFloor = 0.45

// DefaultHistoryVoteMargin is the default margin of the vote (WithHistoryVote).
const DefaultHistoryVoteMargin = 0.1

// DefaultHistoryCandidates is how many nearest past plans are tried, best first.
const DefaultHistoryCandidates = 8

// HistoryOption configures a History planner.
type HistoryOption func(*History)

// WithHistoryFloor sets the similarity floor below which a past plan never serves.
func WithHistoryFloor(f float64) HistoryOption { return func(h *History) { h.floor = f } }

// WithHistoryCandidates sets how many nearest past plans are tried.
func WithHistoryCandidates(k int) HistoryOption {
	return func(h *History) {
		if k > 0 {
			h.k = k
		}
	}
}

// WithHistoryVote sets the similarity margin of the vote: the servable past requests
// within margin of the most similar one vote with their similarity for their plan's tool
// sequence (0 disables the vote: the most similar servable request wins).
func WithHistoryVote(margin float64) HistoryOption { return func(h *History) { h.margin = margin } }

// WithHistoryClock sets the clock relative dates in requests resolve against.
func WithHistoryClock(now func() time.Time) HistoryOption {
	return func(h *History) { h.now = now }
}

// History is the history planner; see the comment at the top of this file. It is
// immutable and safe for concurrent use.
type History struct {
	src    HistorySource
	reg    *tool.Registry
	ex     *slot.Extractor
	floor  float64
	margin float64
	k      int
	now    func() time.Time
}

// NewHistory returns the history planner over src for reg.
func NewHistory(src HistorySource, reg *tool.Registry, opts ...HistoryOption) *History {
	h := &History{src: src, reg: reg, floor: DefaultHistoryFloor, margin: DefaultHistoryVoteMargin, k: DefaultHistoryCandidates}
	for _, o := range opts {
		o(h)
	}
	h.ex = slot.NewExtractor(slot.Options{Enums: slot.EnumsOf(reg), Now: h.now})
	return h
}

// Floor returns the similarity floor in use.
func (h *History) Floor() float64 { return h.floor }

// Plan returns the re-bound plan of the most similar past request of q's tenant that
// passes the guards, or an error wrapping plan.ErrCannotPlan.
func (h *History) Plan(ctx context.Context, q query.Query) (*plan.Plan, error) {
	p, _, err := h.PlanFrom(ctx, q)
	return p, err
}

// PlanFrom is Plan that also returns the past plan it re-bound (its ID, request and
// similarity; its Plan is the original, not re-bound).
func (h *History) PlanFrom(ctx context.Context, q query.Query) (*plan.Plan, PastPlan, error) {
	return h.plan(ctx, q)
}

func (h *History) plan(ctx context.Context, q query.Query) (*plan.Plan, PastPlan, error) {
	request := q.Text
	if err := ctx.Err(); err != nil {
		return nil, PastPlan{}, err
	}
	if strings.TrimSpace(request) == "" {
		return nil, PastPlan{}, &plan.CannotPlanError{Reason: "the request is empty"}
	}
	if h.src == nil || h.reg == nil {
		return nil, PastPlan{}, &plan.CannotPlanError{Reason: "no history"}
	}
	past, err := h.src.SimilarPlans(ctx, q, h.reg.Version(), h.k)
	if err != nil {
		return nil, PastPlan{}, fmt.Errorf("history planner: %w", err)
	}
	if len(past) == 0 {
		return nil, PastPlan{}, &plan.CannotPlanError{Reason: "no successful past request in this namespace"}
	}
	cur := reuse.For(q, h.reg, h.ex)
	why := ""
	type served struct {
		p    *plan.Plan
		from PastPlan
		sig  string
	}
	var ok []served
	for _, pp := range past {
		if pp.Similarity < h.floor {
			if why == "" {
				why = fmt.Sprintf("the most similar past request (similarity %.2f) is below the floor %.2f", pp.Similarity, h.floor)
			}
			break
		}
		if len(ok) > 0 && pp.Similarity < ok[0].from.Similarity-h.margin {
			break
		}
		p, reason := h.serve(pp, cur)
		if p != nil {
			ok = append(ok, served{p, pp, toolSignature(p)})
			if h.margin <= 0 {
				break
			}
			continue
		}
		if why == "" {
			// Not quoted: the past request may be another user's (see serve).
			why = fmt.Sprintf("the most similar past request (similarity %.2f) %s", pp.Similarity, reason)
		}
	}
	if len(ok) == 0 {
		return nil, PastPlan{}, &plan.CannotPlanError{Reason: why}
	}
	// Vote among the servable past requests within the margin of the best: the tool
	// sequence with the highest summed similarity wins, served by its most similar
	// request. One outlier neighbour then cannot outvote several agreeing ones.
	votes := map[string]float64{}
	for _, s := range ok {
		votes[s.sig] += s.from.Similarity
	}
	best := ok[0]
	for _, s := range ok[1:] {
		if votes[s.sig] > votes[best.sig] {
			best = s
		}
	}
	return best.p, best.from, nil
}

// toolSignature is the plan's tool sequence, the unit of the vote.
func toolSignature(p *plan.Plan) string {
	var b strings.Builder
	for i, s := range p.Steps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s.Tool)
	}
	return b.String()
}

// serve runs the reuse kernel on one past plan and returns the re-bound, validated plan,
// or nil and why not.
func (h *History) serve(pp PastPlan, cur *reuse.Request) (*plan.Plan, string) {
	if pp.Plan == nil {
		return nil, "has no plan"
	}
	past := h.analyse(pp.Request)
	past.Plan = pp.Plan
	// Not the guards inside values and phrases (Values): see docs/decisions.md.
	p, why, err := reuse.Reuse(past, cur, h.reg, reuse.Options{MaxWordEdits: -1})
	if p == nil {
		return nil, refusal(why, err)
	}
	if part := extraPart(pp.Request, cur.Text); part != "" {
		// "water the back garden for 15 minutes and paint the fence blue" served the
		// watering alone: the past plan does nothing of what the added part asks.
		return nil, fmt.Sprintf("does not ask %q, which the request adds", part)
	}
	// The past request is not quoted: it may be another user's of the tenant, and the
	// plan's reasoning and a refusal's reason reach the caller.
	p.Goal = cur.Text
	p.Reasoning = fmt.Sprintf("Reused the plan of a similar past request (similarity %.2f), re-bound to this request's values.", pp.Similarity)
	return p, ""
}

// extraPart returns a part of request that a conjunction or a sentence adds ("and
// paint the fence blue", "then call mom") and that shares no content word with the past
// request, or "": the past plan serves none of it. Paraphrase within a part is the
// similarity's and the guards' business; a whole part more is another request.
func extraPart(past, request string) string {
	known := map[string]bool{}
	for _, w := range contentWords(past) {
		known[w] = true
	}
	for _, part := range partSplit.Split(request, -1) {
		ws := contentWords(part)
		if len(ws) == 0 {
			continue
		}
		shared := false
		for _, w := range ws {
			shared = shared || known[w]
		}
		if !shared {
			return strings.TrimSpace(part)
		}
	}
	return ""
}

// partSplit splits a request at the conjunctions and the punctuation that join one
// instruction to another.
var partSplit = regexp.MustCompile(`(?i)\s*(?:[.;!?]\s+|,?\s+(?:and then|and also|then|and|also|plus)\s+)`)

// contentWords are text's words (slot.Words) of three letters or more that are no
// function word, with a plural's s dropped.
func contentWords(text string) []string {
	var out []string
	for _, w := range slot.Words(text) {
		if len(w) < 3 || slot.IsFunctionWord(w) || askingWords[w] {
			continue
		}
		out = append(out, strings.TrimSuffix(w, "s"))
	}
	return out
}

// askingWords carry no content of a request's own beside slot's function words: how it
// asks, and courtesy.
var askingWords = map[string]bool{
	"these": true, "those": true, "then": true, "also": true, "pls": true, "can": true, "could": true,
	"would": true, "will": true, "what": true, "when": true, "where": true, "which": true, "who": true,
	"how": true, "was": true, "were": true, "been": true, "have": true, "has": true, "had": true,
	"did": true, "does": true, "not": true, "all": true, "any": true, "some": true, "about": true,
	"after": true, "before": true, "over": true, "just": true, "now": true, "too": true, "plus": true,
	"out": true, "off": true, "get": true, "let": true, "want": true, "need": true, "like": true,
	"thanks": true, "thank": true, "there": true, "here": true, "onto": true, "into": true,
}

// refusal words the reuse kernel's reason for the cannot-plan error.
func refusal(why reuse.Reason, err error) string {
	switch why {
	case reuse.Negation:
		return "differs in polarity or negation words"
	case reuse.Slots:
		return "has other kinds of values"
	case reuse.Roles:
		return "has its values in other roles"
	case reuse.Cues:
		return "differs in a word the registry uses to tell its tools apart"
	case reuse.Rebind:
		// Not err's words: they name the past request's values.
		if err == nil {
			return "cannot be re-bound: a value recurs elsewhere in one of the requests"
		}
		return "cannot be re-bound to this request's values"
	case reuse.Args:
		return "has a plan argument whose words the new request does not contain (or not in the same context)"
	case reuse.Invalid:
		return "gives an invalid plan once re-bound"
	}
	return string(why)
}

// analyse returns the request's analysis for the reuse kernel.
func (h *History) analyse(text string) *reuse.Request {
	return reuse.Analyse(text, h.ex.Extract(text))
}
