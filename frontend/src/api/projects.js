// Key projects: the ledger (list, create, change, withdraw, stage history,
// Excel out and in) and the monthly report with its photos.
import { api, qs } from './http.js';

/** getLeaders lists the leaders in charge of projects: {name, titles},
 * the names being what the projects' leader filter takes (for the roles
 * that may see them). */
export async function getLeaders() {
  return (await api('GET', '/api/leaders')).leaders;
}

/** getProject answers {project, etag}: the ETag names the version read,
 * which a change sends back as If-Match. */
export async function getProject(id) {
  const { data, headers } = await api('GET', `/api/projects/${id}`, undefined, { full: true });
  return { project: data, etag: headers.get('ETag') };
}

/** listProjects lists the projects of the filters, q searching names and
 * project codes. */
export function listProjects(filters, q, limit = 200) {
  return api('GET', `/api/projects${ledgerQuery(filters, { q, limit })}`);
}

/** ledgerQuery is the query string of the ledger's filters (as the tile
 * URL carries them) and extra parameters. */
export function ledgerQuery(filters, extra = {}) {
  const join = (v) => (Array.isArray(v) ? v.join(',') : (v || '').trim());
  const q = {};
  for (const [k, v] of Object.entries(filters)) q[k] = join(v);
  return qs({ ...q, ...extra });
}

/** createProject makes a project from a GeoJSON Feature; key makes a
 * retry safe (Idempotency-Key). Answers {project, etag}. */
export async function createProject(feature, key) {
  const { data, headers } = await api('POST', '/api/projects', feature, { full: true, headers: { 'Idempotency-Key': key } });
  return { project: data, etag: headers.get('ETag') };
}

/** patchProject changes a project read at etag: change is a Feature with
 * the properties to change and, if moved, the geometry. A concurrent
 * change answers 412 with the project now and what changed. */
export async function patchProject(id, etag, change) {
  const { data, headers } = await api('PATCH', `/api/projects/${id}`, change, { full: true, headers: { 'If-Match': etag } });
  return { project: data, etag: headers.get('ETag') };
}

export function projectStages(id) {
  return api('GET', `/api/projects/${id}/stages`);
}

/** importLedger sends an edited ledger workbook: all rows or none. */
export function importLedger(file) {
  return api('POST', '/api/projects/import', file);
}

/** putProgress saves the report of a month (YYYY-MM). */
export function putProgress(id, month, report) {
  return api('PUT', `/api/projects/${id}/progress/${month}`, report);
}

/** Photos of the monthly reports: list (every month, oldest first), add
 * one to a month's report (JPEG or PNG, with an optional caption), remove
 * one; photoURL is a photo's image, or its thumbnail. */
export function listPhotos(id) {
  return api('GET', `/api/projects/${id}/photos`);
}
export function addPhoto(id, month, file, caption) {
  const form = new FormData();
  form.append('photo', file);
  if (caption) form.append('caption', caption);
  return api('POST', `/api/projects/${id}/progress/${month}/photos`, form);
}
export function deletePhoto(id, photoId) {
  return api('DELETE', `/api/projects/${id}/photos/${photoId}`);
}
export function photoURL(id, photoId, thumb = false) {
  return `/api/projects/${id}/photos/${photoId}${thumb ? '/thumb' : ''}`;
}

/** laggingProjects lists the yellow and red projects, red first, with the
 * reason. */
export function laggingProjects() {
  return api('GET', '/api/projects/lagging');
}

/** Blockers (协调问题) of a project: list, add, change, remove. */
export function listBlockers(id) {
  return api('GET', `/api/projects/${id}/blockers`);
}
export function saveBlocker(id, blocker) {
  return blocker.id
    ? api('PUT', `/api/projects/${id}/blockers/${blocker.id}`, blocker.body)
    : api('POST', `/api/projects/${id}/blockers`, blocker.body);
}
export function deleteBlocker(id, blockerId) {
  return api('DELETE', `/api/projects/${id}/blockers/${blockerId}`);
}
