// The base map under a share link's features: China's provinces and
// prefecture-level cities, and Luohe's districts, roads, railways and
// rivers, drawn as the main map draws them. Their style layers are those of
// /style.json (public), moved onto the link's own tiles.

/** The base layers of the tile catalogue (tiles.Layer.Base). */
export const baseLayers = ['provinces', 'prefectures', 'districts', 'transport'];

/**
 * baseStyle answers {source, layers}: a vector source of tiles (a tile
 * URL template of baseLayers) and the style layers of /style.json that
 * draw the base layers, bound to that source as sourceId, in drawing order.
 */
export async function baseStyle(tiles, sourceId) {
  const res = await fetch('/style.json', { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`style.json: ${res.status}`);
  const style = await res.json();
  const layers = style.layers
    .filter((l) => baseLayers.includes(l['source-layer']))
    .map(({ metadata, ...l }) => ({ ...l, id: `base-${l.id}`, source: sourceId }));
  return { source: { type: 'vector', tiles: [tiles], minzoom: 0, maxzoom: 14 }, layers };
}

/**
 * surroundings answers bounds grown by half their size on every side, so
 * that a view fitted to them shows the roads and places around the shapes
 * and not the shapes alone.
 */
export function surroundings(bounds) {
  const sw = bounds.getSouthWest();
  const ne = bounds.getNorthEast();
  const dx = (ne.lng - sw.lng) / 2;
  const dy = (ne.lat - sw.lat) / 2;
  return new bounds.constructor([sw.lng - dx, sw.lat - dy], [ne.lng + dx, ne.lat + dy]);
}
