package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
