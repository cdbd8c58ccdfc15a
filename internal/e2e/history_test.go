package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/store/sqlite"
)

// The history suite drives the real planwise binary with bursts of planning requests
// (new requests the simulated model plans, and repeats the cache answers) and checks
// the history records of the requests it answered: after a graceful stop (SIGTERM)
// every one is stored; after a SIGKILL right after the last answer, at most the records
// of the history queue's unflushed window are missing (history.flush_interval and
// history.max_unflushed bound it). PLANWISE_HISTORY_N and PLANWISE_HISTORY_CONC size
// the bursts (default 1,500 requests at concurrency 300).

// ack is a request answered with a plan: its request id and when the answer was read.
type ack struct {
	id string
	at time.Time
}

// planBurst sends n plan requests from conc workers, request i asking tagRequest(i mod
// distinct), and returns the 200s.
func planBurst(t *testing.T, base string, n, conc, distinct int) []ack {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	jobs := make(chan int)
	var (
		mu       sync.Mutex
		acks     []ack
		failures []string
	)
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for i := range jobs {
				body, _ := json.Marshal(map[string]any{"request": tagRequest(i % distinct)})
				res, err := client.Post(base+"/api/v1/plan", "application/json", bytes.NewReader(body))
				if err != nil {
					mu.Lock()
					failures = append(failures, err.Error())
					mu.Unlock()
					continue
				}
				raw, err := io.ReadAll(res.Body)
				res.Body.Close()
				var out struct {
					RequestID string `json:"request_id"`
				}
				mu.Lock()
				if err == nil && res.StatusCode == http.StatusOK && json.Unmarshal(raw, &out) == nil && out.RequestID != "" {
					acks = append(acks, ack{out.RequestID, time.Now()})
				} else {
					failures = append(failures, fmt.Sprintf("%d %s %v", res.StatusCode, raw, err))
				}
				mu.Unlock()
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d of %d plan requests failed, e.g. %s", len(failures), n, failures[0])
	}
	return acks
}

// missingRecords returns the answers of acks that have no history record in the SQLite
// store at path.
func missingRecords(t *testing.T, path string, acks []ack) []ack {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hs := db.HistoryStore()
	var missing []ack
	for _, a := range acks {
		if _, err := hs.GetRecord(ctx, a.id); errors.Is(err, history.ErrNotFound) {
			missing = append(missing, a)
		} else if err != nil {
			t.Fatal(err)
		}
	}
	return missing
}

// historyServer writes the configuration of a server on a new SQLite store planning
// with a simulated model, and returns the store's path and a function starting it.
func historyServer(t *testing.T, n int, extra string) (string, func() *serverProc) {
	bin := planwiseBinary(t)
	dir := t.TempDir()
	tools := filepath.Join(dir, "tools.json")
	dbPath := filepath.Join(dir, "planwise.db")
	cfg := filepath.Join(dir, "planwise.yaml")
	if err := os.WriteFile(tools, []byte(tagTool), 0o600); err != nil {
		t.Fatal(err)
	}
	yaml := fmt.Sprintf("store:\n  driver: sqlite\n  path: %s\nllm:\n  base_url: %s\n  api_key: test\n%s", dbPath, durabilitySim(t, n), extra)
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return dbPath, func() *serverProc {
		cmd := exec.Command(bin, "serve", "--config", cfg, "--tools", tools, "--addr", "127.0.0.1:0")
		cmd.Env, cmd.Dir = childEnv(), dir
		return startProc(t, cmd)
	}
}

// A graceful stop (SIGTERM) writes every history record the server acknowledged.
func TestHistoryFlushedOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals the planwise binary; skipped with -short")
	}
	n, conc := envInt(t, "PLANWISE_HISTORY_N", 1500), envInt(t, "PLANWISE_HISTORY_CONC", 300)
	path, start := historyServer(t, n, "")
	p := start()
	acks := planBurst(t, p.base, n, conc, n/2) // new requests, then the cache's hits of them
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("planwise serve after SIGTERM: %v", err)
		}
	case <-time.After(60 * time.Second):
		p.kill()
		t.Fatal("planwise serve did not stop within 60 s of SIGTERM")
	}
	if m := missingRecords(t, path, acks); len(m) != 0 {
		t.Fatalf("after SIGTERM, %d of %d acknowledged requests have no history record", len(m), len(acks))
	}
	t.Logf("%d requests at concurrency %d, SIGTERM: all %d acknowledged have their history record", n, conc, len(acks))
}

// A SIGKILL right after the last answer loses at most the history queue's unflushed
// window: at most history.max_unflushed records, all answered within about
// history.flush_interval of the kill (plus the write of a batch: writeSlack allows for
// an fsync on a busy machine). The 100 ms batches of before lost a median of 221 of
// 1,500 hits answered at 2,000-6,000 a second, 48.5 at 20 ms (BENCHMARKS.md).
func TestHistorySIGKILLLosesAtMostTheWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the planwise binary; skipped with -short")
	}
	const (
		flush      = 20 * time.Millisecond
		unflushed  = 1024
		writeSlack = 500 * time.Millisecond
	)
	n, conc := envInt(t, "PLANWISE_HISTORY_N", 1500), envInt(t, "PLANWISE_HISTORY_CONC", 300)
	path, start := historyServer(t, n, fmt.Sprintf("history:\n  flush_interval: %s\n  max_unflushed: %d\n", flush, unflushed))
	p := start()
	// The cache's hits are what a busy planner mostly answers, at thousands a second:
	// 50 requests planned first, then the burst of their repeats.
	planBurst(t, p.base, 50, 10, 50)
	began := time.Now()
	acks := planBurst(t, p.base, n, conc, 50)
	killed := time.Now()
	p.kill()
	took := killed.Sub(began)
	missing := missingRecords(t, path, acks)
	var oldest time.Duration
	for _, a := range missing {
		oldest = max(oldest, killed.Sub(a.at))
	}
	t.Logf("%d requests at concurrency %d in %.2fs (%.0f/s), SIGKILL after the last answer: %d of %d acknowledged have no history record, "+
		"the oldest answered %s before the kill", n, conc, took.Seconds(), float64(len(acks))/took.Seconds(), len(missing), len(acks), oldest.Round(time.Millisecond))
	if len(missing) > unflushed {
		t.Errorf("%d records lost, more than history.max_unflushed (%d)", len(missing), unflushed)
	}
	if oldest > flush+writeSlack {
		t.Errorf("a record answered %s before the kill was lost: past history.flush_interval (%s) and a batch's write", oldest, flush)
	}
}
