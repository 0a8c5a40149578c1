#!/usr/bin/env node
// Browser test of on-site visual supervision and the district assessment
// (issue 15) against a running onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/cameras.mjs <baseURL> <screenshotDir>
//
// As the 源汇区 district user it picks a site under construction that no
// camera covers, opens it from the list, adds a dust-monitoring camera in
// its panel, and, as the camera system would, posts a PNG snapshot with an
// API token (no session); the panel then shows the snapshot with its
// time, and the coverage list and the ring on the map mark the site
// covered. As the administrator it opens 县区考核, puts all the weight on
// one item and then on another, and sees the ranking follow (the last
// district flagged). Writes cameras, snapshots and weights: give it a
// freshly seeded database. One PASS/FAIL line per check; exit status 1 on
// any failure.
import { join, resolve } from 'node:path';
import { TIMEOUT, apiStatus, baseURL, cleanChecks, field, limit, openContext, rendered, report, runInChromium, shown, signIn, waitIdle } from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { fail, check, info } = r;
limit(7, 'cameras e2e');

const DISTRICT = { username: 'yuanhui', password: 'luohe-yuanhui-2026', start: 'projects' };
const ADMIN = { username: 'admin', password: 'luohe-admin-2026', start: 'projects' };
const short = (e) => String(e?.message || e).split('\n')[0];

/** postSnapshot draws a 320 × 180 PNG in the page and posts it to camera
 * id with the API token, without the page's session: as a camera system. */
function postSnapshot(page, id, token) {
  return page.evaluate(async ([id, token]) => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 180;
    const g = c.getContext('2d');
    g.fillStyle = '#8d6e63';
    g.fillRect(0, 0, 320, 180);
    g.fillStyle = '#ffeb3b';
    g.fillRect(40, 60, 120, 60);
    const blob = await new Promise((res) => c.toBlob(res, 'image/png'));
    const res = await fetch(`/api/cameras/${id}/snapshots`, {
      method: 'POST', credentials: 'omit', body: blob,
      headers: { 'Content-Type': 'image/png', Authorization: `Bearer ${token}` },
    });
    return { status: res.status, json: await res.json().catch(() => null) };
  }, [id, token]);
}

