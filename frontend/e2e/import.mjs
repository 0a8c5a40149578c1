#!/usr/bin/env node
// Browser test of the land bureau's import against a running onemap
// server seeded with `onemap seed`:
//
//   node frontend/e2e/import.mjs <baseURL> <outDir>
//
// outDir holds plan.zip, a zipped Shapefile (GBK DBF without .cpg, .prj in
// EPSG:4547) that the Go test wrote: a 1 ha 城镇住宅用地 square at 114°E, a
// bow-tie 工业用地 (repaired), a square outside the city, an unknown code
// and a feature without geometry. The land user opens 国土空间, uploads
// the file with its progress bar, sees its fields mapped (DLBM, DLMC),
// starts the import, follows its progress and reads the report (2
// imported, 1 repaired, 3 rejected with reasons), and sees the new zone in
// the map's land-use tiles. It replaces the land-use layer, so give it a
// freshly seeded database. One PASS/FAIL line per check, screenshots;
// exit status 1 on any failure.
import { join, resolve } from 'node:path';
import {
  baseURL, cleanChecks, limit, openContext, rendered, report, runInChromium, signIn, waitIdle,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const outDir = resolve(process.argv[3] || 'e2e-import');
const r = report();
const { check, info } = r;
limit(8, 'import e2e');
await runInChromium(r, 'import e2e', base, outDir, async (browser) => {
  const { page, rec } = await openContext(browser, base, 'import');
  await signIn(page, base, { start: '/land', username: 'land', password: 'luohe-land-2026' });
  await page.getByTestId('view-land').waitFor({ state: 'visible', timeout: 30000 });
  // The map draws the whole city's land use first: under SwiftShader that
  // holds the page's thread, and a click meanwhile can time out.
  check(await waitIdle(page) !== null, 'map idle after signing in');
  await page.getByTestId('land-import-section').locator('.el-collapse-item__header').click({ timeout: 60000 });
  await page.getByTestId('land-import').waitFor({ state: 'visible', timeout: 10000 });

  // The upload's progress, as the XMLHttpRequest reports it.
  await page.evaluate(() => {
    window.__uploadProgress = [];
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (body) {
      this.upload.addEventListener('progress', (e) => window.__uploadProgress.push([e.loaded, e.total]));
      return send.call(this, body);
    };
  });
  await page.getByTestId('import-file').setInputFiles(join(outDir, 'plan.zip'));
  await page.getByTestId('import-upload').click();
  const mapping = await page.getByTestId('import-mapping').waitFor({ state: 'visible', timeout: 60000 }).then(() => true, () => false);
  if (!check(mapping, 'the upload lists the file\'s fields for mapping',
    await page.getByTestId('import-error').innerText().catch(() => ''))) throw new Error('no mapping');
  const bar = await page.getByTestId('import-upload-progress').innerText();
  check(bar.includes('100%'), 'the upload progress bar reaches 100%', bar);
  const events = await page.evaluate(() => window.__uploadProgress);
  check(events.length > 0 && events.at(-1)[0] === events.at(-1)[1], 'the browser reported the upload\'s progress', JSON.stringify(events));
  const infoText = await page.getByTestId('import-mapping').innerText();
  check(/ESRI Shapefile，5 个要素/.test(infoText) && infoText.includes('GBK'), 'the file is a Shapefile of 5 features read as GBK', infoText);
  const codeField = await page.getByTestId('import-map-code').innerText();
  const nameField = await page.getByTestId('import-map-name').innerText();
  check(codeField.includes('DLBM') && nameField.includes('DLMC'), 'code and name mapped to DLBM and DLMC', `${codeField} / ${nameField}`);
  await page.screenshot({ path: join(outDir, 'mapping.png') });

  // The job: its progress while it runs, then the report.
  const polls = [];
  page.on('response', async (res) => {
    if (/\/api\/imports\/\d+$/.test(res.url())) polls.push(await res.json().catch(() => null));
  });
  await page.getByTestId('import-start').click();
  await page.getByTestId('import-job-progress').waitFor({ state: 'visible', timeout: 10000 });
  const done = await page.getByTestId('import-report').waitFor({ state: 'visible', timeout: 240000 }).then(() => true, () => false);
  if (!check(done, 'the import finishes with a report', await page.getByTestId('import-failed').innerText().catch(() => ''))) throw new Error('no report');
  check(polls.length > 0 && polls.some((p) => p?.status === 'running'), 'the job was polled while it ran',
    JSON.stringify(polls.map((p) => p && [p.status, p.phase, p.done])));
  info(`polls: ${JSON.stringify(polls.map((p) => p && [p.status, p.phase, p.done, p.total]))}`);
  const reportText = await page.getByTestId('import-report').innerText();
  check(reportText.includes('导入完成：2 个要素') && reportText.includes('修复 1 个，拒绝 3 个'), 'the report: 2 imported, 1 repaired, 3 rejected', reportText);
  const rejected = await page.getByTestId('import-rejected').innerText();
  check(rejected.includes('不在本市范围内') && rejected.includes('分类代码不存在') && rejected.includes('空图形'),
    'rejections with their reasons in Chinese', rejected);
  const repaired = await page.getByTestId('import-repaired').innerText();
  check(/20,?000/.test(repaired), 'the repaired bow-tie with its area after (20000 m²)', repaired);
  await page.screenshot({ path: join(outDir, 'report.png') });

  // The new zone in the map's tiles: the 1 ha square at 114°E.
  await page.evaluate(() => window.__onemap.map.jumpTo({ center: [114.00054, 33.57075], zoom: 16 }));
  const idle = await waitIdle(page);
  check(idle !== null, 'the map draws the imported area');
  const zones = await rendered(page, ['landuse-fill']);
  const mine = zones.filter((f) => f.props?.code === '0701' && f.props?.plan === 'plan');
  check(mine.length > 0, 'the imported 城镇住宅用地 zone is in the land-use tiles',
    JSON.stringify(zones.slice(0, 5).map((f) => f.props)));
  check(!zones.some((f) => f.props?.plan && f.props.plan !== 'plan'), 'no zone of the old plan is left there',
    JSON.stringify(zones.filter((f) => f.props?.plan !== 'plan').slice(0, 3).map((f) => f.props)));
  await page.screenshot({ path: join(outDir, 'map.png') });
  cleanChecks(r, rec);
});
