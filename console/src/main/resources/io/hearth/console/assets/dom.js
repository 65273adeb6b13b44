// Building the DOM. Text always goes in as text nodes (never as HTML), so no string from the server can become
// markup: the one place that reads markup, highlighted(), takes only <em> and turns the rest back into text.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** An HTML element: h('a', {href: '/x'}, 'text', child, [more]). Strings are text. */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, as h() builds an HTML one. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Empties el and puts children in it. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const ENTITIES = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'"};

function unescapeText(t) {
  return t.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, name) => {
    const key = name.toLowerCase();
    if (ENTITIES[key] !== undefined) {
      return ENTITIES[key];
    }
    if (key.startsWith('#x')) {
      return String.fromCodePoint(parseInt(key.slice(2), 16));
    }
    if (key.startsWith('#')) {
      return String.fromCodePoint(parseInt(key.slice(1), 10));
    }
    return all;
  });
}

/**
 * A search highlight ("customer_<em>orders</em>", the rest HTML-escaped) as text nodes and <mark> elements; no
 * other markup is read.
 */
export function highlighted(html) {
  const out = [];
  const parts = String(html).split(/(<em>|<\/em>)/);
  let inside = false;
  for (const p of parts) {
    if (p === '<em>') {
      inside = true;
    } else if (p === '</em>') {
      inside = false;
    } else if (p !== '') {
      const text = unescapeText(p);
      out.push(inside ? h('mark', {}, text) : document.createTextNode(text));
    }
  }
  return out;
}

/** "3 minutes ago" style age of an ISO time, with the time itself as the title. */
export function time(iso) {
  if (!iso) {
    return h('span', {class: 'muted'}, 'never');
  }
  const t = Date.parse(iso);
  const secs = Math.round((Date.now() - t) / 1000);
  let rel;
  if (Number.isNaN(secs)) {
    rel = iso;
  } else if (Math.abs(secs) < 60) {
    rel = secs >= 0 ? `${secs} s ago` : `in ${-secs} s`;
  } else if (Math.abs(secs) < 3600) {
    rel = secs >= 0 ? `${Math.round(secs / 60)} min ago` : `in ${Math.round(-secs / 60)} min`;
  } else if (Math.abs(secs) < 86400 * 2) {
    rel = secs >= 0 ? `${Math.round(secs / 3600)} h ago` : `in ${Math.round(-secs / 3600)} h`;
  } else {
    rel = secs >= 0 ? `${Math.round(secs / 86400)} days ago` : `in ${Math.round(-secs / 86400)} days`;
  }
  return h('time', {datetime: iso, title: iso}, rel);
}

/** A table from a header and rows of cells (strings or nodes). */
export function table(headers, rows, attrs) {
  return h('table', attrs || {},
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

/** A section with a heading. */
export function section(title, ...children) {
  return h('section', {class: 'card'}, h('h2', {}, title), ...children);
}

/** A visible error: what the API (or anything else) said went wrong. */
export function errorBox(err) {
  const parts = [];
  if (err && err.code) {
    parts.push(h('code', {}, err.code), ' ');
  }
  parts.push(err && err.message ? err.message : String(err));
  if (err && (err.field || err.rule)) {
    parts.push(h('span', {class: 'muted'}, ` (field ${err.field || '-'}, rule ${err.rule || '-'})`));
  }
  return h('div', {class: 'alert', role: 'alert'}, ...parts);
}

/** A JSON value as indented text. */
export function pretty(value) {
  return h('pre', {class: 'json'}, JSON.stringify(value, null, 2));
}
