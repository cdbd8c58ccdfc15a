package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

// runCLI runs the planwise command line in process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestToolsList(t *testing.T) {
	code, out, stderr := runCLI(t, "tools", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"NAME", "SOURCE", "RUN", "http_request", "builtin", "registry version"} {
		if !strings.Contains(out, want) {
			t.Errorf("tools list output lacks %q:\n%s", want, out)
		}
	}

	code, out, stderr = runCLI(t, "--tools", filepath.Join("..", "..", "tool", "testdata", "weather.yaml"), "tools", "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rows []tool.Summary
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("--json output is not a JSON array of tools: %v\n%s", err, out)
	}
	byName := map[string]tool.Summary{}
	for _, r := range rows {
		byName[r.Name] = r
	}
	w, ok := byName["get_weather"]
	if !ok || w.Run != "http" || !strings.HasSuffix(w.Source, "weather.yaml") || len(w.Params) != 3 || !w.Params[0].Required {
		t.Errorf("get_weather row = %+v", w)
	}
	if c := byName["calculate"]; c.Run != "builtin" || c.Builtin != "calculate" || c.Source != "builtin" {
		t.Errorf("calculate row = %+v", c)
	}
}

func TestToolsValidate(t *testing.T) {
	good := filepath.Join("..", "..", "tool", "testdata", "messaging.json")
	code, out, stderr := runCLI(t, "tools", "validate", good)
	if code != 0 || !strings.Contains(out, "OK    "+good+": 2 tools") {
		t.Fatalf("exit %d, out %q, err %q", code, out, stderr)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("- name: a\n  descripton: typo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "tools", "validate", good, bad)
	if code != 1 {
		t.Fatalf("invalid file: exit %d, want 1", code)
	}
	for _, want := range []string{"FAIL  " + bad, `tool "a": descripton: unknown field`, `did you mean "description"?`} {
		if !strings.Contains(out, want) {
			t.Errorf("validate output lacks %q:\n%s", want, out)
		}
	}

	// With no FILE, --tools is what gets validated.
	code, out, _ = runCLI(t, "--tools", good, "tools", "validate")
	if code != 0 || !strings.Contains(out, "OK    "+good) {
		t.Errorf("validate with --tools only: exit %d, out %q", code, out)
	}

	code, out, _ = runCLI(t, "tools", "validate", "--json", bad)
	var reports []tool.FileReport
	if err := json.Unmarshal([]byte(out), &reports); err != nil || code != 1 {
		t.Fatalf("exit %d, --json output %q: %v", code, out, err)
	}
	if len(reports) != 1 || reports[0].OK || len(reports[0].Errors) != 1 || reports[0].Errors[0].Field != "descripton" {
		t.Errorf("reports = %+v", reports)
	}
}

// tools validate fails a file with a tool no request can be planned with: no
// description (issue 14: {"tools":[{"name":"x"}]} printed OK and exited 0).
func TestToolsValidateRefusesAToolWithoutADescription(t *testing.T) {
	bare := filepath.Join(t.TempDir(), "bare.json")
	if err := os.WriteFile(bare, []byte(`{"tools":[{"name":"x"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "tools", "validate", bare)
	if code != 1 || !strings.Contains(out, "FAIL  "+bare+": 1 problem") || !strings.Contains(out, `tool "x": description: is empty`) ||
		!strings.Contains(out, "fix: write one sentence") || !strings.Contains(stderr, "1 of 1 tool files invalid") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1, FAIL and the fix", code, out, stderr)
	}
}

func TestToolsImport(t *testing.T) {
	dir := t.TempDir()
	outPath := filepath.Join(dir, "imported.yaml")
	src := filepath.Join("..", "..", "tool", "testdata", "taskbench_small.json")
	code, out, stderr := runCLI(t, "tools", "import", "--format", "taskbench", src, "-o", outPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "imported 3 tools") {
		t.Errorf("summary = %q", out)
	}
	written, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(written, []byte("# Imported by `planwise tools import --format taskbench`")) || !bytes.Contains(written, []byte("name: Image_Stitcher")) {
		t.Errorf("written file:\n%s", written)
	}
	// The written file is a planwise tool file that loads with --tools.
	code, out, stderr = runCLI(t, "--tools", outPath, "tools", "list", "--json")
	if code != 0 || !strings.Contains(out, `"name": "Image_Stitcher"`) {
		t.Fatalf("loading the imported file: exit %d, %s", code, stderr)
	}

	// A wrong forced format fails, names the detected one, and writes nothing.
	other := filepath.Join(dir, "other.yaml")
	code, _, stderr = runCLI(t, "tools", "import", "--format", "openai", src, "-o", other)
	if code == 0 || !strings.Contains(stderr, "--format taskbench") {
		t.Errorf("wrong format: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("a failed import left %s behind", other)
	}
}
