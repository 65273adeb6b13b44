// Data quality, /console/sources/{name}/quality: per column and expectation, what each judged window observed (a
// chart in window order, failed windows in red, where a value passes shaded), the threshold and severity, the latest
// result and its detail, and the source's breaker with its reason. A feature's page shows the same for its feature
// (featureQuality). The expectations come from the catalog's definition, the results from GET /v1/quality/results;
// an expectation declared but not judged yet, or a source that declares none, says what to do.
import {h, replace, section, errorBox, time} from './dom.js';
import {get, objectPath} from './api.js';
import {objectUrl} from './nav.js';
import {windowChart, short} from './chart.js';
import {breakerBadge, sourceTabs} from './sources.js';

/** Windows a chart shows: the newest ones. */
const MAX_POINTS = 200;
/** Pages of results read when the API says it truncated (it answers the oldest first, up to 10,000). */
const MAX_PAGES = 5;
/** Expectations whose observed value is a share of values that passed (passes when at least `mostly`). */
const SHARES = ['not_null', 'between', 'in_set', 'unique'];

/** Results for the query, paging forward from the oldest window while the API truncates, so the newest are kept. */
async function readResults(query) {
  const seen = new Set();
  const out = [];
  let from = query.from;
  let truncated = false;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await get('/v1/quality/results', {...query, from});
    for (const x of r.results) {
      const k = [x.source, x.column, x.feature, x.expect, x.window_start, x.window_end, x.origin].join('|');
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
    truncated = r.truncated;
    const last = r.results.length ? r.results[r.results.length - 1].window_end : null;
    if (!truncated || last === null || last === from) {
      break;
    }
    from = last; // windows ending at this instant are read again, and dropped above
  }
  return {results: out, truncated};
}

function pct(v) {
  return `${Number((v * 100).toPrecision(4))}%`;
}

function seconds(duration) {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(String(duration));
  if (!m) {
    return null;
  }
  return Number(m[1]) * {ms: 0.001, s: 1, m: 60, h: 3600, d: 86400}[m[2]];
}

function bounds(spec) {
  const lo = spec.min === undefined || spec.min === null ? '−∞' : spec.min;
  const hi = spec.max === undefined || spec.max === null ? '∞' : spec.max;
  return `${lo} and ${hi}`;
}

/** What the expectation asks, in words. */
function rule(expect, spec) {
  if (!spec) {
    return 'No longer declared: results of an earlier definition.';
  }
  const of = (what) => ((spec.mostly ?? 1) >= 1 ? `in all ${what}` : `in at least ${pct(spec.mostly)} of ${what}`);
  switch (expect) {
    case 'not_null': return `Non-null ${of('records')}.`;
    case 'between': return `Between ${bounds(spec)} ${of('non-null values')}.`;
    case 'in_set': return `One of ${(spec.values || []).join(', ')} ${of('non-null values')}.`;
    case 'unique': return `Unique ${of('non-null values')}.`;
    case 'mean_between': return `Mean of the window between ${bounds(spec)}.`;
    case 'stddev_between': return `Standard deviation of the window between ${bounds(spec)}.`;
    case 'null_rate': return `Null rate within mean ± ${spec.k}σ of the last ${spec.windows} windows that passed`
      + `${spec.max !== undefined && spec.max !== null ? `, and at most ${spec.max}` : ''}.`;
    case 'drift': return `${String(spec.method).toUpperCase()} against reference ${spec.reference}: `
      + `warns at ${spec.warn ?? '–'}, fails at ${spec.fail ?? '–'}.`;
    case 'freshness': return `Newest value at most ${spec.max_lag} before the window's end (observed in seconds).`;
    case 'row_count': return `Between ${bounds(spec)} records accepted per ${spec.per}, counted over the cluster.`;
    default: return JSON.stringify(spec);
  }
}

