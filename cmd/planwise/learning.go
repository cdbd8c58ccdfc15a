package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/client"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/cliflag"
	"github.com/planwise/planwise/internal/cliout"
	"github.com/planwise/planwise/internal/textfmt"
	"github.com/planwise/planwise/planner"
)

// learningTarget is where the learning commands (history, insights, experiments) read
// and write: the local store by default, a running server with --server. --timeout bounds
// either; the flags of one are refused with the other (open).
type learningTarget struct {
	client.Flags        // a running server's, when --server names one
	tenant       string // local store: the tenant to read
	all          bool   // local store: every tenant
}

// learningCmd gives cmd the flags that choose the learning loop (learningTarget) and
// runs do with the one they choose. A check of cmd's other flags goes in its PreRunE,
// which runs before anything is opened.
func (a *cli) learningCmd(cmd *cobra.Command, do func(ctx context.Context, src history.Learning, args []string) error) *cobra.Command {
	var t learningTarget
	fl := cmd.Flags()
	fl.StringVar(&t.tenant, "tenant", planner.DefaultTenant, "tenant to read from the local store (not with --server: a server answers for its API key's tenant); the CLI's own requests are the default tenant's")
	fl.BoolVar(&t.all, "all-tenants", false, "read every tenant of the local store (not with --server)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		if t.Client == nil && t.Timeout > 0 { // the local store (PostgreSQL, or SQLite busy) bounded as a server is
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, t.Timeout)
			defer cancel()
		}
		src, err := t.open(ctx, cmd, a)
		if err == nil {
			err = do(ctx, src, args)
		}
		if t.Client == nil && err != nil && ctx.Err() != nil {
			return fmt.Errorf("the local store did not answer within --timeout %s: %w", textfmt.Duration(t.Timeout), err)
		}
		return client.Explain(err) // --server's errors as every client command words them
	}
	t.Register(cmd, "", "read from a running planwise server at this URL instead of the local store", a.Err) // the commands that write say so
	fl.Lookup("timeout").Usage += " (without --server: of the command's work on the local store)"
	return cmd
}

// open returns the server's client (client.Flags), or the local store's learning loop for
// the tenant (--tenant, or every tenant with --all-tenants) over the configured store
// (the one plan, run and serve write to, whatever its driver), closed when the command
// ends. A flag of the other use is refused: one a user gives expects an effect. A
// command that only reads creates no store and migrates none (app.Options.ReadOnly):
// with none yet (no SQLite file, no planwise tables in the PostgreSQL schema), it says
// so and reads an empty history.
func (t *learningTarget) open(ctx context.Context, cmd *cobra.Command, a *cli) (history.Learning, error) {
	if t.Client != nil {
		return t.Client, cliflag.Refuse(cmd.Flags(), "is for the local store; with --server leave it out (a server answers for its API key's tenant, from its own configuration)", "tenant", "all-tenants", "config")
	}
	if err := cliflag.Refuse(cmd.Flags(), "is for --server: the local store takes no key (to use a server, name it with --server)", "api-key", "api-key-file", "token", "token-file"); err != nil {
		return nil, err
	}
	tenant := t.tenant
	switch {
	case t.all && cmd.Flags().Changed("tenant"):
		return nil, errors.New("--tenant and --all-tenants exclude each other")
	case t.all:
		tenant = ""
	case tenant == "":
		return nil, errors.New("--tenant is empty: name a tenant, or use --all-tenants")
	}
	a.opts.ReadOnly = cmd.Annotations["store"] != "writes" // a store not there yet is not made to be read
	pw, err := a.App(ctx)
	if err != nil {
		return nil, err
	}
	l, err := pw.Learning(ctx, tenant)
	if path, _ := pw.StoreMissing(ctx); path != "" && err == nil {
		fmt.Fprintf(a.Notes(), "planwise: no history yet: %s does not exist (plan, run and serve create it)\n", path)
	}
	return l, err
}

func newHistoryCmd(a *cli) *cobra.Command {
	var limit, offset int
	cmd := a.learningCmd(&cobra.Command{
		Use:   "history",
		Short: "Show recent planning requests from the execution history",
		Long: `Show recent planning requests recorded in the execution history, newest first:
when, where the plan came from, whether the first answer was valid, the tools used and
the request. Reads the configured store, where plan and run record: SQLite (store.path,
by default planwise.db in $XDG_DATA_HOME/planwise or ~/.local/share/planwise) or
PostgreSQL (store.dsn); or, with --server, a running server's GET /api/v1/history.`,
		Example: `  planwise history --limit 20
  planwise history --server http://127.0.0.1:8080 --json`,
		Args: cobra.NoArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if limit <= 0 || limit > 500 || offset < 0 {
				return errors.New("--limit must be 1-500 and --offset not negative")
			}
			return nil
		},
	}, func(ctx context.Context, src history.Learning, _ []string) error {
		rs, err := src.History(ctx, limit, offset)
		if errors.Is(err, history.ErrUnreadable) { // show the rest, and say what is missing
			fmt.Fprintf(a.Err, "warning: %v\n", err)
			err = nil
		}
		if err != nil {
			return err
		}
		return a.Show(map[string]any{"records": cliout.OrEmpty(rs)}, false, func(w io.Writer) error { return history.WriteRecords(w, rs) })
	})
	cmd.Flags().IntVar(&limit, "limit", 20, "records to show (1-500)")
	cmd.Flags().IntVar(&offset, "offset", 0, "skip this many of the newest records")
	a.JSONFlag(cmd)
	return cmd
}

