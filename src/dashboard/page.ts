/**
 * The dashboard page: one self-contained HTML file. ECharts' minified build is inlined (read from
 * node_modules at run time), the data sits in a `<script type="application/json">` block, and the
 * page's own script is plain JavaScript that builds the DOM with textContent only: nothing from the
 * store ever reaches innerHTML, and chart tooltips escape it. Works from file://, no network.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import type { DashboardData } from './data.js';

/** ECharts' minified browser build, from the installed package. */
export function echartsSource(): string {
  const require = createRequire(import.meta.url);
  const file = require.resolve('echarts/dist/echarts.min.js');
  return fs.readFileSync(file, 'utf8');
}

/** JSON safe inside a <script> element: no `<` survives (so no `</script>` or `<!--`). */
export const scriptJson = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const inlineScript = (js: string): string => js.replace(/<\/(script)/gi, '<\\/$1');

const CSS = `
:root { --ok: #2e7d32; --fail: #c62828; --open: #9e9e9e; --fg: #1d232a; --muted: #5f6b76; --line: #dde3e8; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #f6f8fa; }
header { background: #1d232a; color: #fff; padding: 12px 20px; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 18px; margin: 0; }
header .meta { color: #b8c2cc; font-size: 12px; }
nav { display: flex; gap: 4px; padding: 0 20px; background: #fff; border-bottom: 1px solid var(--line); }
nav button { border: 0; background: none; padding: 10px 14px; cursor: pointer; font: inherit; color: var(--muted); border-bottom: 2px solid transparent; }
nav button.active { color: var(--accent); border-bottom-color: var(--accent); font-weight: 600; }
main { padding: 16px 20px; }
section.view { display: none; }
section.view.active { display: block; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 130px; }
.card .v { font-size: 20px; font-weight: 600; }
.card .k { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin-bottom: 16px; overflow: auto; }
.panel h2 { font-size: 15px; margin: 0 0 8px; }
.chart { width: 100%; height: 300px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f3f6; cursor: pointer; user-select: none; white-space: nowrap; }
th.sorted-asc::after { content: " \\25B2"; } th.sorted-desc::after { content: " \\25BC"; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.link { cursor: pointer; } tr.link:hover { background: #eef4fb; }
.lane { border-left: 3px solid var(--accent); margin: 8px 0; padding: 4px 10px; background: #fff; }
.lane h3 { font-size: 14px; margin: 4px 0; }
.lane .desc { color: var(--muted); }
ul.items { list-style: none; padding: 0; margin: 4px 0; }
ul.items li { padding: 3px 0; border-bottom: 1px dashed var(--line); }
.badge { display: inline-block; border-radius: 3px; padding: 0 6px; font-size: 12px; color: #fff; margin-right: 6px; }
.success .badge, .badge.success { background: var(--ok); }
.failure .badge, .badge.failure { background: var(--fail); }
.open .badge, .badge.open { background: var(--open); }
.badge.file { background: #6a1b9a; } .badge.error { background: var(--fail); } .badge.decision { background: #ef6c00; }
.err { color: var(--fail); white-space: pre-wrap; }
pre.diff { background: #0f1419; color: #e6e6e6; padding: 8px; overflow: auto; max-height: 400px; font-size: 12px; }
pre.diff .add { color: #7ee787; } pre.diff .del { color: #ff7b72; } pre.diff .hunk { color: #79c0ff; }
code.cmd { background: #f0f3f6; padding: 3px 6px; border-radius: 3px; font-size: 12px; }
.cmdrow { display: flex; gap: 8px; align-items: center; margin: 4px 0; }
button.copy { font: inherit; font-size: 12px; padding: 2px 8px; cursor: pointer; }
.empty { max-width: 640px; margin: 40px auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 24px; }
.muted { color: var(--muted); }
select { font: inherit; padding: 4px; max-width: 100%; }
`;

