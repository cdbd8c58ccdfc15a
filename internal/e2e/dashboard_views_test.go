package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/dashboard"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
)

// latencyAxis is what the latency chart shows: its scale, its y labels and where its
// lines are, in SVG units.
type latencyAxis struct {
	Scale  string  `json:"scale"`
	Top    float64 `json:"top"`
	Bottom float64 `json:"bottom"`
	Min    float64 `json:"min"` // the axis' range
	Max    float64 `json:"max"`
	Ticks  []struct {
		V     float64 `json:"v"`
		Y     float64 `json:"y"`
		Label string  `json:"label"`
	} `json:"ticks"`
	P50 []float64 `json:"p50"` // y of every point of the p50 line
	P99 []float64 `json:"p99"`
}

const readLatencyAxis = `(() => {
  const svg = document.querySelector("#chart-latency svg");
  const ys = (name) => {
    const g = svg.querySelector('g.series[data-series="' + name + '"]');
    if (!g) return [];
    const out = [];
    for (const p of g.querySelectorAll("path.line")) for (const m of p.getAttribute("d").matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)) out.push(+m[2]);
    for (const c of g.querySelectorAll("circle")) out.push(+c.getAttribute("cy"));
    return out;
  };
  return {
    scale: svg.dataset.scale, top: +svg.dataset.plotTop, bottom: +svg.dataset.plotBottom, min: +svg.dataset.min, max: +svg.dataset.max,
    ticks: [...svg.querySelectorAll("text.ytick")].map((t) => ({ v: +t.dataset.value, y: +t.getAttribute("y"), label: t.textContent })),
    p50: ys("p50"), p99: ys("p99"),
  };
})()`

// checkLogAxis asserts the latency chart has a log axis: labels in ms or s, and the same
// number of pixels per decade between every pair of ticks.
func checkLogAxis(t *testing.T, ax latencyAxis) {
	t.Helper()
	if ax.Scale != "log" || len(ax.Ticks) < 3 {
		t.Fatalf("latency chart: scale %q with %d labels, want a log axis with at least 3", ax.Scale, len(ax.Ticks))
	}
	labelRE := regexp.MustCompile(`^[0-9.]+ (µs|ms|s)$`)
	var perDecade []float64
	for i, tk := range ax.Ticks {
		if !labelRE.MatchString(tk.Label) {
			t.Errorf("latency axis label %q", tk.Label)
		}
		if i == 0 {
			continue
		}
		prev := ax.Ticks[i-1]
		if tk.V <= prev.V || tk.Y >= prev.Y {
			t.Fatalf("latency axis labels out of order: %+v", ax.Ticks)
		}
		perDecade = append(perDecade, (prev.Y-tk.Y)/math.Log10(tk.V/prev.V))
	}
	for _, d := range perDecade {
		if math.Abs(d-perDecade[0]) > 0.02*perDecade[0] {
			t.Errorf("ticks are not log-spaced: %v px per decade between successive labels %+v", perDecade, ax.Ticks)
			break
		}
	}
}

// overflowing lists the elements a user would see cut off: cards, big numbers and spend
// tables wider than their box, and chart labels outside their chart.
const overflowing = `(() => {
  const out = [];
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + (e.getAttribute("class") || "").replace(/ /g, ".");
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push("the page is " + document.documentElement.scrollWidth + " px wide in a " + window.innerWidth + " px window");
  // Numbers are never cut (long names and requests may end in an ellipsis, with the whole
  // text in their title and in the request view).
  for (const e of document.querySelectorAll(".kpi, .kpi .v, .kpi .d, .card, .spend-table, .spend-table table, .spend-table td.num, #requests td.num, #request-detail, #request-detail > *")) {
    if (e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1) out.push(name(e) + " " + e.scrollWidth + ">" + e.clientWidth + " " + JSON.stringify(e.textContent.slice(0, 40)));
  }
  for (const svg of document.querySelectorAll(".chart svg")) {
    const b = svg.getBoundingClientRect();
    for (const tx of svg.querySelectorAll("text")) {
      const r = tx.getBoundingClientRect();
      if (r.left < b.left - 1 || r.right > b.right + 1) out.push(svg.closest("figure").id + " label " + JSON.stringify(tx.textContent) + " outside the chart");
    }
  }
  return out;
})()`

