package config_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/config"
)

func TestLoadDefaultsFileAndEnv(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "planwise.yaml")
	if err := os.WriteFile(path, []byte("server:\n  addr: 127.0.0.1:9999\nrouting:\n  simple: gpt-4.1-mini\nplanner:\n  deadline: 3s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PLANWISE_ROUTING__COMPLEX", "gpt-4o-2024-08-06")
	t.Setenv("OPENAI_API_KEY", "sk-test-secret")
	t.Setenv("PLANWISE_API_KEY", "not configuration")
	t.Setenv("PLANWISE_TEST_POSTGRES_DSN", "postgres://x")
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Addr != "127.0.0.1:9999" || cfg.Routing.Simple != "gpt-4.1-mini" || cfg.Planner.Deadline != 3*time.Second {
		t.Fatalf("file values not applied: %+v", cfg)
	}
	if cfg.Routing.Complex != "gpt-4o-2024-08-06" || cfg.LLM.APIKey != "sk-test-secret" || !cfg.Online() {
		t.Fatalf("environment not applied: %+v", cfg.LLM)
	}
	if cfg.Cache.Capacity != 100_000 || cfg.Store.Driver != "sqlite" || cfg.History.Retention != 720*time.Hour || cfg.History.MaxPool != 50_000 {
		t.Fatalf("defaults lost: %+v", cfg)
	}
	if r := cfg.Redacted(); r.LLM.APIKey != "***" || strings.Contains(strings.Join([]string{r.LLM.APIKey}, ""), "secret") {
		t.Fatalf("secret not redacted: %+v", r.LLM)
	}
}

func TestLoadErrorsNameKeyAndFix(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "server:\n  adress: x\n", "adress"},
		{"bad duration", "planner:\n  deadline: soon\n", "deadline"},
		{"bad driver", "store:\n  driver: mongo\n", "store.driver"},
		{"bad threshold", "cache:\n  threshold: 2\n", "cache.threshold"},
		{"short api key", "server:\n  api_keys:\n    - {key: short, tenant: a}\n", "server.api_keys[0].key"},
		{"negative retention", "history:\n  retention: -1h\n", "history.retention"},
		{"negative auth hold", "llm:\n  auth_hold: -5s\n", "llm.auth_hold"},
		{"negative pool", "history:\n  max_pool: -5\n", "history.max_pool"},
		{"negative flush interval", "history:\n  flush_interval: -5ms\n", "history.flush_interval"},
		{"long flush interval", "history:\n  flush_interval: 1m\n", "history.flush_interval"},
		{"unit-less flush interval", "history:\n  flush_interval: 20\n", "history.flush_interval"},
		{"negative unflushed", "history:\n  max_unflushed: -1\n", "history.max_unflushed"},
		{"bad refusal policy", "llm:\n  refusal: retry\n", "llm.refusal"},
		{"bad mcp name", "tools:\n  mcp:\n    - {name: \"my fs\", command: [x]}\n", "tools.mcp[0].name"},
		{"mcp retry", "tools:\n  mcp_retry_max: 0s\n", "tools.mcp_retry_max"},
		{"same mcp name", "tools:\n  mcp:\n    - {name: fs, command: [x]}\n    - {name: fs, url: http://127.0.0.1:1/mcp}\n", "tools.mcp[1].name"},
		{"not yaml", "server: [\n", "YAML"},
		// Issue 13: each of these was accepted silently.
		{"unit-less duration", "server:\n  read_timeout: 10\n", "no unit"},
		{"unit-less duration string", "execute:\n  step_timeout: \"30\"\n", "with a unit"},
		{"negative rps", "server:\n  rate_limit_rps: -5\n", "server.rate_limit_rps"},
		{"unknown tier", "server:\n  api_keys:\n    - {key: a-long-random-token-1, tenant: a, tiers: {hard: gpt-4o}}\n", "server.api_keys[0].tiers.hard"},
		{"invalid CIDR", "execute:\n  allow_hosts: [\"10.1.0.0/33\"]\n", "execute.allow_hosts[0]"},
		{"invalid host", "execute:\n  allow_hosts: [\"api.internal:8080\"]\n", "execute.allow_hosts[0]"},
		{"key without tenant", "server:\n  api_keys:\n    - {key: a-long-random-token-1}\n", "server.api_keys[0].tenant"},
		{"write timeout under max deadline", "server:\n  write_timeout: 30s\n", "server.write_timeout"},
		{"max deadline under deadline", "planner:\n  deadline: 20s\n  max_deadline: 5s\n", "planner.max_deadline"},
		{"no workers", "execute:\n  workers: -1\n", "execute.workers"},
		{"pprof beyond loopback", "server:\n  pprof_addr: 0.0.0.0:6060\n", "server.pprof_addr: \"0.0.0.0:6060\" is not a loopback address"},
		{"pprof on every interface", "server:\n  pprof_addr: \":6060\"\n", "server.pprof_allow_remote: true"},
		{"pprof without a port", "server:\n  pprof_addr: 127.0.0.1\n", "server.pprof_addr: \"127.0.0.1\" is not host:port"},
		// A store key the driver never reads: the data would go elsewhere than the user meant.
		{"sqlite path with postgres", "store:\n  driver: postgres\n  dsn: postgres://u@127.0.0.1/pw\n  path: /srv/pw.db\n", "store.path: \"/srv/pw.db\" is the SQLite file, and store.driver is postgres"},
		{"postgres dsn with sqlite", "store:\n  dsn: postgres://u@127.0.0.1/pw\n", "store.dsn: set, but store.driver is sqlite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := config.Load(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err = %v; want it to name %q and the file", err, tc.want)
			}
		})
	}
	if _, err := config.Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "fix: name an existing file with --config") {
		t.Fatalf("missing file: %v", err)
	}
	// Named by the environment, the fix names the variable the user set.
	t.Setenv("PLANWISE_CONFIG", filepath.Join(dir, "missing.yaml"))
	if _, err := config.Load(""); err == nil || !strings.Contains(err.Error(), "fix: name an existing file with $PLANWISE_CONFIG") {
		t.Fatalf("missing file from PLANWISE_CONFIG: %v", err)
	}
}

