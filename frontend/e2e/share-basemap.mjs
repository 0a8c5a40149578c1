#!/usr/bin/env node
// Browser test of the map around a firm's share link, against a running
// onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/share-basemap.mjs <baseURL> <screenshotDir>
//
// The investment account makes, through the API, a link of one parcel that
// lies in a park, without the park. A firm opens it in a fresh browser
// context: the map draws the base map (roads, railways or rivers, district
// outlines) and the park around the parcel as its outline and name, beside
// the parcel; the park shows no other field. Zoomed out to the national
// view, the provinces are drawn and named. Screenshots of both; one
// PASS/FAIL line per check; exit status 1 on any failure. Writes a share
// link, so give it a seeded database it may change.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { baseURL, chromiumOptions, limit, rendered, report, sameOrigin, waitIdle } from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');
mkdirSync(shotDir, { recursive: true });
const r = report();
const { check, info, fail } = r;
limit(6, 'share base map e2e');
const isLocal = sameOrigin(base);

// The style layers (of /style.json, moved onto the link's tiles by
// map/basemap.js) that draw Luohe's roads, railways and rivers.
const lineLayers = ['base-transport-road', 'base-transport-highway', 'base-transport-expressway', 'base-transport-rail', 'base-transport-river'];

const browser = await chromium.launch(chromiumOptions());
try {
  // The investment user makes the link through the API, from a page of
  // the server (same origin, the session's CSRF token).
  const maker = await browser.newContext();
  const mp = await maker.newPage();
  await mp.goto(new URL('/healthz', base).href);
  const made = await mp.evaluate(async () => {
    const json = (res) => res.json().then((body) => ({ status: res.status, body }));
    const login = await fetch('/api/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'invest', password: 'luohe-invest-2026' }),
    }).then(json);
    if (login.status !== 200) return { error: `login ${login.status}` };
    const { csrf } = (await fetch('/api/session').then(json)).body;
    // The first of the demo's parcels that lies in a park.
    for (let id = 1; id <= 40; id++) {
      const res = await fetch('/api/shares', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ title: '地块区位', parcel_ids: [id], fields: ['code', 'park', 'area_mu'], expires_in_days: 3 }),
      }).then(json);
      if (res.status !== 201) return { error: `share of parcel ${id}: ${res.status} ${JSON.stringify(res.body)}` };
      const link = new URL(res.body.url).pathname;
      const shown = (await fetch(`${link}/info`).then(json)).body;
      const park = shown.features?.[0]?.park;
      if (park) return { link, park, parcel: id };
    }
    return { error: 'no parcel in a park among the first 40' };
  });
  await maker.close();
  if (!check(!made.error, 'investment: a link of a parcel in a park, without the park', made.error)) r.end('share base map e2e');
  info(`parcel ${made.parcel} in ${made.park}: ${made.link}`);

  const firm = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const foreign = [];
  await firm.route('**/*', (route) => {
    if (!isLocal(route.request().url())) {
      foreign.push(route.request().url());
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  const page = await firm.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL(made.link, base).href);
  await page.waitForFunction(() => Boolean(window.__onemapShare?.map), null, { timeout: 30000 });
  check(await waitIdle(page, { global: '__onemapShare' }) !== null, 'firm: the share map is idle with its tiles');

  const drawn = await rendered(page, [...lineLayers, 'base-districts-line', 'share-around-parks-line', 'share-around-parks-label', 'share-parcels-fill'], '__onemapShare');
  const by = (layer) => drawn.filter((f) => f.layer === layer);
  const lines = drawn.filter((f) => lineLayers.includes(f.layer));
  const kinds = [...new Set(lines.map((f) => f.props.kind))].sort();
  check(lines.some((f) => ['road', 'highway', 'expressway'].includes(f.props.kind)),
    'firm: the map draws roads around the parcel', `kinds drawn: ${kinds.join(', ') || 'none'}`);
  info(`transport drawn: ${kinds.join(', ')} (${lines.length} features)`);
  check(by('base-districts-line').length > 0, 'firm: the map draws the district outlines');
  const around = by('share-around-parks-line');
  check(around.length > 0 && around.every((f) => f.props.name === made.park),
    `firm: the map draws the outline of the park around the parcel (${made.park})`, `${around.length} drawn`);
  check(around.every((f) => Object.keys(f.props).every((k) => k === 'name' || k === 'id')),
    'firm: the park around the parcel carries its name only', JSON.stringify(around[0]?.props));
  check(by('share-around-parks-label').some((f) => f.props.name === made.park), 'firm: the park is named on the map');
  check(by('share-parcels-fill').some((f) => f.id === made.parcel), 'firm: the shared parcel is drawn');
  await page.screenshot({ path: join(shotDir, 'share-basemap.png') });

  // The national view: provinces outlined and named.
  await page.evaluate(() => window.__onemapShare.map.jumpTo({ zoom: 4.5 }));
  check(await waitIdle(page, { global: '__onemapShare' }) !== null, 'firm: the national view is idle with its tiles');
  const national = await rendered(page, ['base-basemap-provinces-line', 'base-basemap-provinces-label'], '__onemapShare');
  const names = new Set(national.filter((f) => f.layer === 'base-basemap-provinces-label').map((f) => f.props.name));
  check(national.some((f) => f.layer === 'base-basemap-provinces-line') && names.has('河南省'),
    'firm: the national view draws the provinces and names 河南省', [...names].slice(0, 8).join(' '));
  await page.screenshot({ path: join(shotDir, 'share-basemap-national.png') });

  check(foreign.length === 0, 'firm: no request left the server', foreign.slice(0, 3).join(', '));
  check(errors.length === 0, 'firm: no page errors', errors.slice(0, 3).join(' | '));
  await firm.close();
} catch (e) {
  fail(`share base map e2e: ${String(e?.message || e).split('\n')[0]}`);
} finally {
  await browser.close();
}
r.end('share base map e2e');
