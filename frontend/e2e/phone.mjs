#!/usr/bin/env node
// Browser test of the phone layout and the weak signal (issue 18) against
// a running onemap server seeded with `onemap seed`, in a 390 × 844 touch
// screen:
//
//   node frontend/e2e/phone.mjs <baseURL> <outDir>
//
// No element is wider than the screen on any route; the header is the
// title and a menu. The 源汇区 district user sorts "my projects" by the
// phone's position, files this month's report of the nearest one with a
// 3000-pixel photo carrying EXIF GPS 2 km from the site (shrunk to 2,048
// on the phone, its position kept, flagged as far), and sees it on the
// map there. With the network cut the app opens again from the service
// worker onto the list it saw; a report and a photo made then wait on the
// device (待发送) and arrive once when the network returns; a report
// changed on the server meanwhile is shown as a conflict, the server's
// kept. After signing out, an admin on the same browser finds none of the
// district user's cached answers, tiles or queue, and scores a tour's
// stop on a tablet. Writes reports, photos and a tour: give it a freshly
// seeded database. One PASS/FAIL line per check; exit status 1 on any
// failure.
import { join, resolve } from 'node:path';
import { withExif } from './exif.mjs';
import { apiStatus, baseURL, cleanChecks, field, limit, loginHere, openContext, rendered, report, runInChromium, shown, signIn, waitIdle } from './harness.mjs';

const base = baseURL(process.argv[2]);
const outDir = resolve(process.argv[3] || 'phone');
const r = report();
const { check, info } = r;
limit(6, 'phone e2e');

const DISTRICT = { username: 'yuanhui', password: 'luohe-yuanhui-2026', start: 'projects/mine' };
const ADMIN = { username: 'admin', password: 'luohe-admin-2026' };
const thisMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());

/** overflow lists the visible elements reaching past the screen's sides
 * that no clipping ancestor inside the screen holds, and the boxes that
 * scroll sideways (a table's own body aside), and whether the page does. */
function overflow(page) {
  return page.evaluate(() => {
    const W = window.innerWidth;
    const own = '.el-table, .el-scrollbar, .el-tabs__nav-wrap, .maplibregl-map, table';
    const name = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
    const bad = [];
    for (const el of document.querySelectorAll('body *')) {
      const b = el.getBoundingClientRect();
      if (!b.width || !b.height || el.closest(own)) continue;
      const cs = getComputedStyle(el);
      if (['auto', 'scroll'].includes(cs.overflowX) && el.scrollWidth > el.clientWidth + 1) bad.push(`${name(el)} scrolls sideways`);
      if (b.right <= W + 1 && b.left >= -1) continue;
      let held = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const pb = p.getBoundingClientRect();
        if (['hidden', 'clip'].includes(getComputedStyle(p).overflowX) && pb.right <= W + 1 && pb.left >= -1) { held = true; break; }
      }
      if (!held) bad.push(`${name(el)} ${Math.round(b.left)}–${Math.round(b.right)}`);
    }
    const se = document.scrollingElement;
    return { scrolls: se.scrollWidth > W + 1, bad: bad.slice(0, 5) };
  });
}

async function checkRoutes(page, who, routes) {
  for (const path of routes) {
    await page.goto(new URL(path, base).href, { waitUntil: 'load' });
    await page.waitForTimeout(1500);
    const o = await overflow(page);
    check(!o.scrolls && !o.bad.length, `${who} ${path || '/'}: nothing wider than the screen`, JSON.stringify(o));
  }
}

/** photo draws a w × h JPEG in the page and gives it EXIF at lon, lat. */
async function photo(page, w, h, lon, lat) {
  const dataURL = await page.evaluate(([w, h]) => {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const g = c.getContext('2d');
    g.fillStyle = '#6a8caf';
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#333';
    g.fillRect(w / 8, h / 3, w / 2, h / 3);
    return c.toDataURL('image/jpeg', 0.8);
  }, [w, h]);
  return withExif(new Uint8Array(Buffer.from(dataURL.split(',')[1], 'base64')), lon, lat, 'SN-PHONE');
}