// server.pprof_addr (PLANWISE_SERVER__PPROF_ADDR) is off by default; a loopback address
// is accepted, any other only with server.pprof_allow_remote, and the refusal names the
// key and both fixes.
func TestPprofAddrLoopbackUnlessAllowed(t *testing.T) {
	if cfg, err := config.Load(""); err != nil || cfg.Server.PprofAddr != "" {
		t.Fatalf("default: %q, %v; want off", cfg.Server.PprofAddr, err)
	}
	for _, addr := range []string{"127.0.0.1:6060", "127.0.0.1:0", "127.1.2.3:6060", "[::1]:6060", "localhost:6060", "LocalHost:6060"} {
		t.Setenv("PLANWISE_SERVER__PPROF_ADDR", addr)
		if cfg, err := config.Load(""); err != nil || cfg.Server.PprofAddr != addr {
			t.Errorf("%s: %v", addr, err)
		}
	}
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "[::]:6060", "10.0.0.5:6060", "[::ffff:10.0.0.5]:6060", "db.internal:6060"} {
		t.Setenv("PLANWISE_SERVER__PPROF_ALLOW_REMOTE", "")
		t.Setenv("PLANWISE_SERVER__PPROF_ADDR", addr)
		_, err := config.Load("")
		if err == nil || !strings.Contains(err.Error(), "config environment: server.pprof_addr: ") ||
			!strings.Contains(err.Error(), "(fix: use 127.0.0.1:6060") || !strings.Contains(err.Error(), "set server.pprof_allow_remote: true") {
			t.Errorf("%s: %v; want it refused, naming the key and the fixes", addr, err)
		}
		t.Setenv("PLANWISE_SERVER__PPROF_ALLOW_REMOTE", "true")
		if cfg, err := config.Load(""); err != nil || cfg.Server.PprofAddr != addr || !cfg.Server.PprofAllowRemote {
			t.Errorf("%s with server.pprof_allow_remote: %v", addr, err)
		}
	}
}

