package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/shareddata"
)

// dailyLifeRequest is the request issue 15 names: over the TaskBench daily-life catalog a
// correct plan checks the weather, then texts the forecast.
const dailyLifeRequest = "Check the weather in Oslo on 2026-12-10 and then text +1 555 010 2233 the forecast"

// tsClientReport is what internal/e2e/node/mcp_client.mjs prints.
type tsClientReport struct {
	Server struct {
		Name string `json:"name"`
	} `json:"server"`
	Tools []struct {
		Name         string `json:"name"`
		OutputSchema bool   `json:"output_schema"`
	} `json:"tools"`
	Plan struct {
		IsError    bool     `json:"is_error"`
		Text       []string `json:"text"`
		Structured *struct {
			Plan struct {
				Steps []struct {
					ID   string         `json:"id"`
					Tool string         `json:"tool"`
					Args map[string]any `json:"args"`
				} `json:"steps"`
			} `json:"plan"`
			Source          string `json:"source"`
			RegistryVersion string `json:"registry_version"`
		} `json:"structured"`
	} `json:"plan"`
	Refused  toolErrorReport `json:"refused"`
	Invalid  toolErrorReport `json:"invalid"`
	Registry struct {
		Version string `json:"version"`
		Tools   []struct {
			Name string `json:"name"`
		} `json:"tools"`
	} `json:"registry"`
	Run struct {
		IsError    bool `json:"is_error"`
		Structured *struct {
			ID     string `json:"id"`
			Status string `json:"status"`
			Steps  []struct {
				Tool      string `json:"tool"`
				Status    string `json:"status"`
				Simulated bool   `json:"simulated"`
			} `json:"steps"`
		} `json:"structured"`
	} `json:"run"`
}

type toolErrorReport struct {
	IsError bool     `json:"is_error"`
	Text    []string `json:"text"`
}

// code returns the typed code of a tool error (from its JSON body).
func (r toolErrorReport) code(t *testing.T) string {
	t.Helper()
	if !r.IsError || len(r.Text) != 2 {
		t.Fatalf("want a tool error (readable line + JSON body), got %+v", r)
	}
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.Text[1]), &body); err != nil || body.Error.Message == "" {
		t.Fatalf("error body %q: %v", r.Text[1], err)
	}
	if !strings.HasPrefix(r.Text[0], body.Error.Code+": ") {
		t.Fatalf("readable line %q does not lead with the code %q", r.Text[0], body.Error.Code)
	}
	return body.Error.Code
}

// runTSClient runs the official MCP TypeScript SDK client with args and decodes its report.
func runTSClient(t *testing.T, dir string, args ...string) tsClientReport {
	t.Helper()
	node, _ := shareddata.Node(t)
	script := filepath.Join(moduleRoot(t), shareddata.NodeDir, "mcp_client.mjs")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{script}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(childEnv(), "MCP_REQUEST="+dailyLifeRequest)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("TypeScript MCP client %v: %v\nstderr: %s\nstdout: %s", args, err, stderr.String(), stdout.String())
	}
	var rep tsClientReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("client report: %v\n%s", err, stdout.String())
	}
	return rep
}

