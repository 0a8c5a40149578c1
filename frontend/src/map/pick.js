// What a map click is on, and the chosen feature's highlight.
//
// A click lists every feature under the cursor, the most specific first:
// in the order of preference of the clickable layers (layers.js: the
// top-most drawn first, the background layers last), then the smallest
// area first. A filled polygon counts only where the cursor is inside it,
// and a polygon drawn as its outline only near its own edges, not near
// the edges a tile cut it along (tiles hold each feature clipped to the
// tile and a buffer around it). A cluster of projects counts as each of
// its projects.
//
// The highlight is drawn from the tiles themselves, by layers filtered to
// the chosen feature: a feature cut into many tiles is outlined whole, with
// no seams, and tiles loaded later outline their part of it too.
import { clickable } from './layers.js';
import { clusterLayer, clusterProjects, pointsSource } from './clusters.js';

// onemap's tiles (package tiles): extent, buffer and simplification
// tolerance in tile units, and the deepest zoom.
const EXTENT = 4096;
const BUFFER = 64;
const TOLERANCE = 4;
const MAX_ZOOM = 14;

// How near, in pixels, a click must be to a point or a line.
const NEAR = 6;

/** clickableLayers lists the clickable layers the map shows. */
export function clickableLayers(map) {
  return clickable.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
}

/** hitOf turns a rendered or source feature into an entry of the
 * details panel. A project point of the clustering source stands for the
 * project of the projects' tiles. */
export function hitOf(f, layerId = f.layer?.id) {
  const project = f.source === pointsSource || f.layer?.source === pointsSource;
  return {
    source: project ? 'projects' : f.source ?? f.layer?.source,
    sourceLayer: project ? 'projects' : f.sourceLayer ?? f.layer?.['source-layer'],
    layerId,
    id: f.id ?? f.properties.id,
    properties: { ...f.properties },
    geometry: f.geometry,
  };
}

// mercator is the Web Mercator position of a lon/lat, the world being
// 1 wide.
function mercator([lng, lat]) {
  const s = Math.max(-0.9999, Math.min(0.9999, Math.sin((lat * Math.PI) / 180)));
  return [(lng + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
}

// cut tells whether the segment a–b (Mercator) lies along the buffer edge
// of a tile of one of zooms: an edge where a tile cut the polygon, not one
// of its own. Simplification may move a cut's ends by its tolerance.
function cut(a, b, zooms) {
  for (const z of zooms) {
    const n = 2 ** z * EXTENT;
    for (const i of [0, 1]) {
      const u = a[i] * n;
      const v = b[i] * n;
      for (const off of [-BUFFER, BUFFER]) {
        const edge = Math.round((u - off) / EXTENT) * EXTENT + off;
        if (Math.abs(u - edge) <= TOLERANCE + 0.5 && Math.abs(v - edge) <= TOLERANCE + 0.5) return true;
      }
    }
  }
  return false;
}

// The zooms of the tiles a map may draw now: its own and those it keeps
// while the next load.
function tileZooms(map) {
  const z = Math.min(MAX_ZOOM, Math.floor(map.getZoom()));
  const out = [];
  for (let k = Math.max(0, z - 2); k <= Math.min(MAX_ZOOM, z + 1); k++) out.push(k);
  return out;
}

const polygons = (g) => (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []);

// inside tells whether p lies inside the polygon rings (even-odd).
function inside(p, rings) {
  let in_ = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) in_ = !in_;
    }
  }
  return in_;
}

