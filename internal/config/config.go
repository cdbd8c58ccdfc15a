// Package config loads planwise's configuration: one YAML file plus environment
// variables, validated at start-up with messages that name the file, the key and the fix.
//
// Precedence, lowest first: built-in defaults, the YAML file (--config or PLANWISE_CONFIG),
// then environment variables. OPENAI_API_KEY and OPENAI_BASE_URL set llm.api_key and
// llm.base_url; any key can be set as PLANWISE_<SECTION>__<KEY> (double underscore between
// levels), e.g. PLANWISE_ROUTING__SIMPLE=gpt-4.1-mini or PLANWISE_SERVER__ADDR=:9090.
// Variables without "__" are not configuration and are ignored here. A problem with a
// value names where the value came from: "config FILE: key: ..." for the file's,
// "config environment: key: ... (set by $PLANWISE_X)" for a variable's.
//
// Secrets (API keys) are never printed: Config.Redacted returns a copy safe to log.
package config

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/env"
	fs "github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/v2"
)

// Config is the whole configuration.
type Config struct {
	Server  Server  `koanf:"server"`
	LLM     LLM     `koanf:"llm"`
	Planner Planner `koanf:"planner"`
	Tools   Tools   `koanf:"tools"`
	Store   Store   `koanf:"store"`
	Cache   Cache   `koanf:"cache"`
	Routing Routing `koanf:"routing"`
	Metrics Metrics `koanf:"metrics"`
	Execute Execute `koanf:"execute"`
	History History `koanf:"history"`

	// Source is the file the configuration was read from ("" when none).
	Source string `koanf:"-"`
}

// Server configures `planwise serve`.
type Server struct {
	Addr         string        `koanf:"addr"`
	ReadTimeout  time.Duration `koanf:"read_timeout"`
	WriteTimeout time.Duration `koanf:"write_timeout"`
	IdleTimeout  time.Duration `koanf:"idle_timeout"`
	MaxBodyBytes int64         `koanf:"max_body_bytes"`
	// DrainDelay: on shutdown /readyz answers 503 this long before the listener closes.
	DrainDelay time.Duration `koanf:"drain_delay"`
	// APIKeys enables bearer authentication when non-empty.
	APIKeys []APIKey `koanf:"api_keys"`
	// RateLimitRPS and RateLimitBurst limit each API key's plan and run requests
	// (token bucket; 0 = unlimited).
	RateLimitRPS   float64 `koanf:"rate_limit_rps"`
	RateLimitBurst int     `koanf:"rate_limit_burst"`
	// PprofAddr, when set, serves Go's net/http/pprof profiles on this address, a
	// listener of their own (never the API's); off by default. It must be a loopback
	// address unless PprofAllowRemote (CheckPprof).
	PprofAddr        string `koanf:"pprof_addr"`
	PprofAllowRemote bool   `koanf:"pprof_allow_remote"`
}

// APIKey is one accepted bearer token and the tenant it belongs to.
type APIKey struct {
	Key    string `koanf:"key"`
	Tenant string `koanf:"tenant"`
	Name   string `koanf:"name"`
	// Tiers overrides routing's models for this key (simple, moderate, complex).
	Tiers map[string]string `koanf:"tiers"`
	// Admin keys see every tenant's metrics and alerts; other keys see their own
	// tenant's only.
	Admin bool `koanf:"admin"`
}

// LLM configures the provider. With neither APIKey nor BaseURL set, planwise runs offline.
type LLM struct {
	BaseURL        string        `koanf:"base_url"`
	APIKey         string        `koanf:"api_key"`
	Provider       string        `koanf:"provider"`
	MaxAttempts    int           `koanf:"max_attempts"`
	AttemptTimeout time.Duration `koanf:"attempt_timeout"`
	// AuthHold: after the provider refuses the API key (401, or a 403 about the key),
	// requests fall back at once without calling it for this long; then one call asks
	// again. 0 calls it on every request.
	AuthHold   time.Duration `koanf:"auth_hold"`
	PricesFile string        `koanf:"prices_file"`
	// Refusal is what a model's cannot_plan answer leads to: accept (422 cannot_plan
	// after that one call) or escalate (ask the next stronger tier once first).
	Refusal string `koanf:"refusal"`
}

