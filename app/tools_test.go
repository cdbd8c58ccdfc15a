package app_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/tool"
)

// Tools are the built-ins (when asked for and not switched off), then the configured
// tool paths, then Options.Tools: what the registry holds before the MCP servers'.
func TestToolsBuiltinsThenPaths(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	configured := write("a.yaml", "- name: tool_a\n  description: First tool.\n  input_schema: {type: object, properties: {x: {type: integer}}}\n")
	flagged := write("b.yaml", "- name: tool_b\n  description: Second tool.\n  input_schema: {type: object, properties: {y: {type: string}}}\n")
	names := func(ts []*tool.Tool) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Name)
		}
		return out
	}
	builtins := names(tool.Builtins())
	for _, tc := range []struct {
		builtins, noBuiltins bool
		want                 []string
	}{
		{true, false, append(slices.Clone(builtins), "tool_a", "tool_b")},
		{false, false, []string{"tool_a", "tool_b"}},
		{true, true, []string{"tool_a", "tool_b"}},
	} {
		cfg := sqliteConfig(t)
		cfg.Tools.Paths, cfg.Tools.NoBuiltins = []string{configured}, tc.noBuiltins
		a, err := app.New(context.Background(), cfg, app.Options{Tools: []string{flagged}, Stderr: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		ts, err := a.Tools(tc.builtins)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.ToolPaths(); !slices.Equal(got, []string{configured, flagged}) {
			t.Errorf("tool paths %v, want the configured then the flagged", got)
		}
		if got := names(ts); !slices.Equal(got, tc.want) {
			t.Errorf("builtins %v, no_builtins %v: %v, want %v", tc.builtins, tc.noBuiltins, got, tc.want)
		}
		if tc.builtins {
			reg, err := a.Registry()
			if err != nil || reg.Len() != len(tc.want) {
				t.Errorf("the registry holds %d tools, want %d (%v)", reg.Len(), len(tc.want), err)
			}
		}
		a.Close()
	}
}