/** outboxStates lists the states of the outbox's items as the page shows them. */
const outboxStates = (page) => page.evaluate(() => new Promise((res) => {
  const req = indexedDB.open('onemap-outbox', 1);
  req.onsuccess = () => {
    const all = req.result.transaction('items').objectStore('items').getAll();
    all.onsuccess = () => res(all.result.map((i) => ({ user: i.user, state: i.state, kind: i.kind })));
  };
  req.onerror = () => res(null);
}));

async function district(context, page) {
  await signIn(page, base, DISTRICT);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await checkRoutes(page, 'yuanhui', ['', 'projects', 'land', 'supervision', 'invest', 'dashboard', 'bulletins', 'projects/mine']);
  await waitIdle(page);
  check(await shown(page, 'menu-toggle'), 'the header is the title and a menu button');
  const title = await page.locator('.title').boundingBox();
  check(title && title.height < 40, `the title stays on one line (${title?.height}px high)`);
  await page.getByTestId('menu-toggle').tap();
  check(await shown(page, 'nav-field'), 'the menu holds the navigation');
  await page.screenshot({ path: join(outDir, 'menu.png'), scale: 'css' });
  await page.getByTestId('menu-toggle').tap();

  // The project of 源汇区 nearest the phone, open for this month.
  const { json: list } = await apiStatus(page, 'GET', '/api/projects?district=411102&limit=60');
  let project = null;
  for (const p of list || []) {
    const { json } = await apiStatus(page, 'GET', `/api/projects/${p.id}`);
    if (json?.report_last === thisMonth && (!json.report_first || json.report_first <= thisMonth)) { project = json; break; }
  }
  if (!check(Boolean(project), `a project of 源汇区 open for ${thisMonth}`)) return;
  await context.setGeolocation({ longitude: project.lon, latitude: project.lat });
  await page.getByTestId('field-locate').tap();
  await page.getByTestId('field-distance').first().waitFor({ timeout: 10000 });
  const first = page.getByTestId('field-item').first();
  check(Number(await first.getAttribute('data-project-id')) === project.id || (await first.innerText()).includes(' 0 m'),
    'my projects are sorted by distance from the phone', await first.innerText());
  const small = await page.evaluate(() => [...document.querySelectorAll('button, a, .el-button, input:not([type=file])')]
    .filter((e) => e.offsetParent && getComputedStyle(e).visibility !== 'hidden' && e.getBoundingClientRect().height < 44)
    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`));
  check(small.length === 0, 'every control in view is at least 44 px high', small.join(' '));
  await page.screenshot({ path: join(outDir, 'my-projects.png'), scale: 'css' });

  await page.locator(`[data-testid=field-item][data-project-id="${project.id}"]`).tap();
  await page.getByTestId('field-report').waitFor({ timeout: 15000 });
  await field(page, 'field-planned').fill('20');
  await field(page, 'field-invested').fill('12');
  await field(page, 'field-note').fill('主体结构施工');
  await page.getByTestId('field-save').tap();
  await page.waitForFunction(() => document.querySelector('.el-message'), null, { timeout: 10000 }).catch(() => {});
  const path = `/api/projects/${project.id}/progress/${thisMonth}`;
  check((await apiStatus(page, 'GET', path)).json?.progress_note === '主体结构施工', 'the report is filed');

  // A 3000-pixel photo taken 2 km north of the site.
  const far = await photo(page, 3000, 2000, project.lon, project.lat + 0.018);
  await page.getByTestId('field-photo-input').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(far.jpeg) });
  await page.getByTestId('field-photo').first().waitFor({ timeout: 30000 }).catch(() => {});
  const photos = (await apiStatus(page, 'GET', `/api/projects/${project.id}/photos`)).json || [];
  const ph = photos.find((p) => p.month === thisMonth);
  check(ph && Math.max(ph.width, ph.height) === 2048, `the photo was shrunk on the phone to 2,048 px (${ph?.width}×${ph?.height})`);
  check(ph && Math.abs(ph.lon - far.lon) < 1e-5 && Math.abs(ph.lat - far.lat) < 1e-5 && ph.taken_at,
    'its EXIF position and time were kept', JSON.stringify(ph));
  check(ph?.far_from_site && await shown(page, 'field-far'), 'a photo 2 km from the site is kept, flagged for the reviewer');
  await page.getByTestId('field-on-map').tap();
  await waitIdle(page);
  const marker = await page.evaluate(([lon, lat]) => {
    const el = document.querySelector('[data-testid=photo-marker]');
    if (!el) return null;
    const b = el.getBoundingClientRect();
    const at = window.__onemap.map.project([lon, lat]);
    const c = window.__onemap.map.getCanvas().getBoundingClientRect();
    return { dx: b.left + b.width / 2 - (c.left + at.x), dy: b.top + b.height / 2 - (c.top + at.y), inView: b.top > 0 && b.bottom < innerHeight };
  }, [far.lon, far.lat]);
  check(marker && marker.inView && Math.hypot(marker.dx, marker.dy) < 3, 'the photo shows on the map where it was taken', JSON.stringify(marker));
  await page.screenshot({ path: join(outDir, 'photo-on-map.png'), scale: 'css' });

  // No network: the app opens from the device onto the list it saw; a
  // report and a photo wait, then arrive once.
  await context.setOffline(true);
  await page.reload({ waitUntil: 'load' }).catch(() => {});
  check(await shown(page, 'field-item', 'visible', 30000), 'offline, the app opens onto the list it saw');
  // And onto the map it saw, its tiles from the device.
  await page.goto(base.href, { waitUntil: 'load' }).catch(() => {});
  const idle = await waitIdle(page, { timeout: 30000 }) !== null;
  const drawn = idle ? await rendered(page, ['projects-circle', 'districts-fill', 'landuse-fill', 'parcels-fill']) : [];
  check(drawn.length > 0, 'offline, the app opens onto the map it saw, its tiles drawn',
    `idle ${idle}, ${drawn.length} features drawn`);
  await page.screenshot({ path: join(outDir, 'offline-map.png'), scale: 'css' });
  await page.goto(new URL('projects/mine', base).href, { waitUntil: 'load' }).catch(() => {});
  await shown(page, 'field-item', 'visible', 30000);
  await page.locator(`[data-testid=field-item][data-project-id="${project.id}"]`).tap();
  await page.getByTestId('field-report').waitFor({ timeout: 15000 }).catch(() => {});
  await field(page, 'field-note').fill('离线填报：二层结构');
  await page.getByTestId('field-save').tap();
  const near = await photo(page, 800, 600, project.lon + 0.001, project.lat);
  await page.getByTestId('field-photo-input').setInputFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(near.jpeg) });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=field-waiting]').length >= 2, null, { timeout: 15000 }).catch(() => {});
  const waiting = await page.getByTestId('field-waiting').allInnerTexts();
  check(waiting.length === 2 && waiting.every((x) => x.includes('待发送')) && (await page.getByTestId('outbox-chip').innerText()).includes('待发送 2'),
    'offline, the report and the photo wait on the device (待发送)', JSON.stringify(waiting));
  await page.screenshot({ path: join(outDir, 'waiting.png'), scale: 'css' });
  await context.setOffline(false);
  await page.getByTestId('outbox-chip').waitFor({ state: 'hidden', timeout: 30000 }).catch(() => {});
  const after = (await apiStatus(page, 'GET', `/api/projects/${project.id}/photos`)).json.filter((p) => p.month === thisMonth);
  check((await apiStatus(page, 'GET', path)).json?.progress_note === '离线填报：二层结构' && after.length === 2,
    `back online, the report and the photo arrive once (${after.length} photos)`);

  // A report written offline on one the server changed meanwhile.
  await context.setOffline(true);
  await field(page, 'field-note').fill('手机上的版本');
  await page.getByTestId('field-save').tap();
  await page.getByTestId('outbox-chip').waitFor({ timeout: 10000 }).catch(() => {});
  const session = await (await context.request.get(new URL('/api/session', base).href)).json();
  await context.request.put(new URL(path, base).href, {
    headers: { 'X-CSRF-Token': session.csrf }, data: { planned: '20', invested: '12', progress_note: '服务器上的版本' },
  });
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForFunction(() => document.querySelector('[data-testid=field-waiting].conflict'), null, { timeout: 20000 }).catch(() => {});
  check((await apiStatus(page, 'GET', path)).json?.progress_note === '服务器上的版本' && await shown(page, 'field-waiting'),
    'a report changed on the server meanwhile is shown as a conflict, the server\'s kept', (await page.getByTestId('field-waiting').allInnerTexts()).join());
  const names = await page.evaluate(() => caches.keys());
  check(names.includes('data-yuanhui') && names.includes('tiles-yuanhui'), `the worker kept the user's answers and tiles (${names})`);

  await page.getByTestId('menu-toggle').tap();
  await page.getByTestId('logout').tap();
  await page.waitForURL((u) => u.pathname === '/', { timeout: 15000 }).catch(() => {});
}

async function admin(context, page) {
  await page.getByTestId('login-form').waitFor({ timeout: 30000 });
  check(!(await loginHere(page, ADMIN.username, ADMIN.password)), 'a second user signs in on the same browser');
  await page.evaluate(() => navigator.serviceWorker.ready);
  const names = await page.evaluate(() => caches.keys());
  const left = await outboxStates(page);
  check(!names.some((n) => n.includes('yuanhui')) && left && !left.some((i) => i.user === 'yuanhui'),
    'none of the first user\'s cached answers, tiles or queue is left', `${names} ${JSON.stringify(left)}`);

  // The tablet on tour: stops in order, the next one's card, a score.
  const { json: keys } = await apiStatus(page, 'GET', '/api/tours/key-projects?per_district=1');
  const ids = (keys || []).slice(0, 3).map((p) => p.id);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const made = await apiStatus(page, 'POST', '/api/tours', {
    name: '平板观摩', day, start_time: '09:00', start: { name: '市政府', lon: 114.02, lat: 33.58 }, project_ids: ids, order: 'given',
  });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(new URL(`tours/walk/${made.json?.id}`, base).href, { waitUntil: 'load' });
  const card = await shown(page, 'walk-card', 'visible', 20000);
  check(card && (await page.getByTestId('walk-stop').count()) === ids.length && (await page.getByTestId('walk-next').innerText()).includes('2.'),
    'the tablet shows the stops in order and the next stop', `${made.status} ${JSON.stringify(made.json?.error || '')}`);
  await field(page, 'walk-score').fill('88');
  await page.getByTestId('walk-save').tap();
  await page.waitForFunction(() => document.querySelector('[data-testid=walk-stop]')?.innerText.includes('88'), null, { timeout: 15000 }).catch(() => {});
  const tour = (await apiStatus(page, 'GET', `/api/tours/${made.json?.id}`)).json;
  check(tour?.stops?.[0]?.scores?.some((s) => s.judge === 'admin' && s.score === 88), 'a score entered at the first stop is kept');
  await page.screenshot({ path: join(outDir, 'tour-tablet.png'), scale: 'css' });
  const tablet = await overflow(page);
  check(!tablet.scrolls && !tablet.bad.length, 'on the tablet too nothing is wider than the screen', JSON.stringify(tablet));
  await page.setViewportSize({ width: 390, height: 844 });
  await checkRoutes(page, 'admin', ['tours', 'assessment', 'admin/users', 'land/quotas', 'invest/share', 'invest/firms', 'invest/enclaves', 'brochures/parcels/1', `tours/walk/${made.json?.id}`, `tours/${made.json?.id}/itinerary`]);
}

await runInChromium(r, 'phone e2e', base, outDir, async (browser) => {
  const { context, page, rec } = await openContext(browser, base, 'phone', {
    viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2,
    permissions: ['geolocation'], serviceWorkers: 'allow',
  });
  await district(context, page);
  await admin(context, page);
  cleanChecks(r, rec);
  await context.close();
});
