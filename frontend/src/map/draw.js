// Drawing and editing a project's site on the map with Terra Draw: draw
// polygons (click the first point, or press Enter, to close one), then
// drag, add (at the midpoints) or delete (right-click) vertices.
import { TerraDraw, TerraDrawPolygonMode, TerraDrawSelectMode } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';

function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** polygonsOf lists the polygons (rings) of a Polygon or MultiPolygon. */
export function polygonsOf(g) {
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  return [];
}

/** siteDraw starts drawing on map with the site geometry (if any) loaded
 * for editing. */
export function siteDraw(map, geometry) {
  const draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map }),
    modes: [
      new TerraDrawPolygonMode({ editable: true }),
      new TerraDrawSelectMode({
        flags: { polygon: { feature: { draggable: true, coordinates: { midpoints: true, draggable: true, deletable: true } } } },
      }),
    ],
  });
  draw.start();
  const polys = polygonsOf(geometry);
  if (polys.length) {
    draw.addFeatures(polys.map((rings) => ({
      id: uuid(), type: 'Feature', geometry: { type: 'Polygon', coordinates: rings }, properties: { mode: 'polygon' },
    })));
  }
  draw.setMode(polys.length ? 'select' : 'polygon');
  return {
    /** mode switches between drawing ('polygon') and editing ('select'). */
    mode(m) { draw.setMode(m); },
    clear() { draw.clear(); draw.setMode('polygon'); },
    /** count is the number of finished polygons. */
    count() { return this.geometry()?.coordinates.length || 0; },
    /** geometry is the drawn site: a MultiPolygon, or null. */
    geometry() {
      const rings = draw.getSnapshot().filter((f) => f.geometry.type === 'Polygon' && !f.properties.currentlyDrawing)
        .map((f) => f.geometry.coordinates);
      return rings.length ? { type: 'MultiPolygon', coordinates: rings } : null;
    },
    stop() { draw.stop(); },
  };
}
