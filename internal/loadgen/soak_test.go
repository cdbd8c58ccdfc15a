package loadgen_test

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/internal/loadgen"
	"github.com/planwise/planwise/tool"
)

// A short soak of planwise as app assembles it (AppTarget) against the simulator: every
// request is answered, plans come from the LLM stage and the cache, and stopping the
// target removes its store.
func TestSoakAgainstTheApp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	cfg := app.DefaultConfig()
	pw, err := app.New(context.Background(), &cfg, app.Options{Registry: reg, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	rep, err := loadgen.AppTarget{CacheCapacity: 100, HistoryPool: 100, Stderr: io.Discard}.Soak(context.Background(), pw, loadgen.SoakConfig{
		Load: loadgen.Config{Duration: time.Second, Concurrency: 2, Mix: "repeats=0.6,paraphrases=0.3,new=0.1",
			Timeout: 10 * time.Second, Seed: 1},
		MaxGoroutineGrowth: 25, MaxHeapGrowthMiB: 64,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) > 0 {
		t.Errorf("failures: %v", rep.Failures)
	}
	var text strings.Builder
	rep.WriteText(&text)
	if !strings.HasSuffix(text.String(), "\nsoak passed: every request answered, no growth beyond the bounds\n") {
		t.Errorf("a soak without failures does not say it passed:\n%s", text.String())
	}
	text.Reset()
	failed := &loadgen.SoakReport{Load: &loadgen.Report{}, Failures: []string{"goroutines grew", "live heap grew"}}
	failed.WriteText(&text)
	if strings.Contains(text.String(), "passed") {
		t.Errorf("a failed soak says it passed:\n%s", text.String())
	}
	text.Reset()
	if !failed.Failed(&text) || text.String() != "soak FAILED: goroutines grew\nsoak FAILED: live heap grew\n" {
		t.Errorf("Failed printed %q", text.String())
	}
	text.Reset()
	if rep.Failed(&text) || text.Len() != 0 {
		t.Errorf("a soak without failures: Failed printed %q", text.String())
	}
	if rep.Load.Requests == 0 || rep.Load.Status["200"] == 0 || rep.Load.Sources["llm"] == 0 || rep.SimRequests == 0 {
		t.Errorf("requests %d, status %v, sources %v, sim requests %d: want plans from the simulator",
			rep.Load.Requests, rep.Load.Status, rep.Load.Sources, rep.SimRequests)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("left behind in the temporary directory: %v", ents)
	}
	if cfg.Store.Driver != app.DefaultConfig().Store.Driver || cfg.LLM.BaseURL != "" {
		t.Error("Start changed the configuration it was given")
	}
}
