package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// A provider that refuses the API key (401 in the OpenAI wire format) is a
// configuration problem no retry or fallback fixes, and the offline plan that follows
// looks like an ordinary answer: plan and run both say so on stderr, whether the
// offline planners then answer or refuse.
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
		if calls.Load() == before {
			t.Fatalf("planwise %s: the provider was never called", strings.Join(tt.args, " "))
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
