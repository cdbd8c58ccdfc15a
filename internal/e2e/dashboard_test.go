package e2e

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
)

// cdp is a minimal Chrome DevTools Protocol client over chromium's
// --remote-debugging-pipe: JSON messages separated by NUL bytes, written to the
// browser's fd 3 and read from its fd 4. No port, no websocket.
type cdp struct {
	cmd  *exec.Cmd
	out  io.WriteCloser // the browser's fd 3
	done chan struct{}  // closed when the reader goroutine ends

	mu      sync.Mutex
	next    int64
	pending map[int64]chan cdpReply
	readErr error
}

type cdpReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// startChromium launches headless chromium with a fresh profile, or skips the test when
// chromium is not installed.
func startChromium(t *testing.T) *cdp {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		if _, serr := os.Stat("/usr/bin/chromium"); serr != nil {
			t.Skip("chromium is not installed (apt-get install -y chromium; .ci/run installs it): skipping the dashboard browser test")
		}
		bin = "/usr/bin/chromium"
	}
	toBrowserR, toBrowserW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromBrowserR, fromBrowserW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--mute-audio",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowserR, fromBrowserW} // fd 3, fd 4
	var stderr strings.Builder
	cmd.Stderr = &limitedWriter{w: &stderr, n: 16 << 10}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	toBrowserR.Close()
	fromBrowserW.Close()
	c := &cdp{cmd: cmd, out: toBrowserW, done: make(chan struct{}), pending: map[int64]chan cdpReply{}}
	go c.read(fromBrowserR)
	t.Cleanup(func() {
		c.out.Close() // chromium exits when its pipe closes
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		<-c.done
		fromBrowserR.Close()
		if t.Failed() {
			t.Logf("chromium stderr:\n%s", stderr.String())
		}
	})
	return c
}

// read dispatches replies to their callers until the pipe closes; events are ignored.
func (c *cdp) read(r io.Reader) {
	defer close(c.done)
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			c.mu.Lock()
			c.readErr = fmt.Errorf("devtools pipe: %w", err)
			for id, ch := range c.pending {
				close(ch)
				delete(c.pending, id)
			}
			c.mu.Unlock()
			return
		}
		var m struct {
			ID int64 `json:"id"`
			cdpReply
		}
		if json.Unmarshal(msg[:len(msg)-1], &m) != nil || m.ID == 0 {
			continue
		}
		c.mu.Lock()
		ch := c.pending[m.ID]
		delete(c.pending, m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m.cdpReply
		}
	}
}

// call sends one command (to a page session when session is set) and waits for its reply.
func (c *cdp) call(ctx context.Context, session, method string, params any, result any) error {
	ch := make(chan cdpReply, 1)
	c.mu.Lock()
	if c.readErr != nil {
		err := c.readErr
		c.mu.Unlock()
		return err
	}
	c.next++
	id := c.next
	c.pending[id] = ch
	c.mu.Unlock()
	msg := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		msg["sessionId"] = session
	}
	b, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	if _, err := c.out.Write(append(b, 0)); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return fmt.Errorf("%s: %w", method, ctx.Err())
	case r, ok := <-ch:
		if !ok {
			return fmt.Errorf("%s: browser closed the devtools pipe", method)
		}
		if r.Error != nil {
			return fmt.Errorf("%s: %s (%d)", method, r.Error.Message, r.Error.Code)
		}
		if result != nil {
			return json.Unmarshal(r.Result, result)
		}
		return nil
	}
}

// page is one browser tab attached in flat mode.
type cdpPage struct {
	c       *cdp
	session string
}

func (c *cdp) newPage(ctx context.Context, width, height int) (*cdpPage, error) {
	var tgt struct {
		TargetID string `json:"targetId"`
	}
	if err := c.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &tgt); err != nil {
		return nil, err
	}
	var att struct {
		SessionID string `json:"sessionId"`
	}
	if err := c.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": tgt.TargetID, "flatten": true}, &att); err != nil {
		return nil, err
	}
	p := &cdpPage{c: c, session: att.SessionID}
	if err := p.resize(ctx, width, height); err != nil {
		return nil, err
	}
	return p, c.call(ctx, p.session, "Page.enable", map[string]any{}, nil)
}

func (p *cdpPage) resize(ctx context.Context, width, height int) error {
	return p.c.call(ctx, p.session, "Emulation.setDeviceMetricsOverride",
		map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil)
}

func (p *cdpPage) navigate(ctx context.Context, url string) error {
	var r struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.c.call(ctx, p.session, "Page.navigate", map[string]any{"url": url}, &r); err != nil {
		return err
	}
	if r.ErrorText != "" {
		return fmt.Errorf("navigate to %s: %s", url, r.ErrorText)
	}
	return nil
}

