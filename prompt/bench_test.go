package prompt_test

import (
	"testing"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/tool"
)

// The planner pays for Build and DecodePlan on every cache miss (mission target: planner
// overhead <= 1 ms median, provider time excluded); CompileSchema and NewBuilder run once
// per registry.

func BenchmarkBuild(b *testing.B) {
	reg := smallRegistry(b)
	bl := prompt.NewBuilder(reg)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := bl.Build(prompt.Input{Request: "Email bob@example.com the weather in Paris tomorrow."}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildRepair(b *testing.B) {
	reg := smallRegistry(b)
	bl := prompt.NewBuilder(reg)
	bad, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"send_email","args":{"body":"${s7.x}"}}]}`))
	verr := plan.Validate(bad, reg)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := bl.Build(prompt.Input{Request: "mail it", Repair: &prompt.Repair{Previous: string(bad.JSON()), Err: verr}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePlanPinned(b *testing.B) {
	reg := smallRegistry(b)
	s, _ := prompt.CompilePinned(reg)
	p, _ := plan.Parse([]byte(samplePlan))
	out, err := s.Encode(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := prompt.DecodePlan(out, prompt.ModePinned); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompileSchemaBuiltins(b *testing.B) {
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := prompt.CompileSchema(reg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewBuilderDailyLife(b *testing.B) {
	reg := dailyLifeRegistry(b)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := prompt.NewBuilder(reg).Version(""); err != nil {
			b.Fatal(err)
		}
	}
}
