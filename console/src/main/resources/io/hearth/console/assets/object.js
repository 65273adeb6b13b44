// An object's page, /console/{kind}/{name}: its definition and documentation, schema and contract, versions with
// a diff, the lineage graph, usage, and its values or raw events where it has them.
import {h, replace, section, table, errorBox, pretty, time} from './dom.js';
import {get, post, objectPath} from './api.js';
import {objectUrl, navigate} from './nav.js';
import {badge, deprecatedBadge} from './search.js';
import {draw} from './lineage.js';
import {diffLines} from './diff.js';
import {featureQuality} from './quality.js';

function link(kind, name, text) {
  return h('a', {href: objectUrl(kind, name)}, text || name);
}

function tags(list) {
  return (list || []).length ? list.map((t) => [h('span', {class: 'tag'}, t), ' ']) : h('span', {class: 'muted'}, 'none');
}

function header(o) {
  const m = o.metadata || {};
  const dep = m.deprecated;
  return [
    h('p', {class: 'crumbs'}, h('a', {href: `/console/search?kind=${encodeURIComponent(o.kind)}`}, `${o.kind}s`), ' / '),
    h('h1', {class: 'object-title'}, badge(o.kind), ' ', h('span', {class: 'object-name'}, o.name),
      dep ? [' ', deprecatedBadge(dep.reason)] : null),
    h('dl', {class: 'meta'},
      h('dt', {}, 'owner'), h('dd', {class: 'owner'}, m.owner || h('span', {class: 'muted'}, 'none'),
        m.owner_inherited ? h('span', {class: 'muted'}, ` (inherited from its ${o.kind === 'column' ? 'source' : 'view'})`)
          : null),
      h('dt', {}, 'tags'), h('dd', {}, tags(m.tags)),
      h('dt', {}, 'entity'), h('dd', {}, (o.entities || []).map((e) => [link('entity', e), ' '])),
      h('dt', {}, 'registry'), h('dd', {}, `version ${o.registry_version}`)),
    dep ? h('div', {class: 'deprecation', role: 'note'},
      h('strong', {}, `Deprecated since ${dep.since}${dep.inherited ? ' (with its view)' : ''}. `), dep.reason,
      dep.sunset ? ` Sunset ${dep.sunset}.` : '',
      dep.replacement ? [' Use ', link(o.kind, dep.replacement), ' instead.'] : '') : null,
  ];
}

function featureRows(view, features) {
  return (features || []).map((f) => [
    link('feature', `${view}:${f.name}`, f.name),
    f.column || h('span', {class: 'muted'}, '-'),
    f.aggregation ? `${f.aggregation}${f.window ? ` over ${f.window}` : ''}` : 'latest value',
    [f.description || '', f.deprecated ? [' ', deprecatedBadge(f.deprecated.reason)] : null],
  ]);
}

