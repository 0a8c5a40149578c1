#!/usr/bin/env node
// Browser test of firm targeting (精准招商, issue 17) against a running
// onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/firms.mjs <baseURL> <screenshotDir>
//
// As the investment team it opens 目标企业, enters a firm headquartered in
// 郑州 through the form, proposing a park picked by name, moves it
// 接洽 → 洽谈 → 签约 with notes, reads its dated history (three steps, by
// invest), finds its headquarters among the points the national view drew
// on the map, and clicks a demo firm's headquarters, which opens that
// firm. Writes a firm: give it a
// freshly seeded database. One PASS/FAIL line per check; exit status 1 on
// any failure.
import { join, resolve } from 'node:path';
import { TIMEOUT, baseURL, cleanChecks, field, limit, openContext, rendered, report, runInChromium, shown, signIn, waitIdle } from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { fail, check } = r;
limit(4, 'firms e2e');

const INVEST = { username: 'invest', password: 'luohe-invest-2026', start: 'invest/firms' };
const NAME = '浏览器测试冷链物流有限公司';
const short = (e) => String(e?.message || e).split('\n')[0];

async function move(page, note, stage) {
  await field(page, 'firm-note').fill(note);
  await page.getByTestId('firm-next').click();
  await page.locator(`[data-testid=firm-history] li[data-to=${stage}]`).waitFor({ state: 'visible', timeout: 10000 });
}

await runInChromium(r, 'firms e2e', base, shotDir, async (browser) => {
  const { context, page, rec } = await openContext(browser, base, 'invest');
  try {
    await signIn(page, base, INVEST);
    check(await shown(page, 'view-firms', 'visible', 30000), 'invest: the target firms open');
    await page.getByTestId('firm-add').click();
    await field(page, 'firm-name').fill(NAME);
    await field(page, 'firm-industries').fill('冷链物流，食品包装');
    await field(page, 'firm-city').fill('郑州');
    await field(page, 'firm-lon').fill('113.6254');
    await field(page, 'firm-lat').fill('34.7466');
    await field(page, 'firm-responsible').fill('王招商');
    await page.getByTestId('firm-parks').locator('.el-select').click();
    await page.keyboard.type('冷链物流');
    await page.locator('.el-select-dropdown__item:visible', { hasText: '冷链物流产业园' }).first().click();
    await page.getByTestId('firm-save').click();
    await page.getByTestId('firm-detail').waitFor({ state: 'visible', timeout: 10000 });
    const parks = await page.getByTestId('firm-parks-shown').innerText();
    check(parks.includes('漯河经济技术开发区冷链物流产业园'), 'invest: a park picked by name is proposed and shown by name', parks);
    check((await page.getByTestId('firm-stage').innerText()).includes('接洽'), 'invest: a new firm starts at 接洽');
    await move(page, '首次上门洽谈', 'negotiating');
    await move(page, '签订投资协议', 'signed');
    const stage = await page.getByTestId('firm-stage').innerText();
    check(stage.includes('签约'), 'invest: the firm moved 接洽 → 洽谈 → 签约', stage);
    const steps = await page.locator('[data-testid=firm-history] li').allInnerTexts();
    check(steps.length === 3 && /洽谈 → 签约/.test(steps[2]) && steps[2].includes('签订投资协议') && steps.every((s) => s.includes('invest') && /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(s)),
      'invest: the history lists the three dated steps with their notes and who made them', steps.join(' | '));
    check(await waitIdle(page) !== null, 'invest: the national map is idle', `not within ${TIMEOUT} ms`);
    const hq = (await rendered(page, ['firms-national-hq'])).filter((f) => f.props.name === NAME);
    check(hq.length === 1 && hq[0].props.stage === 'signed', 'invest: the national view shows the firm\'s headquarters, as signed', JSON.stringify(hq));
    const outlines = await rendered(page, ['basemap-provinces-line', 'basemap-prefectures-line']);
    check(outlines.length > 0, 'invest: the provinces and cities are drawn under it (offline base map)');
    const target = await page.evaluate(() => {
      const m = window.__onemap.map;
      const c = m.getCanvas().getBoundingClientRect();
      const hqs = m.queryRenderedFeatures({ layers: ['firms-national-hq'] })
        .map((f) => ({ name: f.properties.name, px: m.project(f.geometry.coordinates) }));
      const h = hqs.find((h) => h.px.x > 40 && h.px.y > 40 && h.px.x < c.width - 40 && h.px.y < c.height - 40
        && hqs.every((o) => o === h || Math.hypot(o.px.x - h.px.x, o.px.y - h.px.y) > 12));
      return h && { name: h.name, x: c.left + h.px.x, y: c.top + h.px.y };
    });
    if (target) {
      await page.mouse.click(target.x, target.y);
      await page.locator('[data-testid=firm-detail] h4', { hasText: target.name }).waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
    }
    const opened = await page.locator('[data-testid=firm-detail] h4').innerText();
    check(target && opened.includes(target.name) && (await page.locator('[data-testid=firm-history] li').count()) > 0,
      'invest: a click on a firm\'s headquarters opens that firm with its seeded history', `${target?.name}: ${opened}`);
    await page.screenshot({ path: join(shotDir, 'firms.png') });
    cleanChecks(r, rec);
  } catch (e) {
    fail(`invest: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, 'firms-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
});
