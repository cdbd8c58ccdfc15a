package mcpserver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server/mcpserver"
	"github.com/planwise/planwise/tool"
)

const timeRequest = "what time is it in Europe/Paris"

type fixture struct {
	reg  *tool.Registry
	p    *planner.Planner
	runs *planner.Runs
	srv  *mcpserver.Server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	ex := execute.New(reg)
	t.Cleanup(func() { ex.Close() })
	runs := planner.NewRuns(p, ex, nil, nil)
	t.Cleanup(runs.Close)
	srv, err := mcpserver.New(mcpserver.Config{Planner: p, Runs: runs, Tenant: "stdio-tenant"})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{reg: reg, p: p, runs: runs, srv: srv}
}

// connect runs the server over an in-memory transport and returns a client session.
func (f *fixture) connect(t *testing.T) *mcp.ClientSession {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	st, ct := mcp.NewInMemoryTransports()
	done := make(chan error, 1)
	go func() { done <- f.srv.Run(ctx, st) }()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close(); cancel(); <-done })
	return cs
}

func call(t *testing.T, cs *mcp.ClientSession, name string, args any) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: protocol error %v (tool failures must be tool errors)", name, err)
	}
	return res
}

// structured decodes a result's structured content into v after checking it against
// the tool's declared output schema.
func structured(t *testing.T, cs *mcp.ClientSession, name string, res *mcp.CallToolResult, v any) {
	t.Helper()
	if res.IsError {
		t.Fatalf("%s failed: %s", name, text(res))
	}
	var schema *jsonschema.Schema
	for tl, err := range cs.Tools(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if tl.Name == name {
			b, _ := json.Marshal(tl.OutputSchema)
			if err := json.Unmarshal(b, &schema); err != nil {
				t.Fatal(err)
			}
		}
	}
	if schema == nil {
		t.Fatalf("%s declares no output schema", name)
	}
	resolved, err := schema.Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res.StructuredContent)
	var generic any
	json.Unmarshal(b, &generic)
	if err := resolved.Validate(generic); err != nil {
		t.Fatalf("%s: structured content does not match the output schema: %v\n%s", name, err, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func text(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// toolError checks that res is a tool error with the code, and returns its JSON body.
func toolError(t *testing.T, res *mcp.CallToolResult, code string) map[string]any {
	t.Helper()
	if !res.IsError || len(res.Content) != 2 {
		t.Fatalf("want a tool error with a readable line and a JSON body, got %+v: %s", res, text(res))
	}
	if line := res.Content[0].(*mcp.TextContent).Text; !strings.HasPrefix(line, code+": ") {
		t.Fatalf("readable line %q does not start with the code %q", line, code)
	}
	var body struct {
		Error map[string]any `json:"error"`
	}
	if err := json.Unmarshal([]byte(res.Content[1].(*mcp.TextContent).Text), &body); err != nil {
		t.Fatal(err)
	}
	if body.Error["code"] != code || body.Error["message"] == "" {
		t.Fatalf("error body = %v, want code %s", body.Error, code)
	}
	return body.Error
}

func TestListsToolsAndRegistryResource(t *testing.T) {
	f := newFixture(t)
	cs := f.connect(t)
	var names []string
	for tl, err := range cs.Tools(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tl.Name)
		if tl.OutputSchema == nil || tl.Description == "" {
			t.Errorf("%s: no output schema or description", tl.Name)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"plan", "run", "tools"}) {
		t.Fatalf("tools = %v", names)
	}

	var c mcpserver.Catalog
	structured(t, cs, "tools", call(t, cs, "tools", map[string]any{}), &c)
	if c.Version != f.reg.Version() || len(c.Tools) != f.reg.Len() {
		t.Fatalf("catalog: version %s, %d tools; registry %s, %d", c.Version, len(c.Tools), f.reg.Version(), f.reg.Len())
	}

	rr, err := cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: mcpserver.RegistryURI})
	if err != nil {
		t.Fatal(err)
	}
	var fromResource mcpserver.Catalog
	if len(rr.Contents) != 1 || rr.Contents[0].MIMEType != "application/json" {
		t.Fatalf("resource contents %+v", rr.Contents)
	}
	if err := json.Unmarshal([]byte(rr.Contents[0].Text), &fromResource); err != nil {
		t.Fatal(err)
	}
	if fromResource.Version != f.reg.Version() || len(fromResource.Tools) != f.reg.Len() {
		t.Fatalf("resource: %+v", fromResource)
	}
}

func TestPlanReturnsTheAPIResponse(t *testing.T) {
	f := newFixture(t)
	cs := f.connect(t)
	res := call(t, cs, "plan", map[string]any{"request": timeRequest})
	var resp planner.Response
	structured(t, cs, "plan", res, &resp)
	if resp.Plan == nil || len(resp.Plan.Steps) == 0 || resp.Plan.Steps[0].Tool != tool.BuiltinCurrentTime {
		t.Fatalf("plan = %+v", resp.Plan)
	}
	if resp.Source != planner.SourcePattern || !resp.Offline || resp.RegistryVersion != f.reg.Version() {
		t.Fatalf("response = %+v", resp)
	}
	if txt := text(res); !strings.Contains(txt, tool.BuiltinCurrentTime+"(") || !strings.Contains(txt, "source: pattern") {
		t.Fatalf("readable text = %q", txt)
	}
}