/** What the object's definition says, in words and links, by kind. */
function documentation(o) {
  const d = o.definition || {};
  const m = o.metadata || {};
  const doc = [h('p', {class: 'description'}, m.description || h('span', {class: 'muted'}, 'No description.'))];
  const facts = [];
  const fact = (k, v) => facts.push(h('dt', {}, k), h('dd', {}, v));
  switch (o.kind) {
    case 'entity':
      fact('join keys', (d.join_keys || []).join(', '));
      break;
    case 'source':
      fact('timestamp', d.timestamp_field);
      if (d.created_timestamp_field) {
        fact('created timestamp', d.created_timestamp_field);
      }
      fact('id field', d.id_field || h('span', {class: 'muted'}, 'none'));
      if (d.streams && d.streams.kafka) {
        fact('Kafka topic', d.streams.kafka.topic);
      }
      if (d.retention) {
        fact('retention', d.retention);
      }
      fact('quarantine threshold', String(d.quarantine_threshold));
      fact('operations', h('a', {href: `/console/sources/${encodeURIComponent(o.name)}`},
        'events/s, lag, breaker and quarantine'));
      fact('data quality', h('a', {href: `/console/sources/${encodeURIComponent(o.name)}/quality`, class: 'quality-link'},
        d.expectations ? `expectations over windows of ${d.expectations.window}${/^\d+$/.test(String(d.expectations.window))
          ? ' records' : ''}, their results and charts` : 'no expectations declared: how to declare them'));
      break;
    case 'view':
      fact('source', link('source', d.source));
      fact('ttl', d.ttl || 'none');
      if (d.hop) {
        fact('hop', d.hop);
      }
      fact('online', String(d.online));
      doc.push(h('h3', {}, 'Features'), table(['feature', 'column', 'computes', 'description'],
        featureRows(o.name, d.features), {class: 'features'}));
      break;
    case 'feature': {
      const view = o.name.split(':')[0];
      fact('view', link('view', view));
      fact('column', d.column || h('span', {class: 'muted'}, 'none (counts events)'));
      fact('computes', d.aggregation ? `${d.aggregation}${d.window ? ` over ${d.window}` : ''}` : 'the latest value');
      break;
    }
    case 'service':
      doc.push(h('h3', {}, 'Features'), h('ul', {class: 'service-features'}, (d.features || []).map((group) =>
        Object.entries(group).map(([view, fs]) => fs.map((f) => h('li', {}, link('feature', `${view}:${f}`)))))));
      break;
    case 'model':
      fact('version', d.version);
      fact('feature service', link('service', d.feature_service));
      fact('trained on', (d.training_sets || []).length ? d.training_sets.map((t) => [link('training_set', t), ' '])
        : h('span', {class: 'muted'}, 'not recorded'));
      break;
    case 'training_set':
      fact('models', (d.models || []).map((x) => [link('model', x), ' ']));
      break;
    case 'column':
      fact('source', link('source', o.name.split('.')[0]));
      break;
    default:
      break;
  }
  if (facts.length) {
    doc.push(h('dl', {class: 'facts'}, facts));
  }
  return section('Documentation', doc, h('details', {class: 'definition'}, h('summary', {}, 'Definition (canonical form)'),
    pretty(o.definition)));
}

function rules(contract) {
  if (!contract) {
    return h('span', {class: 'muted'}, 'none');
  }
  return Object.entries(contract).map(([k, v]) => h('span', {class: 'rule'},
    `${k}${v === true ? '' : `: ${Array.isArray(v) ? v.join(', ') : v}`}`));
}

function schema(o) {
  const d = o.definition || {};
  if (o.kind === 'source') {
    const rows = Object.entries(d.schema || {}).map(([col, spec]) => {
      const c = typeof spec === 'string' ? {type: spec} : spec;
      return [link('column', `${o.name}.${col}`, col), c.type, c.description || '', tags(c.tags),
        rules((d.contract || {})[col])];
    });
    return section('Schema and contract', table(['column', 'type', 'description', 'tags', 'contract'], rows,
      {class: 'schema'}));
  }
  if (o.kind === 'column') {
    return section('Schema and contract', h('dl', {class: 'facts'}, h('dt', {}, 'type'), h('dd', {}, d.type),
      h('dt', {}, 'contract'), h('dd', {}, rules(d.contract))));
  }
  return null;
}

