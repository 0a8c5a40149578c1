// Project points drawn in clusters with their counts at low zoom, and
// their names placed clear of each other and of the points. The points
// come from the projects' vector tiles (filtered and limited to what the
// user may see by the server, like every tile): the features of the tiles
// in view, one per project, go into a clustering GeoJSON source, which the
// style's projects-circle and projects-label layers are moved onto. A
// cluster knows its projects, so a click on one can list them.
export const pointsSource = 'project-points';

// The tiles' points keep loading through a layer nobody sees, which the
// list of projects in view reads too.
export const dataLayer = 'projects-data';
export const clusterLayer = 'projects-cluster';

// Zooms up to clusterMaxZoom draw clusters; radius: pixels.
const clusterMaxZoom = 11;
const clusterRadius = 40;

// An empty square image over every point and cluster: its place keeps
// the names off the points (a symbol's icon takes part in label placement,
// a circle does not). The layers that hold it lie above the names, as
// labels are placed top layer first. Its size in pixels, a point's
// diameter at icon-size 1.
const collider = 'project-collider';
const colliderSize = 28;

const isPoint = ['==', ['geometry-type'], 'Point'];
const isCluster = ['has', 'point_count'];
const clusterRadiusExpr = ['step', ['get', 'point_count'], 14, 10, 18, 50, 23];

// ofRadius derives a value from a circle-radius value by f (an expression
// of the radius): on each output of a zoom curve, since a zoom curve must
// stay outermost.
function ofRadius(radius, f) {
  if (Array.isArray(radius) && ['interpolate', 'step'].includes(radius[0]) && radius[2]?.[0] === 'zoom') {
    const head = radius[0] === 'interpolate' ? 3 : 2;
    const output = radius[0] === 'interpolate' ? 1 : 0;
    return radius.map((v, i) => (i >= head && (i - head) % 2 === output ? ofRadius(v, f) : v));
  }
  return f(radius ?? 5);
}
const coverSize = (radius) => ['/', ['*', 2, radius], colliderSize]; // icon-size
const clearOffset = (radius) => ['+', 0.3, ['/', radius, 12]]; // text-radial-offset, ems of 12 px

/**
 * installProjectClusters moves the style's project points and names onto
 * the clustering source, adds the clusters with their counts, and keeps
 * the source filled from the tiles. Call it once the style is loaded,
 * before the layers are listed by group.
 */
export function installProjectClusters(map) {
  const layers = map.getStyle().layers;
  const at = (id) => layers.findIndex((l) => l.id === id);
  const circle = layers[at('projects-circle')];
  const label = layers[at('projects-label')];
  if (!circle || !label) return;
  const after = (id) => layers[at(id) + 1]?.id;
  const circleBefore = after(circle.id);
  const labelBefore = after(label.id);
  const group = circle.metadata;

  map.addImage(collider, { width: colliderSize, height: colliderSize, data: new Uint8Array(colliderSize * colliderSize * 4) });
  map.addSource(pointsSource, {
    type: 'geojson', data: { type: 'FeatureCollection', features: [] }, cluster: true, clusterMaxZoom, clusterRadius,
  });
  map.removeLayer(label.id);
  map.removeLayer(circle.id);

  map.addLayer({
    id: dataLayer, type: 'circle', source: circle.source, 'source-layer': circle['source-layer'], metadata: group, filter: isPoint,
    paint: { 'circle-radius': 1, 'circle-opacity': 0, 'circle-stroke-opacity': 0 },
  }, circleBefore);
  map.addLayer({
    id: clusterLayer, type: 'circle', source: pointsSource, metadata: group, filter: isCluster,
    paint: {
      'circle-color': '#1657b5', 'circle-opacity': 0.85, 'circle-radius': clusterRadiusExpr,
      'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2,
    },
  }, circleBefore);
  map.addLayer({
    id: circle.id, type: 'circle', source: pointsSource, metadata: group, filter: ['!', isCluster], paint: circle.paint,
  }, circleBefore);

  // The name goes where it is clear of names and points: below, above or
  // beside its point, the larger projects' first.
  const radius = circle.paint?.['circle-radius'];
  const { 'text-anchor': _a, 'text-offset': _o, ...labelLayout } = label.layout;
  map.addLayer({
    id: label.id, type: 'symbol', source: pointsSource, metadata: group, minzoom: label.minzoom, filter: ['!', isCluster],
    layout: {
      ...labelLayout,
      'text-variable-anchor': ['top', 'bottom', 'right', 'left'],
      'text-radial-offset': ofRadius(radius, clearOffset),
      'text-justify': 'auto',
      'symbol-sort-key': ['-', ['to-number', ['get', 'total_investment'], 0]],
    },
    paint: label.paint,
  }, labelBefore);
  map.addLayer({
    id: 'projects-cluster-count', type: 'symbol', source: pointsSource, metadata: group, filter: isCluster,
    layout: {
      'text-field': ['get', 'point_count_abbreviated'], 'text-font': ['Noto Sans Bold'], 'text-size': 12,
      'text-allow-overlap': true, 'icon-image': collider, 'icon-size': coverSize(clusterRadiusExpr), 'icon-allow-overlap': true,
    },
    paint: { 'text-color': '#ffffff', 'icon-opacity': 0 },
  }, labelBefore);
  map.addLayer({
    id: 'projects-point-collider', type: 'symbol', source: pointsSource, metadata: group, filter: ['!', isCluster],
    layout: { 'icon-image': collider, 'icon-size': ofRadius(radius, coverSize), 'icon-allow-overlap': true },
    paint: { 'icon-opacity': 0 },
  }, labelBefore);

  let shown = '';
  const refresh = () => {
    const byId = new Map();
    // The points drawn by the data layer: querySourceFeatures answers
    // nothing once the source's tiles were set anew (MapLibre 5), though
    // the tiles are drawn.
    for (const f of map.queryRenderedFeatures({ layers: [dataLayer] })) {
      const id = f.id ?? f.properties.id;
      if (id === undefined || id === null || byId.has(id)) continue;
      byId.set(id, { type: 'Feature', id, properties: { ...f.properties, id }, geometry: f.geometry });
    }
    const features = [...byId.values()].sort((a, b) => a.id - b.id);
    // The warning level, the overdue blockers and the compliance verdict
    // colour the point: a report or a check that changes them redraws it.
    const key = features.map((f) => `${f.id}@${f.geometry.coordinates.map((c) => c.toFixed(6))}`
      + `:${f.properties.warning_level ?? ''}:${f.properties.overdue_blockers ?? 0}`
      + `:${f.properties.verdict ?? ''}:${f.properties.verdict_stale ?? ''}`).join(';');
    if (key === shown) return;
    shown = key;
    map.getSource(pointsSource).setData({ type: 'FeatureCollection', features });
  };
  map.on('sourcedata', (e) => {
    if (e.sourceId === circle.source && e.isSourceLoaded) refresh();
  });
  // Once everything is in: what the tiles hold now, whatever the order
  // their loads and removals came in (a no-op when nothing changed).
  map.on('idle', refresh);
  refresh();
}

/** clusterProjects answers the projects of a cluster feature drawn by the
 * cluster layer, as GeoJSON features of the points source. */
export function clusterProjects(map, feature) {
  return map.getSource(pointsSource).getClusterLeaves(feature.properties.cluster_id, Infinity, 0);
}