func newInsightsCmd(a *cli) *cobra.Command {
	var since time.Duration
	cmd := a.learningCmd(&cobra.Command{
		Use:   "insights",
		Short: "Analyse failures in the execution history and suggest improvements",
		Long: `Group the failures of the last --since (by tool, argument, error type, request pattern
and prompt variant) and print concrete suggestions with their evidence: a tool argument
to document better, a request pattern that needs a worked example or a stronger tier, a
prompt variant that falls back more. Reads the local store or, with --server, a running
server's GET /api/v1/insights.`,
		Example: `  planwise insights --since 24h
  planwise insights --server http://127.0.0.1:8080 --json`,
		Args: cobra.NoArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if since < 0 {
				return errors.New("--since must not be negative")
			}
			return nil
		},
	}, func(ctx context.Context, src history.Learning, _ []string) error {
		return a.Report(src.Insights(ctx, since))
	})
	cmd.Flags().Var(cliflag.NewDuration(&since, 24*time.Hour), "since", "window to analyse (0: all records)")
	a.JSONFlag(cmd)
	return cmd
}

func newExperimentsCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "experiments",
		Short: "Prompt A/B experiments: list, create, promote",
		Long: `Prompt A/B experiments split traffic between prompt variants (deterministically, by a
hash of the request), compare the validity of the plans the model made with each
variant's prompt with a two-proportion z-test, report the model's refusals ("no tool
fits") beside it rather than as invalid plans, and promote the winner, by hand or
automatically once it is significantly better (and does not refuse significantly more).
The commands work on the local store or, with --server, on a running server.`,
	}
	cmd.AddCommand(newExperimentsListCmd(a), newExperimentsCreateCmd(a), newExperimentsPromoteCmd(a))
	a.JSONFlag(cmd)
	return cmd
}

func newExperimentsListCmd(a *cli) *cobra.Command {
	return a.learningCmd(&cobra.Command{
		Use:   "list",
		Short: "List experiments with per-variant statistics and the significance test",
		Args:  cobra.NoArgs,
	}, func(ctx context.Context, src history.Learning, _ []string) error {
		reps, err := src.Experiments(ctx)
		if err != nil {
			return err
		}
		return a.Show(map[string]any{"experiments": cliout.OrEmpty(reps)}, false, func(w io.Writer) error { return history.WriteExperiments(w, reps) })
	})
}

func newExperimentsCreateCmd(a *cli) *cobra.Command {
	var e history.Experiment
	var variants string
	cmd := a.learningCmd(&cobra.Command{
		Use:     "create --variants default,concise",
		Short:   "Create a prompt experiment",
		Example: `  planwise experiments create --name wording --variants default=0.5,concise=0.5 --auto-promote --min-samples 200`,
		Args:    cobra.NoArgs,
		// The one learning command that writes: it creates the store when there is none.
		Annotations: map[string]string{"store": "writes"},
		PreRunE: func(*cobra.Command, []string) (err error) {
			if e.Variants, err = history.ParseVariants(variants); err != nil {
				return fmt.Errorf("--variants: %w", err)
			}
			return nil
		},
	}, func(ctx context.Context, src history.Learning, _ []string) error {
		created, err := src.CreateExperiment(ctx, e)
		if err != nil {
			return err
		}
		return a.Say(created, "created experiment %s (%s) with %d variants\n", created.ID, created.Name, len(created.Variants))
	})
	fl := cmd.Flags()
	fl.Lookup("tenant").Usage = "tenant to create the experiment for in the local store: it splits that tenant's requests (not with --server: a server's is its API key's tenant)"
	fl.Lookup("all-tenants").Usage = "create the experiment for every tenant of the local store: it splits every tenant's requests (not with --server)"
	fl.Lookup("server").Usage = "create the experiment on a running planwise server at this URL instead of in the local store"
	fl.StringVar(&e.ID, "id", "", "experiment id (default: generated)")
	fl.StringVar(&e.Name, "name", "", "a name for people")
	fl.StringVar(&variants, "variants", "", "variants, with their traffic shares unless equal: default,concise or default=0.8,concise=0.2 (required)")
	fl.BoolVar(&e.AutoPromote, "auto-promote", false, "promote the better variant automatically once significant")
	fl.IntVar(&e.MinSamples, "min-samples", 0, "requests needed in every arm before a test counts (default 100)")
	fl.Float64Var(&e.Alpha, "alpha", 0, "significance level (default 0.05)")
	_ = cmd.MarkFlagRequired("variants")
	return cmd
}

func newExperimentsPromoteCmd(a *cli) *cobra.Command {
	var winner string
	cmd := a.learningCmd(&cobra.Command{
		Use:   "promote ID [--winner VARIANT]",
		Short: "Promote a variant: every request gets it from now on",
		Long: `Promote a variant of a running experiment. Without --winner the significantly better
variant is promoted; the command fails when no variant is significantly better yet.`,
		Args: cobra.ExactArgs(1),
	}, func(ctx context.Context, src history.Learning, args []string) error {
		e, err := src.Promote(ctx, args[0], winner)
		if err != nil {
			return err
		}
		return a.Say(e, "experiment %s: promoted %s\n", e.ID, e.Winner)
	})
	cmd.Flags().StringVar(&winner, "winner", "", "the variant to promote (default: the significantly better one)")
	cmd.Flags().Lookup("tenant").Usage = "tenant whose experiment to promote in the local store: another tenant's is not found (not with --server: a server's is its API key's tenant)"
	cmd.Flags().Lookup("all-tenants").Usage = "promote an experiment of any tenant of the local store (not with --server)"
	cmd.Flags().Lookup("server").Usage = "promote the variant on a running planwise server at this URL instead of in the local store"
	return cmd
}
