package historyeval

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/tool"
)

// dataDir returns ../shared/data, or skips the test.
func dataDir(t *testing.T) string { return shareddata.Shared(t) }

func TestCLINCAccuracyRisesWithHistory(t *testing.T) {
	path := filepath.Join(dataDir(t), "semcache", "clinc150", "data_full.json")
	data, err := dataset.LoadCLINC150(path)
	if err != nil {
		t.Fatal(err)
	}
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	rep, err := evalCLINC(context.Background(), data, emb, CLINCOptions{Sizes: []int{0, 200, 2000}, Limit: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Tools != 150 || rep.Queries != 300 || len(rep.Sizes) != 3 {
		t.Fatalf("report %+v", rep)
	}
	if s0 := rep.Sizes[0]; s0.Coverage != 0 || s0.Accuracy != rep.PatternAccuracy {
		t.Errorf("no history must equal the pattern planner: %+v vs %.3f", s0, rep.PatternAccuracy)
	}
	for i := 1; i < len(rep.Sizes); i++ {
		if rep.Sizes[i].Accuracy <= rep.Sizes[i-1].Accuracy {
			t.Errorf("accuracy did not rise: %+v", rep.Sizes)
		}
	}
	if last := rep.Sizes[2]; last.Accuracy <= rep.PatternAccuracy+0.05 || last.HistoryPrecision < 0.6 {
		t.Errorf("history 2000: %+v; pattern alone %.3f", last, rep.PatternAccuracy)
	}
	t.Logf("pattern %.3f; %+v", rep.PatternAccuracy, rep.Sizes)
}

func TestNESTFULLeaveOneOut(t *testing.T) {
	data := filepath.Join(dataDir(t), "nestful", "non-executable-sgd-data.json")
	samples, err := dataset.LoadNESTFUL(data)
	if err != nil {
		t.Fatal(err)
	}
	tools, err := tool.LoadPaths(dataset.NESTFULSpecPath(data))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := tool.NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	rep, err := evalNESTFUL(context.Background(), "sgd", samples, reg, emb, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Samples != len(samples) || rep.History.Samples != len(samples) || rep.Pattern.Samples != len(samples) {
		t.Fatalf("samples %d %d %d", rep.Samples, rep.History.Samples, rep.Pattern.Samples)
	}
	// Every plan returned is valid either way, and history never makes things worse on
	// average: it only answers when its guards pass.
	if rep.History.NodeF1 < rep.Pattern.NodeF1 || rep.Coverage == 0 {
		t.Errorf("history node-F1 %.3f vs pattern %.3f, coverage %.3f", rep.History.NodeF1, rep.Pattern.NodeF1, rep.Coverage)
	}
	t.Logf("node-F1 history+pattern %.3f, pattern %.3f, coverage %.3f", rep.History.NodeF1, rep.Pattern.NodeF1, rep.Coverage)
}
