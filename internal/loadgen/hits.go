package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// The hit-path benchmark: planwise serving cache hits against a trivial Go JSON server,
// measured side by side in one run with wrk, rounds alternated so that both sides see
// the same machine. The trivial server reads the same JSON body and answers a JSON plan
// of the same size from memory: the floor any Go HTTP service has on this machine.

// hitRequest is the cached request every wrk call sends.
const hitRequest = "calculate (12.5 + 7) * 3"

// HitSide is one side of a round: wrk's throughput and latency, and the server's CPU
// time per request.
type HitSide struct {
	Name     string  `json:"name"`
	RPS      float64 `json:"requests_per_second"`
	P50MS    float64 `json:"p50_ms"`
	P99MS    float64 `json:"p99_ms"`
	Errors   int     `json:"errors"`
	CPUPerRq float64 `json:"server_cpu_us_per_request,omitempty"`
}

// HitRound is one round: the trivial server, then planwise.
type HitRound struct {
	Trivial  HitSide `json:"trivial"`
	Planwise HitSide `json:"planwise"`
}

// HitReport is the outcome of Hits: every round and the median ratios of planwise to
// the trivial server.
type HitReport struct {
	Command  string     `json:"command"`
	Store    string     `json:"store"`
	Rounds   []HitRound `json:"rounds"`
	P99Ratio float64    `json:"p99_ratio_median"`
	RPSRatio float64    `json:"throughput_ratio_median"`
	// TargetMet: planwise's p99 <= 1.5x and throughput >= 0.8x the trivial server's
	// (median ratios), with no error answer on either side (a fast error is no hit).
	TargetMet bool `json:"target_met"`
	// ErrorAnswers counts wrk's non-2xx answers and socket errors over every round and
	// both sides.
	ErrorAnswers int    `json:"error_answers"`
	Threads      int    `json:"threads"`
	Connections  int    `json:"connections"`
	Duration     string `json:"duration"`
}

// TrivialHandler is the trivial server's handler: it decodes the JSON request body and
// answers body, from memory.
func TrivialHandler(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}

// ServeTrivial serves TrivialHandler(body) on ln until ctx is done.
func ServeTrivial(ctx context.Context, ln net.Listener, body []byte) error {
	srv := &http.Server{Handler: TrivialHandler(body), ReadHeaderTimeout: 10 * time.Second}
	stop := context.AfterFunc(ctx, func() { srv.Close() })
	defer stop()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}

// TrivialChild is the trivial server's process, which Hits starts as `planwise bench
// trivial-server`: it listens on a free loopback port, writes the "listening on" line
// Hits waits for to out, and serves $PLANWISE_BENCH_REPLY (which Hits sets) until ctx
// is done.
func TrivialChild(ctx context.Context, out io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "trivial server listening on http://%s\n", ln.Addr())
	return ServeTrivial(ctx, ln, []byte(os.Getenv("PLANWISE_BENCH_REPLY")))
}

var childListenLine = regexp.MustCompile(`listening on (http://[0-9.:]+)`)

// startChild starts bin args in dir and waits for its "listening on" line.
func startChild(ctx context.Context, bin, dir string, env []string, args ...string) (*exec.Cmd, string, error) {
	c := exec.CommandContext(ctx, bin, args...)
	c.Dir, c.Env = dir, env
	out, err := c.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Start(); err != nil {
		return nil, "", err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := childListenLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				io.Copy(io.Discard, out)
				return
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if ok {
			return c, u, nil
		}
	case <-time.After(60 * time.Second):
	}
	c.Process.Kill()
	c.Wait()
	return nil, "", fmt.Errorf("%s %s did not start: %s", bin, strings.Join(args, " "), stderr.String())
}

func benchEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PLANWISE_") && !strings.HasPrefix(kv, "OPENAI_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// HitsConfig configures Hits.
type HitsConfig struct {
	// Planwise is the planwise binary to serve (and to run the trivial server with);
	// default this executable.
	Planwise string
	// Store is planwise's store: sqlite or memory (--store).
	Store string
	// Duration is wrk's duration per side and round; Rounds the rounds, each the
	// trivial server then planwise.
	Duration             time.Duration
	Rounds               int
	Threads, Connections int
	// Progress receives a line per side and round (nil: none).
	Progress io.Writer
}

