// planwise dashboard: fetches the JSON API every few seconds and draws it. No
// dependencies; the charts are small SVG drawn here.
"use strict";

(() => {
  const REFRESH_MS = 5000;
  const FETCH_TIMEOUT_MS = 4000;
  const TOKEN_KEY = "planwise.token";
  const WINDOW_KEY = "planwise.window";
  const SVG = "http://www.w3.org/2000/svg";

  const $ = (id) => document.getElementById(id);
  const state = {
    window: initialWindow(),
    summary: null,
    alerts: null,
    ready: null,
    lastOK: 0,
    firingKey: "",
    authPrompted: false,
    timer: 0,
    inflight: null,
  };

  // ---------- formatting ----------
  const nf = new Intl.NumberFormat(undefined);
  const fmtInt = (n) => nf.format(Math.round(n || 0));
  const fmtCompact = (n) => {
    n = n || 0;
    const a = Math.abs(n);
    if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 0 : 1) + "B";
    if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e7 ? 0 : 1) + "M";
    if (a >= 1e4) return (n / 1e3).toFixed(a >= 1e5 ? 0 : 1) + "k";
    return fmtInt(n);
  };
  const fmtPct = (r) => {
    if (r == null || isNaN(r)) return "–";
    const p = r * 100;
    if (Math.abs(p - Math.round(p)) < 1e-9) return p.toFixed(0) + "%";
    return (p < 1 || p > 99 ? p.toFixed(2) : p.toFixed(1)) + "%";
  };
  const fmtMs = (ms) => {
    if (!ms) return "0 ms";
    if (Number.isInteger(ms) && ms < 1000) return ms + " ms";
    if (ms >= 1000) return (ms / 1000).toFixed(ms >= 10000 ? 1 : 2) + " s";
    if (ms >= 100) return ms.toFixed(0) + " ms";
    if (ms >= 10) return ms.toFixed(1) + " ms";
    return ms.toFixed(2) + " ms";
  };
  const fmtUSD = (v) => {
    v = v || 0;
    if (v === 0) return "$0";
    if (Math.abs(v) >= 100) return "$" + v.toFixed(0);
    if (Math.abs(v) >= 0.1) return "$" + v.toFixed(2);
    return "$" + v.toPrecision(3).replace(/0+$/, "").replace(/\.$/, "");
  };
  // fmtWindow turns a Go duration ("1h0m0s", "5m0s") into "1h", "5m".
  const fmtWindow = (w) => (w === "lifetime" ? w : w.replace(/(\D)0s$/, "$1").replace(/(\D)0m$/, "$1"));
  const fmtTime = (d, withSec) => d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: withSec ? "2-digit" : undefined, hourCycle: "h23" });
  // fmtAgo measures from the server's clock (the summary's "to"), not the browser's.
  const serverNow = () => (state.summary ? new Date(state.summary.to).getTime() : Date.now());
  const fmtAgo = (t) => {
    const s = Math.max(0, Math.round((serverNow() - t) / 1000));
    if (s < 5) return "just now";
    if (s < 60) return s + " s ago";
    if (s < 3600) return Math.round(s / 60) + " min ago";
    if (s < 86400) return (s / 3600).toFixed(1) + " h ago";
    return (s / 86400).toFixed(1) + " d ago";
  };

  // ---------- DOM helpers ----------
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const k of kids) if (k != null) e.append(k);
    return e;
  }
  function sv(tag, attrs, ...kids) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null) continue;
      if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k != null) e.append(k);
    return e;
  }

  // ---------- window and token ----------
  function initialWindow() {
    const q = new URLSearchParams(location.search).get("window");
    const w = q || localStorage.getItem(WINDOW_KEY) || "5m";
    return ["5m", "1h", "lifetime"].includes(w) ? w : "5m";
  }
  function setWindow(w) {
    state.window = w;
    localStorage.setItem(WINDOW_KEY, w);
    const u = new URL(location.href);
    u.searchParams.set("window", w);
    history.replaceState(null, "", u);
    refreshNow();
  }
  const token = () => sessionStorage.getItem(TOKEN_KEY) || "";

  // ---------- fetching ----------
  class HTTPError extends Error {
    constructor(status, msg) { super(msg); this.status = status; }
  }
  async function getJSON(url, signal) {
    const headers = { Accept: "application/json" };
    const t = token();
    if (t) headers.Authorization = "Bearer " + t;
    const res = await fetch(url, { headers, signal, cache: "no-store" });
    if (!res.ok) {
      let msg = res.status + " " + res.statusText;
      try { const b = await res.json(); if (b && b.error && b.error.message) msg = b.error.message; } catch (_) { /* not JSON */ }
      throw new HTTPError(res.status, msg);
    }
    return res.json();
  }

  async function refresh() {
    clearTimeout(state.timer);
    if (state.inflight) state.inflight.abort();
    const ctl = new AbortController();
    state.inflight = ctl;
    const timeout = setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS);
    try {
      const w = encodeURIComponent(state.window);
      const [summary, alerts, ready] = await Promise.all([
        getJSON("api/v1/metrics/planner?window=" + w, ctl.signal),
        getJSON("api/v1/alerts", ctl.signal),
        // Readiness is informative only (offline mode); its failure does not hide metrics.
        getJSON("readyz", ctl.signal).catch((e) => (e instanceof HTTPError ? { status: "not ready" } : null)),
      ]);
      state.ready = ready;
      state.authPrompted = false;
      state.summary = summary;
      state.alerts = alerts;
      state.lastOK = Date.now();
      render();
      setStatus("live", "Live");
      $("updated").textContent = "· updated " + fmtTime(new Date(), true);
    } catch (e) {
      if (ctl.signal.aborted && state.inflight !== ctl) return; // superseded by a newer refresh
      if (e instanceof HTTPError && (e.status === 401 || e.status === 403)) {
        setStatus("auth", token() ? "API key rejected: enter a valid key" : "This server requires an API key");
        // Ask once per failure; the API key button asks again.
        if (!state.authPrompted) openTokenDialog();
        state.authPrompted = true;
      } else if (e instanceof HTTPError) {
        setStatus("error", "Server error: " + e.message);
      } else {
        const since = state.lastOK ? " · last data " + fmtTime(new Date(state.lastOK), true) : "";
        setStatus("unreachable", "Server unreachable, retrying" + since);
      }
    } finally {
      clearTimeout(timeout);
      if (state.inflight === ctl) state.inflight = null;
      state.timer = setTimeout(refresh, REFRESH_MS);
    }
  }
  function refreshNow() { refresh(); }

  // setStatus changes the status line only when it changes, so that screen readers
  // announce state changes rather than every refresh.
  function setStatus(kind, text) {
    document.body.dataset.state = kind;
    const st = $("status-text");
    if (st.textContent !== text) st.textContent = text;
    if (kind !== "live") $("updated").textContent = "";
  }

  // ---------- rendering ----------
  function render() {
    const s = state.summary;
    if (!s) return;
    const main = $("main");
    main.dataset.requests = String(s.requests);
    main.dataset.window = s.window;
    main.dataset.updated = String(Date.now());
    renderMode();
    renderAlerts();
    renderKPIs(s);
    renderCharts(s);
    renderBars("errors", s.errors.by_type, { color: 3, empty: "No errors in this window." });
    renderBars("mix-source", slices(s.breakdown.source), { empty: "No requests yet." });
    renderBars("mix-model", slices(s.breakdown.model), { color: 5, empty: "No requests yet." });
    renderBars("mix-tier", slices(s.breakdown.tier), { color: 4, empty: "No requests yet." });
    renderBars("mix-reason", s.fallbacks_by_reason, { color: 2, empty: "No fallbacks in this window." });
    const cache = Object.assign({}, s.cache_results);
    renderBars("mix-cache", cache, { color: 6, empty: "No cache lookups." });
    const from = new Date(s.from), to = new Date(s.to);
    $("span-text").textContent = (s.window === "lifetime" ? "Lifetime of the process, since " : "Window " + fmtWindow(s.window) + ": ") +
      from.toLocaleString([], { hourCycle: "h23" }) + " → " + fmtTime(to, true) + " · " + fmtInt(s.requests) + " requests.";
  }

  function renderMode() {
    const m = $("mode"), r = state.ready;
    const info = $("server-info");
    info.textContent = r && r.tools != null ? " · " + r.tools + " tools · registry " + String(r.registry_version || "").slice(0, 12) : "";
    if (r && r.offline) { m.hidden = false; m.textContent = "offline: no LLM configured"; }
    else if (r && r.status === "not ready") { m.hidden = false; m.textContent = "not ready"; }
    else m.hidden = true;
  }

  function slices(m) {
    const out = {};
    for (const [k, v] of Object.entries(m || {})) out[k] = v.requests;
    return out;
  }

  function kpi(label, value, detail, level) {
    const wrap = el("div", { class: "kpi" + (level ? " " + level : "") });
    wrap.append(el("dt", { text: label }), el("dd", { class: "v", text: value }));
    if (detail) wrap.append(el("dd", { class: "d", text: detail }));
    return wrap;
  }
  const level = (v, good, warn, higherIsBetter) => {
    if (higherIsBetter) return v >= good ? "good" : v >= warn ? "warn" : "bad";
    return v <= good ? "good" : v <= warn ? "warn" : "bad";
  };

  function renderKPIs(s) {
    const any = s.requests > 0;
    const minutes = s.window === "lifetime" ? (new Date(s.to) - new Date(s.from)) / 60000 : s.window_seconds / 60;
    const perMin = minutes > 0 ? s.requests / minutes : 0;
    const lookups = ["hit", "exact", "miss"].reduce((a, k) => a + (s.cache_results[k] || 0), 0);
    const sat = s.satisfaction;
    const items = [
      kpi("Requests", fmtCompact(s.requests), perMin ? perMin.toFixed(perMin < 10 ? 1 : 0) + " / min" : "no traffic"),
      kpi("Success rate", any ? fmtPct(s.success_rate) : "–", fmtInt(s.successes) + " valid plans", any && level(s.success_rate, 0.99, 0.95, true)),
      kpi("Fallback rate", any ? fmtPct(s.fallback_rate) : "–", fmtInt(s.fallbacks) + " offline answers", any && level(s.fallback_rate, 0.05, 0.10, false)),
      kpi("Cache hit rate", lookups ? fmtPct(s.cache_hit_rate) : "–", fmtInt(lookups) + " lookups"),
      kpi("p50 latency", any ? fmtMs(s.latency.p50_ms) : "–", "mean " + fmtMs(s.latency.avg_ms)),
      kpi("p95 latency", any ? fmtMs(s.latency.p95_ms) : "–", "1 in 20 slower"),
      kpi("p99 latency", any ? fmtMs(s.latency.p99_ms) : "–", "1 in 100 slower"),
      kpi("Tokens", fmtCompact(s.cost.total_tokens), fmtCompact(s.prompt_tokens) + " in · " + fmtCompact(s.completion_tokens) + " out"),
      kpi("Cost", fmtUSD(s.cost.total_cost_usd), fmtInt(s.cost.avg_tokens_per_request) + " tokens / request"),
      kpi("Cost per plan", s.successes ? fmtUSD(s.cost_per_successful_plan_usd) : "–", "per successful plan"),
      kpi("Plan validity", any ? fmtPct(s.validity_rate) : "–", "first plan valid", any && level(s.validity_rate, 0.95, 0.85, true)),
      kpi("Execution success", s.executions ? fmtPct(s.execution_success_rate) : "–", fmtInt(s.executions) + " executions", s.executions && level(s.execution_success_rate, 0.95, 0.85, true)),
      kpi("Errors", fmtCompact(s.errors.total), topError(s.errors.by_type), s.errors.total ? "warn" : any && "good"),
      kpi("Satisfaction", sat.feedback_count ? fmtPct(sat.feedback_positive_ratio) : "–",
        fmtInt(sat.feedback_count) + " feedback · retry " + fmtPct(sat.retry_rate)),
    ];
    $("kpis").replaceChildren(...items);
  }

  function topError(byType) {
    const top = Object.entries(byType || {}).sort((a, b) => b[1] - a[1])[0];
    return top ? "most: " + top[0] : "none in this window";
  }

  function renderAlerts() {
    const body = $("alerts-body");
    const a = state.alerts || { active: [], history: [], rules: [] };
    // Announce changes of the firing set once, not on every refresh.
    const key = a.active.map((al) => al.rule + "/" + (al.key || "")).join(",");
    if (key !== state.firingKey) {
      $("alerts-live").textContent = a.active.length
        ? a.active.length + " alert" + (a.active.length > 1 ? "s" : "") + " firing: " + a.active.map((al) => al.rule).join(", ")
        : state.firingKey ? "All alerts resolved." : "";
      state.firingKey = key;
    }
    if (!a.active.length) {
      body.replaceChildren(el("p", { class: "ok", text: "✓ No alerts firing · " + a.rules.length + " rules watching" }));
    } else {
      const ul = el("ul", { "aria-label": a.active.length + " alerts firing" });
      for (const al of a.active) {
        const since = new Date(al.starts_at);
        ul.append(el("li", { class: "alert " + (al.severity === "critical" ? "critical" : "warning") },
          el("span", { class: "sev", text: al.severity || "alert" }),
          el("span", { class: "name", text: al.rule + (al.key ? " · " + al.key : "") }),
          el("span", { class: "since", text: "firing since " + fmtTime(since, true) + "\n" + fmtAgo(since) }),
          el("span", { class: "msg", text: al.message })));
      }
      body.replaceChildren(ul);
    }
    const hist = (a.history || []).slice(-12).reverse();
    if (!hist.length) {
      $("history").replaceChildren(el("p", { class: "none", text: "No alert has fired since the server started." }));
      return;
    }
    const tbody = el("tbody");
    for (const h of hist) {
      const t = new Date(h.state === "resolved" && h.ends_at ? h.ends_at : h.starts_at);
      tbody.append(el("tr", null,
        el("td", { text: fmtTime(t, true) }),
        el("td", null, el("span", { class: "badge " + h.state, text: h.state })),
        el("td", { text: h.rule + (h.key ? " · " + h.key : "") }),
        el("td", { text: h.message })));
    }
    $("history").replaceChildren(el("table", null,
      el("thead", null, el("tr", null, el("th", { scope: "col", text: "Time" }), el("th", { scope: "col", text: "State" }),
        el("th", { scope: "col", text: "Rule" }), el("th", { scope: "col", text: "Details" }))), tbody));
  }

  function renderBars(id, counts, opts) {
    const host = $(id);
    const entries = Object.entries(counts || {}).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
    if (!entries.length) {
      host.replaceChildren(el("p", { class: "none", text: opts.empty }));
      return;
    }
    const total = entries.reduce((a, [, v]) => a + v, 0);
    const top = entries[0][1];
    const ul = el("ul");
    entries.forEach(([k, v], i) => {
      const fill = el("div", { class: "fill bg" + (opts.color || (i % 6) + 1) });
      fill.style.setProperty("width", Math.max(2, (100 * v) / top) + "%");
      ul.append(el("li", null,
        el("span", { class: "lbl", text: k, title: k }),
        el("span", { class: "num", text: fmtInt(v) + " · " + fmtPct(v / total) }),
        el("div", { class: "track", "aria-hidden": "true" }, fill)));
    });
    host.replaceChildren(ul);
  }

  // ---------- charts ----------
  function renderCharts(s) {
    const pts = s.series || [];
    const times = pts.map((p) => new Date(p.time));
    const busy = (f) => pts.map((p) => (p.requests > 0 ? f(p) : null));
    chart("chart-latency", times, [
      { name: "p50", values: busy((p) => p.p50_ms), c: 1, area: true },
      { name: "p95", values: busy((p) => p.p95_ms), c: 2 },
      { name: "p99", values: busy((p) => p.p99_ms), c: 3 },
    ], { fmt: fmtMs });
    chart("chart-traffic", times, [
      { name: "requests", values: pts.map((p) => p.requests), c: 1, bar: true },
      { name: "errors", values: pts.map((p) => p.errors), c: 3 },
    ], { fmt: fmtInt, integer: true });
    chart("chart-rates", times, [
      { name: "fallback rate", values: busy((p) => p.fallback_rate), c: 2, area: true },
      // A slot without cache lookups has no hit rate; summaries that report lookups per
      // slot let the line break there instead of dropping to 0.
      { name: "cache-hit rate", values: pts.map((p) => ((p.cache_lookups ?? p.requests) > 0 ? p.cache_hit_rate : null)), c: 4 },
    ], { fmt: fmtPct, max: 1 });
    chart("chart-cost", times, [
      { name: "tokens", values: pts.map((p) => p.tokens), c: 5, bar: true },
      { name: "cost", values: pts.map((p) => p.cost_usd), c: 4, right: true },
    ], { fmt: fmtCompact, fmt2: fmtUSD, integer: true, empty: "No LLM tokens in this window." });
  }

  // niceTicks returns about n round tick values from 0 to at least max.
  function niceTicks(max, n, integer) {
    if (!(max > 0)) max = integer ? 1 : 1;
    const raw = max / n;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw) || 10 * mag;
    if (integer) step = Math.max(1, Math.ceil(step));
    const ticks = [];
    for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(v);
    if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
    return ticks;
  }

  function chart(id, times, series, opts) {
    const fig = $(id);
    const host = fig.querySelector(".plot");
    const W = Math.max(280, host.clientWidth || 520), H = 220;
    const m = { l: 56, r: series.some((x) => x.right) ? 60 : 14, t: 10, b: 26 };
    const iw = W - m.l - m.r, ih = H - m.t - m.b;
    const n = times.length;
    const left = series.filter((x) => !x.right), right = series.filter((x) => x.right);
    const maxOf = (ss) => Math.max(0, ...ss.flatMap((x) => x.values.filter((v) => v != null)));
    const lt = niceTicks(opts.max != null ? Math.max(opts.max * 0.25, Math.min(opts.max, maxOf(left) * 1.1)) : maxOf(left), 4, opts.integer);
    const ly = lt[lt.length - 1] || 1;
    const rt = right.length ? niceTicks(maxOf(right), 4) : null;
    const ry = rt ? rt[rt.length - 1] || 1 : 1;
    const slotW = n > 0 ? iw / n : iw;
    const x = (i) => m.l + slotW * (i + 0.5);
    const yL = (v) => m.t + ih - (ih * v) / ly;
    const yR = (v) => m.t + ih - (ih * v) / ry;
    const withData = series[0].values.filter((v, i) => v != null && (series[0].bar ? v > 0 : true)).length;
    const titleId = id + "-t", descId = id + "-d";
    const title = fig.querySelector("h3").textContent;
    const svg = sv("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": titleId, "aria-describedby": descId, "data-points": String(withData) },
      sv("title", { id: titleId, text: title }),
      sv("desc", { id: descId, text: describe(times, series, opts) }));

    const grid = sv("g", { class: "grid" }), axis = sv("g", { class: "axis" });
    for (const v of lt) {
      grid.append(sv("line", { x1: m.l, x2: W - m.r, y1: yL(v), y2: yL(v) }));
      axis.append(sv("text", { x: m.l - 8, y: yL(v) + 4, "text-anchor": "end", text: opts.fmt(v) }));
    }
    if (rt) for (const v of rt) axis.append(sv("text", { x: W - m.r + 8, y: yR(v) + 4, "text-anchor": "start", text: (opts.fmt2 || opts.fmt)(v) }));
    const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(iw / 70))));
    const withSec = n > 1 && times[1] - times[0] < 60000;
    for (let i = 0; i < n; i += every) axis.append(sv("text", { x: x(i), y: H - 6, "text-anchor": "middle", text: fmtTime(times[i], withSec) }));
    svg.append(grid, axis);

    const bars = series.filter((x) => x.bar);
    series.forEach((s) => {
      const y = s.right ? yR : yL;
      const g = sv("g", { class: "series" });
      if (s.bar) {
        const bw = Math.max(1, Math.min(28, slotW * 0.7 / bars.length));
        const off = bars.indexOf(s) - (bars.length - 1) / 2;
        s.values.forEach((v, i) => {
          if (!v) return;
          g.append(sv("rect", { class: "f" + s.c, x: x(i) - bw / 2 + off * bw, y: y(v), width: bw, height: Math.max(0.5, m.t + ih - y(v)), rx: Math.min(3, bw / 3) }));
        });
      } else {
        // Lines break where a slot had no traffic; a lone point is drawn as a dot.
        let d = "", area = "", run = [];
        const flush = () => {
          if (run.length === 1) g.append(sv("circle", { class: "f" + s.c, cx: run[0][0], cy: run[0][1], r: 3 }));
          if (run.length > 1) {
            const seg = run.map((p, k) => (k ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1)).join("");
            d += seg;
            if (s.area) area += seg + `L${run[run.length - 1][0].toFixed(1)} ${m.t + ih}L${run[0][0].toFixed(1)} ${m.t + ih}Z`;
          }
          run = [];
        };
        s.values.forEach((v, i) => { if (v == null) flush(); else run.push([x(i), y(v)]); });
        flush();
        if (area) g.append(sv("path", { class: "area f" + s.c, d: area }));
        if (d) g.append(sv("path", { class: "line k" + s.c, d }));
      }
      svg.append(g);
    });

    // Hover: a cursor line and a tooltip with the slot's values.
    const cursor = sv("g", { class: "cursor", visibility: "hidden" }, sv("line", { y1: m.t, y2: m.t + ih }));
    const hit = sv("rect", { class: "hit", x: m.l, y: m.t, width: iw, height: ih });
    svg.append(cursor, hit);
    const tip = el("div", { class: "tip", hidden: true });
    hit.addEventListener("mousemove", (ev) => {
      if (!n) return;
      const r = svg.getBoundingClientRect();
      const px = ((ev.clientX - r.left) * W) / r.width;
      const i = Math.min(n - 1, Math.max(0, Math.floor((px - m.l) / slotW)));
      cursor.setAttribute("visibility", "visible");
      cursor.firstChild.setAttribute("x1", x(i));
      cursor.firstChild.setAttribute("x2", x(i));
      tip.replaceChildren(el("b", { text: fmtTime(times[i], true) }),
        ...series.map((s) => el("div", { class: "c" + s.c, text: s.name + ": " + (s.values[i] == null ? "no traffic" : (s.right ? opts.fmt2 || opts.fmt : opts.fmt)(s.values[i])) })));
      tip.hidden = false;
      const tx = (x(i) / W) * r.width;
      tip.style.setProperty("left", Math.min(r.width - 150, tx + 12) + "px");
      tip.style.setProperty("top", "8px");
    });
    hit.addEventListener("mouseleave", () => { cursor.setAttribute("visibility", "hidden"); tip.hidden = true; });

    const legend = el("ul", { class: "legend" });
    for (const s of series) {
      const last = [...s.values].reverse().find((v) => v != null);
      legend.append(el("li", null, el("span", { class: "sw bg" + s.c, "aria-hidden": "true" }), s.name,
        el("span", { class: "cur", text: last == null ? "" : (s.right ? opts.fmt2 || opts.fmt : opts.fmt)(last) })));
    }
    const kids = [svg, tip, legend];
    if (!withData) kids.push(el("div", { class: "empty", text: opts.empty || "No traffic in this window yet." }));
    host.replaceChildren(...kids);
  }

  // describe summarises a chart in words for screen readers.
  function describe(times, series, opts) {
    if (!times.length) return "No data.";
    const parts = series.map((s) => {
      const vals = s.values.filter((v) => v != null);
      if (!vals.length) return s.name + ": no data";
      const f = s.right ? opts.fmt2 || opts.fmt : opts.fmt;
      return `${s.name}: latest ${f(vals[vals.length - 1])}, highest ${f(Math.max(...vals))}`;
    });
    return `${times.length} time slots from ${fmtTime(times[0])} to ${fmtTime(times[times.length - 1])}. ${parts.join("; ")}.`;
  }

  // ---------- token dialog ----------
  function openTokenDialog() {
    const d = $("token-dialog");
    if (d.open) return;
    $("token-input").value = token();
    if (typeof d.showModal === "function") d.showModal();
  }

  // ---------- start ----------
  function start() {
    document.querySelectorAll('input[name="window"]').forEach((r) => {
      r.checked = r.value === state.window;
      r.addEventListener("change", () => r.checked && setWindow(r.value));
    });
    $("token-btn").addEventListener("click", openTokenDialog);
    $("token-form").addEventListener("submit", () => {
      const v = $("token-input").value.trim();
      if (v) sessionStorage.setItem(TOKEN_KEY, v); else sessionStorage.removeItem(TOKEN_KEY);
      state.authPrompted = false;
      refreshNow();
    });
    $("token-clear").addEventListener("click", () => {
      sessionStorage.removeItem(TOKEN_KEY);
      $("token-dialog").close();
      refreshNow();
    });
    let resize = 0;
    window.addEventListener("resize", () => { clearTimeout(resize); resize = setTimeout(render, 150); });
    document.addEventListener("visibilitychange", () => { if (!document.hidden) refreshNow(); });
    refresh();
  }
  start();
})();
