// The leaders' dashboard (驾驶舱) and the monthly bulletin.
import { api, qs } from './http.js';

/** getDashboard answers the dashboard's figures of a year ('' this year). */
export function getDashboard(year) {
  return api('GET', `/api/dashboard${qs({ year })}`);
}

/** getBulletin answers the monthly bulletin of month (YYYY-MM): the
 * numbers that its workbook (bulletinURL) holds too. */
export function getBulletin(month) {
  return api('GET', `/api/bulletins/${month}.json`);
}

/** bulletinURL is the monthly bulletin workbook of month (YYYY-MM). */
export function bulletinURL(month) {
  return `/api/bulletins/${month}.xlsx`;
}