// Hits runs the hit-path benchmark: planwise sim (latency 0), planwise serve on a fresh
// store and the trivial server (the same binary's hidden "bench trivial-server"), the
// cache filled, then wrk against each in alternating rounds.
func Hits(ctx context.Context, c HitsConfig) (*HitReport, error) {
	bin, store, duration, rounds, threads, conns, progress := c.Planwise, c.Store, c.Duration, c.Rounds, c.Threads, c.Connections, c.Progress
	if _, err := exec.LookPath("wrk"); err != nil {
		return nil, fmt.Errorf("wrk is not installed (fix: apt-get install wrk)")
	}
	if store != "sqlite" && store != "memory" {
		return nil, fmt.Errorf("--store %q: use sqlite or memory", store)
	}
	if bin == "" {
		var err error
		if bin, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s, err := sim.New(sim.Config{LatencyScale: 0, PlannerFor: func(r *tool.Registry) query.Planner { return pattern.NewPattern(r) }})
	if err != nil {
		return nil, err
	}
	simSrv := httptest.NewServer(s)
	defer func() { simSrv.Close(); s.Close() }()
	dir, err := os.MkdirTemp("", "planwise-bench-hits-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	// A fresh store in dir: without a path, serve would open the user's data directory's,
	// grown by every earlier run.
	pw, pwURL, err := startChild(ctx, bin, dir, benchEnv("OPENAI_BASE_URL="+simSrv.URL+"/v1", "OPENAI_API_KEY=bench",
		"PLANWISE_STORE__DRIVER="+store, "PLANWISE_STORE__PATH="+filepath.Join(dir, "planwise.db")), "serve", "--addr", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer func() { pw.Process.Kill(); pw.Wait() }()

	// Fill the cache, and take planwise's answer as the trivial server's reply.
	reqBody, _ := json.Marshal(map[string]any{"request": hitRequest})
	var reply []byte
	for i := 0; ; i++ {
		res, err := http.Post(pwURL+"/api/v1/plan", "application/json", bytes.NewReader(reqBody))
		if err != nil {
			return nil, err
		}
		reply, _ = io.ReadAll(res.Body)
		res.Body.Close()
		var out struct {
			Source string `json:"source"`
		}
		json.Unmarshal(reply, &out)
		if out.Source == "cache" {
			break
		}
		if i == 10 {
			return nil, fmt.Errorf("%q is not served from the cache after 10 requests: %s", hitRequest, reply)
		}
	}
	tv, tvURL, err := startChild(ctx, bin, dir, benchEnv("PLANWISE_BENCH_REPLY="+string(reply)), "bench", "trivial-server")
	if err != nil {
		return nil, err
	}
	defer func() { tv.Process.Kill(); tv.Wait() }()

	script := filepath.Join(dir, "hit.lua")
	lua := fmt.Sprintf("wrk.method = \"POST\"\nwrk.body = %q\nwrk.headers[\"Content-Type\"] = \"application/json\"\n", reqBody)
	if err := os.WriteFile(script, []byte(lua), 0o600); err != nil {
		return nil, err
	}
	rep := &HitReport{Store: store, Threads: threads, Connections: conns, Duration: duration.String(),
		Command: fmt.Sprintf("wrk -t%d -c%d -d%s --latency -s hit.lua", threads, conns, duration)}
	for r := range rounds {
		var round HitRound
		for _, side := range []struct {
			name, url string
			pid       int
			dst       *HitSide
		}{{"trivial", tvURL, tv.Process.Pid, &round.Trivial}, {"planwise", pwURL, pw.Process.Pid, &round.Planwise}} {
			cpu0 := procCPU(side.pid)
			hs, err := runWrk(ctx, threads, conns, duration, script, side.url+"/api/v1/plan")
			if err != nil {
				return nil, fmt.Errorf("round %d, %s: %w", r+1, side.name, err)
			}
			if n := hs.RPS * duration.Seconds(); n > 0 && cpu0 >= 0 {
				hs.CPUPerRq = float64(procCPU(side.pid)-cpu0) / n
			}
			hs.Name = side.name
			*side.dst = hs
			if progress != nil {
				fmt.Fprintf(progress, "round %d %-8s %9.0f req/s  p50 %.2f ms  p99 %.2f ms\n", r+1, side.name, hs.RPS, hs.P50MS, hs.P99MS)
			}
		}
		rep.Rounds = append(rep.Rounds, round)
	}
	rep.judge()
	return rep, nil
}

// judge sets the median ratios and the verdict from the rounds.
func (rep *HitReport) judge() {
	var p99s, rpss []float64
	rep.ErrorAnswers = 0
	for _, r := range rep.Rounds {
		p99s = append(p99s, r.Planwise.P99MS/r.Trivial.P99MS)
		rpss = append(rpss, r.Planwise.RPS/r.Trivial.RPS)
		rep.ErrorAnswers += r.Planwise.Errors + r.Trivial.Errors
	}
	rep.P99Ratio, rep.RPSRatio = median(p99s), median(rpss)
	rep.TargetMet = len(rep.Rounds) > 0 && rep.P99Ratio <= 1.5 && rep.RPSRatio >= 0.8 && rep.ErrorAnswers == 0
}

// Verdict is the report's conclusion in one line: MET, or NOT MET and why.
func (rep *HitReport) Verdict() string {
	if rep.TargetMet {
		return "MET"
	}
	if len(rep.Rounds) == 0 {
		return "NOT MET (no round ran)"
	}
	var why []string
	if rep.P99Ratio > 1.5 {
		why = append(why, fmt.Sprintf("p99 %.2fx > 1.5x", rep.P99Ratio))
	}
	if rep.RPSRatio < 0.8 {
		why = append(why, fmt.Sprintf("throughput %.2fx < 0.8x", rep.RPSRatio))
	}
	if rep.ErrorAnswers > 0 {
		why = append(why, fmt.Sprintf("%d error answers", rep.ErrorAnswers))
	}
	return "NOT MET (" + strings.Join(why, ", ") + ")"
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// procCPU is the process's user+system CPU time in microseconds (Linux; -1 elsewhere).
func procCPU(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// Fields after the command name (which may hold spaces) start after the last ')'.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return -1
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return (ut + st) * 1e6 / 100 // USER_HZ is 100 on Linux
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkSockErr = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func runWrk(ctx context.Context, threads, conns int, d time.Duration, script, url string) (HitSide, error) {
	out, err := exec.CommandContext(ctx, "wrk", "-t"+strconv.Itoa(threads), "-c"+strconv.Itoa(conns),
		"-d"+strconv.Itoa(int(d.Seconds()))+"s", "--latency", "-s", script, url).CombinedOutput()
	if err != nil {
		return HitSide{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	return parseWrk(string(out))
}

// parseWrk reads throughput, p50, p99 and errors from wrk --latency output.
func parseWrk(out string) (HitSide, error) {
	var hs HitSide
	m := wrkRPS.FindStringSubmatch(out)
	if m == nil {
		return hs, fmt.Errorf("no Requests/sec in wrk output: %s", out)
	}
	hs.RPS, _ = strconv.ParseFloat(m[1], 64)
	for _, p := range wrkPct.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(p[2], 64)
		switch p[3] {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		if p[1] == "50" {
			hs.P50MS = v
		} else {
			hs.P99MS = v
		}
	}
	if hs.P99MS == 0 {
		return hs, fmt.Errorf("no latency distribution in wrk output (run with --latency): %s", out)
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		hs.Errors, _ = strconv.Atoi(m[1])
	}
	if m := wrkSockErr.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			hs.Errors += n
		}
	}
	return hs, nil
}

// WriteText prints the report for people.
func (rep *HitReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%s, rounds alternated (trivial Go JSON server, then planwise cache hits, %s store)\n\n", rep.Command, rep.Store)
	fmt.Fprintf(w, "%-6s %-9s %12s %9s %9s %7s %12s\n", "round", "server", "req/s", "p50 ms", "p99 ms", "errors", "CPU us/req")
	for i, r := range rep.Rounds {
		for _, s := range []HitSide{r.Trivial, r.Planwise} {
			fmt.Fprintf(w, "%-6d %-9s %12.0f %9.2f %9.2f %7d %12.1f\n", i+1, s.Name, s.RPS, s.P50MS, s.P99MS, s.Errors, s.CPUPerRq)
		}
	}
	fmt.Fprintf(w, "\nmedian ratios planwise/trivial: p99 %.2fx (target <= 1.5x), throughput %.2fx (target >= 0.8x): %s\n",
		rep.P99Ratio, rep.RPSRatio, rep.Verdict())
}
