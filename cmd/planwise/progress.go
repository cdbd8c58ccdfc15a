package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/internal/progress"
)

// progressFlag is --progress: bars on stderr when it is a terminal (the default), always
// (--progress) or never (--progress=false). Progress never goes to stdout, which carries
// the report (and --json).
type progressFlag struct{ on bool }

func (p *progressFlag) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&p.on, "progress", false, "show progress on stderr (default: only when stderr is a terminal)")
}

// writer is where bars go, nil for none.
func (p *progressFlag) writer(cmd *cobra.Command, stderr io.Writer) io.Writer {
	return progress.To(stderr, cmd.Flags().Changed("progress"), p.on)
}
