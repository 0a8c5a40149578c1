#!/usr/bin/env node
// Browser test of printing the map against a running onemap server:
//
//   node frontend/e2e/print.mjs <baseURL> <outDir>
//
// It signs in as the demo admin, clicks 打印 in the map view (with
// window.print stubbed, counting its calls), prints the page to PDF in
// headless Chromium (page.pdf, as the browser's print does: print media,
// no background graphics) and reads the PDF with Debian's poppler-utils:
// pdfinfo for one A4 landscape page, pdftotext for the title, legend,
// scale, date and data source and for the absence of the app's controls,
// pdftoppm for the pixels of the map, the legend's swatches and the scale
// bar, found where the print layout puts them. Then it zooms in and
// prints again without the button (the browser's own print, Ctrl+P): the
// map and scale follow. The PDFs and page images go to outDir.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { TIMEOUT, baseURL, limit, loginHere, nextIdle, pdfPage1, report, runInChromium, sameOrigin, waitIdle } from './harness.mjs';

const base = baseURL(process.argv[2]);
const outDir = resolve(process.argv[3] || 'print');
const USER = process.env.E2E_USER || 'admin';
const PASSWORD = process.env.E2E_PASSWORD || 'luohe-admin-2026';
// The resolution the PDF's page is rendered at, in dots per inch.
const DPI = 72;
const MM = 96 / 25.4; // CSS pixels per millimetre

const r = report();
const { fail, info, check } = r;
limit(5, 'print e2e');
const isLocal = sameOrigin(base);

/** pixels counts, in a region of the image given in millimetres from the
 * page's top left corner, the pixels that are blank (near white), inked
 * (neither near white nor the map's background colour), coloured
 * (saturated) and dark, and the distinct colours (4 bits a channel). */
function pixels(img, { x, y, width, height }, background) {
  const px = (mm) => Math.round(mm * DPI / 25.4);
  const out = { total: 0, blank: 0, inked: 0, coloured: 0, dark: 0, colours: 0 };
  const colours = new Set();
  for (let j = px(y); j < Math.min(img.height, px(y + height)); j++) {
    for (let i = px(x); i < Math.min(img.width, px(x + width)); i++) {
      const c = img.at(i, j);
      out.total++;
      const near = (o) => Math.max(...c.map((v, k) => Math.abs(v - o[k]))) <= 8;
      if (near([255, 255, 255])) out.blank++;
      else if (!(background && near(background))) out.inked++;
      if (Math.max(...c) - Math.min(...c) > 60) out.coloured++;
      if (Math.max(...c) < 90) out.dark++;
      colours.add(c.map((v) => v >> 4).join(','));
    }
  }
  out.colours = colours.size;
  return out;
}

/** layout answers, in print media, where the print layout puts the map,
 * legend and scale bar on the page (millimetres from the page's top left
 * corner: the @page margin plus the element's place) and the @page rule's
 * margin. Without a print layout the map's own element stands for it. */
async function layout(page) {
  await page.emulateMedia({ media: 'print' });
  const out = await page.evaluate((mm) => {
    const rule = [...document.styleSheets].flatMap((s) => [...s.cssRules]).find((x) => x instanceof CSSPageRule);
    const margin = rule ? parseFloat(rule.style.marginTop) || 0 : 0;
    const box = (sel) => {
      const el = document.querySelector(sel);
      const b = el?.getBoundingClientRect();
      return b && b.width > 0 ? { x: margin + b.x / mm, y: margin + b.y / mm, width: b.width / mm, height: b.height / mm } : null;
    };
    const legend = document.querySelector('[data-testid=print-legend]');
    return {
      margin,
      pageRule: rule ? rule.style.size : '',
      legendClipped: legend ? legend.scrollHeight > legend.clientHeight + 1 : null,
      map: box('[data-testid=print-map]') || box('[data-testid=map]'),
      legend: box('[data-testid=print-legend]'),
      scale: box('[data-testid=print-scale]'),
    };
  }, MM);
  await page.emulateMedia({ media: null });
  return out;
}

/** printed prints the page to outDir/name.pdf and checks the PDF: one A4
 * landscape page whose text and pixels show the map, its legend and
 * scale bar. It answers {scale}: the scale bar's label. */
