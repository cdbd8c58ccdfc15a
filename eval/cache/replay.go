package cacheeval

// Replayed workload: the second measure of the cache. Pairs (cacheeval.go) ask "given
// this one cached request, is that one served right?"; a replay asks what a production
// cache does over a stream of requests in which users repeat themselves, ask the same
// thing about other people, dates and places, say "please", and ask new things.
//
// buildReplay turns a corpus of real requests (TaskBench's daily-life user_requests.json)
// into such a stream, and gives every request of it its ground truth: the plan the model
// makes for it with no cache. The model is the deterministic pattern planner, so the
// ground truth of a re-slotted request is the plan made for that request, not a plan
// derived from the original one. runReplay (replay_run.go) replays the stream through a
// planner with the real cache and scores what it serves.

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// Replay request kinds: the label of each request of a stream.
const (
	// kindNew is a corpus request seen for the first time.
	kindNew = "new"
	// kindRepeat is an earlier request again, equal after normalisation (case of the first
	// letter, white space, trailing punctuation may differ).
	kindRepeat = "repeat"
	// kindReslot is an earlier request with some slot values (names, dates, numbers,
	// quoted titles, ...) replaced by other values of the same kind, the rest unchanged.
	kindReslot = "reslot"
	// kindParaphrase is an earlier request with a politeness prefix or suffix ("Please,",
	// "Can you help?", "Thanks!"): same meaning, different words.
	kindParaphrase = "paraphrase"
)

// replayKinds lists the kinds in report order.
var replayKinds = []string{kindRepeat, kindReslot, kindParaphrase, kindNew}

// Mix is the share of each kind in a stream. The shares are normalised to sum to 1.
type Mix struct {
	Repeat, Reslot, Paraphrase, New float64
}

// DefaultMix is the mix of the evaluation: a third exact repeats, a third re-slotted
// requests, a tenth paraphrases and a fifth new requests.
var DefaultMix = Mix{Repeat: 0.35, Reslot: 0.35, Paraphrase: 0.10, New: 0.20}

// parseMix reads "repeat=0.35,reslot=0.35,paraphrase=0.1,new=0.2". Kinds left out get 0;
// at least one share must be positive.
func parseMix(s string) (Mix, error) {
	var m Mix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return Mix{}, fmt.Errorf("mix %q: want kind=share", part)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 {
			return Mix{}, fmt.Errorf("mix %q: the share must be a number >= 0", part)
		}
		switch strings.TrimSpace(k) {
		case kindRepeat:
			m.Repeat = f
		case kindReslot:
			m.Reslot = f
		case kindParaphrase:
			m.Paraphrase = f
		case kindNew:
			m.New = f
		default:
			return Mix{}, fmt.Errorf("mix %q: unknown kind (want %s)", part, strings.Join(replayKinds, ", "))
		}
	}
	if m.sum() <= 0 {
		return Mix{}, errors.New("mix: at least one share must be positive")
	}
	return m, nil
}

func (m Mix) sum() float64 { return m.Repeat + m.Reslot + m.Paraphrase + m.New }

// String renders the mix as parseMix reads it.
func (m Mix) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	return "repeat=" + f(m.Repeat) + ",reslot=" + f(m.Reslot) + ",paraphrase=" + f(m.Paraphrase) + ",new=" + f(m.New)
}

// taskBench is a TaskBench domain loaded for a replay: its tools and its requests (those
// with a text, in file order).
type taskBench struct {
	Tools    []*tool.Tool
	Requests []dataset.TaskBenchRequest
}

// loadTaskBench reads tool_desc.json and user_requests.json from a TaskBench domain
// directory (e.g. ../shared/data/taskbench/dailylifeapis). A missing file wraps errNoData.
func loadTaskBench(dir string) (*taskBench, error) {
	descPath := dir + "/" + dataset.TaskBenchTools
	reqPath := dir + "/" + dataset.TaskBenchRequests
	for _, p := range []string{descPath, reqPath} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%w: %s", errNoData, p)
		}
	}
	tools, err := dataset.LoadTaskBenchTools(dir)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", descPath, err)
	}
	all, err := dataset.LoadTaskBenchRequests(dir)
	if err != nil {
		return nil, err
	}
	reqs := all[:0]
	for _, r := range all {
		if strings.TrimSpace(r.Text) != "" {
			reqs = append(reqs, r)
		}
	}
	return &taskBench{Tools: tools, Requests: reqs}, nil
}

// ReplayItem is one request of a stream.
type ReplayItem struct {
	// Kind is kindNew, kindRepeat, kindReslot or kindParaphrase.
	Kind string `json:"kind"`
	// Text is the request as sent.
	Text string `json:"request"`
	// BaseID is the corpus id of the request it derives from.
	BaseID string `json:"base_id"`
	// Expected is the model's plan for Text: what a correct cache hit must serve.
	Expected *plan.Plan `json:"expected"`
}

