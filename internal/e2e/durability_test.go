package e2e

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/shareddata"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/store/postgres"
	"github.com/planwise/planwise/tool"
	_ "modernc.org/sqlite"
)

// The durability tests kill a server with SIGKILL in the middle of a burst of writes
// (cache entries stored from LLM plans, runs, feedback), then prove that every write the
// client saw acknowledged (a 2xx) is in the store, that the store is consistent, and that
// a restarted server serves from it. PLANWISE_DURABILITY_ITER sets the number of
// kill-restart rounds (default 2; 20 for the acceptance run).

// tagTool is a simulated tool whose argument the plans copy from the request: the cache's
// grounding guard then refuses to serve one request's plan for another, so every new
// request is an LLM plan and a cache write.
const tagTool = `[{"type": "function", "function": {"name": "tag_ticket", "description": "Tag the support ticket with a label",
  "parameters": {"type": "object", "properties": {"tag": {"type": "string", "description": "the label"}}, "required": ["tag"], "additionalProperties": false}}}]`

func durabilityIterations(t *testing.T) int {
	n := 2
	if v := os.Getenv("PLANWISE_DURABILITY_ITER"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("PLANWISE_DURABILITY_ITER=%q: want a positive integer", v)
		}
	}
	return n
}

// tagWord is the i-th label: letters only, so that it is no slot (numbers, dates...).
func tagWord(i int) string {
	const letters = "bcdfghjklmnpqrstvwxz"
	w := []byte("lbl")
	for i++; i > 0; i /= len(letters) {
		w = append(w, letters[i%len(letters)])
	}
	return string(w)
}

func tagRequest(i int) string { return "Tag the ticket as " + tagWord(i) }

// durabilitySim answers every tag request with its labelled plan.
func durabilitySim(t *testing.T, n int) string {
	t.Helper()
	g := map[string]*plan.Plan{}
	for i := range n {
		g[sim.NormalizeRequest(tagRequest(i))] = &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "tag_ticket", Args: map[string]any{"tag": tagWord(i)}}}}
	}
	s, err := sim.New(sim.Config{Gold: g})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	return srv.URL + "/v1"
}

// acks are the writes the client saw acknowledged.
type acks struct {
	mu       sync.Mutex
	entries  []string         // requests answered by the LLM and stored in the cache
	runs     []string         // run ids
	feedback map[string][]int // run id -> ratings acknowledged
	attempts int
}

// burst drives writes from several workers until the server stops answering, and
// records what was acknowledged.
func burst(base string, next *int, mu *sync.Mutex, a *acks) {
	client := &http.Client{Timeout: 10 * time.Second}
	post := func(path string, body any) (int, map[string]any, error) {
		b, _ := json.Marshal(body)
		res, err := client.Post(base+path, "application/json", bytes.NewReader(b))
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		raw, err := io.ReadAll(res.Body)
		if err != nil {
			return 0, nil, err // the answer was cut: not acknowledged
		}
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			return 0, nil, err
		}
		return res.StatusCode, out, nil
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			for {
				mu.Lock()
				i := *next
				*next++
				mu.Unlock()
				a.mu.Lock()
				a.attempts++
				a.mu.Unlock()
				var err error
				if rng.IntN(2) == 0 {
					var code int
					var out map[string]any
					code, out, err = post("/api/v1/plan", map[string]any{"request": tagRequest(i)})
					if err == nil && code == http.StatusOK && out["source"] == planner.SourceLLM && out["errors"] == nil {
						a.mu.Lock()
						a.entries = append(a.entries, tagRequest(i))
						a.mu.Unlock()
					}
				} else {
					var code int
					var out map[string]any
					code, out, err = post("/api/v1/runs?wait=true", map[string]any{"request": tagRequest(i)})
					if err == nil && code == http.StatusOK {
						id, _ := out["id"].(string)
						a.mu.Lock()
						a.runs = append(a.runs, id)
						if out["source"] == planner.SourceLLM && out["planning"] != nil {
							if p, _ := out["planning"].(map[string]any); p["errors"] == nil {
								a.entries = append(a.entries, tagRequest(i))
							}
						}
						a.mu.Unlock()
						rating := rng.IntN(2) // 0 or 1: a -1 would evict the entry
						code, _, err = post("/api/v1/runs/"+id+"/feedback", map[string]any{"rating": rating, "comment": "burst"})
						if err == nil && code == http.StatusOK {
							a.mu.Lock()
							a.feedback[id] = append(a.feedback[id], rating)
							a.mu.Unlock()
						}
					}
				}
				if err != nil {
					return // the server is gone
				}
			}
		}()
	}
	wg.Wait()
}

// storeState is what a store holds, read directly from its tables.
type storeState struct {
	entries  map[string]bool
	runs     map[string]bool
	feedback map[string][]int
}

