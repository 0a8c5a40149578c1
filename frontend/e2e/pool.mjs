#!/usr/bin/env node
// Browser test of the reserve pool's quarterly review and the
// groundbreaking waves (issue 15) against a running onemap server seeded
// with `onemap seed`:
//
//   node frontend/e2e/pool.mjs <baseURL> <screenshotDir>
//
// As the administrator (the major-projects office) it finishes a reserve
// project's preliminary work (land in hand and filing, through the API
// with the page's session), opens 项目调度 → 储备库季度调整, finds the
// project among this quarter's candidates and promotes it: the decision
// shows with who made it, the project's stage is 前期 (in the API and in
// the quarter's promoted list), and the pool's total and its progress to
// the 1000亿元 target fall by its investment. Then it opens 集中开工 and
// shows the first wave's new starts on the map: the map draws those
// projects and no other. Last, in 采暖季施工, it gives a site a permit
// (refused without its scope) and has the map show the sites that may
// work. Writes a decision and a permit: give it a freshly seeded
// database. One PASS/FAIL line per check; exit status 1 on any failure.
import { join, resolve } from 'node:path';
import { TIMEOUT, apiStatus, baseURL, cleanChecks, field, limit, openContext, rendered, report, runInChromium, shown, signIn, waitIdle } from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { fail, check, info } = r;
limit(6, 'pool e2e');

const ADMIN = { username: 'admin', password: 'luohe-admin-2026', start: 'supervision/pool' };
const short = (e) => String(e?.message || e).split('\n')[0];

/** day is the date n days before today in the city, YYYY-MM-DD. */
function day(n) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() - n * 86400000));
}

