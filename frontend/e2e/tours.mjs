#!/usr/bin/env node
// Browser test of the observation tours (观摩, issue 15) against a running
// onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/tours.mjs <baseURL> <outDir>
//
// The demo admin opens 观摩, takes "每个区县的重点项目", picks one more
// project by clicking it on the map, and plans the tour: the route is
// computed over the demo roads and drawn on the map with the stops
// numbered. The itinerary prints to PDF in headless Chromium (page.pdf,
// print media) and poppler-utils read it: A4 portrait, the first page's
// text holds the tour, the start and the first stop's briefing, its
// pixels the route's sketch. Then the admin scores every district's
// projects in the scoring sheets, and the ranking flags the last district
// (末位表态). Writes a tour: give it a freshly seeded database. One
// PASS/FAIL line per check; exit status 1 on any failure.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  apiStatus, baseURL, cleanChecks, limit, openContext, projectTarget, rendered, report, runInChromium, shown, signIn, waitIdle,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const outDir = resolve(process.argv[3] || 'tours');
const r = report();
const { check } = r;
const t0 = Date.now();
const info = (msg) => r.info(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${msg}`);
limit(8, 'tours e2e');
const ADMIN = { username: 'admin', password: 'luohe-admin-2026', start: 'tours' };

/** inked answers the share of the non-white pixels in a region (mm from
 * the top left) of the PDF's first page rendered at 72 dpi. */
function inked(pdf, { x, y, width, height }) {
  const prefix = pdf.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', '-singlefile', pdf, prefix]);
  const data = readFileSync(`${prefix}.ppm`);
  const m = data.subarray(0, 64).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  const W = Number(m[1]);
  const px = (mm) => Math.round(mm * 72 / 25.4);
  let n = 0; let ink = 0; let red = 0;
  for (let j = px(y); j < px(y + height); j++) {
    for (let i = px(x); i < px(x + width); i++) {
      const k = m[0].length + 3 * (j * W + i);
      const [cr, cg, cb] = [data[k], data[k + 1], data[k + 2]];
      n++;
      if (Math.min(cr, cg, cb) < 235) ink++;
      if (cr > 150 && cg < 90 && cb < 140) red++;
    }
  }
  return { ink: ink / n, red };
}

await runInChromium(r, 'tours e2e', base, outDir, async (browser) => {
  const { context, page, rec } = await openContext(browser, base, 'admin', { viewport: { width: 1600, height: 1000 } });
  await signIn(page, base, ADMIN);
  check(await shown(page, 'view-tours', 'visible', 30000), 'the admin opens 观摩 from its address');
  check(await shown(page, 'nav-tours', 'visible', 30000), 'the navigation has 观摩');

  await page.getByTestId('tour-name').locator('input').fill('2026年冬季重点项目观摩').catch(() => page.getByTestId('tour-name').fill('2026年冬季重点项目观摩'));
  await page.getByTestId('tour-key-projects').click();
  const picked = page.getByTestId('tour-picked').locator('li[data-id]');
  await picked.first().waitFor({ state: 'visible', timeout: 10000 });
  const keys = await picked.evaluateAll((els) => els.map((e) => Number(e.dataset.id)));
  const { json: districts } = await apiStatus(page, 'GET', '/api/tours/key-projects?per_district=1');
  check(keys.length >= 5 && keys.length === districts.length, `每个区县的重点项目 picks one project per district (${keys.length})`);

  // One more project, picked on the map.
  await page.getByTestId('tour-pick').click();
  await page.evaluate(() => window.__onemap.map.jumpTo({ center: [114.02, 33.58], zoom: 13 }));
  await waitIdle(page);
  const pts = (await rendered(page, ['projects-circle'])).filter((p) => p.coords && !keys.includes(Number(p.id)));
  const target = await projectTarget(page, pts);
  if (target) {
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=tour-picked] li[data-id]').length > n, keys.length, { timeout: 10000 })
      .catch(() => {});
  }
  const withMap = await picked.evaluateAll((els) => els.map((e) => Number(e.dataset.id)));
  const names = await page.getByTestId('tour-picked').innerText();
  check(target && withMap.length === keys.length + 1 && names.includes(target.names[0]), 'a project clicked on the map joins the tour',
    JSON.stringify(target));
  await page.getByTestId('tour-pick').click();

  info('planning');
  await page.getByTestId('tour-plan').click();
  const summary = page.getByTestId('tour-summary');
  await summary.waitFor({ state: 'visible', timeout: 30000 });
  check(await summary.getAttribute('data-route') === 'roads', 'the route follows the road network (the demo roads)');
  const stops = await page.getByTestId('tour-stops').locator('li').count();
  check(stops === withMap.length, `the plan visits every picked project (${stops})`);
  await waitIdle(page);
  const drawn = await page.evaluate(() => {
    const m = window.__onemap.map;
    const route = m.getSource('tour-route')?.serialize().data;
    const numbers = m.queryRenderedFeatures({ layers: ['tour-stops-label'] }).map((f) => f.properties.label);
    return { legs: route?.features?.length || 0, numbers: [...new Set(numbers)], lines: m.queryRenderedFeatures({ layers: ['tour-route-line'] }).length };
  });
  info(`map: ${JSON.stringify(drawn)}`);
  check(drawn.legs === stops + 1 && drawn.lines > 0, 'the route is drawn on the map, there and back');
  check(drawn.numbers.includes('1') && drawn.numbers.includes(String(stops)), 'the stops are numbered on the map');
  await page.screenshot({ path: join(outDir, 'tour-map.png') });

  const { json: tours } = await apiStatus(page, 'GET', '/api/tours');
  const tour = (await apiStatus(page, 'GET', `/api/tours/${tours[0].id}`)).json;
  check(tour.route === 'roads' && tour.stops.every((s) => s.arrive && s.depart), 'the tour answers times at every stop');

  // The itinerary, printed.
  await page.getByTestId('tour-itinerary').click();
  await page.getByTestId('itinerary-card').first().waitFor({ state: 'visible', timeout: 20000 });
  check(await page.getByTestId('itinerary-card').count() === stops, 'the itinerary has a briefing card per stop');
  const pdf = join(outDir, 'itinerary.pdf');
  // Laid out as on the page: A4 less the margins is 186 mm wide.
  await page.setViewportSize({ width: Math.round(186 * 96 / 25.4), height: 1000 });
  await page.emulateMedia({ media: 'print' });
  const sketch = await page.evaluate(() => {
    const b = document.querySelector('[data-testid=itinerary-sketch]').getBoundingClientRect();
    const mm = 96 / 25.4;
    return { x: 12 + b.x / mm, y: 12 + b.y / mm, width: b.width / mm, height: b.height / mm };
  });
  await page.emulateMedia({ media: null });
  await page.pdf({ path: pdf, preferCSSPageSize: true });
  const pdfinfo = execFileSync('pdfinfo', [pdf]).toString();
  const size = pdfinfo.match(/^Page size:\s+([\d.]+) x ([\d.]+) pts/m);
  check(size && Math.abs(size[1] - 595) < 2 && Math.abs(size[2] - 842) < 2, 'the itinerary prints on A4 portrait', size?.[0]);
  const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-']).toString().replace(/\s+/g, '');
  const first = tour.stops[0];
  check(text.includes('2026年冬季重点项目观摩') && text.includes('观摩行程单'), 'page 1 has the tour and 观摩行程单');
  check(text.includes('漯河市人民政府'), 'page 1 has the start, the city government');
  check(text.includes(first.project.name.replace(/\s+/g, '')) && text.includes(first.arrive), 'page 1 has the first stop and its time');
  check(!text.includes('打印'), 'the print leaves out the buttons');
  const ink = inked(pdf, sketch);
  info(`sketch at ${JSON.stringify(sketch)}: ${JSON.stringify(ink)}`);
  check(ink.ink > 0.005 && ink.red > 200, 'page 1 shows the route sketch', JSON.stringify(ink));

  // Scores, district by district; the lowest district is flagged.
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goBack();
  await page.getByTestId('tour-select').waitFor({ state: 'visible', timeout: 20000 });
  await page.getByTestId('tour-select').click();
  await page.locator('.el-select-dropdown__item').filter({ hasText: '2026年冬季重点项目观摩' }).first().click();
  await page.getByTestId('tour-sheet').first().waitFor({ state: 'visible', timeout: 20000 });
  const sheets = page.getByTestId('tour-sheet');
  const n = await sheets.count();
  check(n >= 5, `a scoring sheet per district (${n})`);
  for (let i = 0; i < n; i++) {
    const sheet = sheets.nth(i);
    const inputs = sheet.locator('input[data-testid^=tour-score-], [data-testid^=tour-score-] input');
    for (let k = 0; k < await inputs.count(); k++) await inputs.nth(k).fill(String(95 - 3 * i - k * 0.5));
    await sheet.getByTestId('tour-save-scores').click();
    if (!await shown(page, 'tour-message')) {
      r.fail(`the scores of ${await sheet.getAttribute('data-district')} are not saved: ${await page.getByTestId('tour-error').innerText().catch(() => '')}`);
    }
    await page.waitForTimeout(300);
  }
  const ranking = page.getByTestId('tour-ranking');
  await ranking.getByTestId('tour-last').waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
  const rows = await ranking.locator('tbody tr').evaluateAll((els) => els.map((e) => e.innerText.replace(/\s+/g, ' ')));
  info(`ranking: ${rows.join(' | ')}`);
  check(rows.length === n, 'every district is ranked');
  check(rows[rows.length - 1].includes('末位表态') && rows.filter((x) => x.includes('末位表态')).length === 1,
    'the last district, and only it, is flagged 末位表态');
  await page.screenshot({ path: join(outDir, 'tour-ranking.png') });
  cleanChecks(r, rec);
  await context.close();
});
