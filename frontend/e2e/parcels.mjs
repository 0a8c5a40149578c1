#!/usr/bin/env node
// Browser test of parks and parcels (issue 17) against a running onemap
// server seeded with `onemap seed`:
//
//   node frontend/e2e/parcels.mjs <baseURL> <outDir>
//
// The demo investment user opens 招商, edits a parcel in the list of
// parks and parcels (its name, and its supply status with a reason),
// opens its brochure (招商推介单页) and prints it to PDF in headless
// Chromium (page.pdf, print media); poppler-utils read it: one A4
// portrait page holding the title, the new name and status and the
// distances to transport. Then a share link of the parcel opens as a
// firm, and its brochure is one click away. Writes a parcel: give it a
// freshly seeded database. One PASS/FAIL line per check; exit status 1 on
// any failure.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { apiStatus, baseURL, cleanChecks, field, limit, openContext, report, runInChromium, shown, signIn } from './harness.mjs';

const base = baseURL(process.argv[2]);
const outDir = resolve(process.argv[3] || 'parcels');
const r = report();
const { check, info } = r;
limit(4, 'parcels e2e');
const INVEST = { username: 'invest', password: 'luohe-invest-2026', start: 'invest' };
const NAME = '端到端推介地块';
const REASON = '征收拆迁完成，场地已平整';

/** pdfText prints the page to PDF and answers pdfinfo's page count and
 * size and the text (blanks removed). */
async function pdfText(page, name) {
  const pdf = join(outDir, name);
  await page.pdf({ path: pdf, preferCSSPageSize: true });
  const pdfinfo = execFileSync('pdfinfo', [pdf]).toString();
  const size = pdfinfo.match(/^Page size:\s+([\d.]+) x ([\d.]+) pts/m);
  return {
    pages: Number(pdfinfo.match(/^Pages:\s+(\d+)/m)?.[1]),
    a4: Boolean(size && Math.abs(size[1] - 595) < 2 && Math.abs(size[2] - 842) < 2),
    text: execFileSync('pdftotext', ['-layout', pdf, '-']).toString().replace(/\s+/g, ''),
  };
}

