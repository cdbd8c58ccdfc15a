package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/tool"
)

func init() { register(newToolsCmd) }

func newToolsCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tools",
		Short: "List, validate and import tool definitions",
		Long: `Work with the tool registry: the built-in catalog plus every --tools file or directory.

Tool files are detected by content: planwise YAML/JSON tool files, TaskBench tool_desc.json,
NESTFUL *-spec.json and OpenAI function-tool JSON.`,
	}
	cmd.AddCommand(newToolsListCmd(a), newToolsValidateCmd(a), newToolsImportCmd(a))
	a.jsonFlag(cmd, true)
	return cmd
}

// toolSummary is one row of `tools list --json`.
type toolSummary struct {
	Name         string             `json:"name"`
	Source       string             `json:"source"`
	Run          string             `json:"run"`
	Builtin      string             `json:"builtin,omitempty"`
	Description  string             `json:"description"`
	Params       []toolParamSummary `json:"params"`
	InputSchema  json.RawMessage    `json:"input_schema,omitempty"`
	OutputSchema json.RawMessage    `json:"output_schema,omitempty"`
}

type toolParamSummary struct {
	Name     string `json:"name"`
	Type     string `json:"type,omitempty"`
	Required bool   `json:"required"`
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
			pw, err := a.App(cmd.Context(), app.Options{})
			if err != nil {
				return err
			}
			reg, err := pw.Registry()
			if err != nil {
				return err
			}
			if a.JSON {
				rows := make([]toolSummary, 0, reg.Len())
				for _, t := range reg.Tools() {
					row := toolSummary{
						Name: t.Name, Source: t.Source, Run: t.RunKind(), Description: t.Description,
						Params: []toolParamSummary{}, InputSchema: t.InputSchema, OutputSchema: t.OutputSchema,
					}
					if t.Run != nil {
						row.Builtin = t.Run.Builtin
					}
					for _, p := range t.Params() {
						row.Params = append(row.Params, toolParamSummary{Name: p.Name, Type: p.Type, Required: p.Required})
					}
					rows = append(rows, row)
				}
				return toolsWriteJSON(a.Out, rows)
			}
			tw := tabwriter.NewWriter(a.Out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSOURCE\tRUN\tDESCRIPTION")
			for _, t := range reg.Tools() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, toolsDisplaySource(t.Source), t.RunKind(), toolsOneLine(t.Description, 72))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "\n%d tools, registry version %s\n", reg.Len(), reg.Version())
			return nil
		},
	}
}

// toolsDisplaySource shortens long source paths for the table; --json keeps them whole.
func toolsDisplaySource(s string) string {
	if s == "" {
		return "-"
	}
	kind, path, ok := strings.Cut(s, ":")
	if ok && !strings.ContainsAny(kind, `/\.`) {
		return kind + ":" + toolsShortPath(path)
	}
	return toolsShortPath(s)
}

func toolsShortPath(p string) string {
	if len(p) <= 40 {
		return p
	}
	dir, file := filepath.Split(p)
	parent := filepath.Base(filepath.Clean(dir))
	return "…/" + filepath.Join(parent, file)
}

// toolsOneLine is the first line of d, cut at a word boundary to at most max runes.
func toolsOneLine(d string, max int) string {
	d = strings.TrimSpace(d)
	if i := strings.IndexByte(d, '\n'); i >= 0 {
		d = strings.TrimSpace(d[:i])
	}
	if utf8.RuneCountInString(d) <= max {
		return d
	}
	r := []rune(d)[:max-1]
	s := string(r)
	if i := strings.LastIndexByte(s, ' '); i > max/2 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ,;:.") + "…"
}

// toolFileReport is the result of validating one file, as printed by `tools validate --json`.
type toolFileReport struct {
	File   string            `json:"file"`
	OK     bool              `json:"ok"`
	Tools  []string          `json:"tools"`
	Errors []toolErrorReport `json:"errors,omitempty"`
	Notes  []string          `json:"notes,omitempty"`
}