// checkTSReport asserts what a client nobody here wrote sees of planwise's MCP server.
func checkTSReport(t *testing.T, rep tsClientReport) {
	t.Helper()
	var names []string
	for _, tl := range rep.Tools {
		names = append(names, tl.Name)
		if !tl.OutputSchema {
			t.Errorf("tool %s has no output schema", tl.Name)
		}
	}
	slices.Sort(names)
	if rep.Server.Name != "planwise" || !slices.Equal(names, []string{"plan", "run", "tools"}) {
		t.Fatalf("server %q lists %v, want plan, run, tools", rep.Server.Name, names)
	}
	// The SDK client has already checked the structured content against the output schema.
	sc := rep.Plan.Structured
	if rep.Plan.IsError || sc == nil || len(rep.Plan.Text) == 0 {
		t.Fatalf("plan: %+v", rep.Plan)
	}
	var tools []string
	for _, s := range sc.Plan.Steps {
		tools = append(tools, s.Tool)
	}
	if !slices.Equal(tools, []string{"get_weather", "send_sms"}) || sc.Plan.Steps[0].Args["location"] != "Oslo" ||
		sc.Plan.Steps[0].Args["date"] != "2026-12-10" || sc.Plan.Steps[1].Args["phone_number"] != "+15550102233" {
		t.Fatalf("plan steps %v (%+v): want get_weather(Oslo, 2026-12-10) then send_sms(+15550102233)", tools, sc.Plan.Steps)
	}
	if sc.RegistryVersion != rep.Registry.Version || len(rep.Registry.Tools) < 40 {
		t.Fatalf("plan over registry %s; the registry resource says %s with %d tools", sc.RegistryVersion, rep.Registry.Version, len(rep.Registry.Tools))
	}
	for i, s := range sc.Plan.Steps {
		if !strings.Contains(rep.Plan.Text[0], s.ID+"  "+s.Tool+"(") {
			t.Errorf("readable text lacks step %d: %q", i, rep.Plan.Text[0])
		}
	}
	if c := rep.Refused.code(t); c != "cannot_plan" {
		t.Errorf("a request no tool fits: code %q, want cannot_plan", c)
	}
	if c := rep.Invalid.code(t); c != "invalid_request" {
		t.Errorf("missing request: code %q, want invalid_request", c)
	}
	run := rep.Run.Structured
	if rep.Run.IsError || run == nil || run.Status != "succeeded" || len(run.Steps) != len(tools) {
		t.Fatalf("dry run: %+v", rep.Run)
	}
	for _, s := range run.Steps {
		if !s.Simulated || s.Status != "succeeded" {
			t.Errorf("dry-run step %+v: want simulated and succeeded", s)
		}
	}
}

// TestMCPWithTheTypeScriptSDK drives planwise's MCP server with the official MCP
// TypeScript SDK client from npm: planwise mcp over stdio, and the streamable HTTP
// endpoint of planwise serve behind bearer authentication with two tenants.
func TestMCPWithTheTypeScriptSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the planwise binary and runs node; skipped with -short")
	}
	shareddata.Node(t)
	catalog := shareddata.Shared(t, "taskbench", "dailylifeapis", "tool_desc.json")
	dir := t.TempDir()
	bin := planwiseBinary(t)
	cfg := filepath.Join(dir, "planwise.yaml")
	keys := map[string]string{"acme": "key-acme-0123456789abcdef", "globex": "key-globex-0123456789abcdef"}
	body := "store:\n  driver: memory\nserver:\n  api_keys:\n"
	for tenant, key := range keys {
		body += fmt.Sprintf("    - {key: %q, tenant: %q}\n", key, tenant)
	}
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("stdio", func(t *testing.T) {
		checkTSReport(t, runTSClient(t, dir, "stdio", bin, "mcp", "--config", cfg, "--tools", catalog))
	})

	t.Run("streamable-http", func(t *testing.T) {
		cmd := exec.Command(bin, "serve", "--config", cfg, "--tools", catalog, "--addr", "127.0.0.1:0")
		cmd.Dir, cmd.Env = dir, childEnv()
		srv := startProc(t, cmd)
		t.Cleanup(srv.kill)
		endpoint := srv.base + "/api/v1/mcp"

		// The endpoint has the API's authentication.
		for _, key := range []string{"", "not-a-key"} {
			req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			if key != "" {
				req.Header.Set("Authorization", "Bearer "+key)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("key %q: status %d, want 401", key, resp.StatusCode)
			}
		}

		rep := runTSClient(t, dir, "http", endpoint, keys["acme"])
		checkTSReport(t, rep)
		// The run belongs to the key's tenant, as one made through the API would.
		runURL := srv.base + "/api/v1/runs/" + rep.Run.Structured.ID
		for tenant, want := range map[string]int{"acme": http.StatusOK, "globex": http.StatusNotFound} {
			req, _ := http.NewRequest(http.MethodGet, runURL, nil)
			req.Header.Set("Authorization", "Bearer "+keys[tenant])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("GET the MCP run as %s: status %d, want %d", tenant, resp.StatusCode, want)
			}
		}
	})
}
