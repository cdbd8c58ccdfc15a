package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/tiktoken-go/tokenizer"

	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

func registry(t testing.TB) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "get_weather", Description: "Get the weather for a city.",
			InputSchema:  json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"},"date":{"type":"string"}},"required":["location"],"additionalProperties":false}`),
			OutputSchema: json.RawMessage(`{"type":"object","properties":{"summary":{"type":"string"},"temperature_c":{"type":"number"}}}`)},
		&tool.Tool{Name: "send_email", Description: "Send an email.",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"to":{"type":"string","format":"email"},"body":{"type":"string"},"priority":{"type":"integer"}},"required":["to","body"],"additionalProperties":false}`)},
		&tool.Tool{Name: "notify", Description: "Notify the user.",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"],"additionalProperties":false}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

const weatherRequest = "Email bob@example.com the weather in Paris."

func goldPlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, err := plan.Parse([]byte(`{"goal":"Email Bob the Paris weather.","reasoning":"weather first, then email","steps":[
	 {"id":"s1","tool":"get_weather","args":{"location":"Paris"}},
	 {"id":"s2","tool":"send_email","args":{"to":"bob@example.com","body":"${s1.summary}"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fixture is a simulator behind a real loopback HTTP server and an SDK client.
type fixture struct {
	sim    *sim.Server
	srv    *httptest.Server
	client openai.Client
	reg    *tool.Registry
}

func newFixture(t *testing.T, cfg sim.Config) *fixture {
	t.Helper()
	s, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		srv.Close()
	})
	client := openai.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("test-key"), option.WithMaxRetries(0))
	return &fixture{sim: s, srv: srv, client: client, reg: registry(t)}
}

// params builds a chat request the way the planner does: prompt.Builder messages and the
// compiled schema as a strict json_schema response format.
func (f *fixture) params(t *testing.T, model, request string, schema *prompt.Schema) openai.ChatCompletionNewParams {
	t.Helper()
	b := prompt.NewBuilder(f.reg, prompt.WithSchema(schema))
	pr, err := b.Build(prompt.Input{Request: request})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []openai.ChatCompletionMessageParamUnion
	for _, m := range pr.Messages {
		switch m.Role {
		case prompt.RoleSystem:
			msgs = append(msgs, openai.SystemMessage(m.Content))
		case prompt.RoleUser:
			msgs = append(msgs, openai.UserMessage(m.Content))
		default:
			msgs = append(msgs, openai.AssistantMessage(m.Content))
		}
	}
	return openai.ChatCompletionNewParams{
		Model:    model,
		Messages: msgs,
		ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
			JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: schema.Name, Schema: schema.JSON, Strict: openai.Bool(true)},
		}},
	}
}