type toolErrorReport struct {
	File    string `json:"file,omitempty"`
	Tool    string `json:"tool,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

func newToolsValidateCmd(a *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "validate [FILE...]",
		Short: "Load and compile tool files; print OK or every problem found",
		Long: `Load each file or directory, detect its format, compile every schema and check names and
run specs. Names defined in two of the given files are reported, and a tool that would
replace a built-in one is noted. With no FILE, the configured tool paths and --tools are
checked. Exit status 1 when any file is invalid.`,
		Example: `  planwise tools validate tools/
  planwise tools validate --json ../shared/data/nestful/executable-spec.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				cfg, err := a.Config()
				if err != nil {
					return err
				}
				args = append(append(args, cfg.Tools.Paths...), a.ToolPaths...)
				if len(args) == 0 {
					return &exitError{code: 1, err: errors.New("no tool files to validate: name them, or configure tools.paths or --tools")}
				}
			}
			builtin := map[string]bool{}
			for _, t := range tool.Builtins() {
				builtin[t.Name] = true
			}
			reports := make([]toolFileReport, 0, len(args))
			definedIn := map[string]string{}
			failed := 0
			for _, path := range args {
				rep := toolFileReport{File: path, Tools: []string{}}
				tools, err := tool.LoadPath(path)
				if err != nil {
					rep.Errors = toolsErrorReports(err)
				}
				for _, t := range tools {
					rep.Tools = append(rep.Tools, t.Name)
					if prev, dup := definedIn[t.Name]; dup {
						rep.Errors = append(rep.Errors, toolErrorReport{File: path, Tool: t.Name, Field: "name",
							Message: "duplicate tool name (also defined in " + prev + ")",
							Fix:     "rename one of them or load only one of the files"})
						continue
					}
					definedIn[t.Name] = path
					if builtin[t.Name] {
						rep.Notes = append(rep.Notes, fmt.Sprintf("tool %q replaces the built-in tool of the same name", t.Name))
					}
				}
				rep.OK = len(rep.Errors) == 0
				if !rep.OK {
					failed++
				}
				reports = append(reports, rep)
			}
			if a.JSON {
				if err := toolsWriteJSON(a.Out, reports); err != nil {
					return err
				}
			} else {
				for _, rep := range reports {
					if rep.OK {
						fmt.Fprintf(a.Out, "OK    %s: %s\n", rep.File, toolsCount(len(rep.Tools), "tool"))
					} else {
						fmt.Fprintf(a.Out, "FAIL  %s: %s\n", rep.File, toolsCount(len(rep.Errors), "problem"))
						for _, e := range rep.Errors {
							fmt.Fprintf(a.Out, "  - %s\n", toolsFormatError(e, rep.File))
						}
					}
					for _, n := range rep.Notes {
						fmt.Fprintf(a.Out, "  note: %s\n", n)
					}
				}
			}
			if failed > 0 {
				return &exitError{code: 1, err: fmt.Errorf("%d of %d tool files invalid", failed, len(args))}
			}
			return nil
		},
	}
}

// toolsErrorReports flattens joined errors into one report per problem.
func toolsErrorReports(err error) []toolErrorReport {
	var out []toolErrorReport
	var walk func(error)
	walk = func(e error) {
		if multi, ok := e.(interface{ Unwrap() []error }); ok {
			for _, sub := range multi.Unwrap() {
				walk(sub)
			}
			return
		}
		var te *tool.Error
		if errors.As(e, &te) {
			out = append(out, toolErrorReport{File: te.File, Tool: te.Tool, Field: te.Field, Message: te.Message, Fix: te.Fix})
			return
		}
		out = append(out, toolErrorReport{Message: e.Error()})
	}
	walk(err)
	return out
}

// toolsFormatError renders a problem for a person; the file is named only when it is not
// the one being reported on (a file inside a directory).
func toolsFormatError(e toolErrorReport, file string) string {
	te := tool.Error{File: e.File, Tool: e.Tool, Field: e.Field, Message: e.Message, Fix: e.Fix}
	if te.File == file {
		te.File = ""
	}
	return te.Error()
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
result is checked (names, schemas) before anything is written.`,
		Example: `  planwise tools import ../shared/data/taskbench/dailylifeapis/tool_desc.json -o tools/dailylife.yaml
  planwise tools import --format openai functions.json -o tools/functions.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := tool.ParseFormat(formatName)
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			file := args[0]
			data, err := readToolFile(file)
			if err != nil {
				return err
			}
			tools, err := tool.Parse(data, file, format)
			if err != nil {
				return err
			}
			reg, err := tool.NewRegistry(tools...)
			if err != nil {
				return err
			}
			detected := toolsDetectedFormat(tools, file)
			header := fmt.Sprintf("Imported by `planwise tools import --format %s` from %s (%s format).\n"+
				"%d tools; content version %s (of these tools alone). Formatting and key order do not change it.",
				format, file, detected, reg.Len(), reg.Version())
			var buf bytes.Buffer
			if err := tool.WriteYAML(&buf, tools, header); err != nil {
				return err
			}
			if output == "" || output == "-" {
				_, err := a.Out.Write(buf.Bytes())
				return err
			}
			if err := toolsWriteFileAtomic(output, buf.Bytes()); err != nil {
				return err
			}
			if a.JSON {
				return toolsWriteJSON(a.Out, map[string]any{
					"file": file, "format": detected, "output": output, "tools": reg.Len(), "version": reg.Version(),
				})
			}
			fmt.Fprintf(a.Out, "imported %d tools from %s (%s) into %s; registry version %s\n",
				reg.Len(), file, detected, output, reg.Version())
			return nil
		},
	}
	cmd.Flags().StringVar(&formatName, "format", "auto", "input format: auto, taskbench, nestful, openai or planwise")
	cmd.Flags().StringVarP(&output, "output", "o", "", "output YAML file (default: standard output)")
	return cmd
}

func readToolFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, tool.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > tool.MaxFileSize {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, tool.MaxFileSize>>20)
	}
	return data, nil
}

// toolsDetectedFormat names the format the tools were read in, from their Source.
func toolsDetectedFormat(tools []*tool.Tool, file string) string {
	seen := map[string]bool{}
	var names []string
	for _, t := range tools {
		f := string(tool.FormatPlanwise)
		if kind, _, ok := strings.Cut(t.Source, ":"); ok && t.Source != file {
			f = kind
		}
		if !seen[f] {
			seen[f] = true
			names = append(names, f)
		}
	}
	return strings.Join(names, "+")
}

// toolsWriteFileAtomic writes data next to path and renames it into place, so a failed import
// never leaves a half-written tool file.
func toolsWriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(name)
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Chmod(name, 0o644); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}

func toolsWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func toolsCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
