// The search page, /console/search?q=...&kind=...&owner=...&tag=...&entity=...&deprecated=...&offset=...: a box with
// type-ahead, facets with counts (a click filters, and the filter is in the URL), hits with their matches marked.
import {h, replace, highlighted, errorBox} from './dom.js';
import {get} from './api.js';
import {navigate, objectUrl} from './nav.js';

const FACETS = ['kind', 'owner', 'tag', 'entity'];
const FILTERS = [...FACETS, 'deprecated'];
const PAGE = 20;

function searchUrl(params) {
  const q = new URLSearchParams();
  for (const k of ['q', ...FILTERS, 'offset']) {
    const v = params.get(k);
    if (v !== null && v !== '' && !(k === 'offset' && v === '0')) {
      q.set(k, v);
    }
  }
  const text = q.toString();
  return `/console/search${text ? `?${text}` : ''}`;
}

/** The URL of these params with one changed (null: removed); a new filter starts again at the first page. */
function withParam(params, key, value) {
  const p = new URLSearchParams(params);
  if (value === null) {
    p.delete(key);
  } else {
    p.set(key, value);
  }
  if (key !== 'offset') {
    p.delete('offset');
  }
  return searchUrl(p);
}

export function badge(kind) {
  return h('span', {class: `kind kind-${kind}`}, kind.replace('_', ' '));
}

export function deprecatedBadge(title) {
  return h('span', {class: 'badge deprecated', title: title || 'deprecated'}, 'deprecated');
}

