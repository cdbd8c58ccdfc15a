package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// A provider that refuses the API key (401 in the OpenAI wire format) is a
// configuration problem no retry, cascade or fallback fixes, and the offline plan that
// follows looks like an ordinary answer: plan and run call the provider once and say so
// on stderr, whether the offline planners then answer or refuse.
func TestPlanAndRunSayWhenTheProviderRefusesTheKey(t *testing.T) {
	var calls atomic.Int64
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":{"message":"Incorrect API key provided: sk-te**st. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`))
	}))
	defer provider.Close()
	t.Setenv("OPENAI_BASE_URL", provider.URL+"/v1")
	t.Setenv("OPENAI_API_KEY", "sk-test")
	t.Setenv("PLANWISE_STORE__DRIVER", "memory")

	const warning = "the LLM provider refused the API key (401/403)"
	for _, tt := range []struct {
		args []string
		code int // the exit code, as without the warning
	}{
		{[]string{"plan", "--no-cache", "Calculate 2 + 3"}, 0},
		{[]string{"plan", "--no-cache", "--json", "Calculate 2 + 3"}, 0},
		{[]string{"run", "--no-cache", "Calculate 2 + 3"}, 0},
		{[]string{"run", "--no-cache", "--json", "Calculate 2 + 3"}, 0},
		// Nothing planned offline either: the LLM failed (unavailable, exit 1, not the
		// refusal's 2), and still the warning.
		{[]string{"plan", "--no-cache", "zxqv blorft wuzzle"}, 1},
		{[]string{"run", "--no-cache", "zxqv blorft wuzzle"}, 1},
	} {
		before := calls.Load()
		code, out, stderr := runCLI(t, tt.args...)
		// One call: a refused key is neither retried nor escalated to the stronger tier
		// (the same key would be refused again).
		if n := calls.Load() - before; n != 1 {
			t.Fatalf("planwise %s: %d provider calls, want 1", strings.Join(tt.args, " "), n)
		}
		if code != tt.code || !strings.Contains(stderr, warning) {
			t.Errorf("planwise %s: exit %d (want %d), stderr %q; want the warning %q\n%s", strings.Join(tt.args, " "), code, tt.code, stderr, warning, out)
		}
		if strings.Contains(stderr, "sk-test") || strings.Contains(out, "sk-test") {
			t.Errorf("planwise %s: the key is echoed", strings.Join(tt.args, " "))
		}
	}

	// No provider: planning offline is no refusal, and no warning.
	t.Setenv("OPENAI_BASE_URL", "")
	t.Setenv("OPENAI_API_KEY", "")
	for _, cmd := range []string{"plan", "run"} {
		if code, _, stderr := runCLI(t, cmd, "--no-cache", "Calculate 2 + 3"); code != 0 || strings.Contains(stderr, warning) {
			t.Errorf("planwise %s offline: exit %d, stderr %q", cmd, code, stderr)
		}
	}
}

// plan and run say "no LLM configured" on stderr only when it is true and is why they
// plan offline: not under --offline or planner.offline (offline planning was asked for),
// whether an LLM is configured or not, and never beside --json.
func TestPlanAndRunSayNoLLMOnlyWhenThatIsWhyTheyPlanOffline(t *testing.T) {
	t.Setenv("PLANWISE_STORE__DRIVER", "memory")
	const note = "no LLM configured"
	for _, tt := range []struct {
		name, baseURL, plannerOffline string
		args                          []string
		want                          bool
	}{
		{"no LLM", "", "", nil, true},
		{"no LLM, --json", "", "", []string{"--json"}, false},
		{"no LLM, --offline", "", "", []string{"--offline"}, false},
		{"no LLM, planner.offline", "", "true", nil, false},
		// Never called: --offline and planner.offline keep the LLM out.
		{"an LLM, --offline", "http://127.0.0.1:1/v1", "", []string{"--offline"}, false},
		{"an LLM, planner.offline", "http://127.0.0.1:1/v1", "true", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("OPENAI_BASE_URL", tt.baseURL)
			t.Setenv("OPENAI_API_KEY", "")
			t.Setenv("PLANWISE_PLANNER__OFFLINE", tt.plannerOffline)
			for _, cmd := range []string{"plan", "run"} {
				args := append(append([]string{cmd, "--no-cache"}, tt.args...), "calculate 2 + 3")
				code, out, stderr := runCLI(t, args...)
				if code != 0 || strings.Contains(stderr, note) != tt.want {
					t.Errorf("planwise %s: exit %d, stderr %q; want the note: %v\n%s", strings.Join(args, " "), code, stderr, tt.want, out)
				}
			}
		})
	}
}

// An empty request is refused before anything is said about how it would be planned:
// plan and run print the invalid_request error alone, not the "no LLM configured" note
// first (issue 14).
func TestEmptyRequestIsRefusedFirst(t *testing.T) {
	t.Setenv("OPENAI_BASE_URL", "")
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("PLANWISE_STORE__DRIVER", "memory")
	for _, args := range [][]string{{"plan", ""}, {"plan", "  "}, {"run", ""}} {
		code, out, stderr := runCLI(t, args...)
		if code != 1 || out != "" || !strings.HasPrefix(stderr, "error: invalid_request: the request is empty") ||
			strings.Contains(stderr, "no LLM configured") {
			t.Errorf("planwise %q: exit %d, stdout %q, stderr %q; want exit 1 and the invalid_request error alone", args, code, out, stderr)
		}
	}
	// A request is still told it is planned offline.
	if code, _, stderr := runCLI(t, "plan", "calculate 2 + 3"); code != 0 || !strings.Contains(stderr, "no LLM configured") {
		t.Errorf("plan: exit %d, stderr %q; want the offline note", code, stderr)
	}
}
