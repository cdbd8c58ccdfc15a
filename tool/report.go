package tool

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
)

// The reports of `planwise tools list|validate|import`, for any program that lists,
// checks or converts tool files.

// Summary is one tool as `planwise tools list --json` prints it.
type Summary struct {
	Name         string          `json:"name"`
	Source       string          `json:"source"`
	Run          string          `json:"run"`
	Builtin      string          `json:"builtin,omitempty"`
	Description  string          `json:"description"`
	Params       []ParamSummary  `json:"params"`
	InputSchema  json.RawMessage `json:"input_schema,omitempty"`
	OutputSchema json.RawMessage `json:"output_schema,omitempty"`
}

// ParamSummary is one parameter of a Summary.
type ParamSummary struct {
	Name     string `json:"name"`
	Type     string `json:"type,omitempty"`
	Required bool   `json:"required"`
}

// Summaries returns a Summary of every tool of reg, in registry order.
func Summaries(reg *Registry) []Summary {
	rows := make([]Summary, 0, reg.Len())
	for _, t := range reg.Tools() {
		row := Summary{
			Name: t.Name, Source: t.Source, Run: t.RunKind(), Description: t.Description,
			Params: []ParamSummary{}, InputSchema: t.InputSchema, OutputSchema: t.OutputSchema,
		}
		if t.Run != nil {
			row.Builtin = t.Run.Builtin
		}
		for _, p := range t.Params() {
			row.Params = append(row.Params, ParamSummary{Name: p.Name, Type: p.Type, Required: p.Required})
		}
		rows = append(rows, row)
	}
	return rows
}

// WriteTable prints reg for people: each tool's name, where it came from, how it runs
// and a one-line description, then the count and the registry version.
func WriteTable(w io.Writer, reg *Registry) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSOURCE\tRUN\tDESCRIPTION")
	for _, t := range reg.Tools() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, displaySource(t.Source), t.RunKind(), firstLine(t.Description, 72))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d tools, registry version %s\n", reg.Len(), reg.Version())
	return err
}

// displaySource shortens long source paths for the table; --json keeps them whole.
func displaySource(s string) string {
	if s == "" {
		return "-"
	}
	kind, path, ok := strings.Cut(s, ":")
	if ok && !strings.ContainsAny(kind, `/\.`) {
		return kind + ":" + shortPath(path)
	}
	return shortPath(s)
}

func shortPath(p string) string {
	if len(p) <= 40 {
		return p
	}
	dir, file := filepath.Split(p)
	parent := filepath.Base(filepath.Clean(dir))
	return "…/" + filepath.Join(parent, file)
}

