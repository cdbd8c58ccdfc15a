package execute_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/tool"
)

// mcpServerArg makes the test binary act as a stdio MCP server (see TestMain), so the
// end-to-end test talks to a real server process over a real pipe.
const mcpServerArg = "planwise-test-mcp-server"

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == mcpServerArg {
		if err := serveMCP(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type addIn struct {
	A float64 `json:"a" jsonschema:"first addend"`
	B float64 `json:"b" jsonschema:"second addend"`
}

type addOut struct {
	Sum float64 `json:"sum"`
}

type textIn struct {
	Text string `json:"text"`
}

type pidOut struct {
	PID int `json:"pid"`
}

func serveMCP() error {
	return newTestMCPServer().Run(context.Background(), &mcp.StdioTransport{})
}

func newTestMCPServer() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "planwise-test", Version: "1"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "add", Description: "Add two numbers.", Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true}},
		func(_ context.Context, _ *mcp.CallToolRequest, in addIn) (*mcp.CallToolResult, addOut, error) {
			return nil, addOut{Sum: in.A + in.B}, nil
		})
	mcp.AddTool(s, &mcp.Tool{Name: "echo", Description: "Echo text."},
		func(_ context.Context, _ *mcp.CallToolRequest, in textIn) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "echo: " + in.Text}}}, nil, nil
		})
	mcp.AddTool(s, &mcp.Tool{Name: "fail", Description: "Always fails."},
		func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
			return nil, nil, errors.New("deliberate failure")
		})
	mcp.AddTool(s, &mcp.Tool{Name: "pid", Description: "The server's process id."},
		func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, pidOut, error) {
			return nil, pidOut{PID: os.Getpid()}, nil
		})
	// A read-only tool that reports an error (isError): the executor may retry read-only
	// tools, but not a failure the server reported.
	mcp.AddTool(s, &mcp.Tool{Name: "lookup_missing", Description: "Look up a record that does not exist.",
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true}},
		func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
			return nil, nil, errors.New("no such record")
		})
	// grow adds a tool: the SDK announces it with notifications/tools/list_changed.
	mcp.AddTool(s, &mcp.Tool{Name: "grow", Description: "Add the tool named in the argument."},
		func(_ context.Context, _ *mcp.CallToolRequest, in textIn) (*mcp.CallToolResult, any, error) {
			mcp.AddTool(s, &mcp.Tool{Name: in.Text, Description: "A tool added at run time."},
				func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
					return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "grown"}}}, nil, nil
				})
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "added " + in.Text}}}, nil, nil
		})
	return s
}

func testMCPSpec() tool.MCPSpec {
	return tool.MCPSpec{Command: []string{os.Args[0], mcpServerArg}}
}

func TestListMCPTools(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tools, err := execute.ListMCPTools(ctx, testMCPSpec())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*tool.Tool{}
	for _, tl := range tools {
		byName[tl.Name] = tl
	}
	for _, n := range []string{"add", "echo", "fail", "pid"} {
		if byName[n] == nil {
			t.Fatalf("tool %s not listed; got %v", n, tools)
		}
	}
	add := byName["add"]
	if !add.Idempotent || add.Run.Kind != tool.RunMCP || add.Run.MCP.Tool != "add" || add.Description != "Add two numbers." {
		t.Errorf("add: %+v %+v", add, add.Run.MCP)
	}
	if byName["echo"].Idempotent {
		t.Error("echo is not marked read-only or idempotent")
	}
	var in struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(add.InputSchema, &in); err != nil || in.Properties["a"] == nil || in.Properties["b"] == nil {
		t.Errorf("add input schema %s (%v)", add.InputSchema, err)
	}
	if len(add.OutputSchema) == 0 {
		t.Error("add has no output schema")
	}
	if _, err := tool.NewRegistry(tools...); err != nil {
		t.Errorf("imported tools do not form a registry: %v", err)
	}
}

