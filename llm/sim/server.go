package sim

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// Headers the simulator reads and writes.
const (
	HeaderSim           = "X-Planwise-Sim"       // "true" on every response
	HeaderFault         = "X-Sim-Fault"          // request: inject this fault kind
	HeaderFaultModel    = "X-Sim-Fault-Model"    // request: only when the model is this one
	HeaderRetryAfter    = "X-Sim-Retry-After"    // request: Retry-After value of a 429
	HeaderInjectedFault = "X-Sim-Injected-Fault" // response: the fault injected, if any
)

// Fingerprint is the system_fingerprint of every chat completion.
const Fingerprint = "planwise-sim"

const (
	defaultEmbeddingDims  = 256
	defaultHangLimit      = 10 * time.Minute
	maxRequestBody        = 32 << 20
	embeddingModelDefault = "text-embedding-3-small"
)

// Stats counts what the simulator served; see Server.Stats.
type Stats struct {
	// Requests counts chat completion requests per model (faulted ones included).
	Requests map[string]int
	// Embeddings counts embedding requests per model.
	Embeddings map[string]int
	// Faults counts injected faults per kind, over every model and endpoint.
	Faults map[FaultKind]int
	// FaultsByModel counts injected faults per model and kind.
	FaultsByModel map[string]map[FaultKind]int
	// ModelErrors counts the mistakes the model tier knob made (Config.ModelErrors).
	ModelErrors map[ModelError]int
	// Sources counts chat answers by where the plan came from: "gold", "answerer",
	// "cannot_plan" (neither had a plan: the answer is a refusal).
	Sources map[string]int
}

// Server is the simulator's http.Handler. It is safe for concurrent use.
type Server struct {
	cfg     Config
	gold    map[string]*plan.Plan
	latency map[string]Latency
	tokens  *tokenCounter
	mux     *http.ServeMux
	now     func() time.Time

	done      chan struct{}
	closeOnce sync.Once

	mu     sync.Mutex // guards rng, seq, script and stats
	rng    *rand.Rand
	seq    int
	script map[string][]FaultKind // what is left of Config.Script
	stats  Stats

	shapeMu  sync.Mutex
	shapes   map[uint64]*prompt.Shape // response schemas repeat: inspect each once
	planners map[uint64]*requestTools // so do the tool sets of requests: index each once
}

const maxShapes = 64

// shapeOf inspects a response schema, remembering the result by a hash of its text.
func (s *Server) shapeOf(raw json.RawMessage) (*prompt.Shape, error) {
	key := fnv1a(string(raw))
	s.shapeMu.Lock()
	sh, ok := s.shapes[key]
	s.shapeMu.Unlock()
	if ok {
		return sh, nil
	}
	sh, err := prompt.InspectSchema(raw)
	if err != nil {
		return nil, err
	}
	s.shapeMu.Lock()
	if len(s.shapes) >= maxShapes {
		clear(s.shapes)
	}
	s.shapes[key] = sh
	s.shapeMu.Unlock()
	return sh, nil
}

// New validates cfg and returns a simulator.
func New(cfg Config) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		gold:     make(map[string]*plan.Plan, len(cfg.Gold)),
		latency:  cfg.Latency,
		tokens:   newTokenCounter(),
		now:      cfg.Now,
		done:     make(chan struct{}),
		shapes:   map[uint64]*prompt.Shape{},
		planners: map[uint64]*requestTools{},
		rng:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5bd1e995)),
		stats: Stats{Requests: map[string]int{}, Embeddings: map[string]int{}, Faults: map[FaultKind]int{},
			FaultsByModel: map[string]map[FaultKind]int{}, Sources: map[string]int{}, ModelErrors: map[ModelError]int{}},
	}
	s.script = make(map[string][]FaultKind, len(cfg.Script))
	for m, seq := range cfg.Script {
		s.script[m] = append([]FaultKind(nil), seq...)
	}
	for k, p := range cfg.Gold {
		if p != nil {
			s.gold[NormalizeRequest(k)] = p
		}
	}
	if s.latency == nil {
		s.latency = DefaultLatency()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cfg.EmbeddingDims == 0 {
		s.cfg.EmbeddingDims = defaultEmbeddingDims
	}
	if s.cfg.RetryAfter == "" {
		s.cfg.RetryAfter = "1"
	}
	if s.cfg.HangLimit <= 0 {
		s.cfg.HangLimit = defaultHangLimit
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /v1/chat/completions", s.chat)
	s.mux.HandleFunc("POST /v1/embeddings", s.embeddings)
	s.mux.HandleFunc("GET /v1/models", s.models)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "invalid_request_error", "not_found",
			fmt.Sprintf("planwise sim: no endpoint %s %s (it serves POST /v1/chat/completions, POST /v1/embeddings, GET /v1/models)", r.Method, r.URL.Path))
	})
	return s, nil
}