// replayOptions configure buildReplay.
type replayOptions struct {
	// Requests is the length of the stream (default 2000).
	Requests int
	// Base is how many distinct corpus requests the stream draws on (default 300): the
	// first the model can plan, in the order of a seeded hash of their ids.
	Base int
	// Mix is the share of each kind (default DefaultMix).
	Mix  Mix
	Seed uint64
	// PoolRequests is how many corpus requests (in hash order) the value pools of
	// re-slotted requests are drawn from (default 1000).
	PoolRequests int
	// Now is the clock relative dates are resolved against; it must be the model's clock.
	Now time.Time
}

// Workload is a built stream.
type Workload struct {
	Items []ReplayItem
	// Base is the number of distinct corpus requests drawn on; Examined is how many corpus
	// requests were tried to find them (the others the model cannot plan).
	Base, Examined int
	// Fallbacks counts requests of another kind emitted where a kind could not be made
	// (no re-slottable earlier request, no unseen base request left): they are labelled
	// with the kind actually emitted.
	Fallbacks int
}

// Counts returns the number of items of each kind.
func (w *Workload) Counts() map[string]int {
	out := map[string]int{}
	for _, it := range w.Items {
		out[it.Kind]++
	}
	return out
}

// buildReplay builds a stream of opts.Requests requests from corpus. It first picks
// opts.Base requests the model can plan (in the order of a seeded FNV hash of their ids,
// so the sample is stable under reordering of the corpus), then emits requests one by
// one, choosing each kind by opts.Mix:
//
//   - new: the next unused base request (a repeat when all are used);
//   - repeat: an earlier request (uniformly among those emitted, so popular requests
//     come back more often) with its surface varied: trailing punctuation, white space,
//     the case of the first letter;
//   - reslot: an earlier base request with one or more of its slots (by slot.Extractor)
//     that fill a tool argument in the model's plan given another value that fills the
//     same argument in the model's plans of at least two other corpus requests (a store
//     becomes another store), where the re-extracted request has the same slot kinds and
//     the model can plan it;
//   - paraphrase: an earlier request with a politeness prefix or suffix.
//
// Every item carries the model's plan for its text. The model plans a request with no
// cache: it is the ground truth of a replay, so it must be deterministic (the same
// request always gets the same plan) and return an error when it cannot plan
// (pattern.Pattern is). The stream is deterministic for a given corpus, model, options
// and seed.
func buildReplay(ctx context.Context, corpus []dataset.TaskBenchRequest, reg *tool.Registry, model query.Planner, opts replayOptions) (*Workload, error) {
	if opts.Requests <= 0 {
		opts.Requests = 2000
	}
	if opts.Base <= 0 {
		opts.Base = 300
	}
	if opts.Mix.sum() <= 0 {
		opts.Mix = DefaultMix
	}
	if opts.PoolRequests <= 0 {
		opts.PoolRequests = 1000
	}
	if opts.Now.IsZero() {
		return nil, errors.New("cacheeval: ReplayOptions.Now is required (the model's clock)")
	}
	now := opts.Now
	x := slot.NewExtractor(slot.Options{Enums: slot.EnumsOf(reg), Now: func() time.Time { return now }})
	g := &generator{
		ctx: ctx, reg: reg, model: model, x: x,
		rng:  rand.New(rand.NewPCG(opts.Seed, 0x5e9ca7)),
		pool: map[role][]string{},
	}

	// Corpus order by seeded hash of the id.
	order := make([]int, len(corpus))
	keys := make([]uint64, len(corpus))
	for i, c := range corpus {
		order[i] = i
		h := fnv.New64a()
		fmt.Fprintf(h, "%d\x00%s", opts.Seed, c.ID)
		keys[i] = h.Sum64()
	}
	sort.Slice(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })

	// The base requests: the first the model can plan, in hash order.
	w := &Workload{}
	var bases []base
	for _, i := range order {
		if len(bases) == opts.Base {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		w.Examined++
		if p, ok := g.plan(corpus[i].Text); ok {
			bases = append(bases, base{id: corpus[i].ID, text: corpus[i].Text, plan: p})
		}
	}
	w.Base = len(bases)
	if len(bases) == 0 {
		return nil, errors.New("cacheeval: the model can plan none of the corpus requests")
	}

	// Value pools by role: the values (as written) of slots that fill the same tool
	// argument in the model's plans of at least two of the first opts.PoolRequests corpus
	// requests, so that a store becomes another store and a doctor another doctor, as when
	// a user asks the same thing about something else. Two requests, not one: a value the
	// model put in a role once is as likely its mistake ("the weather in Dr. Smith").
	uses := map[role]map[string]int{}
	for n, i := range order {
		if n == opts.PoolRequests {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, ok := g.plan(corpus[i].Text)
		if !ok {
			continue
		}
		once := map[role]map[string]bool{}
		for _, rs := range g.roles(corpus[i].Text, p) {
			k := strings.ToLower(rs.slot.Text)
			if once[rs.role] == nil {
				once[rs.role] = map[string]bool{}
			}
			if once[rs.role][k] {
				continue
			}
			once[rs.role][k] = true
			if uses[rs.role] == nil {
				uses[rs.role] = map[string]int{}
			}
			if uses[rs.role][k]++; uses[rs.role][k] == 2 {
				g.pool[rs.role] = append(g.pool[rs.role], rs.slot.Text)
			}
		}
	}

	mix := opts.Mix
	total := mix.sum()
	cum := []float64{mix.Repeat / total, (mix.Repeat + mix.Reslot) / total, (mix.Repeat + mix.Reslot + mix.Paraphrase) / total}
	nextBase := 0
	var used []int // indexes into bases, in order of first use
	for len(w.Items) < opts.Requests {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		want := kindNew
		if len(w.Items) > 0 {
			switch r := g.rng.Float64(); {
			case r < cum[0]:
				want = kindRepeat
			case r < cum[1]:
				want = kindReslot
			case r < cum[2]:
				want = kindParaphrase
			}
		}
		var it ReplayItem
		ok := false
		switch want {
		case kindNew:
			if nextBase < len(bases) {
				b := bases[nextBase]
				used = append(used, nextBase)
				nextBase++
				it, ok = ReplayItem{Kind: kindNew, Text: b.text, BaseID: b.id, Expected: b.plan}, true
			}
		case kindRepeat:
			it, ok = g.repeat(w.Items[g.rng.IntN(len(w.Items))])
		case kindReslot:
			it, ok = g.reslot(bases[used[g.rng.IntN(len(used))]])
		case kindParaphrase:
			it, ok = g.paraphrase(w.Items[g.rng.IntN(len(w.Items))])
		}
		if !ok {
			// The kind could not be made here: emit a repeat (or, at the very start,
			// the next new request) and count it.
			w.Fallbacks++
			if len(w.Items) == 0 {
				return nil, errors.New("cacheeval: no base request to start the stream")
			}
			if it, ok = g.repeat(w.Items[g.rng.IntN(len(w.Items))]); !ok {
				b := w.Items[g.rng.IntN(len(w.Items))]
				it = ReplayItem{Kind: kindRepeat, Text: b.Text, BaseID: b.BaseID, Expected: b.Expected}
			}
		}
		w.Items = append(w.Items, it)
	}
	return w, nil
}

// reslottable are the slot kinds a reslot may change. Enum values are left alone: they
// are the tool's vocabulary, not the user's.
var reslottable = map[slot.Kind]bool{
	slot.Quoted: true, slot.Number: true, slot.Date: true, slot.Time: true, slot.Email: true,
	slot.Phone: true, slot.File: true, slot.Name: true, slot.Money: true, slot.URL: true, slot.Percent: true,
}

type base struct {
	id, text string
	plan     *plan.Plan
}

type generator struct {
	ctx   context.Context
	reg   *tool.Registry
	model query.Planner
	x     *slot.Extractor
	rng   *rand.Rand
	pool  map[role][]string
}

// role is what a slot value does in a plan: the tool argument it fills, and its kind.
type role struct {
	tool, arg string
	kind      slot.Kind
}

type roleSlot struct {
	index int
	slot  slot.Slot
	role  role
}

// roles returns the re-slottable slots of text whose value (or text as written) is the
// whole value of some argument of p, with the first such argument.
func (g *generator) roles(text string, p *plan.Plan) []roleSlot {
	var out []roleSlot
	for i, s := range g.x.Extract(text) {
		if !reslottable[s.Kind] {
			continue
		}
	steps:
		for _, st := range p.Steps {
			names := make([]string, 0, len(st.Args))
			for a := range st.Args {
				names = append(names, a)
			}
			sort.Strings(names)
			for _, a := range names {
				c := canon(st.Args[a])
				if c == canon(s.Value) || c == canon(s.Text) || c == canon(strings.Trim(s.Text, "'\"“”")) {
					out = append(out, roleSlot{index: i, slot: s, role: role{tool: st.Tool, arg: a, kind: s.Kind}})
					break steps
				}
			}
		}
	}
	return out
}

// plan is the model's validated plan for text, or false.
func (g *generator) plan(text string) (*plan.Plan, bool) {
	p, err := g.model.Plan(g.ctx, query.New(text))
	if err != nil || p == nil || len(p.Steps) == 0 || plan.Validate(p, g.reg) != nil {
		return nil, false
	}
	return p, true
}

// repeat varies the surface of an earlier request without changing its normalised form
// (lower case, single spaces, no trailing ".?!"), which is what the cache's exact path
// keys on.
func (g *generator) repeat(of ReplayItem) (ReplayItem, bool) {
	t := strings.TrimRight(of.Text, " .?!")
	if t == "" {
		return ReplayItem{}, false
	}
	switch g.rng.IntN(4) {
	case 0: // as sent before
		t = of.Text
	case 1: // other trailing punctuation
		t += []string{"", ".", "?", "!", " ."}[g.rng.IntN(5)]
	case 2: // sloppy white space
		t = "  " + strings.Replace(t, " ", "  ", 1+g.rng.IntN(2)) + " "
	case 3: // first letter in the other case
		r, n := utf8.DecodeRuneInString(t)
		if unicode.IsUpper(r) {
			t = string(unicode.ToLower(r)) + t[n:]
		} else {
			t = string(unicode.ToUpper(r)) + t[n:]
		}
		t += strings.TrimPrefix(of.Text, strings.TrimRight(of.Text, " .?!"))
	}
	p, ok := g.plan(t)
	if !ok {
		return ReplayItem{}, false
	}
	return ReplayItem{Kind: kindRepeat, Text: t, BaseID: of.BaseID, Expected: p}, true
}

// Politeness wrappers of a paraphrase: they change the words but not what is asked.
var (
	paraphrasePrefixes = []string{"Please, ", "Hi, ", "Hello! ", "Hey, ", "Could you help me? ", "Quick request: "}
	paraphraseSuffixes = []string{" Thanks!", " Thank you.", " Thanks in advance.", " Please.", " Cheers."}
)

// paraphrase wraps an earlier request in a politeness prefix or suffix (or both).
func (g *generator) paraphrase(of ReplayItem) (ReplayItem, bool) {
	t := strings.TrimSpace(of.Text)
	switch g.rng.IntN(3) {
	case 0:
		t = paraphrasePrefixes[g.rng.IntN(len(paraphrasePrefixes))] + t
	case 1:
		t = ensureStop(t) + paraphraseSuffixes[g.rng.IntN(len(paraphraseSuffixes))]
	case 2:
		t = paraphrasePrefixes[g.rng.IntN(len(paraphrasePrefixes))] + ensureStop(t) +
			paraphraseSuffixes[g.rng.IntN(len(paraphraseSuffixes))]
	}
	p, ok := g.plan(t)
	if !ok {
		return ReplayItem{}, false
	}
	return ReplayItem{Kind: kindParaphrase, Text: t, BaseID: of.BaseID, Expected: p}, true
}

func ensureStop(t string) string {
	if strings.HasSuffix(t, ".") || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") {
		return t
	}
	return t + "."
}