async function office(browser) {
  const { context, page, rec } = await openContext(browser, base, 'admin');
  try {
    await signIn(page, base, ADMIN);
    check(await waitIdle(page) !== null, 'admin: map idle after signing in', `not within ${TIMEOUT} ms`);
    check(await shown(page, 'pool-review', 'visible', 30000), 'admin: the quarterly review opens');

    // The largest reserve project without a decision: its land in hand and
    // its filing done make it a candidate.
    const { json: pool } = await apiStatus(page, 'GET', '/api/projects?stage=reserve&limit=50');
    const p = pool.sort((a, b) => Number(b.total_investment) - Number(a.total_investment))[0];
    if (!check(Boolean(p), 'admin: the demo pool has reserve projects')) throw new Error('no reserve project');
    info(`${p.name}: ${p.total_investment} 万元`);
    for (const [step, started, finished] of [['land', day(40), day(30)], ['filing', day(29), day(20)]]) {
      const res = await apiStatus(page, 'PUT', `/api/projects/${p.id}/approval/${step}`, { started, finished, note: '' });
      check(res.status === 200, `admin: step ${step} recorded`, JSON.stringify(res.json));
    }
    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('pool-review').waitFor({ state: 'visible', timeout: 30000 });
    const quarter = await page.getByTestId('pool-review').getAttribute('data-quarter');
    const { json: before } = await apiStatus(page, 'GET', `/api/pool/reviews/${quarter}`);
    const row = page.locator(`[data-testid=pool-candidates] .pool-item[data-id="${p.id}"]`);
    check(await row.waitFor({ state: 'visible', timeout: 15000 }).then(() => true, () => false), 'admin: the project is a candidate for promotion');
    const totalBefore = (await page.getByTestId('pool-total').innerText()).trim();
    const barBefore = Number(await page.getByTestId('pool-progress').getAttribute('data-progress'));
    check(Math.abs(barBefore - Number(before.total) / 10000000) < 1e-9, 'admin: the bar shows the pool against 1000亿元', `${barBefore} ${before.total}`);

    await row.getByTestId('pool-promote').click();
    const decision = page.locator(`[data-testid=pool-decisions][data-id="${p.id}"]`);
    const decided = await decision.waitFor({ state: 'visible', timeout: 15000 }).then(() => true, () => false);
    const text = decided ? await decision.innerText() : '';
    check(decided && text.includes('转入前期') && text.includes('admin'), 'admin: the decision shows with who made it', text);
    check(await row.waitFor({ state: 'detached', timeout: 5000 }).then(() => true, () => false), 'admin: the promoted project leaves the candidates');

    const { json: after } = await apiStatus(page, 'GET', `/api/projects/${p.id}`);
    check(after.stage === 'preparing', 'admin: the project is now 前期', after.stage);
    const { json: stages } = await apiStatus(page, 'GET', `/api/projects/${p.id}/stages`);
    const last = stages[stages.length - 1];
    check(last?.from === 'reserve' && last?.to === 'preparing' && last?.actor === 'admin', 'admin: the stage history records the move', JSON.stringify(last));
    await page.locator('.el-collapse-item__header', { hasText: '本季度转入前期' }).click();
    const moved = page.locator(`[data-testid=pool-promoted][data-id="${p.id}"]`);
    const movedText = await moved.innerText({ timeout: 10000 }).catch(() => '');
    check(movedText.includes('前期'), 'admin: the quarter lists the project as promoted, now 前期', movedText);

    const totalAfter = (await page.getByTestId('pool-total').innerText()).trim();
    const barAfter = Number(await page.getByTestId('pool-progress').getAttribute('data-progress'));
    const want = (Number(before.total) - Number(p.total_investment)) / 10000000;
    check(totalAfter !== totalBefore && Math.abs(barAfter - want) < 1e-9, 'admin: the pool\'s total and progress fall by its investment',
      `${totalBefore} → ${totalAfter}, ${barBefore} → ${barAfter} (want ${want})`);
    const pct = await page.getByTestId('pool-percent').innerText();
    check(pct === `${(want * 100).toFixed(1)}%`, 'admin: the progress shows as a percentage by the bar', pct);
    await page.screenshot({ path: join(shotDir, 'pool-review.png') });

    // The first wave's new starts on the map, and only they.
    await page.getByRole('tab', { name: '集中开工' }).click();
    await page.getByTestId('wave-1').waitFor({ state: 'visible', timeout: 15000 });
    const year = await field(page, 'waves-year').inputValue();
    const { json: waves } = await apiStatus(page, 'GET', `/api/waves?year=${year}`);
    const wave = waves.waves.find((w) => w.projects.length > 0);
    if (!check(Boolean(wave), 'admin: a wave of the year has new starts', JSON.stringify(waves.waves.map((w) => w.projects.length)))) throw new Error('no wave with projects');
    const ids = wave.projects.map((x) => x.id);
    await page.getByTestId(`wave-map-${wave.wave}`).click();
    check(await shown(page, 'map-only'), 'admin: the map says it shows one wave');
    await waitIdle(page);
    let drawn = [];
    for (let i = 0; i < 20; i++) {
      drawn = (await rendered(page, ['projects-data'])).map((f) => Number(f.id ?? f.props.id));
      if (drawn.length) break;
      await page.waitForTimeout(250);
    }
    check(drawn.length > 0 && drawn.every((id) => ids.includes(id)), `admin: the map draws only wave ${wave.wave}'s projects`,
      `${drawn.length} drawn, ${drawn.filter((id) => !ids.includes(id)).length} not of the wave`);
    await page.screenshot({ path: join(shotDir, 'pool-wave.png') });
    await page.getByTestId('map-only-clear').click();
    await waitIdle(page);
    const all = (await rendered(page, ['projects-data'])).map((f) => Number(f.id ?? f.props.id));
    check(all.some((id) => !ids.includes(id)), 'admin: showing every project again draws the others too', `${all.length} drawn`);

    // A heating-season permit, and the map of the sites that may work.
    await page.getByRole('tab', { name: '采暖季施工' }).click();
    const site = page.locator('[data-testid=heating-list] .heating-item').first();
    await site.waitFor({ state: 'visible', timeout: 15000 });
    const siteId = Number(await site.getAttribute('data-id'));
    await site.getByTestId('heating-edit').click();
    await page.getByTestId('heating-status').getByText('特许施工').click();
    await field(page, 'heating-permit').fill('漯环特许〔2026〕8号');
    await page.getByTestId('heating-save').click();
    const refused = await page.locator('.el-dialog .login-error').innerText({ timeout: 5000 }).catch(() => '');
    check(refused.includes('许可施工范围'), 'admin: a permit without its scope is refused in Chinese', refused);
    await field(page, 'heating-scope').fill('室内装修、设备安装');
    await page.getByTestId('heating-save').click();
    const permitted = page.locator(`[data-testid=heating-list] .heating-item[data-id="${siteId}"][data-status=permitted]`);
    check(await permitted.waitFor({ state: 'visible', timeout: 15000 }).then(() => true, () => false), 'admin: the site is permitted');
    await page.getByTestId('heating-map-work').click();
    const only = await page.evaluate(() => window.__onemap.only?.ids || []);
    check(only.includes(siteId), 'admin: the map shows the sites that may work this season', JSON.stringify(only.slice(0, 5)));
    await page.screenshot({ path: join(shotDir, 'pool-heating.png') });
    cleanChecks(r, rec);
  } catch (e) {
    fail(`admin: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, 'pool-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
}

await runInChromium(r, 'pool e2e', base, shotDir, office);
