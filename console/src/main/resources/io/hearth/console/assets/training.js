// Training sets, /console/training-sets: the jobs this gateway runs or ran (progress, downloads), read again every
// two seconds while one is running, and every training set the catalog knows (their runs are on their pages).
import {h, replace, section, table, errorBox, time} from './dom.js';
import {get} from './api.js';
import {objectUrl} from './nav.js';

const EVERY_MS = 2000;

function progress(job) {
  const pct = job.rows > 0 ? Math.floor((100 * job.rows_done) / job.rows) : (job.status === 'SUCCEEDED' ? 100 : 0);
  const bar = h('div', {class: `bar bar-${job.status.toLowerCase()}`});
  bar.style.width = `${pct}%`; // (the CSSOM: the page's policy refuses style attributes)
  return h('div', {class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': String(pct), title: `${job.rows_done} of ${job.rows} rows`},
  bar, h('span', {}, `${pct}% · ${job.rows_done} / ${job.rows} rows`));
}

function downloads(job) {
  if (job.status !== 'SUCCEEDED') {
    return job.error ? h('span', {class: 'alert-inline'}, job.error) : h('span', {class: 'muted'}, 'when done');
  }
  return [h('a', {href: job.links.csv, download: `${job.name}.csv`, class: 'download'}, 'CSV'), ' ',
    h('a', {href: job.links.parquet, download: `${job.name}.parquet`, class: 'download'}, 'Parquet')];
}

function jobsTable(jobs) {
  if (jobs.length === 0) {
    return h('p', {class: 'muted'}, 'No training-set job on this gateway yet (they are kept 24 hours): start one with '
      + 'hearth extract or POST /v1/training-sets.');
  }
  return table(['training set', 'status', 'progress', 'submitted', 'took', 'table', 'download'], jobs.map((j) => [
    h('a', {href: objectUrl('training_set', j.name)}, j.name),
    h('span', {class: `status status-${j.status.toLowerCase()}`}, j.status),
    progress(j), time(j.submitted_at), j.elapsed_ms !== undefined ? `${(j.elapsed_ms / 1000).toFixed(1)} s` : '-',
    j.table || h('span', {class: 'muted'}, 'none (file only)'), downloads(j)]), {class: 'jobs'});
}

export async function show(page) {
  document.title = 'Training sets · Hearth';
  const jobsBox = h('div', {class: 'jobs-box'}, h('p', {class: 'muted'}, 'Reading…'));
  const known = h('div', {class: 'known-box'}, h('p', {class: 'muted'}, 'Reading…'));
  replace(page, h('h1', {}, 'Training sets'),
    section('Jobs on this gateway', jobsBox),
    section('In the catalog', known));
  let stopped = false;
  let timer = null;
  const read = async () => {
    try {
      const r = await get('/v1/training-sets');
      if (stopped) {
        return;
      }
      replace(jobsBox, jobsTable(r.jobs));
      if (r.jobs.some((j) => j.status === 'QUEUED' || j.status === 'RUNNING')) {
        timer = setTimeout(read, EVERY_MS);
      }
    } catch (e) {
      if (!stopped) {
        replace(jobsBox, errorBox(e));
      }
    }
  };
  read();
  get('/v1/catalog/search', {kind: 'training_set', limit: 100}).then((r) => replace(known, r.hits.length === 0
    ? h('p', {class: 'muted'}, 'No training set is known yet.')
    : table(['training set', 'description', 'owner'], r.hits.map((x) => [
      h('a', {href: objectUrl('training_set', x.name)}, x.name), x.description || '', x.owner || '']), {class: 'known'})))
    .catch((e) => replace(known, errorBox(e)));
  return {leave() {
    stopped = true;
    clearTimeout(timer);
  }};
}