// Planner configures the request path.
type Planner struct {
	Deadline time.Duration `koanf:"deadline"`
	// MaxDeadline caps the deadline a request may ask for (options.deadline_ms).
	MaxDeadline     time.Duration `koanf:"max_deadline"`
	MaxRequestBytes int           `koanf:"max_request_bytes"`
	Offline         bool          `koanf:"offline"`
	// Partial answers a request some of whose clauses the offline planner cannot plan
	// with the plan of the others, flagged partial, instead of refusing it.
	Partial bool `koanf:"partial"`
	// Margin is how clearly the offline planner's tool for a clause must beat the next
	// best: a clause whose second tool scores at least Margin times the first is refused
	// as ambiguous (0 < margin <= 1; lower is stricter; 1 turns the check off).
	Margin float64 `koanf:"margin"`
}

// Tools lists tool files or directories loaded on top of the built-in catalog, and MCP
// servers whose tools are listed into the registry at start-up.
type Tools struct {
	Paths      []string    `koanf:"paths"`
	NoBuiltins bool        `koanf:"no_builtins"`
	MCP        []MCPServer `koanf:"mcp"`
	// MCPRetryMax caps the backoff between reconnection attempts to an MCP server that is
	// down (serve, mcp); attempts start 1 s apart and double up to it.
	MCPRetryMax time.Duration `koanf:"mcp_retry_max"`
}

// mcpNameRE is what may prefix an MCP server's tool names.
var mcpNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)

// MCPServer is an MCP server: a command (stdio transport) or a URL (streamable HTTP).
// Name, when set, namespaces the server's tools as NAME.TOOL.
type MCPServer struct {
	Name    string   `koanf:"name"`
	Command []string `koanf:"command"`
	URL     string   `koanf:"url"`
}

// Store selects the storage backend.
type Store struct {
	Driver string `koanf:"driver"` // sqlite | postgres | memory
	// Path is the SQLite file (driver sqlite; refused with postgres, ignored by memory);
	// empty chooses the default (package internal/datadir): planwise.db in the working
	// directory if one exists there, else in the user's data directory
	// ($XDG_DATA_HOME/planwise, ~/.local/share/planwise).
	Path string `koanf:"path"`
	// DSN is the PostgreSQL database (driver postgres, where it is required; refused with
	// sqlite, ignored by memory).
	DSN string `koanf:"dsn"`
	// RunLease (postgres): a replica marks its runs in flight alive every third of it;
	// runs nobody marked alive for that long (their replica was killed) become
	// interrupted. SQLite and memory stores interrupt every run in flight at start-up.
	RunLease time.Duration `koanf:"run_lease"`
}

// History configures the feature store of the learning loop.
type History struct {
	// MaxPool bounds the successful records kept in memory for few-shot examples and
	// the history planner (0 = the default, 50,000).
	MaxPool int `koanf:"max_pool"`
	// Retention is how long request records are kept; older ones are deleted hourly
	// (0 = keep every record).
	Retention time.Duration `koanf:"retention"`
	// FlushInterval is the longest serve's history queue waits for more records before
	// it writes a batch (0 = write what is queued at once): while the writer keeps up,
	// a record answered is in the store within it plus one batch's write, so it bounds
	// by time what a crash (SIGKILL, power loss) loses of the history.
	FlushInterval time.Duration `koanf:"flush_interval"`
	// MaxUnflushed bounds by count the records answered and not yet in the store, what a
	// crash loses at worst (0 = the default, 4,096): past it, records are dropped and
	// logged rather than held.
	MaxUnflushed int `koanf:"max_unflushed"`
}

// Cache configures the semantic plan cache.
type Cache struct {
	Enabled   bool          `koanf:"enabled"`
	TTL       time.Duration `koanf:"ttl"`
	Capacity  int           `koanf:"capacity"`
	Embedder  string        `koanf:"embedder"`  // local | openai
	Threshold float64       `koanf:"threshold"` // 0 = calibrated default for the embedder
}

