// What the browser tests share: the server's base URL, PASS/FAIL
// reporting, a whole-run time limit, the same-origin check, the way
// Chromium is started here (headless, no network beyond the server), and
// the ways of reading the map: waiting until it is idle, listing what it
// drew, and finding a project point to click; a context that keeps to
// the server, signing in, finding inputs and calling the API from a page.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** TIMEOUT is how long to wait for the map to draw its tiles. */
export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 60000);

/** baseURL is the server's address from the command line (or
 * $ONEMAP_URL), with a trailing slash. */
export function baseURL(arg) {
  const a = arg || process.env.ONEMAP_URL || 'http://localhost:8080';
  return new URL(a.endsWith('/') ? a : `${a}/`);
}

/** report prints one PASS/FAIL line per check and counts the failures. */
export function report() {
  const r = { failures: 0 };
  r.pass = (msg) => console.log(`PASS ${msg}`);
  r.fail = (msg) => { r.failures++; console.log(`FAIL ${msg}`); };
  r.info = (msg) => console.log(`     ${msg}`);
  r.check = (ok, msg, detail) => { if (ok) r.pass(msg); else r.fail(detail ? `${msg}: ${detail}` : msg); return ok; };
  /** end prints the verdict and exits: status 1 on any failure. */
  r.end = (label) => {
    console.log(r.failures ? `${label}: FAIL (${r.failures} failed)` : `${label}: PASS`);
    process.exit(r.failures ? 1 : 0);
  };
  return r;
}

/** runInChromium runs a script's steps (browser → promise) with a
 * Chromium of its own, its output going to outDir, and ends the report r
 * of the script named label: a crash is one more failure. */
export async function runInChromium(r, label, base, outDir, steps) {
  console.log(`${label}: ${base.origin} → ${outDir}`);
  try {
    mkdirSync(outDir, { recursive: true });
    const browser = await chromium.launch(chromiumOptions());
    try {
      await steps(browser);
    } finally {
      await browser.close().catch(() => {});
    }
  } catch (e) {
    r.fail(`${label} crashed: ${e.stack || e}`);
  }
  r.end(label);
}

/** pdfPage1 renders the first page of a PDF at dpi dots per inch to a
 * PPM image beside it (poppler's pdftoppm) and answers it as {width,
 * height, at(x, y) → [r, g, b]}. */
export function pdfPage1(pdf, dpi) {
  const prefix = pdf.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', pdf, prefix]);
  const data = readFileSync(`${prefix}.ppm`);
  // P6 <width> <height> <maxval>, one whitespace, then RGB bytes.
  const header = data.subarray(0, 64).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  const [width, height] = [Number(header[1]), Number(header[2])];
  const offset = header[0].length;
  return {
    width, height,
    at: (x, y) => {
      const i = offset + 3 * (y * width + x);
      return [data[i], data[i + 1], data[i + 2]];
    },
  };
}

/** limit gives up the whole run after minutes: a hung browser must not
 * hang CI. */
export function limit(minutes, label) {
  setTimeout(() => {
    console.log(`FAIL ${label}: took longer than ${minutes} minutes, giving up`);
    process.exit(1);
  }, minutes * 60 * 1000).unref();
}

/** sameOrigin tells whether a URL is the server's own (or in-page
 * data:/blob:/about:), the only ones the pages may load. */
export function sameOrigin(base) {
  return (url) => {
    if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return true;
    try {
      return new URL(url).origin === base.origin;
    } catch {
      return false;
    }
  };
}

/** chromiumOptions are the launch options of Debian's Chromium here. */
export function chromiumOptions() {
  return {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
    timeout: 60000,
  };
}

/** waitIdle polls until the map on window[global] has its style, sources
 * and tiles loaded and nothing left to draw, three times in a row
 * (MapLibre under SwiftShader is slow). It answers the milliseconds that
 * took, or null when the map was not idle within timeout. */
export async function waitIdle(page, { global = '__onemap', timeout = TIMEOUT } = {}) {
  const t0 = Date.now();
  let stable = 0;
  while (Date.now() - t0 < timeout) {
    const ready = await page.evaluate((g) => {
      const m = window[g]?.map;
      if (!m || !m.isStyleLoaded()) return false;
      return m.loaded() && m.areTilesLoaded() && !m.isMoving();
    }, global).catch(() => false);
    stable = ready ? stable + 1 : 0;
    if (stable >= 3) return Date.now() - t0;
    await page.waitForTimeout(250);
  }
  return null;
}

/** nextIdle waits for the map on window[global] to fire its next 'idle'
 * event (a repaint is asked for, so one comes once nothing is loading or
 * moving) and tells whether it came within timeout. */
export async function nextIdle(page, { global = '__onemap', timeout = TIMEOUT } = {}) {
  return page.evaluate(([g, ms]) => new Promise((resolve) => {
    const m = window[g].map;
    const t = setTimeout(() => resolve(false), ms);
    m.once('idle', () => { clearTimeout(t); resolve(true); });
    m.triggerRepaint();
  }), [global, timeout]).catch(() => false);
}

/** rendered lists the features the map on window[global] drew in the given
 * style layers (those the style has). */