func pinned(t testing.TB, reg *tool.Registry) *prompt.Schema {
	t.Helper()
	s, err := prompt.CompilePinned(reg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func generic(t testing.TB, reg *tool.Registry) *prompt.Schema {
	t.Helper()
	s, err := prompt.CompileGeneric(reg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestChatAnswersInTheRequestedShape(t *testing.T) {
	f := newFixture(t, sim.Config{Gold: map[string]*plan.Plan{weatherRequest: goldPlan(t)}})
	for _, schema := range []*prompt.Schema{pinned(t, f.reg), generic(t, f.reg)} {
		t.Run(string(schema.Mode), func(t *testing.T) {
			var raw *http.Response
			// The lookup is by normalised text: case, spacing and the final period differ.
			params := f.params(t, "gpt-4o-mini", "  email BOB@example.com the weather   in Paris ", schema)
			resp, err := f.client.Chat.Completions.New(context.Background(), params, option.WithResponseInto(&raw))
			if err != nil {
				t.Fatal(err)
			}
			if raw.Header.Get("X-Planwise-Sim") != "true" || resp.SystemFingerprint != "planwise-sim" {
				t.Errorf("the response does not say it is simulated: header %q fingerprint %q", raw.Header.Get("X-Planwise-Sim"), resp.SystemFingerprint)
			}
			if len(resp.Choices) != 1 || resp.Choices[0].FinishReason != "stop" {
				t.Fatalf("choices %+v", resp.Choices)
			}
			content := resp.Choices[0].Message.Content
			if err := compile(t, schema.JSON).Validate(instance(t, content)); err != nil {
				t.Errorf("answer breaks the requested schema: %v\n%s", err, content)
			}
			got, err := prompt.DecodePlan([]byte(content), schema.Mode)
			if err != nil {
				t.Fatal(err)
			}
			if err := plan.Validate(got, f.reg); err != nil {
				t.Errorf("answer does not validate: %v", err)
			}
			if !reflect.DeepEqual(got, goldPlan(t)) {
				t.Errorf("got %s\nwant the gold plan %s", got.JSON(), goldPlan(t).JSON())
			}
			// Usage, recomputed independently with the o200k_base tokenizer of gpt-4o-mini.
			enc, err := tokenizer.Get(tokenizer.O200kBase)
			if err != nil {
				t.Fatal(err)
			}
			count := func(s string) int64 {
				n, err := enc.Count(s)
				if err != nil {
					t.Fatal(err)
				}
				return int64(n)
			}
			b := prompt.NewBuilder(f.reg, prompt.WithSchema(schema))
			pr, _ := b.Build(prompt.Input{Request: "  email BOB@example.com the weather   in Paris "})
			want := int64(3) + count(schema.Name+string(schema.JSON))
			for _, m := range pr.Messages {
				want += 3 + count(m.Role) + count(m.Content)
			}
			if resp.Usage.PromptTokens != want {
				t.Errorf("prompt_tokens %d, want %d", resp.Usage.PromptTokens, want)
			}
			if resp.Usage.CompletionTokens != count(content) || resp.Usage.TotalTokens != want+count(content) {
				t.Errorf("usage %+v, completion should be %d", resp.Usage, count(content))
			}
		})
	}
	if st := f.sim.Stats(); st.Requests["gpt-4o-mini"] != 2 || st.Sources["gold"] != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestChatFallsBackToAnswererThenEmpty(t *testing.T) {
	var (
		mu    sync.Mutex
		asked []string
	)
	answerer := query.PlannerFunc(func(ctx context.Context, q query.Query) (*plan.Plan, error) {
		request := q.Text
		mu.Lock()
		asked = append(asked, request)
		mu.Unlock()
		if strings.Contains(request, "notify") {
			return &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "notify", Args: map[string]any{"text": "hi"}}}}, nil
		}
		return nil, errors.New("cannot plan")
	})
	f := newFixture(t, sim.Config{Answerer: answerer})
	schema := pinned(t, f.reg)
	resp, err := f.client.Chat.Completions.New(context.Background(), f.params(t, "gpt-4o", "please notify me", schema))
	if err != nil {
		t.Fatal(err)
	}
	p, err := schema.Decode([]byte(resp.Choices[0].Message.Content))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != 1 || p.Steps[0].Tool != "notify" {
		t.Errorf("answerer plan not used: %s", p.JSON())
	}
	resp, err = f.client.Chat.Completions.New(context.Background(), f.params(t, "gpt-4o", "juggle three oranges", schema))
	if err != nil {
		t.Fatal(err)
	}
	// Neither the data set nor the answerer has a plan: the sim declines as a model
	// would, through the schema's cannot_plan field, with the planner's reason.
	p, err = schema.Decode([]byte(resp.Choices[0].Message.Content))
	var ce *prompt.CannotPlanError
	if !errors.As(err, &ce) || !strings.Contains(ce.Reason, "cannot plan") {
		t.Errorf("want the sim's refusal with the answerer's reason, got plan %v err %v", p, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !reflect.DeepEqual(asked, []string{"please notify me", "juggle three oranges"}) {
		t.Errorf("the answerer was asked %q: the request must be extracted from the user message", asked)
	}
	if st := f.sim.Stats(); st.Sources["answerer"] != 1 || st.Sources["cannot_plan"] != 1 {
		t.Errorf("sources %v", st.Sources)
	}
}

// TestFaultsAsTheSDKSeesThem injects each fault kind by header and checks what the
// official client reports.
func TestFaultsAsTheSDKSeesThem(t *testing.T) {
	f := newFixture(t, sim.Config{Gold: map[string]*plan.Plan{weatherRequest: goldPlan(t)}})
	schema := pinned(t, f.reg)
	call := func(kind string, opts ...option.RequestOption) (*openai.ChatCompletion, error) {
		opts = append(opts, option.WithHeader("X-Sim-Fault", kind))
		return f.client.Chat.Completions.New(context.Background(), f.params(t, "gpt-4o-mini", weatherRequest, schema), opts...)
	}
	apiErr := func(t *testing.T, err error, status int) *openai.Error {
		t.Helper()
		var e *openai.Error
		if !errors.As(err, &e) {
			t.Fatalf("want *openai.Error %d, got %v", status, err)
		}
		if e.StatusCode != status {
			t.Fatalf("status %d, want %d", e.StatusCode, status)
		}
		return e
	}

	t.Run("429", func(t *testing.T) {
		_, err := call("429")
		e := apiErr(t, err, 429)
		if got := e.Response.Header.Get("Retry-After"); got != "1" {
			t.Errorf("Retry-After %q, want 1", got)
		}
		if e.Code != "rate_limit_exceeded" {
			t.Errorf("code %q", e.Code)
		}
		_, err = call("429", option.WithHeader("X-Sim-Retry-After", "7"))
		if got := apiErr(t, err, 429).Response.Header.Get("Retry-After"); got != "7" {
			t.Errorf("Retry-After %q, want 7", got)
		}
	})
	t.Run("500", func(t *testing.T) {
		_, err := call("500")
		if e := apiErr(t, err, 500); e.Type != "server_error" {
			t.Errorf("type %q", e.Type)
		}
	})
	t.Run("503", func(t *testing.T) {
		_, err := call("503")
		apiErr(t, err, 503)
	})
	t.Run("malformed", func(t *testing.T) {
		_, err := call("malformed")
		if err == nil {
			t.Fatal("a malformed body was accepted")
		}
		var e *openai.Error
		if errors.As(err, &e) {
			t.Fatalf("want a decoding error, got an API error %v", e)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		resp, err := call("truncated")
		if err != nil {
			t.Fatal(err)
		}
		if resp.Choices[0].FinishReason != "length" {
			t.Errorf("finish_reason %q, want length", resp.Choices[0].FinishReason)
		}
		_, err = prompt.DecodePlan([]byte(resp.Choices[0].Message.Content), schema.Mode)
		if !errors.Is(err, prompt.ErrTruncated) {
			t.Errorf("want ErrTruncated, got %v", err)
		}
	})
	t.Run("invalid_plan", func(t *testing.T) {
		resp, err := call("invalid_plan")
		if err != nil {
			t.Fatal(err)
		}
		content := resp.Choices[0].Message.Content
		if err := compile(t, schema.JSON).Validate(instance(t, content)); err != nil {
			t.Fatalf("an invalid_plan answer must still fit the schema: %v", err)
		}
		p, err := schema.Decode([]byte(content))
		if err != nil {
			t.Fatal(err)
		}
		ve, ok := plan.AsValidationError(plan.Validate(p, f.reg))
		if !ok || !reflect.DeepEqual(ve.Codes(), []string{plan.CodeUnknownStep}) {
			t.Errorf("want only unknown_step, got %v", ve)
		}
	})
	t.Run("wrong_tool", func(t *testing.T) {
		resp, err := call("wrong_tool")
		if err != nil {
			t.Fatal(err)
		}
		p, err := schema.Decode([]byte(resp.Choices[0].Message.Content))
		if err != nil {
			t.Fatal(err)
		}
		ve, ok := plan.AsValidationError(plan.Validate(p, f.reg))
		if !ok || !strings.Contains(strings.Join(ve.Codes(), ","), plan.CodeUnknownTool) {
			t.Errorf("want unknown_tool, got %v", ve)
		}
	})
	t.Run("hang", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		_, err := f.client.Chat.Completions.New(ctx, f.params(t, "gpt-4o-mini", weatherRequest, schema), option.WithHeader("X-Sim-Fault", "hang"))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("want the client's deadline, got %v", err)
		}
	})
	t.Run("fault for another model is not applied", func(t *testing.T) {
		_, err := call("500", option.WithHeader("X-Sim-Fault-Model", "gpt-4o"))
		if err != nil {
			t.Errorf("a fault aimed at gpt-4o hit gpt-4o-mini: %v", err)
		}
	})
	st := f.sim.Stats()
	for _, k := range []sim.FaultKind{sim.Fault500, sim.Fault503, sim.FaultMalformed, sim.FaultTruncated, sim.FaultInvalidPlan, sim.FaultWrongTool, sim.FaultHang} {
		if st.Faults[k] != 1 {
			t.Errorf("fault %s counted %d times, want 1", k, st.Faults[k])
		}
	}
	if st.Faults[sim.Fault429] != 2 || st.FaultsByModel["gpt-4o-mini"][sim.Fault429] != 2 {
		t.Errorf("429 counts %v / %v", st.Faults, st.FaultsByModel)
	}
}

func TestSlowFaultMultipliesLatency(t *testing.T) {
	lat := map[string]sim.Latency{"": {Min: 20 * time.Millisecond, Max: 20 * time.Millisecond}}
	f := newFixture(t, sim.Config{Latency: lat, LatencyScale: 1})
	schema := pinned(t, f.reg)
	start := time.Now()
	if _, err := f.client.Chat.Completions.New(context.Background(), f.params(t, "m", "x", schema)); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("answered in %v, below the 20 ms latency", d)
	}
	start = time.Now()
	if _, err := f.client.Chat.Completions.New(context.Background(), f.params(t, "m", "x", schema), option.WithHeader("X-Sim-Fault", "slow")); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("slow answered in %v, below 10 x 20 ms", d)
	}
}

func TestCloseReleasesHangingRequests(t *testing.T) {
	f := newFixture(t, sim.Config{})
	schema := pinned(t, f.reg)
	errc := make(chan error, 1)
	go func() {
		_, err := f.client.Chat.Completions.New(context.Background(), f.params(t, "gpt-4o", "x", schema), option.WithHeader("X-Sim-Fault", "hang"))
		errc <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for f.sim.Stats().Faults[sim.FaultHang] == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the hanging request never arrived")
		}
		time.Sleep(time.Millisecond)
	}
	f.sim.Close()
	select {
	case err := <-errc:
		var e *openai.Error
		if !errors.As(err, &e) || e.StatusCode != http.StatusGatewayTimeout {
			t.Errorf("want 504 after Close, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release the hanging request")
	}
}

// TestPerModelFaultsForCascades: faults configured for the cheap model only.
func TestPerModelFaultsForCascades(t *testing.T) {
	f := newFixture(t, sim.Config{
		Gold:   map[string]*plan.Plan{weatherRequest: goldPlan(t)},
		Faults: []sim.FaultRule{{Kind: sim.Fault503, Prob: 1, Model: "gpt-4o-mini"}},
	})
	schema := pinned(t, f.reg)
	for range 3 {
		_, err := f.client.Chat.Completions.New(context.Background(), f.params(t, "gpt-4o-mini", weatherRequest, schema))
		var e *openai.Error
		if !errors.As(err, &e) || e.StatusCode != 503 {
			t.Fatalf("gpt-4o-mini: want 503, got %v", err)
		}
		if _, err := f.client.Chat.Completions.New(context.Background(), f.params(t, "gpt-4o", weatherRequest, schema)); err != nil {
			t.Fatalf("gpt-4o must not fail: %v", err)
		}
	}
	st := f.sim.Stats()
	if st.Requests["gpt-4o-mini"] != 3 || st.Requests["gpt-4o"] != 3 ||
		st.FaultsByModel["gpt-4o-mini"][sim.Fault503] != 3 || len(st.FaultsByModel["gpt-4o"]) != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestSeededRunsAreReproducible: the same seed gives the same faults and answers.
func TestSeededRunsAreReproducible(t *testing.T) {
	run := func(seed uint64) []string {
		f := newFixture(t, sim.Config{
			Seed:   seed,
			Gold:   map[string]*plan.Plan{weatherRequest: goldPlan(t)},
			Faults: []sim.FaultRule{{Kind: sim.Fault429, Prob: 0.3}, {Kind: sim.FaultInvalidPlan, Prob: 0.3}},
		})
		params := f.params(t, "gpt-4o-mini", weatherRequest, pinned(t, f.reg))
		var out []string
		for range 40 {
			resp, err := f.client.Chat.Completions.New(context.Background(), params)
			if err != nil {
				out = append(out, "error:"+err.Error())
				continue
			}
			out = append(out, resp.Choices[0].Message.Content)
		}
		return out
	}
	a, b, c := run(7), run(7), run(8)
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs with seed 7 differ")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 7 and 8 gave identical runs of 40 requests with two random faults")
	}
	kinds := map[bool]int{}
	for _, x := range a {
		kinds[strings.HasPrefix(x, "error:")]++
	}
	if kinds[true] == 0 || kinds[false] == 0 {
		t.Errorf("with p=0.3 of 429 expected both outcomes in 40 requests, got %v", kinds)
	}
}

