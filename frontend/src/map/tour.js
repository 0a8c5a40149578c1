// A tour's route on the map: the legs as lines, the start as a square and
// the stops as numbered circles, in sources and layers of their own above
// the rest.
const ROUTE = 'tour-route';
const STOPS = 'tour-stops';
export const tourLayers = ['tour-route-line', 'tour-stops-circle', 'tour-stops-label'];

/** tourFeatures answers the GeoJSON of a tour's legs and places. */
export function tourFeatures(tour) {
  const legs = (tour?.legs || []).map((l) => ({ type: 'Feature', properties: { from: l.from, to: l.to }, geometry: l.way }));
  const places = [];
  if (tour) {
    places.push({ type: 'Feature', properties: { label: '起', start: true }, geometry: { type: 'Point', coordinates: [tour.start.lon, tour.start.lat] } });
    for (const s of tour.stops) {
      places.push({ type: 'Feature', properties: { label: String(s.position), id: s.project.id }, geometry: { type: 'Point', coordinates: [s.project.lon, s.project.lat] } });
    }
  }
  return {
    route: { type: 'FeatureCollection', features: legs },
    stops: { type: 'FeatureCollection', features: places },
  };
}

/** showTour draws tour (null: nothing) on map and fits the map to it. */
export function showTour(map, tour) {
  const { route, stops } = tourFeatures(tour);
  if (!map.getSource(ROUTE)) {
    map.addSource(ROUTE, { type: 'geojson', data: route });
    map.addSource(STOPS, { type: 'geojson', data: stops });
    map.addLayer({
      id: 'tour-route-line', type: 'line', source: ROUTE,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#d81b60', 'line-width': 4, 'line-opacity': 0.85 },
    });
    map.addLayer({
      id: 'tour-stops-circle', type: 'circle', source: STOPS,
      paint: {
        'circle-radius': 11, 'circle-color': ['case', ['boolean', ['get', 'start'], false], '#0b3577', '#d81b60'],
        'circle-stroke-color': '#fff', 'circle-stroke-width': 2,
      },
    });
    map.addLayer({
      id: 'tour-stops-label', type: 'symbol', source: STOPS,
      layout: { 'text-field': ['get', 'label'], 'text-font': ['Noto Sans Regular'], 'text-size': 13, 'text-allow-overlap': true },
      paint: { 'text-color': '#fff' },
    });
  } else {
    map.getSource(ROUTE).setData(route);
    map.getSource(STOPS).setData(stops);
  }
  const pts = stops.features.map((f) => f.geometry.coordinates);
  for (const l of route.features) {
    const walk = (a) => (typeof a[0] === 'number' ? pts.push(a) : a.forEach(walk));
    walk(l.geometry.coordinates);
  }
  if (pts.length > 1) {
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 60, maxZoom: 14, duration: 0 });
  }
}

/** hideTour takes a tour's route off map. */
export function hideTour(map) {
  for (const id of [...tourLayers].reverse()) if (map.getLayer(id)) map.removeLayer(id);
  for (const id of [ROUTE, STOPS]) if (map.getSource(id)) map.removeSource(id);
}
