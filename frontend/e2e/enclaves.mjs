#!/usr/bin/env node
// Browser test of the enclaves (飞地, issue 17) against a running onemap
// server with a fresh copy of the demo data:
//
//   node frontend/e2e/enclaves.mjs <baseURL> <screenshotDir>
//
// The investment user opens 飞地园区与分成统计 from the investment view,
// starts a new enclave of 召陵区 in 经开区, draws its zone on the map,
// gives GDP shares of 60 : 30 and saves: the server refuses it with the
// clear message that home and host must add up to 100%. The host's 30 is
// mended to 40 and the enclave saved; it is listed. A demo enclave's
// split of this year lists its projects. Then the district
// table of this year: the demo enclaves' homes gain with the split, and
// both columns add up to the city total. One PASS/FAIL line per check,
// screenshots; exit status 1 on any failure.
import { join, resolve } from 'node:path';
import {
  baseURL, cleanChecks, field, limit, openContext, report, runInChromium, signIn, TIMEOUT, waitIdle,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { check, info } = r;
limit(5, 'enclaves e2e');

/** choose picks the option named text in the Element Plus select of
 * testid: once the dropdown of the select before it has finished closing
 * (both list the districts), in the one dropdown open. */
async function choose(page, testid, text) {
  const open = (want) => [...document.querySelectorAll('.el-select-dropdown')].filter((d) => d.getClientRects().length > 0).length === want;
  await page.waitForFunction(open, 0, { timeout: 10000 }).catch(() => {});
  await page.getByTestId(testid).click();
  await page.waitForFunction(open, 1, { timeout: 10000 }).catch(() => {});
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: text, exact: true }).click();
}

/** cents reads an exact decimal ("1234.56") as a whole number of hundredths. */
const cents = (s) => {
  const [u, f = ''] = String(s).split('.');
  return Number(u) * 100 + Math.sign(Number(u) || 1) * Number(f.padEnd(2, '0'));
};

await runInChromium(r, 'enclaves e2e', base, shotDir, async (browser) => {
  const { page, rec } = await openContext(browser, base, 'enclaves');
  try {
    await signIn(page, base, { start: '/invest', username: 'invest', password: 'luohe-invest-2026' });
    await page.getByTestId('enclaves-start').click();
    const rowsOf = () => document.querySelectorAll('[data-testid=enclave-list] .el-table__body tr').length;
    await page.waitForFunction(rowsOf, null, { timeout: TIMEOUT }).catch(() => {});
    const listed = await page.evaluate(rowsOf);
    check(listed === 4, `the demo's four enclaves are listed (${listed})`);

    await page.getByTestId('enclave-new').click();
    await field(page, 'enclave-name').fill('召陵区—经开区食品配套飞地');
    await choose(page, 'enclave-home', '召陵区');
    await choose(page, 'enclave-host', '漯河经济技术开发区');
    await field(page, 'enclave-agreement').fill('漯经开〔2026〕9号');
    await choose(page, 'enclave-quota', '漯河经济技术开发区');
    const gdp = page.locator('[data-testid=enclave-schedule][data-item=gdp] [data-step="0"]');
    await field(gdp, 'step-home').fill('60');
    await field(gdp, 'step-host').fill('30');
    check((await gdp.getByTestId('step-sum').innerText()).includes('90'), 'the form shows that the GDP shares add up to 90%');

    // The zone: a square in the food park of 经开区, clear of its enclave.
    await page.evaluate(() => window.__onemap.map.jumpTo({ center: [114.06, 33.552], zoom: 15 }));
    await waitIdle(page);
    await page.getByTestId('enclave-draw').click();
    await page.getByTestId('draw-bar').waitFor({ state: 'visible', timeout: 10000 });
    const box = await page.getByTestId('map').boundingBox();
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    for (const [x, y] of [[cx - 80, cy - 60], [cx + 80, cy - 60], [cx + 80, cy + 60], [cx - 80, cy + 60], [cx - 80, cy - 60]]) {
      await page.mouse.move(x, y, { steps: 4 });
      await page.mouse.click(x, y);
      await page.waitForTimeout(250);
    }
    await page.getByTestId('draw-done').click();
    check((await page.getByTestId('enclave-zone').innerText()).includes('1'), 'the zone is drawn');

    let saved = page.waitForResponse((res) => res.url().endsWith('/api/enclaves') && res.request().method() === 'POST');
    await page.getByTestId('enclave-save').click();
    let res = await saved;
    const err = await page.getByTestId('enclave-error').innerText({ timeout: 10000 }).catch(() => '');
    check(res.status() === 400 && err.includes('「地区生产总值（增加值）」') && err.includes('合计为 90.00%') && err.includes('飞出地与飞入地须合计 100%'),
      `shares that do not add up are refused with a clear message (${res.status()}: ${err})`);
    await page.screenshot({ path: join(shotDir, 'refused.png') });

    await field(gdp, 'step-host').fill('40');
    saved = page.waitForResponse((res) => res.url().endsWith('/api/enclaves') && res.request().method() === 'POST');
    await page.getByTestId('enclave-save').click();
    res = await saved;
    const body = await res.json().catch(() => null);
    check(res.status() === 201 && body?.shares?.find((s) => s.item === 'gdp')?.host_pct === '40.00', `mended, the enclave is saved (${res.status()})`,
      JSON.stringify(body?.error || ''));
    await page.getByTestId('enclave-list').waitFor({ state: 'visible', timeout: 10000 });
    check((await page.getByTestId('enclave-list').innerText()).includes('召陵区—经开区食品配套飞地'), 'the new enclave is listed');

    // A demo enclave's split of this year: its projects, home and host.
    await page.getByTestId('enclave-split').nth(1).click();
    const split = page.getByTestId('enclave-split-view');
    await split.waitFor({ state: 'visible', timeout: 15000 });
    const splitRows = await split.locator('.el-table__body tr').count();
    check(splitRows > 1 && (await split.innerText()).includes('合计'), `an enclave's split lists its projects and their total (${splitRows} rows)`);

    // The district table of this year.
    await page.getByRole('tab', { name: '县区统计' }).click();
    const table = page.getByTestId('district-table');
    await table.waitFor({ state: 'visible', timeout: 15000 });
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      district: tr.dataset.district, moved: tr.classList.contains('moved'),
      without: tr.querySelector('[data-col=without]').innerText, with: tr.querySelector('[data-col=with]').innerText,
    })));
    const city = (await page.getByTestId('city-total').locator('td').allInnerTexts())[1];
    const sum = (k) => rows.reduce((a, x) => a + cents(x[k]), 0);
    check(rows.length === 8, `the table lists every district (${rows.length})`);
    check(rows.some((x) => x.moved && cents(x.with) > cents(x.without)), `a home district gains with the split (${rows.filter((x) => x.moved).map((x) => x.district)})`);
    check(sum('with') === cents(city) && sum('without') === cents(city), `both columns add up to the city total ${city} exactly`);
    await page.screenshot({ path: join(shotDir, 'districts.png') });
  } catch (e) {
    r.fail(`enclaves e2e: ${String(e?.message || e).split('\n').slice(0, 8).join(' | ')}`);
    await page.screenshot({ path: join(shotDir, 'failed.png') }).catch(() => {});
  } finally {
    cleanChecks(r, rec);
    info(`screenshots in ${shotDir}`);
  }
});
