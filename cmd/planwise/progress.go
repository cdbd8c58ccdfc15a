package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"
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
	if cmd.Flags().Changed("progress") {
		if p.on {
			return stderr
		}
		return nil
	}
	if isTerminal(stderr) {
		return stderr
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
