// What the tours panel and the itinerary both show of a tour.

/** sheetsOf groups a tour's stops by district, in visiting order: the
 * scoring sheets, [{district, stops}]. */
export function sheetsOf(tour) {
  const out = [];
  for (const s of tour?.stops || []) {
    let d = out.find((x) => x.district === s.project.district);
    if (!d) out.push(d = { district: s.project.district, stops: [] });
    d.stops.push(s);
  }
  return out;
}

/** km shows metres as kilometres with one decimal. */
export const km = (m) => (m / 1000).toFixed(1);

/** minutes shows seconds as whole minutes. */
export const minutes = (s) => Math.round(s / 60);

/** money shows an amount of 万元 (— when hidden or none). */
export const money = (v) => (v == null ? '—' : `${Number(v).toLocaleString('zh-CN')} 万元`);
