#!/usr/bin/env node
// Browser test of what a map click picks, the highlight of the picked
// feature, the list of features under a click, and the projects'
// clusters, against a running onemap server seeded with `onemap seed`:
//
//   node frontend/e2e/pick.mjs <baseURL> <screenshotDir>
//
// As the land user at z14 near 114.02E 33.58N it clicks residential zones
// just beside tile edges: the panel must open on the zone, not on the
// 城镇开发边界 whose tile-cut edges run there, and the zone's highlight
// must cover its whole extent across tiles without a seam along the tile
// edge. As the administrator it clicks a cluster of projects over an
// enclave: every project there is listed (more than ten entries), grouped
// by layer, no name cut, and the enclave can be chosen. At low zoom the
// projects are drawn as clusters with counts that add up to the projects
// in view, no two circles overlap, no name lies on another project's
// point, and the clusters hold only the projects a filter or a district
// user's role lets through. One PASS/FAIL line per check; exit status 1 on
// any failure.
import { join, resolve } from 'node:path';
import {
  TIMEOUT, baseURL, cleanChecks, limit, nextIdle, openContext, report, runInChromium, signIn as signInAt, waitIdle,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'pick-shots');
const r = report();
const { fail, info, check } = r;
limit(7, 'pick e2e');
const short = (e) => String(e?.message || e).split('\n')[0];

// signIn opens path in a fresh context and signs in; it answers the
// context of openContext with its map idle.
async function signIn(browser, path, username, password) {
  const c = await openContext(browser, base, username);
  await signInAt(c.page, base, { start: path, username, password });
  check(await waitIdle(c.page) !== null, `${username}: map idle on ${path}`, `not within ${TIMEOUT} ms`);
  return c;
}

async function jump(page, center, zoom) {
  await page.evaluate(([c, z]) => window.__onemap.map.jumpTo({ center: c, zoom: z }), [center, zoom]);
  await nextIdle(page);
  return await waitIdle(page) !== null;
}

// clickMap clicks at map pixel p and waits for the details panel to show
// the answer of that click.
async function clickMap(page, p) {
  const box = await page.getByTestId('map').boundingBox();
  await page.evaluate(() => { window.__pickTest = window.__onemap.hits(); });
  await page.mouse.click(box.x + p.x, box.y + p.y);
  await page.waitForFunction(() => window.__onemap.hits() !== window.__pickTest && window.__onemap.hits().length > 0, null, { timeout: 10000 });
  await page.getByTestId('feature-panel').waitFor({ state: 'visible', timeout: 10000 });
}