// Close releases requests that hang (FaultHang). The HTTP server that serves s is its
// owner's to shut down.
func (s *Server) Close() { s.closeOnce.Do(func() { close(s.done) }) }

// Serve serves s over HTTP on ln until ctx is done or the server fails, then releases
// hanging requests (Close) and shuts the HTTP server down, giving requests in flight up
// to 5 s. It returns nil after a shutdown that completed.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	s.Close() // release hanging requests so that Shutdown can finish
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if serr := <-serveErr; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := Stats{Requests: copyMap(s.stats.Requests), Embeddings: copyMap(s.stats.Embeddings),
		Faults: copyMap(s.stats.Faults), FaultsByModel: map[string]map[FaultKind]int{}, Sources: copyMap(s.stats.Sources)}
	for m, f := range s.stats.FaultsByModel {
		out.FaultsByModel[m] = copyMap(f)
	}
	return out
}

func copyMap[K comparable](m map[K]int) map[K]int {
	out := make(map[K]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// ServeHTTP marks every response as simulated, checks the API key when one is
// configured and routes the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(HeaderSim, "true")
	if s.cfg.APIKey != "" {
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.APIKey)) != 1 {
			writeError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key", "planwise sim: incorrect API key provided")
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// decision is what the simulator decided for one request, under its lock.
type decision struct {
	seq     int
	fault   FaultKind
	latency time.Duration
}

// decide counts the request and draws its fault and latency from the seeded source.
func (s *Server) decide(r *http.Request, model string, embedding bool) decision {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	d := decision{seq: s.seq}
	if embedding {
		s.stats.Embeddings[model]++
	} else {
		s.stats.Requests[model]++
	}
	if h := r.Header.Get(HeaderFault); h != "" {
		target := r.Header.Get(HeaderFaultModel)
		if k, err := ParseFaultKind(h); err == nil && (target == "" || target == model) {
			d.fault = k
		}
	} else if k, ok := s.nextScripted(model); ok {
		d.fault = k
	} else {
		for _, rule := range s.cfg.Faults {
			if rule.Model != "" && rule.Model != model {
				continue
			}
			if s.rng.Float64() < rule.Prob {
				d.fault = rule.Kind
				break
			}
		}
	}
	if embedding && d.fault.planFault() {
		d.fault = ""
	}
	if d.fault != "" {
		s.stats.Faults[d.fault]++
		byModel := s.stats.FaultsByModel[model]
		if byModel == nil {
			byModel = map[FaultKind]int{}
			s.stats.FaultsByModel[model] = byModel
		}
		byModel[d.fault]++
	}
	lat := latencyFor(s.latency, model)
	span := float64(lat.Max - lat.Min)
	d.latency = time.Duration((float64(lat.Min) + s.rng.Float64()*span) * s.cfg.LatencyScale)
	if d.fault == FaultSlow {
		d.latency *= 10
	}
	return d
}

// nextScripted pops the next scripted fault for model: from its own script when it has
// one, else from the any-model script. Called with s.mu held.
func (s *Server) nextScripted(model string) (FaultKind, bool) {
	key := model
	if _, own := s.script[model]; !own {
		key = ""
	}
	seq := s.script[key]
	if len(seq) == 0 {
		return "", false
	}
	s.script[key] = seq[1:]
	if seq[0] == FaultNone || seq[0] == "" {
		return "", true
	}
	return seq[0], true
}

// wait sleeps for d, or until the client gives up or the server closes. It reports
// whether the full time passed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

// transportFault writes the response of a fault that replaces the answer (429, 5xx,
// hang) and reports whether it did.
func (s *Server) transportFault(w http.ResponseWriter, r *http.Request, d decision) bool {
	switch d.fault {
	case Fault429, Fault500, Fault503:
		if !s.wait(r.Context(), d.latency) {
			return true
		}
		w.Header().Set(HeaderInjectedFault, string(d.fault))
		switch d.fault {
		case Fault429:
			ra := r.Header.Get(HeaderRetryAfter)
			if ra == "" {
				ra = s.cfg.RetryAfter
			}
			w.Header().Set("Retry-After", ra)
			writeError(w, http.StatusTooManyRequests, "requests", "rate_limit_exceeded", "Rate limit reached (injected by planwise sim).")
		case Fault500:
			writeError(w, http.StatusInternalServerError, "server_error", "", "The server had an error while processing your request (injected by planwise sim).")
		default:
			writeError(w, http.StatusServiceUnavailable, "server_error", "service_unavailable", "The engine is currently overloaded (injected by planwise sim).")
		}
		return true
	case FaultHang:
		t := time.NewTimer(s.cfg.HangLimit)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			return true // the client gave up; nobody reads an answer
		case <-s.done:
		case <-t.C:
		}
		w.Header().Set(HeaderInjectedFault, string(d.fault))
		writeError(w, http.StatusGatewayTimeout, "server_error", "timeout", "planwise sim: the request hung (injected fault) until the server released it")
		return true
	}
	return false
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var req chatRequest
	if !readJSON(w, r, &req) {
		return
	}
	switch {
	case req.Model == "":
		writeError(w, http.StatusBadRequest, "invalid_request_error", "missing_model", "planwise sim: you must provide a model parameter")
		return
	case len(req.Messages) == 0:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "missing_messages", "planwise sim: messages must hold at least one message")
		return
	case req.N != nil && *req.N != 1:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "unsupported_value", "planwise sim: only n = 1 is supported")
		return
	}
	texts := make([]string, len(req.Messages))
	lastUser, lastUserAt := "", -1
	var system strings.Builder
	for i, m := range req.Messages {
		t, err := m.text()
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_value", fmt.Sprintf("planwise sim: messages[%d]: %v", i, err))
			return
		}
		texts[i] = t
		switch m.Role {
		case "user":
			lastUser, lastUserAt = t, i
		case "system", "developer":
			system.WriteString(t)
			system.WriteByte('\n')
		}
	}
	var shape *prompt.Shape
	var schemaText string
	var schemaRaw json.RawMessage
	if rf := req.ResponseFormat; rf != nil && rf.Type == "json_schema" {
		if rf.JSONSchema == nil || len(rf.JSONSchema.Schema) == 0 {
			writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_value", "planwise sim: response_format json_schema needs json_schema.schema")
			return
		}
		if rf.JSONSchema.Strict != nil && *rf.JSONSchema.Strict {
			if err := checkStrict(rf.JSONSchema.Schema); err != nil {
				writeErrorParam(w, http.StatusBadRequest, "invalid_request_error", "invalid_json_schema", "response_format",
					fmt.Sprintf("Invalid schema for response_format '%s': %v", rf.JSONSchema.Name, err))
				return
			}
		}
		sh, err := s.shapeOf(rf.JSONSchema.Schema)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_value",
				fmt.Sprintf("planwise sim: it only answers plan schemas compiled by planwise: %v", err))
			return
		}
		shape, schemaText, schemaRaw = sh, rf.JSONSchema.Name+string(rf.JSONSchema.Schema), rf.JSONSchema.Schema
	}
	choice, err := parseToolChoice(req.ToolChoice, req.Tools)
	if err != nil {
		writeErrorParam(w, http.StatusBadRequest, "invalid_request_error", "invalid_value", "tool_choice", "planwise sim: "+err.Error())
		return
	}
	for i, t := range req.Tools {
		if t.Type != "function" || !tool.ValidName(t.Function.Name) {
			writeErrorParam(w, http.StatusBadRequest, "invalid_request_error", "invalid_value", fmt.Sprintf("tools[%d]", i),
				fmt.Sprintf("Invalid 'tools[%d]': want {\"type\": \"function\", \"function\": {\"name\": ...}} with a name of letters, digits, '_' or '-'.", i))
			return
		}
		schemaText += t.Function.Name + t.Function.Description + string(t.Function.Parameters)
		if t.Function.Strict != nil && *t.Function.Strict {
			if err := checkStrict(orEmptyObject(t.Function.Parameters)); err != nil {
				writeErrorParam(w, http.StatusBadRequest, "invalid_request_error", "invalid_function_parameters", fmt.Sprintf("tools[%d].function.parameters", i),
					fmt.Sprintf("Invalid schema for function '%s': %v", t.Function.Name, err))
				return
			}
		}
	}

	d := s.decide(r, req.Model, false)
	if s.transportFault(w, r, d) {
		return
	}

	request := prompt.ExtractRequest(lastUser)
	calling := len(req.Tools) > 0 && choice.mode != "none"
	rt := s.requestPlanner(req, choice, system.String(), schemaRaw, calling)
	var answerer query.Planner
	if rt != nil {
		answerer = rt
	}
	p, source, reason := s.answer(r.Context(), request, answerer)
	pinned := shape != nil && len(shape.Tools) > 0
	for _, t := range req.Tools {
		pinned = pinned || (calling && t.Function.Strict != nil && *t.Function.Strict)
	}
	p = s.modelErrors(p, req.Model, request, len(req.Messages), rt, pinned)
	switch d.fault {
	case FaultInvalidPlan:
		p = invalidate(p, shape)
	case FaultWrongTool:
		p = wrongTool(p, shape)
	}
	var msg responseMessage
	finish := "stop"
	if calling {
		calls, text := nextToolCalls(p, req, lastUserAt, choice, d.seq)
		if len(calls) > 0 {
			msg.ToolCalls, finish = calls, "tool_calls"
		} else {
			if text == "" {
				text = "I cannot do this with the tools I have: " + reason
			}
			msg.Content = &text
		}
	} else {
		var content []byte
		switch {
		case len(p.Steps) == 0 && shape != nil:
			content, err = shape.EncodeCannotPlan(request, reason)
		case len(p.Steps) == 0:
			content, err = json.Marshal(map[string]any{"goal": request, "reasoning": "", prompt.CannotPlanKey: reason, "steps": []any{}})
		case shape != nil:
			content, err = shape.Encode(p)
		default:
			content, err = json.Marshal(p)
		}
		if err != nil {
			writeError(w, http.StatusInternalServerError, "server_error", "", "planwise sim: encoding the plan: "+err.Error())
			return
		}
		answer := string(content)
		completion := s.tokens.count(req.Model, answer)
		if d.fault == FaultTruncated {
			answer = s.tokens.truncate(req.Model, answer, max(1, completion/2))
			finish = "length"
		}
		if limit := firstSet(req.MaxCompletionTokens, req.MaxTokens); limit > 0 && s.tokens.count(req.Model, answer) > limit {
			answer = s.tokens.truncate(req.Model, answer, limit)
			finish = "length"
		}
		msg.Content = &answer
	}
	msg.Role = "assistant"
	completion := 0
	if msg.Content != nil {
		completion = s.tokens.count(req.Model, *msg.Content)
	}
	for _, c := range msg.ToolCalls {
		completion += 3 + s.tokens.count(req.Model, c.Function.Name) + s.tokens.count(req.Model, c.Function.Arguments)
	}
	promptTokens := 3 // every reply is primed with <|start|>assistant<|message|>
	for i, m := range req.Messages {
		promptTokens += 3 + s.tokens.count(req.Model, m.Role) + s.tokens.count(req.Model, texts[i])
		if m.Name != "" {
			promptTokens++
		}
		for _, c := range m.ToolCalls {
			promptTokens += 3 + s.tokens.count(req.Model, c.Function.Name) + s.tokens.count(req.Model, c.Function.Arguments)
		}
	}
	promptTokens += s.tokens.count(req.Model, schemaText)

	if !s.wait(r.Context(), d.latency) {
		return
	}
	s.mu.Lock()
	s.stats.Sources[source]++
	s.mu.Unlock()
	resp := chatResponse{
		ID:                fmt.Sprintf("chatcmpl-sim-%06d", d.seq),
		Object:            "chat.completion",
		Created:           s.now().Unix(),
		Model:             req.Model,
		SystemFingerprint: Fingerprint,
		Choices:           []chatChoice{{Message: msg, FinishReason: finish}},
		Usage:             usage{PromptTokens: promptTokens, CompletionTokens: completion, TotalTokens: promptTokens + completion},
	}
	if d.fault != "" {
		w.Header().Set(HeaderInjectedFault, string(d.fault))
	}
	w.Header().Set("X-Request-Id", fmt.Sprintf("sim-req-%06d", d.seq))
	if req.Stream {
		includeUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
		s.stream(w, resp, includeUsage, d.fault == FaultMalformed)
		return
	}
	body, err := json.Marshal(resp)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", "", "planwise sim: "+err.Error())
		return
	}
	if d.fault == FaultMalformed {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

func orEmptyObject(raw json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 {
		return json.RawMessage(`{"type":"object","properties":{},"required":[],"additionalProperties":false}`)
	}
	return raw
}

func firstSet(ps ...*int) int {
	for _, p := range ps {
		if p != nil {
			return *p
		}
	}
	return 0
}

// answer finds the plan for a request: the data set, then the planner over the tools the
// request declares (forRequest, when the request declares tools and Config.PlannerFor is
// set), else Config.Answerer. When none has one it returns a plan with no steps and the
// reason, which the caller sends as the model's refusal (cannot_plan), as a model that
// finds no fitting tool would. The plan is a copy the caller may change; source says
// where it came from.
func (s *Server) answer(ctx context.Context, request string, forRequest query.Planner) (p *plan.Plan, source, reason string) {
	if p, ok := s.gold[NormalizeRequest(request)]; ok {
		if len(p.Steps) == 0 {
			return p.Clone(), "cannot_plan", "the data set labels this request as one no tool can do"
		}
		return p.Clone(), "gold", ""
	}
	reason = "planwise sim: no labelled plan for this request and no planner to ask"
	answerer := s.cfg.Answerer
	if forRequest != nil {
		answerer = forRequest
	}
	if answerer != nil {
		p, err := answerer.Plan(ctx, query.New(request))
		if err == nil && p != nil && len(p.Steps) > 0 {
			return p.Clone(), "answerer", ""
		}
		if err != nil {
			reason = "no listed tool can do this request (" + err.Error() + ")"
		}
	}
	return &plan.Plan{Goal: request, Steps: []plan.Step{}}, "cannot_plan", reason
}

// unusedID returns a step id that p does not use.
func unusedID(p *plan.Plan) string {
	for n := 99; ; n++ {
		id := "s" + strconv.Itoa(n)
		if _, taken := p.Step(id); !taken {
			return id
		}
	}
}

// invalidate makes p fail validation while it still fits the schema: the first step
// (one is made when there is none) waits for a step that does not exist, and in a
// pinned schema every argument of a made-up step references it.
func invalidate(p *plan.Plan, sh *prompt.Shape) *plan.Plan {
	missing := unusedID(p)
	if len(p.Steps) == 0 {
		st := plan.Step{ID: "s1", Tool: "unknown_tool", Args: map[string]any{}}
		if sh != nil && len(sh.Tools) > 0 {
			st.Tool = sh.Tools[0]
			for _, a := range sh.Args[st.Tool] {
				st.Args[a] = plan.MakeRef(missing, "value")
			}
		}
		p.Steps = append(p.Steps, st)
	}
	p.Steps[0].After = append(p.Steps[0].After, missing)
	return p
}

// wrongTool renames the first step's tool (one is made when there is none) to a name
// the registry does not have.
func wrongTool(p *plan.Plan, sh *prompt.Shape) *plan.Plan {
	if len(p.Steps) == 0 {
		p.Steps = append(p.Steps, plan.Step{ID: "s1", Args: map[string]any{}})
	}
	known := map[string]bool{}
	if sh != nil {
		for _, t := range sh.Tools {
			known[t] = true
		}
	}
	name := "nonexistent_tool"
	if base := p.Steps[0].Tool; base != "" {
		name = base + "_v2"
	}
	for known[name] {
		name += "_x"
	}
	p.Steps[0].Tool = name
	return p
}

func (s *Server) embeddings(w http.ResponseWriter, r *http.Request) {
	var req embeddingRequest
	if !readJSON(w, r, &req) {
		return
	}
	if req.Model == "" {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "missing_model", "planwise sim: you must provide a model parameter")
		return
	}
	inputs, err := embeddingInputs(req.Input)
	if err != nil || len(inputs) == 0 {
		msg := "input must not be empty"
		if err != nil {
			msg = err.Error()
		}
		writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_value", "planwise sim: "+msg)
		return
	}
	dims := s.cfg.EmbeddingDims
	if req.Dimensions != nil {
		if *req.Dimensions < 1 || *req.Dimensions > 8192 {
			writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_value", "planwise sim: dimensions must be between 1 and 8192")
			return
		}
		dims = *req.Dimensions
	}
	format := req.EncodingFormat
	if format == "" {
		format = "float"
	}
	if format != "float" && format != "base64" {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_value", "planwise sim: encoding_format must be float or base64")
		return
	}
	d := s.decide(r, req.Model, true)
	if s.transportFault(w, r, d) {
		return
	}
	resp := embeddingResponse{Object: "list", Model: req.Model, Data: make([]embeddingData, len(inputs))}
	tokens := 0
	for i, in := range inputs {
		v := Embed(in, dims)
		var emb any = v
		if format == "base64" {
			buf := make([]byte, 4*len(v))
			for j, x := range v {
				binary.LittleEndian.PutUint32(buf[4*j:], math.Float32bits(x))
			}
			emb = base64.StdEncoding.EncodeToString(buf)
		}
		resp.Data[i] = embeddingData{Object: "embedding", Index: i, Embedding: emb}
		tokens += s.tokens.count(req.Model, in)
	}
	resp.Usage.PromptTokens, resp.Usage.TotalTokens = tokens, tokens
	if !s.wait(r.Context(), d.latency) {
		return
	}
	body, err := json.Marshal(resp)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", "", "planwise sim: "+err.Error())
		return
	}
	if d.fault != "" {
		w.Header().Set(HeaderInjectedFault, string(d.fault))
	}
	if d.fault == FaultMalformed {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	names := map[string]bool{embeddingModelDefault: true}
	for k := range s.latency {
		if k != "" {
			names[k] = true
		}
	}
	for _, m := range s.cfg.Models {
		names[m] = true
	}
	list := modelList{Object: "list"}
	for n := range names {
		list.Data = append(list.Data, modelInfo{ID: n, Object: "model", Created: 0, OwnedBy: Fingerprint})
	}
	sort.Slice(list.Data, func(i, j int) bool { return list.Data[i].ID < list.Data[j].ID })
	writeJSON(w, http.StatusOK, list)
}

// readJSON decodes the request body into v or writes a 400.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, "invalid_request_error", "request_too_large", fmt.Sprintf("planwise sim: request body over %d bytes", mbe.Limit))
			return false
		}
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "planwise sim: reading the request: "+err.Error())
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_json", "planwise sim: the request body is not valid JSON: "+err.Error())
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, typ, code, msg string) {
	writeErrorParam(w, status, typ, code, "", msg)
}

// writeErrorParam writes OpenAI's error shape {"error": {"message", "type", "param",
// "code"}}.
func writeErrorParam(w http.ResponseWriter, status int, typ, code, param, msg string) {
	e := apiError{Error: apiErrorBody{Message: msg, Type: typ}}
	if code != "" {
		e.Error.Code = &code
	}
	if param != "" {
		e.Error.Param = &param
	}
	writeJSON(w, status, e)
}
