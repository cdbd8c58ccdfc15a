package e2e

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/internal/testhome"
)

// The runs suite drives the real planwise binary as a client would: bursts of
// asynchronous runs, every acknowledged id read back until it ends; then runs
// acknowledged and the server killed with SIGKILL at once, restarted on the same data,
// and every acknowledged id read back (never a 404; runs that were in flight end as
// interrupted). PLANWISE_RUNS_N and PLANWISE_RUNS_CONC size the first burst (default
// 600 runs at concurrency 150; the acceptance figures in BENCHMARKS.md use 1,500 at 300).

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

// planwiseBinary builds ./cmd/planwise once per test process.
func planwiseBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "planwise-e2e-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "planwise")
		build := exec.Command("go", "build", "-o", binPath, "./cmd/planwise")
		build.Dir = moduleRoot(t)
		if out, err := build.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build ./cmd/planwise: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// TestMain gives the tests, and every planwise process they start, a HOME and data
// directory of their own (package testhome): a server started without store.path keeps
// its store in the data directory, which must never be the user's. The server process
// of TestDurabilityPostgresSIGKILL (this binary again, killed with SIGKILL) has its
// parent's.
func TestMain(m *testing.M) {
	var code int
	if os.Getenv("PLANWISE_E2E_SERVER_PROCESS") == "1" {
		code = m.Run()
	} else {
		code = testhome.Run(m)
	}
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

// slowTarget answers after d: runs that call it stay in flight that long.
func slowTarget(t *testing.T, d time.Duration) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
		w.Write([]byte(`{"ok": true}`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// runsServer starts planwise serve with the given store section (YAML) and returns a
// function that starts it again on the same data.
func runsServer(t *testing.T, storeYAML string) func() *serverProc {
	bin := planwiseBinary(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "planwise.yaml")
	// The HTTP tool may call the test's loopback target; no LLM (offline).
	yaml := storeYAML + "execute:\n  allow_hosts: [\"127.0.0.1\"]\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return func() *serverProc {
		cmd := exec.Command(bin, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
		cmd.Env = childEnv()
		cmd.Dir = dir
		return startProc(t, cmd)
	}
}

type runAcks struct {
	mu       sync.Mutex
	ids      []string
	refused  int // 503 with Retry-After
	failures []string
}

// postRuns sends n runs of body from conc workers and records the acknowledged ids.
func postRuns(base string, n, conc int, body []byte) *runAcks {
	a := &runAcks{}
	client := &http.Client{Timeout: 30 * time.Second}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for range jobs {
				res, err := client.Post(base+"/api/v1/runs", "application/json", bytes.NewReader(body))
				if err != nil {
					a.mu.Lock()
					a.failures = append(a.failures, err.Error())
					a.mu.Unlock()
					continue
				}
				raw, err := io.ReadAll(res.Body)
				res.Body.Close()
				var out struct {
					ID     string `json:"id"`
					Status string `json:"status"`
				}
				a.mu.Lock()
				switch {
				case err != nil:
					a.failures = append(a.failures, "reading the answer: "+err.Error())
				case res.StatusCode == http.StatusAccepted && json.Unmarshal(raw, &out) == nil && out.ID != "":
					a.ids = append(a.ids, out.ID)
				case res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") != "":
					a.refused++
				default:
					a.failures = append(a.failures, fmt.Sprintf("%d %s", res.StatusCode, raw))
				}
				a.mu.Unlock()
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return a
}

// runStatus reads a run: its HTTP status and the run's status.
func runStatus(client *http.Client, base, id string) (int, string, error) {
	res, err := client.Get(base + "/api/v1/runs/" + id)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	var out struct {
		Status string `json:"status"`
	}
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, "", err
	}
	json.Unmarshal(raw, &out)
	return res.StatusCode, out.Status, nil
}

// awaitFinal polls every id until it has a final status (within timeout) and returns
// the count per status; a 404 fails the test at once.
func awaitFinal(t *testing.T, base string, ids []string, timeout time.Duration) map[string]int {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	counts := map[string]int{}
	deadline := time.Now().Add(timeout)
	for _, id := range ids {
		for {
			code, status, err := runStatus(client, base, id)
			if err == nil && code == http.StatusNotFound {
				t.Fatalf("acknowledged run %s: GET answered 404", id)
			}
			if err == nil && code == http.StatusOK && !execute.InFlight(status) {
				counts[status]++
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("run %s still %q (HTTP %d, %v) after %s", id, status, code, err, timeout)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return counts
}

func calcRunBody() []byte {
	return []byte(`{"plan": {"steps": [{"id": "s1", "tool": "calculate", "args": {"expression": "6*7"}}]}}`)
}

func slowRunBody(url string) []byte {
	return []byte(`{"plan": {"steps": [{"id": "s1", "tool": "http_request", "args": {"url": "` + url + `/slow"}},` +
		`{"id": "s2", "tool": "calculate", "args": {"expression": "1+1"}, "after": ["s1"]}]}}`)
}

// checkRuns is the suite: a burst where every acknowledged run succeeds, then a kill
// right after acknowledgements and a restart where none is lost.
func checkRuns(t *testing.T, start func() *serverProc) {
	n, conc := envInt(t, "PLANWISE_RUNS_N", 600), envInt(t, "PLANWISE_RUNS_CONC", 150)
	p := start()
	began := time.Now()
	a := postRuns(p.base, n, conc, calcRunBody())
	if len(a.failures) > 0 {
		t.Fatalf("%d of %d run requests failed, e.g. %s", len(a.failures), n, a.failures[0])
	}
	if len(a.ids) < n/2 {
		t.Fatalf("only %d of %d runs acknowledged (%d refused with 503)", len(a.ids), n, a.refused)
	}
	counts := awaitFinal(t, p.base, a.ids, 2*time.Minute)
	if counts[execute.RunSucceeded] != len(a.ids) {
		t.Fatalf("of %d acknowledged runs: %v; want all succeeded", len(a.ids), counts)
	}
	t.Logf("burst: %d runs at concurrency %d: %d acknowledged, %d refused with 503, all %d succeeded (%.1fs)",
		n, conc, len(a.ids), a.refused, counts[execute.RunSucceeded], time.Since(began).Seconds())

	// Acknowledged, then killed at once: nothing acknowledged is lost.
	target := slowTarget(t, 3*time.Second)
	b := postRuns(p.base, 300, 50, slowRunBody(target))
	p.kill()
	if len(b.failures) > 0 {
		t.Fatalf("%d run requests failed before the kill, e.g. %s", len(b.failures), b.failures[0])
	}
	if len(b.ids) == 0 {
		t.Fatal("no run acknowledged before the kill: the test tested nothing")
	}
	p = start()
	defer p.kill()
	counts = awaitFinal(t, p.base, b.ids, 2*time.Minute)
	if counts[execute.RunInterrupted]+counts[execute.RunSucceeded] != len(b.ids) {
		t.Fatalf("after SIGKILL and restart, %d acknowledged runs: %v; want succeeded or interrupted", len(b.ids), counts)
	}
	if counts[execute.RunInterrupted] == 0 {
		t.Fatalf("after SIGKILL, no run was interrupted (%v): the kill did not catch runs in flight", counts)
	}
	t.Logf("SIGKILL right after %d acknowledgements (%d refused): after restart none 404, %v", len(b.ids), b.refused, counts)
}

func TestRunsAcknowledgedSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the planwise binary; skipped with -short")
	}
	dbPath := filepath.Join(t.TempDir(), "planwise.db")
	checkRuns(t, runsServer(t, fmt.Sprintf("store:\n  driver: sqlite\n  path: %s\n", dbPath)))
}

func TestRunsAcknowledgedPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the planwise binary; skipped with -short")
	}
	dsn := pgtest.DSN(t)
	// A short lease: runs of the killed process are interrupted within seconds.
	checkRuns(t, runsServer(t, fmt.Sprintf("store:\n  driver: postgres\n  dsn: %q\n  run_lease: 2s\n", dsn)))
}

// vmHWM is the peak resident set size of process pid, in KiB (Linux).
func vmHWM(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc/%d/status: %v", pid, err)
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			n, err := strconv.Atoi(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte("kB")))))
			if err != nil {
				t.Fatalf("VmHWM %q: %v", rest, err)
			}
			return n
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// MaxDoublingRSSMiB is the documented bound on the server's peak RSS while it refuses the
// doubling plan (BENCHMARKS.md).
const MaxDoublingRSSMiB = 160

