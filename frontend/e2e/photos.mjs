#!/usr/bin/env node
// Browser test of the monthly report's photos (issue 15) against a running
// onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/photos.mjs <baseURL> <screenshotDir>
//
// The 源汇区 district user files this month's report of one of the
// district's projects and attaches a photo taken 130 m from its point: a JPEG
// drawn by Chromium here and given real EXIF (GPS position, time taken,
// camera make and serial number) by this script. The thumbnail shows in
// the form, the photo's dot sits on the form's map at the GPS position,
// and clicking it shows the thumbnail; so do the project's panel and the
// main map; the image the server answers holds no serial number. Writes a report and a photo: give it a freshly seeded
// database. One PASS/FAIL line per check; exit status 1 on any failure.
import { join, resolve } from 'node:path';
import { withExif } from './exif.mjs';
import { apiStatus, baseURL, cleanChecks, field, limit, openContext, report, runInChromium, shown, signIn, waitIdle } from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
const r = report();
const { check, info, fail } = r;
limit(6, 'photos e2e');

const DISTRICT = { username: 'yuanhui', password: 'luohe-yuanhui-2026', start: 'projects' };
const SERIAL = 'SN-E2E-4711';
const thisMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());

async function district(browser) {
  const { context, page, rec } = await openContext(browser, base, 'yuanhui', { timezoneId: 'America/New_York' });
  try {
    await signIn(page, base, DISTRICT);
    // A project of 源汇区 that may be reported this month.
    const { json: list } = await apiStatus(page, 'GET', '/api/projects?district=411102&limit=60');
    let project = null;
    for (const p of list || []) {
      const { json } = await apiStatus(page, 'GET', `/api/projects/${p.id}`);
      if (json?.report_last === thisMonth && (!json.report_first || json.report_first <= thisMonth)) { project = json; break; }
    }
    if (!check(Boolean(project), `yuanhui: a project of 源汇区 open for ${thisMonth}`)) return;
    info(`${project.id} ${project.name} at ${project.lon}, ${project.lat}`);

    // The photo: drawn by Chromium, EXIF written here, 130 m north-east.
    const dataURL = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 640;
      c.height = 480;
      const g = c.getContext('2d');
      const grad = g.createLinearGradient(0, 0, 640, 480);
      grad.addColorStop(0, '#6a8caf');
      grad.addColorStop(1, '#c9b37e');
      g.fillStyle = grad;
      g.fillRect(0, 0, 640, 480);
      g.fillStyle = '#333';
      g.fillRect(80, 200, 480, 200);
      return c.toDataURL('image/jpeg', 0.85);
    });
    const drawn = new Uint8Array(Buffer.from(dataURL.split(',')[1], 'base64'));
    const photo = withExif(drawn, project.lon + 0.001, project.lat + 0.0008, SERIAL);
    check(Buffer.from(photo.jpeg).includes(SERIAL), 'the upload carries EXIF with a serial number');

    // The form: this month's report, then the photo.
    await page.goto(new URL(`projects#15/${project.lat}/${project.lon}`, base).href);
    await waitIdle(page);
    await page.locator(`[data-testid=projects-list] .project-item[data-id="${project.id}"]`).click({ timeout: 30000 });
    // The panel may still be settling as the map eases to the project:
    // click 编辑 until the form shows.
    for (let i = 0; i < 3 && !await page.getByTestId('project-form').isVisible(); i++) {
      await page.getByTestId('project-edit').click({ timeout: 10000 }).catch(() => {});
      await shown(page, 'project-form', 'visible', 5000);
    }
    await page.getByRole('tab', { name: '月度填报' }).click();
    await page.getByTestId('report-form').waitFor({ state: 'visible', timeout: 10000 });
    check(await field(page, 'report-month').inputValue() === thisMonth, `yuanhui: the report opens on ${thisMonth}`);
    await field(page, 'report-planned').fill('800');
    await field(page, 'report-invested').fill('820');
    await field(page, 'report-note').fill('主体结构施工，现场照片见附件');
    const put = page.waitForResponse((q) => q.url().includes(`/progress/${thisMonth}`) && q.request().method() === 'PUT', { timeout: 10000 });
    await page.getByTestId('report-submit').click();
    check((await put.catch(() => null))?.status() === 204, 'yuanhui: this month\'s report is saved');

    await shown(page, 'report-photos');
    await field(page, 'photo-caption').fill('塔吊作业面');
    const post = page.waitForResponse((q) => q.url().endsWith(`/progress/${thisMonth}/photos`) && q.request().method() === 'POST', { timeout: 20000 });
    await page.getByTestId('photo-input').setInputFiles({ name: 'IMG_20261120_103000.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo.jpeg) });
    const res = await post.catch(() => null);
    const made = await res?.json().catch(() => null);
    check(res?.status() === 201, `yuanhui: the photo is uploaded (${res?.status()})`, await page.getByTestId('photo-error').innerText().catch(() => ''));
    if (!made) return;
    check(Math.abs(made.lon - photo.lon) < 1e-7 && Math.abs(made.lat - photo.lat) < 1e-7 && !made.far_from_site,
      `yuanhui: the server read the GPS position (${made.lon}, ${made.lat}; ${Math.round(made.site_distance_m)} m from the project)`);

    // The thumbnail in the form.
    const thumb = page.locator(`[data-testid=photo-item][data-photo-id="${made.id}"] img`);
    await thumb.waitFor({ state: 'visible', timeout: 10000 });
    const natural = await thumb.evaluate((img) => (img.complete ? img.naturalWidth : new Promise((ok) => { img.onload = () => ok(img.naturalWidth); img.onerror = () => ok(0); })));
    check(natural === 320, `yuanhui: the thumbnail shows (${natural} px wide)`);
    const caption = await page.locator(`[data-testid=photo-item][data-photo-id="${made.id}"] figcaption`).innerText();
    check(caption.includes('塔吊作业面') && caption.includes('2026-11-20 10:30'),
      `yuanhui: the caption and the time taken, in Luohe's time, show with it (${caption.replace(/\s+/g, ' ')})`);

    // Its dot on the form's map, where the photo was taken.
    await page.waitForFunction((id) => window.__onemapPhotos?.markers.some((m) => m.id === id), made.id, { timeout: 10000 });
    await waitIdle(page, { global: '__onemapPhotos' });
    const at = await page.evaluate((id) => {
      const { map, markers } = window.__onemapPhotos;
      const m = markers.find((x) => x.id === id);
      const px = map.project(m.lngLat);
      const box = map.getContainer().getBoundingClientRect();
      const el = document.querySelector(`[data-testid=photo-map] [data-testid=photo-marker][data-photo-id="${id}"]`).getBoundingClientRect();
      return {
        lngLat: m.lngLat, dx: el.left + el.width / 2 - (box.left + px.x), dy: el.top + el.height / 2 - (box.top + px.y),
        inside: px.x > 0 && px.y > 0 && px.x < box.width && px.y < box.height,
      };
    }, made.id);
    check(Math.abs(at.lngLat[0] - photo.lon) < 1e-7 && Math.abs(at.lngLat[1] - photo.lat) < 1e-7,
      `yuanhui: the photo's dot is at its GPS position (${at.lngLat.join(', ')})`);
    check(at.inside && Math.abs(at.dx) < 2 && Math.abs(at.dy) < 2, `yuanhui: the dot is drawn there on the map (off by ${at.dx.toFixed(1)}, ${at.dy.toFixed(1)} px)`);
    await page.locator(`[data-testid=photo-map] [data-testid=photo-marker][data-photo-id="${made.id}"]`).click();
    const pop = page.locator('[data-testid=photo-map] [data-testid=photo-popup] img');
    await pop.waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
    const popped = await pop.evaluate((img) => (img.complete ? img.naturalWidth : new Promise((ok) => { img.onload = () => ok(img.naturalWidth); img.onerror = () => ok(0); }))).catch(() => 0);
    check(popped === 320, `yuanhui: clicking the dot shows the thumbnail (${popped} px)`);
    await page.screenshot({ path: join(shotDir, 'photos-form.png') });

    // The project's panel on the main map: the thumbnail, and the dot
    // where the photo was taken, which shows it when clicked.
    await page.keyboard.press('Escape');
    await shown(page, 'project-form', 'hidden');
    const panelThumb = page.locator('[data-testid=project-photos] img').first();
    check(await panelThumb.waitFor({ state: 'visible', timeout: 10000 }).then(() => true, () => false), 'yuanhui: the project\'s panel shows the photo');
    await page.evaluate(([lon, lat]) => window.__onemap.map.jumpTo({ center: [lon, lat], zoom: 16 }), [photo.lon, photo.lat]);
    await waitIdle(page);
    const onMap = await page.evaluate(([id, lon, lat]) => {
      const map = window.__onemap.map;
      const el = document.querySelector(`[data-testid=map] [data-testid=photo-marker][data-photo-id="${id}"]`);
      if (!el) return null;
      const px = map.project([lon, lat]);
      const box = map.getContainer().getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return { dx: r.left + r.width / 2 - (box.left + px.x), dy: r.top + r.height / 2 - (box.top + px.y) };
    }, [made.id, photo.lon, photo.lat]);
    check(onMap && Math.abs(onMap.dx) < 2 && Math.abs(onMap.dy) < 2,
      `yuanhui: the main map shows the photo's dot at its GPS position (${onMap ? `off by ${onMap.dx.toFixed(1)}, ${onMap.dy.toFixed(1)} px` : 'none'})`);
    await page.locator(`[data-testid=map] [data-testid=photo-marker][data-photo-id="${made.id}"]`).click();
    const mainPop = page.locator('[data-testid=map] [data-testid=photo-popup] img');
    await mainPop.waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
    const mainPopped = await mainPop.evaluate((img) => (img.complete ? img.naturalWidth : new Promise((ok) => { img.onload = () => ok(img.naturalWidth); img.onerror = () => ok(0); }))).catch(() => 0);
    check(mainPopped === 320, `yuanhui: clicking it shows the thumbnail (${mainPopped} px)`);
    await page.screenshot({ path: join(shotDir, 'photos-map.png') });

    // What the server keeps: no serial number.
    const clean = await page.evaluate(async ([id, pid, serial]) => {
      const res = await fetch(`/api/projects/${id}/photos/${pid}`, { credentials: 'same-origin' });
      const text = new TextDecoder('latin1').decode(await res.arrayBuffer());
      return { type: res.headers.get('Content-Type'), serial: text.includes(serial), exif: text.includes('HUAWEI') };
    }, [project.id, made.id, SERIAL]);
    check(clean.type === 'image/jpeg' && !clean.serial && !clean.exif, `yuanhui: the stored image has no camera make or serial number (${JSON.stringify(clean)})`);
    cleanChecks(r, rec);
  } catch (e) {
    fail(`yuanhui: ${String(e?.message || e).split('\n')[0]}`);
    await page.screenshot({ path: join(shotDir, 'photos-failed.png') }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
}

await runInChromium(r, 'photos e2e', base, shotDir, district);