// Routing maps complexity tiers to models. Requests are routed by the complexity
// analyzer; an invalid plan escalates one tier (the cascade).
type Routing struct {
	Simple   string `koanf:"simple"`
	Moderate string `koanf:"moderate"`
	Complex  string `koanf:"complex"`
}

// Metrics configures recording, alerts and tracing.
type Metrics struct {
	Window time.Duration `koanf:"window"`
	// AlertsFile holds alert rules (YAML); empty means the default rules.
	AlertsFile   string        `koanf:"alerts_file"`
	AlertWebhook string        `koanf:"alert_webhook"`
	AlertEvery   time.Duration `koanf:"alert_every"`
	// DailyBudgetUSD and PerKeyDailyBudgetUSD cap LLM spending per UTC day (requests that
	// would call the LLM get 429 once spent) and add cost alerts to the default rules.
	DailyBudgetUSD       float64 `koanf:"daily_budget_usd"`
	PerKeyDailyBudgetUSD float64 `koanf:"per_key_daily_budget_usd"`
	// OTLPEndpoint enables OpenTelemetry tracing (OTLP/HTTP); OTEL_EXPORTER_OTLP_ENDPOINT
	// works too. Off by default.
	OTLPEndpoint string `koanf:"otlp_endpoint"`
}

// Execute configures the executor.
type Execute struct {
	// Concurrency bounds the tool calls in flight in one run.
	Concurrency int           `koanf:"concurrency"`
	StepTimeout time.Duration `koanf:"step_timeout"`
	// Workers bounds the runs executing at once; Queue the runs accepted and waiting
	// for a worker. Past both, POST /api/v1/runs answers 503 with Retry-After.
	Workers int `koanf:"workers"`
	Queue   int `koanf:"queue"`
	// RunTimeout bounds a whole run; the Max* keys bound what one run may make and hold
	// (execute.Limits; a negative value turns a bound off).
	RunTimeout     time.Duration `koanf:"run_timeout"`
	MaxLoopItems   int           `koanf:"max_loop_items"`
	MaxCalls       int           `koanf:"max_calls"`
	MaxArgBytes    int           `koanf:"max_arg_bytes"`
	MaxOutputBytes int           `koanf:"max_output_bytes"`
	MaxRunBytes    int           `koanf:"max_run_bytes"`
	// AllowHosts are destinations the HTTP tools may reach even on private or loopback
	// addresses (names, *.wildcards, IPs, CIDRs).
	AllowHosts []string `koanf:"allow_hosts"`
	// OnlyAllowHosts refuses every host not in AllowHosts.
	OnlyAllowHosts bool `koanf:"only_allow_hosts"`
}

// Default returns the configuration used when nothing is set: offline planners, SQLite.
func Default() Config {
	return Config{
		Server: Server{Addr: "127.0.0.1:8080", ReadTimeout: 10 * time.Second, WriteTimeout: 70 * time.Second,
			IdleTimeout: 120 * time.Second, MaxBodyBytes: 1 << 20, DrainDelay: 2 * time.Second},
		LLM:     LLM{Provider: "openai", MaxAttempts: 3, AttemptTimeout: 20 * time.Second, AuthHold: 30 * time.Second, Refusal: "accept"},
		Planner: Planner{Deadline: 10 * time.Second, MaxDeadline: 60 * time.Second, MaxRequestBytes: 8 << 10, Margin: 0.85},
		Tools:   Tools{MCPRetryMax: time.Minute},
		Store:   Store{Driver: "sqlite", RunLease: 30 * time.Second},
		Cache:   Cache{Enabled: true, TTL: 7 * 24 * time.Hour, Capacity: 100_000, Embedder: "local"},
		Routing: Routing{Simple: "gpt-4o-mini", Moderate: "gpt-4o-mini", Complex: "gpt-4o"},
		Metrics: Metrics{Window: 5 * time.Minute, AlertEvery: 15 * time.Second},
		Execute: Execute{Concurrency: 8, StepTimeout: 30 * time.Second, Workers: 32, Queue: 1000,
			RunTimeout: 5 * time.Minute, MaxLoopItems: 1000, MaxCalls: 1000,
			MaxArgBytes: 1 << 20, MaxOutputBytes: 4 << 20, MaxRunBytes: 16 << 20},
		History: History{MaxPool: 50_000, Retention: 30 * 24 * time.Hour, FlushInterval: 20 * time.Millisecond, MaxUnflushed: 4096},
	}
}