/** The page's script: plain JavaScript (no template literals: this file embeds it in one). */
const CLIENT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('dashboard-data').textContent);
  var charts = {};
  window.__dashboard = { data: D, charts: charts };

  function h(tag, attrs) {
    var e = document.createElement(tag);
    var a = attrs || {};
    Object.keys(a).forEach(function (k) {
      var v = a[k];
      if (v === undefined || v === null) return;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, String(v));
    });
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function add(e, c) {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach(function (x) { add(e, x); });
    else if (typeof c === 'object' && c.nodeType) e.appendChild(c);
    else e.appendChild(document.createTextNode(String(c)));
  }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function usd(v) { return v === null || v === undefined ? 'unpriced' : '$' + (Number(v) || 0).toFixed(Math.abs(v) >= 1 ? 2 : 4); }
  function int(v) { return (Number(v) || 0).toLocaleString('en-US'); }
  function dur(ms) {
    if (ms == null) return '';
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    return (ms / 60000).toFixed(1) + ' min';
  }
  function when(ts) { return ts ? String(ts).replace('T', ' ').slice(0, 19) : ''; }
  function short(id) { return String(id || '').slice(0, 8); }

  // a table whose columns sort on a click of their header
  function sortable(cols, rows, onRow) {
    var state = { col: -1, dir: 1 };
    var tbody = h('tbody');
    var ths = cols.map(function (c, i) {
      return h('th', { 'data-col': c.key, class: c.num ? 'n' : null, onclick: function () { sortBy(i); } }, c.label);
    });
    function cell(c, r) {
      var v = r[c.key];
      var shown = c.fmt ? c.fmt(v, r) : v == null ? '' : v;
      return h('td', { class: c.num ? 'n' : null }, shown);
    }
    function draw(list) {
      tbody.textContent = '';
      list.forEach(function (r) {
        var tr = h('tr', { class: onRow ? 'link' : null }, cols.map(function (c) { return cell(c, r); }));
        if (onRow) tr.addEventListener('click', function () { onRow(r); });
        tbody.appendChild(tr);
      });
    }
    function sortBy(i) {
      state.dir = state.col === i ? -state.dir : cols[i].num ? -1 : 1;
      state.col = i;
      var key = cols[i].key;
      var list = rows.slice().sort(function (a, b) {
        var x = a[key], y = b[key];
        if (x == null && y == null) return 0;
        if (x == null) return 1;
        if (y == null) return -1;
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * state.dir;
      });
      ths.forEach(function (th, k) {
        th.classList.remove('sorted-asc', 'sorted-desc');
        if (k === i) th.classList.add(state.dir > 0 ? 'sorted-asc' : 'sorted-desc');
      });
      draw(list);
    }
    draw(rows);
    return h('table', { class: 'sortable' }, h('thead', {}, h('tr', {}, ths)), tbody);
  }

  function copyButton(text) {
    var b = h('button', { class: 'copy', type: 'button', 'data-copy': text }, 'copy');
    b.addEventListener('click', function () {
      function fallback() {
        var t = h('textarea', { style: 'position:fixed;left:-1000px' });
        t.value = text;
        document.body.appendChild(t);
        t.select();
        try { document.execCommand('copy'); } catch (e) { /* nothing more to try */ }
        t.remove();
      }
      var done = function () { b.textContent = 'copied'; setTimeout(function () { b.textContent = 'copy'; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText)
        navigator.clipboard.writeText(text).then(done, function () { fallback(); done(); });
      else { fallback(); done(); }
    });
    return b;
  }
  function command(text) {
    return h('div', { class: 'cmdrow' }, h('code', { class: 'cmd' }, text), copyButton(text));
  }

  var pending = 0;
  function ready() { window.__dashboardReadyAt = performance.now(); window.__dashboardReady = true; document.body.setAttribute('data-ready', '1'); }
  function chart(name, el, option) {
    var c = echarts.init(el, null, { renderer: 'canvas' });
    charts[name] = c;
    pending++;
    c.on('finished', function once() {
      c.off('finished', once);
      if (--pending === 0) ready();
    });
    c.setOption(Object.assign({ animation: false }, option));
    return c;
  }
  function tooltipEsc(p) {
    var v = Array.isArray(p) ? p : [p];
    return v.map(function (x) {
      return esc(x.seriesName) + ' · ' + esc(x.name) + ': ' + esc(typeof x.value === 'number' ? x.value.toFixed(4) : Array.isArray(x.value) ? x.value[1] : x.value);
    }).join('<br>');
  }

  // ---- header and tabs
  var body = document.getElementById('app');
  var views = {};
  var tabs = [['overview', 'Overview'], ['timeline', 'Session timeline'], ['agents', 'Agents and tools'], ['recovery', 'Recovery']];
  var nav = h('nav', {});
  var mainEl = h('main', {});
  var shown = {};
  function show(name) {
    tabs.forEach(function (t) {
      views[t[0]].classList.toggle('active', t[0] === name);
      nav.querySelector('[data-tab="' + t[0] + '"]').classList.toggle('active', t[0] === name);
    });
    if (!shown[name] && renderers[name]) { shown[name] = true; renderers[name](); }
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  }
  window.__dashboard.show = show;

  body.appendChild(h('header', {},
    h('h1', {}, 'agent-track · ' + D.repo),
    h('span', { class: 'meta' }, (D.phase ? 'phase ' + D.phase + ' · ' : '') + 'generated ' + when(D.generated) + ' UTC')));

  if (D.empty) {
    body.appendChild(h('div', { class: 'empty', id: 'empty-state' },
      h('h2', {}, 'Nothing recorded yet'),
      h('p', {}, D.phase ? 'No session has been recorded in phase ' + D.phase + '.' : 'This repository has no recorded Claude Code session on its agent-tracking branch.'),
      h('ol', {},
        h('li', {}, 'Run ', h('code', { class: 'cmd' }, 'agent-track init'), ' in the repository (it installs the hooks).'),
        h('li', {}, 'Use Claude Code as usual: sessions, subagents, tool calls, costs and snapshots are recorded.'),
        h('li', {}, 'Or bring in past sessions with ', h('code', { class: 'cmd' }, 'agent-track import'), '.'),
        h('li', {}, 'Then build this page again: ', h('code', { class: 'cmd' }, 'agent-track dashboard'), '.'))));
    ready();
    return;
  }

  tabs.forEach(function (t) {
    nav.appendChild(h('button', { 'data-tab': t[0], type: 'button', onclick: function () { show(t[0]); location.hash = t[0]; } }, t[1]));
    views[t[0]] = h('section', { class: 'view', id: 'view-' + t[0] });
    mainEl.appendChild(views[t[0]]);
  });
  body.appendChild(nav);
  body.appendChild(mainEl);

  var renderers = {};

  // ---- overview
  renderers.overview = function () {
    var v = views.overview;
    var S = D.sessions;
    // the totals come computed (model/figures.ts, as stats prints them): nothing is re-summed here
    var T = D.totals || { costUsd: 0, unpricedTokens: 0, toolCalls: 0, toolFailures: 0, tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 } };
    var cost = T.costUsd;
    var tokens = T.tokens.input + T.tokens.output + T.tokens.cacheRead + T.tokens.cacheWrite;
    var calls = T.toolCalls;
    var fails = T.toolFailures;
    function card(k, val) { return h('div', { class: 'card' }, h('div', { class: 'v' }, val), h('div', { class: 'k' }, k)); }
    v.appendChild(h('div', { class: 'cards' }, card('sessions', int(S.length)), card('cost', usd(cost) + (T.unpricedTokens ? ' + unpriced' : '')), card('tokens', int(tokens)),
      card('tool calls', int(calls)), card('tool failures', int(fails)), card('phases', int(D.phases.length))));
    var costEl = h('div', { class: 'chart', id: 'chart-cost' });
    var modelEl = h('div', { class: 'chart', id: 'chart-models' });
    var authorEl = h('div', { class: 'chart', id: 'chart-authors' });
    v.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Cost and tokens over time'), costEl));
    v.appendChild(h('div', { class: 'grid' },
      h('div', { class: 'panel' }, h('h2', {}, 'By model'), modelEl),
      h('div', { class: 'panel' }, h('h2', {}, 'By developer'), authorEl)));
    v.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Phases'), sortable([
      { key: 'name', label: 'phase' }, { key: 'started', label: 'started', fmt: when }, { key: 'ended', label: 'ended', fmt: when },
      { key: 'sessions', label: 'sessions', num: true }, { key: 'costUsd', label: 'cost', num: true, fmt: usd },
      { key: 'current', label: 'current', fmt: function (x) { return x ? 'yes' : ''; } },
    ], D.phases)));
    v.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Sessions'),
      D.omittedTimelines ? h('p', { class: 'muted' }, 'Timelines are embedded for the ' + (S.length - D.omittedTimelines) + ' latest sessions (the page stays small); the others have their figures only.') : null,
      sortable([
        { key: 'started', label: 'started', fmt: when }, { key: 'session', label: 'session', fmt: short },
        { key: 'agentTool', label: 'agent CLI' },
        { key: 'phase', label: 'phase' }, { key: 'author', label: 'developer' }, { key: 'branch', label: 'branch' },
        { key: 'firstPrompt', label: 'first prompt' },
        { key: 'agents', label: 'agents', num: true }, { key: 'toolCalls', label: 'tool calls', num: true },
        { key: 'toolFailures', label: 'failures', num: true }, { key: 'tokens', label: 'tokens', num: true, fmt: int },
        { key: 'costUsd', label: 'cost', num: true, fmt: usd },
      ], S, function (r) { if (r.detailed) { show('timeline'); selectSession(r.session); } })));

    var days = []; var models = [];
    D.daily.forEach(function (d) { if (days.indexOf(d.day) < 0) days.push(d.day); if (models.indexOf(d.model) < 0) models.push(d.model); });
    days.sort();
    var tokensByDay = days.map(function (day) {
      return D.daily.filter(function (d) { return d.day === day; }).reduce(function (a, d) { return a + d.tokens; }, 0);
    });
    var series = models.map(function (m) {
      return { name: m, type: 'bar', stack: 'cost', data: days.map(function (day) {
        var r = D.daily.filter(function (d) { return d.day === day && d.model === m; })[0];
        return r && r.costUsd !== null ? Number(r.costUsd.toFixed(8)) : 0;
      }) };
    });
    series.push({ name: 'tokens', type: 'line', yAxisIndex: 1, data: tokensByDay });
    chart('cost', costEl, {
      tooltip: { trigger: 'axis', formatter: tooltipEsc }, legend: { type: 'scroll' }, grid: { left: 60, right: 70 },
      xAxis: { type: 'category', data: days },
      yAxis: [{ type: 'value', name: 'USD' }, { type: 'value', name: 'tokens' }],
      series: series,
    });
    chart('models', modelEl, {
      tooltip: { trigger: 'axis', formatter: tooltipEsc }, grid: { left: 60, right: 20, bottom: 60 },
      xAxis: { type: 'category', data: D.byModel.map(function (m) { return m.model; }), axisLabel: { rotate: 15 } },
      yAxis: { type: 'value', name: 'USD' },
      series: [{ name: 'cost', type: 'bar', data: D.byModel.map(function (m) { return m.costUsd === null ? 0 : Number(m.costUsd.toFixed(8)); }) }],
    });
    chart('authors', authorEl, {
      tooltip: { trigger: 'item', formatter: tooltipEsc },
      series: [{ name: 'cost by developer', type: 'pie', radius: ['35%', '65%'],
        data: D.byAuthor.map(function (a) { return { name: a.author + ' (' + a.sessions + ' sessions)', value: a.costUsd === null ? 0 : Number(a.costUsd.toFixed(8)) }; }) }],
    });
  };

  // ---- session timeline
  var timelineBody, sessionSelect;
  function selectSession(id) {
    if (!timelineBody) { shown.timeline = true; renderers.timeline(); }
    sessionSelect.value = id;
    drawTimeline(id);
  }
  renderers.timeline = function () {
    var v = views.timeline;
    var detailed = D.sessions.filter(function (s) { return s.detailed; });
    sessionSelect = h('select', { id: 'session-select', onchange: function () { drawTimeline(sessionSelect.value); } },
      detailed.map(function (s) {
        return h('option', { value: s.session }, when(s.started) + ' · ' + short(s.session) + ' · ' + (s.firstPrompt || '').slice(0, 80));
      }));
    timelineBody = h('div', {});
    v.appendChild(h('div', { class: 'panel' }, h('label', {}, 'Session ', sessionSelect)));
    v.appendChild(timelineBody);
    if (detailed.length) drawTimeline(detailed[0].session);
  };
  function itemTs(i) { return i.kind === 'tool' ? i.call.ts : i.ts; }
  function diffPre(text) {
    var pre = h('pre', { class: 'diff' });
    String(text).split('\n').forEach(function (line) {
      var cls = line.slice(0, 3) === '+++' || line.slice(0, 3) === '---' ? null : line[0] === '+' ? 'add' : line[0] === '-' ? 'del' : line.slice(0, 2) === '@@' ? 'hunk' : null;
      pre.appendChild(h('span', { class: cls }, line + '\n'));
    });
    return pre;
  }
  function laneName(l) { return l.agent === 'main' ? 'main' : (l.agentType || 'agent') + ' ' + short(l.agent); }
  function drawTimeline(id) {
    var lanes = D.timelines[id] || [];
    var s = D.sessions.filter(function (x) { return x.session === id; })[0] || {};
    timelineBody.textContent = '';
    if (charts.timeline) { charts.timeline.dispose(); delete charts.timeline; }
    timelineBody.appendChild(h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'v' }, short(id)), h('div', { class: 'k' }, 'session ' + id)),
      h('div', { class: 'card' }, h('div', { class: 'v' }, int(lanes.length - 1)), h('div', { class: 'k' }, 'subagents')),
      h('div', { class: 'card' }, h('div', { class: 'v' }, int(s.toolCalls)), h('div', { class: 'k' }, 'tool calls')),
      h('div', { class: 'card' }, h('div', { class: 'v' }, int(s.toolFailures)), h('div', { class: 'k' }, 'failures')),
      h('div', { class: 'card' }, h('div', { class: 'v' }, usd(s.costUsd)), h('div', { class: 'k' }, 'cost'))));
    var el = h('div', { class: 'chart', id: 'chart-timeline', style: 'height:' + Math.max(160, 60 + lanes.length * 46) + 'px' });
    timelineBody.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Agents as lanes (tool calls: green succeeded, red failed, grey never finished)'), el));
    var n = lanes.length;
    var labels = lanes.map(function (l) { return new Array(l.depth + 1).join('  ') + laneName(l); });
    var calls = [], spans = [], marks = [];
    lanes.forEach(function (l, k) {
      var y = n - 1 - k;
      var a = Date.parse(l.started || ''), b = Date.parse(l.ended || '');
      var first = null, last = null;
      l.items.forEach(function (i) {
        var t = Date.parse(itemTs(i));
        if (!isFinite(t)) return;
        if (i.kind === 'tool') {
          var c = i.call;
          var end = t + Math.max(c.durationMs || 0, 1);
          first = first == null ? t : Math.min(first, t); last = last == null ? end : Math.max(last, end);
          var outcome = c.success === true ? 'success' : c.success === false ? 'failure' : 'open';
          calls.push({ name: c.tool + ' ' + (c.summary || ''), value: [y, t, end, outcome, c.durationMs, c.tool],
            itemStyle: { color: outcome === 'success' ? '#2e7d32' : outcome === 'failure' ? '#c62828' : '#9e9e9e' } });
        } else {
          first = first == null ? t : Math.min(first, t); last = last == null ? t : Math.max(last, t);
          marks.push({ name: i.kind + ': ' + (i.kind === 'file' ? i.operation + ' ' + i.path : i.kind === 'error' ? i.message : i.what), value: [t, y, i.kind],
            symbol: i.kind === 'file' ? 'rect' : i.kind === 'error' ? 'triangle' : 'diamond',
            itemStyle: { color: i.kind === 'file' ? '#6a1b9a' : i.kind === 'error' ? '#c62828' : '#ef6c00' } });
        }
      });
      if (!isFinite(a)) a = first; if (!isFinite(b)) b = last;
      if (a != null && b != null) spans.push({ name: laneName(l), value: [y, a, b] });
    });
    var clip = function (params, api, hgt) {
      var s0 = api.coord([api.value(1), api.value(0)]), e0 = api.coord([api.value(2), api.value(0)]);
      var hh = api.size([0, 1])[1] * hgt;
      return echarts.graphic.clipRectByRect({ x: s0[0], y: s0[1] - hh / 2, width: Math.max(e0[0] - s0[0], 2), height: hh },
        { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
    };
    chart('timeline', el, {
      tooltip: { formatter: function (p) {
        var v = p.value || [];
        if (p.seriesName === 'tool calls') return esc(p.name) + '<br>' + esc(v[3]) + (v[4] != null ? ' · ' + esc(dur(v[4])) : '');
        return esc(p.name);
      } },
      grid: { left: 170, right: 30, top: 20, bottom: 40 },
      dataZoom: [{ type: 'inside', filterMode: 'weakFilter' }, { type: 'slider', filterMode: 'weakFilter', height: 14, bottom: 6 }],
      xAxis: { type: 'time' },
      yAxis: { type: 'category', data: labels.slice().reverse(), axisLabel: { fontFamily: 'monospace' } },
      series: [
        { name: 'agents', type: 'custom', encode: { x: [1, 2], y: 0 }, data: spans, z: 1,
          renderItem: function (params, api) { var r = clip(params, api, 0.85); return r && { type: 'rect', shape: r, style: { fill: '#e3ebf4' } }; } },
        { name: 'tool calls', type: 'custom', encode: { x: [1, 2], y: 0 }, data: calls, z: 2,
          renderItem: function (params, api) { var r = clip(params, api, 0.5); return r && { type: 'rect', shape: r, style: api.style() }; } },
        { name: 'events', type: 'scatter', data: marks, symbolSize: 9, z: 3 },
      ],
    });
    lanes.forEach(function (l) {
      var items = h('ul', { class: 'items' });
      l.items.slice().sort(function (x, y) { return String(itemTs(x)).localeCompare(String(itemTs(y))); }).forEach(function (i) {
        if (i.kind === 'tool') {
          var c = i.call;
          var outcome = c.success === true ? 'success' : c.success === false ? 'failure' : 'open';
          items.appendChild(h('li', { class: 'call ' + outcome, 'data-tool': c.tool, 'data-outcome': outcome, 'data-tool-use-id': c.toolUseId },
            h('span', { class: 'badge' }, outcome), h('b', {}, c.tool), ' ', c.summary || '', ' ',
            h('span', { class: 'muted' }, when(c.ts).slice(11) + (c.durationMs != null ? ' · ' + dur(c.durationMs) : '')),
            c.rationale ? h('div', { class: 'muted' }, 'why: ' + c.rationale) : null,
            c.error ? h('div', { class: 'err' }, c.error) : null,
            c.next ? h('div', { class: 'muted' }, 'next: ' + c.next) : null));
        } else if (i.kind === 'file') {
          items.appendChild(h('li', { class: 'file', 'data-path': i.path },
            h('details', {}, h('summary', {}, h('span', { class: 'badge file' }, i.operation), i.path, ' ', h('span', { class: 'muted' }, when(i.ts).slice(11))),
              i.diff ? diffPre(i.diff) : h('p', { class: 'muted' }, 'no diff recorded'))));
        } else if (i.kind === 'error') {
          items.appendChild(h('li', { class: 'error' }, h('span', { class: 'badge error' }, 'error'), i.tool ? h('b', {}, i.tool + ' ') : null, h('span', { class: 'err' }, i.message)));
        } else {
          items.appendChild(h('li', { class: 'decision' }, h('span', { class: 'badge decision' }, 'decision'), h('b', {}, i.what),
            i.rationale ? h('div', { class: 'muted' }, i.rationale) : null,
            i.alternatives && i.alternatives.length ? h('div', { class: 'muted' }, 'alternatives: ' + i.alternatives.join('; ')) : null));
        }
      });
      timelineBody.appendChild(h('div', { class: 'lane', 'data-agent': l.agent, 'data-agent-type': l.agentType || '', 'data-depth': l.depth, style: 'margin-left:' + l.depth * 24 + 'px' },
        h('h3', {}, laneName(l), ' ', h('span', { class: 'muted' }, [when(l.started).slice(11), l.ended ? '→ ' + when(l.ended).slice(11) : '', int(l.tokens) + ' tokens', usd(l.costUsd)].filter(Boolean).join(' · '))),
        l.description ? h('div', { class: 'desc' }, l.description) : null,
        items,
        l.outcome ? h('details', {}, h('summary', {}, 'outcome'), h('div', { style: 'white-space:pre-wrap' }, l.outcome)) : null));
    });
  }

  // ---- agents and tools
  renderers.agents = function () {
    var v = views.agents;
    if (!D.reviews.length) { v.appendChild(h('p', {}, 'No review data.')); return; }
    var holder = h('div', {});
    var sel = h('select', { id: 'review-phase', onchange: function () { draw(sel.value); } },
      D.reviews.map(function (r) { return h('option', { value: r.phase }, r.phase + ' (' + r.sessions + ' sessions)'); }));
    sel.value = D.reviews[D.reviews.length - 1].phase;
    v.appendChild(h('div', { class: 'panel' }, h('label', {}, 'Phase ', sel)));
    v.appendChild(holder);
    function draw(phase) {
      var r = D.reviews.filter(function (x) { return x.phase === phase; })[0];
      holder.textContent = '';
      holder.appendChild(h('div', { class: 'panel', id: 'agents-table' }, h('h2', {}, 'Agents'), sortable([
        { key: 'type', label: 'agent type' }, { key: 'runs', label: 'runs', num: true }, { key: 'failures', label: 'failures', num: true },
        { key: 'medianMs', label: 'median time', num: true, fmt: dur }, { key: 'tokens', label: 'tokens', num: true, fmt: int },
        { key: 'costUsd', label: 'cost', num: true, fmt: usd },
      ], r.agents)));
      holder.appendChild(h('div', { class: 'panel', id: 'tools-table' }, h('h2', {}, 'Tools'), sortable([
        { key: 'tool', label: 'tool' }, { key: 'calls', label: 'calls', num: true }, { key: 'failures', label: 'failures', num: true },
        { key: 'failureRate', label: 'failure rate', num: true, fmt: function (x) { return (100 * (x || 0)).toFixed(1) + '%'; } },
        { key: 'rejected', label: 'declined', num: true }, { key: 'denied', label: 'denied', num: true },
        { key: 'p50Ms', label: 'p50', num: true, fmt: dur }, { key: 'p95Ms', label: 'p95', num: true, fmt: dur },
      ], r.tools)));
      if (r.errors && r.errors.length)
        holder.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Recurring errors'), sortable([
          { key: 'tool', label: 'tool', fmt: function (x, row) { return row && row.program ? x + ' ' + row.program : x; } },
          { key: 'pattern', label: 'cause' }, { key: 'count', label: 'count', num: true }, { key: 'sessions', label: 'sessions', num: true },
          { key: 'fixed', label: 'retry worked', num: true }, { key: 'costUsd', label: 'cost', num: true, fmt: usd },
          { key: 'lastSeen', label: 'last seen', fmt: when },
        ], r.errors)));
      if (r.recommendations && r.recommendations.length)
        holder.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Recommendations'), h('ul', {}, r.recommendations.map(function (x) {
          return h('li', {}, x.text, ' ', h('span', { class: 'muted' }, x.evidence),
            x.sessions && x.sessions.length ? h('span', { class: 'muted' }, ' · see ' + x.sessions.map(function (id) { return id.slice(0, 8); }).join(', ')) : null);
        }))));
    }
    draw(sel.value);
  };

  // ---- recovery
  renderers.recovery = function () {
    var v = views.recovery;
    if (!D.snapshots.length) {
      v.appendChild(h('div', { class: 'panel', id: 'no-snapshots' }, h('p', {}, 'No snapshot yet. They are taken automatically (agents, tokens, compaction, session end) or now with ', h('code', { class: 'cmd' }, 'agent-track checkpoint --note "..."'), '.')));
      return;
    }
    var bySession = {};
    var order = [];
    D.snapshots.forEach(function (r) { if (!bySession[r.session]) { bySession[r.session] = []; order.push(r.session); } bySession[r.session].push(r); });
    order.forEach(function (sid) {
      var s = D.sessions.filter(function (x) { return x.session === sid; })[0] || {};
      var panel = h('div', { class: 'panel', 'data-session': sid },
        h('h2', {}, 'Session ' + short(sid) + (s.firstPrompt ? ' · ' + s.firstPrompt.slice(0, 100) : '')),
        h('p', { class: 'muted' }, 'Carry on from its last state in a new Claude Code session:'),
        command('agent-track resume --session ' + sid),
        s.conversation ? h('p', { class: 'muted' }, 'Or go on with the conversation itself (claude --resume, on any clone):') : null,
        s.conversation ? command('agent-track continue ' + sid) : null);
      bySession[sid].forEach(function (r) {
        panel.appendChild(h('div', { class: 'lane snapshot', 'data-snapshot': r.id },
          h('h3', {}, r.id, ' ', h('span', { class: 'muted' }, when(r.ts) + ' · ' + r.trigger + (r.git.branch ? ' · ' + r.git.branch : '') + (r.git.head ? ' @ ' + r.git.head.slice(0, 7) : ''))),
          r.note ? h('div', {}, 'note: ' + r.note) : null,
          h('div', { class: 'muted' }, r.fileCount + ' changed files · ' + r.openTodos + ' open todos · ' + r.errorCount + ' unresolved errors · ' + int(r.tokens) + ' tokens · ' + usd(r.costUsd) + ' so far'),
          (r.fileCount || r.errorCount || r.openTodos) && !r.files.length && !r.errors.length && !r.todos.length
            ? h('div', { class: 'muted' }, 'Its lists are not embedded (an older snapshot; the page stays small): agent-track snapshots --session ' + short(r.session) + ' --json')
            : null,
          r.files.length ? h('details', {}, h('summary', {}, 'files'), h('ul', { class: 'items' }, r.files.map(function (f) {
            return h('li', {}, h('span', { class: 'badge open' }, f.status), f.path, f.redacted ? ' (redacted)' : '', f.skipped ? ' (not stored: ' + f.skipped + ')' : '');
          }), r.fileCount > r.files.length ? h('li', { class: 'muted' }, (r.fileCount - r.files.length) + ' more') : null)) : null,
          r.todos.length ? h('details', {}, h('summary', {}, 'todos'), h('ul', { class: 'items' }, r.todos.map(function (t) {
            return h('li', {}, h('span', { class: 'badge ' + (t.status === 'completed' ? 'success' : 'open') }, t.status), t.content || t.activeForm || '');
          }))) : null,
          r.errors.length ? h('details', {}, h('summary', {}, 'errors'), h('ul', { class: 'items' }, r.errors.map(function (e) {
            return h('li', {}, h('span', { class: 'err' }, (e.tool ? e.tool + ': ' : '') + (e.message || '')), e.tried ? h('div', { class: 'muted' }, 'tried next: ' + e.tried) : null);
          }), r.errorCount > r.errors.length ? h('li', { class: 'muted' }, (r.errorCount - r.errors.length) + ' more') : null)) : null,
          h('p', { class: 'muted' }, 'Branch off from this point in a new worktree:'),
          command('agent-track restore ' + r.id + ' --worktree ' + r.restoreDir),
          s.conversation ? h('p', { class: 'muted' }, 'Or fork the conversation at this moment, with these files:') : null,
          s.conversation ? command('agent-track continue --at ' + r.id + ' --worktree ' + r.restoreDir) : null));
      });
      v.appendChild(panel);
    });
  };

  var start = (location.hash || '').slice(1);
  show('overview');
  if (start && start !== 'overview' && views[start]) show(start);
  if (pending === 0) ready();
})();
`;

/** The whole page: `echarts` is ECharts' source (echartsSource()); tests may pass a stub. */
export function renderPage(data: DashboardData, echarts: string = echartsSource()): string {
  const title = `agent-track dashboard · ${data.repo}`.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // no network at all: everything is inline
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${title}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    `<script type="application/json" id="dashboard-data">${scriptJson(data)}</script>`,
    `<script>${inlineScript(echarts)}</script>`,
    `<script>${inlineScript(CLIENT)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
