// Observation tours (观摩): plans with their route, times and briefing,
// the judges' scoring sheets and the districts' ranking.
import { api, qs } from './http.js';

/** listTours answers the tours, the latest day first. */
export function listTours() {
  return api('GET', '/api/tours');
}

/** getTour answers {data: tour, headers} (the ETag for a change). */
export function getTour(id) {
  return api('GET', `/api/tours/${id}`, undefined, { full: true });
}

/** saveTour plans a new tour (id null) or replaces one read with etag. */
export function saveTour(id, input, etag) {
  if (id == null) return api('POST', '/api/tours', input, { full: true });
  return api('PUT', `/api/tours/${id}`, input, { full: true, headers: { 'If-Match': etag } });
}

/** deleteTour removes a tour read with etag. */
export function deleteTour(id, etag) {
  return api('DELETE', `/api/tours/${id}`, undefined, { headers: { 'If-Match': etag } });
}

/** putScores sends the signed-in judge's scores: [{project_id, score}]. */
export function putScores(id, scores) {
  return api('PUT', `/api/tours/${id}/scores`, { scores });
}

/** keyProjects answers the key projects of every district: the n largest
 * projects under construction of each. */
export function keyProjects(n) {
  return api('GET', `/api/tours/key-projects${qs({ per_district: n })}`);
}
