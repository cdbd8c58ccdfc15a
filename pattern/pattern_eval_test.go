package pattern

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
	planq "github.com/planwise/planwise/query"
)

// TestNESTFULNodeF1 measures the pattern planner on both NESTFUL sets: node-F1 (an
// error or an invalid plan scores zero) when it refuses requests it can plan only in
// part (the default) and when it serves the planned part (PlanPartial), and the
// precision of the steps it serves (the share whose tool is one of the gold tools).
// Precision-first planning traded node-F1 for refusals (it was 0.70 / 0.69 when every
// clause that could not be planned was dropped silently): the floors below hold what
// the refusals left, and precision must stay high (docs/decisions.md, Right or refused).
func TestNESTFULNodeF1(t *testing.T) {
	data := sharedData(t)
	floors := map[string][3]float64{ // default node-F1, partial node-F1, step precision
		"executable":         {0.38, 0.50, 0.90},
		"non-executable-sgd": {0.43, 0.55, 0.90},
	}
	for _, set := range []string{"executable", "non-executable-sgd"} {
		t.Run(set, func(t *testing.T) {
			reg := loadRegistry(t, filepath.Join(data, "nestful", set+"-spec.json"))
			samples := loadNESTFUL(t, filepath.Join(data, "nestful", set+"-data.json"))
			p := NewPattern(reg, WithClock(testNow))
			var sum, sumPartial float64
			var planned, steps, right int
			for i, s := range samples {
				gold := s.goldNames()
				pl, err := p.Plan(context.Background(), planq.New(s.Input))
				var pred []string
				if err == nil {
					if verr := plan.Validate(pl, reg); verr != nil {
						t.Errorf("sample %d: invalid plan returned: %v", i, verr)
					} else {
						planned++
						for _, st := range pl.Steps {
							pred = append(pred, st.Tool)
						}
						left := map[string]int{}
						for _, g := range gold {
							left[g]++
						}
						for _, tl := range pred {
							steps++
							if left[tl] > 0 {
								left[tl]--
								right++
							}
						}
					}
				}
				f := nodeF1(pred, gold)
				sum += f
				ppl, _, perr := p.PlanPartial(context.Background(), planq.New(s.Input))
				var ppred []string
				if perr == nil {
					for _, st := range ppl.Steps {
						ppred = append(ppred, st.Tool)
					}
				}
				sumPartial += nodeF1(ppred, gold)
				if os.Getenv("PLANWISE_EVAL_VERBOSE") != "" {
					fmt.Printf("%.2f %s\n     gold %v\n     pred %v err=%v\n", f, s.Input, gold, pred, err)
				}
			}
			n := float64(len(samples))
			f1, partial, precision := sum/n, sumPartial/n, float64(right)/float64(max(steps, 1))
			t.Logf("NESTFUL %s: node-F1 %.3f (partial plans %.3f) over %d samples, %d planned, step precision %.3f (%d of %d)",
				set, f1, partial, len(samples), planned, precision, right, steps)
			fl := floors[set]
			if f1 < fl[0] || partial < fl[1] || precision < fl[2] {
				t.Errorf("node-F1 %.3f / partial %.3f / precision %.3f below the floors %v", f1, partial, precision, fl)
			}
		})
	}
}

// TestDailyLifeRequests plans TaskBench daily-life requests: the labelled sample must
// reach the gold tools, and every plan returned for the first requests of
// user_requests.json must validate.
func TestDailyLifeRequests(t *testing.T) {
	data := sharedData(t)
	reg := dailyLife(t)
	p := NewPattern(reg, WithClock(testNow))
	b, err := os.ReadFile(filepath.Join(data, "taskbench", "dailylifeapis", "user_requests.json"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	n, planned := 0, 0
	for _, line := range lines {
		var r struct {
			Request string `json:"user_request"`
		}
		if err := jsonUnmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		n++
		pl, err := p.Plan(context.Background(), planq.New(r.Request))
		if err == nil {
			planned++
			if verr := plan.Validate(pl, reg); verr != nil {
				t.Fatalf("invalid plan for %q: %v", r.Request, verr)
			}
		}
		if os.Getenv("PLANWISE_EVAL_VERBOSE") != "" && n <= 60 {
			fmt.Printf("%s\n", r.Request)
			if pl != nil {
				for _, st := range pl.Steps {
					fmt.Printf("    %s %s %v after=%v\n", st.ID, st.Tool, st.Args, st.After)
				}
			} else {
				fmt.Printf("    ERR %v\n", err)
			}
		}
	}
	t.Logf("daily-life user_requests: %d of %d planned, all valid", planned, n)

	// The labelled sample: gold tool names per request.
	b, err = os.ReadFile(filepath.Join(data, "taskbench", "dailylifeapis", "data.sample.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	lines = strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, line := range lines {
		var r struct {
			Instruction string `json:"instruction"`
			Nodes       []struct {
				Task string `json:"task"`
			} `json:"task_nodes"`
		}
		if err := jsonUnmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		var gold, pred []string
		for _, nd := range r.Nodes {
			gold = append(gold, nd.Task)
		}
		if pl, err := p.Plan(context.Background(), planq.New(r.Instruction)); err == nil {
			for _, st := range pl.Steps {
				pred = append(pred, st.Tool)
			}
		}
		f := nodeF1(pred, gold)
		sum += f
		t.Logf("sample node-F1 %.2f: gold %v pred %v", f, gold, pred)
	}
	f1 := sum / float64(len(lines))
	t.Logf("daily-life data.sample.jsonl: node-F1 %.3f over %d labelled requests", f1, len(lines))
	if f1 < 0.6 {
		t.Errorf("node-F1 %.3f on the labelled daily-life sample, want >= 0.6", f1)
	}
}

// TestTaskBenchMediaRequestsValidate plans every request of TaskBench's multimedia and
// huggingface domains (media tools chained by file and text references): whatever the
// planner returns must validate.
func TestTaskBenchMediaRequestsValidate(t *testing.T) {
	data := sharedData(t)
	for _, domain := range []string{"multimedia", "huggingface"} {
		reg := loadRegistry(t, filepath.Join(data, "taskbench", domain, "tool_desc.json"))
		p := NewPattern(reg, WithClock(testNow))
		b, err := os.ReadFile(filepath.Join(data, "taskbench", domain, "user_requests.json"))
		if err != nil {
			t.Fatal(err)
		}
		n, planned := 0, 0
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var r struct {
				Request string `json:"user_request"`
			}
			if err := jsonUnmarshal(line, &r); err != nil {
				t.Fatal(err)
			}
			n++
			pl, err := p.Plan(context.Background(), planq.New(r.Request))
			if err != nil {
				continue
			}
			planned++
			if verr := plan.Validate(pl, reg); verr != nil {
				t.Fatalf("%s: invalid plan for %q: %v", domain, r.Request, verr)
			}
		}
		t.Logf("%s user_requests: %d of %d planned, all valid", domain, planned, n)
	}
}