func (s storeState) check(t *testing.T, a *acks, round int) {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, r := range a.entries {
		if !s.entries[r] {
			t.Errorf("round %d: acknowledged cache entry for %q is missing", round, r)
		}
	}
	for _, id := range a.runs {
		if !s.runs[id] {
			t.Errorf("round %d: acknowledged run %s is missing", round, id)
		}
	}
	for id, want := range a.feedback {
		got := s.feedback[id]
		if len(got) < len(want) {
			t.Errorf("round %d: run %s: %d feedback rows, %d acknowledged", round, id, len(got), len(want))
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("round %d: run %s: feedback %d is %d, acknowledged %d", round, id, i, got[i], want[i])
			}
		}
	}
}

// server is a running server process.
type serverProc struct {
	cmd  *exec.Cmd
	base string
}

var listening = regexp.MustCompile(`listening on (http://[0-9.:]+)`)

// startProc starts cmd and waits for its "listening on http://..." line.
func startProc(t *testing.T, cmd *exec.Cmd) *serverProc {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		defer close(found)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				io.Copy(io.Discard, out)
				return
			}
		}
	}()
	select {
	case base, ok := <-found:
		if ok {
			return &serverProc{cmd: cmd, base: base}
		}
		cmd.Wait()
		t.Fatalf("server exited before listening: %s", stderr.String())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("server did not start within 60 s: %s", stderr.String())
	}
	return nil
}

// kill sends SIGKILL and reaps the process.
func (p *serverProc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

// runDurability runs the kill-restart rounds against servers started by start and
// reads the store with read.
func runDurability(t *testing.T, start func() *serverProc, read func() storeState, integrity func()) {
	a := &acks{feedback: map[string][]int{}}
	var mu sync.Mutex
	next := 0
	rounds := durabilityIterations(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 1; round <= rounds; round++ {
		p := start()
		done := make(chan struct{})
		go func() { defer close(done); burst(p.base, &next, &mu, a) }()
		// Kill mid-burst, after a random 150-650 ms of writes.
		time.Sleep(time.Duration(150+rng.IntN(500)) * time.Millisecond)
		p.kill()
		<-done
		integrity()
		s := read()
		s.check(t, a, round)
		if t.Failed() {
			t.FailNow()
		}
		a.mu.Lock()
		t.Logf("round %d: %d requests sent; acknowledged so far: %d cache entries, %d runs, %d runs with feedback; all present",
			round, a.attempts, len(a.entries), len(a.runs), len(a.feedback))
		a.mu.Unlock()
	}
	// A restarted server serves the acknowledged entries from the store.
	p := start()
	defer p.kill()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.entries) == 0 || len(a.runs) == 0 {
		t.Fatalf("nothing was acknowledged (%d entries, %d runs): the test tested nothing", len(a.entries), len(a.runs))
	}
	res, err := http.Post(p.base+"/api/v1/plan", "application/json", strings.NewReader(`{"request":`+strconv.Quote(a.entries[0])+`}`))
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	res.Body.Close()
	if out["source"] != planner.SourceCache {
		t.Fatalf("after restart, %q answered from %v, want the cache", a.entries[0], out["source"])
	}
	res, err = http.Get(p.base + "/api/v1/runs/" + a.runs[len(a.runs)-1])
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("after restart, GET of an acknowledged run: %d", res.StatusCode)
	}
}

// childEnv is this process's environment without the variables planwise reads as
// configuration (every PLANWISE_* is a config key to it, and the test's own
// PLANWISE_TEST_POSTGRES_DSN would be refused as unknown) or that point it at a provider.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PLANWISE_") && !strings.HasPrefix(kv, "OPENAI_") {
			env = append(env, kv)
		}
	}
	return env
}

// moduleRoot is the directory holding go.mod.
func moduleRoot(t *testing.T) string {
	root, err := shareddata.Root()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestDurabilitySQLiteSIGKILL runs the real planwise serve binary on SQLite.
func TestDurabilitySQLiteSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the planwise binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "planwise")
	build := exec.Command("go", "build", "-o", bin, "./cmd/planwise")
	build.Dir = moduleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/planwise: %v\n%s", err, out)
	}
	tools := filepath.Join(dir, "tools.json")
	dbPath := filepath.Join(dir, "planwise.db")
	cfg := filepath.Join(dir, "planwise.yaml")
	simURL := durabilitySim(t, 100_000)
	os.WriteFile(tools, []byte(tagTool), 0o600)
	os.WriteFile(cfg, []byte(fmt.Sprintf("store:\n  driver: sqlite\n  path: %s\nllm:\n  base_url: %s\n  api_key: test\n", dbPath, simURL)), 0o600)
	start := func() *serverProc {
		cmd := exec.Command(bin, "serve", "--config", cfg, "--tools", tools, "--addr", "127.0.0.1:0")
		cmd.Env = childEnv()
		return startProc(t, cmd)
	}
	var db *sql.DB
	open := func() *sql.DB {
		if db == nil {
			var err error
			if db, err = sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(5000)"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
		}
		return db
	}
	integrity := func() {
		var res string
		if err := open().QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
			t.Fatalf("PRAGMA integrity_check = %q, %v", res, err)
		}
		rows, err := open().Query(`PRAGMA foreign_key_check`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		if rows.Next() {
			t.Fatal("PRAGMA foreign_key_check reports violations")
		}
	}
	runDurability(t, start, func() storeState { return readSQL(t, open()) }, integrity)
}