await runInChromium(r, 'parcels e2e', base, outDir, async (browser) => {
  const { page, rec } = await openContext(browser, base, 'invest');
  await signIn(page, base, INVEST);
  const list = await apiStatus(page, 'GET', '/api/parcels');
  const p = (list.json || []).find((x) => x.park_id && x.supply_status === 'planned');
  if (!check(list.status === 200 && p, 'the demo has a planned parcel in a park', String(list.status))) return;
  info(`parcel ${p.id} ${p.code} in ${p.park}`);

  // The form: a new name and status, with the reason the change needs.
  await page.getByTestId('sites-park').click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: p.park, exact: true }).click();
  const item = page.locator(`[data-testid=site-item][data-id="${p.id}"]`);
  await item.waitFor({ state: 'visible', timeout: 15000 });
  await item.getByTestId('site-edit').click();
  if (!check(await shown(page, 'site-form'), 'the parcel\'s form opens')) return;
  await field(page, 'site-code').waitFor({ state: 'visible' });
  await page.waitForFunction((code) => document.querySelector('input[data-testid=site-code]')?.value === code, p.code, { timeout: 10000 });
  await field(page, 'site-name').fill(NAME);
  await page.getByTestId('site-supply_status').click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '净地可供', exact: true }).click();
  await page.getByTestId('site-save').click();
  const refused = await page.getByTestId('site-field-errors').innerText({ timeout: 10000 }).catch(() => '');
  check(refused.includes('须填写原因'), 'a status change without a reason is refused in Chinese', refused);
  await field(page, 'site-supply_reason').fill(REASON);
  const patched = page.waitForResponse((res) => res.request().method() === 'PATCH' && res.url().endsWith(`/api/parcels/${p.id}`), { timeout: 30000 });
  await page.getByTestId('site-save').click();
  check((await patched).status() === 200, 'the change with its reason is taken');
  const saved = await apiStatus(page, 'GET', `/api/parcels/${p.id}`);
  check(saved.json?.name === NAME && saved.json?.supply_status === 'ready' && saved.etag === '"v2"', 'the parcel is saved as version 2',
    JSON.stringify([saved.json?.name, saved.json?.supply_status, saved.etag]));
  const hist = await apiStatus(page, 'GET', `/api/parcels/${p.id}/supply`);
  const last = hist.json?.at(-1);
  check(last?.from === 'planned' && last?.to === 'ready' && last?.reason === REASON && last?.actor === 'invest',
    'the supply history keeps the change with its reason', JSON.stringify(last));
  await page.getByRole('tab', { name: '供应状态记录' }).click();
  check(await page.getByTestId('site-history').innerText().then((s) => s.includes(REASON), () => false), 'the form lists the history');
  await page.keyboard.press('Escape');

  // The brochure, printed.
  await item.getByTestId('site-brochure').click();
  const sheet = page.locator('[data-testid=brochure-sheet][data-ready=true]');
  if (!check(await sheet.waitFor({ state: 'visible', timeout: 60000 }).then(() => true, () => false), 'the brochure is drawn with its map')) return;
  const inked = await page.evaluate(() => {
    const c = document.querySelector('[data-testid=brochure-canvas]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 120 && d[i + 2] < 90) n++; // the parcel's orange-red
    return n / (d.length / 4);
  });
  check(inked > 0.001, `the map shows the parcel's outline (${(inked * 100).toFixed(2)}% of its pixels)`);
  const pdf = await pdfText(page, 'brochure.pdf');
  check(pdf.a4 && pdf.pages === 1, 'the brochure prints on one A4 portrait page', `${pdf.pages} pages`);
  for (const [what, s] of [['the title', '招商推介单页'], ['the parcel\'s new name', NAME], ['its code', p.code], ['its status', '净地可供'],
    ['the distances', '高速出入口'], ['the park\'s industries', '主导产业'], ['the date', '制作日期']]) {
    check(pdf.text.includes(s), `the PDF shows ${what} (${s})`, pdf.text.slice(0, 160));
  }
  check(!pdf.text.includes('打印') && !pdf.text.includes('返回'), 'the PDF has none of the page\'s buttons');
  cleanChecks(r, rec);

  // A share link of the parcel, opened as a firm: the brochure is a click away.
  const share = await apiStatus(page, 'POST', '/api/shares', {
    title: '端到端考察', parcel_ids: [p.id], fields: ['code', 'name', 'supply_status', 'area_mu'], expires_in_days: 7,
  });
  if (!check(share.status === 201, 'a share link of the parcel is made', String(share.status))) return;
  const firm = await openContext(browser, base, 'firm');
  await firm.page.goto(share.json.url, { waitUntil: 'load', timeout: 60000 });
  const link = firm.page.locator(`[data-testid=share-item][data-id="${p.id}"] [data-testid=share-brochure]`);
  if (!check(await link.waitFor({ state: 'visible', timeout: 30000 }).then(() => true, () => false), 'the shared parcel offers its brochure')) return;
  const href = await link.getAttribute('href');
  check(href === `${new URL(share.json.url).pathname}/brochures/parcels/${p.id}`, 'the link leads to the parcel\'s brochure', href);
  await link.click({ timeout: 60000 });
  const shared = firm.page.locator('[data-testid=brochure-sheet][data-ready=true]');
  check(await shared.waitFor({ state: 'visible', timeout: 60000 }).then(() => true, () => false), 'the firm opens the brochure');
  const title = await firm.page.getByTestId('brochure-title').innerText().catch(() => '');
  check(title === NAME, 'with the parcel\'s name', title);
  cleanChecks(r, firm.rec);
});
