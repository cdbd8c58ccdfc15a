package execute

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/planwise/planwise/tool"
)

// SimulatedRunner runs tools that are not really called: catalogs such as TaskBench's,
// and every tool in a dry run. The output is, in order of preference: the tool's
// declared RunSpec.Output; a value generated from its output schema, deterministically
// (the same tool and arguments always give the same output: strings shaped by the
// field's name and format, numbers, arrays of 1-3 elements); or
// {"ok": true, "tool": name, "args": args}. Steps run this way are marked Simulated.
type SimulatedRunner struct{}

// Run returns the simulated output.
func (SimulatedRunner) Run(ctx context.Context, t *tool.Tool, args map[string]any) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if t.Run != nil && t.Run.Output != nil {
		return normalize(t.Run.Output)
	}
	if len(t.OutputSchema) > 0 {
		s, err := tool.ParseSchema(t.OutputSchema)
		if err == nil && s != nil {
			g := &generator{rng: rand.New(rand.NewPCG(seed(t.Name, args)))}
			return g.value(s, "", 0), nil
		}
	}
	return map[string]any{"ok": true, "tool": t.Name, "args": args}, nil
}

// seed hashes the tool name and the canonical JSON of the arguments.
func seed(name string, args map[string]any) (uint64, uint64) {
	h := fnv.New64a()
	h.Write([]byte(name))
	h.Write([]byte{0})
	b, _ := json.Marshal(args) // map keys are sorted: canonical
	h.Write(b)
	s := h.Sum64()
	return s, s ^ 0x9e3779b97f4a7c15
}

type generator struct{ rng *rand.Rand }

const maxSimDepth = 8

func (g *generator) value(s *tool.Schema, name string, depth int) any {
	if s == nil || depth > maxSimDepth {
		return g.str(name, "")
	}
	if len(s.Enum) > 0 {
		return s.Enum[g.rng.IntN(len(s.Enum))]
	}
	if s.Default != nil {
		return s.Default
	}
	typ := s.PrimaryType()
	if typ == "" && len(s.AnyOf) > 0 {
		return g.value(s.AnyOf[0], name, depth+1)
	}
	if typ == "" && len(s.OneOf) > 0 {
		return g.value(s.OneOf[0], name, depth+1)
	}
	if typ == "" && len(s.Properties) > 0 {
		typ = "object"
	}
	switch typ {
	case "object":
		m := make(map[string]any, len(s.Properties))
		for _, k := range s.PropOrder {
			m[k] = g.value(s.Properties[k], k, depth+1)
		}
		return m
	case "array":
		n := 1 + g.rng.IntN(3)
		a := make([]any, n)
		for i := range a {
			a[i] = g.value(s.Items, singular(name), depth+1)
		}
		return a
	case "integer":
		return int64(1 + g.rng.IntN(100))
	case "number":
		return math.Round(g.rng.Float64()*10000) / 100
	case "boolean":
		return g.rng.IntN(2) == 1
	case "null":
		return nil
	}
	return g.str(name, s.Format)
}

func singular(name string) string {
	if strings.HasSuffix(name, "ies") {
		return strings.TrimSuffix(name, "ies") + "y"
	}
	return strings.TrimSuffix(name, "s")
}

// str invents a string shaped by the field's format or name.
func (g *generator) str(name, format string) string {
	tag := fmt.Sprintf("%04x", g.rng.IntN(1<<16))
	n := strings.ToLower(name)
	switch {
	case format == "date" || n == "date" || strings.HasSuffix(n, "_date"):
		return fmt.Sprintf("2026-%02d-%02d", 1+g.rng.IntN(12), 1+g.rng.IntN(28))
	case format == "date-time" || strings.Contains(n, "timestamp") || strings.HasSuffix(n, "_at"):
		return fmt.Sprintf("2026-%02d-%02dT%02d:%02d:00Z", 1+g.rng.IntN(12), 1+g.rng.IntN(28), g.rng.IntN(24), g.rng.IntN(60))
	case format == "time" || n == "time":
		return fmt.Sprintf("%02d:%02d", g.rng.IntN(24), g.rng.IntN(60))
	case format == "email" || strings.Contains(n, "email"):
		return "user" + tag + "@example.com"
	case format == "uri" || format == "url" || strings.Contains(n, "url") || strings.Contains(n, "link"):
		return "https://example.com/" + tag
	case strings.Contains(n, "image"):
		return "image_" + tag + ".jpg"
	case strings.Contains(n, "audio"):
		return "audio_" + tag + ".wav"
	case strings.Contains(n, "video"):
		return "video_" + tag + ".mp4"
	case strings.Contains(n, "file") || strings.Contains(n, "path"):
		return "file_" + tag + ".txt"
	case strings.Contains(n, "id"):
		return "id-" + tag
	case n == "":
		return "simulated-" + tag
	}
	return "simulated " + strings.ReplaceAll(n, "_", " ") + " " + tag
}
