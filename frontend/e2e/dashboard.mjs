#!/usr/bin/env node
// Browser test of the dashboard's click-through (issue 15) against a
// running onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/dashboard.mjs <baseURL> <outDir>
//
// The demo leader opens 驾驶舱 and clicks a district's count, a stage's
// count, a leader's count, this year's new starts and completions and the
// lagging count: each opens 重点项目 with the whole city in view, the
// filters behind the number set (the projects' tile URL carries them),
// and the list of the projects in view holds exactly that many projects,
// as does the ledger of the same filters. Reads only. One PASS/FAIL line
// per check; exit status 1 on any failure.
import { join, resolve } from 'node:path';
import { apiStatus, baseURL, cleanChecks, limit, openContext, report, runInChromium, signIn, waitIdle } from './harness.mjs';

const base = baseURL(process.argv[2]);
const outDir = resolve(process.argv[3] || 'dashboard');
const r = report();
const { check, info } = r;
limit(6, 'dashboard e2e');

/** shownCount waits until the map has drawn the filtered tiles and
 * answers the list's count of the projects in view. */
async function shownCount(page) {
  await page.getByTestId('view-projects').waitFor({ state: 'visible', timeout: 30000 });
  await page.waitForFunction(() => window.__onemap?.map?.getSource('projects'), null, { timeout: 30000 });
  await waitIdle(page);
  await page.waitForTimeout(300);
  await waitIdle(page);
  const text = await page.getByTestId('projects-count').locator('b').innerText().catch(() => '');
  return text === '' ? null : Number(text);
}

/** tileQuery answers the query of the projects' tile URL as an object. */
async function tileQuery(page) {
  const url = await page.evaluate(() => window.__onemap.map.getSource('projects').tiles[0]);
  return Object.fromEntries(new URL(url, base).searchParams);
}

/** inCity tells whether the map shows the whole city (its bounds from
 * GET /api/meta) in view. */
async function inCity(page) {
  return page.evaluate(async () => {
    const meta = await (await fetch('/api/meta')).json();
    const [w, s, e, n] = meta.city.bounds;
    const b = window.__onemap.map.getBounds();
    return b.getWest() <= w + 1e-6 && b.getSouth() <= s + 1e-6 && b.getEast() >= e - 1e-6 && b.getNorth() >= n - 1e-6;
  });
}

await runInChromium(r, 'dashboard e2e', base, outDir, async (browser) => {
  const { page, rec } = await openContext(browser, base, 'leader');
  await signIn(page, base, { username: 'leader', password: 'luohe-leader-2026', start: '' });
  const { status, json: d } = await apiStatus(page, 'GET', '/api/dashboard');
  if (!check(status === 200 && d.total.count > 0, 'the dashboard answers', String(status))) return;
  const counted = ['reserve', 'preparing', 'building', 'operating'];
  const district = d.districts.find((g) => g.count > 0);
  const stage = d.stages.find((g) => g.key === 'building' && g.count > 0) || d.stages.find((g) => g.count > 0);
  const leader = (d.leaders || []).find((g) => g.count > 0);
  const y = String(d.year);
  const numbers = [
    { what: `district ${district.label}`, id: `dash-district-${district.key}`, want: district.count,
      query: { stage: counted.join(','), district: district.key } },
    { what: `stage ${stage.label}`, id: `dash-stage-${stage.key}`, want: stage.count, query: { stage: stage.key } },
    { what: `leader ${leader.label}`, id: `dash-leader-${leader.key}`, want: leader.count,
      query: { stage: counted.join(','), leader: leader.key } },
    { what: 'new starts', id: 'dash-starts', want: d.starts.count, query: { stage: counted.join(','), started: y } },
    { what: 'completions', id: 'dash-finishes', want: d.finishes.count, query: { stage: counted.join(','), finished: y } },
  ];
  if (d.live) {
    numbers.push({ what: 'lagging', id: 'dash-lagging-count', want: d.lagging_count,
      query: { stage: counted.join(','), warning_level: 'yellow,red' } });
  } else {
    info(`the dashboard's year ${d.year} is not under way: its lagging projects are not the map's`);
  }

  for (const n of numbers) {
    await page.getByTestId('nav-dashboard').click();
    const link = page.getByTestId(n.id);
    await link.waitFor({ state: 'visible', timeout: 30000 });
    const shown = Number(await link.innerText());
    check(shown === n.want, `${n.what}: the dashboard shows ${n.want}`, String(shown));
    await link.click();
    const count = await shownCount(page);
    const q = await tileQuery(page);
    const same = Object.entries(n.query).every(([k, v]) => q[k] === v) && Object.keys(q).length === Object.keys(n.query).length;
    check(same, `${n.what}: the map's tiles are filtered (${JSON.stringify(q)})`, `want ${JSON.stringify(n.query)}`);
    check(await inCity(page), `${n.what}: the whole city is in view`);
    check(count === n.want, `${n.what}: the list holds exactly ${n.want} projects`, `${count}`);
    const ledger = await apiStatus(page, 'GET', `/api/projects?${new URLSearchParams(n.query)}`);
    check(ledger.status === 200 && ledger.json.length === n.want, `${n.what}: the ledger of the same filters has ${n.want}`,
      `${ledger.status} ${ledger.json?.length}`);
    if (n.id === 'dash-lagging-count') {
      const tag = await page.getByTestId('filter-warning_level').innerText().catch(() => '');
      check(tag.includes('红色预警') && tag.includes('黄色预警'), 'lagging: the filters name the warning levels', tag);
      await page.screenshot({ path: join(outDir, 'lagging.png') });
    }
  }
  cleanChecks(r, rec);
});
