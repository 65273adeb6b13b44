// A small line chart in SVG: one line per series over the last samples, the value axis from 0 to the largest value.
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
