#!/usr/bin/env node
// Browser test of the ledger's Excel round trip and of a stale edit,
// against a running onemap server seeded with `onemap seed`, in two
// phases with the workbook edited in between (TestLedgerRoundTripInChromium
// edits it with excelize):
//
//   node frontend/e2e/roundtrip.mjs <baseURL> <outDir> export
//   node frontend/e2e/roundtrip.mjs <baseURL> <outDir> import
//
// export: the 源汇区 district user filters the projects to 在建 and
// downloads the ledger from 导出 Excel into outDir/export.xlsx.
// import: outDir/edit.json names the project renamed in outDir/good.xlsx
// and the row and column spoiled in outDir/bad.xlsx. The bad workbook,
// imported through 导入 Excel, is refused with that row and column in
// Chinese and changes nothing; the good one lands and the renamed project
// is found in the list and the API. Then two windows open the same
// project: one saves, the other's save is refused (412) and shows the
// field, their value and mine; loading the latest keeps mine and saves.
// It writes projects, so give it a freshly seeded database. One PASS/FAIL
// line per check, screenshots; exit status 1 on any failure.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  apiStatus, baseURL, field, limit, openContext, report, runInChromium, shown, signIn, TIMEOUT,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const outDir = resolve(process.argv[3] || 'e2e-roundtrip');
const phase = process.argv[4];
const r = report();
const { check } = r;
const district = { start: '/projects', username: 'yuanhui', password: 'luohe-yuanhui-2026' };
limit(6, `roundtrip e2e (${phase})`);

/** open opens the projects view in a fresh context: signed in as the
 * district user through the login form, or, given another context,
 * with a copy of its cookies (the same user in a second window). */
async function open(browser, label, from) {
  const options = { acceptDownloads: true };
  if (from) options.storageState = await from.context.storageState();
  const c = await openContext(browser, base, label, options);
  if (from) await c.page.goto(new URL(district.start, base).href, { waitUntil: 'load', timeout: 60000 });
  else await signIn(c.page, base, district);
  await c.page.getByTestId('view-projects').waitFor({ state: 'visible', timeout: 30000 });
  return c;
}

/** exportFiltered downloads the ledger filtered to the projects under
 * construction. */
async function exportFiltered(browser) {
  const { page, context } = await open(browser, 'export');
  await page.locator('[data-testid=filter-stage] [data-value=building]').click();
  const link = page.getByTestId('ledger-export');
  await page.waitForFunction(() => /stage=building/.test(document.querySelector('[data-testid=ledger-export]')?.getAttribute('href') || ''),
    null, { timeout: 10000 }).catch(() => {});
  const dl = page.waitForEvent('download', { timeout: 30000 });
  await link.click();
  const d = await dl.catch((e) => { r.fail(`导出 Excel starts a download: ${e.message}`); return null; });
  if (d) {
    check(/[?&]stage=building/.test(d.url()), 'the export carries the stage filter', d.url());
    check(d.suggestedFilename().endsWith('.xlsx'), `the download is a workbook (${d.suggestedFilename()})`);
    await d.saveAs(join(outDir, 'export.xlsx'));
    check(await d.failure() === null, 'the workbook downloaded');
  }
  await page.screenshot({ path: join(outDir, 'export.png') });
  await context.close();
}

/** upload imports a workbook through 导入 Excel and answers the import
 * request's status. */
async function upload(page, file) {
  const res = page.waitForResponse((x) => x.url().endsWith('/api/projects/import') && x.request().method() === 'POST', { timeout: 30000 });
  await page.getByTestId('ledger-import').setInputFiles(join(outDir, file));
  return (await res.catch(() => null))?.status();
}

