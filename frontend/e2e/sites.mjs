#!/usr/bin/env node
// Browser test of the site search (智能选址, issue 17) against a running
// onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/sites.mjs <baseURL> <screenshotDir>
//
// The investment user opens 智能选址 in the investment view, asks for
// ready industrial land (1001) in a park whose leading industries include
// 食品, within 30 km of a highway exit, off the control lines, and reads
// the results on the map and in the list, the top one's explanation
// among them; then makes a share link of the results and a firm, in a
// fresh context without a session, opens it and finds the top result
// there. Writes a share link: give it a freshly seeded database. One
// PASS/FAIL line per check; exit status 1 on any failure.
import { join, resolve } from 'node:path';
import { baseURL, cleanChecks, field, limit, openContext, report, runInChromium, shown, signIn } from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { fail, check } = r;
limit(4, 'sites e2e');

const INVEST = { username: 'invest', password: 'luohe-invest-2026', start: 'invest' };
const short = (e) => String(e?.message || e).split('\n')[0];

await runInChromium(r, 'sites e2e', base, shotDir, async (browser) => {
  const { context, page, rec } = await openContext(browser, base, 'invest');
  let url = '';
  let top = null;
  try {
    await signIn(page, base, INVEST);
    await page.getByTestId('site-search-section').locator('.el-collapse-item__header').click();
    await page.getByTestId('site-search').waitFor({ state: 'visible', timeout: 10000 });
    await field(page, 'site-landuse').fill('1001');
    await field(page, 'site-industry').fill('食品');
    await field(page, 'site-km-highway_exit').fill('30');
    await field(page, 'site-km-highway_exit').blur();
    check(await page.locator('.site-weight[data-criterion=highway_exit]').isVisible(), 'invest: the distance asked takes a weight');
    await page.getByTestId('site-run').click();
    if (!check(await shown(page, 'site-results', 'visible', 20000), 'invest: the search answers',
      await page.getByTestId('site-error').innerText().catch(() => ''))) return;
    const n = await page.getByTestId('site-result').count();
    check(n > 0, `invest: parcels found (${n}; ${await page.getByTestId('site-summary').innerText()})`);
    top = await page.locator('[data-testid=site-result][data-rank="1"]').evaluate((e) => ({
      id: e.dataset.id, explanation: e.querySelector('[data-testid=site-explanation]').innerText, text: e.innerText,
    }));
    check(/第 1 名，综合得分 [\d.]+。满足全部条件/.test(top.explanation) && top.explanation.includes('距高速出入口'),
      'invest: the top result explains its rank in Chinese', top.explanation);
    check(top.text.includes('园区主导产业') && top.text.includes('要求'), 'invest: the top result lists each criterion with its limit');
    const drawn = await page.evaluate(() => {
      const m = window.__onemap.map;
      return m.getLayer('site-results-circle') ? m.getSource('site-results').serialize().data.features.length : -1;
    });
    check(drawn === n, `invest: the results are on the map (${drawn})`);
    await page.screenshot({ path: join(shotDir, 'sites-results.png') });

    await page.getByTestId('site-share').click();
    await page.getByTestId('share-panel').waitFor({ state: 'visible', timeout: 10000 });
    const count = await page.getByTestId('share-chosen').getAttribute('data-count');
    check(Number(count) === n, `invest: the share composer holds the ${n} results (${count})`);
    await field(page, 'share-title-input').fill('智能选址推荐地块');
    await page.getByTestId('share-create').click();
    await field(page, 'share-url').waitFor({ state: 'visible', timeout: 10000 });
    url = await field(page, 'share-url').inputValue();
    check(url.includes('/s/'), 'invest: a share link of the results');
    cleanChecks(r, rec);
  } catch (e) {
    fail(`invest: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, 'sites-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
  if (!url || !top) return;

  const firm = await openContext(browser, base, 'firm');
  try {
    await firm.page.goto(url, { waitUntil: 'load', timeout: 60000 });
    await firm.page.getByTestId('share-list').waitFor({ state: 'visible', timeout: 20000 });
    const ids = await firm.page.$$eval('[data-testid=share-item]', (els) => els.map((e) => `${e.dataset.layer}:${e.dataset.id}`));
    check(ids.includes(`parcels:${top.id}`), `firm: the link shows the top result (${ids.length} parcels)`);
    check(!await firm.page.getByTestId('login-form').isVisible().catch(() => false), 'firm: no login asked');
    await firm.page.screenshot({ path: join(shotDir, 'sites-firm.png') });
    cleanChecks(r, firm.rec);
  } catch (e) {
    fail(`firm: ${short(e)}`);
  } finally {
    await firm.context.close().catch(() => {});
  }
});
