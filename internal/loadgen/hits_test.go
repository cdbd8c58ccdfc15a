package loadgen_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/loadgen"
)

// The trivial server answers a JSON body with its reply, refuses anything else, and
// stops with its context.
func TestServeTrivial(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- loadgen.ServeTrivial(ctx, ln, []byte(`{"ok":true}`)) }()
	url := "http://" + ln.Addr().String() + "/api/v1/plan"
	post := func(body string) (int, string) {
		res, err := http.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := post(`{"request": "x"}`); code != http.StatusOK || body != `{"ok":true}` {
		t.Errorf("JSON body: %d %q", code, body)
	}
	if code, _ := post(`not json`); code != http.StatusBadRequest {
		t.Errorf("not JSON: %d, want 400", code)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ServeTrivial: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ServeTrivial did not stop with its context")
	}
}

// The trivial server's process says where it listens in the line Hits waits for, and
// answers with the reply Hits gives it in its environment.
func TestTrivialChild(t *testing.T) {
	t.Setenv("PLANWISE_BENCH_REPLY", `{"plan":{"steps":[]}}`)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- loadgen.TrivialChild(ctx, pw) }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "trivial server listening on http://127.0.0.1:") {
		t.Fatalf("line %q, %v", line, err)
	}
	res, err := http.Post(strings.TrimSpace(strings.TrimPrefix(line, "trivial server listening on "))+"/api/v1/plan", "application/json", strings.NewReader(`{"request":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(b) != `{"plan":{"steps":[]}}` {
		t.Errorf("reply %q", b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("TrivialChild: %v", err)
	}
}

func TestHitsRejectsAnUnknownStore(t *testing.T) {
	_, err := loadgen.Hits(context.Background(), loadgen.HitsConfig{Store: "bogus"})
	want := `--store "bogus": use sqlite or memory`
	if _, lerr := exec.LookPath("wrk"); lerr != nil {
		want = "wrk is not installed"
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}
