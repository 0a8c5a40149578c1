#!/usr/bin/env node
// Browser test of firm targeting (精准招商, issue 17) against a running
// onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/firms.mjs <baseURL> <screenshotDir>
//
// As the investment team it opens 目标企业, enters a firm headquartered in
// 郑州 through the form, moves it 接洽 → 洽谈 → 签约 with notes, reads its
// dated history (three steps, by invest), and finds its headquarters among
// the points the national view drew on the map. Writes a firm: give it a
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
    await page.getByTestId('firm-save').click();
    await page.getByTestId('firm-detail').waitFor({ state: 'visible', timeout: 10000 });
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
    await page.screenshot({ path: join(shotDir, 'firms.png') });
    cleanChecks(r, rec);
  } catch (e) {
    fail(`invest: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, 'firms-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
});
