#!/usr/bin/env node
// Browser test of the schedule warnings (issue 15) against a running
// onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/warnings.mjs <baseURL> <screenshotDir>
//
// The 源汇区 district user opens 重点项目: the lagging list shows red
// projects with their reason, and the legend the warning rings. A monthly
// report that catches one of the district's red projects up (sent through
// the API with the page's session) takes it off the list, and its point
// in the reloaded tiles is green. Writes a report: give it a freshly
// seeded database. One PASS/FAIL line per check; exit status 1 on any
// failure.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { apiStatus, baseURL, chromiumOptions, cleanChecks, limit, openContext, rendered, report, signIn, waitIdle } from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
mkdirSync(shotDir, { recursive: true });
const r = report();
const { check, info } = r;
limit(5, 'warnings e2e');

const browser = await chromium.launch(chromiumOptions());
const { page, rec } = await openContext(browser, base, 'district user');
try {
  await signIn(page, base, { username: 'yuanhui', password: 'luohe-yuanhui-2026', start: 'projects' });
  await page.getByTestId('view-projects').waitFor({ state: 'visible', timeout: 30000 });
  const list = page.getByTestId('lagging-list');
  await list.locator('.project-item').first().waitFor({ state: 'visible', timeout: 20000 });
  const items = await list.locator('.project-item').evaluateAll((els) => els.map((e) => ({
    id: Number(e.dataset.id), level: e.dataset.level, text: e.innerText,
  })));
  check(items.some((w) => w.level === 'red'), 'the lagging list shows red projects', JSON.stringify(items.slice(0, 3)));
  const levels = items.map((w) => w.level);
  check(levels.indexOf('yellow') < 0 || levels.lastIndexOf('red') < levels.indexOf('yellow'), 'red projects come first');
  check(items.every((w) => /滞后|延期|超期/.test(w.text)), 'every lagging project gives its reason');
  const legend = await page.getByTestId('view-projects').innerText();
  check(legend.includes('外圈红色'), 'the legend explains the warning rings');

  // One of the district's red projects behind its investment plan.
  const { json: lagging } = await apiStatus(page, 'GET', '/api/projects/lagging');
  const red = lagging.find((w) => w.warning_level === 'red' && w.district === '源汇区' && w.warning_reason.startsWith('投资进度滞后'));
  if (!check(Boolean(red), 'a red project of 源汇区 behind its plan')) throw new Error('no red project');
  info(`${red.name}: ${red.warning_reason}`);
  const plan = red.warning_reason.match(/为计划 ([\d.]+) 万元/)[1];
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
  // Nothing planned this month and the whole plan to date invested: the
  // project is at or ahead of its plan, whatever this month held before.
  // Its overdue blockers resolved too: green with an overdue blocker is
  // still lagging.
  const { json: blockers } = await apiStatus(page, 'GET', `/api/projects/${red.id}/blockers`);
  for (const b of (blockers || []).filter((x) => x.overdue)) {
    const done = await apiStatus(page, 'PUT', `/api/projects/${red.id}/blockers/${b.id}`, {
      kind: b.kind, note: b.note, responsible_unit: b.responsible_unit || '', raised_on: b.raised_on, due_on: b.due_on || '',
      status: 'resolved', resolution: '已协调解决',
    });
    check(done.status < 300, `its overdue blocker ${b.id} is resolved`, JSON.stringify(done.json));
  }
  const put = await apiStatus(page, 'PUT', `/api/projects/${red.id}/progress/${month}`, { planned: '0', invested: plan, progress_note: '集中攻坚，进度赶上计划' });
  check(put.status === 204, 'the catching-up report is taken', JSON.stringify(put.json));
  const { json: p } = await apiStatus(page, 'GET', `/api/projects/${red.id}`);
  check(p.warning_level === 'green', 'the project answers green', `${p.warning_level} ${p.warning_reason}`);

  await page.getByTestId('lagging-reload').click();
  // The list is read again from the server: wait for it to drop the
  // project, up to 15 s on a busy machine.
  let after = [];
  for (let t0 = Date.now(); Date.now() - t0 < 15000; await page.waitForTimeout(250)) {
    after = await list.locator('.project-item').evaluateAll((els) => els.map((e) => Number(e.dataset.id)));
    if (!after.includes(red.id)) break;
  }
  const again = await apiStatus(page, 'GET', '/api/projects/lagging');
  check(!after.includes(red.id), 'the project leaves the lagging list', `the API ${again.status} ${again.json?.find?.((w) => w.id === red.id)?.warning_reason ?? 'has it no more'}`);

  // Its point, with the tiles drawn again.
  const { json: full } = await apiStatus(page, 'GET', `/api/projects/${red.id}`);
  await page.evaluate(([lon, lat]) => {
    const m = window.__onemap.map;
    m.jumpTo({ center: [lon, lat], zoom: 14 });
    const src = m.getSource('projects');
    src.setTiles([src.tiles[0]]);
  }, [full.lon, full.lat]);
  await waitIdle(page);
  let drawn = null;
  for (let i = 0; i < 20 && !drawn; i++) {
    drawn = (await rendered(page, ['projects-circle'])).find((f) => Number(f.id) === red.id && f.props.warning_level === 'green');
    if (!drawn) await page.waitForTimeout(250);
  }
  check(Boolean(drawn), 'its point in the tiles is green');
  await page.screenshot({ path: join(shotDir, 'warnings.png') });
  cleanChecks(r, rec);
} catch (e) {
  r.fail(String(e?.message || e).split('\n')[0]);
  await page.screenshot({ path: join(shotDir, 'warnings-failed.png') }).catch(() => {});
} finally {
  await browser.close();
}
r.end('warnings e2e');
