// The HTTP API, as the console reads it. A problem answer (RFC 9457) becomes an ApiError carrying Hearth's code,
// field and rule, so that the page can show exactly what the gateway said.

export class ApiError extends Error {
  constructor(status, problem, url) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status} from ${url}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem && problem.code;
    this.field = problem && problem.field;
    this.rule = problem && problem.rule;
    this.url = url;
  }
}

async function answer(res, url) {
  const type = res.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    throw new ApiError(res.status, typeof body === 'object' ? body : {detail: body || res.statusText}, url);
  }
  return body;
}

/** GET a path with query parameters (empty ones left out); answers the parsed JSON. */
export async function get(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, v);
    }
  }
  const url = q.toString() ? `${path}?${q}` : path;
  let res;
  try {
    res = await fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'});
  } catch (e) {
    throw new ApiError(0, {detail: `the gateway did not answer ${url}: ${e.message}`}, url);
  }
  return answer(res, url);
}

/** POST a JSON body; answers the parsed JSON. */
export async function post(path, body) {
  let res;
  try {
    res = await fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json', Accept: 'application/json'},
      body: JSON.stringify(body), credentials: 'same-origin'});
  } catch (e) {
    throw new ApiError(0, {detail: `the gateway did not answer ${path}: ${e.message}`}, path);
  }
  return answer(res, path);
}

/** The API path of a catalog object. */
export function objectPath(kind, name) {
  return `/v1/catalog/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`;
}