/** importBoth imports the bad workbook, then the good one. */
async function importBoth(page, edit) {
  const before = await apiStatus(page, 'GET', `/api/projects/${edit.id}`);
  check(before.json?.name === edit.name, `the project to rename is ${edit.name} (${before.json?.name})`);

  check(await upload(page, 'bad.xlsx') === 400, 'a workbook with a bad row is refused (400)');
  check(await shown(page, 'ledger-import-error'), 'the refusal is shown');
  const msg = await page.getByTestId('ledger-import-error').innerText().catch(() => '');
  check(/未做任何修改/.test(msg), 'the refusal says nothing was changed, in Chinese', msg);
  const rows = await page.locator('[data-testid=ledger-import-rows] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
  const bad = rows.find((x) => x[0] === String(edit.bad_row));
  check(Boolean(bad), `the error names row ${edit.bad_row}`, JSON.stringify(rows));
  check(bad?.[1] === edit.bad_column, `the error names column ${edit.bad_column}`, bad?.[1]);
  check(/[\u4e00-\u9fff]/.test(bad?.[2] || '') && !/[a-z]{4}/i.test(bad?.[2] || ''), 'the error says what is wrong in Chinese', bad?.[2]);
  check(!rows.some((x) => x[0] === '2'), 'the good row is not reported', JSON.stringify(rows));
  await page.screenshot({ path: join(outDir, 'refused.png') });
  const still = await apiStatus(page, 'GET', `/api/projects/${edit.id}`);
  check(still.json?.name === edit.name && still.etag === before.etag, 'the refused workbook changed nothing, not even its good row',
    `${still.json?.name} ${still.etag} / ${before.etag}`);

  check(await upload(page, 'good.xlsx') === 200, 'the edited workbook is imported (200)');
  check(await shown(page, 'ledger-import-error', 'hidden'), 'the earlier refusal is gone');
  const ok = await page.locator('.el-message--success').first().innerText().catch(() => '');
  check(/导入完成：.*更新 1 个/.test(ok), 'the import says one project was updated', ok);
  const after = await apiStatus(page, 'GET', `/api/projects/${edit.id}`);
  check(after.json?.name === edit.renamed, `the API answers the new name (${after.json?.name})`);

  await field(page, 'ledger-search').fill(edit.renamed);
  await field(page, 'ledger-search').press('Enter');
  const item = page.locator(`[data-testid=ledger-found] [data-id="${edit.id}"]`);
  check(await item.waitFor({ state: 'visible', timeout: 10000 }).then(() => true, () => false), 'the list finds the renamed project');
  check((await item.innerText().catch(() => '')).includes(edit.renamed), 'the list shows the new name');
  await page.screenshot({ path: join(outDir, 'imported.png') });
}

/** editDialog opens the project's form from the ledger search. The page
 * is brought to the front first: a window behind another draws no frames,
 * and a click waits for two frames to see that its target stands still. */
async function editDialog(page, edit) {
  await page.bringToFront();
  await field(page, 'ledger-search').fill(edit.renamed);
  await field(page, 'ledger-search').press('Enter');
  await page.locator(`[data-testid=ledger-found] [data-id="${edit.id}"]`).click();
  // The app shows the project once the map is idle there: as slow as
  // waitIdle. Under load Playwright's wait for the button to stand still
  // (two animation frames alike) has timed out with the button shown:
  // once it is visible it is clicked.
  const button = page.getByTestId('project-edit');
  await button.waitFor({ state: 'visible', timeout: TIMEOUT }).then(() => button.click({ force: true })).catch(async (e) => {
    await page.screenshot({ path: join(outDir, `no-edit-${Date.now()}.png`) });
    const st = await page.evaluate((id) => {
      const m = window.__onemap.map;
      const fs = m.queryRenderedFeatures().filter((f) => f.sourceLayer === 'projects');
      return { zoom: m.getZoom(), center: m.getCenter(), n: fs.length, has: fs.some((f) => (f.id ?? f.properties.id) === id),
        layers: [...new Set(fs.map((f) => f.layer.id))], loaded: m.loaded(), moving: m.isMoving(), hash: location.hash };
    }, edit.id);
    throw new Error(`${e.message.split('\n')[0]} ${JSON.stringify(st)}`);
  });
  await page.getByTestId('project-form').waitFor({ state: 'visible', timeout: TIMEOUT });
}

/** staleEdit has two windows, a and a second one of the same user,
 * edit the same project's responsible unit. */
async function staleEdit(browser, a, edit) {
  const b = await open(browser, 'second window', a);
  await editDialog(a.page, edit);
  await editDialog(b.page, edit);
  const theirs = '源汇区发改委（先保存）';
  const mine = '源汇区住建局（后保存）';

  await a.page.bringToFront();
  await field(a.page, 'project-responsible_unit').fill(theirs);
  const first = a.page.waitForResponse((x) => x.url().endsWith(`/api/projects/${edit.id}`) && x.request().method() === 'PATCH', { timeout: 15000 });
  await a.page.getByTestId('project-save').click();
  check((await first.catch(() => null))?.status() === 200, 'the first window saves (200)');

  await b.page.bringToFront();
  await field(b.page, 'project-responsible_unit').fill(mine);
  const second = b.page.waitForResponse((x) => x.url().endsWith(`/api/projects/${edit.id}`) && x.request().method() === 'PATCH', { timeout: 15000 });
  await b.page.getByTestId('project-save').click();
  check((await second.catch(() => null))?.status() === 412, 'the second window\'s save is refused as stale (412)');
  check(await shown(b.page, 'project-stale'), 'the second window shows the conflict');
  const text = await b.page.getByTestId('project-stale').innerText().catch(() => '');
  check(/已被他人修改/.test(text), 'the conflict says someone else changed the project', text);
  const row = await b.page.locator('[data-testid=project-stale] tr[data-key=responsible_unit]').evaluate((tr) => [...tr.children].map((c) => c.innerText.trim()))
    .catch(() => []);
  check(row[0] === '责任单位' && row[1] === theirs && row[2] === mine, 'the conflict shows the field, their value and mine', JSON.stringify(row));
  await b.page.screenshot({ path: join(outDir, 'stale.png') });
  const kept = await apiStatus(b.page, 'GET', `/api/projects/${edit.id}`);
  check(kept.json?.responsible_unit === theirs, 'the refused save changed nothing', kept.json?.responsible_unit);

  await b.page.getByTestId('project-stale-reload').click();
  check(await field(b.page, 'project-responsible_unit').inputValue() === mine, 'loading the latest keeps my change in the form');
  const third = b.page.waitForResponse((x) => x.url().endsWith(`/api/projects/${edit.id}`) && x.request().method() === 'PATCH', { timeout: 15000 });
  await b.page.getByTestId('project-save').click();
  check((await third.catch(() => null))?.status() === 200, 'saving after loading the latest succeeds (200)');
  const now = await apiStatus(b.page, 'GET', `/api/projects/${edit.id}`);
  check(now.json?.responsible_unit === mine && now.json?.name === edit.renamed, 'the project holds my change',
    `${now.json?.responsible_unit} ${now.json?.name}`);
  await a.context.close();
  await b.context.close();
}

await runInChromium(r, `roundtrip e2e (${phase})`, base, outDir, async (browser) => {
  if (phase === 'export') {
    await exportFiltered(browser);
    return;
  }
  if (phase !== 'import') throw new Error(`phase ${phase}: export or import`);
  const edit = JSON.parse(readFileSync(join(outDir, 'edit.json'), 'utf8'));
  const a = await open(browser, 'import');
  await importBoth(a.page, edit);
  await staleEdit(browser, a, edit);
});
