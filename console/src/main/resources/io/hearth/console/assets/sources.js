// Sources: /console/sources lists them; /console/sources/{name}?rule=... shows one source's events/s and Kafka lag
// per partition as charts (read every few seconds while the page is open), its circuit breaker, and the quarantine
// browser (filter by rule, open a record as it was sent). Its data quality is a tab beside it (quality.js).
import {h, replace, section, table, errorBox, time} from './dom.js';
import {get} from './api.js';
import {objectUrl} from './nav.js';
import {lineChart} from './chart.js';

/** How often the page reads the source's status. */
const EVERY_MS = 3000;
/** How long the charts look back (the page keeps what it read while open; the gateway keeps no history). */
const SPAN_MS = 5 * 60 * 1000;

export function breakerBadge(state) {
  return h('span', {class: `badge breaker breaker-${String(state).toLowerCase()}`}, state);
}

/** The tabs of a source's pages: its operations, its data quality, and its catalog page. */
export function sourceTabs(name, active) {
  const n = encodeURIComponent(name);
  const tab = (key, href, text) => h('a', {href, class: key === active ? 'active' : null,
    'aria-current': key === active ? 'page' : null, dataset: {tab: key}}, text);
  return h('nav', {class: 'tabs', 'aria-label': `${name} pages`},
    tab('operations', `/console/sources/${n}`, 'Operations'),
    tab('quality', `/console/sources/${n}/quality`, 'Data quality'),
    tab('definition', objectUrl('source', name), 'Definition and lineage'));
}

async function list(page) {
  document.title = 'Sources · Hearth';
  const r = await get('/v1/sources');
  replace(page, h('h1', {}, 'Sources'),
    table(['source', 'entity', 'Kafka topic', 'breaker', 'data quality', 'catalog'], r.sources.map((x) => [
      h('a', {href: `/console/sources/${encodeURIComponent(x.name)}`}, x.name),
      h('a', {href: objectUrl('entity', x.entity)}, x.entity),
      x.kafka_topic || h('span', {class: 'muted'}, 'none (HTTP and files)'),
      breakerBadge(x.breaker),
      h('a', {href: `/console/sources/${encodeURIComponent(x.name)}/quality`, class: 'quality-link'}, 'expectations'),
      h('a', {href: objectUrl('source', x.name)}, 'definition and lineage')]), {class: 'sources'}));
}

function statusView(st) {
  const b = st.breaker;
  const i = st.ingest;
  const facts = [
    h('dt', {}, 'breaker'), h('dd', {class: 'breaker-state'}, breakerBadge(b.state),
      b.since ? [' since ', time(b.since)] : null, b.reason ? ` — ${b.reason}` : null),
    h('dt', {}, 'trips'), h('dd', {}, String(b.trips)),
    h('dt', {}, 'judged over'), h('dd', {}, `the last ${b.window_records} records (at least ${b.min_records}); trips above `
      + `${Math.round(st.quarantine_threshold * 1000) / 10}% rejected`),
  ];
  if (b.state === 'OPEN') {
    facts.push(h('dt', {}, 'reject rate'), h('dd', {}, `${Math.round(b.reject_rate * 1000) / 10}%`),
      h('dt', {}, 'next probe'), h('dd', {}, time(b.probe_at)));
  }
  facts.push(
    h('dt', {}, 'accepted'), h('dd', {class: 'accepted'}, `${i.accepted} (this gateway)`),
    h('dt', {}, 'rejected'), h('dd', {}, `${i.rejected} (this gateway)`),
    h('dt', {}, 'quarantined'), h('dd', {class: 'quarantined'}, `${i.quarantined} (cluster)`),
    h('dt', {}, 'events/s'), h('dd', {class: 'rate'}, String(i.events_per_s)));
  if (st.kafka) {
    const k = st.kafka;
    facts.push(h('dt', {}, 'Kafka'), h('dd', {class: 'kafka-status'}, `${k.topic}: ${k.status}`,
      k.group ? ` (group ${k.group})` : null, k.lag !== undefined ? `, lag ${k.lag}` : null,
      k.last_error ? h('span', {class: 'alert-inline'}, ` last error: ${k.last_error}`) : null));
  }
  return h('dl', {class: 'facts'}, facts);
}

function recordView(raw) {
  let text = raw;
  try {
    text = JSON.stringify(JSON.parse(raw), null, 2);
  } catch (e) {
    // not JSON (a CSV row, or a record that broke the JSON syntax): shown as it came
  }
  return h('pre', {class: 'raw'}, text);
}