// A value the decoder refuses is worded as Validate words its own problems: one line a
// key, "key: what is wrong (fix: ...)", with one fix, and none of the decoder's preamble
// or Go type names.
func TestDecodeErrorsAreOneLineAKey(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, yaml string
		want       []string // the lines after "config FILE: "
	}{
		{"unknown keys", "servr: 1\nllm:\n  bogus: 2\n", []string{
			"llm.bogus: unknown key (fix: check its spelling and section against the README's configuration section)",
			"servr: unknown key (fix: check its spelling and section against the README's configuration section)"}},
		{"unknown key in a list", "tools:\n  mcp:\n    - {nme: fs}\n", []string{
			"tools.mcp[0].nme: unknown key (fix: check its spelling and section against the README's configuration section)"}},
		{"unit-less durations", "server:\n  read_timeout: 10\n  idle_timeout: 5\n", []string{
			"server.idle_timeout: 5 has no unit and would be read as 5 nanoseconds (fix: write e.g. 5s or 5ms)",
			"server.read_timeout: 10 has no unit and would be read as 10 nanoseconds (fix: write e.g. 10s or 10ms)"}},
		{"not a number", "server:\n  max_body_bytes: abc\ncache:\n  enabled: maybe\n  threshold: high\n", []string{
			`cache.enabled: "maybe" is not true or false (fix: write true or false)`,
			`cache.threshold: "high" is not a number (fix: write one, e.g. 0.5)`,
			`server.max_body_bytes: "abc" is not a whole number (fix: write one, e.g. 100)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := config.Load(path)
			if err == nil {
				t.Fatal("accepted")
			}
			msg, ok := strings.CutPrefix(err.Error(), "config "+path+": ")
			lines := strings.Split(msg, "\n")
			slices.Sort(lines)
			if !ok || !slices.Equal(lines, tc.want) {
				t.Errorf("error:\n%s\nwant the lines (in any order):\n%s", err, strings.Join(tc.want, "\n"))
			}
		})
	}
}

// A list of strings (tools.paths, execute.allow_hosts, tools.mcp[].command) takes a list
// or one string; any other value is refused with its key and the fix, where weakly
// typed decoding made "paths: 5" the path "5" and "paths: true" the path "1" (issue 14).
func TestListKeysRefuseOtherValues(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, yaml, want string }{
		{"number", "tools:\n  paths: 5\n", "tools.paths: 5 is not a list (fix: write a list of strings"},
		{"bool", "tools:\n  paths: true\n", "tools.paths: true is not a list (fix: "},
		{"mapping", "execute:\n  allow_hosts: {a: b}\n", "execute.allow_hosts: is a mapping, not a list (fix: "},
		{"command", "tools:\n  mcp:\n    - {command: 5}\n", "tools.mcp[0].command: 5 is not a list (fix: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path)
			if err == nil || !strings.Contains(err.Error(), "config "+path+": "+tc.want) {
				t.Fatalf("err = %v (config %+v); want %q after the file", err, cfg, tc.want)
			}
		})
	}
	// What a list of strings takes: a list (numbers among its items, as a command's
	// arguments), one string, a comma-separated variable.
	path := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(path, []byte("tools:\n  paths: tools/\n  mcp:\n    - {command: [srv, --port, 8080]}\nexecute:\n  allow_hosts: [a.internal, 10.0.0.5]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PLANWISE_EXECUTE__ALLOW_HOSTS", "b.internal,10.0.0.6")
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Tools.Paths, []string{"tools/"}) || !slices.Equal(cfg.Tools.MCP[0].Command, []string{"srv", "--port", "8080"}) ||
		!slices.Equal(cfg.Execute.AllowHosts, []string{"b.internal", "10.0.0.6"}) {
		t.Errorf("lists: %q, %q, %q", cfg.Tools.Paths, cfg.Tools.MCP[0].Command, cfg.Execute.AllowHosts)
	}
}

// A problem with a value an environment variable set names the variable, and is the
// environment's, not the file's, when a file is given too (issue 14): the key alone does
// not say what the user wrote, and the file named holds no such value.
func TestEnvironmentErrorsNameTheVariable(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("server:\n  addr: 127.0.0.1:9999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml") // a problem of its own beside the variable's
	if err := os.WriteFile(bad, []byte("server:\n  write_timeout: 30s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, variable, value, path string
		want                        []string // the error's lines, in order
	}{
		{"validated, with a file", "PLANWISE_STORE__DRIVER", "mongo", good, []string{
			`config environment: store.driver: unknown driver "mongo" (fix: use sqlite, postgres or memory) (set by $PLANWISE_STORE__DRIVER)`}},
		{"validated, no file", "PLANWISE_HISTORY__MAX_POOL", "-5", "", []string{
			`config environment: history.max_pool: must not be negative (fix: set e.g. 50000, or 0 for the default) (set by $PLANWISE_HISTORY__MAX_POOL)`}},
		{"decoded", "PLANWISE_CACHE__THRESHOLD", "high", good, []string{
			`config environment: cache.threshold: "high" is not a number (fix: write one, e.g. 0.5) (set by $PLANWISE_CACHE__THRESHOLD)`}},
		{"unknown key", "PLANWISE_SERVER__ADRESS", "x", good, []string{
			`config environment: server.adress: unknown key (fix: check its spelling and section against the README's configuration section) (set by $PLANWISE_SERVER__ADRESS)`}},
		{"unknown section", "PLANWISE_SERVR__ADDR", "x", good, []string{
			`config environment: servr: unknown key (fix: check its spelling and section against the README's configuration section) (set by $PLANWISE_SERVR__ADDR)`}},
		{"unit-less duration", "PLANWISE_PLANNER__DEADLINE", "10", good, []string{
			`config environment: planner.deadline: "10" is not a duration (fix: write a number with a unit, e.g. 10s, 500ms, 2m, 24h) (set by $PLANWISE_PLANNER__DEADLINE)`}},
		{"both", "PLANWISE_STORE__DRIVER", "mongo", bad, []string{
			`config ` + bad + `: server.write_timeout: 30s is not longer than planner.max_deadline 1m0s, so a plan that takes the deadline a request may ask for would be dropped (fix: set it above 1m0s, e.g. 1m10s)`,
			`config environment: store.driver: unknown driver "mongo" (fix: use sqlite, postgres or memory) (set by $PLANWISE_STORE__DRIVER)`}},
		{"OpenAI variable", "OPENAI_BASE_URL", "http://127.0.0.1:1/v1", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(tc.variable, tc.value)
			_, err := config.Load(tc.path)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Error() != strings.Join(tc.want, "\n") {
				t.Errorf("err:\n%v\nwant:\n%s", err, strings.Join(tc.want, "\n"))
			}
		})
	}
}