/** Where values pass, the lines to draw and the axis' limits, from the expectation as declared. */
function scale(expect, spec) {
  const line = (value, label, kind = 'fail') => (value === undefined || value === null ? null : {value, label, kind});
  if (!spec) {
    return {pass: [null, null], lines: [], clamp: SHARES.includes(expect) || expect === 'null_rate' ? [0, 1] : [null, null]};
  }
  if (SHARES.includes(expect)) {
    const mostly = spec.mostly ?? 1;
    return {pass: [mostly, null], lines: [line(mostly, `mostly ${mostly}`)], clamp: [0, 1]};
  }
  if (expect === 'mean_between' || expect === 'stddev_between' || expect === 'row_count') {
    return {pass: [spec.min ?? null, spec.max ?? null], lines: [line(spec.max, `max ${spec.max}`),
      line(spec.min, `min ${spec.min}`)].filter(Boolean), clamp: [expect === 'mean_between' ? null : 0, null]};
  }
  if (expect === 'null_rate') {
    return {pass: [null, spec.max ?? null], lines: [line(spec.max, `max ${spec.max}`)].filter(Boolean), clamp: [0, 1]};
  }
  if (expect === 'drift') {
    return {pass: [null, spec.warn ?? spec.fail ?? null], lines: [line(spec.fail, `fail ${spec.fail}`),
      line(spec.warn, `warn ${spec.warn}`, 'warn')].filter(Boolean), clamp: [0, null]};
  }
  if (expect === 'freshness') {
    const lag = seconds(spec.max_lag);
    return {pass: [null, lag], lines: [line(lag, `max ${spec.max_lag}`)].filter(Boolean), clamp: [0, null]};
  }
  return {pass: [null, null], lines: [], clamp: [null, null]};
}

function severityBadge(severity) {
  return h('span', {class: `badge severity severity-${severity}`, title: severity === 'block'
    ? 'a failed window opens the source\'s breaker' : 'a failed window is recorded, logged and counted'}, severity);
}

function outcome(ok) {
  return h('span', {class: `badge outcome ${ok ? 'outcome-passed' : 'outcome-failed'}`}, ok ? 'passed' : 'failed');
}

function windowText(x) {
  return `${x.window_start} – ${x.window_end}`;
}

function tooltip(x) {
  return `${windowText(x)}\nobserved ${short(x.observed)} · ${x.unexpected_count} unexpected of ${x.element_count}`
    + ` · ${x.success ? 'passed' : `failed (${x.severity})`}\n${x.detail || ''}\n${x.origin}`;
}

/** Why a declared expectation has no result yet, and what makes one. */
function notYet(expect, spec, ctx) {
  if (ctx.feature) {
    return 'No result yet: a feature\'s expectations judge training sets, and no validation of a training set has '
      + 'written results for this feature.';
  }
  if (expect === 'drift' && spec && ctx.references && !ctx.references.has(spec.reference)) {
    return `No result while reference '${spec.reference}' is not stored: store it with POST /v1/quality/references `
      + `({"name": "${spec.reference}", "source": ..., "column": ..., "from": ..., "to": ...}); the next windows are `
      + 'judged against it.';
  }
  if (expect === 'row_count') {
    return `No period judged yet: each period of ${spec ? spec.per : 'its length'} is judged 3 s after it ends.`;
  }
  return `No window judged yet: a result comes when a window of ${ctx.window} closes.`;
}

