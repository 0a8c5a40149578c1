// Administration: user accounts and the audit log.
import { api, qs } from './http.js';

export async function listUsers() {
  return (await api('GET', '/api/users')).users || [];
}

export function createUser(body) {
  return api('POST', '/api/users', body);
}

/** patchUser changes a user and answers the user as it now is. */
export function patchUser(id, change) {
  return api('PATCH', `/api/users/${id}`, change);
}

export function setPassword(id, password) {
  return api('PUT', `/api/users/${id}/password`, { password });
}

/** listAudit answers the audit entries matching filter {user, table, from,
 * to, limit} and the audited tables with their columns' labels:
 * {entries, tables}. */
export async function listAudit(filter) {
  const r = await api('GET', `/api/audit${qs(filter)}`);
  return { entries: r.entries || [], tables: r.tables || [] };
}