// spendRow is one row of a spend table.
type spendRow struct {
	Name string `json:"name"`
	Cost string `json:"cost"`
	Text string `json:"text"`
}

const readSpend = `((id) => [...document.querySelectorAll("#" + id + " tbody tr")].map((r) => ({ name: r.dataset.name, cost: r.dataset.cost, text: r.textContent })))`

// TestDashboardSpendAndDrillDownInChromium drives half an hour of traffic from three API
// keys of two tenants (a rate limit retried, invalid plans repaired, slow answers,
// offline requests), then checks in headless Chromium what a user of the dashboard sees:
// the latency chart on a log axis with p50 visible, no card or label cut off, spend per
// tenant and per key as the metrics API reports it, and a click on a recent request
// opening its plan, source, attempts, tokens, cost and errors (also from a link).
func TestDashboardSpendAndDrillDownInChromium(t *testing.T) {
	browser := startChromium(t)
	keys := []server.APIKey{{Key: "key-acme-ops", Tenant: "acme", Name: "ops"}, {Key: "key-acme-ci", Tenant: "acme", Name: "ci"},
		{Key: "key-globex", Tenant: "globex", Name: "web"}, {Key: "key-admin", Tenant: "ops", Name: "sre", Admin: true}}
	st := newObsStack(t, obsConfig{
		sim:   sim.Config{LatencyScale: 0.03, Seed: 5, RetryAfter: "0.01"},
		rec:   metrics.Options{Window: 5 * time.Minute, Resolution: time.Minute, Retention: time.Hour},
		rules: metrics.DefaultRules(0, 0),
		resil: llm.ResilienceConfig{BaseDelay: 2 * time.Millisecond, MaxDelay: 10 * time.Millisecond,
			MaxRetryAfter: 50 * time.Millisecond, AttemptTimeout: 3 * time.Second},
		apiKeys:  keys,
		learning: true,
		cache:    true, // cache hits answer in microseconds, next to LLM calls of milliseconds
	})
	var target string // the request id of a request whose first provider call got a 429
	for minute := range 30 {
		st.clock.Advance(time.Minute)
		// 8 requests a minute, so that each slot's percentiles are apart (DDSketch's
		// p99 of 3 values is the second smallest).
		for i := range 8 {
			key := keys[(minute+i)%3].Key
			opts := planner.Options{DeadlineMS: 5000}
			// Faults are injected only into requests that are sure to call the LLM.
			switch {
			case minute == 29 && i == 1: // key-acme-ops
				opts.NoCache = true
				st.faultNext(sim.Fault429, 1)
			case minute%5 == 2 && i == 1:
				opts.NoCache = true
				st.faultNext(sim.FaultInvalidPlan, 1)
			case minute >= 20 && minute <= 22 && i == 5:
				opts.NoCache = true
				st.faultNext(sim.FaultSlow, 1)
			case minute%6 == 0 && i == 2:
				opts.Offline = true
			case i%4 == 1:
				opts.NoCache = true
			}
			a := st.postKey(t, key, requests[(minute+i)%len(requests)], opts)
			if a.status != http.StatusOK {
				t.Fatalf("minute %d: %d %s", minute, a.status, a.errCode)
			}
			if minute == 29 && i == 1 {
				target = a.resp.RequestID
			}
		}
		st.alerts.Evaluate(context.Background(), st.clock.Now())
	}
	// What the API says about the target, to compare with what the page shows.
	var rec history.Record
	getAuthed(t, st.api.URL+"/api/v1/history/"+target, "key-acme-ops", &rec)
	if rec.Attempts < 2 || !slices.Contains(rec.Errors, "RateLimitError") || rec.Plan == nil || rec.PromptTokens == 0 {
		t.Fatalf("the target record lacks what the view must show: %+v", rec)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	const width = 1440
	pg, err := browser.newPage(ctx, width, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if err := pg.navigate(ctx, st.api.URL+"/?window=1h"); err != nil {
		t.Fatal(err)
	}
	// An admin key (the operator's) sees every tenant, as the metrics API shows it.
	enterKey(ctx, t, pg, "key-admin")
	pg.waitFor(ctx, t, "live numbers with charts and recent requests", func(s dashState) bool {
		if s.State != "live" || s.Requests == "0" || s.Requests == "" || len(s.Points) != 4 || s.Points[0] < 10 {
			return false
		}
		var rows int
		return pg.eval(ctx, `document.querySelectorAll("#requests tbody tr").length`, &rows) == nil && rows > 0
	})

	// What the metrics API gives this key (the page shows nothing else).
	var sum metrics.Summary
	if err := pg.eval(ctx, `fetch("api/v1/metrics/planner?window=1h", {headers: {Authorization: "Bearer key-admin"}}).then((r) => r.json())`, &sum); err != nil {
		t.Fatal(err)
	}

	// The latency chart: a log axis on which p50 is visible next to p99.
	var ax latencyAxis
	if err := pg.eval(ctx, readLatencyAxis, &ax); err != nil {
		t.Fatal(err)
	}
	checkLogAxis(t, ax)
	if len(ax.P50) < 10 || len(ax.P99) < 10 {
		t.Fatalf("latency lines with %d and %d points", len(ax.P50), len(ax.P99))
	}
	above := 0
	for _, y := range ax.P50 {
		if ax.Bottom-y >= 8 {
			above++
		}
	}
	if above*2 < len(ax.P50) {
		t.Errorf("p50 is flat on the axis: %d of %d points at least 8 px above it (axis %+v)", above, len(ax.P50), ax.Ticks)
	}
	if mean(ax.P50)-mean(ax.P99) < 20 {
		t.Errorf("p99 (mean y %.1f) is not clearly above p50 (mean y %.1f)", mean(ax.P99), mean(ax.P50))
	}
	// On a linear axis up to the highest p99, p50 would sit this high on average.
	var p50s []float64
	maxP99 := 0.0
	for _, p := range sum.Series {
		if p.Requests > 0 {
			p50s = append(p50s, p.P50)
			maxP99 = max(maxP99, p.P99)
		}
	}
	linear := mean(p50s) / maxP99 * (ax.Bottom - ax.Top)
	if ax.Bottom-mean(ax.P50) < 3*linear {
		t.Errorf("p50 is %.1f px above the axis, a linear axis gives %.1f", ax.Bottom-mean(ax.P50), linear)
	}
	t.Logf("latency axis %v; p50 line %.0f px above the axis on average (%.1f px on a linear axis), p99 %.0f px",
		tickLabels(ax), ax.Bottom-mean(ax.P50), linear, ax.Bottom-mean(ax.P99))

	// Spend per tenant and per API key: every tenant and key with traffic, as the metrics
	// API gives them to this admin key, most expensive first.
	if n := checkSpend(ctx, t, pg, sum); n != [2]int{2, 3} {
		t.Errorf("the admin sees spend for %d tenants and %d keys, want 2 and 3", n[0], n[1])
	}

	// Nothing is cut off.
	var cut []string
	if err := pg.eval(ctx, overflowing, &cut); err != nil {
		t.Fatal(err)
	}
	if len(cut) > 0 {
		t.Errorf("cut off at %d px: %v", width, cut)
	}
	root := e2eModuleRoot(t)
	if err := pg.screenshot(ctx, width, filepath.Join(root, ".artifacts", "dashboard-spend-requests.png")); err != nil {
		t.Fatal(err)
	}
	if err := pg.resize(ctx, width, 1000); err != nil {
		t.Fatal(err)
	}

	// A click on the target's row opens its view.
	var box struct{ X, Y, W, H float64 }
	if err := pg.eval(ctx, `(() => { const b = document.querySelector('#requests tr[data-id=`+jsString(target)+`] button.link');
		b.scrollIntoView({block: "center"}); const r = b.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })()`, &box); err != nil {
		t.Fatalf("the target %s is not among the recent requests: %v", target, err)
	}
	click(ctx, t, pg, box.X+math.Min(20, box.W/2), box.Y+box.H/2)
	view := waitForView(ctx, t, pg, target)
	checkView(t, view, &rec, target)
	var cut2 []string
	if err := pg.eval(ctx, overflowing, &cut2); err != nil {
		t.Fatal(err)
	}
	if len(cut2) > 0 {
		t.Errorf("the request view is cut off: %v", cut2)
	}
	if err := pg.screenshotViewport(ctx, filepath.Join(root, ".artifacts", "dashboard-request.png")); err != nil {
		t.Fatal(err)
	}
	setScheme := func(scheme string) {
		t.Helper()
		if err := browser.call(ctx, pg.session, "Emulation.setEmulatedMedia",
			map[string]any{"features": []map[string]string{{"name": "prefers-color-scheme", "value": scheme}}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	setScheme("dark")
	if err := pg.screenshotViewport(ctx, filepath.Join(root, ".artifacts", "dashboard-request-dark.png")); err != nil {
		t.Fatal(err)
	}
	setScheme("light")
	// Escape closes it and the URL forgets it.
	if err := browser.call(ctx, pg.session, "Input.dispatchKeyEvent", map[string]any{"type": "keyDown", "key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27}, nil); err != nil {
		t.Fatal(err)
	}
	waitEval(ctx, t, pg, "the view closed", `!document.getElementById("request-dialog").open && location.hash === ""`)

	// A link to the request opens its view, in this page (the fragment changes) and in a
	// newly loaded one (the key is kept in the tab).
	if err := pg.eval(ctx, `(() => { location.hash = "request=`+target+`"; return true; })()`, nil); err != nil {
		t.Fatal(err)
	}
	checkView(t, waitForView(ctx, t, pg, target), &rec, target)
	if err := pg.navigate(ctx, st.api.URL+"/?window=5m#request="+target); err != nil {
		t.Fatal(err)
	}
	checkView(t, waitForView(ctx, t, pg, target), &rec, target)

	// A phone-sized view of the request: nothing cut off either.
	if err := pg.resize(ctx, 390, 800); err != nil {
		t.Fatal(err)
	}
	waitEval(ctx, t, pg, "the narrow layout", `document.querySelector("main").dataset.width === "390" && document.getElementById("request-dialog").getBoundingClientRect().width <= 390`)
	if err := pg.eval(ctx, overflowing, &cut2); err != nil {
		t.Fatal(err)
	}
	if len(cut2) > 0 {
		t.Errorf("cut off at 390 px: %v", cut2)
	}
	if err := pg.screenshotViewport(ctx, filepath.Join(root, ".artifacts", "dashboard-request-narrow.png")); err != nil {
		t.Fatal(err)
	}

	// A tenant's key sees its own spend only (the metrics API scopes it), and its own
	// requests.
	tp, err := browser.newPage(ctx, width, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if err := tp.navigate(ctx, st.api.URL+"/"); err != nil {
		t.Fatal(err)
	}
	enterKey(ctx, t, tp, "key-globex")
	tp.waitFor(ctx, t, "globex's numbers", func(s dashState) bool { return s.State == "live" && s.Requests != "" && s.Requests != "0" })
	var gsum metrics.Summary
	if err := tp.eval(ctx, `fetch("api/v1/metrics/planner?window=5m", {headers: {Authorization: "Bearer key-globex"}}).then((r) => r.json())`, &gsum); err != nil {
		t.Fatal(err)
	}
	if n := checkSpend(ctx, t, tp, gsum); n != [2]int{1, 1} {
		t.Errorf("globex's key sees spend for %d tenants and %d keys, want its own: 1 and 1", n[0], n[1])
	}
	var tenants []string
	if err := tp.eval(ctx, `fetch("api/v1/history?limit=15", {headers: {Authorization: "Bearer key-globex"}}).then((r) => r.json()).then((b) => [...new Set(b.records.map((r) => r.tenant))])`, &tenants); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := tp.eval(ctx, `document.querySelectorAll("#requests tbody tr").length`, &rows); err != nil || rows == 0 || !slices.Equal(tenants, []string{"globex"}) {
		t.Errorf("globex's recent requests: %d rows of tenants %v", rows, tenants)
	}
	// Its charts say why they are empty rather than "no traffic".
	var empties []string
	if err := tp.eval(ctx, `[...document.querySelectorAll(".chart .empty")].map((e) => e.textContent)`, &empties); err != nil {
		t.Fatal(err)
	}
	if len(empties) != 4 || !strings.Contains(empties[0], "admin keys") || !strings.Contains(empties[0], "globex") {
		t.Errorf("a tenant key's charts say %q", empties)
	}
	if err := tp.screenshot(ctx, width, filepath.Join(root, ".artifacts", "dashboard-tenant.png")); err != nil {
		t.Fatal(err)
	}
}

// enterKey answers the page's API key prompt with key.
func enterKey(ctx context.Context, t *testing.T, pg *cdpPage, key string) {
	t.Helper()
	pg.waitFor(ctx, t, "the API key prompt", func(s dashState) bool { return s.State == "auth" && s.Dialog })
	if err := pg.eval(ctx, `(() => { document.getElementById("token-input").value = `+jsString(key)+`;
		document.getElementById("token-form").requestSubmit(); return true; })()`, nil); err != nil {
		t.Fatal(err)
	}
}

// checkSpend compares the spend tables with the metrics summary the page's key gets and
// returns how many tenant and key rows they have.
func checkSpend(ctx context.Context, t *testing.T, pg *cdpPage, sum metrics.Summary) [2]int {
	t.Helper()
	var n [2]int
	for i, tc := range []struct {
		id    string
		want  map[string]metrics.Slice
		label string
	}{{"spend-tenant", sum.Breakdown.Tenant, "tenant"}, {"spend-key", sum.Breakdown.APIKey, "API key"}} {
		var rows []spendRow
		deadline := time.Now().Add(10 * time.Second)
		for {
			if err := pg.eval(ctx, readSpend+`(`+jsString(tc.id)+`)`, &rows); err != nil {
				t.Fatal(err)
			}
			if len(rows) == len(tc.want) || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if len(rows) == 0 || len(rows) != len(tc.want) {
			t.Fatalf("spend by %s: %d rows, the API has %d: %+v", tc.label, len(rows), len(tc.want), rows)
		}
		var costs []float64
		for _, r := range rows {
			w, ok := tc.want[r.Name]
			c, _ := strconv.ParseFloat(r.Cost, 64)
			if !ok || math.Abs(c-w.CostUSD) > 1e-12 || !strings.Contains(r.Text, "$") || !strings.Contains(r.Text, fmt.Sprint(w.Requests)) {
				t.Errorf("spend by %s row %+v, API %+v", tc.label, r, w)
			}
			costs = append(costs, c)
		}
		if !sort.IsSorted(sort.Reverse(sort.Float64Slice(costs))) {
			t.Errorf("spend by %s not most expensive first: %v", tc.label, costs)
		}
		n[i] = len(rows)
	}
	return n
}

// requestView is what the per-request view shows.
type requestView struct {
	Open    bool              `json:"open"`
	State   string            `json:"state"`
	ID      string            `json:"id"`
	Hash    string            `json:"hash"`
	Request string            `json:"request"`
	Facts   map[string]string `json:"facts"`
	Errors  []string          `json:"errors"`
	Tools   []string          `json:"tools"`
	Text    string            `json:"text"`
}

const readView = `(() => {
  const d = document.getElementById("request-dialog");
  const facts = {};
  for (const f of d.querySelectorAll("[data-fact]")) facts[f.dataset.fact] = f.querySelector("dd").textContent;
  return {
    open: d.open, state: d.dataset.state || "", id: d.dataset.id || "", hash: location.hash,
    request: (d.querySelector(".req") || {}).textContent || "", facts,
    errors: [...d.querySelectorAll('[data-part="errors"] .chips li')].map((e) => e.textContent),
    tools: [...d.querySelectorAll('[data-part="plan"] tr[data-step] b')].map((e) => e.textContent),
    text: d.textContent,
  };
})()`

func waitForView(ctx context.Context, t *testing.T, pg *cdpPage, id string) requestView {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var v requestView
	for {
		err := pg.eval(ctx, readView, &v)
		if err == nil && v.Open && v.State == "loaded" && v.ID == id {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("the view of %s never opened: %+v (%v)", id, v, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkView compares the view with the record the API returns.
func checkView(t *testing.T, v requestView, rec *history.Record, id string) {
	t.Helper()
	digits := func(s string) string { return regexp.MustCompile(`\D`).ReplaceAllString(s, "") }
	if v.Request != rec.Request || v.Hash != "#request="+id {
		t.Errorf("view of %q (hash %q), want %q", v.Request, v.Hash, rec.Request)
	}
	if v.Facts["source"] != rec.Source || v.Facts["model"] != rec.Model || v.Facts["attempts"] != strconv.Itoa(rec.Attempts) {
		t.Errorf("view facts %v, want source %s, model %s, %d attempts", v.Facts, rec.Source, rec.Model, rec.Attempts)
	}
	if digits(v.Facts["prompt_tokens"]) != strconv.Itoa(rec.PromptTokens) || digits(v.Facts["completion_tokens"]) != strconv.Itoa(rec.CompletionTokens) {
		t.Errorf("view tokens %q in, %q out; want %d and %d", v.Facts["prompt_tokens"], v.Facts["completion_tokens"], rec.PromptTokens, rec.CompletionTokens)
	}
	if c := v.Facts["cost"]; !strings.HasPrefix(c, "$") || !costMatches(c, rec.CostUSD) {
		t.Errorf("view cost %q, want about $%g", c, rec.CostUSD)
	}
	if !slices.Contains(v.Errors, "RateLimitError") {
		t.Errorf("view errors %v, want RateLimitError (met on the way)", v.Errors)
	}
	var want []string
	for _, s := range rec.Plan.Steps {
		want = append(want, s.Tool)
	}
	if !slices.Equal(v.Tools, want) {
		t.Errorf("view plan tools %v, want %v", v.Tools, want)
	}
}

// costMatches reports whether a displayed amount ("$0.000412") is within display
// rounding (3 significant digits) of v.
func costMatches(shown string, v float64) bool {
	x, err := strconv.ParseFloat(strings.TrimPrefix(shown, "$"), 64)
	return err == nil && math.Abs(x-v) <= 0.006*v
}

// click sends a real mouse click at (x, y).
func click(ctx context.Context, t *testing.T, pg *cdpPage, x, y float64) {
	t.Helper()
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		if err := pg.c.call(ctx, pg.session, "Input.dispatchMouseEvent", map[string]any{"type": typ, "x": x, "y": y, "button": "left", "clickCount": 1}, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// waitEval polls a boolean expression until it is true.
func waitEval(ctx context.Context, t *testing.T, pg *cdpPage, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ok bool
		if err := pg.eval(ctx, expr, &ok); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("never saw %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// screenshotViewport captures what the window shows (the open dialog over the page).
func (p *cdpPage) screenshotViewport(ctx context.Context, path string) error {
	var r struct {
		Data string `json:"data"`
	}
	if err := p.c.call(ctx, p.session, "Page.captureScreenshot", map[string]any{"format": "png"}, &r); err != nil {
		return err
	}
	return writePNG(path, r.Data)
}

func getAuthed(t *testing.T, url, key string, v any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(max(len(xs), 1))
}

func tickLabels(ax latencyAxis) []string {
	var out []string
	for _, t := range ax.Ticks {
		out = append(out, t.Label)
	}
	return out
}

// TestDashboardExtremeValuesInChromium serves the dashboard with the numbers that used
// to break its layout (sub-cent costs with many digits, billions of tokens, a p50 of
// microseconds next to a p99 of seconds, long tenant names and requests) from a stub of
// the API, and checks at desktop and phone widths that nothing is cut off and that the
// latency axis spans the decades.
func TestDashboardExtremeValuesInChromium(t *testing.T) {
	browser := startChromium(t)
	to := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	sum := metrics.Summary{
		Latency: metrics.Latency{P50: 0.004, P95: 2400, P99: 12345.6, Avg: 812.5}, SuccessRate: 0.987654, FallbackRate: 0.0123,
		CacheHitRate: 0.654321, Window: "1h0m0s", WindowSeconds: 3600, From: to.Add(-time.Hour), To: to,
		Requests: 98765432, Successes: 97543210, Fallbacks: 1214876, PromptTokens: 1234567890, CompletionTokens: 98765432,
		Cost:   metrics.Cost{TotalTokens: 1333333322, TotalCostUSD: 0.0000412345, AvgTokensPerRequest: 13.5},
		Errors: metrics.Errors{Total: 1234567, ByType: map[string]int64{"RateLimitError": 1000000, "TimeoutError": 234567}},
		Plans:  97654321, ValidityRate: 0.99, Refusals: 1111111, LLMRefusals: 1000000, RefusalRate: 0.01125,
		Executions: 5, ExecutionSuccessRate: 0.8, CostPerSuccessfulPlanUSD: 0.00000123456,
		FallbacksByReason: map[string]int64{"provider_error": 1214876}, CacheResults: map[string]int64{"hit": 600, "miss": 400},
		Breakdown: metrics.Breakdown{
			Source: map[string]metrics.Slice{"llm": {Requests: 98765432}},
			Model:  map[string]metrics.Slice{"gpt-4.1-nano-2025-04-14-with-a-long-deployment-name": {Requests: 98765432}},
			Tier:   map[string]metrics.Slice{"simple": {Requests: 98765432}},
			Tenant: map[string]metrics.Slice{
				"the-enterprise-division-of-a-very-large-company-emea-north": {Requests: 98765000, PromptTokens: 1234567000, CompletionTokens: 98765000, CostUSD: 0.0000412},
				"small": {Requests: 432, PromptTokens: 890, CostUSD: 0.000000345},
			},
			APIKey: map[string]metrics.Slice{"3f9a0c1d": {Requests: 98765000, CostUSD: 0.0000412}, "anonymous": {Requests: 432, CostUSD: 0}},
		},
	}
	for i := range 60 {
		p := metrics.Point{Time: to.Add(time.Duration(i-60) * time.Minute), Requests: 1646090, P50: 0.004 + float64(i%7)*0.001,
			P95: 1500 + float64(i%5)*200, P99: 9000 + float64(i%9)*500, Tokens: 22222222, CostUSD: 0.00000068 + float64(i%3)*0.0000001, Errors: int64(i % 4 * 5000)}
		sum.Series = append(sum.Series, p)
	}
	recs := []*history.Record{{ID: "r1", RequestID: "r1", Tenant: "small", Request: strings.Repeat("Book a table for the whole engineering offsite team at the restaurant by the harbour ", 4),
		Source: "llm", Model: "gpt-4.1-nano-2025-04-14-with-a-long-deployment-name", Valid: true, Attempts: 1, LatencyMS: 12345.6, PromptTokens: 123456789, CompletionTokens: 1234, CostUSD: 0.00000123456, Time: to}}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", dashboard.Handler())
	mux.Handle("GET /assets/", dashboard.Handler())
	js := func(v any) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(v)
		}
	}
	mux.Handle("GET /api/v1/metrics/planner", js(sum))
	mux.Handle("GET /api/v1/alerts", js(metrics.Status{Rules: []metrics.Rule{}, Active: []metrics.Alert{}, History: []metrics.Alert{}}))
	mux.Handle("GET /readyz", js(map[string]any{"status": "ready", "tools": 3, "registry_version": "0123456789abcdef"}))
	mux.Handle("GET /api/v1/history", js(map[string]any{"records": recs}))
	mux.Handle("GET /api/v1/history/r1", js(recs[0]))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pg, err := browser.newPage(ctx, 1440, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if err := pg.navigate(ctx, srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	pg.waitFor(ctx, t, "the stub's numbers", func(s dashState) bool { return s.State == "live" && s.Requests == "98765432" })
	var ax latencyAxis
	if err := pg.eval(ctx, readLatencyAxis, &ax); err != nil {
		t.Fatal(err)
	}
	checkLogAxis(t, ax)
	if ax.Min > 0.004 || ax.Max < 13000 {
		t.Errorf("latency axis %g-%g ms (labels %v) does not span 0.004 ms to 13 s", ax.Min, ax.Max, tickLabels(ax))
	}
	root := e2eModuleRoot(t)
	for _, width := range []int{1440, 1024, 390} {
		if err := pg.resize(ctx, width, 900); err != nil {
			t.Fatal(err)
		}
		waitEval(ctx, t, pg, fmt.Sprintf("a render for %d px", width), fmt.Sprintf(`document.querySelector("main").dataset.width === "%d"`, width))
		var cut []string
		if err := pg.eval(ctx, overflowing, &cut); err != nil {
			t.Fatal(err)
		}
		if len(cut) > 0 {
			t.Errorf("cut off at %d px: %v", width, cut)
		}
		if err := pg.screenshot(ctx, width, filepath.Join(root, ".artifacts", fmt.Sprintf("dashboard-extreme-%d.png", width))); err != nil {
			t.Fatal(err)
		}
	}
	// The cost of a plan, a fraction of a cent, is shown whole.
	var costPerPlan string
	if err := pg.eval(ctx, `[...document.querySelectorAll("#kpis .kpi")].find((k) => k.querySelector("dt").textContent === "Cost per plan").querySelector(".v").textContent`, &costPerPlan); err != nil {
		t.Fatal(err)
	}
	if costPerPlan != "$0.00000123" {
		t.Errorf("cost per plan shows %q, want $0.00000123", costPerPlan)
	}
}

// writePNG decodes a base64 PNG into path, creating its directory.
func writePNG(path, b64 string) error {
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}
