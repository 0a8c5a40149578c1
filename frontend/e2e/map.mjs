#!/usr/bin/env node
// Browser test of the web map against a running onemap server:
//
//   node frontend/e2e/map.mjs <baseURL> <screenshot.png>
//   (cd frontend && npm run e2e -- http://localhost:8080 /tmp/map.png)
//
// It validates /style.json with the MapLibre style spec, opens the page in
// headless Chromium (/usr/bin/chromium, or $CHROMIUM), aborts and fails on
// any request to another host or any page error, waits for the map to be
// idle, checks that projects and districts are drawn, clicks a project and
// reads its details panel, applies a stage filter and checks the projects
// tiles honour it, saves a screenshot, and checks that adjacent farmland
// patches and land-use zones are filled without seams. Where the server
// asks for a login it signs in as $E2E_USER / $E2E_PASSWORD (default: the
// demo account admin of `onemap seed`). One PASS/FAIL line per check;
// exit status 1 on any failure.
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import {
  TIMEOUT, baseURL, chromiumOptions, limit, nextIdle, projectTarget, rendered, report, sameOrigin, loginHere, waitIdle,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotPath = resolve(process.argv[3] || 'map.png');
// The demo account of `onemap seed` (its published development password).
const USER = process.env.E2E_USER || 'admin';
const PASSWORD = process.env.E2E_PASSWORD || 'luohe-admin-2026';

const r = report();
const { pass, fail, info, check } = r;
limit(5, 'e2e');
const isLocal = sameOrigin(base);

async function checkStyle() {
  const url = new URL('style.json', base).href;
  let style;
  try {
    const res = await fetch(url);
    if (!check(res.ok, 'GET /style.json', `HTTP ${res.status}`)) return null;
    style = await res.json();
  } catch (e) {
    fail(`GET /style.json: ${e.message}`);
    return null;
  }
  const errors = validateStyleMin(style);
  check(errors.length === 0, 'style.json passes the MapLibre style spec',
    errors.map((e) => e.message).join('; '));
  const text = JSON.stringify(style);
  check(!text.includes('{origin}'), 'style.json has its {origin} placeholder replaced');
  const urls = [style.glyphs, style.sprite, ...Object.values(style.sources || {}).flatMap((s) => [s.url, ...(s.tiles || [])])]
    .filter((u) => typeof u === 'string');
  const foreign = urls.filter((u) => !isLocal(u.replace(/\{[^}]+\}/g, 'x')));
  check(foreign.length === 0, 'style.json only points at this server', foreign.join(', '));
  check(Boolean(style.sources?.projects && style.sources?.onemap), 'style.json has the onemap and projects sources');
  return style;
}

// idle waits until the map is idle and logs how long that took.
async function idle(page, label) {
  const ms = await waitIdle(page);
  if (ms !== null) info(`${label}: map idle after ${ms} ms`);
  return ms !== null;
}