// Load reads defaults, then path (if not empty; PLANWISE_CONFIG when path is empty), then
// the environment, and validates the result.
func Load(path string) (*Config, error) {
	from := "--config" // where the path came from, for the fix
	if path == "" {
		path, from = os.Getenv("PLANWISE_CONFIG"), "$PLANWISE_CONFIG"
	}
	k, file := koanf.New("."), koanf.New(".")
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("config %s: %w (fix: name an existing file with %s)", path, err, from)
		}
		if err := file.Load(fs.Provider(path), yaml.Parser()); err != nil {
			return nil, fmt.Errorf("config %s: %w (fix: the file must be YAML)", path, err)
		}
		if err := k.Merge(file); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
	}
	vars := map[string]string{} // the keys the environment set, and the variable that set each
	if err := k.Load(env.Provider("PLANWISE_", ".", func(name string) string {
		s := strings.TrimPrefix(name, "PLANWISE_")
		// Configuration keys are always SECTION__KEY; other PLANWISE_* variables
		// (PLANWISE_CONFIG, PLANWISE_API_KEY for the CLI's clients, PLANWISE_TEST_* for
		// tests) are not configuration.
		if !strings.Contains(s, "__") {
			return ""
		}
		key := strings.ToLower(strings.ReplaceAll(s, "__", "."))
		vars[key] = name
		return key
	}), nil); err != nil {
		return nil, fmt.Errorf("config from environment: %w", err)
	}
	for key, name := range map[string]string{"llm.api_key": "OPENAI_API_KEY", "llm.base_url": "OPENAI_BASE_URL"} {
		if v := os.Getenv(name); v != "" && !k.Exists(key) {
			k.Set(key, v)
			vars[key] = name
		}
	}
	cfg := Default()
	err := k.UnmarshalWithConf("", &cfg, koanf.UnmarshalConf{Tag: "koanf", DecoderConfig: &mapstructure.DecoderConfig{
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			durationHook,
			listHook,
			mapstructure.StringToSliceHookFunc(","),
		),
		Metadata:         &mapstructure.Metadata{},
		Result:           &cfg,
		WeaklyTypedInput: true,
		ErrorUnused:      true,
	}})
	src := sources{path: path, file: file, vars: vars}
	if err != nil {
		return nil, src.attribute(decodeError(err))
	}
	cfg.Source = path
	if err := cfg.Validate(); err != nil {
		return nil, src.attribute(err)
	}
	return &cfg, nil
}

// sources are where the configuration's values came from: the file at path (its keys
// in file) and the environment (vars: each key it set and the variable that set it).
type sources struct {
	path string
	file *koanf.Koanf
	vars map[string]string
}

// attribute prefixes each line of err ("key: what is wrong (fix: ...)") with where its
// value came from: "config FILE: " for the file's, "config environment: " for the
// environment's, which also name the variable at the end ("... (set by $PLANWISE_X)"),
// since the key is not what the user wrote. Lines of one source stay together, the file's
// first.
func (s sources) attribute(err error) error {
	var fromFile, fromEnv []string
	for _, line := range strings.Split(err.Error(), "\n") {
		key, rest, ok := strings.Cut(line, ": ")
		if name := s.variable(key); ok && name != "" {
			fromEnv = append(fromEnv, key+": "+rest+" (set by $"+name+")")
		} else {
			fromFile = append(fromFile, line)
		}
	}
	var groups []string
	if len(fromFile) > 0 && s.path != "" {
		groups = append(groups, "config "+s.path+": "+strings.Join(fromFile, "\n"))
	} else if len(fromFile) > 0 {
		fromEnv = append(fromFile, fromEnv...) // defaults, or a problem no key names
	}
	if len(fromEnv) > 0 {
		groups = append(groups, "config environment: "+strings.Join(fromEnv, "\n"))
	}
	return errors.New(strings.Join(groups, "\n"))
}