export async function rendered(page, layers, global = '__onemap') {
  return page.evaluate(([layers, g]) => {
    const m = window[g].map;
    const ids = layers.filter((id) => m.getLayer(id));
    return m.queryRenderedFeatures({ layers: ids }).map((f) => ({
      layer: f.layer.id, sourceLayer: f.sourceLayer, type: f.geometry.type, id: f.id ?? f.properties.id,
      props: f.properties, coords: f.geometry.type === 'Point' ? f.geometry.coordinates : null,
    }));
  }, [layers, global]);
}

/** projectTarget picks, among rendered project points, the one nearest
 * the map's centre and clear of the edges, the controls and the details
 * panel. It answers where to click (page coordinates), the point's
 * properties, and the names of the project points a click there would
 * hit, topmost first; or null. */
export async function projectTarget(page, points) {
  return page.evaluate((pts) => {
    const m = window.__onemap.map;
    const canvas = m.getCanvas().getBoundingClientRect();
    const cx = canvas.width / 2;
    const cy = canvas.height / 2;
    let best = null;
    for (const p of pts) {
      const px = m.project(p.coords);
      if (px.x < 30 || px.y < 30 || px.x > canvas.width - 420 || px.y > canvas.height - 40) continue;
      const d = Math.hypot(px.x - cx, px.y - cy);
      if (!best || d < best.d) best = { d, x: canvas.left + px.x, y: canvas.top + px.y, px, props: p.props };
    }
    if (!best) return null;
    const r = 6;
    const here = m.queryRenderedFeatures([[best.px.x - r, best.px.y - r], [best.px.x + r, best.px.y + r]], { layers: ['projects-circle'] });
    return { x: best.x, y: best.y, props: best.props, names: here.map((f) => f.properties.name) };
  }, points);
}

/** openContext is a fresh browser context (no cookies) that blocks and
 * records any request leaving the server at base, page errors and CSP
 * reports; options are Playwright's context options. */
export async function openContext(browser, base, label, options = {}) {
  const isLocal = sameOrigin(base);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', ...options });
  const rec = { label, foreign: [], requests: [], pageErrors: [], csp: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (!isLocal(url)) {
      rec.foreign.push(url);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  context.on('request', (req) => rec.requests.push(req.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => rec.pageErrors.push(e.message));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy/i.test(text)) rec.csp.push(text);
  });
  return { context, page, rec };
}

/** cleanChecks checks with report r that the context of openContext made
 * no request off the server, had no page errors and no CSP violations. */
export function cleanChecks(r, rec) {
  r.check(rec.foreign.length === 0, `${rec.label}: no request left the server`, [...new Set(rec.foreign)].slice(0, 5).join(', '));
  r.check(rec.pageErrors.length === 0, `${rec.label}: no page errors`, rec.pageErrors.slice(0, 3).join(' | '));
  r.check(rec.csp.length === 0, `${rec.label}: no Content-Security-Policy violations`, rec.csp.slice(0, 2).join(' | '));
}

/** field finds the <input> (or textarea) of an Element Plus input by test id,
 * whether the id sits on the input itself or on its wrapper. */
export const field = (page, id) => page.locator(`input[data-testid=${id}], textarea[data-testid=${id}], [data-testid=${id}] input, [data-testid=${id}] textarea`).first();

/** shown waits for the element of a test id to be visible (or not). */
export const shown = (page, id, state = 'visible', timeout = 10000) => page.getByTestId(id).first().waitFor({ state, timeout }).then(() => true, () => false);

/** apiStatus calls the API from the page with its session (and CSRF
 * token) and the extra headers: {status, json, etag}. */
export async function apiStatus(page, method, path, body, headers = {}) {
  return page.evaluate(async ([method, path, body, headers]) => {
    const s = await (await fetch('/api/session', { credentials: 'same-origin' })).json().catch(() => ({}));
    const res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf || '', ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    let json = null;
    try { json = await res.json(); } catch { /* empty */ }
    return { status: res.status, json, etag: res.headers.get('ETag') };
  }, [method, path, body, headers]);
}

/** loginHere fills the login form, when the page shows it, with user and
 * password, and waits for the map on window.__onemap. It answers an
 * error message, or '' once signed in with the map there. */
export async function loginHere(page, user, password) {
  const form = page.getByTestId('login-form');
  await Promise.race([
    page.waitForFunction(() => Boolean(window.__onemap?.map), null, { timeout: 30000 }),
    form.waitFor({ state: 'visible', timeout: 30000 }),
  ]).catch(() => {});
  if (await form.isVisible()) {
    await page.getByTestId('login-username').fill(user);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    if (!await form.waitFor({ state: 'hidden', timeout: 15000 }).then(() => true, () => false)) {
      return `login as ${user} failed: ${await page.getByTestId('login-error').innerText().catch(() => '')}`;
    }
  }
  return page.waitForFunction(() => Boolean(window.__onemap?.map), null, { timeout: 30000 })
    .then(() => '', () => 'window.__onemap.map not exposed by the app');
}

/** signIn opens the app at a.start (a path below base) and signs in as
 * {username, password} through the login form, until the map exists; it
 * throws with the form's message if the login fails. before, if given,
 * runs once the login form shows. */
export async function signIn(page, base, a, before) {
  await page.goto(new URL(a.start, base).href, { waitUntil: 'load', timeout: 60000 });
  await page.getByTestId('login-form').waitFor({ state: 'visible', timeout: 30000 });
  if (before) await before();
  const err = await loginHere(page, a.username, a.password);
  if (err) throw new Error(err);
}