/** One expectation's card: the rule, the chart of its windows (or why there is none), the latest result. */
function card(slot, results, ctx) {
  const {expect, spec} = slot;
  const shown = results.slice(-MAX_POINTS);
  const latest = shown.length ? shown[shown.length - 1] : null;
  const severity = spec ? spec.severity || 'warn' : latest ? latest.severity : 'warn';
  const failed = results.filter((x) => !x.success).length;
  const attrs = {class: `q-card${latest && !latest.success ? ' q-failing' : ''}`,
    dataset: {subject: slot.subject, expect}};
  const head = h('div', {class: 'q-head'}, h('code', {class: 'q-expect'}, expect), severityBadge(severity),
    h('span', {class: 'q-count'}, results.length === 0 ? 'no window yet' : `${results.length} window`
      + `${results.length === 1 ? '' : 's'}, ${failed === 0 ? 'none' : failed} failed`
      + `${results.length > shown.length ? ` (the newest ${shown.length} drawn)` : ''}`));
  const what = h('p', {class: 'q-rule'}, rule(expect, spec));
  if (!latest) {
    return h('div', attrs, head, what, h('p', {class: 'muted q-empty'}, notYet(expect, spec, ctx)));
  }
  const sc = scale(expect, spec);
  const chart = windowChart({title: `${slot.subject} ${expect}: observed per window`, pass: sc.pass, lines: sc.lines,
    clamp: sc.clamp, points: shown.map((x) => ({value: x.observed, ok: x.success, end: x.window_end,
      title: tooltip(x)}))});
  return h('div', attrs, head, what, chart,
    h('p', {class: 'q-latest'}, 'Latest ', outcome(latest.success), ' observed ', h('strong', {}, short(latest.observed)),
      `, ${latest.unexpected_count} unexpected of ${latest.element_count}, window ending `, time(latest.window_end)),
    latest.detail ? h('p', {class: 'q-detail'}, latest.detail) : null);
}

/** Slots in the order declared, then any subject and expectation that has results but is no longer declared. */
function slotsOf(declared, results) {
  const slots = [];
  const byKey = new Map();
  const add = (kind, subject, expect, spec) => {
    const key = `${kind}|${subject}|${expect}`;
    if (!byKey.has(key)) {
      const slot = {kind, subject, expect, spec, key, results: []};
      byKey.set(key, slot);
      slots.push(slot);
    }
  };
  for (const d of declared) {
    add(d.kind, d.subject, d.expect, d.spec);
  }
  for (const x of results) {
    const kind = x.column ? 'column' : x.feature ? 'feature' : 'source';
    const subject = x.column || x.feature || '';
    add(kind, subject, x.expect, null);
    byKey.get(`${kind}|${subject}|${x.expect}`).results.push(x);
  }
  return slots;
}

/** Cards grouped by what they judge: a column, a feature, or the source as a whole (row_count). */
function groups(slots, ctx) {
  const bySubject = new Map();
  for (const slot of slots) {
    const k = `${slot.kind}|${slot.subject}`;
    if (!bySubject.has(k)) {
      bySubject.set(k, []);
    }
    bySubject.get(k).push(slot);
  }
  return [...bySubject.values()].map((list) => {
    const {kind, subject} = list[0];
    const title = kind === 'source' ? ['the source as a whole'] : [h('span', {class: 'muted'}, `${kind} `),
      kind === 'feature' ? h('a', {href: objectUrl('feature', subject)}, subject) : subject];
    return h('section', {class: 'card q-group', dataset: {kind, subject}}, h('h2', {}, title),
      h('div', {class: 'q-grid'}, list.map((slot) => card(slot, slot.results, ctx))));
  });
}

function windowWords(w) {
  if (w === undefined || w === null) {
    return '1000 accepted records';
  }
  return /^\d+$/.test(String(w)) ? `${w} accepted records` : `${w} of arrival time`;
}

/** How a source declares expectations, with this source's own columns. */
function sourceHowTo(o) {
  const d = o.definition || {};
  const schema = Object.entries(d.schema || {}).map(([col, spec]) => [col, typeof spec === 'string' ? spec : spec.type]);
  const numeric = schema.find(([, t]) => ['double', 'float', 'int', 'long'].includes(t));
  const text = schema.find(([c, t]) => t === 'string' && !(d.entity && c.endsWith('_id')));
  const ts = schema.find(([c, t]) => t === 'timestamp' && c === d.timestamp_field);
  const lines = ['expectations:', '  window: 1000                 # records per window (or a span: 5m)', '  columns:'];
  if (numeric) {
    lines.push(`    ${numeric[0]}:`, '      - {expect: not_null, mostly: 0.99, severity: block}   # block opens the breaker',
      '      - {expect: mean_between, min: 10, max: 90}              # the mean you expect');
  }
  if (text) {
    lines.push(`    ${text[0]}:`, '      - {expect: not_null}');
  }
  if (ts) {
    lines.push(`    ${ts[0]}:`, '      - {expect: freshness, max_lag: 10m}');
  }
  if (!numeric && !text && !ts) {
    lines.push('    COLUMN:', '      - {expect: not_null, mostly: 0.99}');
  }
  return [
    h('p', {}, `Source ${o.name} declares no expectations, so no window of its records is judged. Add them to its `
      + 'definition, under the source, for example:'),
    h('pre', {class: 'howto'}, `sources:\n  - name: ${o.name}\n    # ...\n${lines.map((l) => `    ${l}`).join('\n')}`),
    h('p', {}, 'then run hearth plan and hearth apply. The kinds: not_null, between, in_set, unique, mean_between, '
      + 'stddev_between, null_rate, drift (against a stored reference), freshness, and row_count for the whole source; '
      + 'the severity block opens the source\'s breaker when a window fails. Each gateway judges the records it '
      + 'accepts; results show here as windows close (docs/semantics.md, "Data quality: expectations over windows").'),
  ];
}