// (6) The land user's residential zones beside tile edges.
async function residentialZones(browser) {
  const { context, page, rec } = await signIn(browser, '/land#14/33.58/114.02', 'land', 'luohe-land-2026');
  try {
    // Points in residential zones (class 07) 4 to 12 pixels beside a z14
    // tile edge, inside the panels' clear area, at least 40 pixels from the
    // 城镇开发边界's own edges (those not along a tile's axis) and with
    // nothing but land use, districts and that boundary within 24 pixels.
    const spots = await page.evaluate(() => {
      const m = window.__onemap.map;
      const W = m.getCanvas().clientWidth;
      const H = m.getCanvas().clientHeight;
      const n = 2 ** 14;
      const lon = (x) => (x / n) * 360 - 180;
      const lat = (y) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
      const b = m.getBounds();
      const tx = (g) => Math.floor(((g + 180) / 360) * n);
      const ty = (a) => Math.floor(((1 - Math.log(Math.tan(Math.PI / 4 + (a * Math.PI) / 360)) / Math.PI) / 2) * n);
      const xs = [];
      for (let x = tx(b.getWest()) + 1; x <= tx(b.getEast()); x++) xs.push(m.project([lon(x), b.getCenter().lat]).x);
      const ys = [];
      for (let y = ty(b.getNorth()) + 1; y <= ty(b.getSouth()); y++) ys.push(m.project([b.getCenter().lng, lat(y)]).y);
      const own = [];
      for (const f of m.queryRenderedFeatures({ layers: ['controls-urban-line'] })) {
        const rings = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
        for (const ring of rings) {
          const px = ring.map((c) => m.project(c));
          for (let i = 1; i < px.length; i++) {
            const a = px[i - 1];
            const c = px[i];
            if (Math.abs(a.x - c.x) > 0.5 && Math.abs(a.y - c.y) > 0.5) own.push([a, c]);
          }
        }
      }
      const dist = (p, [a, c]) => {
        const dx = c.x - a.x; const dy = c.y - a.y;
        const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)));
        return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
      };
      // The base map (provinces, cities) is context, never picked.
      const others = m.getStyle().layers.filter((l) => l.type !== 'background' && l.source !== 'basemap'
        && !['landuse', 'districts'].includes(l['source-layer'])
        && l.id !== 'controls-urban-line' && !l.id.startsWith('selection')).map((l) => l.id);
      const out = [];
      const consider = (p, edge) => {
        if (p.x < 30 || p.y < 30 || p.x > W - 420 || p.y > H - 40) return;
        const z = m.queryRenderedFeatures([p.x, p.y], { layers: ['landuse-fill'] });
        if (z.length !== 1 || z[0].properties.level1 !== '07') return;
        if (own.some((s) => dist(p, s) < 40)) return;
        if (m.queryRenderedFeatures([[p.x - 24, p.y - 24], [p.x + 24, p.y + 24]], { layers: others }).length) return;
        out.push({ x: p.x, y: p.y, edge, zone: z[0].id, name: z[0].properties.name });
      };
      for (const x of xs) for (let y = 40; y < H; y += 23) for (const d of [-12, -8, -4, 4, 8, 12]) consider({ x: x + d, y }, { x });
      for (const y of ys) for (let x = 40; x < W; x += 23) for (const d of [-12, -8, -4, 4, 8, 12]) consider({ x, y: y + d }, { y });
      return { spots: out, xs, ys };
    });
    // Every fifth spot, at most 8: spread over the edges.
    const chosen = spots.spots.filter((_, i) => i % 5 === 0).slice(0, 8);
    info(`${spots.spots.length} residential spots beside tile edges (edges x ${spots.xs.map(Math.round)}, y ${spots.ys.map(Math.round)})`);
    if (!check(chosen.length >= 4, `residential spots beside tile edges to click (${chosen.length})`)) return;
    const wrong = [];
    for (const s of chosen) {
      await clickMap(page, s);
      const got = await page.evaluate(() => {
        const hs = window.__onemap.hits();
        return { first: hs[0] && { layer: hs[0].layerId, id: hs[0].id }, layers: hs.map((h) => h.layerId), title: document.querySelector('[data-testid=feature-title]')?.innerText };
      });
      if (got.first?.layer !== 'landuse-fill' || got.first?.id !== s.zone || got.title !== s.name || got.layers.includes('controls-urban-line')) {
        wrong.push(`(${Math.round(s.x)},${Math.round(s.y)}) ${s.name} → ${got.title} [${got.layers.join(' ')}]`);
      }
    }
    check(wrong.length === 0, `a click beside a tile edge opens the residential zone under it, not 城镇开发边界 (${chosen.length - wrong.length} of ${chosen.length})`, wrong.join('; '));

    // The highlight of a zone that crosses a tile edge: its whole extent,
    // no seam. Drawn alone over the background.
    const crossing = await page.evaluate((cands) => {
      const m = window.__onemap.map;
      for (const c of cands) {
        const pieces = m.querySourceFeatures('onemap', { sourceLayer: 'landuse', filter: ['==', ['id'], c.zone] });
        let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
        for (const f of pieces) {
          for (const ring of f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat()) {
            for (const q of ring) {
              const p = m.project(q);
              x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
            }
          }
        }
        const e = c.edge;
        const W = m.getCanvas().clientWidth;
        const H = m.getCanvas().clientHeight;
        const inView = x0 > 2 && y0 > 2 && x1 < W - 2 && y1 < H - 2;
        if (inView && (e.x !== undefined ? x0 < e.x - 14 && x1 > e.x + 14 : y0 < e.y - 14 && y1 > e.y + 14)) {
          return { ...c, extent: [x0, y0, x1, y1] };
        }
      }
      return null;
    }, spots.spots);
    if (!check(crossing !== null, 'a residential zone crossing a tile edge, in view, to highlight')) return;
    await clickMap(page, crossing);
    await page.evaluate(() => {
      const m = window.__onemap.map;
      for (const l of m.getStyle().layers) {
        if (l.type !== 'background' && !l.id.startsWith('selection')) m.setLayoutProperty(l.id, 'visibility', 'none');
      }
    });
    await nextIdle(page);
    await waitIdle(page);
    const px = await page.evaluate((c) => new Promise((done) => {
      const m = window.__onemap.map;
      m.once('render', () => {
        const src = m.getCanvas();
        const k = src.width / src.clientWidth;
        const cv = document.createElement('canvas');
        cv.width = src.width; cv.height = src.height;
        const g = cv.getContext('2d');
        g.drawImage(src, 0, 0);
        const d = g.getImageData(0, 0, cv.width, cv.height).data;
        const bg = [d[0], d[1], d[2]];
        const kind = (x, y) => {
          const i = 4 * (Math.round(y * k) * cv.width + Math.round(x * k));
          const [R, G, B] = [d[i], d[i + 1], d[i + 2]];
          if (Math.abs(R - 0) + Math.abs(G - 184) + Math.abs(B - 212) < 90) return 'line';
          if (Math.abs(R - bg[0]) + Math.abs(G - bg[1]) + Math.abs(B - bg[2]) < 8) return 'bg';
          return 'fill';
        };
        const W = src.clientWidth; const H = src.clientHeight;
        let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < W; x++) {
            if (kind(x, y) === 'bg') continue;
            x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
          }
        }
        // Across the tile edge: lines where the zone is filled 10 pixels
        // on either side, 4 lines before and after too (so that no side of
        // the zone, with its own outline, passes between), and those of
        // them with an outline in between (where a tile's cut would be
        // drawn, 8 pixels beyond its edge).
        let across = 0; let seams = 0;
        const e = c.edge;
        const lo = e.x !== undefined ? Math.max(0, Math.floor(c.extent[1])) : Math.max(0, Math.floor(c.extent[0]));
        const hi = e.x !== undefined ? Math.min(H - 1, Math.ceil(c.extent[3])) : Math.min(W - 1, Math.ceil(c.extent[2]));
        for (let t = lo; t <= hi; t++) {
          const at = (s, dt = 0) => (e.x !== undefined ? kind(e.x + s, t + dt) : kind(t + dt, e.y + s));
          if ([-10, 10].some((s) => [-4, 0, 4].some((dt) => at(s, dt) !== 'fill'))) continue;
          across++;
          for (let s = -9; s < 10; s++) if (at(s) === 'line') { seams++; break; }
        }
        done({ box: [x0, y0, x1, y1], across, seams });
      });
      m.triggerRepaint();
    }), crossing);
    const ext = crossing.extent.map(Math.round);
    info(`zone ${crossing.zone} ${crossing.name}: extent ${ext}, highlight ${px.box}, ${px.across} lines across the edge, ${px.seams} with an outline`);
    const off = px.box.map((v, i) => Math.abs(v - ext[i]));
    check(Math.max(...off) <= 4, `the highlight covers the zone's whole extent across tiles (off by ${Math.round(Math.max(...off))} px at most)`, `highlight ${px.box}, zone ${ext}`);
    check(px.across >= 10 && px.seams === 0, `the highlight has no seam along the tile edge (${px.seams} of ${px.across} lines across it)`);
    await page.screenshot({ path: join(shotDir, 'highlight.png') });
  } catch (e) {
    fail(`residential zones beside tile edges: ${short(e)}`);
  } finally {
    cleanChecks(r, rec);
    await context.close();
  }
}

