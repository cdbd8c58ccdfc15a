package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/history"
)

func newExperimentsCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "experiments",
		Short: "Prompt A/B experiments: list, create, promote",
		Long: `Prompt A/B experiments split traffic between prompt variants (deterministically, by a
hash of the request), compare their plan validity with a two-proportion z-test and
promote the winner, by hand or automatically once it is significantly better. The
commands work on the local store or, with --server, on a running server.`,
	}
	cmd.AddCommand(newExperimentsListCmd(a), newExperimentsCreateCmd(a), newExperimentsPromoteCmd(a))
	a.jsonFlag(cmd, true)
	return cmd
}

func newExperimentsListCmd(a *cli) *cobra.Command {
	var t learningTarget
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List experiments with per-variant statistics and the significance test",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			src, err := t.open(cmd, a)
			if err != nil {
				return err
			}
			reps, err := src.Experiments(cmd.Context())
			if err != nil {
				return err
			}
			if a.JSON {
				if reps == nil {
					reps = []*history.ExperimentReport{}
				}
				return json.NewEncoder(a.Out).Encode(map[string]any{"experiments": reps})
			}
			history.WriteExperiments(a.Out, reps)
			return nil
		},
	}
	t.flags(cmd)
	return cmd
}

func newExperimentsCreateCmd(a *cli) *cobra.Command {
	var t learningTarget
	var id, name, variants string
	var auto bool
	var minSamples int
	var alpha float64
	cmd := &cobra.Command{
		Use:     "create --variants default,concise",
		Short:   "Create a prompt experiment",
		Example: `  planwise experiments create --name wording --variants default=0.5,concise=0.5 --auto-promote --min-samples 200`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			vs, err := history.ParseVariants(variants)
			if err != nil {
				return fmt.Errorf("--variants: %w", err)
			}
			e := history.Experiment{ID: id, Name: name, Variants: vs, AutoPromote: auto, MinSamples: minSamples, Alpha: alpha}
			src, err := t.open(cmd, a)
			if err != nil {
				return err
			}
			created, err := src.CreateExperiment(cmd.Context(), e)
			if err != nil {
				return err
			}
			if a.JSON {
				return json.NewEncoder(a.Out).Encode(created)
			}
			fmt.Fprintf(a.Out, "created experiment %s (%s) with %d variants\n", created.ID, created.Name, len(created.Variants))
			return nil
		},
	}
	t.flags(cmd)
	fl := cmd.Flags()
	fl.StringVar(&id, "id", "", "experiment id (default: generated)")
	fl.StringVar(&name, "name", "", "a name for people")
	fl.StringVar(&variants, "variants", "", "variants and traffic shares: default=0.5,concise=0.5 (required)")
	fl.BoolVar(&auto, "auto-promote", false, "promote the better variant automatically once significant")
	fl.IntVar(&minSamples, "min-samples", 0, "requests needed in every arm before a test counts (default 100)")
	fl.Float64Var(&alpha, "alpha", 0, "significance level (default 0.05)")
	_ = cmd.MarkFlagRequired("variants")
	return cmd
}

func newExperimentsPromoteCmd(a *cli) *cobra.Command {
	var t learningTarget
	var winner string
	cmd := &cobra.Command{
		Use:   "promote ID [--winner VARIANT]",
		Short: "Promote a variant: every request gets it from now on",
		Long: `Promote a variant of a running experiment. Without --winner the significantly better
variant is promoted; the command fails when no variant is significantly better yet.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := t.open(cmd, a)
			if err != nil {
				return err
			}
			e, err := src.Promote(cmd.Context(), args[0], winner)
			if err != nil {
				return err
			}
			if a.JSON {
				return json.NewEncoder(a.Out).Encode(e)
			}
			fmt.Fprintf(a.Out, "experiment %s: promoted %s\n", e.ID, e.Winner)
			return nil
		},
	}
	t.flags(cmd)
	cmd.Flags().StringVar(&winner, "winner", "", "the variant to promote (default: the significantly better one)")
	return cmd
}
