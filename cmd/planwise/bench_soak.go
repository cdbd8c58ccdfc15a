package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/internal/loadgen"
	"github.com/planwise/planwise/pattern"
)

func runSoak(ctx context.Context, a *cli, f soakFlags) error {
	tools, err := a.App(ctx, app.Options{})
	if err != nil {
		return err
	}
	reg, err := tools.Registry()
	if err != nil {
		return err
	}
	f.target.Config, f.target.Registry, f.target.Stderr = tools.Config(), reg, a.Err
	f.soak.Load, f.soak.Answerer, f.soak.Log = f.load.Config, pattern.NewPattern(reg), a.Err
	f.soak.Start = f.target.Start
	rep, err := loadgen.Soak(ctx, f.soak)
	if err != nil {
		return err
	}
	if err := a.reportIndented(rep, nil); err != nil {
		return err
	}
	if len(rep.Failures) > 0 {
		for _, fl := range rep.Failures {
			fmt.Fprintln(a.Err, "soak FAILED:", fl)
		}
		return &exitError{code: 1, err: errors.New("")}
	}
	if !a.JSON {
		fmt.Fprintln(a.Out, "soak passed: every request answered, no growth beyond the bounds")
	}
	return nil
}