// variable is the environment variable that set key, or that alone named the unknown
// section key is ("" when the value is the file's or a default). A key inside a list
// (tools.mcp[0].name) is the list's.
func (s sources) variable(key string) string {
	if i := strings.IndexByte(key, '['); i >= 0 {
		key = key[:i]
	}
	for k := key; k != ""; {
		if name, ok := s.vars[k]; ok {
			return name
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	if key == "" || s.file.Exists(key) {
		return ""
	}
	var names []string
	for k, name := range s.vars {
		if strings.HasPrefix(k, key+".") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ", $")
}

// listHook refuses a value that is neither a list nor a string for a list of strings
// (tools.paths, execute.allow_hosts, tools.mcp[].command): weakly typed decoding would
// read "paths: 5" as the path "5" and "paths: true" as "1". A string stays one item
// (split at commas, for the environment); the items of a list may be numbers
// (command: [server, --port, 8080]).
func listHook(from, to reflect.Type, data any) (any, error) {
	if to != reflect.TypeFor[[]string]() || data == nil {
		return data, nil
	}
	switch from.Kind() {
	case reflect.String, reflect.Slice, reflect.Array:
		return data, nil
	case reflect.Map:
		return nil, errors.New("is a mapping, not a list (fix: write a list of strings, e.g. [\"a\", \"b\"], or one string)")
	}
	return nil, fmt.Errorf("%v is not a list (fix: write a list of strings, e.g. [\"a\", \"b\"], or one string; quote a value that only looks like a number, e.g. [\"%v\"])", data, data)
}

// decodeError words the decoder's error as Validate words its own: one problem a line,
// "key: what is wrong (fix: ...)", without mapstructure's preamble and Go type names
// ("decoding failed due to the following error(s)", "'config.Config' has invalid keys").
func decodeError(err error) error {
	var lines []string
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
			return
		case *mapstructure.DecodeError:
			lines = append(lines, decodeLines(e)...)
			return
		}
		if inner := errors.Unwrap(err); inner != nil {
			walk(inner)
			return
		}
		lines = append(lines, err.Error()+" (fix: check the key names and types against the README's configuration section)")
	}
	walk(err)
	if len(lines) == 0 {
		return err
	}
	return errors.New(strings.Join(lines, "\n"))
}

// decodeLines are the lines of one decoding error: a key per unknown key, else the
// key and what is wrong with its value, with a fix.
func decodeLines(e *mapstructure.DecodeError) []string {
	inner := e.Unwrap()
	if _, ok := inner.(interface{ Unwrap() []error }); ok {
		return []string{decodeError(inner).Error()}
	}
	if next, ok := inner.(*mapstructure.DecodeError); ok {
		return decodeLines(next)
	}
	msg := inner.Error()
	var pe *mapstructure.ParseError
	if errors.As(inner, &pe) {
		switch k := pe.Expected.Kind(); {
		case k >= reflect.Int && k <= reflect.Uint64:
			msg = fmt.Sprintf("%q is not a whole number (fix: write one, e.g. 100)", fmt.Sprint(pe.Value))
		case k == reflect.Float32 || k == reflect.Float64:
			msg = fmt.Sprintf("%q is not a number (fix: write one, e.g. 0.5)", fmt.Sprint(pe.Value))
		case k == reflect.Bool:
			msg = fmt.Sprintf("%q is not true or false (fix: write true or false)", fmt.Sprint(pe.Value))
		}
	}
	if keys, ok := strings.CutPrefix(msg, "has invalid keys: "); ok {
		var out []string
		for _, k := range strings.Split(keys, ", ") {
			if section := e.Name(); section != "" && section != reflect.TypeFor[Config]().String() {
				k = section + "." + k
			}
			out = append(out, k+": unknown key (fix: check its spelling and section against the README's configuration section)")
		}
		return out
	}
	if !strings.Contains(msg, "(fix: ") {
		msg += " (fix: give it a value of the type the README's configuration section shows)"
	}
	return []string{e.Name() + ": " + msg}
}

