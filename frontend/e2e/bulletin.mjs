#!/usr/bin/env node
// Browser test of the monthly bulletin's page (issue 15) against a
// running onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/bulletin.mjs <baseURL> <outDir>
//
// The demo leader opens the bulletin of June 2026 (/bulletins/2026-06),
// whose numbers GET /api/bulletins/2026-06.json gives; the page offers
// the month picker and the workbook of the month. It prints the page to
// PDF in headless Chromium (page.pdf, as the browser's print does) and
// reads the PDF with Debian's poppler-utils: pdfinfo for A4 portrait
// pages, pdftotext for the title, the month, the totals as the API gives
// them and a district of the ranking, and none of the app's header and
// buttons; pdftoppm for the first page's map, whose projects are drawn
// red, yellow and green where the print layout puts the map. Reads only.
// The PDF and the page image go to outDir.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { apiStatus, baseURL, cleanChecks, limit, openContext, pdfPage1, report, runInChromium, signIn } from './harness.mjs';

const base = baseURL(process.argv[2]);
const outDir = resolve(process.argv[3] || 'bulletin');
const r = report();
const { check, info } = r;
limit(5, 'bulletin e2e');

const MONTH = '2026-06';
const DPI = 100; // the page image's resolution
const MM = 96 / 25.4; // CSS pixels per millimetre

/** grouped writes an API decimal with its thousands grouped, as the page
 * does: 1,234,567.89. */
function grouped(v) {
  const [int, frac] = String(v).split('.');
  const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? g : `${g}.${frac}`;
}

/** count counts, in a region in millimetres from the page's top left
 * corner, the pixels near each of the colours (name → [r, g, b]), the
 * blank (near white) ones and all. */
function count(img, { x, y, width, height }, colours) {
  const px = (mm) => Math.round(mm * DPI / 25.4);
  const out = { total: 0, blank: 0 };
  for (const k of Object.keys(colours)) out[k] = 0;
  const near = (c, o, d) => Math.max(...c.map((v, k) => Math.abs(v - o[k]))) <= d;
  for (let j = Math.max(0, px(y)); j < Math.min(img.height, px(y + height)); j++) {
    for (let i = Math.max(0, px(x)); i < Math.min(img.width, px(x + width)); i++) {
      const c = img.at(i, j);
      out.total++;
      if (near(c, [255, 255, 255], 8)) out.blank++;
      for (const [k, o] of Object.entries(colours)) if (near(c, o, 40)) out[k]++;
    }
  }
  return out;
}