// The ~25 KB plan that doubles a string through 22 steps (it grew a server to 1.47 GB at
// 18 steps) fails cleanly at the argument bound, and the server's peak RSS stays under
// the documented bound.
func TestDoublingPlanRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the planwise binary; skipped with -short")
	}
	// A simulated tool with no output schema answers {"ok", "tool", "args"}: its
	// output carries its argument, which the next step doubles.
	dir := t.TempDir()
	tools := filepath.Join(dir, "note.yaml")
	os.WriteFile(tools, []byte("- name: take_note\n  description: Write a note\n  input_schema: {type: object, properties: {text: {type: string}}, required: [text]}\n  run: {kind: simulated}\n"), 0o600)
	start := runsServer(t, fmt.Sprintf("store:\n  driver: sqlite\n  path: %s\ntools:\n  paths: [%q]\n", filepath.Join(dir, "planwise.db"), tools))
	p := start()
	defer p.kill()
	var b bytes.Buffer
	b.WriteString(`{"plan": {"steps": [{"id": "s1", "tool": "take_note", "args": {"text": "` + string(bytes.Repeat([]byte("x"), 24000)) + `"}}`)
	for i := 2; i <= 22; i++ {
		fmt.Fprintf(&b, `, {"id": "s%d", "tool": "take_note", "args": {"text": "${s%d.args.text}${s%d.args.text}"}}`, i, i-1, i-1)
	}
	b.WriteString("]}}")
	before := vmHWM(t, p.cmd.Process.Pid)
	res, err := http.Post(p.base+"/api/v1/runs?wait=true", "application/json", &b)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var out struct {
		Status string `json:"status"`
		Steps  []struct {
			ID, Status, Error string
		} `json:"steps"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", res.StatusCode, raw)
	}
	failed := ""
	for _, s := range out.Steps {
		if s.Status == execute.StepFailed {
			failed = s.ID + ": " + s.Error
			break
		}
	}
	if out.Status == execute.RunSucceeded || !bytes.Contains([]byte(failed), []byte("execute.max_arg_bytes")) {
		t.Fatalf("the doubling plan: status %s, first failure %q", out.Status, failed)
	}
	peak := vmHWM(t, p.cmd.Process.Pid)
	t.Logf("doubling plan: %s; first failure %q; server peak RSS %d -> %d MiB", out.Status, failed, before>>10, peak>>10)
	if peak>>10 > MaxDoublingRSSMiB {
		t.Fatalf("server peak RSS %d MiB, bound %d MiB", peak>>10, MaxDoublingRSSMiB)
	}
}

// /readyz checks the store: with the SQLite file corrupted under the server it is not
// ready (it answered 200 while runs and history answered 500).
func TestReadyzChecksTheStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the planwise binary; skipped with -short")
	}
	dbPath := filepath.Join(t.TempDir(), "planwise.db")
	start := runsServer(t, fmt.Sprintf("store:\n  driver: sqlite\n  path: %s\n", dbPath))
	p := start()
	defer p.kill()
	client := &http.Client{Timeout: 10 * time.Second}
	ready := func() (int, string) {
		res, err := client.Get(p.base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := ready(); code != http.StatusOK {
		t.Fatalf("readyz on a healthy store: %d %s", code, body)
	}
	a := postRuns(p.base, 50, 10, calcRunBody())
	awaitFinal(t, p.base, a.ids, time.Minute)
	// Move every page into the main file, then overwrite the root pages of the runs
	// tables there with garbage, as a failing disk would.
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	var busy, logFrames, done int
	if err := db.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: busy %d, %v", busy, err)
	}
	var pageSize int
	db.QueryRow(`PRAGMA page_size`).Scan(&pageSize)
	rows, err := db.Query(`SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name IN ('runs', 'run_steps')`)
	if err != nil {
		t.Fatal(err)
	}
	var roots []int
	for rows.Next() {
		var r int
		rows.Scan(&r)
		roots = append(roots, r)
	}
	rows.Close()
	db.Close()
	f, err := os.OpenFile(dbPath, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roots {
		if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, pageSize), int64(r-1)*int64(pageSize)); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	probe, _ := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(5000)")
	var n int
	perr := probe.QueryRow(`SELECT count(*) FROM runs NOT INDEXED`).Scan(&n)
	probe.Close()
	t.Logf("checkpoint %d/%d frames; roots %v page %d; a fresh connection counting runs: %d %v", done, logFrames, roots, pageSize, n, perr)
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, body := ready()
		if code == http.StatusServiceUnavailable {
			t.Logf("corrupted store: %d %s", code, body)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz with a corrupted store: %d %s", code, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