// durationHook decodes durations from strings with a unit ("10s", "500ms") and refuses
// bare numbers: mapstructure would read "read_timeout: 10" as 10 nanoseconds, and a
// server with a 10 ns read timeout answers nothing, not even /healthz.
func durationHook(from, to reflect.Type, data any) (any, error) {
	if to != reflect.TypeFor[time.Duration]() {
		return data, nil
	}
	switch v := data.(type) {
	case string:
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("%q is not a duration (fix: write a number with a unit, e.g. 10s, 500ms, 2m, 24h)", v)
		}
		return d, nil
	case time.Duration:
		return v, nil
	case int, int64, uint64, float64, int32, uint, uint32:
		if reflect.ValueOf(v).IsZero() {
			return time.Duration(0), nil
		}
		return nil, fmt.Errorf("%v has no unit and would be read as %v nanoseconds (fix: write e.g. %vs or %vms)", v, v, v, v)
	}
	return data, nil
}

// Validate checks values that would otherwise fail later, naming the key and the fix.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, msg, fix string) { errs = append(errs, fmt.Errorf("%s: %s (fix: %s)", key, msg, fix)) }
	if c.Planner.Deadline <= 0 {
		bad("planner.deadline", "must be positive", "set e.g. 10s")
	}
	if c.Planner.MaxDeadline < c.Planner.Deadline {
		bad("planner.max_deadline", fmt.Sprintf("%s is shorter than planner.deadline %s", c.Planner.MaxDeadline, c.Planner.Deadline), "raise it, e.g. 60s")
	}
	// A reply slower than the server's write timeout is dropped: every deadline a
	// request may ask for must fit in it (the handlers also extend the write deadline of
	// a request that asks for more, so this bounds the default only).
	if c.Server.WriteTimeout > 0 && c.Server.WriteTimeout <= c.Planner.MaxDeadline {
		bad("server.write_timeout", fmt.Sprintf("%s is not longer than planner.max_deadline %s, so a plan that takes the deadline a request may ask for would be dropped",
			c.Server.WriteTimeout, c.Planner.MaxDeadline), fmt.Sprintf("set it above %s, e.g. %s", c.Planner.MaxDeadline, c.Planner.MaxDeadline+10*time.Second))
	}
	for key, d := range map[string]time.Duration{"server.read_timeout": c.Server.ReadTimeout, "server.idle_timeout": c.Server.IdleTimeout,
		"server.write_timeout": c.Server.WriteTimeout, "execute.step_timeout": c.Execute.StepTimeout, "execute.run_timeout": c.Execute.RunTimeout} {
		if d < 0 || (d > 0 && d < 100*time.Millisecond) {
			bad(key, fmt.Sprintf("%s is too short to serve anything", d), "use e.g. 10s (a number needs a unit)")
		}
	}
	if c.Server.RateLimitRPS < 0 || math.IsNaN(c.Server.RateLimitRPS) {
		bad("server.rate_limit_rps", fmt.Sprintf("%v is negative", c.Server.RateLimitRPS), "set a positive rate per API key, or 0 for unlimited")
	}
	if c.Server.RateLimitBurst < 0 {
		bad("server.rate_limit_burst", fmt.Sprintf("%d is negative", c.Server.RateLimitBurst), "set e.g. 20")
	}
	if c.Server.MaxBodyBytes < 0 {
		bad("server.max_body_bytes", "must not be negative", "set e.g. 1048576")
	}
	if err := c.Server.CheckPprof(); err != nil {
		errs = append(errs, err)
	}
	for i, h := range c.Execute.AllowHosts {
		if msg := checkAllowHost(h); msg != "" {
			bad(fmt.Sprintf("execute.allow_hosts[%d]", i), fmt.Sprintf("%q %s", h, msg),
				"use a host name (api.internal), a wildcard (*.corp.example), an IP (10.0.0.5) or a CIDR (10.1.0.0/16)")
		}
	}
	if c.Planner.MaxRequestBytes <= 0 {
		bad("planner.max_request_bytes", "must be positive", "set e.g. 8192")
	}
	if c.Planner.Margin <= 0 || c.Planner.Margin > 1 {
		bad("planner.margin", fmt.Sprintf("%v is outside (0, 1]", c.Planner.Margin), "set e.g. 0.85 (lower refuses more; 1 turns the check off)")
	}
	// A key of the other driver is refused, not ignored: the data would go somewhere else
	// than its user meant (docs/decisions.md). The memory driver, which writes nothing,
	// ignores both, so that PLANWISE_STORE__DRIVER=memory overrides any configuration.
	switch c.Store.Driver {
	case "sqlite": // an empty path is the default location
		if c.Store.DSN != "" { // never echoed: a DSN may hold a password
			bad("store.dsn", "set, but store.driver is sqlite, which never reads it", "set store.driver: postgres to use that database, or remove store.dsn")
		}
	case "postgres":
		if c.Store.DSN == "" {
			bad("store.dsn", "empty with driver postgres", "set a DSN such as postgres://user@127.0.0.1:5432/planwise")
		}
		if c.Store.Path != "" {
			bad("store.path", fmt.Sprintf("%q is the SQLite file, and store.driver is postgres, which keeps everything in the database store.dsn names", c.Store.Path),
				"remove store.path, or set store.driver: sqlite to use that file")
		}
	case "memory":
	default:
		bad("store.driver", fmt.Sprintf("unknown driver %q", c.Store.Driver), "use sqlite, postgres or memory")
	}
	switch c.Cache.Embedder {
	case "local", "openai":
	default:
		bad("cache.embedder", fmt.Sprintf("unknown embedder %q", c.Cache.Embedder), "use local or openai")
	}
	if c.Cache.Threshold < 0 || c.Cache.Threshold > 1 {
		bad("cache.threshold", "must be within [0, 1]", "leave 0 for the calibrated default")
	}
	if c.Tools.MCPRetryMax <= 0 {
		bad("tools.mcp_retry_max", "must be positive", "set a duration such as 1m")
	}
	mcpNames := map[string]bool{}
	for i, m := range c.Tools.MCP {
		if (len(m.Command) == 0) == (m.URL == "") {
			bad(fmt.Sprintf("tools.mcp[%d]", i), "needs exactly one of command or url", "set command: [\"server\", \"--flag\"] for stdio or url: http://host/mcp")
		}
		if m.Name != "" && !mcpNameRE.MatchString(m.Name) {
			bad(fmt.Sprintf("tools.mcp[%d].name", i), fmt.Sprintf("%q cannot prefix tool names", m.Name), "use 1-64 letters, digits, '_' or '-', starting with a letter")
		} else if m.Name != "" && mcpNames[m.Name] {
			bad(fmt.Sprintf("tools.mcp[%d].name", i), fmt.Sprintf("%q names another server too", m.Name), "give each server its own name")
		}
		mcpNames[m.Name] = true
	}
	if c.History.MaxPool < 0 {
		bad("history.max_pool", "must not be negative", "set e.g. 50000, or 0 for the default")
	}
	if c.History.Retention < 0 {
		bad("history.retention", "must not be negative", "set e.g. 720h, or 0 to keep every record")
	}
	if c.History.FlushInterval < 0 || c.History.FlushInterval > 10*time.Second {
		bad("history.flush_interval", fmt.Sprintf("%s is not between 0 and 10s", c.History.FlushInterval),
			"set e.g. 20ms: a crash loses the records answered in about that long; 0 writes each batch at once")
	}
	if c.History.MaxUnflushed < 0 {
		bad("history.max_unflushed", "must not be negative", "set e.g. 4096, or 0 for the default")
	}
	if c.Execute.Workers < 1 {
		bad("execute.workers", "must be at least 1", "set e.g. 32")
	}
	if c.Execute.Queue < 0 {
		bad("execute.queue", "must not be negative", "set e.g. 1000, or 0 to refuse runs when every worker is busy")
	}
	if c.Store.RunLease < time.Second {
		bad("store.run_lease", "must be at least 1s", "set e.g. 30s")
	}
	if c.LLM.MaxAttempts < 1 {
		bad("llm.max_attempts", "must be at least 1", "set e.g. 3")
	}
	if c.LLM.AuthHold < 0 {
		bad("llm.auth_hold", "must not be negative", "set e.g. 30s, or 0 to call the provider on every request even after it refused the key")
	}
	if c.LLM.Refusal != "" && c.LLM.Refusal != "accept" && c.LLM.Refusal != "escalate" {
		bad("llm.refusal", fmt.Sprintf("unknown policy %q", c.LLM.Refusal), "use accept (the default) or escalate")
	}
	seen := map[string]bool{}
	for i, k := range c.Server.APIKeys {
		if len(k.Key) < 16 {
			bad(fmt.Sprintf("server.api_keys[%d].key", i), "shorter than 16 characters", "use a long random token")
		}
		if strings.TrimSpace(k.Tenant) == "" {
			bad(fmt.Sprintf("server.api_keys[%d].tenant", i), "empty: keys without a tenant would all share one tenant's cache, history and runs",
				"set tenant: NAME for every key (tenant: default to share the default tenant on purpose)")
		}
		for t := range k.Tiers {
			switch t {
			case "simple", "moderate", "complex":
			default:
				bad(fmt.Sprintf("server.api_keys[%d].tiers.%s", i, t), "unknown tier", "use simple, moderate or complex")
			}
		}
		if seen[k.Key] {
			bad(fmt.Sprintf("server.api_keys[%d].key", i), "duplicate key", "give every client its own key")
		}
		seen[k.Key] = true
	}
	return errors.Join(errs...)
}