// TestEndToEndMCPAndWebhook runs one plan whose steps call a real MCP server over stdio
// (this test binary, re-executed), a loopback webhook (allow-listed) and a built-in.
func TestEndToEndMCPAndWebhook(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var hookBody map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := json.NewDecoder(r.Body).Decode(&hookBody); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"stored": true, "total": hookBody["total"]})
	}))
	defer hook.Close()

	mcpTools, err := execute.ListMCPTools(ctx, testMCPSpec())
	if err != nil {
		t.Fatal(err)
	}
	store := &tool.Tool{Name: "store_total", Description: "Store a total.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"total":{"type":"number"},"note":{"type":"string"}},"required":["total"]}`),
		Run:         &tool.RunSpec{Kind: tool.RunHTTP, HTTP: &tool.HTTPSpec{URL: hook.URL + "/totals"}}}
	reg := mustRegistry(t, append(append(mcpTools, store), tool.Builtins()...)...)
	ex := execute.New(reg, execute.WithNetPolicy(execute.NetPolicy{AllowHosts: []string{"127.0.0.1"}}))
	p := mustPlan(t, `{"steps":[
		{"id":"s1","tool":"add","args":{"a":2,"b":3}},
		{"id":"s2","tool":"echo","args":{"text":"sum is ${s1.sum}"}},
		{"id":"s3","tool":"store_total","args":{"total":"${s1.sum}","note":"${s2}"}},
		{"id":"s4","tool":"calculate","args":{"expression":"${s3.total} * 2"},"if":"s3.stored"},
		{"id":"s5","tool":"pid","args":{}},
		{"id":"s6","tool":"pid","args":{},"after":["s4"]}]}`)
	var events []string
	res := ex.Run(ctx, p, execute.RunOptions{OnEvent: func(e execute.Event) { events = append(events, e.Type) }})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("status %s: %+v", res.Status, res.Steps)
	}
	if got := fmt.Sprint(step(t, res, "s1").Output); got != "map[sum:5]" {
		t.Errorf("s1 (MCP structured content) = %s", got)
	}
	if got := step(t, res, "s2").Output; got != "echo: sum is 5" {
		t.Errorf("s2 (MCP text content) = %v", got)
	}
	if hookBody["total"] != 5.0 || hookBody["note"] != "echo: sum is 5" {
		t.Errorf("webhook received %v", hookBody)
	}
	if got := fmt.Sprint(step(t, res, "s4").Output); got != "map[result:10]" {
		t.Errorf("s4 = %s", got)
	}
	pid1 := step(t, res, "s5").Output.(map[string]any)["pid"]
	pid2 := step(t, res, "s6").Output.(map[string]any)["pid"]
	if pid1 != pid2 || pid1 == int64(os.Getpid()) {
		t.Errorf("calls did not share one server session: pids %v %v (test %d)", pid1, pid2, os.Getpid())
	}
	if len(events) != 2+2*len(p.Steps) {
		t.Errorf("%d events for %d steps", len(events), len(p.Steps))
	}

	// An MCP tool error is a step error; the rest of the plan completes.
	res = ex.Run(ctx, mustPlan(t, `{"steps":[{"id":"s1","tool":"fail","args":{}},{"id":"s2","tool":"add","args":{"a":1,"b":1}}]}`), execute.RunOptions{})
	if s := step(t, res, "s1"); res.Status != execute.RunPartial || s.Status != execute.StepFailed || !strings.Contains(s.Error, "deliberate failure") {
		t.Errorf("fail: run %s, step %s %q", res.Status, s.Status, s.Error)
	}

	// Close ends the server process and refuses further calls.
	if err := ex.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	pid := int(pid1.(int64))
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("MCP server %d still running after Close", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
	res = ex.Run(ctx, mustPlan(t, `{"steps":[{"id":"s1","tool":"add","args":{"a":1,"b":1}}]}`), execute.RunOptions{})
	if s := step(t, res, "s1"); s.Status != execute.StepFailed || !strings.Contains(s.Error, "closed") {
		t.Errorf("after Close: %s %q", s.Status, s.Error)
	}
}