async function quarantine(source, params, box) {
  const rule = params.get('rule') || '';
  const [rules, r] = await Promise.all([get('/v1/quarantine/rules', {source}),
    get('/v1/quarantine', {source, rule, limit: 50})]);
  const select = h('select', {id: 'rule-filter', 'aria-label': 'rule'},
    h('option', {value: ''}, `every rule (${rules.count})`),
    Object.entries(rules.rules).map(([name, n]) => h('option', {value: name, selected: name === rule}, `${name} (${n})`)));
  select.addEventListener('change', () => {
    const p = new URLSearchParams(location.search);
    if (select.value) {
      p.set('rule', select.value);
    } else {
      p.delete('rule');
    }
    history.replaceState(null, '', `${location.pathname}${p.toString() ? `?${p}` : ''}`);
    quarantine(source, p, box).catch((e) => replace(box, errorBox(e)));
  });
  const rows = r.records.map((x, n) => {
    const open = h('button', {type: 'button', class: 'link', 'aria-expanded': 'false', dataset: {record: String(n)}},
      'show record');
    const cell = h('div', {class: 'raw-cell', hidden: true}, recordView(x.raw));
    open.addEventListener('click', () => {
      cell.hidden = !cell.hidden;
      open.setAttribute('aria-expanded', String(!cell.hidden));
      open.textContent = cell.hidden ? 'show record' : 'hide record';
    });
    return [time(x.received_at), h('code', {class: 'rule'}, x.rule), x.field || '', x.message,
      `${x.origin} #${x.index}`, [open, cell]];
  });
  replace(box, h('p', {class: 'inline'}, h('label', {}, 'Rule ', select), ' ',
    h('span', {class: 'muted q-count'}, `${r.count} record${r.count === 1 ? '' : 's'}${r.count > r.records.length
      ? `, the newest ${r.records.length} shown` : ''}`)),
  rows.length ? table(['received', 'rule', 'field', 'message', 'origin', 'record'], rows, {class: 'quarantine'})
    : h('p', {class: 'muted'}, 'Nothing in quarantine.'));
}

async function one(page, params, name) {
  document.title = `${name} · source · Hearth`;
  const st = await get(`/v1/sources/${encodeURIComponent(name)}`);
  const status = h('div', {class: 'status-box'}, statusView(st));
  const charts = h('div', {class: 'charts'});
  const problem = h('div', {class: 'poll-error'});
  const qbox = h('div', {class: 'quarantine-box'}, h('p', {class: 'muted'}, 'Reading the quarantine…'));
  replace(page, h('p', {class: 'crumbs'}, h('a', {href: '/console/sources'}, 'sources'), ' / '),
    h('h1', {}, name),
    sourceTabs(name, 'operations'),
    problem,
    section('Status', status),
    section('Throughput and lag', h('p', {class: 'muted'}, `Read every ${EVERY_MS / 1000} s while this page is open.`),
      charts),
    section('Quarantine', qbox));
  const rate = [];
  const lag = new Map();
  const sample = (x) => {
    const now = Date.now();
    rate.push([now, x.ingest.events_per_s]);
    for (const p of (x.kafka && x.kafka.partitions) || []) {
      if (!lag.has(p.partition)) {
        lag.set(p.partition, []);
      }
      lag.get(p.partition).push([now, p.lag]);
    }
    for (const pts of [rate, ...lag.values()]) {
      while (pts.length && now - pts[0][0] > SPAN_MS) {
        pts.shift();
      }
    }
    replace(status, statusView(x));
    replace(charts, lineChart({title: 'Events per second (this gateway)', series: [{name: 'events/s', points: rate}],
      span: SPAN_MS, unit: '/s', now}),
    x.kafka && x.kafka.partitions ? lineChart({title: `Kafka lag per partition (${x.kafka.topic})`, span: SPAN_MS, now,
      series: [...lag.entries()].sort((a, b) => a[0] - b[0]).map(([p, pts]) => ({name: `partition ${p}`, points: pts}))})
      : h('p', {class: 'muted chart-none'}, x.kafka ? `Kafka: ${x.kafka.status}` : 'No Kafka topic: no lag to show.'));
  };
  sample(st);
  quarantine(name, params, qbox).catch((e) => replace(qbox, errorBox(e)));
  let stopped = false;
  const timer = setInterval(async () => {
    try {
      const x = await get(`/v1/sources/${encodeURIComponent(name)}`);
      if (!stopped) {
        replace(problem);
        sample(x);
      }
    } catch (e) {
      if (!stopped) {
        replace(problem, errorBox(e));
      }
    }
  }, EVERY_MS);
  return {leave() {
    stopped = true;
    clearInterval(timer);
  }};
}

export async function show(page, params, name) {
  return name ? one(page, params, name) : list(page);
}