/** The search box with type-ahead: picking a suggestion opens its object, Enter searches. */
function searchBox(params) {
  const input = h('input', {type: 'search', name: 'q', id: 'search-q', value: params.get('q') || '',
    placeholder: 'Search features, views, sources, models…', autocomplete: 'off', 'aria-label': 'Search',
    role: 'combobox', 'aria-autocomplete': 'list', 'aria-controls': 'suggestions', 'aria-expanded': 'false'});
  const list = h('ul', {id: 'suggestions', class: 'suggestions', role: 'listbox', hidden: true});
  const problem = h('div', {class: 'suggest-error'});
  let asked = 0;
  let timer = null;
  let active = -1;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    active = -1;
  }

  function mark(i) {
    const items = [...list.children];
    items.forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    active = i;
  }

  async function suggest() {
    const q = input.value.trim();
    const mine = ++asked;
    if (q === '') {
      close();
      return;
    }
    try {
      const r = await get('/v1/catalog/suggest', {q, limit: 8});
      if (mine !== asked) {
        return; // a later keystroke asked again
      }
      replace(problem);
      replace(list, r.suggestions.map((sg) => h('li', {role: 'option', 'aria-selected': 'false',
        dataset: {kind: sg.kind, name: sg.name}},
        h('a', {href: objectUrl(sg.kind, sg.name), tabindex: '-1'}, badge(sg.kind), ' ', sg.name))));
      list.hidden = r.suggestions.length === 0;
      input.setAttribute('aria-expanded', String(!list.hidden));
      active = -1;
    } catch (e) {
      if (mine === asked) {
        close();
        replace(problem, errorBox(e));
      }
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener('keydown', (e) => {
    const n = list.children.length;
    if (e.key === 'ArrowDown' && !list.hidden && n > 0) {
      e.preventDefault();
      mark((active + 1) % n);
    } else if (e.key === 'ArrowUp' && !list.hidden && n > 0) {
      e.preventDefault();
      mark((active - 1 + n) % n);
    } else if (e.key === 'Escape') {
      close();
    } else if (e.key === 'Enter' && active >= 0 && !list.hidden) {
      e.preventDefault();
      const li = list.children[active];
      navigate(objectUrl(li.dataset.kind, li.dataset.name));
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 200));

  const form = h('form', {class: 'search', role: 'search', autocomplete: 'off'},
    h('div', {class: 'combo'}, input, list), h('button', {type: 'submit'}, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    asked++;
    close();
    navigate(withParam(params, 'q', input.value.trim() === '' ? null : input.value.trim()));
  });
  return [form, problem];
}

function facetList(name, counts, params) {
  const chosen = params.get(name);
  const entries = Object.entries(counts || {});
  if (entries.length === 0) {
    return null;
  }
  return h('div', {class: 'facet', dataset: {facet: name}},
    h('h3', {}, name),
    h('ul', {}, entries.map(([value, count]) => {
      const on = chosen !== null && chosen.toLowerCase() === value.toLowerCase();
      const none = value === '(none)';
      return h('li', {class: on ? 'on' : null},
        none ? h('span', {class: 'muted'}, value)
          : h('a', {href: withParam(params, name, on ? null : value), dataset: {value},
            title: on ? 'remove this filter' : `only ${name} ${value}`}, value),
        ' ', h('span', {class: 'count'}, String(count)));
    })));
}

function filters(params) {
  const chips = FILTERS.filter((f) => params.get(f) !== null).map((f) =>
    h('a', {class: 'chip', href: withParam(params, f, null), title: 'remove this filter', dataset: {filter: f}},
      `${f}: ${params.get(f)} ×`));
  const dep = params.get('deprecated');
  const toggle = dep === 'false'
    ? h('a', {href: withParam(params, 'deprecated', null)}, 'show deprecated')
    : h('a', {href: withParam(params, 'deprecated', 'false')}, 'hide deprecated');
  return h('div', {class: 'filters'}, chips, toggle);
}

function hit(x) {
  const name = x.highlights && x.highlights.name ? highlighted(x.highlights.name) : [x.name];
  const desc = x.highlights && x.highlights.description ? highlighted(x.highlights.description)
    : x.description ? [x.description] : [];
  return h('li', {class: x.deprecated ? 'hit is-deprecated' : 'hit', dataset: {id: x.id}},
    h('div', {class: 'hit-title'}, badge(x.kind), ' ',
      h('a', {href: objectUrl(x.kind, x.name), class: 'hit-name'}, name),
      x.deprecated ? [' ', deprecatedBadge()] : null),
    desc.length ? h('p', {class: 'hit-desc'}, desc) : null,
    h('p', {class: 'hit-meta muted'},
      x.owner ? ['owner ', h('span', {class: 'owner'}, x.owner)] : 'no owner',
      (x.tags || []).map((t) => [' ', h('span', {class: 'tag'}, t)])));
}

export async function show(page, params) {
  document.title = params.get('q') ? `${params.get('q')} · Hearth search` : 'Catalog · Hearth';
  const results = h('div', {class: 'results'}, h('p', {class: 'muted'}, 'Searching…'));
  const facets = h('aside', {class: 'facets'});
  replace(page, h('h1', {}, 'Catalog'), ...searchBox(params), filters(params),
    h('div', {class: 'search-layout'}, facets, results));
  if (!params.get('q')) {
    page.querySelector('#search-q').focus();
  }
  const offset = Number(params.get('offset') || 0);
  let r;
  try {
    r = await get('/v1/catalog/search', {q: params.get('q'), kind: params.get('kind'), owner: params.get('owner'),
      tag: params.get('tag'), entity: params.get('entity'), deprecated: params.get('deprecated'), limit: PAGE, offset});
  } catch (e) {
    replace(results, errorBox(e));
    return;
  }
  replace(facets, FACETS.map((f) => facetList(f, r.facets[f], params)));
  const shown = r.hits.length;
  const nav = h('div', {class: 'pager'},
    offset > 0 ? h('a', {href: withParam(params, 'offset', String(Math.max(0, offset - PAGE)))}, '← previous') : null,
    offset + shown < r.total ? h('a', {href: withParam(params, 'offset', String(offset + PAGE))}, 'next →') : null);
  replace(results,
    h('p', {class: 'total'}, r.total === 0 ? 'Nothing found.'
      : `${r.total} found${r.total > shown ? `, ${offset + 1}–${offset + shown} shown` : ''}`),
    h('ol', {class: 'hits'}, r.hits.map(hit)), nav);
}