func TestEmbeddings(t *testing.T) {
	f := newFixture(t, sim.Config{})
	ctx := context.Background()
	texts := []string{"email Bob the quarterly report", "email Alice the quarterly report", "what is the weather in Paris"}
	resp, err := f.client.Embeddings.New(ctx, openai.EmbeddingNewParams{
		Model: "text-embedding-3-small",
		Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: texts},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 3 {
		t.Fatalf("%d embeddings", len(resp.Data))
	}
	enc, _ := tokenizer.Get(tokenizer.Cl100kBase)
	var want int64
	for i, d := range resp.Data {
		if len(d.Embedding) != 256 || d.Index != int64(i) {
			t.Errorf("embedding %d: %d dims, index %d", i, len(d.Embedding), d.Index)
		}
		if n := norm(d.Embedding); n < 0.999 || n > 1.001 {
			t.Errorf("embedding %d has norm %v", i, n)
		}
		n, _ := enc.Count(texts[i])
		want += int64(n)
	}
	if resp.Usage.PromptTokens != want || resp.Usage.TotalTokens != want {
		t.Errorf("usage %+v, want %d tokens", resp.Usage, want)
	}
	near, far := dot(resp.Data[0].Embedding, resp.Data[1].Embedding), dot(resp.Data[0].Embedding, resp.Data[2].Embedding)
	if near <= far || near < 0.5 {
		t.Errorf("similar texts %.3f, unrelated %.3f", near, far)
	}
	again, err := f.client.Embeddings.New(ctx, openai.EmbeddingNewParams{
		Model: "text-embedding-3-small", Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String(texts[0])}, Dimensions: openai.Int(64),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Data[0].Embedding) != 64 {
		t.Errorf("dimensions 64 gave %d", len(again.Data[0].Embedding))
	}
	want64 := sim.Embed(texts[0], 64)
	for i, x := range again.Data[0].Embedding {
		if float32(x) != want64[i] {
			t.Fatalf("embedding differs from sim.Embed at %d", i)
		}
	}
	_, err = f.client.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: "text-embedding-3-small",
		Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("x")}}, option.WithHeader("X-Sim-Fault", "429"))
	var e *openai.Error
	if !errors.As(err, &e) || e.StatusCode != 429 {
		t.Errorf("embedding fault: want 429, got %v", err)
	}
	if st := f.sim.Stats(); st.Embeddings["text-embedding-3-small"] != 3 {
		t.Errorf("embedding requests %v", st.Embeddings)
	}
}

