// The policy's rhythms: the reserve pool's quarterly review (储备库季度调整),
// the groundbreaking waves (集中开工) and heating-season construction
// (采暖季特许施工).
import { api, qs } from './http.js';

/** getReview answers a quarter's (YYYY-Qn) review of the pool. */
export function getReview(quarter) {
  return api('GET', `/api/pool/reviews/${quarter}`);
}

/** decide records a decision {project_id, decision, reason} of a
 * quarter's review and answers the review. */
export function decide(quarter, decision) {
  return api('POST', `/api/pool/reviews/${quarter}/decisions`, decision);
}

/** getWaves answers a year's groundbreaking waves with their new starts. */
export function getWaves(year) {
  return api('GET', `/api/waves${qs({ year })}`);
}

/** putWaves sets a year's three windows [{starts, ends}] (an admin). */
export function putWaves(year, waves) {
  return api('PUT', `/api/waves/${year}`, { waves });
}

/** assignWave assigns a project to a wave of a year; wave null takes it off. */
export function assignWave(id, year, wave) {
  return wave ? api('PUT', `/api/projects/${id}/wave`, { year: Number(year), wave }) : api('DELETE', `/api/projects/${id}/wave`);
}

/** getHeating answers a heating season (YYYY-YYYY, '' for the current
 * one) with its projects. */
export function getHeating(season) {
  return api('GET', season ? `/api/heating/${season}` : '/api/heating');
}

/** putSeason sets a season's dates {starts, ends} (an admin). */
export function putSeason(season, dates) {
  return api('PUT', `/api/heating/${season}`, dates);
}

/** putProjectHeating records a project's status {status, permit_no, scope}
 * in a season. */
export function putProjectHeating(id, season, status) {
  return api('PUT', `/api/projects/${id}/heating/${season}`, status);
}
