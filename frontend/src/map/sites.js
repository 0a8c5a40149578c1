// A site search's results on the map: each parcel as a numbered circle at
// a point on it, in a source and layers of their own above the rest.
const SOURCE = 'site-results';

/** showSites draws the sites (empty: nothing) on map and fits the map to them. */
export function showSites(map, sites) {
  const data = {
    type: 'FeatureCollection',
    features: sites.map((s) => ({
      type: 'Feature', properties: { label: String(s.rank), id: s.id },
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
    })),
  };
  if (!map.getSource(SOURCE)) {
    map.addSource(SOURCE, { type: 'geojson', data });
    map.addLayer({
      id: 'site-results-circle', type: 'circle', source: SOURCE,
      paint: { 'circle-radius': 10, 'circle-color': '#e65100', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
    });
    map.addLayer({
      id: 'site-results-label', type: 'symbol', source: SOURCE,
      layout: { 'text-field': ['get', 'label'], 'text-font': ['Noto Sans Regular'], 'text-size': 12, 'text-allow-overlap': true },
      paint: { 'text-color': '#fff' },
    });
  } else {
    map.getSource(SOURCE).setData(data);
  }
  if (sites.length > 1) {
    const xs = sites.map((s) => s.lon);
    const ys = sites.map((s) => s.lat);
    map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 60, maxZoom: 14, duration: 0 });
  } else if (sites.length === 1) {
    map.flyTo({ center: [sites[0].lon, sites[0].lat], zoom: 14, duration: 0 });
  }
}

/** hideSites takes the results off map. */
export function hideSites(map) {
  for (const id of ['site-results-label', 'site-results-circle']) if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(SOURCE)) map.removeSource(SOURCE);
}
