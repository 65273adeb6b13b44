// Small SVG charts: a line chart of live samples (one line per series, the value axis from 0 to the largest value),
// and a chart of judged windows (one point per window, in window order, failed windows marked, where values pass shaded).
import {s, h} from './dom.js';

const COLORS = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'];

function nice(max) {
  if (max <= 0) {
    return 1;
  }
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) {
    if (max <= m * p) {
      return m * p;
    }
  }
  return 10 * p;
}

/**
 * series: [{name, points: [[timeMillis, value], ...]}]; span: the milliseconds the x axis shows, ending now.
 */
export function lineChart({title, series, span, unit, now = Date.now(), width = 460, height = 170}) {
  const left = 48;
  const right = 10;
  const top = 12;
  const bottom = 24;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = nice(Math.max(0, ...series.flatMap((x) => x.points.map((p) => p[1]))));
  const x = (t) => left + plotW * (1 - (now - t) / span);
  const y = (v) => top + plotH * (1 - v / max);
  const svg = s('svg', {class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': title});
  for (const f of [0, 0.5, 1]) {
    const v = max * f;
    svg.appendChild(s('line', {x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'grid'}));
    svg.appendChild(s('text', {x: left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end'},
      Number.isInteger(v) ? String(v) : v.toFixed(1)));
  }
  svg.appendChild(s('text', {x: left, y: height - 6, class: 'axis'}, `-${Math.round(span / 1000)} s`));
  svg.appendChild(s('text', {x: width - right, y: height - 6, class: 'axis', 'text-anchor': 'end'}, 'now'));
  series.forEach((ser, i) => {
    const pts = ser.points.filter((p) => now - p[0] <= span);
    if (pts.length === 0) {
      return;
    }
    const color = COLORS[i % COLORS.length];
    svg.appendChild(s('polyline', {class: 'series', stroke: color, fill: 'none',
      points: pts.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' '), dataset: {series: ser.name}},
    s('title', {}, `${ser.name}: ${pts[pts.length - 1][1]}${unit ? ` ${unit}` : ''} now`)));
    const last = pts[pts.length - 1];
    svg.appendChild(s('circle', {cx: x(last[0]), cy: y(last[1]), r: 3, fill: color}));
  });
  const legend = h('ul', {class: 'legend'}, series.map((ser, i) => {
    const last = ser.points.length ? ser.points[ser.points.length - 1][1] : null;
    return h('li', {}, h('span', {class: 'swatch', dataset: {color: String(i % COLORS.length)}}),
      `${ser.name}: ${last === null ? '–' : last}${unit ? ` ${unit}` : ''}`);
  }));
  return h('figure', {class: 'chart-box'}, h('figcaption', {}, title), svg, legend);
}

/** A number short enough for an axis or a tooltip: 0.995, 48.21, 1.2e-5. */
export function short(v) {
  if (v === null || v === undefined || Number.isNaN(v)) {
    return '–';
  }
  if (v !== 0 && Math.abs(v) < 1e-3) {
    return v.toExponential(1);
  }
  return String(Number(v.toPrecision(4)));
}

/** A round step near raw: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(raw) {
  if (!(raw > 0)) {
    return 1;
  }
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (raw <= m * p) {
      return m * p;
    }
  }
  return 10 * p;
}

/** The time part of an ISO instant (12:00:05), with the date when it differs from the other end's. */
function clock(iso, other) {
  const [date, rest] = String(iso).split('T');
  const t = (rest || '').replace(/(\.\d+)?Z$/, '');
  return other && String(other).split('T')[0] === date ? t : `${date} ${t}`;
}

/**
 * One point per judged window, in window order, x by position (windows of records are not evenly spaced in time):
 * points: [{value (null: nothing to judge), ok, title, end}]; pass: [lo, hi], where a value passes (either may be
 * null: unbounded), shaded; lines: [{value, label, kind: 'pass'|'warn'|'fail'}], dashed, labelled at the right;
 * clamp: [lo, hi] the value axis never leaves (shares stay within 0 and 1).
 */
export function windowChart({title, points, pass = [null, null], lines = [], clamp = [null, null], width = 380,
  height = 150}) {
  const left = 46;
  const right = 78;
  const top = 10;
  const bottom = 22;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const known = points.map((p) => p.value).filter((v) => v !== null && v !== undefined && !Number.isNaN(v));
  const marks = [...known, ...lines.map((l) => l.value), ...pass.filter((v) => v !== null && v !== undefined)];
  let lo = marks.length ? Math.min(...marks) : 0;
  let hi = marks.length ? Math.max(...marks) : 1;
  const pad = hi > lo ? (hi - lo) * 0.08 : Math.abs(hi) * 0.1 || 1;
  // the axis ends on round numbers about four steps apart: 0.96, 0.97 ... 1 rather than 0.9664, 0.9832, 1
  const step = niceStep((hi - lo + 2 * pad) / 4);
  lo = Math.floor((lo - pad) / step) * step;
  hi = Math.ceil((hi + pad) / step) * step;
  if (clamp[0] !== null && clamp[0] !== undefined) {
    lo = Math.max(lo, clamp[0]);
  }
  if (clamp[1] !== null && clamp[1] !== undefined) {
    hi = Math.min(hi, clamp[1]);
  }
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  const y = (v) => top + plotH * (1 - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo));
  const x = (i) => left + (points.length === 1 ? plotW / 2 : (plotW * i) / (points.length - 1));
  const svg = s('svg', {class: 'chart quality-chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': title});
  const bandLo = pass[0] === null || pass[0] === undefined ? lo : Math.max(pass[0], lo);
  const bandHi = pass[1] === null || pass[1] === undefined ? hi : Math.min(pass[1], hi);
  if (bandHi > bandLo) {
    svg.appendChild(s('rect', {class: 'pass-band', x: left, width: plotW, y: y(bandHi), height: y(bandLo) - y(bandHi)}));
  }
  for (const v of ticks) {
    svg.appendChild(s('line', {x1: left, x2: left + plotW, y1: y(v), y2: y(v), class: 'grid'}));
    svg.appendChild(s('text', {x: left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end'}, short(v)));
  }
  lines.forEach((l, i) => {
    const ly = y(l.value);
    svg.appendChild(s('line', {x1: left, x2: left + plotW, y1: ly, y2: ly, class: `threshold threshold-${l.kind}`}));
    // labels of lines close together are moved apart, so that both stay readable
    const near = lines.slice(0, i).filter((o) => Math.abs(y(o.value) - ly) < 11).length;
    svg.appendChild(s('text', {x: left + plotW + 5, y: ly + 4 + near * 11, class: `threshold-label threshold-${l.kind}`},
      l.label));
  });
  let run = [];
  const runs = [run];
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) {
      run = [];
      runs.push(run);
    } else {
      run.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
    }
  });
  for (const r of runs.filter((x1) => x1.length > 1)) {
    svg.appendChild(s('polyline', {class: 'series observed', fill: 'none', points: r.join(' ')}));
  }
  points.forEach((p, i) => {
    const empty = p.value === null || p.value === undefined;
    svg.appendChild(s('circle', {cx: x(i).toFixed(1), cy: (empty ? top + plotH : y(p.value)).toFixed(1),
      r: p.ok ? 3 : 5, class: `point ${p.ok ? 'point-ok' : 'point-failed'}${empty ? ' point-empty' : ''}`,
      dataset: {success: String(p.ok), end: p.end || ''}}, s('title', {}, p.title)));
  });
  if (points.length) {
    const first = points[0].end;
    const last = points[points.length - 1].end;
    svg.appendChild(s('text', {x: left, y: height - 6, class: 'axis'}, clock(first, null)));
    if (points.length > 1) {
      svg.appendChild(s('text', {x: left + plotW, y: height - 6, class: 'axis', 'text-anchor': 'end'},
        clock(last, first)));
    }
  }
  return svg;
}