// TestMCPServerStartupFailure: a server that dies at start-up is reported with the end
// of its standard error.
func TestMCPServerStartupFailure(t *testing.T) {
	reg := mustRegistry(t, &tool.Tool{Name: "broken", Description: "broken", InputSchema: json.RawMessage(`{"type":"object"}`),
		Run: &tool.RunSpec{Kind: tool.RunMCP, MCP: &tool.MCPSpec{Command: []string{"sh", "-c", "echo 'missing API token' >&2; exit 3"}}}})
	ex := execute.New(reg)
	defer ex.Close()
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"broken","args":{}}]}`), execute.RunOptions{})
	if s := step(t, res, "s1"); s.Status != execute.StepFailed || !strings.Contains(s.Error, "missing API token") {
		t.Errorf("%s %q", s.Status, s.Error)
	}
}

func TestMCPServerUnavailable(t *testing.T) {
	reg := mustRegistry(t, &tool.Tool{Name: "ghost", Description: "ghost", InputSchema: json.RawMessage(`{"type":"object"}`),
		Run: &tool.RunSpec{Kind: tool.RunMCP, MCP: &tool.MCPSpec{Command: []string{"/nonexistent/mcp-server"}}}})
	ex := execute.New(reg)
	defer ex.Close()
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"ghost","args":{}}]}`), execute.RunOptions{})
	if s := step(t, res, "s1"); s.Status != execute.StepFailed || !strings.Contains(s.Error, "/nonexistent/mcp-server") {
		t.Errorf("%s %q", s.Status, s.Error)
	}
}

// TestMCPStreamableHTTP imports and calls tools over the streamable HTTP transport.
func TestMCPStreamableHTTP(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	server := newTestMCPServer()
	srv := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil))
	defer srv.Close()
	tools, err := execute.ListMCPTools(ctx, tool.MCPSpec{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ex := execute.New(mustRegistry(t, tools...))
	defer ex.Close()
	res := ex.Run(ctx, mustPlan(t, `{"steps":[{"id":"s1","tool":"add","args":{"a":40,"b":2}},{"id":"s2","tool":"echo","args":{"text":"${s1.sum}"}}]}`), execute.RunOptions{})
	if res.Status != execute.RunSucceeded || step(t, res, "s2").Output != "echo: 42" {
		t.Fatalf("%s %+v", res.Status, res.Steps)
	}
}

// TestMCPReconnectsAfterServerDies: when the server process dies, the broken session is
// dropped and a later call starts a new server.
func TestMCPReconnectsAfterServerDies(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tools, err := execute.ListMCPTools(ctx, testMCPSpec())
	if err != nil {
		t.Fatal(err)
	}
	ex := execute.New(mustRegistry(t, tools...))
	defer ex.Close()
	pidPlan := mustPlan(t, `{"steps":[{"id":"s1","tool":"pid","args":{}}]}`)
	pidOf := func(res *execute.Result) int64 {
		if s := step(t, res, "s1"); s.Status == execute.StepSucceeded {
			return s.Output.(map[string]any)["pid"].(int64)
		}
		return 0
	}
	first := pidOf(ex.Run(ctx, pidPlan, execute.RunOptions{}))
	if first == 0 {
		t.Fatal("first call failed")
	}
	if err := syscall.Kill(int(first), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	var second int64
	var errs []string
	deadline := time.Now().Add(15 * time.Second)
	for second == 0 && time.Now().Before(deadline) {
		res := ex.Run(ctx, pidPlan, execute.RunOptions{})
		if second = pidOf(res); second == 0 {
			errs = append(errs, res.Steps[0].Error)
		}
	}
	t.Logf("calls failed while the server was down: %q", errs)
	if second == 0 || second == first {
		t.Fatalf("no new server: first %d, second %d, errors %q", first, second, errs)
	}
	if len(errs) > 1 {
		t.Errorf("%d calls failed before reconnecting; want at most 1", len(errs))
	}
}
