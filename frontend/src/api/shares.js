// Share links: composing and revoking them (signed-in users), and what a
// firm's page at /s/<token> reads without signing in.
import { api, readError } from './http.js';

/** listShares answers {shares, fields}. */
export function listShares() {
  return api('GET', '/api/shares');
}

/** createShare answers {share, url, qr_png}. */
export function createShare(body) {
  return api('POST', '/api/shares', body);
}

export function revokeShare(id) {
  return api('DELETE', `/api/shares/${id}`);
}

export async function shareOpens(id) {
  return (await api('GET', `/api/shares/${id}/opens`)).opens || [];
}

const linkBase = (token) => `/s/${encodeURIComponent(token)}`;

/** shareTiles is the template of a link's own tile URLs. */
export function shareTiles(token) {
  return `${window.location.origin}${linkBase(token)}/tiles/parcels,parks/{z}/{x}/{y}.mvt`;
}

/** shareBaseTiles is the template of a link's base-map tile URLs (layers: baseLayers). */
export function shareBaseTiles(token, baseLayers) {
  return `${window.location.origin}${linkBase(token)}/tiles/${baseLayers.join(',')}/{z}/{x}/{y}.mvt`;
}

/**
 * shareInfo answers the link's title, fields and features; it throws
 * ApiError (401 share_locked with the title in its body, 404 or 410).
 * No session is involved: a locked link's ApiError is no ended session.
 */
export async function shareInfo(token) {
  const res = await fetch(`${linkBase(token)}/info`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!res.ok) throw await readError(res);
  return res.json();
}

/** unlockShare opens a password-protected link for this browser. */
export function unlockShare(token, password) {
  return api('POST', `${linkBase(token)}/unlock`, { password }, { quiet401: true });
}