// firstLine is the first line of d, cut at a word boundary to at most max runes.
func firstLine(d string, max int) string {
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

// FileReport is the result of validating one file, as `planwise tools validate --json`
// prints it.
type FileReport struct {
	File   string        `json:"file"`
	OK     bool          `json:"ok"`
	Tools  []string      `json:"tools"`
	Errors []ErrorReport `json:"errors,omitempty"`
	Notes  []string      `json:"notes,omitempty"`
}

// ErrorReport is one problem of a FileReport.
type ErrorReport struct {
	File    string `json:"file,omitempty"`
	Tool    string `json:"tool,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

// ValidateFiles loads each file or directory, detects its format, compiles every schema
// and checks names, descriptions and run specs, judging a tool defined twice as LoadPaths
// does. A tool without a description is a problem: it loads, with a warning, but no
// request is planned with it. A name
// defined differently in two of the files is a problem, an identical copy (in one file
// or in two) is noted, as is a tool that would replace a built-in one. failed counts the
// invalid files.
func ValidateFiles(paths []string) (reports []FileReport, failed int) {
	builtin := map[string]bool{}
	for _, t := range Builtins() {
		builtin[t.Name] = true
	}
	reports = make([]FileReport, 0, len(paths))
	type definition struct {
		path string
		tool *Tool
	}
	definedIn := map[string]definition{}
	for _, path := range paths {
		rep := FileReport{File: path, Tools: []string{}}
		// As LoadPaths judges them: an identical copy is dropped (noted), a different
		// definition is a problem.
		tools, err := loadPath(path, func(e *Error) {
			if e.Field == "description" && e.Message == noDescription { // loads, but is never planned
				rep.Errors = append(rep.Errors, ErrorReport{File: e.File, Tool: e.Tool, Field: e.Field, Message: e.Message, Fix: e.Fix})
				return
			}
			rep.Notes = append(rep.Notes, noteOf(e))
		})
		if err != nil {
			rep.Errors = errorReports(err)
		}
		for _, t := range tools {
			rep.Tools = append(rep.Tools, t.Name)
			if prev, dup := definedIn[t.Name]; dup {
				if canonicalKey(prev.tool) == canonicalKey(t) {
					rep.Notes = append(rep.Notes, fmt.Sprintf("tool %q is defined identically in %s too; loading both keeps one", t.Name, prev.path))
					continue
				}
				rep.Errors = append(rep.Errors, ErrorReport{File: path, Tool: t.Name, Field: "name",
					Message: "duplicate tool name with a different definition (also defined in " + prev.path + ")",
					Fix:     "rename one of them or load only one of the files"})
				continue
			}
			definedIn[t.Name] = definition{path, t}
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
	return reports, failed
}

// noteOf words a loading warning as a note of its file's report: the tool, the field
// when it is not the name, the message and the fix.
func noteOf(e *Error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tool %q", e.Tool)
	if e.Field != "" && e.Field != "name" {
		fmt.Fprintf(&b, " %s", e.Field)
	}
	fmt.Fprintf(&b, ": %s", e.Message)
	if e.Fix != "" && e.Field != "name" {
		fmt.Fprintf(&b, " (fix: %s)", e.Fix)
	}
	return b.String()
}

// WriteValidation prints validation reports for people: OK or FAIL per file, then its
// problems and notes.
func WriteValidation(w io.Writer, reports []FileReport) {
	for _, rep := range reports {
		if rep.OK {
			fmt.Fprintf(w, "OK    %s: %s\n", rep.File, countOf(len(rep.Tools), "tool"))
		} else {
			fmt.Fprintf(w, "FAIL  %s: %s\n", rep.File, countOf(len(rep.Errors), "problem"))
			for _, e := range rep.Errors {
				fmt.Fprintf(w, "  - %s\n", formatError(e, rep.File))
			}
		}
		for _, n := range rep.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
	}
}

// errorReports flattens joined errors into one report per problem.
func errorReports(err error) []ErrorReport {
	var out []ErrorReport
	var walk func(error)
	walk = func(e error) {
		if multi, ok := e.(interface{ Unwrap() []error }); ok {
			for _, sub := range multi.Unwrap() {
				walk(sub)
			}
			return
		}
		var te *Error
		if errors.As(e, &te) {
			out = append(out, ErrorReport{File: te.File, Tool: te.Tool, Field: te.Field, Message: te.Message, Fix: te.Fix})
			return
		}
		out = append(out, ErrorReport{Message: e.Error()})
	}
	walk(err)
	return out
}

// formatError renders a problem for a person; the file is named only when it is not
// the one being reported on (a file inside a directory).
func formatError(e ErrorReport, file string) string {
	te := Error{File: e.File, Tool: e.Tool, Field: e.Field, Message: e.Message, Fix: e.Fix}
	if te.File == file {
		te.File = ""
	}
	return te.Error()
}

func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Imported is a catalog converted into a planwise YAML tool file by Import.
type Imported struct {
	// Format names the format the tools were read in ("taskbench", "planwise+openai").
	Format   string
	Registry *Registry
	// YAML is the planwise tool file, headed by where it came from and its version.
	YAML []byte
}

// Import reads a tool catalog file in format (FormatAuto detects it), checks it (names,
// schemas) and converts it into a planwise YAML tool file that can be reviewed, edited
// and loaded. Imported tools run simulated until given a run spec.
func Import(file string, format Format) (*Imported, error) {
	data, err := readToolFile(file)
	if err != nil {
		return nil, err
	}
	tools, err := Parse(data, file, format)
	if err != nil {
		return nil, err
	}
	reg, err := NewRegistry(tools...)
	if err != nil {
		return nil, err
	}
	detected := detectedFormat(tools, file)
	header := fmt.Sprintf("Imported by `planwise tools import --format %s` from %s (%s format).\n"+
		"%d tools; content version %s (of these tools alone). Formatting and key order do not change it.",
		format, file, detected, reg.Len(), reg.Version())
	var buf bytes.Buffer
	if err := WriteYAML(&buf, tools, header); err != nil {
		return nil, err
	}
	return &Imported{Format: detected, Registry: reg, YAML: buf.Bytes()}, nil
}

// ImportReport is what `planwise tools import -o FILE` reports of the tool file it
// wrote (ImportFile).
type ImportReport struct {
	File    string `json:"file"`    // the catalog read
	Format  string `json:"format"`  // the format it was read in (Imported.Format)
	Output  string `json:"output"`  // the tool file written
	Tools   int    `json:"tools"`   // how many tools it holds
	Version string `json:"version"` // their registry version
}

// ImportFile imports file (Import) and writes the tool file to output
// (writeFileAtomic: nothing is written when the import fails).
func ImportFile(file string, format Format, output string) (*ImportReport, error) {
	imp, err := Import(file, format)
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(output, imp.YAML); err != nil {
		return nil, err
	}
	return &ImportReport{File: file, Format: imp.Format, Output: output, Tools: imp.Registry.Len(), Version: imp.Registry.Version()}, nil
}

// WriteText prints the report for people: one line.
func (r *ImportReport) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "imported %d tools from %s (%s) into %s; registry version %s\n", r.Tools, r.File, r.Format, r.Output, r.Version)
	return err
}

func readToolFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, MaxFileSize>>20)
	}
	return data, nil
}

// detectedFormat names the format the tools were read in, from their Source.
func detectedFormat(tools []*Tool, file string) string {
	seen := map[string]bool{}
	var names []string
	for _, t := range tools {
		f := string(FormatPlanwise)
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

// writeFileAtomic writes data next to path and renames it into place (mode 0644), so a
// failed write never leaves a half-written file.
func writeFileAtomic(path string, data []byte) error {
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
