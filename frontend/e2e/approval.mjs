#!/usr/bin/env node
// Browser test of the joint approval (联审联批) and the holiday calendar
// (issue 15) against a running onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/approval.mjs <baseURL> <screenshotDir>
//
// As the district user it opens an own project from the list, records
// its approval steps in the feature panel (land in hand on Monday
// 22 September 2025, the construction permit issued on Friday 31 October)
// and reads the clock: 26 of the 38 working days used, 12 left (the
// make-up Sunday of 28 September counts, the National Day week does not);
// a step finished before it started is refused in Chinese. As the
// administrator it opens the holiday calendar and reads 2025's 248
// working days. Writes approval steps: give it a freshly seeded database.
// One PASS/FAIL line per check; exit status 1 on any failure.
import { join, resolve } from 'node:path';
import { TIMEOUT, baseURL, cleanChecks, field, limit, openContext, report, runInChromium, shown, signIn, waitIdle } from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { fail, check } = r;
limit(6, 'approval e2e');

const DISTRICT = { username: 'yuanhui', password: 'luohe-yuanhui-2026', start: 'projects' };
const ADMIN = { username: 'admin', password: 'luohe-admin-2026', start: 'admin/calendar' };
const short = (e) => String(e?.message || e).split('\n')[0];

/** addStep records a step through the panel's form. */
async function addStep(page, name, started, finished) {
  await page.getByTestId('approval-add').click();
  await page.getByTestId('approval-form').waitFor({ state: 'visible', timeout: 5000 });
  await page.getByTestId('approval-step').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
  await field(page, 'approval-started').fill(started);
  await field(page, 'approval-finished').fill(finished);
  await page.getByTestId('approval-save').click();
}

async function district(browser) {
  const { context, page, rec } = await openContext(browser, base, 'yuanhui');
  try {
    await signIn(page, base, DISTRICT);
    check(await waitIdle(page) !== null, 'yuanhui: map idle after signing in', `not within ${TIMEOUT} ms`);
    const item = page.locator('[data-testid=projects-list] .project-item').first();
    await item.waitFor({ state: 'visible', timeout: 30000 });
    await item.click();
    check(await shown(page, 'approval'), 'yuanhui: the project panel shows the joint approval');
    await addStep(page, '土地出让合同签订', '2025-09-22', '2025-09-22');
    await page.locator('[data-testid=approval-steps] tr[data-step=land]').waitFor({ state: 'visible', timeout: 10000 });
    await addStep(page, '建筑工程施工许可', '2025-10-09', '2025-10-31');
    await page.locator('[data-testid=approval-steps] tr[data-step=construction_permit]').waitFor({ state: 'visible', timeout: 10000 });
    const used = await page.getByTestId('approval-used').innerText();
    const left = await page.getByTestId('approval-left').innerText();
    check(/26\s*\/\s*38/.test(used), 'yuanhui: 26 of 38 working days used', used);
    check(/剩余\s*12/.test(left), 'yuanhui: 12 working days left', left);
    // The land step alone ran the clock to today, past 38: the flag it
    // raised fades out once the permit stops the clock.
    check(await shown(page, 'approval-overrun', 'hidden', 5000), 'yuanhui: no overrun flag once the permit is in');
    await addStep(page, '施工图审查', '2025-10-20', '2025-10-10');
    const err = await page.getByTestId('approval-error').innerText().catch(() => '');
    check(/早于开始日期/.test(err), 'yuanhui: a step finished before it started is refused in Chinese', err);
    await page.screenshot({ path: join(shotDir, 'approval-steps.png') });
    cleanChecks(r, rec);
  } catch (e) {
    fail(`yuanhui: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, 'approval-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
}

async function admin(browser) {
  const { context, page, rec } = await openContext(browser, base, 'admin');
  try {
    await signIn(page, base, ADMIN);
    check(await shown(page, 'calendar-editor', 'visible', 30000), 'admin: the holiday calendar opens');
    const years = await page.getByTestId('calendar-years').innerText();
    check(['2024', '2025', '2026'].every((y) => years.includes(y)), 'admin: 2024, 2025 and 2026 are shipped', years);
    await page.getByTestId('calendar-years').getByText('2025').click();
    await page.getByTestId('calendar-summary').getByText('国办发明电〔2024〕12号').waitFor({ state: 'visible', timeout: 10000 });
    const n = await page.getByTestId('calendar-workdays').innerText();
    check(n.trim() === '248', 'admin: 2025 has 248 working days', n);
    const rows = await page.locator('[data-testid=calendar-days] .el-table__body tr').count();
    check(rows === 33, 'admin: 2025 lists 28 holidays and 5 make-up days', String(rows));
    await page.screenshot({ path: join(shotDir, 'approval-calendar.png') });
    cleanChecks(r, rec);
  } catch (e) {
    fail(`admin: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, 'approval-admin-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
}

await runInChromium(r, 'approval e2e', base, shotDir, async (browser) => {
  await district(browser);
  await admin(browser);
});
