// Printing the map view: the sheet's measures, the map as an image, and
// what goes around it on paper (title, legend, scale, date, data source).
//
// A WebGL canvas keeps its picture only until the browser has shown it, so
// a print (which lays the page out afresh) finds it blank. Rather than make
// every frame dear with preserveDrawingBuffer, snapshot draws the map once,
// synchronously, and copies that frame's pixels into a 2D canvas of the
// print layout, which keeps them. Pixels, not a drawImage of the map:
// Chromium prints a 2D canvas by replaying its drawing, and a replayed
// drawImage of the WebGL canvas came out 2% short of its frame (279 ppi
// on paper where the frame asked for 274), leaving a blank strip.
import { L, t } from '../i18n.js';
import { groups } from './layers.js';

/** SHEET is the printed page in millimetres: A4 landscape with its margin
 * (the @page rule of components/PrintLayout.vue says the same), and the
 * largest the map may be on it beside the legend, below the title. */
export const SHEET = { width: 297, height: 210, margin: 8, map: { width: 212, height: 164 } };

/** SHARPNESS is how many device pixels the snapshot has for each of the
 * screen's: a print wants more than a screen. */
const SHARPNESS = 2;

/** snapshot draws map now and copies its picture into canvas (a 2D
 * canvas), SHARPNESS times as fine as on screen. It answers the size the
 * picture takes on paper, {width, height} in millimetres, fitted into box
 * (SHEET.map unless given) with the map's proportions. */
export function snapshot(map, canvas, box = SHEET.map) {
  map.setPixelRatio(map.getPixelRatio() * SHARPNESS);
  try {
    map.redraw();
    const src = map.getCanvas();
    const copy = document.createElement('canvas');
    copy.width = src.width;
    copy.height = src.height;
    copy.getContext('2d').drawImage(src, 0, 0);
    canvas.width = src.width;
    canvas.height = src.height;
    canvas.getContext('2d').putImageData(copy.getContext('2d').getImageData(0, 0, src.width, src.height), 0, 0);
  } finally {
    map.setPixelRatio(null); // the device's ratio again: createMap sets none of its own
  }
  const { clientWidth: w, clientHeight: h } = map.getCanvas();
  const fit = Math.min(box.width / w, box.height / h);
  return { width: w * fit, height: h * fit };
}

/** scaleOf measures the map across its middle for a picture widthMM wide
 * on paper: the representative fraction (1:N, N rounded to three figures)
 * and a scale bar of a round length no longer than maxMM, {ratio, metres,
 * mm, label}. */
export function scaleOf(map, widthMM, maxMM = 36) {
  const { clientWidth: w, clientHeight: h } = map.getCanvas();
  const metres = map.unproject([0, h / 2]).distanceTo(map.unproject([w, h / 2]));
  const perMM = metres / widthMM;
  const n = perMM * 1000;
  const figures = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 2);
  const longest = perMM * maxMM;
  const step = 10 ** Math.floor(Math.log10(longest));
  const length = [5, 2, 1].map((f) => f * step).find((x) => x <= longest);
  const label = length >= 1000 ? `${length / 1000} ${L(['公里', 'km'])}` : `${length} ${L(['米', 'm'])}`;
  return { ratio: `1:${(Math.round(n / figures) * figures).toLocaleString('en-US')}`, metres: length, mm: length / perMM, label };
}

/** legendOf lists the layer groups switched on (visible: group id → on)
 * and drawn at zoom, in the order of the layer switcher. */
export function legendOf(visible, zoom) {
  return groups.filter((g) => visible[g.id] && zoom >= g.minzoom);
}

/** sourcesOf is the data source line: the attributions of the map's
 * sources as plain text, each once. */
export function sourcesOf(map) {
  const seen = new Set();
  for (const s of Object.values(map.getStyle().sources)) {
    if (!s.attribution) continue;
    const text = new DOMParser().parseFromString(s.attribution, 'text/html').body.textContent.trim();
    if (text) seen.add(text);
  }
  return [...seen].join(L(['；', '; ']));
}

/** dateOf writes a day as the reader's language does: 2026年11月29日. */
export function dateOf(day, lang) {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: 'long', day: 'numeric' }).format(day);
}

// The views named in a print's title: route name → the navigation's word
// for it. The overview's title is the app's.
const viewNames = { projects: 'navProjects', land: 'navLand', invest: 'navInvest', 'invest-share': 'navInvest' };

/** titleOf is a print's title: the city and the view's name, 一张图
 * (appTitle on the overview and the views without a name of their own). */
export function titleOf(routeName, city, appTitle) {
  const v = viewNames[routeName];
  return v ? L([`${city}${t(v)}一张图`, `${city} ${t(v)} map`]) : appTitle;
}

/** words are the print layout's interface words. */
export const words = {
  print: ['打印', 'Print'],
  printHint: ['打印当前地图（A4 横向）', 'Print the current map (A4 landscape)'],
  legend: ['图例', 'Legend'],
  scale: ['比例尺', 'Scale'],
  north: ['北', 'N'],
  date: ['制图日期：', 'Date: '],
  source: ['数据来源：', 'Data: '],
};
