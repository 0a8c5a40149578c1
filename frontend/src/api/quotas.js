// The construction-land quotas (年度建设用地计划指标): every district's
// quota of a year with what is allocated, reserved and left, a district's
// quota with its history (and ETag), and the bureau's change of a quota
// (If-Match once it is set).
import { api } from './http.js';

/** getQuotas answers the ledger of year: {year, near_share, districts}. */
export const getQuotas = (year) => api('GET', `/api/quotas?year=${encodeURIComponent(year)}`);

/** getQuota answers {quota, etag}: a district's quota of year with its
 * changes, and the ETag a change sends back (null before one is set). */
export async function getQuota(year, district) {
  const { data, headers } = await api('GET', `/api/quotas/${year}/${district}`, undefined, { full: true });
  return { quota: data, etag: headers.get('ETag') };
}

/** putQuota sets a district's quota of year ({quota_mu, reason}), made on
 * etag (none for a quota not set yet); answers {quota, etag}. */
export async function putQuota(year, district, body, etag) {
  const headers = etag ? { 'If-Match': etag } : {};
  const { data, headers: h } = await api('PUT', `/api/quotas/${year}/${district}`, body, { full: true, headers });
  return { quota: data, etag: h.get('ETag') };
}