// projectsUnder lists, for every spot where project points or clusters are
// drawn over an enclave, how many projects a click there covers; the spot
// covering the most first.
async function crowdedEnclaveSpots(page) {
  return page.evaluate(() => {
    const m = window.__onemap.map;
    const W = m.getCanvas().clientWidth;
    const H = m.getCanvas().clientHeight;
    const layers = ['projects-cluster', 'projects-circle'].filter((id) => m.getLayer(id));
    const spots = [];
    for (const f of m.queryRenderedFeatures({ layers })) {
      const c = m.project(f.geometry.coordinates);
      for (let dx = -10; dx <= 10; dx += 5) {
        for (let dy = -10; dy <= 10; dy += 5) {
          const p = { x: c.x + dx, y: c.y + dy };
          if (p.x < 30 || p.y < 30 || p.x > W - 420 || p.y > H - 40) continue;
          const enclave = m.queryRenderedFeatures([p.x, p.y], { layers: ['enclaves-fill'] })[0];
          if (!enclave) continue;
          const near = m.queryRenderedFeatures([[p.x - 6, p.y - 6], [p.x + 6, p.y + 6]], { layers });
          const ids = new Set(near.map((g) => (g.properties.cluster ? `c${g.properties.cluster_id}` : `p${g.id ?? g.properties.id}`)));
          const projects = [...ids].reduce((n, k) => n + (k[0] === 'c' ? near.find((g) => `c${g.properties.cluster_id}` === k).properties.point_count : 1), 0);
          spots.push({ x: p.x, y: p.y, projects, enclave: enclave.properties.name });
        }
      }
    }
    return spots.sort((a, b) => b.projects - a.projects);
  });
}

