package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Tools of an MCP server configured under tools.mcp are listed into the registry, and a
// plan calling one runs through the server.
func TestMCPToolsListedIntoRegistry(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "planwise.yaml")
	body := "tools:\n  no_builtins: true\n  mcp:\n    - command: [" + jsonString(os.Args[0]) + ", " + jsonString(mcpServerArg) + "]\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--config", cfg, "tools", "list", "--json"}, &out, &errOut); code != 0 {
		t.Fatalf("tools list: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), `"multiply"`) {
		t.Fatalf("the MCP server's tool is not in the registry:\n%s", out.String())
	}
	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), []string{"--config", cfg, "run", "--json", "multiply 6 by 7"}, &out, &errOut); code != 0 {
		t.Fatalf("run: exit %d: %s\n%s", code, errOut.String(), out.String())
	}
	var st struct {
		Status string `json:"status"`
		Steps  []struct {
			Tool   string         `json:"tool"`
			Output map[string]any `json:"output"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if st.Status != "succeeded" || len(st.Steps) != 1 || st.Steps[0].Tool != "multiply" || st.Steps[0].Output["product"] != float64(42) {
		t.Fatalf("run = %+v", st)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestMCPConfigErrors(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "planwise.yaml")
	if err := os.WriteFile(cfg, []byte("tools:\n  mcp:\n    - {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--config", cfg, "tools", "list"}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "tools.mcp[0]") {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
}

// planwise mcp speaks MCP on stdio: a client that starts it as a subprocess lists plan,
// run and tools and gets a plan. Its MCP tool sources' tools are in the registry it plans
// over, and its run tool calls them.
func TestMCPCommandOverStdio(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "planwise.yaml")
	body := "store:\n  driver: memory\ntools:\n  no_builtins: true\n  mcp:\n    - {name: calc, command: [" + jsonString(os.Args[0]) + ", " + jsonString(mcpServerArg) + "]}\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.Command(os.Args[0], planwiseArg, "mcp", "--config", cfg)
	cmd.Dir = dir
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	var names []string
	for tl, err := range cs.Tools(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tl.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"plan", "run", "tools"}) {
		t.Fatalf("tools = %v", names)
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "run", Arguments: map[string]any{"request": "multiply 6 by 7"}})
	if err != nil || res.IsError {
		t.Fatalf("run: %v %+v", err, res)
	}
	b, _ := json.Marshal(res.StructuredContent)
	var st struct {
		Status string `json:"status"`
		Steps  []struct {
			Tool   string         `json:"tool"`
			Output map[string]any `json:"output"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if st.Status != "succeeded" || len(st.Steps) != 1 || st.Steps[0].Tool != "calc.multiply" || st.Steps[0].Output["product"] != float64(42) {
		t.Fatalf("run over the namespaced MCP tool = %s", b)
	}
}

// planwise mcp --offline never calls the LLM it is configured with, as serve --offline
// does not: its plan tool answers from the offline planners.
func TestMCPCommandOffline(t *testing.T) {
	var calls atomic.Int32
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		http.Error(w, `{"error":{"message":"no"}}`, http.StatusInternalServerError)
	}))
	defer provider.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.Command(os.Args[0], planwiseArg, "mcp", "--offline")
	cmd.Env = append(os.Environ(), "OPENAI_BASE_URL="+provider.URL+"/v1", "OPENAI_API_KEY=sk-test", "PLANWISE_STORE__DRIVER=memory")
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "plan", Arguments: map[string]any{"request": "calculate 2 + 3"}})
	if err != nil || res.IsError {
		t.Fatalf("plan: %v %+v", err, res)
	}
	b, _ := json.Marshal(res.StructuredContent)
	var resp struct {
		Source  string `json:"source"`
		Offline bool   `json:"offline"`
	}
	if err := json.Unmarshal(b, &resp); err != nil || !resp.Offline || resp.Source == "llm" || calls.Load() != 0 {
		t.Fatalf("plan under mcp --offline: %s (%v), %d provider calls; want an offline answer and none", b, err, calls.Load())
	}
}
