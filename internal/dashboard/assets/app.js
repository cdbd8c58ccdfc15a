// planwise dashboard: fetches the JSON API every few seconds and draws it. No
// dependencies; the charts are small SVG drawn here.
"use strict";

(() => {
  const REFRESH_MS = 5000;
  const FETCH_TIMEOUT_MS = 4000;
  const RECENT_REQUESTS = 15;
  const TOKEN_KEY = "planwise.token";
  const WINDOW_KEY = "planwise.window";
  const SVG = "http://www.w3.org/2000/svg";

  const $ = (id) => document.getElementById(id);
  const state = {
    window: initialWindow(),
    summary: null,
    alerts: null,
    ready: null,
    history: null, // recent request records; null when the server has no history routes
    detailID: "", // the request shown in the per-request view
    pendingDetail: "", // a request named by the URL (#request=ID), opened after the first refresh
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
    if (ms < 1) return +(ms * 1000).toPrecision(ms < 0.01 ? 1 : 3) + " µs"; // a cache hit
    if (Number.isInteger(ms) && ms < 1000) return ms + " ms";
    if (ms >= 1000) return (ms / 1000).toFixed(ms >= 10000 ? 1 : 2) + " s";
    if (ms >= 100) return ms.toFixed(0) + " ms";
    if (ms >= 10) return ms.toFixed(1) + " ms";
    return ms.toFixed(2) + " ms";
  };
  // fmtUSD keeps three significant digits of small amounts ($0.000412), never switching
  // to exponent notation; below a millionth of a dollar it says so.
  const fmtUSD = (v) => {
    v = v || 0;
    if (v === 0) return "$0";
    const a = Math.abs(v);
    if (a >= 100) return "$" + v.toFixed(0);
    if (a >= 0.1) return "$" + v.toFixed(2);
    if (a < 1e-6) return v < 0 ? "-<$0.000001" : "<$0.000001";
    const digits = Math.min(8, 2 - Math.floor(Math.log10(a)));
    return "$" + v.toFixed(digits).replace(/0+$/, "").replace(/\.$/, "");
  };
  // Axis ticks: as few digits as the tick needs.
  const fmtMsTick = (ms) => {
    if (ms >= 1000) return +(ms / 1000).toPrecision(3) + " s";
    if (ms < 1) return +(ms * 1000).toPrecision(3) + " µs";
    return +ms.toPrecision(3) + " ms";
  };
  // A tick keeps its significant digits in fixed notation ($0.00000075, not $7.5e-7).
  const fmtUSDTick = (v) => {
    if (v === 0) return "$0";
    const d = Math.min(12, Math.max(0, Math.ceil(-Math.log10(Math.abs(v))) + 2));
    return "$" + v.toFixed(d).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
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
      const [summary, alerts, ready, hist] = await Promise.all([
        getJSON("api/v1/metrics/planner?window=" + w, ctl.signal),
        getJSON("api/v1/alerts", ctl.signal),
        // Readiness is informative only (offline mode); its failure does not hide metrics.
        getJSON("readyz", ctl.signal).catch((e) => (e instanceof HTTPError ? { status: "not ready" } : null)),
        // A server without the learning loop has no history: the section says so.
        getJSON("api/v1/history?limit=" + RECENT_REQUESTS, ctl.signal).catch((e) => {
          if (e instanceof HTTPError && e.status === 404) return null;
          throw e;
        }),
      ]);
      state.ready = ready;
      state.history = hist;
      state.authPrompted = false;
      state.summary = summary;
      state.alerts = alerts;
      state.lastOK = Date.now();
      render();
      setStatus("live", "Live");
      if (state.pendingDetail) {
        openRequest(state.pendingDetail);
        state.pendingDetail = "";
      }
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
    main.dataset.width = String(window.innerWidth); // the layout width this render fits
    renderMode();
    renderAlerts();
    renderKPIs(s);
    // A tenant's key gets its tenant's totals; the series and the breakdowns by source,
    // model and tier cover every tenant and are an admin key's (the metrics API's scope).
    const tenant = (s.scope || "").startsWith("tenant:") ? s.scope.slice(7) : "";
    const adminOnly = tenant && s.requests > 0 ? "Shown to admin keys: this key sees tenant " + tenant + "'s totals." : "";
    renderCharts(s, adminOnly);
    renderBars("errors", s.errors.by_type, { color: 3, empty: (s.errors.total && adminOnly) || "No errors in this window." });
    renderBars("mix-source", slices(s.breakdown.source), { empty: adminOnly || "No requests yet." });
    renderBars("mix-model", slices(s.breakdown.model), { color: 5, empty: adminOnly || "No requests yet." });
    renderBars("mix-tier", slices(s.breakdown.tier), { color: 4, empty: adminOnly || "No requests yet." });
    renderBars("mix-reason", s.fallbacks_by_reason, { color: 2, empty: (s.fallbacks && adminOnly) || "No fallbacks in this window." });
    const cache = Object.assign({}, s.cache_results);
    renderBars("mix-cache", cache, { color: 6, empty: adminOnly || "No cache lookups." });
    renderSpend("spend-tenant", s.breakdown.tenant, "tenant");
    renderSpend("spend-key", s.breakdown.api_key, "key");
    renderRequests();
    const from = new Date(s.from), to = new Date(s.to);
    $("span-text").textContent = (s.window === "lifetime" ? "Lifetime of the process, since " : "Window " + fmtWindow(s.window) + ": ") +
      from.toLocaleString([], { hourCycle: "h23" }) + " → " + fmtTime(to, true) + " · " + fmtInt(s.requests) + " requests.";
  }

  function renderMode() {
    const sc = $("scope"), scope = (state.summary && state.summary.scope) || "";
    sc.hidden = !scope.startsWith("tenant:");
    sc.textContent = sc.hidden ? "" : "tenant " + scope.slice(7);
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
      kpi("Requests", fmtCompact(s.requests), perMin ? (perMin < 10 ? perMin.toFixed(1) : fmtInt(perMin)) + " / min" : "no traffic"),
      kpi("Success rate", any ? fmtPct(s.success_rate) : "–", fmtInt(s.successes) + " valid plans", any && level(s.success_rate, 0.99, 0.95, true)),
      kpi("Fallback rate", any ? fmtPct(s.fallback_rate) : "–", fmtInt(s.fallbacks) + " offline answers", any && level(s.fallback_rate, 0.05, 0.10, false)),
      kpi("Cache hit rate", lookups ? fmtPct(s.cache_hit_rate) : "–", fmtInt(lookups) + " lookups"),
      kpi("p50 latency", any ? fmtMs(s.latency.p50_ms) : "–", "mean " + fmtMs(s.latency.avg_ms)),
      kpi("p95 latency", any ? fmtMs(s.latency.p95_ms) : "–", "1 in 20 slower"),
      kpi("p99 latency", any ? fmtMs(s.latency.p99_ms) : "–", "1 in 100 slower"),
      kpi("Tokens", fmtCompact(s.cost.total_tokens), fmtCompact(s.prompt_tokens) + " in · " + fmtCompact(s.completion_tokens) + " out"),
      kpi("Cost", fmtUSD(s.cost.total_cost_usd), fmtInt(s.cost.avg_tokens_per_request) + " tokens / request"),
      kpi("Cost per plan", s.successes ? fmtUSD(s.cost_per_successful_plan_usd) : "–", "per successful plan"),
      // A refusal ("no tool fits") produced no plan: validity is over the plans sent.
      kpi("Plan validity", s.plans ? fmtPct(s.validity_rate) : "–", "first plan valid · of " + fmtInt(s.plans || 0) + " plans", s.plans && level(s.validity_rate, 0.95, 0.85, true)),
      kpi("Refusals", any ? fmtPct(s.refusal_rate) : "–", fmtInt(s.refusals) + " no tool fits · " + fmtInt(s.llm_refusals) + " by the LLM"),
      kpi("Execution success", s.executions ? fmtPct(s.execution_success_rate) : "–", fmtInt(s.executions) + " executions", s.executions && level(s.execution_success_rate, 0.95, 0.85, true)),
      kpi("Errors", fmtCompact(s.errors.total), topError(s.errors.by_type), s.errors.total ? "warn" : any && "good"),
      kpi("Satisfaction", sat.feedback_count ? fmtPct(sat.feedback_positive_ratio) : "–",
        fmtInt(sat.feedback_count) + " feedback · retry " + fmtPct(sat.retry_rate)),
    ];
    $("kpis").replaceChildren(...items);
    fitValues(document.querySelectorAll("#kpis .kpi .v"));
  }

  // fitValues shrinks the font of a value wider than its card (a sub-cent cost, a large
  // count on a phone) until it fits, and wraps it when even the smallest size does not.
  function fitValues(els) {
    for (const v of els) {
      v.classList.remove("wrap");
      v.style.removeProperty("font-size");
      let size = parseFloat(getComputedStyle(v).fontSize);
      while (v.scrollWidth > v.clientWidth + 0.5 && size > 14) {
        size -= 1;
        v.style.setProperty("font-size", size + "px");
      }
      if (v.scrollWidth > v.clientWidth + 0.5) v.classList.add("wrap");
    }
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

  // ---------- spend ----------
  // renderSpend lists what each tenant or API key spent in the window, most first. The
  // rows are whatever the metrics API returns: all tenants for a server without tenant
  // scoping or an admin key, the caller's own otherwise.
  function renderSpend(id, slices, kind) {
    const host = $(id);
    const rows = Object.entries(slices || {}).sort((a, b) => b[1].cost_usd - a[1].cost_usd || b[1].requests - a[1].requests || a[0].localeCompare(b[0]));
    if (!rows.length) {
      host.replaceChildren(el("p", { class: "none", text: "No requests in this window." }));
      return;
    }
    const total = rows.reduce((a, [, v]) => a + (v.cost_usd || 0), 0);
    const tbody = el("tbody");
    for (const [name, v] of rows) {
      const tokens = (v.prompt_tokens || 0) + (v.completion_tokens || 0);
      const label = kind === "key" && name === "anonymous" ? "anonymous (no API key)" : name;
      const share = el("span", { class: "share", "aria-hidden": "true" }, el("span"));
      share.firstChild.style.setProperty("width", (total > 0 ? (100 * v.cost_usd) / total : 0) + "%");
      tbody.append(el("tr", { "data-name": name, "data-cost": String(v.cost_usd || 0) },
        el("td", { class: "name", title: label }, label, share),
        el("td", { class: "num", "data-label": "requests", text: fmtInt(v.requests) }),
        el("td", { class: "num", "data-label": "tokens", text: fmtCompact(tokens) }),
        el("td", { class: "num", "data-label": "cost", text: fmtUSD(v.cost_usd) }),
        el("td", { class: "num", "data-label": "share", text: total > 0 ? fmtPct(v.cost_usd / total) : "–" })));
    }
    host.replaceChildren(el("table", null,
      el("thead", null, el("tr", null,
        el("th", { scope: "col", text: kind === "key" ? "API key" : "Tenant" }),
        el("th", { scope: "col", class: "num", text: "Requests" }),
        el("th", { scope: "col", class: "num", text: "Tokens" }),
        el("th", { scope: "col", class: "num", text: "Cost" }),
        el("th", { scope: "col", class: "num", text: "Share" }))), tbody));
  }

  // ---------- recent requests and the per-request view ----------
  // A record is opened by its id, planwise's own; its request id (a client's
  // X-Request-ID, which two requests may share) is shown, not looked up.
  const recordID = (r) => r.id || r.request_id;
  const tokensOf = (r) => (r.prompt_tokens || 0) + (r.completion_tokens || 0);

  function renderRequests() {
    const host = $("requests");
    const h = state.history;
    $("requests-section").hidden = false;
    if (!h) {
      host.replaceChildren(el("p", { class: "none", text: "This server keeps no history (GET /api/v1/history is not mounted)." }));
      return;
    }
    const rs = h.records || [];
    if (!rs.length) {
      host.replaceChildren(el("p", { class: "none", text: "No requests recorded yet." }));
      return;
    }
    const tbody = el("tbody");
    for (const r of rs) {
      const id = recordID(r);
      const open = el("button", { type: "button", class: "link", title: r.request, "data-id": id, text: r.request });
      open.addEventListener("click", (ev) => { ev.stopPropagation(); openRequest(id); });
      const tr = el("tr", { "data-id": id },
        el("td", { text: fmtTime(new Date(r.time), true) }),
        el("td", null, open),
        el("td", null, sourceBadge(r)),
        el("td", { text: r.model || "–", title: r.model || "" }),
        el("td", { class: "num", text: fmtMs(r.latency_ms) }),
        el("td", { class: "num", text: tokensOf(r) ? fmtCompact(tokensOf(r)) : "–" }),
        el("td", { class: "num", text: r.cost_usd ? fmtUSD(r.cost_usd) : "–" }),
        el("td", null, outcome(r)));
      tr.addEventListener("click", () => openRequest(id));
      tbody.append(tr);
    }
    host.replaceChildren(el("table", null,
      el("thead", null, el("tr", null, ...["Time", "Request", "Source", "Model"].map((t) => el("th", { scope: "col", text: t })),
        ...["Latency", "Tokens", "Cost"].map((t) => el("th", { scope: "col", class: t === "Cost" ? "num cost" : "num", text: t })),
        el("th", { scope: "col", text: "Outcome" }))), tbody));
  }

  function sourceBadge(r) {
    const cls = r.source === "none" ? "src err" : r.fallback ? "src fb" : "src";
    return el("span", { class: cls, title: r.fallback ? "fallback: " + (r.fallback_reason || "") : "" }, r.source + (r.fallback ? " · fallback" : ""));
  }
  function outcome(r) {
    if (r.error_type) return el("span", { class: "bad-text", text: r.error_type });
    if (r.execution) return el("span", { class: r.execution.status === "succeeded" ? "ok-text" : "bad-text", text: "run " + r.execution.status });
    return el("span", { class: "ok-text", text: r.valid ? "planned" : "planned (repaired)" });
  }

  async function openRequest(id) {
    const d = $("request-dialog");
    state.detailID = id;
    d.dataset.id = id;
    d.dataset.state = "loading";
    $("request-detail").replaceChildren(el("p", { class: "none", text: "Loading…" }));
    if (!d.open && typeof d.showModal === "function") d.showModal();
    const u = new URL(location.href);
    u.hash = "request=" + encodeURIComponent(id);
    history.replaceState(null, "", u);
    try {
      const r = await getJSON("api/v1/history/" + encodeURIComponent(id));
      if (state.detailID !== id) return; // another request was opened meanwhile
      renderDetail(r);
      d.dataset.state = "loaded";
    } catch (e) {
      if (state.detailID !== id) return;
      d.dataset.state = "error";
      $("request-detail").replaceChildren(el("p", { class: "bad-text",
        text: e instanceof HTTPError && e.status === 404 ? "This request is not in the history (expired, or another tenant's)." : "Could not load the request: " + e.message }));
    }
  }

  function closeRequest() {
    state.detailID = "";
    const u = new URL(location.href);
    u.hash = "";
    history.replaceState(null, "", u);
  }

  function fact(label, value, key) {
    return el("div", { "data-fact": key }, el("dt", { text: label }), el("dd", { text: value }));
  }

  function renderDetail(r) {
    $("request-h").textContent = "Request " + recordID(r).slice(0, 36); // a UUIDv7 in full
    const kids = [];
    kids.push(el("div", null,
      el("p", { class: "req", text: r.request }),
      el("p", { class: "meta", text: new Date(r.time).toLocaleString([], { hourCycle: "h23" }) + " · request " + (r.request_id || recordID(r)) +
        " · tenant " + r.tenant + (r.api_key ? " · key " + r.api_key : "") })));
    const badges = el("div", { class: "badges" }, sourceBadge(r), outcome(r));
    if (r.fallback && r.fallback_reason) badges.append(el("span", { class: "src fb", text: "reason: " + r.fallback_reason }));
    if (r.retry) badges.append(el("span", { class: "src fb", text: "asked again" }));
    kids.push(badges);
    const prompt = [r.variant, r.prompt_version && r.prompt_version.slice(0, 12)].filter(Boolean).join(" · ");
    kids.push(el("dl", { class: "facts" },
      fact("Source", r.source + (r.fallback ? " (fallback)" : ""), "source"),
      fact("Model", r.model || "none", "model"),
      fact("Tier", r.tier || "–", "tier"),
      fact("Latency", fmtMs(r.latency_ms), "latency"),
      fact("Attempts", String(r.attempts || 0), "attempts"),
      fact("Tokens in", fmtInt(r.prompt_tokens), "prompt_tokens"),
      fact("Tokens out", fmtInt(r.completion_tokens), "completion_tokens"),
      fact("Cost", fmtUSD(r.cost_usd), "cost"),
      fact("Prompt", prompt || "–", "prompt"),
      fact("First plan", r.valid ? "valid" : "invalid", "valid"),
      fact("Feedback", r.feedback == null ? "none" : r.feedback > 0 ? "👍 good" : r.feedback < 0 ? "👎 bad" : "neutral", "feedback")));
    // Errors: the ones met on the way (retried, repaired, fallen back from), the final one,
    // and the validation issues of the first answer.
    const errs = el("section", { "data-part": "errors" }, el("h3", { text: "Errors" }));
    const met = {};
    for (const e of r.errors || []) met[e] = (met[e] || 0) + 1;
    if (!Object.keys(met).length && !r.error_type && !(r.issue_codes || []).length) {
      errs.append(el("p", { class: "none", text: "No errors." }));
    } else {
      if (Object.keys(met).length) {
        errs.append(el("p", { class: "meta", text: "Met on the way (retried, repaired or fallen back from):" }),
          el("ul", { class: "chips" }, ...Object.entries(met).map(([k, n]) => el("li", { text: n > 1 ? k + " ×" + n : k }))));
      }
      if (r.error_type) errs.append(el("p", { class: "bad-text", text: "Final error: " + r.error_type }));
      if ((r.issue_codes || []).length) {
        errs.append(el("p", { class: "meta", text: "First answer failed validation: " + r.issue_codes.join(", ") +
          ((r.issue_fields || []).length ? " (" + r.issue_fields.join(", ") + ")" : "") }));
      }
    }
    kids.push(errs);
    const planPart = el("section", { "data-part": "plan" }, el("h3", { text: "Plan" }));
    const steps = (r.plan && r.plan.steps) || [];
    if (!steps.length) {
      planPart.append(el("p", { class: "none", text: "No plan was returned." }));
    } else {
      if (r.plan.goal) planPart.append(el("p", { class: "meta", text: "Goal: " + r.plan.goal }));
      const tb = el("tbody");
      for (const s of steps) {
        const deps = [s.after && s.after.length ? "after " + s.after.join(", ") : "", s.if ? "if " + s.if : "", s.for_each ? "for each " + s.for_each : ""].filter(Boolean).join(" · ");
        tb.append(el("tr", { "data-step": s.id },
          el("td", { text: s.id }),
          el("td", null, el("b", { text: s.tool }), deps ? el("div", { class: "meta", text: deps }) : null),
          el("td", null, el("pre", { text: JSON.stringify(s.args || {}, null, 1) }))));
      }
      planPart.append(el("table", { class: "steps" },
        el("thead", null, el("tr", null, el("th", { scope: "col", text: "Step" }), el("th", { scope: "col", text: "Tool" }), el("th", { scope: "col", text: "Arguments" }))), tb));
    }
    kids.push(planPart);
    if (r.execution) {
      const ex = r.execution;
      const part = el("section", { "data-part": "execution" }, el("h3", { text: "Execution" }),
        el("p", { class: ex.status === "succeeded" ? "ok-text" : "bad-text", text: "Run " + (ex.run_id || "") + ": " + ex.status + " in " + fmtMs(ex.duration_ms) }));
      const tb = el("tbody");
      for (const s of ex.steps || []) {
        tb.append(el("tr", null, el("td", { text: s.id }), el("td", { text: s.tool }),
          el("td", { class: s.status === "succeeded" ? "ok-text" : s.status === "failed" ? "bad-text" : "", text: s.status }),
          el("td", { text: s.error || "" })));
      }
      if ((ex.steps || []).length) part.append(el("table", { class: "steps" }, tb));
      kids.push(part);
    }
    $("request-detail").replaceChildren(...kids);
  }

  // ---------- charts ----------
  // adminOnly, when set, is what an empty chart says (a tenant's key gets no series).
  function renderCharts(s, adminOnly) {
    const pts = s.series || [];
    const times = pts.map((p) => new Date(p.time));
    const busy = (f) => pts.map((p) => (p.requests > 0 ? f(p) : null));
    // A log axis: p50 (a cache hit takes microseconds) stays visible next to a p99 of
    // seconds, and a tenfold change looks the same at any height.
    chart("chart-latency", times, [
      { name: "p50", values: busy((p) => p.p50_ms), c: 1, area: true },
      { name: "p95", values: busy((p) => p.p95_ms), c: 2 },
      { name: "p99", values: busy((p) => p.p99_ms), c: 3 },
    ], { fmt: fmtMs, tick: fmtMsTick, log: true, empty: adminOnly });
    chart("chart-traffic", times, [
      { name: "requests", values: pts.map((p) => p.requests), c: 1, bar: true },
      { name: "errors", values: pts.map((p) => p.errors), c: 3 },
    ], { fmt: fmtInt, integer: true, empty: adminOnly });
    chart("chart-rates", times, [
      { name: "fallback rate", values: busy((p) => p.fallback_rate), c: 2, area: true },
      // A slot without cache lookups has no hit rate; summaries that report lookups per
      // slot let the line break there instead of dropping to 0.
      { name: "cache-hit rate", values: pts.map((p) => ((p.cache_lookups ?? p.requests) > 0 ? p.cache_hit_rate : null)), c: 4 },
    ], { fmt: fmtPct, max: 1, empty: adminOnly });
    chart("chart-cost", times, [
      { name: "tokens", values: pts.map((p) => p.tokens), c: 5, bar: true },
      { name: "cost", values: pts.map((p) => p.cost_usd), c: 4, right: true },
    ], { fmt: fmtCompact, fmt2: fmtUSD, tick2: fmtUSDTick, integer: true, empty: adminOnly || "No LLM tokens in this window." });
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

  // logTicks returns the 1-2-5 ticks spanning the positive values (only the powers of
  // ten when that would be too many), or null when there is no positive value.
  function logTicks(values) {
    const pos = values.filter((v) => v != null && v > 0);
    if (!pos.length) return null;
    const clean = (v) => +v.toPrecision(3);
    const below = (v) => { const b = Math.pow(10, Math.floor(Math.log10(v))), r = v / b; return clean((r >= 5 ? 5 : r >= 2 ? 2 : 1) * b); };
    const above = (v) => { const b = Math.pow(10, Math.floor(Math.log10(v))), r = v / b; return clean((r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * b); };
    // One 1-2-5 step below the smallest value, so that no line lies on the axis itself.
    const down = (v) => { const b = Math.pow(10, Math.floor(Math.log10(v))), r = Math.round(v / b); return clean((r === 1 ? 0.5 : r === 2 ? 1 : 2) * b); };
    const lo = down(below(Math.min(...pos)));
    let hi = above(Math.max(...pos));
    if (hi <= lo) hi = clean(lo * 10);
    const all = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 2, 5]) {
        const v = clean(m * Math.pow(10, e));
        if (v >= lo && v <= hi) all.push(v);
      }
    }
    if (all.length <= 7) return all;
    const decades = all.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
    if (decades[0] !== lo) decades.unshift(lo);
    if (decades[decades.length - 1] !== hi) decades.push(hi);
    return decades;
  }

  // textWidth measures a label in the axis font, so margins fit the labels they hold.
  const measureCtx = document.createElement("canvas").getContext("2d");
  function textWidth(s) {
    measureCtx.font = "11px " + getComputedStyle(document.body).fontFamily;
    return Math.ceil(measureCtx.measureText(s).width);
  }

  function chart(id, times, series, opts) {
    const fig = $(id);
    const host = fig.querySelector(".plot");
    const W = Math.max(280, host.clientWidth || 520), H = 220;
    const n = times.length;
    const left = series.filter((x) => !x.right), right = series.filter((x) => x.right);
    const maxOf = (ss) => Math.max(0, ...ss.flatMap((x) => x.values.filter((v) => v != null)));
    const log = opts.log ? logTicks(left.flatMap((x) => x.values)) : null;
    const lt = log || niceTicks(opts.max != null ? Math.max(opts.max * 0.25, Math.min(opts.max, maxOf(left) * 1.1)) : maxOf(left), 4, opts.integer);
    const ly = lt[lt.length - 1] || 1;
    const rt = right.length ? niceTicks(maxOf(right), 4) : null;
    const ry = rt ? rt[rt.length - 1] || 1 : 1;
    const tickL = opts.tick || opts.fmt, tickR = opts.tick2 || opts.fmt2 || opts.fmt;
    // Margins wide enough for the widest label on each side (and half a time label).
    const withSec = n > 1 && times[1] - times[0] < 60000;
    const timeHalf = n ? Math.ceil(textWidth(fmtTime(times[0], withSec)) / 2) + 2 : 0;
    const m = { t: 10, b: 26,
      l: Math.max(timeHalf, 8 + Math.max(...lt.map((v) => textWidth(tickL(v))))),
      r: Math.max(timeHalf, rt ? 8 + Math.max(...rt.map((v) => textWidth(tickR(v)))) : 14) };
    const iw = W - m.l - m.r, ih = H - m.t - m.b;
    const slotW = n > 0 ? iw / n : iw;
    const x = (i) => m.l + slotW * (i + 0.5);
    const yL = log
      ? (v) => m.t + ih - (ih * (Math.log10(Math.max(v, lt[0])) - Math.log10(lt[0]))) / (Math.log10(ly) - Math.log10(lt[0]))
      : (v) => m.t + ih - (ih * v) / ly;
    const yR = (v) => m.t + ih - (ih * v) / ry;
    const withData = series[0].values.filter((v, i) => v != null && (series[0].bar ? v > 0 : true)).length;
    const titleId = id + "-t", descId = id + "-d";
    const title = fig.querySelector("h3").textContent;
    const svg = sv("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": titleId, "aria-describedby": descId, "data-points": String(withData),
      "data-scale": log ? "log" : "linear", "data-plot-top": String(m.t), "data-plot-bottom": String(m.t + ih),
      "data-min": String(lt[0]), "data-max": String(ly) },
      sv("title", { id: titleId, text: title }),
      sv("desc", { id: descId, text: describe(times, series, opts) }));

    const grid = sv("g", { class: "grid" }), axis = sv("g", { class: "axis" });
    // Every tick has its grid line; a label that would touch the one below it (the
    // top of a log axis just above a power of ten) is left out.
    let lastLabelY = Infinity;
    for (const v of lt) {
      grid.append(sv("line", { x1: m.l, x2: W - m.r, y1: yL(v), y2: yL(v) }));
      if (lastLabelY - yL(v) < 13) continue;
      lastLabelY = yL(v);
      axis.append(sv("text", { class: "ytick", x: m.l - 6, y: yL(v) + 4, "text-anchor": "end", "data-value": String(v), text: tickL(v) }));
    }
    if (rt) for (const v of rt) axis.append(sv("text", { class: "ytick2", x: W - m.r + 6, y: yR(v) + 4, "text-anchor": "start", text: tickR(v) }));
    const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(iw / 70))));
    for (let i = 0; i < n; i += every) axis.append(sv("text", { x: x(i), y: H - 6, "text-anchor": "middle", text: fmtTime(times[i], withSec) }));
    svg.append(grid, axis);

    const bars = series.filter((x) => x.bar);
    series.forEach((s) => {
      const y = s.right ? yR : yL;
      const g = sv("g", { class: "series", "data-series": s.name });
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
    const rd = $("request-dialog");
    $("request-close").addEventListener("click", () => rd.close());
    rd.addEventListener("close", closeRequest);
    // A click on the backdrop, outside the drawer, closes it.
    rd.addEventListener("click", (ev) => {
      const b = rd.getBoundingClientRect();
      if (ev.clientX < b.left || ev.clientX > b.right || ev.clientY < b.top || ev.clientY > b.bottom) rd.close();
    });
    const linked = location.hash.match(/^#request=(.+)$/);
    if (linked) state.pendingDetail = decodeURIComponent(linked[1]);
    // A link followed in this page, or back and forward, opens or closes the view.
    window.addEventListener("hashchange", () => {
      const m = location.hash.match(/^#request=(.+)$/);
      if (m && decodeURIComponent(m[1]) !== state.detailID) openRequest(decodeURIComponent(m[1]));
      else if (!m && rd.open) rd.close();
    });
    let resize = 0;
    window.addEventListener("resize", () => { clearTimeout(resize); resize = setTimeout(render, 150); });
    document.addEventListener("visibilitychange", () => { if (!document.hidden) refreshNow(); });
    refresh();
  }
  start();
})();