function breakerBox(st, name) {
  const b = st.breaker;
  if (b.state !== 'OPEN') {
    return h('p', {class: 'q-breaker'}, 'Breaker ', breakerBadge(b.state),
      b.since ? [' since ', time(b.since)] : null, '. A window failing a block expectation opens it.');
  }
  return h('div', {class: 'alert q-breaker', role: 'alert'}, 'Breaker ', breakerBadge(b.state),
    b.since ? [' since ', time(b.since)] : null, ': ', h('strong', {class: 'breaker-reason'}, b.reason || 'no reason given'),
    h('br'), `Records of ${name} are refused until a probe passes${b.probe_at ? ' (next ' : ''}`,
    b.probe_at ? [time(b.probe_at), ')'] : null, ` or the breaker is reset (POST /v1/sources/${name}/breaker/reset).`);
}

function declaredOfSource(o) {
  const ex = (o.definition || {}).expectations;
  const out = [];
  if (!ex) {
    return out;
  }
  for (const [col, list] of Object.entries(ex.columns || {})) {
    for (const spec of list) {
      out.push({kind: 'column', subject: col, expect: spec.expect, spec});
    }
  }
  if (ex.row_count) {
    out.push({kind: 'source', subject: '', expect: 'row_count', spec: ex.row_count});
  }
  return out;
}

async function storedReferences() {
  try {
    const r = await get('/v1/quality/references');
    return new Set(r.references.map((x) => x.name));
  } catch (e) {
    return null; // (a key without the role that reads them): the page does not say whether one is stored
  }
}

function rangeNote(params, truncated, count) {
  const from = params.get('from');
  const to = params.get('to');
  const parts = [];
  if (from || to) {
    parts.push(`Windows ending ${from ? `from ${from}` : ''}${from && to ? ' ' : ''}${to ? `before ${to}` : ''} `
      + '(the from and to of this page\'s URL).');
  }
  if (truncated) {
    parts.push(`More results than the console reads at once: the first ${count} are shown; narrow the range with `
      + '?from= in the URL.');
  }
  return parts.length ? h('p', {class: 'muted q-range'}, parts.join(' ')) : null;
}