async function district(browser) {
  const { context, page, rec } = await openContext(browser, base, 'yuanhui');
  try {
    await signIn(page, base, DISTRICT);
    check(await waitIdle(page) !== null, 'yuanhui: map idle after signing in', `not within ${TIMEOUT} ms`);
    const { json: before } = await apiStatus(page, 'GET', '/api/cameras/coverage');
    const site = before.sites.find((s) => s.district === '源汇区' && !s.covered);
    if (!check(Boolean(site), 'yuanhui: a site under construction of 源汇区 without coverage', JSON.stringify(before).slice(0, 200))) return;
    info(`${site.name} (${site.id}); ${before.covered} covered, ${before.uncovered} not`);
    check(await shown(page, 'coverage-panel'), 'yuanhui: the coverage panel is in 重点项目');
    const counts = await page.getByTestId('coverage-uncovered').innerText();
    check(Number(counts) === before.uncovered, 'yuanhui: the panel counts the uncovered sites', counts);

    await page.evaluate(([lon, lat]) => window.__onemap.map.jumpTo({ center: [lon, lat], zoom: 16 }), [site.lon, site.lat]);
    await waitIdle(page);
    const item = page.locator(`[data-testid=projects-list] .project-item[data-id="${site.id}"]`);
    await item.waitFor({ state: 'visible', timeout: 20000 });
    await item.click();
    check(await shown(page, 'cameras-panel'), 'yuanhui: the project panel shows its cameras');
    check(await shown(page, 'cameras-none'), 'yuanhui: none linked yet');

    await page.getByTestId('camera-new').click();
    await field(page, 'camera-name').fill('东门扬尘监测');
    await field(page, 'camera-url').fill('javascript:alert(1)');
    await page.getByTestId('camera-save').click();
    const err = await page.getByTestId('camera-error').innerText().catch(() => '');
    check(/只接受 http、https、rtsp/.test(err), 'yuanhui: a javascript: link is refused in Chinese', err);
    await field(page, 'camera-url').fill('https://cam.example.cn/live/dongmen.m3u8');
    await page.getByTestId('camera-save').click();
    const cam = page.locator('[data-testid=camera]').first();
    await cam.waitFor({ state: 'visible', timeout: 10000 });
    const id = Number(await cam.getAttribute('data-id'));
    check(id > 0 && (await cam.innerText()).includes('东门扬尘监测'), 'yuanhui: the camera is added in the panel');
    check(await cam.locator('a[href^="https://cam.example.cn/"]').count() === 1, 'yuanhui: its stream is a plain link');

    const { status: ts, json: tok } = await apiStatus(page, 'POST', '/api/tokens', { name: '扬尘监测平台', expires_in_days: 1 });
    if (!check(ts === 201 || ts === 200, 'yuanhui: an API token for the camera system', JSON.stringify(tok))) return;
    const up = await postSnapshot(page, id, tok.token);
    check(up.status === 201 && up.json?.width === 320, 'camera system: the snapshot is taken with the token', JSON.stringify(up));

    // The panel reads the cameras anew when the project is shown again.
    await page.locator('[data-testid=feature-panel] .fp-close').click();
    await item.click();
    const shot = page.locator('[data-testid=camera-snapshot] img').first();
    await shot.waitFor({ state: 'visible', timeout: 10000 });
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await shot.elementHandle(), { timeout: 10000 }).catch(() => {});
    check(await shot.evaluate((el) => el.naturalWidth) === 320, 'yuanhui: the panel shows the latest snapshot');
    const when = await page.getByTestId('camera-snapshot-time').first().innerText();
    check(/最新抓拍 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(when), 'yuanhui: with its time', when);

    await page.getByTestId('coverage-reload').click();
    const listed = page.locator(`[data-testid=coverage-list] .project-item[data-id="${site.id}"]`);
    await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.covered === 'true',
      `[data-testid=coverage-list] .project-item[data-id="${site.id}"]`, { timeout: 10000 }).catch(() => {});
    check(await listed.getAttribute('data-covered') === 'true', 'yuanhui: the coverage list marks the site covered');
    const covered = Number(await page.getByTestId('coverage-covered').innerText());
    check(covered === before.covered + 1, 'yuanhui: one more site covered', `${before.covered} → ${covered}`);
    await page.getByTestId('coverage-toggle').click();
    let ring = null;
    for (let i = 0; i < 40 && !ring; i++) {
      await page.waitForTimeout(250);
      ring = (await rendered(page, ['coverage-ring'])).find((f) => Number(f.id) === site.id);
    }
    check(ring?.props.covered === true, 'yuanhui: the map rings the site as covered', JSON.stringify(ring?.props));
    const colour = await page.evaluate(() => window.__onemap.map.getPaintProperty('coverage-ring', 'circle-stroke-color'));
    check(JSON.stringify(colour).includes('#2e7d32'), 'yuanhui: covered rings are green');
    await page.screenshot({ path: join(shotDir, 'cameras-coverage.png') });
    cleanChecks(r, rec);
  } catch (e) {
    fail(`yuanhui: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, 'cameras-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
}

/** rankingOf orders the districts of assessment a by one item alone, as
 * the server ranks them with all the weight on it: score (none: 0) down,
 * then district id. */
function rankingOf(a, item) {
  const score = (d) => d.scores.find((s) => s.item === item)?.score ?? 0;
  return [...a.districts].sort((x, y) => score(y) - score(x) || x.district_id - y.district_id).map((d) => d.district_id);
}

/** setWeights fills the weights in the view and saves them. */
async function setWeights(page, weights) {
  for (const [item, w] of Object.entries(weights)) {
    const input = field(page, `weight-${item}`);
    await input.fill(String(w));
    await input.blur();
  }
  const saved = page.waitForResponse((res) => res.url().includes('/weights') && res.request().method() === 'PUT', { timeout: 10000 });
  await page.getByTestId('weights-save').click();
  return (await saved).status();
}

async function shownOrder(page) {
  return page.locator('[data-testid=assessment-row]').evaluateAll((rows) => rows.map((row) => Number(row.dataset.district)));
}

async function admin(browser) {
  const { context, page, rec } = await openContext(browser, base, 'admin');
  try {
    await signIn(page, base, ADMIN);
    await page.getByTestId('nav-assessment').click();
    check(await shown(page, 'assessment-table', 'visible', 30000), 'admin: 县区考核 shows the table');
    const { json: a } = await apiStatus(page, 'GET', '/api/assessment');
    const items = a.items.map((it) => it.id);
    // Items whose scores differ between districts, so that the last place
    // is one district's.
    const varied = items.filter((it) => new Set(a.districts.map((d) => d.scores.find((s) => s.item === it)?.score ?? 0)).size > 1);
    let pair = null;
    for (const x of varied) {
      for (const y of varied) {
        if (!pair && x !== y && rankingOf(a, x).join() !== rankingOf(a, y).join()) pair = [x, y];
      }
    }
    if (!check(Boolean(pair), 'admin: two items that rank the districts differently', JSON.stringify(a.districts.map((d) => d.scores)))) return;
    info(`all weight on ${pair[0]}, then on ${pair[1]}`);
    const only = (item) => Object.fromEntries(items.map((i) => [i, i === item ? 100 : 0]));

    check(await setWeights(page, { ...only(pair[0]), [pair[1]]: 10, [pair[0]]: 100 }) === 400, 'admin: weights summing to 110 are refused');
    const werr = await page.getByTestId('weights-error').innerText().catch(() => '');
    check(/之和须为 100/.test(werr), 'admin: in Chinese', werr);

    check(await setWeights(page, only(pair[0])) === 200, `admin: all weight on ${pair[0]} saved`);
    await page.waitForTimeout(300);
    const first = await shownOrder(page);
    check(first.join() === rankingOf(a, pair[0]).join(), `admin: ranked by ${pair[0]}`, `${first} vs ${rankingOf(a, pair[0])}`);
    const flagged = () => page.locator('[data-testid=assessment-row]:has([data-testid=assessment-last])')
      .evaluateAll((rows) => rows.map((row) => Number(row.dataset.district)));
    const lastFirst = await flagged();
    check(lastFirst.length > 0 && lastFirst.includes(first.at(-1)), 'admin: the last district is flagged (末位表态)', String(lastFirst));

    check(await setWeights(page, only(pair[1])) === 200, `admin: all weight on ${pair[1]} saved`);
    await page.waitForTimeout(300);
    const second = await shownOrder(page);
    check(second.join() === rankingOf(a, pair[1]).join(), `admin: ranked by ${pair[1]}`, `${second} vs ${rankingOf(a, pair[1])}`);
    check(second.join() !== first.join(), 'admin: the ranking changed with the weights', `${first} → ${second}`);
    const lastSecond = await flagged();
    info(`last place: ${lastFirst} → ${lastSecond}`);
    check(lastSecond.length > 0 && lastSecond.includes(second.at(-1)), 'admin: the last district is flagged again', String(lastSecond));
    await page.screenshot({ path: join(shotDir, 'assessment.png'), fullPage: true });
    cleanChecks(r, rec);
  } catch (e) {
    fail(`admin: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, 'assessment-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
}

await runInChromium(r, 'cameras e2e', base, shotDir, async (browser) => {
  await district(browser);
  await admin(browser);
});
