package routeeval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/route"
)

// taskbenchDir returns ../shared/data/taskbench/<domain> or skips.
func taskbenchDir(t testing.TB, domain string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data", "taskbench", domain)
	if _, err := os.Stat(filepath.Join(dir, alignmentFile)); err != nil {
		t.Skipf("TaskBench data not found at %s (see ../shared/data/README.md): %v", dir, err)
	}
	return dir
}

func TestResult(t *testing.T) {
	var r Result
	for _, p := range [][2]route.Tier{
		{route.Simple, route.Simple}, {route.Simple, route.Moderate},
		{route.Moderate, route.Moderate}, {route.Moderate, route.Complex},
		{route.Complex, route.Moderate}, {route.Complex, route.Complex},
		{route.Complex, "unknown"}, // not counted
	} {
		r.Add(p[0], p[1])
	}
	want := [3][3]int{{1, 1, 0}, {0, 1, 1}, {0, 1, 1}}
	if r.Confusion != want || r.Samples != 6 {
		t.Fatalf("confusion %v samples %d, want %v and 6", r.Confusion, r.Samples, want)
	}
	// 3 right of 6; binary: simple->moderate is the only wrong one.
	if r.Accuracy != 0.5 || r.BinaryAccuracy != 5.0/6 {
		t.Errorf("accuracy %v binary %v, want 0.5 and 5/6", r.Accuracy, r.BinaryAccuracy)
	}
	var all Result
	all.Merge(r)
	all.Merge(r)
	if all.Samples != 12 || all.Accuracy != 0.5 || all.Confusion[2][2] != 2 {
		t.Errorf("merged %+v", all)
	}
}