func readSQL(t *testing.T, db *sql.DB) storeState {
	s := storeState{entries: map[string]bool{}, runs: map[string]bool{}, feedback: map[string][]int{}}
	q := func(query string, each func(rows *sql.Rows) error) {
		rows, err := db.Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	q(`SELECT request FROM cache_entries`, func(r *sql.Rows) error {
		var v string
		err := r.Scan(&v)
		s.entries[v] = true
		return err
	})
	q(`SELECT id FROM runs`, func(r *sql.Rows) error {
		var v string
		err := r.Scan(&v)
		s.runs[v] = true
		return err
	})
	q(`SELECT run_id, rating FROM feedback ORDER BY id`, func(r *sql.Rows) error {
		var id string
		var rating int
		err := r.Scan(&id, &rating)
		s.feedback[id] = append(s.feedback[id], rating)
		return err
	})
	return s
}

// TestDurabilityPostgresSIGKILL runs the same rounds against PostgreSQL. The CLI does
// not open PostgreSQL yet, so the server process is this test binary re-executed as
// TestDurabilityServerProcess: the same planner, cache, run service and HTTP server that
// planwise serve wires, on store/postgres.
func TestDurabilityPostgresSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills server processes; skipped with -short")
	}
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	tools := filepath.Join(dir, "tools.json")
	os.WriteFile(tools, []byte(tagTool), 0o600)
	simURL := durabilitySim(t, 100_000)
	start := func() *serverProc {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDurabilityServerProcess$", "-test.v")
		cmd.Env = append(childEnv(), "PLANWISE_E2E_SERVER_PROCESS=1", "PLANWISE_E2E_DSN="+dsn,
			"PLANWISE_E2E_SIM="+simURL, "PLANWISE_E2E_TOOLS="+tools)
		return startProc(t, cmd)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	integrity := func() {
		// Foreign keys hold by construction; check that no run lost its steps half-way
		// (a run is written with its steps in one transaction).
		var orphans, stepless int
		if err := conn.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM feedback f LEFT JOIN runs r ON r.id = f.run_id WHERE r.id IS NULL),
			(SELECT count(*) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.id))`).Scan(&orphans, &stepless); err != nil {
			t.Fatal(err)
		}
		if orphans != 0 || stepless != 0 {
			t.Fatalf("inconsistent store: %d orphan feedback rows, %d runs without steps", orphans, stepless)
		}
	}
	read := func() storeState {
		s := storeState{entries: map[string]bool{}, runs: map[string]bool{}, feedback: map[string][]int{}}
		rows, _ := conn.Query(ctx, `SELECT request FROM cache_entries`)
		reqs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reqs {
			s.entries[r] = true
		}
		rows, _ = conn.Query(ctx, `SELECT id FROM runs`)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			s.runs[id] = true
		}
		rows, _ = conn.Query(ctx, `SELECT run_id, rating FROM feedback ORDER BY id`)
		type fb struct {
			RunID  string
			Rating int
		}
		fbs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[fb])
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fbs {
			s.feedback[f.RunID] = append(s.feedback[f.RunID], f.Rating)
		}
		return s
	}
	runDurability(t, start, read, integrity)
}

// TestDurabilityServerProcess is the server process of TestDurabilityPostgresSIGKILL;
// it does nothing unless started by it.
func TestDurabilityServerProcess(t *testing.T) {
	if os.Getenv("PLANWISE_E2E_SERVER_PROCESS") != "1" {
		t.Skip("the server process of TestDurabilityPostgresSIGKILL; runs only when started by it")
	}
	ctx := context.Background()
	loaded, err := tool.LoadPaths(os.Getenv("PLANWISE_E2E_TOOLS"))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(), loaded...)...)
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, os.Getenv("PLANWISE_E2E_DSN"))
	if err != nil {
		t.Fatal(err)
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := cache.NewContext(ctx, cache.Config{}, emb, db.CacheStore(fmt.Sprint(os.Getpid())))
	if err != nil {
		t.Fatal(err)
	}
	prov, err := openai.New(openai.Config{BaseURL: os.Getenv("PLANWISE_E2E_SIM"), APIKey: "test"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(reg,
		planner.WithLLM(planner.LLMConfig{Provider: llm.NewClient(prov, llm.ClientConfig{}), Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}),
		planner.WithCache(c))
	if err != nil {
		t.Fatal(err)
	}
	runs := planner.NewRuns(p, execute.New(reg), db.Runs(), nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("planwise listening on http://%s\n", ln.Addr())
	// Serves until the parent kills this process.
	t.Fatal(server.New(server.Config{}, p, server.WithRuns(runs)).Serve(ctx, ln, time.Second))
}
