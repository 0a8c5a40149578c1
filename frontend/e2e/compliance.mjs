#!/usr/bin/env node
// Browser test of the land compliance check (用地合规审查) against a
// running onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/compliance.mjs <baseURL> <screenshotDir>
//
// The land bureau's user opens 国土空间 (/land), opens 用地合规审查, draws a
// square in the central district's 允许建设区 on the map (Terra Draw: four
// clicks and a click on the first point), finishes, and reads the report:
// a verdict, the site's area in 亩, the land-use overlaps, drawn on the
// map; then the projects' verdicts, the most severe first, and the map
// coloured by verdict with its legend. It writes
// nothing. One PASS/FAIL line per check, screenshots; exit
// status 1 on any failure.
import { join, resolve } from 'node:path';
import {
  baseURL, limit, openContext, report, runInChromium, signIn, waitIdle,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { check, info } = r;
limit(6, 'compliance e2e');
await runInChromium(r, 'compliance e2e', base, shotDir, async (browser) => {
  const { page, rec } = await openContext(browser, base, 'compliance');
  try {
    await signIn(page, base, { start: '/land', username: 'land', password: 'luohe-land-2026' });
    check(await waitIdle(page) !== null, 'map idle after signing in');
    await page.evaluate(() => window.__onemap.map.jumpTo({ center: [114.025, 33.62], zoom: 15 }));
    await waitIdle(page);
    await page.getByTestId('compliance-section').locator('.el-collapse-item__header').click({ timeout: 60000 });
    await page.getByTestId('compliance-draw').click();
    await page.getByTestId('draw-bar').waitFor({ state: 'visible', timeout: 10000 });
    const box = await page.getByTestId('map').boundingBox();
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const corners = [[cx - 80, cy - 60], [cx + 80, cy - 60], [cx + 80, cy + 60], [cx - 80, cy + 60], [cx - 80, cy - 60]];
    for (const [x, y] of corners) {
      await page.mouse.move(x, y, { steps: 4 });
      await page.mouse.click(x, y);
      await page.waitForTimeout(250);
    }
    const checked = page.waitForResponse((res) => res.url().endsWith('/api/land/check') && res.request().method() === 'POST', { timeout: 30000 });
    await page.getByTestId('draw-done').click();
    const res = await checked.catch(() => null);
    const body = res ? await res.json().catch(() => null) : null;
    check(res?.status() === 200, `POST /api/land/check answers 200 (${res?.status()})`, JSON.stringify(body)?.slice(0, 300));
    const rep = page.getByTestId('compliance-report');
    await rep.waitFor({ state: 'visible', timeout: 15000 });
    const verdict = await page.getByTestId('compliance-verdict').innerText();
    check(verdict === body?.verdict_name && verdict !== '', `the report shows the verdict (${verdict})`);
    const site = await page.getByTestId('compliance-site').innerText();
    check(site.includes('亩') && body?.site?.mu > 0 && site.includes(Number(body.site.mu).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })),
      `the report gives the site's area in 亩 (${site})`);
    const landuse = await rep.locator('[data-layer=landuse] tbody tr').count();
    const zones = body?.layers?.find((l) => l.layer === 'landuse')?.zones?.length || 0;
    check(landuse > 0 && landuse === zones, `the land-use overlaps are listed (${landuse} of ${zones})`);
    const drawn = await page.evaluate(() => window.__onemap.map.getSource('compliance-overlaps')?._data?.features?.length
      ?? window.__onemap.map.querySourceFeatures('compliance-overlaps').length);
    check(drawn > 0, `the overlaps are drawn on the map (${drawn})`);
    await page.screenshot({ path: join(shotDir, 'report.png') });

    // The projects' verdicts, the most severe first.
    await page.getByTestId('verdicts-section').locator('.el-collapse-item__header').click();
    const rows = page.getByTestId('verdict-list').locator('tr[data-verdict]');
    await rows.first().waitFor({ state: 'visible', timeout: 30000 }).catch(() => {});
    const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.verdict));
    const rank = ['blocking', 'conflict', 'conditional', 'warning', 'compliant'];
    check(order.length > 0 && order.every((v, i) => i === 0 || rank.indexOf(order[i - 1]) <= rank.indexOf(v)),
      `the projects' verdicts are listed, the most severe first (${order.length}, first ${order[0]})`);
    await page.screenshot({ path: join(shotDir, 'verdicts.png') });

    // The map coloured by verdict: the projects' points and sites take the
    // colour of their verdict (stale and unchecked apart), as the legend says.
    await page.evaluate(() => window.__onemap.map.jumpTo({ center: [114.02, 33.58], zoom: 13 }));
    await page.getByTestId('verdict-colours').click();
    await page.getByTestId('verdict-legend').waitFor({ state: 'visible', timeout: 30000 });
    await waitIdle(page);
    const legend = await page.getByTestId('verdict-legend').locator('li')
      .evaluateAll((lis) => Object.fromEntries(lis.map((li) => [li.dataset.verdict, li.dataset.colour])));
    const paints = () => page.evaluate(() => [['projects-circle', 'circle-color'], ['projects-site-fill', 'fill-color']]
      .map(([id, p]) => window.__onemap.map.getPaintProperty(id, p)));
    const colourOf = (e, v) => {
      if (v === 'stale') return e?.[0] === 'case' && JSON.stringify(e[1]) === '["==",["get","verdict_stale"],true]' ? e[2] : undefined;
      const m = e?.[3];
      if (m?.[0] !== 'match') return undefined;
      const i = m.indexOf(v, 2);
      return v === 'none' ? m[m.length - 1] : (i > 1 && i % 2 === 0 ? m[i + 1] : undefined);
    };
    const painted = await paints();
    const keys = [...rank, 'stale', 'none'];
    check(keys.every((k) => legend[k] && painted.every((e) => colourOf(e, k) === legend[k])),
      `points and sites are painted by verdict as the legend says (${keys.map((k) => `${k} ${legend[k]}`).join(', ')})`,
      JSON.stringify(painted[0]));
    const shown = await page.evaluate(() => window.__onemap.map.queryRenderedFeatures({ layers: ['projects-circle', 'projects-site-fill'] })
      .map((f) => f.properties.verdict).filter(Boolean));
    check(shown.length > 0, `projects on the map carry their verdicts (${shown.length}: ${[...new Set(shown)].join(', ')})`);
    await page.screenshot({ path: join(shotDir, 'verdict-map.png') });
    await page.getByTestId('verdict-colours').click();
    const back = await paints();
    check(back.every((e) => e?.[0] === 'match' && e[1]?.[1] === 'stage'), 'switched off, the map colours projects by stage again');
  } catch (e) {
    r.fail(`compliance e2e: ${String(e?.message || e).split('\n')[0]}`);
    await page.screenshot({ path: join(shotDir, 'failed.png') }).catch(() => {});
  } finally {
    check(rec.foreign.length === 0, 'no request left the server', rec.foreign.slice(0, 3).join(', '));
    check(rec.pageErrors.length === 0, 'no page errors', rec.pageErrors.slice(0, 3).join(' | '));
    info(`screenshots in ${shotDir}`);
  }
});
