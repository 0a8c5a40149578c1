// Site search (智能选址): parcels ranked against a firm's criteria.
import { api } from './http.js';

/** searchSites answers {total, matched, excluded, weights, sites}. */
export function searchSites(query) {
  return api('POST', '/api/sites/search', query);
}
