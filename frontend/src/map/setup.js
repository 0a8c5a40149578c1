// MapLibre setup: the map over onemap's own style, tiles and glyphs, with no
// request leaving the server it was loaded from.
import { Map, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

// Vite bundles MapLibre, so its worker is a separate asset of the build.
setWorkerUrl(new URL(workerUrl, window.location.href).href);

// Chinese characters are drawn by the browser from local fonts; Latin
// letters and digits come from onemap's glyph PBFs (/fonts/…).
const localIdeographFontFamily =
  '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';

/**
 * createMap makes a map in container with onemap's controls: no rotation,
 * zoom buttons and a metric scale. options are MapLibre's (style, center,
 * zoom, hash, attributionControl).
 */
export function createMap(container, options) {
  const map = new Map({
    container,
    minZoom: 3,
    maxZoom: 18,
    localIdeographFontFamily,
    attributionControl: { compact: true },
    dragRotate: false,
    pitchWithRotate: false,
    ...options,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
  return map;
}

/** The projects source's tile URL with the filters as query parameters. */
export function projectTilesURL(base, filters) {
  const u = base.split('?')[0];
  const q = [];
  const add = (name, values) => {
    if (Array.isArray(values) ? values.length : values) {
      q.push(`${name}=${(Array.isArray(values) ? values : [values]).map(encodeURIComponent).join(',')}`);
    }
  };
  for (const name of ['stage', 'category', 'district', 'leader', 'warning_level', 'started', 'finished']) add(name, filters[name]);
  return q.length ? `${u}?${q.join('&')}` : u;
}
