package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Under --json every failure of a command prints one JSON document on stdout, as plan
// --json does on a refusal: {"error": {"code", "message"}} when the command printed no
// answer, with nothing on stderr and the exit code it has without --json. Only the
// answer itself may stand in for it (tools validate's report of an invalid file).
func TestJSONFailuresPrintTheErrorObject(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("garbage: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":{"code":"unauthorized","message":"missing or invalid API key"}}`))
	}))
	defer refusing.Close()
	const down = "http://127.0.0.1:1"
	for _, c := range []struct {
		code, has string // the error's code, and words its message has
		args      []string
	}{
		{"invalid_tools", "bad.yaml", []string{"plan", "--json", "--offline", "--tools", bad, "what time is it in Tokyo"}},
		{"invalid_tools", "bad.yaml", []string{"run", "--json", "--offline", "--tools", bad, "what time is it in Tokyo"}},
		{"invalid_tools", "bad.yaml", []string{"tools", "list", "--json", "--tools", bad}},
		{"invalid_tools", "no such file", []string{"plan", "--json", "--offline", "--tools", filepath.Join(dir, "none.yaml"), "x"}},
		{"failed", "--model", []string{"plan", "--json", "--offline", "--model", "gpt-4o", "x"}},
		{"unreachable", "cannot reach the planwise server", []string{"stats", "--json", "--server", down}},
		{"unreachable", "cannot reach the planwise server", []string{"history", "--json", "--server", down}},
		{"unreachable", "cannot reach the planwise server", []string{"experiments", "list", "--json", "--server", down}},
		{"unauthorized", "--api-key", []string{"insights", "--json", "--server", refusing.URL}},
		{"failed", "--window", []string{"stats", "--json", "--window", "soon", "--server", down}},
		{"failed", "--limit", []string{"history", "--json", "--limit", "0"}},
		{"failed", "dataset", []string{"eval", "plans", "--json", "--data", "x"}},
		{"failed", "unknown flag: --bogus", []string{"plan", "--bogus", "--json", "x"}},
		{"failed", "unknown flag: --bogus", []string{"version", "--json", "--bogus"}},
	} {
		code, out, stderr := runCLI(t, c.args...)
		_, _, plain := runCLI(t, without(c.args, "--json")...)
		var e struct {
			Error struct{ Code, Message string }
		}
		dec := json.NewDecoder(strings.NewReader(out))
		if err := dec.Decode(&e); err != nil || dec.More() || e.Error.Code != c.code || !strings.Contains(e.Error.Message, c.has) {
			t.Errorf("planwise %s: stdout %q (%v); want one error object, code %q, message with %q", strings.Join(c.args, " "), out, err, c.code, c.has)
		}
		if code != exitFailed || stderr != "" {
			t.Errorf("planwise %s: exit %d, stderr %q; want %d and nothing on stderr", strings.Join(c.args, " "), code, stderr, exitFailed)
		}
		if want := "error: " + e.Error.Message + "\n"; plain != want {
			t.Errorf("planwise %s without --json: stderr %q; want the same message, %q", strings.Join(c.args, " "), plain, want)
		}
	}

	// The answer printed, the failure said on stderr: one JSON document still.
	code, out, stderr := runCLI(t, "tools", "validate", "--json", bad)
	dec := json.NewDecoder(strings.NewReader(out))
	var reports []struct{ OK bool }
	if err := dec.Decode(&reports); err != nil || dec.More() || len(reports) != 1 || reports[0].OK || code != exitFailed || !strings.Contains(stderr, "1 of 1 tool files invalid") {
		t.Errorf("tools validate --json of an invalid file: exit %d, stdout %q (%v), stderr %q; want the report alone on stdout", code, out, err, stderr)
	}
	// --json written before the command is not the command's flag: a usage error on stderr.
	if code, out, stderr := runCLI(t, "--json", "plan", "x"); code != exitFailed || out != "" || !strings.Contains(stderr, "--json") {
		t.Errorf("planwise --json plan x: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	// A command without --json: its errors stay on stderr.
	if code, out, stderr := runCLI(t, "serve", "--json"); code != exitFailed || out != "" || !strings.HasPrefix(stderr, "error: unknown flag: --json") {
		t.Errorf("planwise serve --json: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// without is args less every arg equal to drop.
func without(args []string, drop string) []string {
	var kept []string
	for _, a := range args {
		if a != drop {
			kept = append(kept, a)
		}
	}
	return kept
}

// said is what a failed command said, wherever it said it: its stderr, or, under --json,
// "error: " and the message of the error object on stdout (the stderr line it stands for).
func said(t *testing.T, out, stderr string) string {
	t.Helper()
	var e struct{ Error *struct{ Message string } }
	if stderr != "" || json.Unmarshal([]byte(out), &e) != nil || e.Error == nil {
		return stderr
	}
	return "error: " + e.Error.Message + "\n"
}
