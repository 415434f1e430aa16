// Request rate, error rate and latency, computed in the browser from two scrapes of the unauthenticated
// GET /metrics (Prometheus text, docs/metrics.md), plus keys and secrets by state.
import { draw } from '../chart.js';
import { parse, sum } from '../prom.js';
import { call } from '../api.js';
import { clear, h, header, section } from '../ui.js';

const POLL_MILLIS = 2000;
const WINDOW_MILLIS = 2 * 60 * 1000;

export async function render(view) {
  const stats = h('div', { class: 'stats', id: 'dashboard-stats' });
  const charts = {
    rate: svgChart('chart-rate'),
    errors: svgChart('chart-errors'),
    latency: svgChart('chart-latency'),
  };
  const note = h('p', { class: 'muted note', id: 'dashboard-note' }, 'Collecting samples…');
  view.append(
    header('Dashboard', 'Live from GET /metrics, every 2 seconds.'),
    stats,
    note,
    h('div', { class: 'charts' },
      section('Requests per second', legend([['all calls', '#1f6feb']]), charts.rate),
      section('Errors per second', legend([['failed calls', '#d1242f']]), charts.errors),
      section('Latency', legend([['mean', '#1f6feb'], ['p99', '#bf8700']]), charts.latency)));

  // Totals from the API (the metrics' by-state gauges are refreshed every 15 s).
  const counts = { keys: null, secrets: null };
  const count = () => Promise.all([
    call('ListKeys', { PageSize: 1 }).then((r) => { counts.keys = Number(r.TotalCount); }, () => {}),
    call('ListSecrets', { PageSize: 1 }).then((r) => { counts.secrets = Number(r.TotalCount); }, () => {}),
  ]);
  await count();
  let polls = 0;
  const history = { rate: [], errors: [], mean: [], p99: [] };
  let previous = null;
  let stopped = false;

  async function poll() {
    let text;
    try {
      const r = await fetch('/metrics', { cache: 'no-store', credentials: 'omit' });
      if (r.status === 404) {
        note.textContent = 'Metrics are off on this server (metrics.enabled: false): no charts.';
        return false;
      }
      text = await r.text();
    } catch (e) {
      note.textContent = 'The server cannot be reached.';
      return true;
    }
    const now = Date.now();
    const s = parse(text);
    const current = {
      t: now,
      requests: sum(s, 'openkms_requests_total'),
      errors: sum(s, 'openkms_requests_total', (l) => l.code !== 'OK'),
      count: sum(s, 'openkms_request_duration_seconds_count'),
      total: sum(s, 'openkms_request_duration_seconds_sum'),
      buckets: buckets(s),
    };
    showStats(s, current);
    // The server renders the text at most once a second; a repeated text adds no point.
    if (previous && current.count !== previous.count || previous && now - previous.t > 5000) {
      const dt = (now - previous.t) / 1000;
      const dc = current.count - previous.count;
      history.rate.push([now, Math.max(0, (current.requests - previous.requests) / dt)]);
      history.errors.push([now, Math.max(0, (current.errors - previous.errors) / dt)]);
      history.mean.push([now, dc > 0 ? ((current.total - previous.total) / dc) * 1000 : 0]);
      history.p99.push([now, dc > 0 ? quantile(0.99, previous.buckets, current.buckets) * 1000 : 0]);
      for (const k of Object.keys(history)) while (history[k].length && history[k][0][0] < now - WINDOW_MILLIS) history[k].shift();
      note.textContent = '';
      previous = current;
    } else if (!previous) {
      previous = current;
    }
    const opts = { windowMillis: WINDOW_MILLIS, now };
    draw(charts.rate, [{ name: 'all', color: '#1f6feb', points: history.rate }], { ...opts, unit: '/s' });
    draw(charts.errors, [{ name: 'errors', color: '#d1242f', points: history.errors }], { ...opts, unit: '/s' });
    draw(charts.latency, [{ name: 'mean', color: '#1f6feb', points: history.mean }, { name: 'p99', color: '#bf8700', points: history.p99 }], { ...opts, unit: 'ms' });
    return true;
  }

  function showStats(s, current) {
    const keys = byState(s, 'openkms_keys');
    const secrets = byState(s, 'openkms_secrets');
    clear(stats).append(
      stat('Keys', counts.keys === null ? total(keys) : counts.keys, states(keys)),
      stat('Secrets', counts.secrets === null ? total(secrets) : counts.secrets, states(secrets)),
      stat('API calls', Math.round(current.requests), `${Math.round(current.errors)} failed`),
      stat('Audit log', sum(s, 'openkms_audit_healthy') >= 1 ? 'healthy' : 'failing', `${sum(s, 'openkms_audit_queue_depth')} queued`));
  }

  async function loop() {
    if (stopped) return;
    if (++polls % 15 === 0) await count(); // every 30 s
    const again = await poll();
    if (again && !stopped) timer = setTimeout(loop, POLL_MILLIS);
  }
  let timer = null;
  await loop();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function svgChart(id) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('id', id);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  return svg;
}

function legend(entries) {
  return h('div', { class: 'legend' }, entries.map(([name, color]) => h('span', { class: 'legend-item', 'data-color': color },
    swatch(color), name)));
}

function swatch(color) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 10 10');
  svg.setAttribute('class', 'swatch');
  const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  r.setAttribute('width', '10');
  r.setAttribute('height', '10');
  r.setAttribute('rx', '2');
  r.setAttribute('fill', color);
  svg.append(r);
  return svg;
}

function stat(title, value, detail) {
  return h('div', { class: 'stat card' }, h('div', { class: 'muted' }, title), h('div', { class: 'stat-value' }, String(value)), h('small', { class: 'muted' }, detail || ''));
}

function byState(samples, name) {
  const out = {};
  for (const x of samples) if (x.name === name && x.labels.state) out[x.labels.state] = (out[x.labels.state] || 0) + x.value;
  return out;
}

function states(m) {
  const shown = Object.entries(m).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`);
  return shown.length ? shown.join(' · ') : 'by state: counted every 15 s';
}

function total(m) {
  return Object.values(m).reduce((a, b) => a + b, 0);
}

/** Cumulative histogram buckets summed over actions: {le: count}. */
function buckets(samples) {
  const out = {};
  for (const x of samples) {
    if (x.name === 'openkms_request_duration_seconds_bucket') out[x.labels.le] = (out[x.labels.le] || 0) + x.value;
  }
  return out;
}

/** histogram_quantile over the increase between two scrapes (linear within a bucket, as Prometheus does). */
function quantile(q, before, after) {
  const les = Object.keys(after).map((le) => [le === '+Inf' ? Infinity : Number(le), le]).sort((a, b) => a[0] - b[0]);
  const inc = les.map(([v, le]) => [v, (after[le] || 0) - (before[le] || 0)]);
  const n = inc.length ? inc[inc.length - 1][1] : 0;
  if (!(n > 0)) return 0;
  const rank = q * n;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, c] of inc) {
    if (c >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + (le - prevLe) * ((rank - prevCount) / Math.max(1e-9, c - prevCount));
    }
    prevLe = le;
    prevCount = c;
  }
  return prevLe;
}
