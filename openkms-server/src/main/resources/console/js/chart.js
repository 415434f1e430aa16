// A small SVG line chart (no library): series of [time, value] points over a shared time window.
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function nice(max) {
  if (!(max > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(max)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * Draws into `svg` (replacing its content). series: [{name, color, points: [[tMillis, value], ...]}].
 * windowMillis: the span shown, ending now.
 */
export function draw(svg, series, { windowMillis = 120000, unit = '', now = Date.now() } = {}) {
  const W = 380;
  const H = 190;
  const L = 50;
  const B = 22;
  const T = 10;
  const R = 10;
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const max = nice(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite)));
  const x = (t) => L + ((t - (now - windowMillis)) / windowMillis) * (W - L - R);
  const y = (v) => H - B - (v / max) * (H - B - T);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    svg.append(el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'gridline' }));
    const label = el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' });
    label.textContent = (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + unit;
    svg.append(label);
  }
  for (const s of [0, 0.5, 1]) {
    const label = el('text', { x: L + s * (W - L - R), y: H - 6, 'text-anchor': s === 0 ? 'start' : s === 1 ? 'end' : 'middle', class: 'axis' });
    label.textContent = s === 1 ? 'now' : '-' + Math.round(((1 - s) * windowMillis) / 1000) + 's';
    svg.append(label);
  }
  for (const s of series) {
    const pts = s.points.filter((p) => p[0] >= now - windowMillis && Number.isFinite(p[1]));
    if (pts.length < 2) continue;
    const d = pts.map((p, i) => (i ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1)).join(' ');
    svg.append(el('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
  }
}