func TestErrorsAreToolErrorsWithTypedCodes(t *testing.T) {
	f := newFixture(t)
	cs := f.connect(t)
	e := toolError(t, call(t, cs, "plan", map[string]any{"request": "xyzzy plugh frobnicate"}), planner.CodeCannotPlan)
	if causes, _ := e["causes"].([]any); len(causes) == 0 {
		t.Errorf("cannot_plan without causes: %v", e)
	}
	toolError(t, call(t, cs, "plan", map[string]any{}), planner.CodeInvalidRequest)
	toolError(t, call(t, cs, "plan", map[string]any{"request": "x", "optoins": map[string]any{}}), planner.CodeInvalidRequest)
	toolError(t, call(t, cs, "plan", map[string]any{"request": 42}), planner.CodeInvalidRequest)
	toolError(t, call(t, cs, "plan", map[string]any{"request": strings.Repeat("a", 9000)}), planner.CodeInvalidRequest)
	toolError(t, call(t, cs, "run", map[string]any{}), planner.CodeInvalidRequest)
	toolError(t, call(t, cs, "run", map[string]any{"request": timeRequest, "plan": map[string]any{"steps": []any{}}}), planner.CodeInvalidRequest)
	toolError(t, call(t, cs, "run", map[string]any{"plan": map[string]any{"steps": []any{}, "stpes": 1}}), planner.CodeInvalidRequest)
	e = toolError(t, call(t, cs, "run", map[string]any{"plan": map[string]any{"steps": []any{
		map[string]any{"id": "s1", "tool": "no_such_tool", "args": map[string]any{}}}}}), "invalid_plan")
	if issues, _ := e["issues"].([]any); len(issues) == 0 {
		t.Errorf("invalid_plan without issues: %v", e)
	}
	toolError(t, call(t, cs, "tools", map[string]any{"verbose": true}), planner.CodeInvalidRequest)
}

func TestRunPlansAndExecutes(t *testing.T) {
	f := newFixture(t)
	cs := f.connect(t)
	var st planner.RunState
	structured(t, cs, "run", call(t, cs, "run", map[string]any{"request": timeRequest}), &st)
	if st.Status != "succeeded" || st.Source != planner.SourcePattern || len(st.Steps) != 1 || st.Steps[0].Output == nil || st.Steps[0].Simulated {
		t.Fatalf("run = %+v", st)
	}
	got, err := f.runs.Get(context.Background(), st.ID)
	if err != nil || got.Tenant != "stdio-tenant" {
		t.Fatalf("recorded run: %+v, %v (want the configured tenant)", got, err)
	}

	// A given plan, dry-run: every tool is simulated.
	given := map[string]any{"steps": []any{map[string]any{"id": "s1", "tool": tool.BuiltinCalculate, "args": map[string]any{"expression": "6*7"}}}}
	var dry planner.RunState
	res := call(t, cs, "run", map[string]any{"plan": given, "dry_run": true})
	structured(t, cs, "run", res, &dry)
	if dry.Status != "succeeded" || dry.Source != "user" || !dry.Steps[0].Simulated {
		t.Fatalf("dry run = %+v", dry)
	}
	if !strings.Contains(text(res), "[simulated]") {
		t.Fatalf("readable text does not say the step was simulated: %q", text(res))
	}
	var real planner.RunState
	structured(t, cs, "run", call(t, cs, "run", map[string]any{"plan": given}), &real)
	if out, _ := real.Steps[0].Output.(map[string]any); real.Status != "succeeded" || out["result"] != float64(42) {
		t.Fatalf("run of a given plan = %+v", real)
	}
}

// Over streamable HTTP, the principal the enclosing authentication established scopes
// every call, and a request without one uses the configured tenant.
func TestHTTPCallsCarryThePrincipal(t *testing.T) {
	f := newFixture(t)
	keys := map[string]mcpserver.Principal{"key-acme": {Tenant: "acme", KeyID: "k1"}, "key-globex": {Tenant: "globex", KeyID: "k2"}}
	type ctxKey struct{}
	h := f.srv.Handler(func(r *http.Request) mcpserver.Principal { return r.Context().Value(ctxKey{}).(mcpserver.Principal) })
	authn := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := mcpserver.Principal{Tenant: "anonymous-tenant"}
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			if p, ok = keys[tok]; !ok {
				http.Error(w, "bad key", http.StatusUnauthorized)
				return
			}
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, p)))
	})
	ts := httptest.NewServer(authn)
	t.Cleanup(ts.Close)

	runAs := func(key string) *planner.RunState {
		t.Helper()
		hc := &http.Client{Transport: bearer{key: key}}
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(context.Background(),
			&mcp.StreamableClientTransport{Endpoint: ts.URL, HTTPClient: hc}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		var st planner.RunState
		structured(t, cs, "run", call(t, cs, "run", map[string]any{"request": timeRequest, "dry_run": true}), &st)
		got, err := f.runs.Get(context.Background(), st.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for key, want := range map[string]string{"key-acme": "acme", "key-globex": "globex", "": "stdio-tenant"} {
		if got := runAs(key); got.Tenant != want {
			t.Errorf("key %q: run recorded for tenant %q, want %q", key, got.Tenant, want)
		}
	}
}

type bearer struct{ key string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	if b.key != "" {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+b.key)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// Over HTTP, a body past Config.MaxBodyBytes is refused with 413 before any call.
func TestHTTPBodyLimit(t *testing.T) {
	f := newFixture(t)
	srv, err := mcpserver.New(mcpserver.Config{Planner: f.p, MaxBodyBytes: 1024})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler(func(*http.Request) mcpserver.Principal { return mcpserver.Principal{} }))
	t.Cleanup(ts.Close)
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"plan","arguments":{"request":"` + strings.Repeat("a", 2048) + `"}}}`
	req, _ := http.NewRequest(http.MethodPost, ts.URL, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
}
