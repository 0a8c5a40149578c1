// Camera coverage on the map: each site under construction as a ring,
// green where a camera posted a snapshot within the window (24 hours),
// red where none did, from GET /api/cameras/coverage. The ring sits
// around the project's own point, so the projects' colours stay readable.
export const coverageLayer = 'coverage-ring';
const source = 'coverage';

export const coveredColour = '#2e7d32';
export const uncoveredColour = '#d32f2f';

/** showCoverage draws (or redraws) the sites of coverage cv on map m. */
export function showCoverage(m, cv) {
  const data = {
    type: 'FeatureCollection',
    features: cv.sites.map((s) => ({
      type: 'Feature',
      id: s.id,
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: { id: s.id, name: s.name, covered: s.covered, cameras: s.cameras },
    })),
  };
  const src = m.getSource(source);
  if (src) {
    src.setData(data);
    return;
  }
  m.addSource(source, { type: 'geojson', data });
  m.addLayer({
    id: coverageLayer, type: 'circle', source,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 7, 14, 12],
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-width': 3,
      'circle-stroke-color': ['case', ['get', 'covered'], coveredColour, uncoveredColour],
    },
  });
}

/** hideCoverage takes the coverage off map m. */
export function hideCoverage(m) {
  if (m.getLayer(coverageLayer)) m.removeLayer(coverageLayer);
  if (m.getSource(source)) m.removeSource(source);
}
