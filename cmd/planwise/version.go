package main

import (
	"github.com/spf13/cobra"

	"github.com/planwise/planwise/internal/buildinfo"
)

func newVersionCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the build's module version and VCS revision",
		Long: `Print what this binary was built from: the module version, the version-control
revision and commit time, whether the tree had uncommitted changes, and the Go toolchain.
A value the build did not record (go run, go test, -buildvcs=false) is "unknown".`,
		Example: `  planwise version
  planwise version --json
  planwise --version`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in := buildinfo.Read()
			return a.say(in, "%s\n", in)
		},
	}
	a.jsonFlag(cmd, false)
	return cmd
}
