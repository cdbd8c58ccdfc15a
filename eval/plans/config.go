package plans

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// Config is what `planwise eval plans` is given, as its command line has it.
type Config struct {
	// Dataset is the data-set kind (kinds), Data its file or directory and Set, when not
	// empty, the one set of a directory to evaluate (resolveSets).
	Dataset, Data, Set string
	// Limit, Concurrency and Timeout are evaluateOptions'.
	Limit, Concurrency int
	Timeout            time.Duration
	// Builtins offers planwise's built-in tools beside each set's catalogue.
	Builtins bool
	// Catalog is what bfcl offers a question: "union" (every question's functions) or
	// "question" (its own).
	Catalog string
	// Predictions, when not empty, is the file the predictions are written to
	// (writePredictionsFile).
	Predictions string
	// Verbose keeps every sample's result in the printed report (Printed).
	Verbose bool
}

// Sets checks c and returns the sets it names. Errors name the flags of `planwise eval
// plans`.
func (c Config) Sets() ([]Set, error) {
	if c.Limit < 0 || c.Concurrency < 0 || c.Timeout < 0 {
		return nil, errors.New("--limit, --concurrency and --timeout must not be negative")
	}
	if c.Catalog != "union" && c.Catalog != "question" {
		return nil, fmt.Errorf("--catalog %q: use union or question", c.Catalog)
	}
	return resolveSets(c.Dataset, c.Data, c.Set)
}

// Assembly is planwise assembled from its configuration, as an evaluation of it needs
// it (app.App): the tools `planwise plan` has before a data set adds its catalogue, the
// warning for a duplicate tool definition, and a planner over a registry.
type Assembly interface {
	Tools(builtins bool) ([]*tool.Tool, error)
	WarnTool(*tool.Error)
	NewPlanner(ctx context.Context, reg *tool.Registry, clock func() time.Time) (*planner.Planner, error)
}

// EvaluatePlanwise evaluates planwise as pw assembles it (planwise, over pw.Tools and
// each set's catalogue) on sets (c.Sets), writes the predictions file when c asks for
// one and returns the report to print. notes receives notes for people (nil: none);
// progress, when set, is evaluateOptions.Progress. Interrupted, it returns the report of
// the sets done so far with the error.
func (c Config) EvaluatePlanwise(ctx context.Context, sets []Set, pw Assembly, notes io.Writer,
	progress func(set string, samples int) (func(done, total int), func())) (*Printed, error) {
	base, err := pw.Tools(c.Builtins)
	if err != nil {
		return nil, err
	}
	rep, err := evaluate(ctx, sets, evaluateOptions{
		Kind: c.Dataset, Base: base, Limit: c.Limit, Concurrency: c.Concurrency, Timeout: c.Timeout,
		Union: c.Dataset == "bfcl" && c.Catalog == "union", Notes: notes, Progress: progress,
		LoadTools: func(files ...string) ([]*tool.Tool, error) { return tool.LoadPathsWarn(pw.WarnTool, files...) },
		Planner: planwise(func(reg *tool.Registry, now func() time.Time) (*planner.Planner, error) {
			return pw.NewPlanner(ctx, reg, now)
		}, notes),
	})
	if rep == nil {
		return nil, err
	}
	if c.Predictions != "" {
		if werr := writePredictionsFile(c.Predictions, rep); werr != nil {
			if err == nil {
				err = fmt.Errorf("--predictions: %w", werr)
			}
			return nil, err
		}
	}
	return &Printed{Report: rep, Verbose: c.Verbose}, err
}

// Printed is a report as `planwise eval plans` prints it: every sample's result only
// when Verbose, in JSON as in text.
type Printed struct {
	*Report
	Verbose bool
}

// MarshalJSON is the report's JSON, without per-sample results unless Verbose.
func (p *Printed) MarshalJSON() ([]byte, error) {
	if p.Verbose {
		return json.Marshal(p.Report)
	}
	return json.Marshal(p.WithoutResults())
}

// WriteText prints the report for people (Report.WriteText).
func (p *Printed) WriteText(w io.Writer) error { return p.Report.WriteText(w, p.Verbose) }
