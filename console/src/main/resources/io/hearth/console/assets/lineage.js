// The lineage graph as SVG: columns by depth from the graph's sources (longest path, left to right), nodes within a
// column ordered by the mean place of what feeds them (two sweeps of the barycenter heuristic), edges as curves.
// Nodes with a console page are links.
import {s, h} from './dom.js';
import {objectUrl, hasPage} from './nav.js';

const W = 230;
const H = 40;
const GAP_X = 70;
const GAP_Y = 14;
const PAD = 10;
const KIND_ORDER = ['topic', 'file', 'entity', 'source', 'column', 'view', 'feature', 'service', 'model',
  'training_set'];

/** Column of every node: 0 for nodes nothing feeds, else one more than the deepest node feeding it. */
function layers(nodes, edges) {
  const preds = new Map(nodes.map((n) => [n.id, []]));
  const succs = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    if (preds.has(e.to) && succs.has(e.from)) {
      preds.get(e.to).push(e.from);
      succs.get(e.from).push(e.to);
    }
  }
  const indegree = new Map(nodes.map((n) => [n.id, preds.get(n.id).length]));
  const layer = new Map();
  const queue = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  queue.forEach((id) => layer.set(id, 0));
  while (queue.length) {
    const id = queue.shift();
    for (const to of succs.get(id)) {
      layer.set(to, Math.max(layer.get(to) || 0, layer.get(id) + 1));
      indegree.set(to, indegree.get(to) - 1);
      if (indegree.get(to) === 0) {
        queue.push(to);
      }
    }
  }
  for (const n of nodes) {
    if (!layer.has(n.id)) {
      layer.set(n.id, 0); // on a cycle: lineage has none, but a graph with one is still drawn
    }
  }
  return {layer, preds, succs};
}

/** Places nodes: {id: {x, y}}, and the drawing's size. */
export function layout(nodes, edges) {
  const {layer, preds, succs} = layers(nodes, edges);
  const columns = [];
  for (const n of nodes) {
    const l = layer.get(n.id);
    (columns[l] = columns[l] || []).push(n);
  }
  const rank = (k) => (KIND_ORDER.indexOf(k) < 0 ? KIND_ORDER.length : KIND_ORDER.indexOf(k));
  columns.forEach((c) => c.sort((a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name)));
  const place = new Map();
  const index = () => columns.forEach((c) => c.forEach((n, i) => place.set(n.id, i)));
  index();
  const sweep = (column, neighbours) => {
    const mean = (n) => {
      const ps = neighbours.get(n.id).filter((p) => place.has(p));
      return ps.length ? ps.reduce((sum, p) => sum + place.get(p), 0) / ps.length : place.get(n.id);
    };
    const keyed = column.map((n) => ({n, k: mean(n)}));
    keyed.sort((a, b) => a.k - b.k);
    column.splice(0, column.length, ...keyed.map((x) => x.n));
    column.forEach((n, i) => place.set(n.id, i));
  };
  for (let round = 0; round < 2; round++) {
    for (let l = 1; l < columns.length; l++) {
      sweep(columns[l] || [], preds);
    }
    for (let l = columns.length - 2; l >= 0; l--) {
      sweep(columns[l] || [], succs);
    }
  }
  const tallest = Math.max(1, ...columns.map((c) => (c ? c.length : 0)));
  const height = PAD * 2 + tallest * H + (tallest - 1) * GAP_Y;
  const at = new Map();
  columns.forEach((c, l) => {
    if (!c) {
      return;
    }
    const own = c.length * H + (c.length - 1) * GAP_Y;
    const top = PAD + (height - PAD * 2 - own) / 2;
    c.forEach((n, i) => at.set(n.id, {x: PAD + l * (W + GAP_X), y: top + i * (H + GAP_Y)}));
  });
  return {at, width: PAD * 2 + columns.length * W + (columns.length - 1) * GAP_X, height};
}

function clip(text, max) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function edgeLabel(e) {
  const parts = [e.relation];
  if (e.aggregation) {
    parts.push(e.aggregation + (e.window ? ` over ${e.window}` : ''));
  }
  return parts.join(': ');
}

/** The SVG of a lineage answer ({root, nodes, edges}). */
export function draw(graph) {
  const {nodes, edges, root} = graph;
  const {at, width, height} = layout(nodes, edges);
  const svg = s('svg', {class: 'lineage', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `lineage of ${root}: ${nodes.length} objects, ${edges.length} links`});
  svg.appendChild(s('defs', {}, s('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5',
    markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse'}, s('path', {d: 'M 0 0 L 10 5 L 0 10 z',
    class: 'arrowhead'}))));
  for (const e of edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) {
      continue;
    }
    const x1 = a.x + W;
    const y1 = a.y + H / 2;
    const x2 = b.x;
    const y2 = b.y + H / 2;
    const mid = (x1 + x2) / 2;
    svg.appendChild(s('path', {class: `edge edge-${e.relation}`, d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`,
      'marker-end': 'url(#arrow)', dataset: {from: e.from, to: e.to}}, s('title', {}, `${e.from} → ${e.to} (${edgeLabel(e)})`)));
  }
  for (const n of nodes) {
    const p = at.get(n.id);
    const title = [n.id, n.version ? `version ${n.version}` : null, n.type ? `type ${n.type}` : null,
      n.deprecated ? `deprecated since ${n.deprecated_since || '?'}` : null,
      n.rows !== undefined ? `${n.rows} rows` : null].filter(Boolean).join(', ');
    const classes = ['node', `kind-${n.kind}`, n.id === root ? 'root' : '', n.deprecated ? 'is-deprecated' : '']
      .filter(Boolean).join(' ');
    const box = s('g', {class: classes, transform: `translate(${p.x} ${p.y})`, dataset: {id: n.id}},
      s('title', {}, title),
      s('rect', {width: W, height: H, rx: 6, ry: 6}),
      s('text', {x: 10, y: 15, class: 'node-kind'}, n.kind.replace('_', ' ') + (n.deprecated ? ' · deprecated' : '')),
      s('text', {x: 10, y: 31, class: 'node-name'}, clip(n.name, 28)));
    if (hasPage(n.kind) && n.id !== root) {
      svg.appendChild(s('a', {href: objectUrl(n.kind, n.name), class: 'node-link', 'aria-label': `open ${n.id}`}, box));
    } else {
      svg.appendChild(box);
    }
  }
  return h('div', {class: 'lineage-wrap'}, svg);
}
