#!/usr/bin/env node
// Browser test of the project ledger against a running onemap server
// seeded with `onemap seed`:
//
//   node frontend/e2e/ledger.mjs <baseURL> <screenshotDir>
//
// The 源汇区 district user opens 重点项目, starts 新建项目, fills the form,
// draws the site on the map (Terra Draw: four clicks and a click on the
// first point), finishes, saves, and sees the new project's site in the
// projects' tiles; the server holds the polygon, its area and the stage
// history. It writes a project, so give it a freshly seeded database. One
// PASS/FAIL line per check, screenshots; exit status 1 on any failure.
import { join, resolve } from 'node:path';
import {
  baseURL, limit, openContext, rendered, report, runInChromium, signIn, waitIdle,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { check, info } = r;
limit(6, 'ledger e2e');
await runInChromium(r, 'ledger e2e', base, shotDir, async (browser) => {
  const { page, rec } = await openContext(browser, base, 'ledger');
  try {
    await signIn(page, base, { start: '/projects', username: 'yuanhui', password: 'luohe-yuanhui-2026' });
    await page.getByTestId('view-projects').waitFor({ state: 'visible', timeout: 30000 });
    check(await waitIdle(page) !== null, 'map idle after signing in');

    // A spot in 源汇区: one of the district's own projects, at zoom 15.
    const own = (await rendered(page, ['projects-circle'])).filter((f) => f.coords);
    if (!check(own.length > 0, 'the district user\'s projects are drawn')) throw new Error('no projects');
    const at = own[0].coords;
    await page.evaluate((c) => window.__onemap.map.jumpTo({ center: c, zoom: 15 }), at);
    await waitIdle(page);

    await page.getByTestId('project-new').click();
    const form = page.getByTestId('project-form');
    await form.waitFor({ state: 'visible', timeout: 10000 });
    const code = `2026-411102-14-01-${String(Date.now() % 1000000).padStart(6, '0')}`;
    const fill = async (id, v) => page.locator(`input[data-testid=${id}], [data-testid=${id}] input`).first().fill(v);
    await fill('project-name', '漯河市e2e冷链物流园');
    await fill('project-code', code);
    await fill('project-leader', '张副市长');
    await fill('project-responsible_unit', '源汇区发展和改革委员会');
    await fill('project-owner', '漯河e2e冷链物流有限公司');
    await fill('project-total_investment', '52000.50');
    await fill('project-plan', '12000');

    // Draw the site: the form steps aside, the drawing bar shows.
    await page.getByTestId('project-draw').click();
    await page.getByTestId('draw-bar').waitFor({ state: 'visible', timeout: 10000 });
    // The dialog fades out: wait for it to be gone, not for one moment.
    check(await form.waitFor({ state: 'hidden', timeout: 10000 }).then(() => true, () => false), 'the form steps aside while the site is drawn');
    const box = await page.getByTestId('map').boundingBox();
    const cx = box.x + box.width / 2 + 60;
    const cy = box.y + box.height / 2 + 60;
    const corners = [[cx - 80, cy - 60], [cx + 80, cy - 60], [cx + 80, cy + 60], [cx - 80, cy + 60], [cx - 80, cy - 60]];
    for (const [x, y] of corners) {
      await page.mouse.move(x, y, { steps: 4 });
      await page.mouse.click(x, y);
      await page.waitForTimeout(250);
    }
    await page.waitForFunction(() => /已绘制 1 个/.test(document.querySelector('[data-testid=draw-count]')?.textContent || ''), null, { timeout: 5000 })
      .catch(() => {});
    const count = await page.getByTestId('draw-count').innerText();
    check(count.includes('1'), 'one polygon drawn', count);
    await page.screenshot({ path: join(shotDir, 'drawn.png') });
    await page.getByTestId('draw-done').click();
    await form.waitFor({ state: 'visible', timeout: 10000 });
    const siteText = await page.getByTestId('project-site').innerText();
    check(siteText.includes('1 个地块'), 'the form holds the drawn site', siteText);

    const created = page.waitForResponse((res) => res.url().endsWith('/api/projects') && res.request().method() === 'POST', { timeout: 15000 });
    await page.getByTestId('project-save').click();
    const res = await created.catch(() => null);
    const body = res ? await res.json().catch(() => null) : null;
    check(res?.status() === 201, `POST /api/projects answers 201 (${res?.status()})`,
      `${JSON.stringify(body)?.slice(0, 300)} ${await page.getByTestId('project-error').innerText().catch(() => '')}`);
    check(Boolean(res?.request().headers()['idempotency-key']), 'the create carries an Idempotency-Key');
    const id = body?.id;
    check(body?.site?.type === 'MultiPolygon' && body.site.coordinates.length === 1 && body.site_area_mu > 0,
      `the project has the drawn site (${body?.site_area_mu} 亩)`);
    check(body?.code === code && body?.district === '源汇区' && body?.stage === 'reserve', 'the project has its code, district and stage');

    // The new site in the tiles, within a few seconds of the answer.
    const t0 = Date.now();
    let seen = false;
    while (!seen && Date.now() - t0 < 15000) {
      await waitIdle(page, { timeout: 5000 });
      seen = (await rendered(page, ['projects-site-fill'])).some((f) => Number(f.id) === Number(id));
      if (!seen) await page.waitForTimeout(300);
    }
    check(seen, `the new project's site is in the tiles (${Date.now() - t0} ms)`);
    await page.screenshot({ path: join(shotDir, 'created.png') });

    const stages = await page.evaluate(async (pid) => (await fetch(`/api/projects/${pid}/stages`)).json(), id);
    check(Array.isArray(stages) && stages.length === 1 && stages[0].to === 'reserve' && stages[0].actor === 'yuanhui',
      'the stage history records the new project and who made it', JSON.stringify(stages));
  } catch (e) {
    r.fail(`ledger e2e: ${String(e?.message || e).split('\n')[0]}`);
    await page.screenshot({ path: join(shotDir, 'failed.png') }).catch(() => {});
  } finally {
    check(rec.foreign.length === 0, 'no request left the server', rec.foreign.slice(0, 3).join(', '));
    check(rec.pageErrors.length === 0, 'no page errors', rec.pageErrors.slice(0, 3).join(' | '));
    info(`screenshots in ${shotDir}`);
  }
});
