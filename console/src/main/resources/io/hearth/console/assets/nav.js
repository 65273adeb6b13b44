// Console URLs and moving between them with the History API (app.js renders the page on 'console:navigate').

/** Catalog kinds, as the API names them. */
export const KINDS = ['entity', 'source', 'column', 'view', 'feature', 'service', 'model', 'training_set'];

/** The console URL of a catalog object. */
export function objectUrl(kind, name) {
  return `/console/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`;
}

/** Whether a catalog object of this kind has a console page (lineage also shows Kafka topics and files). */
export function hasPage(kind) {
  return KINDS.includes(kind);
}

/** Goes to a console URL, adding it to the history (or replacing the current entry), and renders it. */
export function navigate(url, {replace = false} = {}) {
  if (replace) {
    history.replaceState(null, '', url);
  } else {
    history.pushState(null, '', url);
  }
  window.dispatchEvent(new Event('console:navigate'));
}
