// Firm targeting (精准招商): target firms with their stage history, the
// national map of their headquarters and proposed sites, the parks'
// industry chains and the firms ranked for a park or a parcel.
import { api, qs } from './http.js';

/** firmQuery is the query of a filter {tag, industry, stage, responsible, q}. */
export function firmQuery(f) {
  return qs({ tag: (f.tag || []).join(','), industry: f.industry, stage: (f.stage || []).join(','), responsible: f.responsible, q: f.q });
}

/** listFirms answers the firms of a filter, by name. */
export function listFirms(f) {
  return api('GET', `/api/firms${firmQuery(f)}`);
}

/** firmsMap answers the national view of a filter's firms as GeoJSON. */
export function firmsMap(f) {
  return api('GET', `/api/firms/map${firmQuery(f)}`);
}

/** getFirm answers {data: firm, headers} (the ETag for a change). */
export function getFirm(id) {
  return api('GET', `/api/firms/${id}`, undefined, { full: true });
}

/** saveFirm creates a firm (id null) or changes one read with etag. */
export function saveFirm(id, input, etag) {
  if (id == null) return api('POST', '/api/firms', input, { full: true });
  return api('PATCH', `/api/firms/${id}`, input, { full: true, headers: { 'If-Match': etag } });
}

/** firmStages answers a firm's stage history, oldest first. */
export function firmStages(id) {
  return api('GET', `/api/firms/${id}/stages`);
}

/** parkChains answers a park's industry chains. */
export function parkChains(id) {
  return api('GET', `/api/parks/${id}/chains`);
}

/** putParkChains replaces a park's industry chains. */
export function putParkChains(id, chains) {
  return api('PUT', `/api/parks/${id}/chains`, { chains });
}

/** siteFirms answers the firms ranked for a park or a parcel ('parks', 'parcels'). */
export function siteFirms(kind, id) {
  return api('GET', `/api/${kind}/${id}/firms`);
}
