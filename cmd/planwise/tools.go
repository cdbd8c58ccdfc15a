package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/tool"
)

func newToolsCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tools",
		Short: "List, validate and import tool definitions",
		Long: `Work with the tool registry: the built-in catalog plus every --tools file or directory.

Tool files are detected by content: planwise YAML/JSON tool files, TaskBench tool_desc.json,
NESTFUL *-spec.json and OpenAI function-tool JSON.`,
	}
	cmd.AddCommand(newToolsListCmd(a), newToolsValidateCmd(a), newToolsImportCmd(a))
	a.JSONFlag(cmd)
	return cmd
}

func newToolsListCmd(a *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the tools in the registry (built-ins plus --tools)",
		Long: `List every tool in the registry with where it came from, how it runs and a one-line
description. --json prints an array with each tool's parameters and schemas.`,
		Example: `  planwise tools list
  planwise tools list --tools ../shared/data/taskbench/dailylifeapis/tool_desc.json --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			reg, err := a.registry(cmd.Context())
			if err != nil {
				return err
			}
			return a.Show(tool.Summaries(reg), true, func(w io.Writer) error { return tool.WriteTable(w, reg) })
		},
	}
}

func newToolsValidateCmd(a *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "validate [FILE...]",
		Short: "Load and compile tool files; print OK or every problem found",
		Long: `Load each file or directory, detect its format, compile every schema and check names,
descriptions and run specs. A tool without a description is a problem: it would load,
but no request is planned with it. A name defined differently in two of the given files is a problem; an identical
copy (dropped on loading) and a tool that would replace a built-in one are noted. With no
FILE, the configured tool paths and --tools are checked. Exit status 1 when any is invalid.`,
		Example: `  planwise tools validate tools/
  planwise tools validate --json ../shared/data/nestful/executable-spec.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				pw, err := a.App(cmd.Context())
				if err != nil {
					return err
				}
				if args = pw.ToolPaths(); len(args) == 0 {
					return errors.New("no tool files to validate: name them, or configure tools.paths or --tools")
				}
			}
			reports, failed := tool.ValidateFiles(args)
			if err := a.Show(reports, true, func(w io.Writer) error { tool.WriteValidation(w, reports); return nil }); err != nil {
				return err
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d tool files invalid", failed, len(args))
			}
			return nil
		},
	}
}

func newToolsImportCmd(a *cli) *cobra.Command {
	var (
		formatName string
		output     string
	)
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Convert a TaskBench, NESTFUL or OpenAI tool catalog into a planwise YAML tool file",
		Long: `Convert a tool catalog into a planwise YAML tool file that can be reviewed, edited and
loaded with --tools. Imported tools run simulated until you give them a run spec. The
result is checked (names, schemas) before anything is written; --json needs -o FILE.`,
		Example: `  planwise tools import ../shared/data/taskbench/dailylifeapis/tool_desc.json -o tools/dailylife.yaml
  planwise tools import --format openai functions.json -o tools/functions.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := tool.ParseFormat(formatName)
			if err != nil {
				return err
			}
			if output != "" && output != "-" {
				return a.ReportIndented(tool.ImportFile(args[0], format, output))
			} else if a.JSON {
				return errors.New("--json prints the report of a file written with -o FILE; without -o the output is the YAML itself")
			}
			imp, err := tool.Import(args[0], format)
			if err != nil {
				return err
			}
			_, err = a.Out.Write(imp.YAML)
			return err
		},
	}
	cmd.Flags().StringVar(&formatName, "format", "auto", "input format: auto, taskbench, nestful, openai or planwise")
	cmd.Flags().StringVarP(&output, "output", "o", "", "output YAML file (default: standard output)")
	return cmd
}
