// Enclaves (飞地): their agreements and share schedules, the split of the
// statistics of the projects inside them, and the district table.
import { api, qs } from './http.js';

export function listEnclaves() {
  return api('GET', '/api/enclaves');
}

/** getEnclave answers {data, etag}. */
export async function getEnclave(id) {
  const { data, headers } = await api('GET', `/api/enclaves/${id}`, undefined, { full: true });
  return { data, etag: headers.get('ETag') };
}

/** saveEnclave creates (no id) or changes the enclave made on etag, and
 * answers {data, etag}. */
export async function saveEnclave(id, etag, body) {
  const { data, headers } = id
    ? await api('PUT', `/api/enclaves/${id}`, body, { full: true, headers: { 'If-Match': etag } })
    : await api('POST', '/api/enclaves', body, { full: true });
  return { data, etag: headers.get('ETag') };
}

export function enclaveSplit(id, year) {
  return api('GET', `/api/enclaves/${id}/split${qs({ year })}`);
}

export function districtTable(year) {
  return api('GET', `/api/enclaves/districts${qs({ year })}`);
}

/** putFigures sets a project's value added and tax of a year (万元, text). */
export function putFigures(projectId, year, body) {
  return api('PUT', `/api/projects/${projectId}/figures/${year}`, body);
}
