package routeeval

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// replayDomains replays each domain with its own analyzer and names the domain that
// failed; its reports print as one report for one domain and as a list for several.
func TestReplayDomains(t *testing.T) {
	if testing.Short() {
		t.Skip("replay runs the planner against the simulator (a few seconds)")
	}
	d, err := loadDomain(taskbenchDir(t, "dailylifeapis"), "")
	if err != nil {
		t.Fatal(err)
	}
	var started []string
	cfg := ReplayConfig{Requests: 12, MiniFail: DefaultMiniFail(), StrongFail: DefaultStrongFail, Seed: 1}
	reps, err := replayDomains(context.Background(), []*Domain{d, d}, cfg, func(d *Domain) { started = append(started, d.Name) })
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 2 || len(started) != 2 || started[0] != d.Name || reps[0].Requests != 12 || reps[0].Routed.Requests != 12 {
		t.Fatalf("started %v, reports %d, first %+v", started, len(reps), reps[0])
	}
	b, _ := json.Marshal(reps)
	var several struct {
		Domains []ReplayReport `json:"domains"`
	}
	if err := json.Unmarshal(b, &several); err != nil || len(several.Domains) != 2 || several.Domains[1].Domain != d.Name {
		t.Errorf("two domains as JSON: %s", b)
	}
	b, _ = json.Marshal(reps[:1])
	var one ReplayReport
	if err := json.Unmarshal(b, &one); err != nil || one.Domain != d.Name || one.Requests != 12 {
		t.Errorf("one domain as JSON: %s", b)
	}
	var text bytes.Buffer
	reps.WriteText(&text)
	if strings.Count(text.String(), d.Name+": 12 requests") != 2 {
		t.Errorf("text: %q", text.String())
	}
	cfg.StrongFail = 2
	if _, err := replayDomains(context.Background(), []*Domain{d}, cfg, nil); err == nil || !strings.HasPrefix(err.Error(), d.Name+": ") {
		t.Errorf("a bad probability: %v, want an error naming the domain", err)
	}
}
