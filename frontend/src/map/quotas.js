// The construction-land quotas on the map: each district filled by the
// share of its quota left (GET /api/quotas), drawn from the districts of
// the map's own tiles under their outlines.
export const quotaLayer = 'quota-fill';

// The colours of the share left, from over the quota to plenty.
export const quotaColours = {
  over: '#d32f2f', // 超出指标
  near: '#f57c00', // 剩余不足 10%
  low: '#fbc02d', // 剩余 10%–30%
  ample: '#388e3c', // 剩余 30% 以上
  unset: '#bdbdbd', // 未下达指标
};

/** quotaClass is the colour class of a district's quota. */
export function quotaClass(d) {
  if (d.quota_mu === null || d.quota_mu === undefined) return 'unset';
  if (d.over) return 'over';
  if (d.near) return 'near';
  return d.remaining_share < 0.3 ? 'low' : 'ample';
}

/** showQuotaMap fills the districts of map m by the ledger's shares left. */
export function showQuotaMap(m, ledger) {
  const match = ['match', ['get', 'code']];
  for (const d of ledger.districts) match.push(d.code, quotaColours[quotaClass(d)]);
  match.push('rgba(0,0,0,0)');
  if (m.getLayer(quotaLayer)) {
    m.setPaintProperty(quotaLayer, 'fill-color', match);
    return;
  }
  m.addLayer({
    id: quotaLayer, type: 'fill', source: 'onemap', 'source-layer': 'districts',
    filter: ['==', ['geometry-type'], 'Polygon'],
    paint: { 'fill-color': match, 'fill-opacity': 0.45 },
  }, m.getLayer('districts-line') ? 'districts-line' : undefined);
}

/** hideQuotaMap takes the quotas off map m. */
export function hideQuotaMap(m) {
  if (m.getLayer(quotaLayer)) m.removeLayer(quotaLayer);
}
