package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"

	"github.com/planwise/planwise/internal/textfmt"
)

// Inputs are the simulator's inputs as `planwise sim` takes them: data-set files and the
// texts of fault rules, fault scripts and model error rates.
type Inputs struct {
	Gold        []string // JSON lines data sets (LoadGoldFiles)
	Nestful     []string // NESTFUL *-data.json files (LoadNestfulFiles)
	Faults      []string // fault rules (ParseFaultRules)
	Scripts     []string // fault scripts (ParseScripts)
	ModelErrors []string // model error rates (ParseModelErrors)
}

// Apply reads the inputs into cfg: Gold (a NESTFUL request replaces the same request of
// a gold file), Faults, Script and ModelErrors. An error names the flag of `planwise sim`
// whose input it could not read.
func (in Inputs) Apply(cfg *Config) error {
	var err error
	if cfg.Gold, err = LoadGoldFiles(in.Gold...); err != nil {
		return fmt.Errorf("--gold: %w", err)
	}
	nestful, err := LoadNestfulFiles(in.Nestful...)
	if err != nil {
		return fmt.Errorf("--nestful: %w", err)
	}
	maps.Copy(cfg.Gold, nestful)
	if cfg.Faults, err = ParseFaultRules(in.Faults); err != nil {
		return fmt.Errorf("--fault: %w", err)
	}
	if cfg.Script, err = ParseScripts(in.Scripts); err != nil {
		return fmt.Errorf("--fault-script: %w", err)
	}
	if cfg.ModelErrors, err = ParseModelErrors(in.ModelErrors); err != nil {
		return fmt.Errorf("--model-errors %w", err)
	}
	return nil
}

// Banner is what `planwise sim` prints once it listens: where, and what it answers with.
type Banner struct {
	Addr   string // the listener's address, host:port
	Inputs Inputs // as given (the fault rules and model errors are shown)
	Config Config // the configuration served (labelled requests, latency scale, seed)
	Tools  int    // the tools of the simulator's own registry
}

// BaseURL is the OPENAI_BASE_URL of the simulator.
func (b Banner) BaseURL() string { return "http://" + b.Addr + "/v1" }

// MarshalJSON is the banner for programs: base_url, addr, simulator (always true),
// gold_requests, tools and faults.
func (b Banner) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"base_url": b.BaseURL(), "addr": b.Addr, "simulator": true,
		"gold_requests": len(b.Config.Gold), "tools": b.Tools, "faults": b.Inputs.Faults})
}

// WriteText prints the banner for people: that this is a test double, what it answers
// with and how to point a client at it.
func (b Banner) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "planwise sim: an OpenAI-compatible TEST DOUBLE (not a real model) on http://%s\n", b.Addr)
	fmt.Fprintf(w, "  %d labelled requests, plans over each request's tools (else %d tools of its own), faults %s, model errors %s, latency x%g, seed %d\n",
		len(b.Config.Gold), b.Tools, textfmt.List(b.Inputs.Faults), textfmt.List(b.Inputs.ModelErrors), b.Config.LatencyScale, b.Config.Seed)
	_, err := fmt.Fprintf(w, "use it with:\n  OPENAI_BASE_URL=%s\n", b.BaseURL())
	return err
}

// ListenAndServe serves a simulator of cfg on addr until ctx is done, as `planwise sim`
// does: once it listens, banner is told what it serves (in as given, tools the count of
// the simulator's own registry). It returns nil after a shutdown that completed (Serve).
func ListenAndServe(ctx context.Context, addr string, cfg Config, in Inputs, tools int, banner func(Banner)) error {
	s, err := New(cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (fix: choose a free address with --addr)", addr, err)
	}
	banner(Banner{Addr: ln.Addr().String(), Inputs: in, Config: cfg, Tools: tools})
	if err := s.Serve(ctx, ln); err != nil {
		return fmt.Errorf("planwise sim: %w", err)
	}
	return nil
}