// (7) Everything under a click over a crowd of projects on an enclave,
// at the city's view or closer to the enclaves.
async function enclaveUnderProjects(page) {
  try {
    const enclaves = await page.evaluate(() => {
      const m = window.__onemap.map;
      const out = new Map();
      for (const f of m.querySourceFeatures('onemap', { sourceLayer: 'enclaves' })) {
        const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
        const c = ring.reduce((s, q) => [s[0] + q[0] / ring.length, s[1] + q[1] / ring.length], [0, 0]);
        if (!out.has(f.id)) out.set(f.id, c);
      }
      return [...out.values()];
    });
    const view = await page.evaluate(() => ({ center: window.__onemap.map.getCenter().toArray(), zoom: window.__onemap.map.getZoom() }));
    let best = (await crowdedEnclaveSpots(page)).map((s) => ({ ...s, ...view }))[0] || null;
    for (const c of enclaves) {
      if (best && best.projects >= 10) break;
      await jump(page, c, 10);
      const s = (await crowdedEnclaveSpots(page))[0];
      if (s && (!best || s.projects > best.projects)) best = { ...s, center: c, zoom: 10 };
    }
    if (!check(best !== null && best.projects >= 10, `a spot over an enclave with ten projects or more under a click${best ? ` (${best.projects}, ${best.enclave}, z${best.zoom})` : ''}`)) return;
    await jump(page, best.center, best.zoom);
    await clickMap(page, best);
    const got = await page.evaluate(() => {
      const hs = window.__onemap.hits();
      const panel = document.querySelector('[data-testid=feature-panel]');
      const tags = [...panel.querySelectorAll('.fp-tag')];
      const groups = [...panel.querySelectorAll('.fp-group')].map((g) => ({ layer: g.dataset.layer, tags: g.querySelectorAll('.fp-tag').length }));
      const cut = tags.filter((t) => t.scrollWidth > t.clientWidth + 1 || t.scrollHeight > t.clientHeight + 1
        || getComputedStyle(t).textOverflow === 'ellipsis').map((t) => t.innerText);
      return {
        hits: hs.length, projects: hs.filter((h) => h.sourceLayer === 'projects').length, tags: tags.length, groups, cut,
        enclave: hs.findIndex((h) => h.sourceLayer === 'enclaves'),
        order: hs.map((h) => h.sourceLayer),
      };
    });
    info(`hits: ${got.hits} (${got.groups.map((g) => `${g.layer} ${g.tags}`).join(', ')})`);
    check(got.projects >= best.projects, `every project under the click is listed (${got.projects} of ${best.projects})`);
    check(got.hits > 10 && got.tags === got.hits, `all ${got.hits} features under the click are shown, more than ten (${got.tags} entries)`);
    const layers = got.groups.map((g) => g.layer);
    check(new Set(layers).size === layers.length && got.groups.reduce((n, g) => n + g.tags, 0) === got.hits,
      `the entries are grouped by layer, each layer once (${layers.join(', ')})`);
    check(got.cut.length === 0, 'no entry has its name cut', got.cut.slice(0, 3).join(' | '));
    if (check(got.enclave >= 0, `the enclave ${best.enclave} is listed`)) {
      await page.locator(`.fp-tag[data-index="${got.enclave}"]`).click();
      const title = await page.getByTestId('feature-title').innerText();
      check(title === best.enclave, `choosing the enclave shows it (${title})`);
      const outlined = await page.evaluate(() => {
        const f = window.__onemap.map.getLayer('selection-line');
        return f ? f.source === 'onemap' && f.sourceLayer === 'enclaves' : false;
      });
      check(outlined, 'choosing the enclave outlines it');
    }
    await page.screenshot({ path: join(shotDir, 'enclave.png') });
    await page.getByTestId('feature-panel').locator('.fp-close').click();
    await jump(page, view.center, view.zoom);
  } catch (e) {
    fail(`features under a crowd of projects: ${short(e)}`);
  }
}

