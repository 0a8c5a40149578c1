// Key projects: reading and changing one, and its monthly report.
import { api } from './http.js';

/** getLeaders lists the leaders in charge of projects: {name, titles},
 * the names being what the projects' leader filter takes (for the roles
 * that may see them). */
export async function getLeaders() {
  return (await api('GET', '/api/leaders')).leaders;
}

export function getProject(id) {
  return api('GET', `/api/projects/${id}`);
}

/** patchProject changes fields of a project; change carries the version
 * read, and a concurrent change answers 409. */
export function patchProject(id, change) {
  return api('PATCH', `/api/projects/${id}`, change);
}

/** putProgress saves the report of a month (YYYY-MM). */
export function putProgress(id, month, report) {
  return api('PUT', `/api/projects/${id}/progress/${month}`, report);
}
