package execute_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/tool"
)

func toolNames(tools []*tool.Tool) []string {
	var out []string
	for _, t := range tools {
		out = append(out, t.Name)
	}
	slices.Sort(out)
	return out
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A tool error the server reports (isError) is the tool's answer: even a read-only tool,
// which the executor may retry, is called once.
func TestMCPToolErrorIsNotRetried(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tools, err := execute.ListMCPTools(ctx, testMCPSpec())
	if err != nil {
		t.Fatal(err)
	}
	ex := execute.New(mustRegistry(t, tools...), execute.WithRetry(3, time.Millisecond, time.Millisecond))
	defer ex.Close()
	res := ex.Run(ctx, mustPlan(t, `{"steps":[{"id":"s1","tool":"lookup_missing","args":{}}]}`), execute.RunOptions{})
	s := step(t, res, "s1")
	if s.Status != execute.StepFailed || !strings.Contains(s.Error, "no such record") || s.Attempts != 1 {
		t.Fatalf("step %s after %d attempts: %q (want one attempt)", s.Status, s.Attempts, s.Error)
	}
}

// Two servers with the same tools: without names one is refused with an error naming
// both; with names both are listed, namespaced, and calls reach the right server.
func TestMCPSourcesNamesNeverCollideSilently(t *testing.T) {
	spec := testMCPSpec()
	// The same program under another command line, so that it is another server.
	other := tool.MCPSpec{Command: []string{"env", os.Args[0], mcpServerArg}}

	runner := execute.NewMCPRunner()
	defer runner.Close()
	src := execute.NewMCPSources(runner, []execute.MCPServer{{ID: "a", Spec: spec}, {ID: "b", Spec: other}}, execute.MCPSourceOptions{})
	defer src.Close()
	ok, err := src.Load(context.Background(), 20*time.Second, false)
	// The later server is the one refused, whichever answered first.
	if ok || !errors.Is(err, execute.ErrNameConflict) || !strings.HasPrefix(err.Error(), "b: ") ||
		!strings.Contains(err.Error(), `"add", "echo"`) || !strings.Contains(err.Error(), "are also tools of a (") || !strings.Contains(err.Error(), "name:") {
		t.Fatalf("Load = %v, %v; want b's list refused, naming the tools, a and the fix", ok, err)
	}

	reserved := execute.NewMCPSources(runner, []execute.MCPServer{{ID: "a", Spec: spec}},
		execute.MCPSourceOptions{Reserved: map[string]string{"echo": "tools.yaml"}})
	defer reserved.Close()
	if ok, err := reserved.Load(context.Background(), 20*time.Second, true); ok || !strings.Contains(fmtRef(err), `"echo" is also a tool of tools.yaml`) {
		t.Fatalf("a name another source has: %v, %v (want refused, even when degrading is allowed)", ok, err)
	}

	named := execute.NewMCPSources(runner, []execute.MCPServer{{ID: "a", Namespace: "one", Spec: spec}, {ID: "b", Namespace: "two", Spec: other}},
		execute.MCPSourceOptions{Reserved: map[string]string{"echo": "tools.yaml"}})
	defer named.Close()
	if ok, err := named.Load(context.Background(), 20*time.Second, false); !ok || err != nil {
		t.Fatal(ok, err)
	}
	tools := named.Tools()
	names := toolNames(tools)
	if !slices.Contains(names, "one.add") || !slices.Contains(names, "two.add") || slices.Contains(names, "add") || len(names)%2 != 0 {
		t.Fatalf("namespaced tools = %v", names)
	}
	ex := execute.New(mustRegistry(t, tools...), execute.WithRunner(tool.RunMCP, runner))
	defer ex.Close()
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"one.pid","args":{}},{"id":"s2","tool":"two.pid","args":{}},{"id":"s3","tool":"one.add","args":{"a":1,"b":2}}]}`), execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("%s %+v", res.Status, res.Steps)
	}
	p1, p2 := step(t, res, "s1").Output.(map[string]any)["pid"], step(t, res, "s2").Output.(map[string]any)["pid"]
	if p1 == p2 {
		t.Errorf("one.pid and two.pid reached the same server (pid %v)", p1)
	}
}

func fmtRef(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// A server that is down does not stop Load (with retry): it is reported, retried with
// backoff, and its tools join when it answers, with OnChange called.
func TestMCPSourcesStartDegradedAndRecover(t *testing.T) {
	flag := filepath.Join(t.TempDir(), "up")
	// Fails at once until the flag file exists, then is the test MCP server.
	flaky := tool.MCPSpec{Command: []string{"sh", "-c", `test -f "$0" || { echo "not yet" >&2; exit 3; }; exec "$1" "$2"`, flag, os.Args[0], mcpServerArg}}
	runner := execute.NewMCPRunner()
	defer runner.Close()
	var changes atomic.Int32
	src := execute.NewMCPSources(runner, []execute.MCPServer{{ID: "good", Namespace: "good", Spec: testMCPSpec()}, {ID: "flaky", Namespace: "flaky", Spec: flaky}},
		execute.MCPSourceOptions{OnChange: func() { changes.Add(1) }, RetryMin: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond})
	defer src.Close()
	ok, err := src.Load(context.Background(), 20*time.Second, true)
	if !ok || err == nil || !strings.Contains(err.Error(), "flaky") || !strings.Contains(err.Error(), "not yet") {
		t.Fatalf("Load = %v, %v: want started, reporting the server that is down with its stderr", ok, err)
	}
	if names := toolNames(src.Tools()); !slices.Contains(names, "good.add") || slices.Contains(names, "flaky.add") {
		t.Fatalf("tools while flaky is down: %v", names)
	}
	down := src.Down()
	if len(down) != 1 || !strings.Contains(down[0], "flaky") {
		t.Fatalf("Down = %q", down)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(src.Collector())
	waitFor(t, "failures counted", 10*time.Second, func() bool {
		return metricValue(t, reg, "planwise_mcp_server_failures_total", "flaky") >= 2
	})
	if up := metricValue(t, reg, "planwise_mcp_server_up", "flaky"); up != 0 {
		t.Fatalf("planwise_mcp_server_up{flaky} = %v while down", up)
	}
	if err := os.WriteFile(flag, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "flaky's tools listed after it came up", 15*time.Second, func() bool {
		return slices.Contains(toolNames(src.Tools()), "flaky.add")
	})
	waitFor(t, "OnChange called", 5*time.Second, func() bool { return changes.Load() >= 1 })
	if d := src.Down(); d != nil {
		t.Fatalf("Down after recovery = %q", d)
	}
	if up := metricValue(t, reg, "planwise_mcp_server_up", "flaky"); up != 1 {
		t.Fatalf("planwise_mcp_server_up{flaky} = %v after recovery", up)
	}
}

// metricValue returns the value of name{server=...} in reg.
func metricValue(t *testing.T, reg *prometheus.Registry, name, server string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.Metric {
			for _, l := range m.Label {
				if l.GetName() == "server" && l.GetValue() == server {
					return m.GetGauge().GetValue() + m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s{server=%q}", name, server)
	return 0
}

// notifications/tools/list_changed makes the server's tools be listed again: a tool
// added at run time joins, and OnChange is called.
func TestMCPSourcesFollowToolListChanges(t *testing.T) {
	runner := execute.NewMCPRunner()
	defer runner.Close()
	var changes atomic.Int32
	src := execute.NewMCPSources(runner, []execute.MCPServer{{ID: "s", Spec: testMCPSpec()}},
		execute.MCPSourceOptions{OnChange: func() { changes.Add(1) }, Reserved: map[string]string{"taken": "tools.yaml"}})
	defer src.Close()
	if ok, err := src.Load(context.Background(), 20*time.Second, true); !ok || err != nil {
		t.Fatal(ok, err)
	}
	before := changes.Load()
	ex := execute.New(mustRegistry(t, src.Tools()...), execute.WithRunner(tool.RunMCP, runner))
	defer ex.Close()
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"grow","args":{"text":"sprout"}}]}`), execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("%s %+v", res.Status, res.Steps)
	}
	waitFor(t, "the added tool listed", 10*time.Second, func() bool { return slices.Contains(toolNames(src.Tools()), "sprout") })
	waitFor(t, "OnChange called", 5*time.Second, func() bool { return changes.Load() > before })
	// The new registry runs the new tool over the same session.
	ex.SetRegistry(mustRegistry(t, src.Tools()...))
	res = ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"sprout","args":{}}]}`), execute.RunOptions{})
	if res.Status != execute.RunSucceeded || step(t, res, "s1").Output != "grown" {
		t.Fatalf("%s %+v", res.Status, res.Steps)
	}

	// A change that would take another source's name is refused: the previous list stays,
	// and the refusal is reported.
	res = ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"grow","args":{"text":"taken"}}]}`), execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("%s %+v", res.Status, res.Steps)
	}
	waitFor(t, "the refused list reported", 10*time.Second, func() bool {
		d := src.Down()
		return len(d) == 1 && strings.Contains(d[0], `"taken" is also a tool of tools.yaml`)
	})
	if names := toolNames(src.Tools()); slices.Contains(names, "taken") || !slices.Contains(names, "sprout") {
		t.Fatalf("tools after a refused change: %v", names)
	}
}