/** /console/sources/{name}/quality */
export async function show(page, params, name) {
  document.title = `${name} · quality · Hearth`;
  replace(page, h('p', {class: 'muted loading'}, 'Reading the expectations and their results…'));
  const [st, o, references, all] = await Promise.all([get(`/v1/sources/${encodeURIComponent(name)}`),
    get(objectPath('source', name)), storedReferences(),
    readResults({source: name, from: params.get('from'), to: params.get('to')})]);
  // a feature's results (training sets built on this source) are on the feature's page; this page links them
  const r = {results: all.results.filter((x) => !x.feature), truncated: all.truncated};
  const features = new Map();
  for (const x of all.results.filter((y) => y.feature)) {
    features.set(x.feature, (features.get(x.feature) || 0) + 1);
  }
  const ex = (o.definition || {}).expectations;
  const declared = declaredOfSource(o);
  const slots = slotsOf(declared, r.results);
  const ctx = {window: windowWords(ex && ex.window), references};
  const failedWindows = new Set(r.results.filter((x) => !x.success).map((x) => x.window_end)).size;
  const windows = new Set(r.results.map((x) => x.window_end)).size;
  const summary = h('dl', {class: 'facts q-summary'},
    h('dt', {}, 'judged over'), h('dd', {}, ex ? `windows of ${windowWords(ex.window)}, per gateway` : 'nothing declared'),
    h('dt', {}, 'expectations'), h('dd', {}, `${declared.length} declared`),
    h('dt', {}, 'windows'), h('dd', {class: 'q-windows'}, windows === 0 ? 'none judged yet'
      : [`${windows} judged, ${failedWindows === 0 ? 'none' : failedWindows} with a failure; the latest ended `,
        time(r.results[r.results.length - 1].window_end)]),
    features.size ? [h('dt', {}, 'features'), h('dd', {class: 'q-features'}, 'judged in training sets: ',
      [...features.entries()].map(([f, n], i) => [i ? ', ' : '', h('a', {href: objectUrl('feature', f)}, f),
        ` (${n} result${n === 1 ? '' : 's'})`]))] : null);
  const parts = [
    h('p', {class: 'crumbs'}, h('a', {href: '/console/sources'}, 'sources'), ' / ', h('a', {href:
      `/console/sources/${encodeURIComponent(name)}`}, name), ' / '),
    h('h1', {}, name, ' ', h('span', {class: 'small muted'}, 'data quality')),
    sourceTabs(name, 'quality'),
    breakerBox(st, name),
  ];
  if (slots.length === 0) {
    parts.push(section('No expectations declared', sourceHowTo(o)), rangeNote(params, r.truncated, 0));
  } else {
    parts.push(section('Expectations over windows', summary, rangeNote(params, r.truncated, r.results.length)));
    if (r.results.length === 0) {
      parts.push(h('p', {class: 'q-none-yet'}, `No window judged yet: results come as windows of ${ctx.window} close on `
        + 'a gateway. Ingest records (HTTP, Kafka or files) and reload this page.'));
    }
    parts.push(...groups(slots, ctx));
  }
  replace(page, ...parts);
}

/** A feature page's Quality section: its feature's expectations and results (training-set validation writes them). */
export function featureQuality(o) {
  const box = h('div', {class: 'quality-box'}, h('p', {class: 'muted'}, 'Reading…'));
  const [viewName, feature] = o.name.split(':');
  Promise.all([get(objectPath('view', viewName)), readResults({feature: o.name})]).then(([view, r]) => {
    const vd = view.definition || {};
    const declared = ((vd.expectations || {})[feature] || []).map((spec) => ({kind: 'feature', subject: o.name,
      expect: spec.expect, spec}));
    const slots = slotsOf(declared, r.results);
    const sourceLink = vd.source ? h('p', {class: 'muted'}, 'The columns it reads are judged on their source: ',
      h('a', {href: `/console/sources/${encodeURIComponent(vd.source)}/quality`}, `${vd.source} data quality`), '.')
      : null;
    if (slots.length === 0) {
      replace(box, h('p', {}, `No expectations declared for ${feature}. A feature view declares them per feature; they `
        + 'judge training sets built with it, and their results show here:'),
      h('pre', {class: 'howto'}, `feature_views:\n  - name: ${viewName}\n    # ...\n    expectations:\n      ${feature}:\n`
        + '        - {expect: not_null, mostly: 0.99}\n        - {expect: drift, method: psi, reference: NAME, warn: 0.1, '
        + 'fail: 0.25}'), sourceLink);
      return;
    }
    replace(box, r.results.length === 0 ? h('p', {class: 'q-none-yet'}, 'No result for this feature yet: its '
      + 'expectations judge training sets, and training-set validation (which will write results here) has not judged '
      + 'one.') : null,
    h('div', {class: 'q-grid'}, slots.map((slot) => card(slot, slot.results, {feature: true}))), sourceLink);
  }).catch((e) => replace(box, errorBox(e)));
  return section('Quality', box);
}
