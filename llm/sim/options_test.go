package sim_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/llm/sim"
)

func TestParseModelErrors(t *testing.T) {
	if m, err := sim.ParseModelErrors(nil); m != nil || err != nil {
		t.Errorf("no entries: %v %v, want nil", m, err)
	}
	m, err := sim.ParseModelErrors([]string{"default", "gpt-4o-mini=0.5, *=0.2"})
	if err != nil {
		t.Fatal(err)
	}
	want := sim.DefaultModelErrors()
	want["gpt-4o-mini"], want[""] = 0.5, 0.2
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got %v, want %v", m, want)
	}
	for _, bad := range []string{"gpt-4o", "gpt-4o=1.5", "gpt-4o=-0.1", "gpt-4o=x"} {
		_, err := sim.ParseModelErrors([]string{bad})
		if err == nil || !strings.HasPrefix(err.Error(), `"`+bad+`": want default or model=rate`) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestParseFaultRulesAndScripts(t *testing.T) {
	rules, err := sim.ParseFaultRules([]string{"429=0.2", "gpt-4o-mini:500=1"})
	want := []sim.FaultRule{{Kind: sim.Fault429, Prob: 0.2}, {Kind: sim.Fault500, Prob: 1, Model: "gpt-4o-mini"}}
	if err != nil || !reflect.DeepEqual(rules, want) {
		t.Errorf("rules: %v %v", rules, err)
	}
	if _, err := sim.ParseFaultRules([]string{"429=0.2", "teapot=0.5"}); err == nil {
		t.Error("an unknown fault kind was accepted")
	}
	if s, err := sim.ParseScripts(nil); s != nil || err != nil {
		t.Errorf("no scripts: %v %v, want nil", s, err)
	}
	s, err := sim.ParseScripts([]string{"m:429,none", "m:truncated", "500"})
	wantScript := map[string][]sim.FaultKind{"m": {sim.Fault429, sim.FaultNone, sim.FaultTruncated}, "": {sim.Fault500}}
	if err != nil || !reflect.DeepEqual(s, wantScript) {
		t.Errorf("scripts: %v %v", s, err)
	}
	if _, err := sim.ParseScripts([]string{"m:teapot"}); err == nil {
		t.Error("a script with an unknown kind was accepted")
	}
}

func TestLoadGoldFilesLaterFileWins(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	step := func(tool string) string {
		return `{"steps": [{"id": "s1", "tool": "` + tool + `", "args": {}}]}`
	}
	if err := os.WriteFile(a, []byte(`{"request": "Hello there", "plan": `+step("first")+"}\n"+`{"request": "only in a", "plan": `+step("a")+"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte(`{"request": "hello there", "plan": `+step("second")+"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	gold, err := sim.LoadGoldFiles(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(gold) != 2 || gold[sim.NormalizeRequest("hello there")].Steps[0].Tool != "second" || gold[sim.NormalizeRequest("only in a")] == nil {
		t.Errorf("got %v", gold)
	}
	if _, err := sim.LoadGoldFiles(a, filepath.Join(dir, "missing.jsonl")); err == nil {
		t.Error("a missing file was accepted")
	}
	if g, err := sim.LoadNestfulFiles(); err != nil || g == nil || len(g) != 0 {
		t.Errorf("no files: %v %v, want an empty data set", g, err)
	}
}

// Serve answers until its context ends, releases a hanging request and returns nil once
// the HTTP server has shut down.
func TestServeStopsWithItsContext(t *testing.T) {
	s, err := sim.New(sim.Config{HangLimit: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	resp, err := http.Get(base + "/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get(sim.HeaderSim) != "true" {
		t.Fatalf("models: %s %v", resp.Status, resp.Header)
	}
	// A hanging request in flight: Serve must release it rather than wait a minute.
	hung := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/chat/completions",
			strings.NewReader(`{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}`))
		req.Header.Set("X-Sim-Fault", "hang")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		hung <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().Faults[sim.FaultHang] == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the hanging request never arrived")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	<-hung
	if _, err := http.Get(base + "/v1/models"); err == nil {
		t.Error("still serving after Serve returned")
	}
	// A listener that fails makes Serve return its error.
	ln2, _ := net.Listen("tcp", "127.0.0.1:0")
	ln2.Close()
	if err := s.Serve(context.Background(), ln2); err == nil || errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve on a closed listener: %v", err)
	}
}