function versions(o) {
  const vs = o.versions || [];
  if (vs.length === 0) {
    return section('Versions', h('p', {class: 'muted'}, 'Not in any registry version (recorded by its runs).'));
  }
  const list = h('ol', {class: 'versions'}, vs.map((v) => h('li', {},
    h('strong', {}, `v${v.version}`), ' ', h('span', {class: `action action-${v.action}`}, v.action), ' ',
    time(v.applied_at),
    (v.changes || []).length ? h('ul', {class: 'changes'}, v.changes.map((c) => h('li', {}, h('code', {}, c)))) : null,
    (v.breaking || []).length ? h('ul', {class: 'breaking'}, v.breaking.map((b) => h('li', {}, 'breaking: ', b))) : null)));
  if (vs.length < 2) {
    return section('Versions', list);
  }
  const options = (chosen) => vs.map((v, i) => h('option', {value: String(i), selected: i === chosen},
    `v${v.version} (${v.action})`));
  const from = h('select', {'aria-label': 'from version', id: 'diff-from'}, options(vs.length - 2));
  const to = h('select', {'aria-label': 'to version', id: 'diff-to'}, options(vs.length - 1));
  const out = h('pre', {class: 'diff'});
  const text = (v) => (v.definition ? JSON.stringify(v.definition, null, 2) : '');
  const update = () => {
    const lines = diffLines(text(vs[Number(from.value)]), text(vs[Number(to.value)]));
    // the changed lines with three lines around them; the rest folded
    const near = lines.map((l, i) => lines.slice(Math.max(0, i - 3), i + 4).some((x) => x.op !== ' '));
    const shown = [];
    lines.forEach((l, i) => {
      if (near[i]) {
        shown.push(h('span', {class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same'}, `${l.op} ${l.line}\n`));
      } else if (i === 0 || near[i - 1]) {
        shown.push(h('span', {class: 'fold'}, '  …\n'));
      }
    });
    replace(out, lines.some((l) => l.op !== ' ') ? shown : h('span', {class: 'same'}, 'The definitions are the same.'));
  };
  from.addEventListener('change', update);
  to.addEventListener('change', update);
  update();
  return section('Versions', list, h('p', {class: 'diff-controls'}, 'Compare ', from, ' with ', to), out);
}

function lineage(o, params) {
  const direction = params.get('direction') || 'both';
  const depth = params.get('depth') || '3';
  const box = h('div', {class: 'lineage-box'}, h('p', {class: 'muted'}, 'Drawing…'));
  const change = (key, value) => {
    const p = new URLSearchParams(location.search);
    p.set(key, value);
    navigate(`${location.pathname}?${p}`, {replace: true});
  };
  const dirSel = h('select', {'aria-label': 'direction', id: 'lineage-direction'}, ['both', 'upstream', 'downstream']
    .map((d) => h('option', {value: d, selected: d === direction}, d)));
  const depthSel = h('select', {'aria-label': 'depth', id: 'lineage-depth'}, ['1', '2', '3', '5', 'all']
    .map((d) => h('option', {value: d, selected: d === depth}, d === 'all' ? 'all' : `${d} step${d === '1' ? '' : 's'}`)));
  dirSel.addEventListener('change', () => change('direction', dirSel.value));
  depthSel.addEventListener('change', () => change('depth', depthSel.value));
  get(`/v1/lineage/${encodeURIComponent(o.kind)}/${encodeURIComponent(o.name)}`,
    {direction, depth: depth === 'all' ? null : depth})
    .then((g) => replace(box, draw(g), h('p', {class: 'muted'},
      `${g.nodes.length} objects, ${g.edges.length} links. Click an object to open it.`)))
    .catch((e) => replace(box, errorBox(e)));
  return section('Lineage', h('p', {class: 'lineage-controls'}, 'Walk ', dirSel, ' ', depthSel), box);
}

function usage(o) {
  const u = o.usage;
  if (!u) {
    return null;
  }
  const rows = Object.entries(u.lookups || {}).map(([svc, n]) => [svc === '-' ? h('span', {class: 'muted'},
    'named features (no service)') : link('service', svc), String(n)]);
  return section('Usage', h('dl', {class: 'facts'}, h('dt', {}, 'last served'), h('dd', {class: 'last-served'},
    time(u.last_served))),
  rows.length ? table(['feature service', 'lookups'], rows, {class: 'usage'})
    : h('p', {class: 'muted'}, 'No lookups have read it yet.'));
}

function runs(o) {
  if (o.runs) {
    return section('Runs', o.runs.length === 0 ? h('p', {class: 'muted'}, 'No run recorded yet.')
      : table(['status', 'started', 'finished', 'rows', 'service', 'spine', 'output', 'by'], o.runs.map((r) => [
        h('span', {class: `status status-${String(r.status).toLowerCase()}`}, r.status), time(r.started_at),
        r.finished_at ? time(r.finished_at) : '-', String(r.rows ?? ''),
        r.feature_service ? link('service', r.feature_service) : '-', r.spine || '', r.output || r.error || '',
        r.by || '']), {class: 'runs'}));
  }
  if (o.backfills) {
    return section('Back-fills', o.backfills.length === 0 ? h('p', {class: 'muted'}, 'No back-fill recorded.')
      : table(['status', 'started', 'files', 'stored', 'already stored', 'rejected', 'by'], o.backfills.map((b) => [
        b.status, time(b.started_at), (b.files || []).map((f) => f.name).join(', '), String(b.stored),
        String(b.already_stored), String(b.rejected), b.by || '']), {class: 'backfills'}));
  }
  return null;
}

/** Entity inputs for the object's entity (its join keys), filled from the URL. */
async function entityInputs(o, params) {
  const entity = (o.entities || [])[0];
  const e = await get(objectPath('entity', entity));
  const keys = (e.definition && e.definition.join_keys) || [];
  return keys.map((k) => ({key: k, input: h('input', {name: k, id: `key-${k}`, value: params.get(k) || '',
    required: true, placeholder: k, 'aria-label': k})}));
}

function remember(values) {
  const p = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(values)) {
    p.set(k, v);
  }
  history.replaceState(null, '', `${location.pathname}?${p}`);
}

async function values(o, params) {
  let title;
  let request;
  if (o.kind === 'view') {
    title = 'Values';
    request = (ents) => ({features: (o.definition.features || []).map((f) => `${o.name}:${f.name}`), entities: ents});
  } else if (o.kind === 'feature') {
    title = 'Values';
    request = (ents) => ({features: [o.name], entities: ents});
  } else if (o.kind === 'service') {
    title = 'Values';
    request = (ents) => ({feature_service: o.name, entities: ents});
  } else if (o.kind === 'source') {
    title = 'Raw events';
  } else {
    return null;
  }
  const out = h('div', {class: 'values-out'});
  const inputs = await entityInputs(o, params);
  const form = h('form', {class: 'inline', id: 'values-form'}, inputs.map((i) => h('label', {}, i.key, ' ', i.input)),
    o.kind === 'source' ? h('label', {}, 'last ', h('input', {name: 'days', id: 'days', type: 'number', min: '1',
      value: params.get('days') || '30', class: 'short'}), ' days') : null,
    h('button', {type: 'submit'}, o.kind === 'source' ? 'Show events' : 'Look up'));
  const run = async () => {
    const ents = Object.fromEntries(inputs.map((i) => [i.key, [i.input.value.trim()]]));
    remember(Object.fromEntries(inputs.map((i) => [i.key, i.input.value.trim()])));
    replace(out, h('p', {class: 'muted'}, 'Reading…'));
    try {
      if (o.kind === 'source') {
        const days = Number(form.querySelector('#days').value || 30);
        remember({days: String(days)});
        const q = Object.fromEntries(inputs.map((i) => [i.key, i.input.value.trim()]));
        const r = await get(`/v1/sources/${encodeURIComponent(o.name)}/events`,
          {...q, from: new Date(Date.now() - days * 86400000).toISOString(), limit: 500});
        const cols = [...new Set(r.events.flatMap((e) => Object.keys(e)))];
        replace(out, r.events.length === 0 ? h('p', {class: 'muted'}, `No events of ${r.entity} in that time.`)
          : [h('p', {}, `${r.events.length} events of ${r.entity}, newest first${r.truncated ? ' (the first 500 only)' : ''}.`),
            table(cols, r.events.slice().reverse().map((e) => cols.map((c) => (e[c] === null || e[c] === undefined
              ? '' : String(e[c])))), {class: 'events'})]);
      } else {
        const r = await post('/v1/features/online', request(ents));
        const names = r.metadata.feature_names;
        const rows = names.map((n, i) => [n, JSON.stringify(r.results[i].values[0]),
          h('span', {class: `status status-${String(r.results[i].statuses[0]).toLowerCase()}`}, r.results[i].statuses[0]),
          r.results[i].event_timestamps[0] || '']).slice(inputs.length);
        replace(out, h('p', {class: 'muted'}, `as of ${r.metadata.as_of}`),
          table(['feature', 'value', 'status', 'event time'], rows, {class: 'lookup'}));
      }
    } catch (e) {
      replace(out, errorBox(e));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  if (inputs.length && inputs.every((i) => i.input.value)) {
    run();
  }
  return section(title, form, out);
}

export async function show(page, params, kind, name) {
  document.title = `${name} · ${kind} · Hearth`;
  replace(page, h('p', {class: 'muted loading'}, 'Loading…')); // (also what the browser tests wait to see gone)
  const o = await get(objectPath(kind, name));
  replace(page, header(o), documentation(o), schema(o), usage(o), o.kind === 'feature' ? featureQuality(o) : null,
    lineage(o, params), versions(o), runs(o));
  try {
    const v = await values(o, params);
    if (v) {
      page.insertBefore(v, page.querySelector('section.card:nth-of-type(2)'));
    }
  } catch (e) {
    page.appendChild(section('Values', errorBox(e)));
  }
}
