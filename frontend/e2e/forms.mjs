#!/usr/bin/env node
// Browser test of the project forms and the audit log (issue 14: future
// months accepted, the audit filter's invented table names, form edge
// cases) against a running onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/forms.mjs <baseURL> <screenshotDir>
//
// As the district user it opens the monthly report of an own project: the
// month picker offers this month (in Luohe) and earlier months of the
// project's life only, a project not started yet cannot be reported, the
// server refuses a month still to come; a too large amount is named with
// its field and limit while typing, a progress note over its limit is
// counted and refused, not cut, and nothing reaches the server until it
// is mended. As the administrator it filters the audit log by a table
// offered by its Chinese name and reads the report just made: the table,
// action and columns in Chinese, the time in Asia/Shanghai as
// 2026-11-29 14:03 (the browser runs in another time zone), the change as
// label: old → new. Both browsers run in New York time, so a time shown
// in the browser's zone would be caught. Writes a monthly report: give it
// a freshly seeded database. One PASS/FAIL line per check; exit status 1
// on any failure.
import { join, resolve } from 'node:path';
import {
  TIMEOUT, apiStatus, baseURL, cleanChecks, field, limit, openContext, report, runInChromium, shown, signIn, waitIdle,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { fail, info, check } = r;
limit(8, 'forms e2e');

const ZONE = 'America/New_York'; // the browsers' zone, not the city's
const DISTRICT = { username: 'yuanhui', password: 'luohe-yuanhui-2026', start: 'projects' };
const ADMIN = { username: 'admin', password: 'luohe-admin-2026', start: 'admin/audit' };
const short = (e) => String(e?.message || e).split('\n')[0];

/** cityTime formats a time as the city reads it: 2026-11-29 14:03. */
function cityTime(s) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(s)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
const thisMonth = cityTime(Date.now()).slice(0, 7);

/** errorAt answers the error shown under the form item holding test id,
 * once one is shown. */
async function errorAt(page, id) {
  const el = page.locator('.el-form-item', { has: page.getByTestId(id) }).locator('.el-form-item__error');
  return el.waitFor({ state: 'visible', timeout: 5000 }).then(() => el.innerText(), () => '');
}

/** openReport opens the monthly report of a listed project. */
async function openReport(page, id) {
  if (await page.getByTestId('project-form').isVisible().catch(() => false)) {
    await page.keyboard.press('Escape');
    await shown(page, 'project-form', 'hidden');
  }
  await page.locator(`[data-testid=projects-list] .project-item[data-id="${id}"]`).click();
  await page.getByTestId('project-edit').waitFor({ state: 'visible', timeout: 10000 });
  await page.getByTestId('project-edit').click();
  await page.getByTestId('project-form').waitFor({ state: 'visible', timeout: 10000 });
  await page.getByRole('tab', { name: '月度填报' }).click();
  await page.getByTestId('report-form').waitFor({ state: 'visible', timeout: 10000 });
}

async function district(browser) {
  const { context, page, rec } = await openContext(browser, base, 'yuanhui', { timezoneId: ZONE });
  try {
    await signIn(page, base, DISTRICT);
    check(await waitIdle(page) !== null, 'yuanhui: map idle after signing in', `not within ${TIMEOUT} ms`);
    const items = page.locator('[data-testid=projects-list] .project-item');
    await items.first().waitFor({ state: 'visible', timeout: 30000 });
    const ids = await items.evaluateAll((els) => els.map((e) => Number(e.dataset.id)));
    const projects = [];
    for (const id of ids.slice(0, 60)) projects.push((await apiStatus(page, 'GET', `/api/projects/${id}`)).json);
    const open = projects.find((p) => p?.stage === 'building' && p.report_last === thisMonth && (!p.report_first || p.report_first <= thisMonth));
    const later = projects.find((p) => p?.report_first && p.report_first > p.report_last);
    if (!check(Boolean(open && later), `yuanhui: a building project and one not started listed (${open?.id}, ${later?.id})`)) return;

    // Issue 14: 2030-05 was accepted for a project planned for 2028.
    const future = await apiStatus(page, 'PUT', `/api/projects/${open.id}/progress/2030-05`, { planned: '1', invested: '2100' });
    check(future.status === 400 && future.json?.error?.message?.includes('未来月份'),
      `yuanhui: the server refuses a report for 2030-05 (${future.status} ${future.json?.error?.message})`);

    await openReport(page, open.id);
    const month = await field(page, 'report-month').inputValue();
    check(month === thisMonth, `yuanhui: the report opens on this month in Luohe (${month}, want ${thisMonth})`);
    await field(page, 'report-month').click();
    const cells = page.locator('.el-month-table td');
    await cells.first().waitFor({ state: 'visible', timeout: 5000 });
    const disabled = await cells.evaluateAll((tds) => tds.map((td) => td.classList.contains('disabled')));
    const m = Number(thisMonth.slice(5));
    const first = open.report_first && open.report_first.slice(0, 4) === thisMonth.slice(0, 4) ? Number(open.report_first.slice(5)) : 1;
    const want = disabled.map((_, i) => i + 1 > m || i + 1 < first);
    check(disabled.length === 12 && disabled.every((d, i) => d === want[i]),
      `yuanhui: the month picker offers ${thisMonth.slice(0, 4)}-${String(first).padStart(2, '0')} to ${thisMonth} only`, JSON.stringify(disabled));
    await page.keyboard.press('Escape');

    // Amounts: the field and the limit, while typing.
    await field(page, 'report-planned').fill('12.345');
    const plannedErr = await errorAt(page, 'report-planned');
    check(plannedErr.includes('本月计划投资须为非负金额'), `yuanhui: a bad amount is named while typing (${plannedErr})`);
    await field(page, 'report-planned').fill('1200');
    await field(page, 'report-invested').fill('1000000000000');
    const investedErr = await errorAt(page, 'report-invested');
    check(investedErr.includes('本月完成投资不能超过 100,000,000 万元'), `yuanhui: a too large amount says its field and limit (${investedErr})`);

    // The progress note: counted, not cut, refused over the limit.
    const long = '进'.repeat(2001);
    await field(page, 'report-note').fill(long);
    const kept = (await field(page, 'report-note').inputValue()).length;
    check(kept === 2001, `yuanhui: a note of 2,001 characters is kept, not cut (${kept})`);
    const count = page.getByTestId('report-note-count');
    const countText = (await count.innerText()).replace(/\s+/g, ' ').trim();
    check(countText === '2001 / 2000' && await count.evaluate((e) => e.classList.contains('over')),
      `yuanhui: the note counts its characters against the limit (${countText})`);
    const noteErr = await errorAt(page, 'report-note');
    check(noteErr.includes('形象进度不能超过 2000 字（现有 2001 字）'), `yuanhui: the note over its limit says so (${noteErr})`);

    let puts = 0;
    const onRequest = (q) => { if (q.method() === 'PUT' && q.url().includes('/progress/')) puts++; };
    page.on('request', onRequest);
    await page.getByTestId('report-submit').click();
    const refused = await page.getByTestId('report-error').innerText({ timeout: 5000 }).catch(() => '');
    check(refused.includes('请先改正') && puts === 0, `yuanhui: nothing is sent while a field is wrong (${refused}, ${puts} PUT)`);
    page.off('request', onRequest);

    await field(page, 'report-invested').fill('980');
    await field(page, 'report-note').fill(long.slice(1));
    check(await errorAt(page, 'report-note') === '' || !await page.locator('.el-form-item__error').first().isVisible(),
      'yuanhui: a note of 2,000 characters is accepted');
    const put = page.waitForResponse((q) => q.url().includes(`/api/projects/${open.id}/progress/${thisMonth}`) && q.request().method() === 'PUT', { timeout: 10000 });
    await page.getByTestId('report-submit').click();
    const res = await put.catch(() => null);
    check(res?.status() === 204, `yuanhui: the mended report is saved (PUT ${res?.status()})`,
      await page.getByTestId('report-error').innerText().catch(() => ''));

    await page.getByRole('tab', { name: '基本信息' }).click();
    if (await field(page, 'project-plan').isVisible().catch(() => false)) {
      await field(page, 'project-plan').fill('1000000000000');
      const planErr = await errorAt(page, 'project-plan');
      check(planErr.includes('年度计划不能超过 100,000,000 万元'), `yuanhui: the annual plan says its field and limit (${planErr})`);
    } else {
      fail('yuanhui: the annual plan is not in the project form');
    }
    await page.screenshot({ path: join(shotDir, 'forms-limits.png') });

    await openReport(page, later.id);
    const hint = await page.getByTestId('report-months').innerText();
    check(hint.includes(later.report_first) && hint.includes('开工后方可填报') && await page.getByTestId('report-submit').isDisabled(),
      `yuanhui: a project starting ${later.report_first} cannot be reported yet (${hint})`);
    await page.screenshot({ path: join(shotDir, 'forms-not-started.png') });
    cleanChecks(r, rec);
  } catch (e) {
    fail(`yuanhui: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, 'forms-yuanhui-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
}

async function admin(browser) {
  const { context, page, rec } = await openContext(browser, base, 'admin', { timezoneId: ZONE });
  try {
    await signIn(page, base, ADMIN);
    await shown(page, 'audit-table-rows');
    await field(page, 'audit-table').click();
    const option = page.getByTestId('audit-table-project_progress');
    await option.waitFor({ state: 'visible', timeout: 10000 });
    const labels = await page.locator('.el-select-dropdown__item:visible').allInnerTexts();
    check(labels.includes('项目月度进度') && labels.includes('重点项目') && labels.includes('用户') && !labels.some((l) => /^[a-z_]+$/.test(l)),
      `admin: the audit filter offers the audited tables by Chinese name (${labels.length}: ${labels.slice(0, 6).join('、')}…)`);
    await option.click();
    await page.getByTestId('audit-search').click();
    const rows = page.locator('[data-testid=audit-table-rows] .el-table__body-wrapper tr.el-table__row');
    const found = await page.waitForFunction(() => {
      const trs = document.querySelectorAll('[data-testid=audit-table-rows] .el-table__body-wrapper tr.el-table__row');
      return trs.length > 0 && [...trs].every((tr) => tr.innerText.includes('项目月度进度'));
    }, null, { timeout: 10000 }).then(() => true, () => false);
    check(found, `admin: 项目月度进度 finds the monthly reports (${await rows.count()} rows)`);
    const api = await apiStatus(page, 'GET', '/api/audit?table=project_progress&limit=1');
    const entry = api.json?.entries?.[0];
    const cellsOf = await rows.first().locator('td').allInnerTexts();
    const text = cellsOf.join(' | ');
    info(`first row: ${text.slice(0, 240)}`);
    check(entry && cellsOf[0].trim() === cityTime(entry.at),
      `admin: the time is shown in Asia/Shanghai (${cellsOf[0]?.trim()}, want ${entry && cityTime(entry.at)} for ${entry?.at})`);
    check(/新增|修改/.test(text) && !/project_progress|\binsert\b|\bupdate\b/.test(text), 'admin: the table and the action are shown in Chinese', text.slice(0, 200));
    check(/本月完成投资\(万元\)/.test(text) && /形象进度/.test(text) && !/\binvested\b|\bprogress_note\b/.test(text),
      'admin: the columns are shown by their labels', text.slice(0, 300));
    check(/本月完成投资\(万元\)\s+([\d.]+\s+→\s+)?980\b/.test(text), `admin: the ${entry?.action} reads label: old → new`, text.slice(0, 300));
    await page.screenshot({ path: join(shotDir, 'forms-audit.png') });
    cleanChecks(r, rec);
  } catch (e) {
    fail(`admin: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, 'forms-admin-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
}

await runInChromium(r, 'forms e2e', base, shotDir, async (browser) => {
  info(`this month in Luohe: ${thisMonth}`);
  await district(browser);
  await admin(browser);
});
