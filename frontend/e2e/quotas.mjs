#!/usr/bin/env node
// Browser test of the construction-land quotas (年度建设用地计划指标)
// against a running onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/quotas.mjs <baseURL> <screenshotDir>
//
// The 源汇区 district user's first listed project that counts in its
// district's quota is found (and the year it counts in); the land bureau's
// user opens the quota ledger (/land/quotas), reads the table of every
// district, sets 源汇区's quota of that year just above what is allocated
// and reserved, with a reason, and sees the change in the history; then
// the district user saves that project's site twice as wide (uploaded as
// GeoJSON) and the project dialog warns that 源汇区 goes over its quota.
// It writes, so give it a freshly seeded database. One PASS/FAIL line per
// check, screenshots; exit status 1 on any failure.
import { join, resolve } from 'node:path';
import {
  TIMEOUT, apiStatus, baseURL, cleanChecks, field, limit, openContext, report, runInChromium, shown, signIn, waitIdle,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { check, info } = r;
const LAND = { username: 'land', password: 'luohe-land-2026', start: '/land/quotas' };
const DISTRICT = { username: 'yuanhui', password: 'luohe-yuanhui-2026', start: '/projects' };
const YUANHUI = '411102';
limit(6, 'quotas e2e');

/** widened is a GeoJSON MultiPolygon twice as wide as site, about its
 * bounding box's centre (four times the area). */
function widened(site) {
  const polys = site.type === 'Polygon' ? [site.coordinates] : site.coordinates;
  const pts = polys.flat(2);
  const cx = (Math.min(...pts.map((p) => p[0])) + Math.max(...pts.map((p) => p[0]))) / 2;
  const cy = (Math.min(...pts.map((p) => p[1])) + Math.max(...pts.map((p) => p[1]))) / 2;
  return { type: 'MultiPolygon', coordinates: polys.map((poly) => poly.map((ring) => ring.map(([x, y]) => [cx + 2 * (x - cx), cy + 2 * (y - cy)]))) };
}

await runInChromium(r, 'quotas e2e', base, shotDir, async (browser) => {
  const land = await openContext(browser, base, 'land');
  const dist = await openContext(browser, base, 'yuanhui');
  try {
    // The district user's listed projects.
    await signIn(dist.page, base, DISTRICT);
    const items = dist.page.locator('[data-testid=projects-list] .project-item');
    await items.first().waitFor({ state: 'visible', timeout: 30000 });
    const listed = await items.evaluateAll((els) => els.map((e) => Number(e.dataset.id)));

    // The land bureau: the first of them counted in 源汇区's quota, and its year.
    await signIn(land.page, base, LAND);
    const now = new Date().getFullYear();
    let pick = null;
    for (let y = now + 2; y >= now - 6 && !pick; y--) {
      const { json } = await apiStatus(land.page, 'GET', `/api/quotas?year=${y}`);
      const d = json?.districts?.find((x) => x.code === YUANHUI);
      const p = d?.projects?.find((x) => listed.includes(x.project_id));
      if (p) pick = { year: y, project: p, district: d };
    }
    if (!check(pick !== null, 'a listed 源汇区 project counts in a year\'s quota')) throw new Error('no project to save');
    info(`project ${pick.project.project_id} ${pick.project.name} (${pick.project.status}, ${pick.year})`);

    // The ledger table of every district, for that year.
    const table = land.page.getByTestId('quota-table');
    await table.waitFor({ state: 'visible', timeout: 30000 });
    await field(land.page, 'quota-year').fill(String(pick.year));
    await field(land.page, 'quota-year').press('Tab');
    const row = table.locator(`tbody tr[data-code="${YUANHUI}"]`);
    check(await land.page.locator(`[data-testid=quota-table][data-year="${pick.year}"]`).waitFor({ timeout: 10000 }).then(() => true, () => false), `the table shows ${pick.year}`);
    const rows = await table.locator('tbody tr').count();
    check(rows === 8, `the table lists every district (${rows})`);
    const allocated = await row.locator('[data-col=allocated]').innerText();
    const fmt = (x) => Number(x).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    check(allocated === fmt(pick.district.allocated_mu), `源汇区 allocated ${allocated} 亩 as the API says`);
    check(await land.page.evaluate(() => Boolean(window.__onemap.map.getLayer('quota-fill'))), 'the districts are coloured on the map');

    // Set the quota just above what is counted.
    const quota = Math.ceil(pick.district.allocated_mu + pick.district.reserved_mu) + 1;
    await row.click();
    await shown(land.page, 'quota-form');
    await field(land.page, 'quota-mu').fill(String(quota));
    await field(land.page, 'quota-reason').fill('e2e：省厅下达年度计划指标');
    await land.page.getByTestId('quota-save').click();
    check(await shown(land.page, 'quota-saved'), 'the quota is saved', await land.page.getByTestId('quota-form-error').innerText().catch(() => ''));
    await land.page.waitForFunction((q) => document.querySelector('[data-testid=quota-table] tr[data-code="411102"] [data-col=quota]')?.innerText
      === Number(q).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }), quota, { timeout: 10000 }).catch(() => {});
    check((await row.locator('[data-col=quota]').innerText()) === fmt(quota), `the table shows the quota ${fmt(quota)}`);
    const { json: after } = await apiStatus(land.page, 'GET', `/api/quotas?year=${pick.year}`);
    const set = after?.districts?.find((x) => x.code === YUANHUI);
    check(Number(set?.quota_mu) === quota && set?.version === 1, `the server holds the ${pick.year} quota (${set?.quota_mu}, v${set?.version})`);
    const history = await land.page.getByTestId('quota-history').innerText();
    check(history.includes('e2e：省厅下达年度计划指标') && history.includes('land'), 'the history lists the change with its reason and who');
    await land.page.screenshot({ path: join(shotDir, 'ledger.png') });

    // The district user saves the project's site wider: the dialog warns.
    const id = pick.project.project_id;
    const { json: p } = await apiStatus(dist.page, 'GET', `/api/projects/${id}`);
    await field(dist.page, 'ledger-search').fill(pick.project.name);
    await field(dist.page, 'ledger-search').press('Enter');
    await dist.page.locator(`[data-testid=ledger-found] [data-id="${id}"]`).first().click({ timeout: 30000 });
    // The app shows the project once the map is idle there.
    await waitIdle(dist.page);
    const edit = dist.page.getByTestId('project-edit');
    await edit.waitFor({ state: 'visible', timeout: TIMEOUT });
    await edit.click({ force: true });
    await dist.page.getByTestId('project-form').waitFor({ state: 'visible', timeout: TIMEOUT });
    const geojson = JSON.stringify({ type: 'Feature', geometry: widened(p.site), properties: {} });
    await dist.page.getByTestId('project-upload').setInputFiles({ name: 'site.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(geojson) });
    const saved = dist.page.waitForResponse((res) => res.url().endsWith(`/api/projects/${id}`) && res.request().method() === 'PATCH', { timeout: 30000 });
    await dist.page.getByTestId('project-save').click();
    const res = await saved.catch(() => null);
    const body = res ? await res.json().catch(() => null) : null;
    check(res?.status() === 200 && body?.quota_warnings?.length > 0, `the save stands and answers a quota warning (${res?.status()})`,
      JSON.stringify(body?.quota_warnings ?? body?.error)?.slice(0, 300));
    const warned = await shown(dist.page, 'quota-warning');
    const text = warned ? await dist.page.getByTestId('quota-warning').innerText() : '';
    check(text.includes('源汇区') && text.includes(`${pick.year} 年度建设用地指标将超出`), 'the project dialog warns in Chinese that 源汇区 goes over', text);
    await dist.page.screenshot({ path: join(shotDir, 'warning.png') });
    cleanChecks(r, land.rec);
    cleanChecks(r, dist.rec);
  } catch (e) {
    r.fail(`quotas e2e: ${String(e?.message || e).split('\n')[0]}`);
    await land.page.screenshot({ path: join(shotDir, 'failed-land.png') }).catch(() => {});
    await dist.page.screenshot({ path: join(shotDir, 'failed-district.png') }).catch(() => {});
  }
});
