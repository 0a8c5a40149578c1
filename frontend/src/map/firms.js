// The national view of target firms: their headquarters as points coloured
// by stage and lines from each firm to the parks and parcels proposed to
// it, in a source and layers of their own above the rest, over the base
// map's provinces and prefecture-level cities.
const SOURCE = 'firms-national';
export const firmLayers = ['firms-national-line', 'firms-national-hq', 'firms-national-label'];

/** China's extent, for the national view. */
export const chinaBounds = [[73, 17], [135, 54]];

const stageColours = ['match', ['get', 'stage'], 'contact', '#78909c', 'negotiating', '#f9a825', 'signed', '#2e7d32', 'landed', '#1565c0', '#555'];

/** showFirms draws the GeoJSON of GET /api/firms/map on map and, with fit,
 * fits the map to China. */
export function showFirms(map, data, fit) {
  if (!map.getSource(SOURCE)) {
    map.addSource(SOURCE, { type: 'geojson', data });
    map.addLayer({
      id: 'firms-national-line', type: 'line', source: SOURCE, filter: ['==', ['get', 'kind'], 'proposal'],
      paint: { 'line-color': stageColours, 'line-width': 1.5, 'line-opacity': 0.7, 'line-dasharray': [2, 1] },
    });
    map.addLayer({
      id: 'firms-national-hq', type: 'circle', source: SOURCE, filter: ['==', ['get', 'kind'], 'hq'],
      paint: { 'circle-radius': 6, 'circle-color': stageColours, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5 },
    });
    map.addLayer({
      id: 'firms-national-label', type: 'symbol', source: SOURCE, filter: ['==', ['get', 'kind'], 'hq'], minzoom: 5,
      layout: { 'text-field': ['get', 'name'], 'text-font': ['Noto Sans Regular'], 'text-size': 11, 'text-offset': [0, 1.2], 'text-anchor': 'top' },
      paint: { 'text-color': '#333', 'text-halo-color': '#fff', 'text-halo-width': 1 },
    });
  } else {
    map.getSource(SOURCE).setData(data);
  }
  if (fit) map.fitBounds(chinaBounds, { padding: 20, duration: 0 });
}

/** firmAt answers the id of the firm whose headquarters or proposal line
 * map drew within a few pixels of point, the headquarters first; or
 * null. */
export function firmAt(map, point) {
  if (!map.getLayer('firms-national-hq')) return null;
  const r = 5;
  const box = [[point.x - r, point.y - r], [point.x + r, point.y + r]];
  const [f] = map.queryRenderedFeatures(box, { layers: ['firms-national-hq', 'firms-national-line'] })
    .sort((a, b) => (a.properties.kind === 'hq' ? 0 : 1) - (b.properties.kind === 'hq' ? 0 : 1));
  if (!f) return null;
  return f.properties.kind === 'hq' ? f.properties.id : f.properties.firm_id;
}

/** hideFirms takes the national view off map. */
export function hideFirms(map) {
  for (const id of firmLayers) if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(SOURCE)) map.removeSource(SOURCE);
}