function segmentDistance(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

// ringArea is the area a ring encloses (shoelace, Mercator).
function ringArea(ring) {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return Math.abs(s) / 2;
}

// The filter that picks the chosen feature out of its tiles: its id, or
// all its attributes where it has none (an overview feature: a land-use
// class of the generalised grid, the farmland of low zoom).
function only(hit) {
  if (hit.id !== undefined && hit.id !== null) return ['==', ['id'], hit.id];
  const props = Object.entries(hit.properties);
  return props.length ? ['all', ...props.map(([k, v]) => ['==', ['get', k], v])] : false;
}

// area is the area of a polygon feature over every tile piece of it that
// the map holds (Mercator); 0 for points and lines.
function area(map, hit) {
  if (!hit.geometry.type.endsWith('Polygon')) return 0;
  const seen = new Set();
  let a = 0;
  for (const f of map.querySourceFeatures(hit.source, { sourceLayer: hit.sourceLayer, filter: only(hit) })) {
    const ps = polygons(f.geometry);
    const key = JSON.stringify(ps[0]?.[0]?.slice(0, 3));
    if (seen.has(key)) continue;
    seen.add(key);
    for (const rings of ps) {
      const m = rings.map((r) => r.map(mercator));
      a += ringArea(m[0]) - m.slice(1).reduce((s, r) => s + ringArea(r), 0);
    }
  }
  return a;
}

/**
 * pick answers the features under point (pixels in the map) as entries of
 * the details panel, the most specific first: {source, sourceLayer,
 * layerId, id, properties, geometry}.
 */
export async function pick(map, point) {
  const box = [[point.x - NEAR, point.y - NEAR], [point.x + NEAR, point.y + NEAR]];
  const feats = map.queryRenderedFeatures(box, { layers: clickableLayers(map) });
  const size = 512 * 2 ** map.getZoom();
  const click = mercator(map.unproject(point).toArray());
  const zooms = tileZooms(map);
  const px = (q) => [q[0] * size, q[1] * size];

  const under = (f) => {
    if (!f.geometry.type.endsWith('Polygon')) return true; // MapLibre's test
    const polys = polygons(f.geometry).map((rings) => rings.map((r) => r.map(mercator)));
    if (f.layer.type === 'fill') return polys.some((rings) => inside(click, rings));
    const c = px(click);
    return polys.some((rings) => rings.some((ring) => ring.some((q, i) => i > 0
      && !cut(ring[i - 1], q, zooms) && segmentDistance(c, px(ring[i - 1]), px(q)) <= NEAR)));
  };

  const hits = new Map();
  const add = (hit) => {
    const key = `${hit.source}|${hit.sourceLayer}|${hit.id ?? JSON.stringify(hit.properties)}`;
    if (!hits.has(key)) hits.set(key, hit);
  };
  for (const f of feats) {
    if (!under(f)) continue;
    if (f.layer.id === clusterLayer) {
      const projects = await clusterProjects(map, f);
      projects.sort((a, b) => String(a.properties.name).localeCompare(String(b.properties.name), 'zh-CN'));
      for (const p of projects) add(hitOf({ ...p, source: pointsSource }, 'projects-circle'));
    } else {
      add(hitOf(f));
    }
  }
  const rank = (h) => clickable.indexOf(h.layerId);
  const list = [...hits.values()].map((h) => ({ ...h, area: area(map, h) }));
  return list.sort((a, b) => rank(a) - rank(b) || a.area - b.area);
}

const selectionLayers = ['selection-fill', 'selection-line', 'selection-point'];
const isType = (...types) => ['in', ['geometry-type'], ['literal', types]];

/** highlight outlines hit (an entry of pick) on the map, or nothing. */
export function highlight(map, hit) {
  for (const id of selectionLayers) if (map.getLayer(id)) map.removeLayer(id);
  if (!hit || !map.getSource(hit.source)) return;
  const from = { source: hit.source, ...(hit.sourceLayer ? { 'source-layer': hit.sourceLayer } : {}) };
  const f = only(hit);
  map.addLayer({
    id: 'selection-fill', type: 'fill', ...from, filter: ['all', f, isType('Polygon', 'MultiPolygon')],
    paint: { 'fill-color': '#00e5ff', 'fill-opacity': 0.15 },
  });
  map.addLayer({
    id: 'selection-line', type: 'line', ...from, filter: ['all', f, ['!', isType('Point', 'MultiPoint')]],
    paint: { 'line-color': '#00b8d4', 'line-width': 3 },
  });
  map.addLayer({
    id: 'selection-point', type: 'circle', ...from, filter: ['all', f, isType('Point', 'MultiPoint')],
    paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#00b8d4', 'circle-stroke-width': 3 },
  });
}

/** groupHits groups the entries of pick by layer, in their order:
 * [{sourceLayer, items: [{hit, index}]}], index being the entry's place in
 * hits. */
export function groupHits(hits) {
  const groups = new Map();
  hits.forEach((hit, index) => {
    if (!groups.has(hit.sourceLayer)) groups.set(hit.sourceLayer, { sourceLayer: hit.sourceLayer, items: [] });
    groups.get(hit.sourceLayer).items.push({ hit, index });
  });
  return [...groups.values()];
}
