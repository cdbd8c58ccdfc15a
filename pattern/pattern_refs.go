package pattern

import (
	"regexp"
	"slices"
	"strings"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// orParts splits a parameter named for alternatives ("username_or_id_or_url").
var orParts = regexp.MustCompile(`(?i)[_-]or[_-]`)

// earlierField references an output field of an earlier step named exactly like pr
// (departure_time after FindBus): the data the request's steps pass along.
func (b *builder) earlierField(pr *paramInfo) (string, bool) {
	if genericNames[pr.norm] {
		return "", false
	}
	// "username_or_id_or_url" takes any of the three.
	alts := map[string]bool{pr.norm: true}
	if parts := orParts.Split(pr.Name, -1); len(parts) > 1 {
		for _, a := range parts {
			alts[normName(a)] = true
		}
	}
	for i := len(b.steps) - 1; i >= 0; i-- {
		out := b.steps[i].tool.out
		if out == nil {
			continue
		}
		for _, name := range out.PropOrder {
			f := out.Properties[name]
			if !alts[normName(name)] || f == nil {
				continue
			}
			if t := f.PrimaryType(); t != "" && t != "string" && t != pr.Type && !(pr.Type == "number" && t == "integer") {
				continue
			}
			return plan.MakeRef(b.steps[i].step.ID, name), true
		}
	}
	return "", false
}

// earlierItem returns a reference to the one item a list parameter takes from the step
// before, when clause c refers to it ("it") and that step's output has a field named as
// one of the list's items (issue_keys, issue_key).
func (b *builder) earlierItem(pr *paramInfo, c clause) (string, bool) {
	if pr.kind != pArray || pr.items != "string" || !c.refers || len(b.steps) == 0 || !strings.HasSuffix(pr.norm, "s") {
		return "", false
	}
	st := b.steps[len(b.steps)-1]
	if st.tool.out == nil {
		return "", false
	}
	one := strings.TrimSuffix(pr.norm, "s")
	for _, name := range st.tool.out.PropOrder {
		if f := st.tool.out.Properties[name]; f != nil && normName(name) == one && f.PrimaryType() == "string" {
			return plan.MakeRef(st.step.ID, name), true
		}
	}
	return "", false
}

// sameThing reports whether tool a needs an identifier that tool b needs too, alone or
// in a list (issue_get's issue_key, issue_assign's, sprint_add_issue's issue_keys): the
// two work on one thing.
func sameThing(a, b *toolInfo) bool {
	for _, pa := range a.params {
		if !pa.Required || !pa.idLike {
			continue
		}
		if slices.ContainsFunc(b.params, func(pb paramInfo) bool { return (pb.norm == pa.norm || pb.norm == pa.norm+"s") && pb.Required }) {
			return true
		}
	}
	return false
}

// referent returns the earlier step clause c refers to: the previous step for "it", "the
// result", "them"; the step of a tool named with a definite article ("the weather" after
// get_weather).
func (b *builder) referent(c clause) (built, bool) {
	if c.refers {
		return b.steps[len(b.steps)-1], true
	}
	// "check the weather ... and then text +1 555 010 2233 the forecast": a clause that
	// comes after the previous one by the user's order and names a definite thing it
	// does not otherwise say where to find passes the previous step's result on.
	if c.ordered && b.lastOfClause != "" && definiteObject(c) {
		for i := len(b.steps) - 1; i >= 0; i-- {
			if b.steps[i].step.ID == b.lastOfClause {
				return b.steps[i], true
			}
		}
	}
	ws := strings.Fields(strings.ToLower(maskSlots(c)))
	for i := len(b.steps) - 1; i >= 0; i-- {
		st := b.steps[i]
		for k := 0; k+1 < len(ws); k++ {
			if ws[k] != "the" && ws[k] != "that" && ws[k] != "this" {
				continue
			}
			for _, t := range terms(ws[k+1]) {
				if st.tool.terms[t] && !b.p.isVerb(t) && b.p.ix.idf[t] >= 1 {
					return st, true
				}
			}
		}
	}
	return built{}, false
}

// nextSentence returns the step of the clause before c when c opens the sentence after
// it and names a definite thing ("What will the weather be in Vienna on Christmas Day?
// Send the forecast to oma@example.at"): a message's content that comes from there.
func (b *builder) nextSentence(c clause) (built, bool) {
	before := strings.TrimSpace(b.request[:min(c.start, len(b.request))])
	if b.lastOfClause == "" || before == "" || !strings.ContainsAny(before[len(before)-1:], ".?!") || !definiteObject(c) {
		return built{}, false
	}
	for i := len(b.steps) - 1; i >= 0; i-- {
		if b.steps[i].step.ID == b.lastOfClause {
			return b.steps[i], true
		}
	}
	return built{}, false
}

// referenceTo renders a reference to the output of step s for parameter pr: the whole
// output when the producer declares no output schema, else a string field of it (one
// named like the parameter or like a result), or false when there is none.
func (b *builder) referenceTo(s built, pr *paramInfo) (string, bool) {
	out := s.tool.out
	if out == nil {
		return plan.MakeRef(s.step.ID), true
	}
	if t := out.PrimaryType(); t == "string" {
		return plan.MakeRef(s.step.ID), true
	}
	best, bestScore := "", -1
	for _, name := range out.PropOrder {
		f := out.Properties[name]
		if f == nil || f.PrimaryType() != "string" && f.PrimaryType() != "" {
			continue
		}
		sc := 0
		n := normName(name)
		switch {
		case n == pr.norm:
			sc = 5
		case strings.Contains(n, "summary") || strings.Contains(n, "text") || strings.Contains(n, "content") || strings.Contains(n, "message"):
			sc = 3
		case strings.Contains(n, "result") || strings.Contains(n, "title") || strings.Contains(n, "name") || strings.Contains(n, "description"):
			sc = 2
		case f.PrimaryType() == "string":
			sc = 1
		}
		if sc > bestScore {
			best, bestScore = name, sc
		}
	}
	if bestScore <= 1 && pr.whole {
		// "check my savings balance and text it to ...": no field is the text to pass
		// on (the balance is a number, the currency a string beside it), so the
		// message gives every value of the output, each with its name.
		if text := labelledFields(s.step.ID, out); text != "" {
			return text, true
		}
	}
	if best == "" {
		return "", false
	}
	return plan.MakeRef(s.step.ID, best), true
}

// labelledFields renders the top-level fields of output schema out of step id as one
// text, "balance: ${s1.balance}, currency: ${s1.currency}" (a list or an object is
// interpolated as JSON), or "" when it has none.
func labelledFields(id string, out *tool.Schema) string {
	var parts []string
	for _, name := range out.PropOrder {
		f := out.Properties[name]
		if f == nil {
			continue
		}
		// A list or an object is interpolated as JSON ("todos: [...]").
		parts = append(parts, strings.ReplaceAll(name, "_", " ")+": "+plan.MakeRef(id, name))
	}
	return strings.Join(parts, ", ")
}

// produce fills parameter pr of consumer ti from a producer: an earlier step, or a new
// step inserted now, whose output has a field for pr. It returns the reference.
func (b *builder) produce(consumer *toolInfo, pr *paramInfo, c clause, depth int) (string, bool) {
	type option struct {
		tool  *toolInfo
		path  []string
		role  string
		score float64
	}
	var best, tied option
	// "find my reservation ... and cancel it": a clause that refers back to what an
	// earlier step found takes the first item of its list, when it names no other
	// ("the cheapest one" is not the first).
	fromList := (c.refers || namesFound(c)) && !rankedPick(c)
	for _, ti := range b.p.tools {
		if ti == consumer || ti.out == nil {
			continue
		}
		path, role, sc := producerField(ti, pr, ti.fields)
		listed := false
		if sc == 0 && fromList && b.stepOf(ti) {
			// (A field of the parameter's own name in what the user asked to find is
			// that thing's, whatever else the two tools are named after.)
			path, role, sc = producerField(ti, pr, ti.items)
			if sc == 0 {
				path, sc = sameNameField(pr, ti.items) // a slot's date for the booking's date
			}
			if sc == 0 {
				path, sc = kindField(pr, ti.items) // "find Tom in my contacts and call him"
			}
			listed = sc > 0 && role == ""
		}
		if sc == 0 || requiresParam(ti, pr.norm) {
			continue // a tool that needs the value as input does not produce it
		}
		if len(path) > 0 && normName(path[len(path)-1]) == pr.norm && !b.p.readOnly(consumer) && sameThing(ti, consumer) {
			// "assign OPS-31 to dan" is no lookup of OPS-31's assignee: what a tool
			// changes is never the value the thing has now.
			continue
		}
		// The producer is of the consumer's family (SearchAirport for FlightSearch), or
		// the parameter's description cites it by name ("from the Search Location API");
		// a same-named field of an unrelated service is a coincidence.
		family := listed || b.p.sameFamily(b.p.toolIndex[ti], b.p.toolIndex[consumer])
		cited := 0
		for term := range ti.terms {
			if pr.terms[term] {
				cited++
			}
		}
		isCited := cited >= 2 && cited*2 >= len(ti.terms)
		if !family && !isCited || !pr.entity && !family {
			continue
		}
		if family {
			sc++
		}
		if listed {
			// "list Rex's vet visits and cancel the first one": the list the user asked
			// for, not a tool that would make a new visit_id (the booking).
			sc += 3
		}
		if isCited {
			sc += 2
		}
		if sc > best.score {
			best, tied = option{ti, path, role, sc}, option{}
		} else if sc == best.score {
			tied = option{ti, path, role, sc}
		}
	}
	if best.tool == nil {
		return "", false
	}
	if tied.tool != nil {
		// Two producers fit alike (TripadvisorSearchRestaurants and
		// Tripadvisor_Search_Restaurants, both found restaurantsId): the one the plan
		// already runs, or a guess the planner does not make.
		has := func(o option) bool {
			return slices.ContainsFunc(b.steps, func(s built) bool { return s.tool == o.tool })
		}
		switch {
		case has(best) && !has(tied):
		case has(tied) && !has(best):
			best = tied
		default:
			return "", false
		}
	}
	// Reuse an earlier step of the producer for the same role.
	for i := len(b.steps) - 1; i >= 0; i-- {
		if b.steps[i].tool == best.tool && (b.steps[i].role == best.role || b.steps[i].role == "" && best.role == "") {
			return plan.MakeRef(b.steps[i].step.ID, best.path...), true
		}
	}
	if slices.Contains(best.path, "0") {
		return "", false // a list's first item only from a step the user asked for
	}
	if !b.p.readOnly(best.tool) {
		// A step the user did not ask for may only look something up: placing an
		// order to obtain an order id for a refund is not a lookup.
		return "", false
	}
	mark := len(b.steps)
	args, _, ok, _ := b.fill(best.tool, c, best.role, depth+1)
	if !ok {
		b.steps = b.steps[:mark]
		return "", false
	}
	id := b.nextID()
	b.steps = append(b.steps, built{step: plan.Step{ID: id, Tool: best.tool.tool.Name, Args: args}, tool: best.tool, role: best.role, producer: true})
	return plan.MakeRef(id, best.path...), true
}

// sameNameField finds the field of fields named as parameter pr is, generic names
// included ("date", "time"): within the item the user asked to find, they are its own.
func sameNameField(pr *paramInfo, fields []outField) ([]string, float64) {
	for _, f := range fields {
		if f.norm == pr.norm && (f.typ == "" || f.typ == "string" || f.typ == "integer" || f.typ == "number") {
			return f.path, 2
		}
	}
	return nil, 0
}

// kindField finds the field of fields that holds what parameter pr is by its kind: a
// phone number for a phone, an e-mail address for an address, when exactly one does.
func kindField(pr *paramInfo, fields []outField) ([]string, float64) {
	var want string
	switch {
	case pr.kind == pPhone || mentions(pr, phoneTerms) && !mentions(pr, mailWords):
		want = "phone"
	case pr.kind == pEmail || mentions(pr, emailTerms) && !mentions(pr, phoneTerms):
		want = "email"
	default:
		return nil, 0
	}
	var found []outField
	for _, f := range fields {
		if strings.Contains(f.norm, want) && (f.typ == "" || f.typ == "string") {
			found = append(found, f)
		}
	}
	if len(found) != 1 {
		return nil, 0
	}
	return found[0].path, 1.5
}

// sameItem keeps a step that takes a field of a list's first item from mixing it with
// values stated elsewhere in the request for the same item: "find cardiology openings on
// Feb 24 and book the first one" books the first slot's date with its time, not Feb 24
// (the search starts then) with the time of a slot that may fall on the 25th.
func (b *builder) sameItem(ti *toolInfo, args map[string]any, src map[string]argSrc) {
	var item plan.Ref
	for pi := range ti.params { // (in the schema's order: the plan must not depend on a map's)
		name := ti.params[pi].Name
		if src[name].how != srcRef || item.Step != "" {
			continue
		}
		if str, ok := args[name].(string); ok {
			if r, ok := plan.WholeRef(str); ok && len(r.Path) == 3 && r.Path[1] == "0" {
				item = r
			}
		}
	}
	if item.Step == "" {
		return
	}
	k := slices.IndexFunc(b.steps, func(s built) bool { return s.step.ID == item.Step })
	if k < 0 {
		return
	}
	st := b.steps[k]
	for pi := range ti.params {
		pr := &ti.params[pi]
		if a, ok := src[pr.Name]; !ok || a.how != srcRequest {
			continue
		}
		for _, f := range st.tool.items {
			if f.path[0] == item.Path[0] && f.norm == pr.norm {
				args[pr.Name] = plan.MakeRef(item.Step, f.path...)
				src[pr.Name] = argSrc{how: srcRef}
			}
		}
	}
}

// namesFound reports whether clause c refers to what was found before by a pronoun of a
// person or by its place in the list: "call him", "text her", "book the first one".
func namesFound(c clause) bool {
	ws := words(strings.ToLower(c.text))
	for i, w := range ws {
		if w == "him" || w == "her" || w == "them" || w == "first" && i > 0 && ws[i-1] == "the" {
			return true
		}
	}
	return false
}

// stepOf reports whether the plan has a step of tool ti asked for by a clause.
func (b *builder) stepOf(ti *toolInfo) bool {
	return slices.ContainsFunc(b.steps, func(s built) bool { return s.tool == ti && !s.producer })
}

// rankedPick reports whether clause c picks a result by a rank other than the first:
// "the cheapest one", "the best rated", "the latest".
func rankedPick(c clause) bool {
	for _, w := range words(strings.ToLower(c.text)) {
		if strings.HasSuffix(w, "est") && len(w) > 4 && !notSuperlative[w] || w == "last" || w == "second" || w == "third" || w == "best" || w == "worst" {
			return true
		}
	}
	return false
}

// notSuperlative are words ending in "est" that rank nothing.
var notSuperlative = wordSet("request interest test rest guest forest suggest contest protest harvest invest digest manifest honest modest")

// producerField finds the field of fields (ti's output fields, or the fields of the
// first item of its lists) that can fill pr: the same name
// (artistId <- artist_id), or, for an entity parameter, pr's name ending in the field's
// name, which leaves a role (originSkyId <- skyId, role "origin"). Generic single-word
// names (name, id, query) never match. A plain (non-entity) parameter only takes a
// top-level field of exactly its name (the airlines a round-trip search returned, for
// the reservation), and produce accepts that only from the consumer's own family.
func producerField(ti *toolInfo, pr *paramInfo, fields []outField) (path []string, role string, score float64) {
	for _, f := range fields {
		if !pr.entity && (f.norm != pr.norm || f.depth > 0) {
			continue // a plain value comes only from a top-level field of the same name
		}
		if genericNames[f.norm] || !(f.typ == "" || f.typ == "string" || f.typ == "integer" || f.typ == "number") {
			continue
		}
		switch {
		case f.norm == pr.norm:
			if sc := 3.0 - float64(f.depth)*0.5; sc > score {
				path, role, score = f.path, "", sc
			}
		case len(f.norm) >= 4 && strings.HasSuffix(pr.norm, f.norm):
			if sc := 2.0 - float64(f.depth)*0.5; sc > score {
				path, role, score = f.path, strings.TrimSuffix(pr.norm, f.norm), sc
			}
		}
	}
	return path, role, score
}

var genericNames = map[string]bool{"name": true, "id": true, "type": true, "query": true, "q": true,
	"title": true, "location": true, "date": true, "time": true, "url": true, "status": true, "message": true}

// requiresParam reports whether ti has a required parameter with the normalised name.
func requiresParam(ti *toolInfo, norm string) bool {
	for _, pr := range ti.params {
		if pr.Required && pr.norm == norm {
			return true
		}
	}
	return false
}

// retrievalVerbs start the description or the name of a tool that only reads.
var retrievalVerbs = wordSet(`get gets find finds search searches list lists lookup look looks fetch fetches
	retrieve retrieves query queries read reads check checks show shows view views describe describes
	resolve resolves locate locates track tracks count counts estimate estimates calculate calculates
	convert converts translate translates detect detects identify identifies recognize recognizes
	extract extracts summarize summarizes validate validates verify verifies compute computes return returns
	obtain obtains see browse scrape scrapes discover discovers autocomplete suggest suggests
	explore explores inspect inspects analyze analyzes analyse analyses measure measures monitor
	forecast forecasts predict predicts`)

// readOnly reports whether tool ti only reads (its description or its name starts with a
// retrieval verb: "Search for...", "get_user", "Buses.FindBus", or neither has a verb:
// "Current weather in a city."), so that the planner may insert it to look up a value the
// user did not give.
// checkOutOrIn reports whether the words after "check" make it "check out" or "check
// in" (a stay, a cart, a flight): the particle next ("check out the cart"), or "out"
// after a one-word object or a determiner and its noun ("check them out", "check the
// guest out"). "Check the status in production" checks.
func checkOutOrIn(ws []string) bool {
	if len(ws) > 0 && (strings.EqualFold(ws[0], "out") || strings.EqualFold(ws[0], "in")) {
		return true
	}
	if len(ws) > 1 && strings.EqualFold(ws[1], "out") {
		return true
	}
	return len(ws) > 2 && strings.EqualFold(ws[2], "out") && determiners[strings.ToLower(ws[0])]
}

func (p *Pattern) readOnly(ti *toolInfo) bool {
	if p.doesArithmetic(ti) {
		return true // a sum or a product computes; it changes nothing
	}
	isRetrieval := func(w string) bool {
		lw := strings.ToLower(w)
		return retrievalVerbs[lw] || retrievalVerbs[stem(lw)]
	}
	if ws := words(ti.tool.Description); len(ws) > 0 && isRetrieval(ws[0]) {
		// "Check out the cart" places an order; "check in" books one; "Check the guest
		// out of the stay" closes the stay.
		return !(strings.EqualFold(ws[0], "check") && checkOutOrIn(ws[1:]))
	}
	// The name's first verb, after any service prefix: "get_user", "Buses.FindBus",
	// "Real-Time_Product_Search_Search", "SkyScrapperSearchAirport".
	name := ti.tool.Name
	if k := strings.LastIndexAny(name, "."); k >= 0 {
		name = name[k+1:]
	}
	for _, w := range words(name) {
		if isRetrieval(w) {
			return true
		}
		if lw := strings.ToLower(w); baseVerbs[lw] || baseVerbs[stem(lw)] || changeVerbs[lw] {
			return false
		}
	}
	// Neither its name nor the first sentence of its description has a verb: the tool
	// names what it gives ("weather.current": "Current weather in a city."), as a tool
	// that acts never does.
	first, _, _ := strings.Cut(ti.tool.Description, ".")
	ws := words(first)
	if len(ws) == 0 {
		return false
	}
	for _, w := range ws {
		if lw := strings.ToLower(w); !isRetrieval(lw) && (baseVerbs[lw] || baseVerbs[stem(lw)] || changeVerbs[lw]) {
			return false
		}
	}
	return true
}

// changeVerbs name what a tool changes, beside the verbs that start an instruction
// (baseVerbs): "Assign a driver to a delivery route" acts. (They stay out of baseVerbs,
// which split clauses.)
var changeVerbs = wordSet("assign unassign reassign allocate dispatch grant revoke attach detach waive forgive void freeze unfreeze extend deduct")

// wordSet is the set of the words of ws, lower case as written.
func wordSet(ws string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(ws) {
		m[w] = true
	}
	return m
}

// definiteObject reports whether clause c speaks of a definite thing ("the forecast",
// "the results") outside its slots.
func definiteObject(c clause) bool {
	ws := strings.Fields(asciiLower(maskSlots(c)))
	for k := 0; k+1 < len(ws); k++ {
		w := strings.Trim(ws[k+1], ",.;:!?")
		if ws[k] == "the" && len(w) > 2 && !stopWords[w] && strings.Trim(w, "x") != "" {
			return true
		}
	}
	return false
}