// reslot gives some of the slots of a base request that fill a tool argument new values
// that fill the same argument elsewhere in the corpus. Every occurrence of a changed value
// changes the same way ("London" twice becomes "Paris" twice). It tries a few draws and
// gives up when none yields a request with the same slot kinds that the model can plan.
func (g *generator) reslot(b base) (ReplayItem, bool) {
	slots := g.x.Extract(b.text)
	var cand []roleSlot
	for _, rs := range g.roles(b.text, b.plan) {
		if len(g.pool[rs.role]) > 1 {
			cand = append(cand, rs)
		}
	}
	if len(cand) == 0 {
		return ReplayItem{}, false
	}
	for try := 0; try < 8; try++ {
		// Change each candidate with probability 1/2, at least one.
		change := map[string]string{} // lowercased old text -> new text
		pick := g.rng.IntN(len(cand))
		for j, rs := range cand {
			if j != pick && g.rng.IntN(2) == 0 {
				continue
			}
			old := strings.ToLower(rs.slot.Text)
			if _, done := change[old]; done {
				continue
			}
			pool := g.pool[rs.role]
			nv := pool[g.rng.IntN(len(pool))]
			for strings.EqualFold(nv, rs.slot.Text) {
				nv = pool[g.rng.IntN(len(pool))]
			}
			change[old] = nv
		}
		var sb strings.Builder
		prev := 0
		for _, s := range slots {
			nv, ok := change[strings.ToLower(s.Text)]
			if !ok {
				continue
			}
			sb.WriteString(b.text[prev:s.Start])
			sb.WriteString(nv)
			prev = s.End
		}
		sb.WriteString(b.text[prev:])
		text := sb.String()
		if !slices.Equal(slot.Kinds(g.x.Extract(text)), slot.Kinds(slots)) {
			continue
		}
		p, ok := g.plan(text)
		if !ok {
			continue
		}
		return ReplayItem{Kind: kindReslot, Text: text, BaseID: b.id, Expected: p}, true
	}
	return ReplayItem{}, false
}