func TestEmbeddingsBase64(t *testing.T) {
	f := newFixture(t, sim.Config{EmbeddingDims: 32})
	body := `{"model":"text-embedding-3-small","input":"hello world","encoding_format":"base64"}`
	resp, err := http.Post(f.srv.URL+"/v1/embeddings", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data []struct {
			Embedding string `json:"embedding"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	// The SDK decodes base64 embeddings too; check the bytes are the float32 vector.
	vec, err := decodeBase64Floats(out.Data[0].Embedding)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(vec, sim.Embed("hello world", 32)) {
		t.Error("base64 embedding differs from the float one")
	}
}

func TestModelsAndErrors(t *testing.T) {
	f := newFixture(t, sim.Config{Models: []string{"llama3"}})
	page, err := f.client.Models.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range page.Data {
		ids = append(ids, m.ID)
	}
	for _, want := range []string{"gpt-4o", "gpt-4o-mini", "llama3", "text-embedding-3-small"} {
		if !strings.Contains(strings.Join(ids, ","), want) {
			t.Errorf("models %v lack %s", ids, want)
		}
	}
	post := func(path, body string) (int, string) {
		resp, err := http.Post(f.srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		if resp.Header.Get("X-Planwise-Sim") != "true" {
			t.Errorf("%s: response not marked as simulated", path)
		}
		return resp.StatusCode, b.String()
	}
	cases := []struct {
		path, body string
		status     int
		contains   string
	}{
		{"/v1/chat/completions", `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"loose","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}}}}}}`, 400, "additionalProperties"},
		{"/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`, 400, "model"},
		{"/v1/chat/completions", `{"model":"m","messages":[]}`, 400, "messages"},
		{"/v1/chat/completions", `{"model":"m",`, 400, "not valid JSON"},
		{"/v1/chat/completions", `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}}}`, 400, "plan schemas"},
		{"/v1/embeddings", `{"model":"e","input":""}`, 200, "embedding"},
		{"/v1/embeddings", `{"model":"e","input":{"a":1}}`, 400, "input"},
		{"/v1/nothing", `{}`, 404, "no endpoint"},
	}
	for _, c := range cases {
		status, body := post(c.path, c.body)
		if status != c.status || !strings.Contains(body, c.contains) {
			t.Errorf("%s %s: %d %s; want %d containing %q", c.path, c.body, status, body, c.status, c.contains)
		}
	}
	// Content given as parts, and no response format: plain plan JSON.
	status, body := post("/v1/chat/completions", `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"<request>\nhi\n</request>"}]}]}`)
	if status != 200 || !strings.Contains(body, `\"goal\":\"hi\"`) {
		t.Errorf("content parts: %d %s", status, body)
	}
}

func TestAPIKeyRequiredWhenConfigured(t *testing.T) {
	f := newFixture(t, sim.Config{APIKey: "secret"})
	_, err := f.client.Models.List(context.Background())
	var e *openai.Error
	if !errors.As(err, &e) || e.StatusCode != 401 {
		t.Fatalf("wrong key: want 401, got %v", err)
	}
	ok := openai.NewClient(option.WithBaseURL(f.srv.URL+"/v1"), option.WithAPIKey("secret"), option.WithMaxRetries(0))
	if _, err := ok.Models.List(context.Background()); err != nil {
		t.Fatalf("right key refused: %v", err)
	}
}

func TestMaxTokensCutsTheAnswer(t *testing.T) {
	f := newFixture(t, sim.Config{Gold: map[string]*plan.Plan{weatherRequest: goldPlan(t)}})
	params := f.params(t, "gpt-4o-mini", weatherRequest, pinned(t, f.reg))
	params.MaxCompletionTokens = openai.Int(10)
	resp, err := f.client.Chat.Completions.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].FinishReason != "length" || resp.Usage.CompletionTokens != 10 {
		t.Errorf("finish %q, %d completion tokens; want length and 10", resp.Choices[0].FinishReason, resp.Usage.CompletionTokens)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	bad := []sim.Config{
		{LatencyScale: -1},
		{Faults: []sim.FaultRule{{Kind: "teapot", Prob: 0.5}}},
		{Faults: []sim.FaultRule{{Kind: sim.Fault500, Prob: 2}}},
		{Latency: map[string]sim.Latency{"": {Min: time.Second, Max: time.Millisecond}}},
		{EmbeddingDims: -3},
	}
	for i, c := range bad {
		if _, err := sim.New(c); err == nil {
			t.Errorf("config %d accepted", i)
		}
	}
}

func TestParseFaultRule(t *testing.T) {
	cases := map[string]sim.FaultRule{
		"429=0.2":                  {Kind: sim.Fault429, Prob: 0.2},
		"gpt-4o-mini:500=1":        {Kind: sim.Fault500, Prob: 1, Model: "gpt-4o-mini"},
		" hang = 0 ":               {Kind: sim.FaultHang, Prob: 0},
		"vendor/m:1:truncated=0.5": {Kind: sim.FaultTruncated, Prob: 0.5, Model: "vendor/m:1"},
	}
	for in, want := range cases {
		got, err := sim.ParseFaultRule(in)
		if err != nil || got != want {
			t.Errorf("ParseFaultRule(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"429", "429=2", "teapot=0.1", "500=x"} {
		if _, err := sim.ParseFaultRule(in); err == nil {
			t.Errorf("ParseFaultRule(%q) accepted", in)
		}
	}
}

func compile(t *testing.T, raw json.RawMessage) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("mem://s.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("mem://s.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func instance(t *testing.T, s string) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(s))
	if err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	return v
}

// TestPlanFaultsFitEverySchema: invalid_plan and wrong_tool answers still fit the
// requested schema (pinned or generic, with or without a plan to start from) and fail
// validation with the intended code.
func TestPlanFaultsFitEverySchema(t *testing.T) {
	f := newFixture(t, sim.Config{Gold: map[string]*plan.Plan{weatherRequest: goldPlan(t)}})
	for _, schema := range []*prompt.Schema{pinned(t, f.reg), generic(t, f.reg)} {
		for _, request := range []string{weatherRequest, "something nobody labelled"} {
			for kind, code := range map[string]string{"invalid_plan": plan.CodeUnknownStep, "wrong_tool": plan.CodeUnknownTool} {
				name := string(schema.Mode) + "/" + kind + "/" + request
				resp, err := f.client.Chat.Completions.New(context.Background(), f.params(t, "gpt-4o", request, schema), option.WithHeader("X-Sim-Fault", kind))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				content := resp.Choices[0].Message.Content
				if kind == "invalid_plan" {
					if err := compile(t, schema.JSON).Validate(instance(t, content)); err != nil {
						t.Errorf("%s: answer breaks the schema: %v", name, err)
					}
				}
				p, err := prompt.DecodePlan([]byte(content), schema.Mode)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				ve, ok := plan.AsValidationError(plan.Validate(p, f.reg))
				if !ok || !strings.Contains(strings.Join(ve.Codes(), ","), code) {
					t.Errorf("%s: want %s, got %v", name, code, ve)
				}
			}
		}
	}
}

// TestScriptedRepairRound drives the planner's repair round by hand: the script makes the
// first answer invalid; the repair prompt (the exact errors) gets a valid plan back.
func TestScriptedRepairRound(t *testing.T) {
	f := newFixture(t, sim.Config{
		Gold:   map[string]*plan.Plan{weatherRequest: goldPlan(t)},
		Script: map[string][]sim.FaultKind{"gpt-4o-mini": {sim.FaultInvalidPlan}, "": {sim.Fault429, sim.FaultNone}},
	})
	schema := pinned(t, f.reg)
	b := prompt.NewBuilder(f.reg, prompt.WithSchema(schema))
	ask := func(model string, pr *prompt.Prompt) (string, error) {
		var msgs []openai.ChatCompletionMessageParamUnion
		for _, m := range pr.Messages {
			switch m.Role {
			case prompt.RoleSystem:
				msgs = append(msgs, openai.SystemMessage(m.Content))
			case prompt.RoleUser:
				msgs = append(msgs, openai.UserMessage(m.Content))
			default:
				msgs = append(msgs, openai.AssistantMessage(m.Content))
			}
		}
		resp, err := f.client.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{Model: model, Messages: msgs,
			ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
				JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: schema.Name, Schema: schema.JSON, Strict: openai.Bool(true)}}}})
		if err != nil {
			return "", err
		}
		return resp.Choices[0].Message.Content, nil
	}
	first, err := b.Build(prompt.Input{Request: weatherRequest})
	if err != nil {
		t.Fatal(err)
	}
	content, err := ask("gpt-4o-mini", first)
	if err != nil {
		t.Fatal(err)
	}
	p, err := prompt.DecodePlan([]byte(content), schema.Mode)
	if err != nil {
		t.Fatal(err)
	}
	verr := plan.Validate(p, f.reg)
	if verr == nil {
		t.Fatal("the scripted first answer is valid")
	}
	repair, err := b.Build(prompt.Input{Request: weatherRequest, Repair: &prompt.Repair{Previous: content, Err: verr}})
	if err != nil {
		t.Fatal(err)
	}
	content, err = ask("gpt-4o-mini", repair)
	if err != nil {
		t.Fatal(err)
	}
	p, err = prompt.DecodePlan([]byte(content), schema.Mode)
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Validate(p, f.reg); err != nil {
		t.Errorf("the repair answer is invalid: %v", err)
	}
	// gpt-4o has no script of its own: the any-model script gives 429, then a clean
	// answer, then (script used up) no fault.
	_, err = ask("gpt-4o", first)
	var e *openai.Error
	if !errors.As(err, &e) || e.StatusCode != 429 {
		t.Errorf("first gpt-4o request: want the scripted 429, got %v", err)
	}
	for i := range 2 {
		if _, err := ask("gpt-4o", first); err != nil {
			t.Errorf("gpt-4o request %d: %v", i+2, err)
		}
	}
}

func TestParseScript(t *testing.T) {
	model, faults, err := sim.ParseScript("gpt-4o-mini:invalid_plan, none ,429")
	if err != nil || model != "gpt-4o-mini" || !reflect.DeepEqual(faults, []sim.FaultKind{sim.FaultInvalidPlan, sim.FaultNone, sim.Fault429}) {
		t.Errorf("got %q %v %v", model, faults, err)
	}
	model, faults, err = sim.ParseScript("truncated")
	if err != nil || model != "" || !reflect.DeepEqual(faults, []sim.FaultKind{sim.FaultTruncated}) {
		t.Errorf("got %q %v %v", model, faults, err)
	}
	if _, _, err := sim.ParseScript("m:teapot"); err == nil {
		t.Error("an unknown kind was accepted")
	}
	if _, err := sim.New(sim.Config{Script: map[string][]sim.FaultKind{"m": {"teapot"}}}); err == nil {
		t.Error("New accepted a script with an unknown kind")
	}
}
