import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumOptions, waitIdle } from './harness.mjs';

const [base, out, zoom] = process.argv.slice(2);
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'shot-')), { ...chromiumOptions(), viewport: { width: 900, height: 700 } });
const page = await ctx.newPage();
await page.request.post(base + '/api/login', { data: { username: 'admin', password: 'luohe-admin-2026' } });
await page.goto(base + '/');
await page.waitForFunction(() => window.__onemap?.map, null, { timeout: 60000 });
await waitIdle(page);
await page.evaluate((z) => {
  const m = window.__onemap.map;
  for (const l of m.getStyle().layers) if (!l.id.startsWith('landuse') && l.type !== 'background') m.setLayoutProperty(l.id, 'visibility', 'none');
  m.jumpTo({ center: [114.02, 33.58], zoom: Number(z) });
}, zoom);
await page.waitForTimeout(500);
await waitIdle(page);
await page.screenshot({ path: out, clip: { x: 300, y: 60, width: 600, height: 640 } });
await ctx.close();
