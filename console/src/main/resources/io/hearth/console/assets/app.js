// The console's router: every page is a URL under /console (bookmark it, share it, reload it), read from
// location and changed with the History API. Links marked data-nav (and every same-origin /console link) are
// followed without reloading the page.
import {h, replace, errorBox} from './dom.js';
import * as search from './search.js';
import * as object from './object.js';
import * as sources from './sources.js';
import * as training from './training.js';
import * as quality from './quality.js';
import {KINDS, objectUrl, navigate} from './nav.js';

const ALIASES = {feature_view: 'view', feature_service: 'service', 'training-set': 'training_set'};

const main = document.getElementById('main');
let current = null; // the page shown: {leave()} when it has timers to stop

function routeOf(path) {
  const parts = path.replace(/^\/console\/?/, '').split('/').filter((p) => p !== '').map(decodeURIComponent);
  if (parts.length === 0 || parts[0] === 'search') {
    return {section: 'search', page: search};
  }
  if (parts[0] === 'sources' && parts.length === 3 && parts[2] === 'quality') {
    return {section: 'sources', page: quality, args: [parts[1]]};
  }
  if (parts[0] === 'sources' && parts.length <= 2) {
    return {section: 'sources', page: sources, args: parts.slice(1)};
  }
  if (parts[0] === 'training-sets') {
    return {section: 'training-sets', page: training};
  }
  const kind = ALIASES[parts[0]] || parts[0];
  if (KINDS.includes(kind) && parts.length >= 2) {
    if (kind !== parts[0]) {
      return {redirect: objectUrl(kind, parts.slice(1).join('/')) + location.search};
    }
    return {section: 'search', page: object, args: [kind, parts.slice(1).join('/')]};
  }
  return null;
}

async function render() {
  if (current && current.leave) {
    current.leave();
  }
  current = null;
  const route = routeOf(location.pathname);
  if (route && route.redirect) {
    navigate(route.redirect, {replace: true});
    return;
  }
  for (const a of document.querySelectorAll('header nav a')) {
    a.classList.toggle('active', route !== null && a.dataset.section === route.section);
  }
  document.body.dataset.section = route ? route.section : '';
  const quick = document.querySelector('#quick-search input');
  quick.value = route && route.page === search ? new URLSearchParams(location.search).get('q') || '' : '';
  if (!route) {
    document.title = 'Not found · Hearth';
    replace(main, h('h1', {}, 'No such page'), errorBox(new Error(`${location.pathname} is not a console page`)),
      h('p', {}, h('a', {href: '/console/search', 'data-nav': true}, 'Search the catalog')));
    return;
  }
  const page = h('div', {class: 'page'});
  replace(main, page);
  try {
    current = (await route.page.show(page, new URLSearchParams(location.search), ...(route.args || []))) || null;
  } catch (e) {
    const loading = page.querySelector(':scope > .loading'); // a page's placeholder, shown while it read
    if (loading) {
      loading.remove();
    }
    page.appendChild(errorBox(e));
  }
}

// links: same-origin /console links change the URL without a reload (new tabs and downloads stay the browser's)
document.addEventListener('click', (e) => {
  const a = e.target.closest('a');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
    return;
  }
  const href = a.getAttribute('href');
  if (!href || a.hasAttribute('target') || a.hasAttribute('download')) {
    return;
  }
  const url = new URL(href, location.href); // (an SVG link's a.href is not a string)
  if (url.origin !== location.origin || !url.pathname.startsWith('/console')) {
    return;
  }
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

document.getElementById('quick-search').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = e.target.elements.q.value.trim();
  navigate(`/console/search${q ? `?q=${encodeURIComponent(q)}` : ''}`);
});

window.addEventListener('popstate', render);
window.addEventListener('console:navigate', render);
render();