func TestSplitIsDeterministicAndBalanced(t *testing.T) {
	var reqs []Request
	for i := range 5000 {
		reqs = append(reqs, Request{ID: strings.Repeat("x", i%7) + string(rune('a'+i%26)) + itoa(i)})
	}
	train, held := Split(reqs)
	if len(train)+len(held) != len(reqs) {
		t.Fatal("split lost requests")
	}
	if f := float64(len(held)) / float64(len(reqs)); f < 0.17 || f > 0.23 {
		t.Errorf("held-out fraction %.3f, want about 1/%d", f, heldOutMod)
	}
	for _, q := range held {
		if !Held(q.ID) {
			t.Fatalf("%s in held-out but Held false", q.ID)
		}
	}
	if Held("13590101") != Held("13590101") {
		t.Error("Held is not deterministic")
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestLoadDomainFixture(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(alignmentFile, `{"node_alignment_id": {"single": ["1", "9", "5"], "chain": ["2", "2"], "dag": ["3", "5"]}, "other": {"single": ["2"]}}`)
	write(requestsFile, `{"id": "3", "user_request": "Get the weather and the news, then email both"}
{"id": "1", "user_request": "Play a song"}

{"id": "2", "user_request": "Find a flight, then book it"}
{"id": "4", "user_request": "unlabelled"}
{"id": "5", "user_request": "labelled twice: single and dag"}
`)
	write(toolsFile, `{"nodes": [{"id": "play_song", "desc": "Play a song by title", "parameters": [{"name": "title", "type": "string", "desc": "song title"}]}]}`)
	d, err := loadDomain(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range d.Requests {
		got = append(got, q.ID+":"+q.Shape+":"+string(q.Gold))
	}
	if strings.Join(got, " ") != "1:single:simple 2:chain:moderate 3:dag:complex" {
		t.Errorf("requests %v", got)
	}
	if d.Ambiguous != 1 {
		t.Errorf("%d ambiguous ids, want 1 (id 5 is single and dag; id 2 twice chain is fine)", d.Ambiguous)
	}
	if d.Registry.Len() != 1 {
		t.Errorf("catalog has %d tools, want 1", d.Registry.Len())
	}
	if _, err := loadDomain(dir, "missing_filter"); err == nil || !strings.Contains(err.Error(), "node_alignment_id") {
		t.Errorf("unknown filter: err %v, want the list of filters", err)
	}
	ds, err := loadTaskBench(filepath.Dir(dir), "")
	if err != nil || len(ds) != 1 {
		t.Errorf("LoadTaskBench(root) = %d domains, %v", len(ds), err)
	}
	if _, err := loadTaskBench(t.TempDir(), ""); err == nil {
		t.Error("an empty directory loaded")
	}
}

// TestDailyLifeAccuracy checks the embedded model on the held-out daily-life requests
// against the mission's targets (3-class >= 0.75, single-vs-multi >= 0.95), and that it
// beats the seed heuristics.
func TestDailyLifeAccuracy(t *testing.T) {
	d, err := loadDomain(taskbenchDir(t, "dailylifeapis"), "")
	if err != nil {
		t.Fatal(err)
	}
	an, err := route.NewAnalyzer(Matcher(d.Registry))
	if err != nil {
		t.Fatal(err)
	}
	_, held := Split(d.Requests)
	r := score(an, held)
	seed := score(route.NewSeedAnalyzer(), held)
	t.Logf("held-out %d: accuracy %.3f binary %.3f; seed %.3f / %.3f", r.Samples, r.Accuracy, r.BinaryAccuracy, seed.Accuracy, seed.BinaryAccuracy)
	if r.Accuracy < 0.75 || r.BinaryAccuracy < 0.95 {
		t.Errorf("accuracy %.3f binary %.3f, want >= 0.75 and >= 0.95", r.Accuracy, r.BinaryAccuracy)
	}
	if r.Accuracy <= seed.Accuracy {
		t.Errorf("analyzer %.3f does not beat the seed heuristics %.3f", r.Accuracy, seed.Accuracy)
	}
}

// TestReplaySaving replays 40 daily-life requests routed and strong-only through the
// planner and the simulator and checks the mission's target: >= 30% cheaper at the
// same plan validity.
func TestReplaySaving(t *testing.T) {
	if testing.Short() {
		t.Skip("replay runs the planner against the simulator (a few seconds)")
	}
	d, err := loadDomain(taskbenchDir(t, "dailylifeapis"), "")
	if err != nil {
		t.Fatal(err)
	}
	an, err := route.NewAnalyzer(Matcher(d.Registry))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Replay(context.Background(), d, an, ReplayConfig{Requests: 40, MiniFail: DefaultMiniFail(), StrongFail: DefaultStrongFail, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("routed %+v", rep.Routed)
	t.Logf("strong %+v", rep.Strong)
	if rep.Requests != 40 || rep.Routed.Requests != 40 || rep.Strong.Requests != 40 {
		t.Fatalf("replayed %d/%d/%d requests, want 40", rep.Requests, rep.Routed.Requests, rep.Strong.Requests)
	}
	if rep.Strong.Calls[route.DefaultCheapModel] != 0 || rep.Strong.Calls[route.DefaultStrongModel] < 40 {
		t.Errorf("strong-only run calls %v: want gpt-4o for every request and nothing else", rep.Strong.Calls)
	}
	if rep.Routed.Calls[route.DefaultCheapModel] == 0 {
		t.Errorf("routed run calls %v: the cheap model was never used", rep.Routed.Calls)
	}
	if rep.Routed.Validity < rep.Strong.Validity-0.025 {
		t.Errorf("routed validity %.3f below strong-only %.3f", rep.Routed.Validity, rep.Strong.Validity)
	}
	if rep.Saving < 0.30 {
		t.Errorf("saving %.3f, want >= 0.30", rep.Saving)
	}
	// The quality model must bite: with the cheap model failing every chain and DAG,
	// the cascade has to escalate, and the routed run costs more.
	worse, err := Replay(context.Background(), d, an, ReplayConfig{Requests: 40, MiniFail: Quality{Moderate: 1, Complex: 1}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if worse.Routed.Escalated == 0 || worse.Routed.CostUSD <= rep.Routed.CostUSD {
		t.Errorf("a cheap model failing every multi-step request: %d escalations, cost %.4f vs %.4f", worse.Routed.Escalated, worse.Routed.CostUSD, rep.Routed.CostUSD)
	}
	if worse.Routed.Validity < worse.Strong.Validity-0.025 {
		t.Errorf("the cascade did not keep validity: routed %.3f strong %.3f", worse.Routed.Validity, worse.Strong.Validity)
	}
}

func TestChatRequest(t *testing.T) {
	body := `{"model": "gpt-4o-mini", "messages": [{"role": "system", "content": "tools"},
		{"role": "user", "content": "Plan this:\n<request>\nold\n</request>"}, {"role": "assistant", "content": "{}"},
		{"role": "user", "content": [{"type": "text", "text": "Fix it.\n<request>\nPlay a song\n</request>"}]}]}`
	model, req, ok := chatRequest([]byte(body))
	if !ok || model != "gpt-4o-mini" || req != "Play a song" {
		t.Errorf("chatRequest = %q %q %v, want the last user message's request", model, req, ok)
	}
	if _, _, ok := chatRequest([]byte(`{"model": "m", "messages": []}`)); ok {
		t.Error("a body without a user message was read")
	}
}

// BenchmarkAnalyzeTaskBench measures the analyzer with the pattern planner's clause
// matching over the daily-life catalog, on held-out requests.
func BenchmarkAnalyzeTaskBench(b *testing.B) {
	d, err := loadDomain(taskbenchDir(b, "dailylifeapis"), "")
	if err != nil {
		b.Fatal(err)
	}
	an, err := route.NewAnalyzer(Matcher(d.Registry))
	if err != nil {
		b.Fatal(err)
	}
	_, held := Split(d.Requests)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		an.Analyze(held[i%len(held)].Text)
	}
}
