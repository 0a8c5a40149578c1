// Formats of the supervision views: 万元 amounts and the projects' points.

/** wan writes an amount of 万元 with grouped digits. */
export const wan = (v) => Number(v || 0).toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** points are the [lon, lat] of projects, for fitting the map to them. */
export const points = (ps) => ps.map((p) => [p.lon, p.lat]);