async function main() {
  console.log(`e2e: ${base.origin} → ${shotPath}`);
  const style = await checkStyle();
  if (!style) return;

  const profile = mkdtempSync(join(tmpdir(), 'onemap-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumOptions(),
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  try {
    await run(context);
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

async function run(context) {
  const foreign = [];
  const pageErrors = [];
  const httpErrors = [];
  const mapErrors = [];
  const cspViolations = [];
  const tileURLs = [];

  // Every request of the context (pages and their workers) goes through here.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (!isLocal(url)) {
      foreign.push(url);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  context.on('request', (req) => {
    const url = req.url();
    if (!isLocal(url) && !foreign.includes(url)) foreign.push(url);
    if (url.includes('/tiles/projects/')) tileURLs.push(url);
  });
  context.on('response', (res) => {
    const url = res.url();
    if (res.status() >= 400 && isLocal(url) && !url.endsWith('/favicon.ico')) httpErrors.push(`${res.status()} ${url}`);
  });

  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.startsWith('map error:')) mapErrors.push(text);
    else if (/Content Security Policy/i.test(text)) cspViolations.push(text);
    else if (msg.type() === 'error') info(`console error: ${text}`);
  });
  page.on('worker', (w) => info(`worker started: ${w.url().split('?')[0].replace(base.origin, '')}`));

  const res = await page.goto(base.href, { waitUntil: 'load', timeout: 60000 });
  check(res && res.ok(), 'GET / serves the page', res ? `HTTP ${res.status()}` : 'no response');
  check((await page.title()).includes('一张图'), 'page title is the Chinese 一张图 title', await page.title());
  const header = await page.locator('header').innerText().catch(() => '');
  check(header.includes('漯河市重点项目与招商一张图'), 'header shows 漯河市重点项目与招商一张图', header);

  // Sign in when the server asks for it (tiles are for signed-in users).
  const err = await loginHere(page, USER, PASSWORD);
  if (!check(err === '', `signed in as ${USER} (else set E2E_USER and E2E_PASSWORD)`, err)) return;
  if (!check(await idle(page, 'first load'), 'map idle with tiles loaded', `not within ${TIMEOUT} ms`)) {
    // Go on: the checks below say what is missing.
  }
  const view = await page.evaluate(() => {
    const m = window.__onemap.map;
    return { center: m.getCenter(), zoom: m.getZoom(), glyphs: m.getStyle().glyphs };
  });
  check(Math.abs(view.center.lng - 113.98) < 0.5 && Math.abs(view.center.lat - 33.62) < 0.5,
    'map opens on Luohe', JSON.stringify(view));
  const city = await page.evaluate(async () => (await (await fetch('/api/meta')).json()).city);
  check(Math.abs(view.center.lng - city.center[0]) < 1e-6 && Math.abs(view.center.lat - city.center[1]) < 1e-6 && view.zoom === city.zoom,
    `map opens on the centre and zoom of GET /api/meta (${city.name}: ${city.center}, z${city.zoom})`, JSON.stringify(view));

  // (4) Projects and districts drawn.
  const projectLayers = ['projects-circle', 'projects-site-fill'];
  let projects = await rendered(page, projectLayers);
  if (projects.length === 0) { // tiles may still trickle in
    await idle(page, 'retry');
    projects = await rendered(page, projectLayers);
  }
  check(projects.length > 0, `projects rendered (${projects.length} features)`);
  const districts = await rendered(page, ['districts-fill', 'districts-line', 'districts-label']);
  check(districts.length > 0, `districts rendered (${districts.length} features)`);
  const labels = districts.filter((f) => f.layer === 'districts-label').map((f) => f.props.name);
  if (labels.length) info(`district labels: ${[...new Set(labels)].join(' ')}`);

  // (5) Click a project and read its details panel.
  const points = projects.filter((f) => f.layer === 'projects-circle' && f.coords);
  let clickedName = null;
  if (points.length) {
    const target = await projectTarget(page, points);
    if (target) {
      clickedName = target.props.name;
      await page.mouse.click(target.x, target.y);
      const panel = page.getByTestId('feature-panel');
      try {
        await panel.waitFor({ state: 'visible', timeout: 10000 });
        const text = await panel.innerText();
        check(text.includes('项目名称'), 'details panel labels fields in Chinese (项目名称)', text.slice(0, 200));
        const names = [target.props.name, ...target.names].filter(Boolean);
        check(names.some((n) => text.includes(n)), `details panel shows the clicked project (${target.props.name})`, text.slice(0, 200));
        check(/总投资\(万元\)/.test(text), 'details panel shows 总投资(万元)');
        check(!/\b(reserve|preparing|building|operating|withdrawn)\b/.test(text), 'stage shown in Chinese, not as an id', text.slice(0, 300));
        // The English toggle relabels the panel, and back.
        await page.getByTestId('lang-toggle').click();
        const en = await panel.innerText();
        check(en.includes('Total investment (10k yuan)') && !en.includes('项目名称'),
          'English toggle relabels the panel (Total investment (10k yuan))', en.slice(0, 300));
        await page.getByTestId('lang-toggle').click();
        await page.waitForFunction(() => document.querySelector('[data-testid=feature-panel]')?.innerText.includes('项目名称'), null, { timeout: 5000 })
          .catch(() => fail('toggling back to 中文'));
        // At this zoom the land use under the project is the generalised
        // grid: its details say so, the project's do not.
        const note = page.getByTestId('feature-generalised');
        check(!(await note.isVisible()), 'no overview note on a project');
        const landuse = panel.locator('.fp-group[data-layer=landuse] .fp-tag');
        if (check(await landuse.count() > 0, 'the land-use plan is among the features under the project')) {
          await landuse.first().click();
          const shown = await note.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
          check(shown, 'generalised land use notes that zooming in shows the details', shown ? await note.innerText() : '');
          await panel.locator('.fp-tag').first().click();
        }
      } catch (e) {
        fail(`details panel after clicking ${target.props.name}: ${e.message.split('\n')[0]}`);
      }
    } else {
      fail('a rendered project point to click (none clear of the panels)');
    }
  } else {
    fail('a rendered project point to click');
  }

  // (6) Filter by stage: the tile URL carries it, the tiles honour it.
  const stagesBefore = projects.map((f) => f.props.stage);
  const counts = {};
  for (const s of stagesBefore) counts[s] = (counts[s] || 0) + 1;
  const stage = counts.building || !stagesBefore.length ? 'building'
    : Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
  const stageZH = { reserve: '储备', preparing: '前期', building: '在建', operating: '竣工投产', withdrawn: '退库' }[stage];
  info(`stages in view before filtering: ${JSON.stringify(counts)}; filtering on ${stage} (${stageZH})`);
  const before = tileURLs.length;
  const filtered = context.waitForEvent('request', {
    predicate: (req) => req.url().includes('/tiles/projects/') && new URL(req.url()).searchParams.get('stage') === stage,
    timeout: 20000,
  }).catch(() => null);
  try {
    await page.getByTestId('filter-stage').getByText(stageZH, { exact: true }).click({ timeout: 10000 });
  } catch (e) {
    fail(`clicking the ${stageZH} stage filter: ${e.message.split('\n')[0]}`);
  }
  let tilesURL = '';
  try {
    await page.waitForFunction((s) => window.__onemap.map.getSource('projects').tiles[0].includes(`stage=${s}`), stage, { timeout: 10000 });
    tilesURL = await page.evaluate(() => window.__onemap.map.getSource('projects').tiles[0]);
    pass(`projects source URL carries stage=${stage} (${tilesURL.replace(base.origin, '')})`);
  } catch {
    tilesURL = await page.evaluate(() => window.__onemap.map.getSource('projects').tiles[0]).catch(() => '?');
    fail(`projects source URL carries stage=${stage}: ${tilesURL}`);
  }
  const req = await filtered;
  const requested = tileURLs.slice(before);
  check(req !== null, `projects tiles requested with stage=${stage} (${requested.length} requests)`,
    `none seen; projects tile requests after the filter: ${requested.slice(0, 3).map((u) => u.replace(base.origin, '')).join(', ') || 'none'}`);
  check(await nextIdle(page) && await idle(page, 'after filter'), 'map idle after filtering');
  const after = await rendered(page, projectLayers);
  const wrong = after.filter((f) => f.props.stage !== stage);
  check(after.length > 0, `projects rendered after the filter (${after.length} features)`);
  check(wrong.length === 0, `all rendered projects have stage ${stage}`,
    `${wrong.length} with other stages: ${[...new Set(wrong.map((f) => f.props.stage))].join(', ')}`);

  // Undo the filter for the screenshot.
  await page.getByTestId('filter-stage').getByText(stageZH, { exact: true }).click().catch(() => {});
  await page.waitForFunction((s) => !window.__onemap.map.getSource('projects').tiles[0].includes(`stage=${s}`), stage, { timeout: 10000 }).catch(() => {});
  await nextIdle(page);
  await idle(page, 'after reset');

  // (2) No foreign requests, no page errors, no failed loads.
  check(foreign.length === 0, 'no request left the server', [...new Set(foreign)].slice(0, 10).join(', '));
  check(pageErrors.length === 0, 'no page errors', pageErrors.slice(0, 5).join(' | '));
  check(mapErrors.length === 0, 'no map errors (tiles, glyphs, style)', mapErrors.slice(0, 5).join(' | '));
  check(httpErrors.length === 0, 'no failed requests to the server', httpErrors.slice(0, 10).join(', '));
  check(cspViolations.length === 0, 'no Content-Security-Policy violations', cspViolations.slice(0, 3).join(' | '));

  // (7) Screenshot.
  mkdirSync(dirname(shotPath), { recursive: true });
  await page.screenshot({ path: shotPath });
  pass(`screenshot saved to ${shotPath}${clickedName ? ` (details of ${clickedName})` : ''}`);

  // (8) Zones that share edges and are filled without outlines (farmland
  // below z11, land use below z13) must read as areas, not as a mesh of
  // seams (antialiased edges drawn twice): drawn alone, they leave no
  // one-pixel lines.
  for (const [layer, zoom, center] of [
    ['controls-farmland-fill', 10.5, [113.85, 33.62]],
    ['landuse-fill', 11.6, [114.0, 33.58]],
    ['landuse-fill', 9.5, [113.95, 33.6]],
  ]) {
    const px = await seams(page, layer, zoom, center);
    const label = `${layer} at z${zoom}`;
    check(px.top < 0.9 * px.total, `${label} drawn`, JSON.stringify(px));
    check(px.lines < 0.003 * px.total, `${label} without seams (${(100 * px.lines / px.total).toFixed(2)}% of the pixels on one-pixel lines)`, JSON.stringify(px));
  }
}

// seams shows only layer (and the background) at zoom over center, and
// counts the canvas's pixels: total, those of the commonest colour (top),
// and those on one-pixel lines (lines: a pixel whose neighbours on either
// side, across or down, agree with each other and not with it).
async function seams(page, layer, zoom, center) {
  await page.evaluate(([layer, zoom, center]) => {
    const m = window.__onemap.map;
    for (const l of m.getStyle().layers) {
      if (l.type !== 'background') m.setLayoutProperty(l.id, 'visibility', l.id === layer ? 'visible' : 'none');
    }
    m.jumpTo({ center, zoom });
  }, [layer, zoom, center]);
  await idle(page, `${layer} at z${zoom}`);
  return page.evaluate(() => new Promise((resolve) => {
    const m = window.__onemap.map;
    m.once('render', () => {
      const src = m.getCanvas();
      const w = src.width;
      const h = src.height;
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const g = c.getContext('2d');
      g.drawImage(src, 0, 0);
      const d = g.getImageData(0, 0, w, h).data;
      const at = (x, y) => {
        const i = 4 * (y * w + x);
        return (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      };
      const counts = new Map();
      let lines = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const p = at(x, y);
          counts.set(p, (counts.get(p) || 0) + 1);
          if (x === 0 || y === 0 || x === w - 1 || y === h - 1) continue;
          const l = at(x - 1, y);
          const u = at(x, y - 1);
          if ((l === at(x + 1, y) && l !== p) || (u === at(x, y + 1) && u !== p)) lines++;
        }
      }
      resolve({ total: w * h, top: Math.max(...counts.values()), lines });
    });
    m.triggerRepaint();
  }));
}

try {
  await main();
} catch (e) {
  fail(`e2e crashed: ${e.stack || e}`);
}
r.end('e2e');
