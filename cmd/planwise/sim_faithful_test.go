package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/shareddata"
	"github.com/planwise/planwise/tool"
)

var listenLine = regexp.MustCompile(`listening on (http://\S+)`)

// startCommand runs a planwise command in process and waits for the line that names its
// address.
func startCommand(t *testing.T, ctx context.Context, line *regexp.Regexp, args ...string) string {
	t.Helper()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, &out, &errOut) }()
	t.Cleanup(func() {
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Errorf("planwise %s did not stop", args[0])
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := line.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("planwise %s exited with %d: %s %s", args[0], code, out.String(), errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("planwise %s printed no address: %q %q", args[0], out.String(), errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSimPlansOverTheServersTools: `planwise sim` started with no --tools, behind
// `planwise serve --tools <daily-life catalog>`, plans over the daily-life tools it reads
// from each request: source llm, daily-life tools, one call.
func TestSimPlansOverTheServersTools(t *testing.T) {
	dir, err := shareddata.Dir("taskbench", "dailylifeapis")
	if err != nil {
		t.Skipf("TaskBench data not found beside the repository: %v", err)
	}
	catalog := filepath.Join(dir, "tool_desc.json")
	daily, err := tool.LoadPaths(catalog)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // before the cleanups that wait for the commands to stop
	base := startCommand(t, ctx, baseURLLine, "sim", "--addr", "127.0.0.1:0", "--latency-scale", "0")
	t.Setenv("OPENAI_BASE_URL", base)
	t.Setenv("PLANWISE_STORE__DRIVER", "memory")
	api := startCommand(t, ctx, listenLine, "serve", "--addr", "127.0.0.1:0", "--tools", catalog)

	names := map[string]bool{}
	for _, d := range daily {
		names[d.Name] = true
	}
	for _, request := range []string{
		"Check the weather in Oslo on 2026-12-10 and then text +1 555 010 2233 the forecast",
		"Book a flight from Paris to Tokyo on 2026-12-20",
	} {
		body, _ := json.Marshal(map[string]any{"request": request})
		res, err := http.Post(api+"/api/v1/plan", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var resp struct {
			Source   string `json:"source"`
			Attempts int    `json:"attempts"`
			Plan     struct {
				Steps []struct{ Tool string } `json:"steps"`
			} `json:"plan"`
		}
		if err := json.Unmarshal(raw, &resp); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("%q: %d %s", request, res.StatusCode, raw)
		}
		if resp.Source != "llm" || resp.Attempts != 1 || len(resp.Plan.Steps) == 0 {
			t.Fatalf("%q: want a one-call llm plan, got %s", request, raw)
		}
		var tools []string
		for _, s := range resp.Plan.Steps {
			tools = append(tools, s.Tool)
		}
		if !names[tools[0]] {
			t.Fatalf("%q: plan %v does not start with a daily-life tool", request, tools)
		}
		t.Logf("%q -> %v", request, tools)
	}
}

// TestSimWithTheOfficialNodeClient: the official openai npm client streams a
// tool-calling completion from `planwise sim` (no --tools) and gets tool_calls, its stream
// helper assembles them too, and a strict schema OpenAI would refuse gets OpenAI's 400.
func TestSimWithTheOfficialNodeClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (.ci/run installs it): the official openai npm client test is skipped")
	}
	root, err := shareddata.Root()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "internal", "e2e", "openai-node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "openai")); err != nil {
		t.Skipf("the openai npm package is not installed in %s (.ci/run runs npm ci there): skipped", dir)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // before the cleanups that wait for the commands to stop
	base := startCommand(t, ctx, baseURLLine, "sim", "--addr", "127.0.0.1:0", "--latency-scale", "0")
	cctx, ccancel := context.WithTimeout(ctx, 60*time.Second)
	defer ccancel()
	cmd := exec.CommandContext(cctx, node, filepath.Join(dir, "stream_tools.mjs"), base)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got struct {
		Chunks int `json:"chunks"`
		Calls  []struct {
			ID, Name, Arguments string
		} `json:"calls"`
		Finish      string         `json:"finish"`
		Usage       map[string]int `json:"usage"`
		HelperCalls []string       `json:"helperCalls"`
		StrictError *struct {
			Status                     int
			Type, Code, Param, Message string
		} `json:"strictError"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node printed %s: %v", out, err)
	}
	if got.Finish != "tool_calls" || len(got.Calls) != 1 || got.Calls[0].Name != "get_weather" || got.Calls[0].ID == "" || got.Chunks < 4 {
		t.Fatalf("streamed: %s", out)
	}
	var args map[string]any
	if err := json.Unmarshal([]byte(got.Calls[0].Arguments), &args); err != nil || args["location"] != "Oslo" {
		t.Fatalf("arguments %q: %v", got.Calls[0].Arguments, err)
	}
	if _, present := args["date"]; !present {
		t.Errorf("a strict function's unknown optional argument must be present as null: %q", got.Calls[0].Arguments)
	}
	if got.Usage["prompt_tokens"] == 0 || got.Usage["completion_tokens"] == 0 {
		t.Errorf("no usage in the final chunk: %s", out)
	}
	if !slices.Equal(got.HelperCalls, []string{"get_weather"}) {
		t.Errorf("the SDK's stream helper assembled %v", got.HelperCalls)
	}
	if e := got.StrictError; e == nil || e.Status != 400 || e.Code != "invalid_json_schema" || e.Param != "response_format" || e.Type != "invalid_request_error" {
		t.Errorf("strict schema: %s", out)
	}
}
