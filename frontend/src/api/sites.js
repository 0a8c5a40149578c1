// Parks and parcels (the investment teams keep them): read, create,
// change with the ETag read as If-Match, a parcel's supply history, and
// the one-page brochures, also through a share link; the site search
// (智能选址): parcels ranked against a firm's criteria.
import { api, qs, readError } from './http.js';

/** getSite answers {item, etag} of a park or a parcel (kind: 'parks' or
 * 'parcels'); the ETag names the version read. */
export async function getSite(kind, id) {
  const { data, headers } = await api('GET', `/api/${kind}/${id}`, undefined, { full: true });
  return { item: data, etag: headers.get('ETag') };
}

/** listSites lists the parks or the parcels (without outlines), the
 * parcels of one park if park is given. */
export function listSites(kind, park) {
  return api('GET', `/api/${kind}${qs({ park })}`);
}

/** createSite makes a park or a parcel from a GeoJSON Feature; answers
 * {item, etag}. */
export async function createSite(kind, feature) {
  const { data, headers } = await api('POST', `/api/${kind}`, feature, { full: true });
  return { item: data, etag: headers.get('ETag') };
}

/** patchSite changes a park or a parcel read at etag; a concurrent change
 * answers 412 with the thing as it is now. */
export async function patchSite(kind, id, etag, change) {
  const { data, headers } = await api('PATCH', `/api/${kind}/${id}`, change, { full: true, headers: { 'If-Match': etag } });
  return { item: data, etag: headers.get('ETag') };
}

/** parcelSupply lists a parcel's supply status changes, oldest first. */
export function parcelSupply(id) {
  return api('GET', `/api/parcels/${id}/supply`);
}

/** getBrochure answers the brochure of a park or a parcel: through the
 * share link token if given (no session), else as the signed-in user. */
export async function getBrochure(layer, id, token) {
  if (!token) return api('GET', `/api/${layer}/${id}/brochure`);
  const res = await fetch(`/s/${encodeURIComponent(token)}/info/${layer}/${id}`, {
    credentials: 'same-origin', headers: { Accept: 'application/json' },
  });
  if (!res.ok) throw await readError(res);
  return res.json();
}

/** searchSites answers {total, matched, excluded, weights, sites}. */
export function searchSites(query) {
  return api('POST', '/api/sites/search', query);
}
