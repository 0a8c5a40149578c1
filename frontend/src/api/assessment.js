// The district assessment (考核): a year's weights, scores and ranking.
import { api, qs } from './http.js';

/** getAssessment answers a year's assessment. */
export function getAssessment(year) {
  return api('GET', `/api/assessment${qs({ year })}`);
}

/** putWeights sets a year's weights {planning, attraction, approvals,
 * construction, completion} (percent, summing to 100). */
export function putWeights(year, weights) {
  return api('PUT', `/api/assessment/${year}/weights`, weights);
}

/** putOverride sets an admin's score {score, reason} of a district's item. */
export function putOverride(year, district, item, body) {
  return api('PUT', `/api/assessment/${year}/overrides/${district}/${item}`, body);
}

/** deleteOverride removes an override: the computed score counts again. */
export function deleteOverride(year, district, item) {
  return api('DELETE', `/api/assessment/${year}/overrides/${district}/${item}`);
}