async function printed(page, name, want) {
  const pdf = join(outDir, `${name}.pdf`);
  await page.pdf({ path: pdf, preferCSSPageSize: true });
  const where = await layout(page);
  info(`${name}: @page ${where.pageRule || 'none'}, margin ${where.margin} mm; map at ${JSON.stringify(where.map)}`);
  const pdfinfo = execFileSync('pdfinfo', [pdf]).toString();
  const pages = Number(pdfinfo.match(/^Pages:\s+(\d+)/m)?.[1]);
  const size = pdfinfo.match(/^Page size:\s+([\d.]+) x ([\d.]+) pts/m);
  check(pages === 1, `${name}: the print is one page`, `${pages} pages`);
  check(size && Math.abs(size[1] - 842) < 2 && Math.abs(size[2] - 595) < 2, `${name}: the page is A4 landscape (842 × 595 pt)`,
    size ? `${size[1]} × ${size[2]} pt` : pdfinfo);
  const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-']).toString();
  const flat = text.replace(/\s+/g, '');
  const excerpt = text.replace(/\s+/g, ' ').slice(0, 160);
  for (const [label, s] of [['the title', want.title], ['图例', '图例'], ['the date', want.date], ['数据来源', '数据来源']]) {
    check(flat.includes(s.replace(/\s+/g, '')), `${name}: the print shows ${label} (${s})`, excerpt);
  }
  const missing = want.groups.filter((g) => !flat.includes(g.replace(/\s+/g, '')));
  check(want.groups.length > 0 && missing.length === 0, `${name}: the legend names the ${want.groups.length} layers drawn (${want.groups.join('、')})`,
    `missing ${missing.join('、')}`);
  const scale = text.match(/(?<![\d.])\d+(?:\.\d+)?\s*(?:米|公里)/)?.[0].replace(/\s+/g, ' ');
  check(scale !== undefined && /1:[\d,]+/.test(flat), `${name}: the scale bar is labelled (${scale}, ${flat.match(/1:[\d,]+/)?.[0]})`, excerpt);
  const controls = ['退出', '修改密码', '项目筛选', '全市', '打印'].filter((w) => flat.includes(w));
  check(controls.length === 0, `${name}: no controls of the app on paper`, controls.join('、'));

  const img = pdfPage1(pdf, DPI);
  const map = where.map ? pixels(img, where.map, [0xf3, 0xf1, 0xea]) : null;
  check(map && map.inked > 0.1 * map.total && map.colours >= 20,
    `${name}: the map area is drawn (${map ? (100 * map.inked / map.total).toFixed(1) : 0}% inked, ${map?.colours} colours)`, JSON.stringify(map));
  // The picture fills its frame: no blank strip along the right or the
  // bottom edge (3 mm wide, inside the frame's line).
  for (const [side, strip] of where.map ? [
    ['right', { ...where.map, x: where.map.x + where.map.width - 3.5, width: 3 }],
    ['bottom', { ...where.map, y: where.map.y + where.map.height - 3.5, height: 3 }],
  ] : []) {
    const px = pixels(img, strip);
    check(px.blank < 0.05 * px.total, `${name}: the map reaches the frame's ${side} edge (${px.blank} of ${px.total} px blank)`);
  }
  check(where.legendClipped === false, `${name}: the legend fits its box`);
  const legend = where.legend ? pixels(img, where.legend) : null;
  check(legend && legend.coloured >= 200, `${name}: the legend's swatches are printed in colour (${legend?.coloured} px)`, JSON.stringify(legend));
  const bar = where.scale ? pixels(img, where.scale) : null;
  check(bar && bar.dark >= 60, `${name}: the scale bar is drawn (${bar?.dark} dark px)`, JSON.stringify(bar));
  return { scale };
}

await runInChromium(r, 'print e2e', base, outDir, async (browser) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const foreign = [];
  await context.route('**/*', (route) => {
    if (isLocal(route.request().url())) return route.continue();
    foreign.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(base.href, { waitUntil: 'load', timeout: 60000 });
  const err = await loginHere(page, USER, PASSWORD);
  if (!check(err === '', `signed in as ${USER}`, err)) return;
  check(await waitIdle(page) !== null, 'map idle with tiles loaded', `not within ${TIMEOUT} ms`);

  const city = await page.evaluate(async () => (await (await fetch('/api/meta')).json()).city.name);
  const now = new Date();
  const date = `${now.getFullYear()}年${now.getMonth() + 1}月${now.getDate()}日`;
  // The layer groups switched on and drawn at this zoom, as the layer
  // switcher names them.
  const drawn = () => page.locator('[data-testid=layers] .layer:not(.dim) .el-checkbox.is-checked').allInnerTexts();
  const groups = await drawn();
  info(`layers drawn: ${groups.join('、')}`);

  await page.evaluate(() => {
    window.__printCalls = 0;
    window.print = () => { window.__printCalls++; };
  });
  const button = page.getByTestId('print');
  if (check(await button.isVisible(), 'the map view has a 打印 button')) {
    check((await button.innerText()).includes('打印'), 'the button reads 打印', await button.innerText());
    await button.click();
    check(await page.waitForFunction(() => window.__printCalls === 1, null, { timeout: 10000 }).then(() => true, () => false),
      '打印 calls window.print() once', String(await page.evaluate(() => window.__printCalls)));
  }
  const first = await printed(page, 'print', { title: `${city}重点项目与招商一张图`, date, groups });

  // The browser's own print (Ctrl+P): no button, a closer view with
  // every layer group on, the longest legend.
  const off = page.locator('[data-testid=layers] .el-checkbox:not(.is-checked)');
  for (let n = await off.count(); n > 0; n--) await off.first().click();
  await page.evaluate(() => window.__onemap.map.jumpTo({ zoom: 12, center: [114.02, 33.58] }));
  check(await nextIdle(page) && await waitIdle(page) !== null, 'map idle at z12 with every layer group on');
  const second = await printed(page, 'print-z12', { title: `${city}重点项目与招商一张图`, date, groups: await drawn() });
  check(first.scale && second.scale && first.scale !== second.scale,
    `the browser's own print draws the view it is on (scale ${first.scale} → ${second.scale})`);
  check(await page.evaluate(() => window.__printCalls) === 1, 'printing without the button does not call window.print() again');

  await page.getByTestId('nav-projects').click();
  await page.waitForURL((u) => u.pathname === '/projects', { timeout: 10000 }).catch(() => {});
  check(await nextIdle(page) && await waitIdle(page) !== null, 'map idle in 重点项目');
  await printed(page, 'print-projects', { title: `${city}重点项目一张图`, date, groups: await drawn() });

  check(foreign.length === 0, 'no request left the server', [...new Set(foreign)].slice(0, 5).join(', '));
  check(pageErrors.length === 0, 'no page errors', pageErrors.slice(0, 3).join(' | '));
  await context.close();
});