// drawnProjects answers the project circles and clusters drawn, each with
// its projects (a cluster's from its source), and the distinct projects
// of the tiles in view.
async function drawnProjects(page) {
  return page.evaluate(async () => {
    const m = window.__onemap.map;
    const has = (id) => Boolean(m.getLayer(id));
    const drawn = m.queryRenderedFeatures({ layers: ['projects-cluster', 'projects-circle'].filter(has) });
    const out = [];
    const seen = new Set();
    for (const f of drawn) {
      const key = f.properties.cluster_id !== undefined ? `c${f.properties.cluster_id}` : `p${f.id ?? f.properties.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const p = m.project(f.geometry.coordinates);
      const leaves = f.properties.cluster
        ? (await m.getSource(f.source).getClusterLeaves(f.properties.cluster_id, Infinity, 0)).map((l) => l.properties)
        : [f.properties];
      out.push({ id: f.id ?? f.properties.id, cluster: Boolean(f.properties.cluster), count: f.properties.point_count || 1, x: p.x, y: p.y, leaves });
    }
    const tiles = new Set(m.queryRenderedFeatures({ layers: ['projects-data', 'projects-circle'].filter(has) })
      .filter((f) => f.source === 'projects').map((f) => f.id ?? f.properties.id));
    return { drawn: out, tiles: tiles.size };
  });
}

// The clusters: counts, no overlaps, names clear of points, filters.
async function clusters(page, browser) {
  try {
    const city = await page.evaluate(() => ({ center: window.__onemap.map.getCenter().toArray(), zoom: window.__onemap.map.getZoom() }));
    let d = await drawnProjects(page);
    const clustered = d.drawn.filter((p) => p.cluster);
    const total = d.drawn.reduce((n, p) => n + p.count, 0);
    check(clustered.length > 0 && clustered.every((c) => c.count >= 2 && c.leaves.length === c.count),
      `the city view draws clusters with counts (${clustered.length} clusters of ${clustered.map((c) => c.count).join(', ')})`);
    check(total === d.tiles && total > 0, `the clusters and points add up to the projects in view (${total} of ${d.tiles})`);
    const counts = await page.evaluate(() => window.__onemap.map.queryRenderedFeatures({ layers: ['projects-cluster-count'].filter((id) => window.__onemap.map.getLayer(id)) }).length);
    check(counts >= clustered.length && clustered.length > 0, `every cluster shows its count (${counts} counts for ${clustered.length} clusters)`);

    // The city centre at z11, where the points crowded.
    await jump(page, [114.02, 33.58], 11);
    d = await drawnProjects(page);
    const close = [];
    for (let i = 0; i < d.drawn.length; i++) {
      for (let j = i + 1; j < d.drawn.length; j++) {
        const a = d.drawn[i]; const b = d.drawn[j];
        if (Math.hypot(a.x - b.x, a.y - b.y) < 10) close.push(`${a.leaves[0].name}/${b.leaves[0].name}`);
      }
    }
    check(close.length === 0, `no two project circles at the city centre overlap (${d.drawn.length} drawn at z11)`, close.slice(0, 5).join('; '));
    await jump(page, [114.02, 33.58], 12);
    const covered = await page.evaluate(() => {
      const m = window.__onemap.map;
      const out = [];
      const points = m.queryRenderedFeatures({ layers: ['projects-cluster', 'projects-circle'].filter((id) => m.getLayer(id)) });
      for (const f of points) {
        const p = m.project(f.geometry.coordinates);
        const own = f.id ?? f.properties.id;
        for (const l of m.queryRenderedFeatures([p.x, p.y], { layers: ['projects-label'] })) {
          if ((l.id ?? l.properties.id) !== own) out.push(`${l.properties.name} over ${f.properties.name || f.properties.point_count}`);
        }
      }
      return { points: points.length, labels: m.queryRenderedFeatures({ layers: ['projects-label'] }).length, out };
    });
    check(covered.points > 0 && covered.labels > 0 && covered.out.length === 0,
      `no project name lies on another project's point or cluster (${covered.labels} names, ${covered.points} points at z12)`, covered.out.slice(0, 5).join('; '));
    await page.screenshot({ path: join(shotDir, 'clusters.png') });

    // A stage filter: only that stage in the clusters too.
    await jump(page, city.center, city.zoom);
    await page.getByTestId('filter-stage').getByText('在建', { exact: true }).click({ timeout: 10000 });
    await page.waitForFunction(() => window.__onemap.map.getSource('projects').tiles[0].includes('stage=building'), null, { timeout: 10000 });
    await nextIdle(page);
    await waitIdle(page);
    d = await drawnProjects(page);
    const leaves = d.drawn.flatMap((p) => p.leaves);
    const others = leaves.filter((p) => p.stage !== 'building');
    check(leaves.length > 0 && others.length === 0 && leaves.length === d.tiles,
      `with the 在建 filter the clusters hold only projects 在建 (${leaves.length} of ${d.tiles}; ${others.length} others)`);
  } catch (e) {
    fail(`clusters: ${short(e)}`);
  }

  // A district user's clusters hold their district's projects only.
  const yh = await signIn(browser, '/', 'yuanhui', 'luohe-yuanhui-2026');
  try {
    const district = await yh.page.evaluate(() => window.__onemap.user?.district_id);
    const d = await drawnProjects(yh.page);
    const leaves = d.drawn.flatMap((p) => p.leaves);
    const others = leaves.filter((p) => Number(p.district_id) !== Number(district));
    check(leaves.length > 0 && others.length === 0, `a district user's clusters hold only their district's projects (${leaves.length}; ${others.length} others)`);
  } catch (e) {
    fail(`district clusters: ${short(e)}`);
  } finally {
    await yh.context.close();
  }
}

await runInChromium(r, 'pick e2e', base, shotDir, async (browser) => {
  const timed = async (part, ...args) => {
    const t0 = Date.now();
    await part(...args);
    info(`${part.name}: ${Math.round((Date.now() - t0) / 1000)} s`);
  };
  await timed(residentialZones, browser);
  const admin = await signIn(browser, '/', 'admin', 'luohe-admin-2026');
  await timed(enclaveUnderProjects, admin.page);
  await timed(clusters, admin.page, browser);
  cleanChecks(r, admin.rec);
  await admin.context.close();
});