await runInChromium(r, 'bulletin e2e', base, outDir, async (browser) => {
  const { page, rec } = await openContext(browser, base, 'leader');
  await signIn(page, base, { username: 'leader', password: 'luohe-leader-2026', start: '' });
  const { status, json: b } = await apiStatus(page, 'GET', `/api/bulletins/${MONTH}.json`);
  if (!check(status === 200 && b.total.count > 0, `the bulletin of ${MONTH} answers with projects`, String(status))) return;
  const reds = b.lagging.filter((s) => s.warning_level === 'red').length;
  const yellows = b.lagging.filter((s) => s.warning_level === 'yellow').length;
  info(`${b.total.count} projects, ${b.districts.length} districts, ${reds} red, ${yellows} yellow, ${b.blockers.length} blockers`);

  await page.goto(new URL(`bulletins/${MONTH}`, base).href, { waitUntil: 'load', timeout: 60000 });
  const sheet = page.locator('[data-testid=bulletin-sheet][data-ready=true]');
  if (!check(await sheet.waitFor({ state: 'visible', timeout: 60000 }).then(() => true, () => false), 'the bulletin page is drawn with its map')) return;
  const href = await page.getByTestId('bulletin-xlsx').getAttribute('href');
  check(href === `/api/bulletins/${MONTH}.xlsx`, 'the page offers the month\'s workbook', href);
  const xlsx = await page.evaluate(async (u) => {
    const res = await fetch(u, { credentials: 'same-origin' });
    return { status: res.status, type: res.headers.get('Content-Type') };
  }, href);
  check(xlsx.status === 200 && /spreadsheetml/.test(xlsx.type), 'the workbook downloads', JSON.stringify(xlsx));
  const picker = await page.locator('[data-testid=bulletin-month] input').first().inputValue();
  check(picker === MONTH, 'the month picker shows the month', picker);
  check(await page.getByTestId('total-count').innerText() === String(b.total.count), 'the page shows the API\'s project count');

  // Where the map lies on paper, in print media.
  await page.emulateMedia({ media: 'print' });
  const where = await page.evaluate((mm) => {
    const rule = [...document.styleSheets].flatMap((s) => [...s.cssRules]).find((x) => x instanceof CSSPageRule && /^@page\s+bulletin\b/.test(x.cssText));
    const margin = rule ? parseFloat(rule.style.marginTop) || 0 : 0;
    const el = document.querySelector('[data-testid=bulletin-canvas]').getBoundingClientRect();
    return { margin, size: rule?.style.size, map: { x: margin + el.x / mm, y: margin + el.y / mm, width: el.width / mm, height: el.height / mm } };
  }, MM);
  await page.emulateMedia({ media: null });
  info(`@page ${where.size}, margin ${where.margin} mm; map at ${JSON.stringify(where.map)}`);

  const pdf = join(outDir, `bulletin-${MONTH}.pdf`);
  await page.pdf({ path: pdf, preferCSSPageSize: true });
  const pdfinfo = execFileSync('pdfinfo', [pdf]).toString();
  const pages = Number(pdfinfo.match(/^Pages:\s+(\d+)/m)?.[1]);
  const size = pdfinfo.match(/^Page size:\s+([\d.]+) x ([\d.]+) pts/m);
  check(size && Math.abs(size[1] - 595) < 2 && Math.abs(size[2] - 842) < 2, 'the pages are A4 portrait (595 × 842 pt)',
    size ? `${size[1]} × ${size[2]} pt` : pdfinfo);
  check(pages >= 2, `the bulletin runs to ${pages} pages, its sections after the first page`);

  const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-']).toString().replace(/\s+/g, '');
  const all = execFileSync('pdftotext', ['-layout', pdf, '-']).toString().replace(/\s+/g, '');
  const [y, m] = MONTH.split('-');
  for (const [label, s] of [
    ['the title', '重点项目建设月度通报'], ['the month', `${y}年${Number(m)}月`], ['the project count', `项目个数${b.total.count}`],
    ['the total investment', `总投资${grouped(b.total.total_investment)}`], ['the investment this year', grouped(b.total.invested)],
    ['the completion rate', `${b.rate}%`], ['the map\'s caption', '重点项目预警分布图'],
  ]) {
    check(first.includes(s), `page 1 shows ${label} (${s})`, first.slice(0, 200));
  }
  check(all.includes(`1${b.districts[0].label}`), `the ranking puts ${b.districts[0].label} first`);
  // A name wraps in its cell, next to the following cells' text: the
  // start of each is looked for.
  const start = (s, n) => s.replace(/\s+/g, '').slice(0, n);
  const unlisted = (rows, text) => rows.filter((x) => !all.includes(start(text(x), 6)));
  check(all.includes(`三、滞后项目（${b.lagging.length}个）`), `the lagging projects are counted (${b.lagging.length})`);
  const lagging = unlisted(b.lagging, (s) => s.name);
  check(lagging.length === 0, 'every lagging project is listed', lagging.map((s) => s.name).slice(0, 3).join('、'));
  const reasons = unlisted(b.lagging, (s) => s.warning_reason);
  check(reasons.length === 0, 'with its reason', reasons.map((s) => s.warning_reason).slice(0, 3).join('、'));
  const blockers = unlisted(b.blockers, (x) => x.note);
  check(all.includes(`六、未解决的协调问题（${b.blockers.length}个`) && blockers.length === 0,
    `the ${b.blockers.length} open blockers are listed`, blockers.map((x) => x.note).slice(0, 3).join('、'));
  const chrome = ['退出', '修改密码', '驾驶舱', '下载Excel', '打印', '返回'].filter((w) => all.includes(w));
  check(chrome.length === 0, 'no header or buttons of the app on paper', chrome.join('、'));

  const img = pdfPage1(pdf, DPI);
  const px = count(img, where.map, { red: [0xc6, 0x28, 0x28], yellow: [0xf5, 0xb8, 0x00], green: [0x2e, 0x7d, 0x32] });
  info(`map pixels: ${JSON.stringify(px)}`);
  check(px.blank < 0.5 * px.total, 'the map area is drawn', `${px.blank} of ${px.total} blank`);
  check(px.green > 20, 'projects on schedule are green on the map', String(px.green));
  check(reds === 0 || px.red > 5, `the ${reds} red projects are red on the map`, String(px.red));
  check(yellows === 0 || px.yellow > 5, `the ${yellows} yellow projects are yellow on the map`, String(px.yellow));
  const top = count(img, { x: 0, y: 0, width: 210, height: where.margin }, {});
  check(top.blank === top.total, 'nothing above the page margin (no app header)', `${top.total - top.blank} inked`);
  cleanChecks(r, rec);
});