// eval evaluates a JavaScript expression and decodes its JSON-able value into v.
func (p *cdpPage) eval(ctx context.Context, expr string, v any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := p.c.call(ctx, p.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &r); err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return fmt.Errorf("javascript: %s %s", r.ExceptionDetails.Text, r.ExceptionDetails.Exception.Description)
	}
	if v == nil {
		return nil
	}
	return json.Unmarshal(r.Result.Value, v)
}

// screenshot captures the whole page as PNG into path.
func (p *cdpPage) screenshot(ctx context.Context, width int, path string) error {
	var h int
	if err := p.eval(ctx, "Math.ceil(document.documentElement.scrollHeight)", &h); err != nil {
		return err
	}
	if err := p.resize(ctx, width, h); err != nil {
		return err
	}
	var r struct {
		Data string `json:"data"`
	}
	if err := p.c.call(ctx, p.session, "Page.captureScreenshot", map[string]any{"format": "png"}, &r); err != nil {
		return err
	}
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// dashState is what the test reads off the page.
type dashState struct {
	State    string   `json:"state"`
	Status   string   `json:"status"`
	Requests string   `json:"requests"`
	Window   string   `json:"window"`
	Points   []int    `json:"points"`
	Alerts   []string `json:"alerts"`
	KPIs     []string `json:"kpis"`
	Dialog   bool     `json:"dialog"`
	Dot      [3]int   `json:"dot"` // the status light's colour, RGB
}

const readDash = `(() => {
  const m = document.querySelector("main");
  return {
    state: document.body.dataset.state || "",
    status: (document.getElementById("status-text") || {}).textContent || "",
    requests: (m && m.dataset.requests) || "",
    window: (m && m.dataset.window) || "",
    points: [...document.querySelectorAll(".chart svg")].map((s) => +s.dataset.points || 0),
    alerts: [...document.querySelectorAll("#alerts-body li.alert .name")].map((e) => e.textContent),
    kpis: [...document.querySelectorAll("#kpis .kpi")].map((k) => k.textContent),
    dialog: !!(document.getElementById("token-dialog") || {}).open,
    dot: (getComputedStyle(document.querySelector(".status .dot")).backgroundColor.match(/\d+/g) || [0, 0, 0]).slice(0, 3).map(Number),
  };
})()`

// waitFor polls the page until ok accepts its state or the deadline passes.
func (p *cdpPage) waitFor(ctx context.Context, t *testing.T, what string, ok func(dashState) bool) dashState {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last dashState
	for {
		var s dashState
		err := p.eval(ctx, readDash, &s)
		if err == nil {
			last = s
			if ok(s) {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("dashboard never showed %s: last state %+v (eval error %v)", what, last, err)
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// e2eModuleRoot walks up from the working directory to the directory holding go.mod.
func e2eModuleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// driveHistory sends 40 minutes of traffic on the manual clock: a steady load, a third
// of it allowed to use the cache, with retried rate limits, offline requests and
// unplannable ones, a stretch of invalid plans
// from both models (minutes 12-16, and again from minute 33), slow answers in minutes
// 20-23, with the alert rules evaluated each minute. It returns the requests sent.
func driveHistory(t *testing.T, st *obsStack) int {
	t.Helper()
	ctx := context.Background()
	sent := 0
	post := func(req string, opts planner.Options) {
		opts.DeadlineMS = 5000
		a := st.post(t, req, opts)
		checkObsAnswer(t, st, a.result, 5*time.Second)
		sent++
	}
	for minute := range 40 {
		st.clock.Advance(time.Minute)
		n := 3 + (minute*7)%5
		for i := range n {
			req := requests[(minute+i)%len(requests)]
			offline := (minute+i)%11 == 0
			// A third of the requests may be served from the cache; faults are injected
			// only into requests that are sure to call the LLM.
			useCache := !offline && (minute+i)%3 == 0
			switch {
			case offline, useCache:
			case (minute >= 12 && minute <= 16 || minute >= 33) && i%2 == 0:
				st.faultNext(sim.FaultInvalidPlan, 4) // both models, a repair round each
			case minute >= 20 && minute <= 23 && i == 0:
				st.faultNext(sim.FaultSlow, 1)
			case (minute+i)%9 == 0:
				st.faultNext(sim.Fault429, 1)
			}
			post(req, planner.Options{Offline: offline, NoCache: !useCache})
		}
		if minute%13 == 5 {
			post("Compose a symphony in D minor", planner.Options{Offline: true})
		}
		// What the executor and the feedback endpoint report, through the same recorder.
		st.rec.RecordExecution("default", minute%6 != 0)
		st.rec.RecordFeedback("default", "anonymous", minute%4 != 0)
		st.alerts.Evaluate(ctx, st.clock.Now())
	}
	return sent
}

// TestDashboardInChromium loads the dashboard in headless Chromium against a server with
// 40 minutes of traffic, waits until the page shows that server's numbers (the request
// count, every chart with points, the firing fallback alert), saves screenshots (light and
// dark) under .artifacts/, then checks the page says so when the server goes away.
func TestDashboardInChromium(t *testing.T) {
	browser := startChromium(t)
	st := newObsStack(t, obsConfig{
		sim:   sim.Config{LatencyScale: 0.03, Seed: 11, RetryAfter: "0.01"},
		rec:   metrics.Options{Window: 5 * time.Minute, Resolution: time.Minute, Retention: time.Hour},
		rules: metrics.DefaultRules(0, 0),
		resil: llm.ResilienceConfig{BaseDelay: 2 * time.Millisecond, MaxDelay: 10 * time.Millisecond,
			MaxRetryAfter: 50 * time.Millisecond, AttemptTimeout: 3 * time.Second},
		cache: true,
	})
	sent := driveHistory(t, st)
	if len(st.alerts.Active()) == 0 {
		t.Fatalf("no alert firing after the faulty minutes: history %+v", st.alerts.History())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const width = 1440
	pg, err := browser.newPage(ctx, width, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if err := pg.navigate(ctx, st.api.URL+"/?window=1h"); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint(sent)
	s := pg.waitFor(ctx, t, want+" requests with charts and the firing alert", func(s dashState) bool {
		if s.State != "live" || s.Requests != want || len(s.Points) != 4 || len(s.Alerts) == 0 {
			return false
		}
		for _, n := range s.Points {
			if n < 2 {
				return false
			}
		}
		return true
	})
	if d := s.Dot; d[1] <= d[0] || d[1] <= d[2] {
		t.Errorf("the status light is not green when live: rgb%v", d)
	}
	if s.Window != "1h0m0s" {
		t.Errorf("window %q, want 1h0m0s", s.Window)
	}
	if !strings.Contains(strings.Join(s.Alerts, " "), "high_fallback_rate") {
		t.Errorf("firing alerts shown: %v", s.Alerts)
	}
	if len(s.KPIs) < 12 {
		t.Errorf("only %d big numbers: %v", len(s.KPIs), s.KPIs)
	}
	root := e2eModuleRoot(t)
	shot := filepath.Join(root, ".artifacts", "dashboard.png")
	if err := pg.screenshot(ctx, width, shot); err != nil {
		t.Fatal(err)
	}
	// Hovering a chart shows the slot's values.
	var box struct{ X, Y, W, H float64 }
	if err := pg.eval(ctx, `(() => { const r = document.querySelector("#chart-latency .hit").getBoundingClientRect();
		return {x: r.x, y: r.y, w: r.width, h: r.height}; })()`, &box); err != nil {
		t.Fatal(err)
	}
	if err := browser.call(ctx, pg.session, "Input.dispatchMouseEvent", map[string]any{"type": "mouseMoved",
		"x": box.X + box.W*0.9, "y": box.Y + box.H/2}, nil); err != nil {
		t.Fatal(err)
	}
	var tip string
	if err := pg.eval(ctx, `(() => { const t = document.querySelector("#chart-latency .tip"); return t && !t.hidden ? t.textContent : ""; })()`, &tip); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tip, "p50: ") || !strings.Contains(tip, "p99: ") {
		t.Errorf("latency chart tooltip on hover: %q", tip)
	}
	if err := browser.call(ctx, pg.session, "Emulation.setEmulatedMedia",
		map[string]any{"features": []map[string]string{{"name": "prefers-color-scheme", "value": "dark"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := pg.screenshot(ctx, width, filepath.Join(root, ".artifacts", "dashboard-dark.png")); err != nil {
		t.Fatal(err)
	}
	// The window selector: 5 minutes shows the last five slots' requests, lifetime all.
	last5 := fmt.Sprint(st.rec.Summary(5 * time.Minute).Requests)
	for _, w := range []struct{ id, window, requests string }{{"w5m", "5m0s", last5}, {"wlife", "lifetime", want}} {
		if err := pg.eval(ctx, `document.getElementById("`+w.id+`").click()`, nil); err != nil {
			t.Fatal(err)
		}
		pg.waitFor(ctx, t, "the "+w.window+" window with "+w.requests+" requests", func(s dashState) bool {
			return s.State == "live" && s.Window == w.window && s.Requests == w.requests
		})
	}
	var href string
	if err := pg.eval(ctx, "location.search", &href); err != nil || href != "?window=lifetime" {
		t.Errorf("the window is not kept in the URL: %q (%v)", href, err)
	}

	// A phone-sized view: the layout must reflow, not overflow.
	if err := pg.resize(ctx, 390, 800); err != nil {
		t.Fatal(err)
	}
	// The charts redraw for the new width (debounced after the resize event).
	deadline := time.Now().Add(10 * time.Second)
	for {
		var narrow bool
		if err := pg.eval(ctx, `[...document.querySelectorAll(".chart svg")].every((s) => s.viewBox.baseVal.width <= 400)`, &narrow); err != nil {
			t.Fatal(err)
		}
		if narrow {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the charts were not redrawn for a 390 px wide window")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var wide []string
	if err := pg.eval(ctx, `[...document.querySelectorAll("body *")]
		.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
		.slice(0, 8).map((e) => e.tagName.toLowerCase() + "." + (e.getAttribute("class") || "") + " right=" + Math.round(e.getBoundingClientRect().right))`, &wide); err != nil {
		t.Fatal(err)
	}
	if len(wide) > 0 {
		t.Errorf("the dashboard overflows horizontally at 390 px: %v", wide)
	}
	if err := pg.screenshot(ctx, 390, filepath.Join(root, ".artifacts", "dashboard-narrow.png")); err != nil {
		t.Fatal(err)
	}
	t.Logf("dashboard showed %s requests; screenshots in %s", s.Requests, filepath.Dir(shot))

	// The server goes away: the page says so instead of showing stale numbers as live.
	st.api.CloseClientConnections()
	st.api.Close()
	s = pg.waitFor(ctx, t, "the unreachable state", func(s dashState) bool { return s.State == "unreachable" })
	if d := s.Dot; d[0] <= d[1] || d[0] <= d[2] {
		t.Errorf("the status light is not red when the server is unreachable: rgb%v", d)
	}
	if !strings.Contains(s.Status, "unreachable") {
		t.Errorf("status text when the server is gone: %q", s.Status)
	}
}

// TestDashboardAsksForAPIKey: with API keys configured the page asks for one, and once
// given it (kept in sessionStorage) shows the numbers.
func TestDashboardAsksForAPIKey(t *testing.T) {
	browser := startChromium(t)
	st := newObsStack(t, obsConfig{
		rec:     metrics.Options{Window: 5 * time.Minute},
		rules:   metrics.DefaultRules(0, 0),
		apiKeys: []server.APIKey{{Key: "dash-key-1", Tenant: "acme", Name: "ops"}},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	pg, err := browser.newPage(ctx, 1200, 900)
	if err != nil {
		t.Fatal(err)
	}
	if err := pg.navigate(ctx, st.api.URL+"/"); err != nil {
		t.Fatal(err)
	}
	s := pg.waitFor(ctx, t, "the API key prompt", func(s dashState) bool { return s.State == "auth" && s.Dialog })
	if !strings.Contains(s.Status, "API key") {
		t.Errorf("status while unauthenticated: %q", s.Status)
	}
	submit := func(key string) {
		t.Helper()
		if err := pg.eval(ctx, `(() => {
			document.getElementById("token-input").value = `+jsString(key)+`;
			document.getElementById("token-form").requestSubmit();
			return true;
		})()`, nil); err != nil {
			t.Fatal(err)
		}
	}
	// A wrong key is rejected and asked for again.
	submit("wrong-key")
	pg.waitFor(ctx, t, "the rejected key", func(s dashState) bool {
		return s.State == "auth" && s.Dialog && strings.Contains(s.Status, "rejected")
	})
	submit("dash-key-1")
	pg.waitFor(ctx, t, "live numbers after entering the key", func(s dashState) bool {
		return s.State == "live" && s.Requests == "0" && !s.Dialog
	})
	var stored string
	if err := pg.eval(ctx, `sessionStorage.getItem("planwise.token")`, &stored); err != nil {
		t.Fatal(err)
	}
	if stored != "dash-key-1" {
		t.Errorf("sessionStorage holds %q", stored)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// limitedWriter keeps the first n bytes written to it.
type limitedWriter struct {
	mu sync.Mutex
	w  io.Writer
	n  int
}

func (l *limitedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n > 0 {
		k := min(len(b), l.n)
		l.n -= k
		if _, err := l.w.Write(b[:k]); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}