var hostName = regexp.MustCompile(`^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$`)

// checkAllowHost says what is wrong with an execute.allow_hosts entry ("" when nothing).
func checkAllowHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	switch {
	case h == "":
		return "is empty"
	case strings.Contains(h, "/"):
		if _, err := netip.ParsePrefix(h); err != nil {
			return "is not a valid CIDR prefix"
		}
	case strings.HasPrefix(h, "["):
		if _, err := netip.ParseAddr(strings.Trim(h, "[]")); err != nil {
			return "is not a valid IPv6 address"
		}
	case strings.Contains(h, ":"):
		if _, err := netip.ParseAddr(h); err != nil {
			return "is not a valid IP address (ports are not part of an entry)"
		}
	default:
		if _, err := netip.ParseAddr(h); err == nil {
			return ""
		}
		if strings.Trim(h, "0123456789.") == "" {
			return "is not a valid IPv4 address"
		}
		if !hostName.MatchString(h) {
			return "is not a valid host name"
		}
	}
	return ""
}

// CheckPprof checks server.pprof_addr: empty (no profiles served), or host:port with a
// loopback host (127.0.0.0/8, ::1, localhost) unless server.pprof_allow_remote says to
// serve the profiles beyond this machine on purpose: they show the process's memory,
// goroutine stacks and command line, and a CPU profile or trace costs the server CPU,
// to whoever reaches the port, with no authentication. Validate calls it, and the app
// again before it listens (for a configuration that did not come through Load).
func (s *Server) CheckPprof() error {
	if s.PprofAddr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(s.PprofAddr)
	if err != nil || port == "" {
		return fmt.Errorf("server.pprof_addr: %q is not host:port (fix: set a loopback address such as 127.0.0.1:6060, or leave it empty to serve no profiles)", s.PprofAddr)
	}
	if s.PprofAllowRemote || isLoopback(host) {
		return nil
	}
	return fmt.Errorf("server.pprof_addr: %q is not a loopback address, and profiles have no authentication (fix: use 127.0.0.1:%s and reach it through an SSH tunnel, or set server.pprof_allow_remote: true to serve them there on purpose)", s.PprofAddr, port)
}

// isLoopback reports whether host (a name or an IP, without a port) is this machine's
// loopback: localhost, 127.0.0.0/8 or ::1. An empty host (every interface) is not.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// Online reports whether an LLM provider is configured.
func (c *Config) Online() bool { return c.LLM.APIKey != "" || c.LLM.BaseURL != "" }

// Redacted returns a copy with secrets masked, safe to print or log.
func (c Config) Redacted() Config {
	if c.LLM.APIKey != "" {
		c.LLM.APIKey = "***"
	}
	keys := make([]APIKey, len(c.Server.APIKeys))
	for i, k := range c.Server.APIKeys {
		k.Key = "***"
		keys[i] = k
	}
	c.Server.APIKeys = keys
	return c
}
