package prompt_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/tool"
)

// TestReadToolsRoundTrip: what a model is sent (the system prompt's tool documentation
// and the response schema) carries every tool's name, description, arguments (name,
// type, required) and output fields, so that a simulator reading it plans over the same
// tools as the planner that wrote it.
func TestReadToolsRoundTrip(t *testing.T) {
	regs := map[string]*tool.Registry{"small": smallRegistry(t), "dailylife": dailyLifeRegistry(t)}
	builtins, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	regs["builtin"] = builtins
	for name, reg := range regs {
		b := prompt.NewBuilder(reg)
		pr, err := b.Build(prompt.Input{Request: "anything"})
		if err != nil {
			t.Fatal(err)
		}
		system := pr.Messages[0].Content
		generic, err := prompt.CompileGeneric(reg)
		if err != nil {
			t.Fatal(err)
		}
		for mode, schema := range map[string]*prompt.Schema{"compiled": pr.Schema, "generic": generic, "none": nil} {
			var raw []byte
			if schema != nil {
				raw = schema.JSON
			}
			got, err := prompt.ReadTools(raw, system)
			if err != nil {
				t.Fatalf("%s/%s: %v", name, mode, err)
			}
			if !reflect.DeepEqual(got.Names(), reg.Names()) {
				t.Fatalf("%s/%s: tools %v, want %v", name, mode, got.Names(), reg.Names())
			}
			for _, want := range reg.Tools() {
				have, _ := got.Get(want.Name)
				if have.Description != oneLineText(want.Description) {
					t.Errorf("%s/%s: %s description %q, want %q", name, mode, want.Name, have.Description, want.Description)
				}
				wp, hp := want.Params(), have.Params()
				if len(wp) != len(hp) {
					t.Errorf("%s/%s: %s params %v, want %v", name, mode, want.Name, hp, wp)
					continue
				}
				byName := map[string]tool.Param{}
				for _, p := range hp {
					byName[p.Name] = p
				}
				for _, p := range wp {
					h, ok := byName[p.Name]
					if !ok || h.Required != p.Required || (p.Type != "" && h.Type != p.Type && len(p.Enum) == 0) {
						t.Errorf("%s/%s: %s.%s = %+v, want %+v", name, mode, want.Name, p.Name, h, p)
					}
				}
				if diff := schemaDiff(reg.InputSchema(want.Name), got.InputSchema(want.Name), "args"); diff != "" {
					t.Errorf("%s/%s: %s: %s", name, mode, want.Name, diff)
				}
				if wo := reg.OutputSchema(want.Name); wo != nil && len(wo.PropOrder) > 0 {
					ho := got.OutputSchema(want.Name)
					if ho == nil || !reflect.DeepEqual(ho.PropOrder, wo.PropOrder) {
						t.Errorf("%s/%s: %s output %v, want fields %v", name, mode, want.Name, ho, wo.PropOrder)
					}
				}
			}
		}
	}
	if _, err := prompt.ReadTools(nil, "no tools here"); err == nil {
		t.Error("a prompt without tools was read as a registry")
	}
}

// schemaDiff compares what planning needs of two schemas: property names and required
// sets, nested objects and array items included.
func schemaDiff(want, got *tool.Schema, path string) string {
	if want == nil {
		return ""
	}
	if got == nil {
		return path + ": missing"
	}
	if !sameSet(want.PropOrder, got.PropOrder) {
		return fmt.Sprintf("%s: properties %v, want %v", path, got.PropOrder, want.PropOrder)
	}
	if !sameSet(want.Required, got.Required) {
		return fmt.Sprintf("%s: required %v, want %v", path, got.Required, want.Required)
	}
	for _, n := range want.PropOrder {
		if d := schemaDiff(want.Properties[n], got.Properties[n], path+"."+n); d != "" {
			return d
		}
	}
	return schemaDiff(want.Items, got.Items, path+"[]")
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func oneLineText(s string) string {
	out := []byte{}
	space := false
	for _, c := range []byte(s) {
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			space = len(out) > 0
			continue
		}
		if space {
			out = append(out, ' ')
			space = false
		}
		out = append(out, c)
	}
	return string(out)
}
