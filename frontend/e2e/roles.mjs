#!/usr/bin/env node
// Browser test of accounts, roles and share links against a running onemap
// server seeded with `onemap seed` (its demo data and demo accounts):
//
//   node frontend/e2e/roles.mjs <baseURL> <screenshotDir>
//
// For each demo account it opens a page of the app (a deep link for some:
// /admin, /projects, /land), signs in through the login form, waits for the
// map and checks that the link's view is shown, and what the role sees and
// may do (管理, 分享给企业, 编辑, the 总投资 row, a district user's own
// projects only, 403 and 401 refusals); as the administrator it walks the
// views with the browser's back and forward buttons, and adds a district
// user whose district list comes from GET /api/meta.
// As the investment user it creates a password-protected share link in the
// UI, opens it in a fresh browser context (password form, wrong and right
// password, only the shared features and fields, only the link's tiles),
// revokes it and checks the firm then gets 链接不存在、已过期或已撤销.
// Without GET /api/meta the page says it cannot start, and starts once it
// answers. Signed out (before signing in, after 退出, when the session
// ends), the page shows nothing of the data: no map, filters or legend,
// and asks for none. The leader filter is offered, as a list of names from
// GET /api/leaders, only to the roles that may filter by leader, and a
// name (张丽华) draws that leader's projects; a map error reaches the user
// as a sentence in Chinese, never a URL.
// Writes happen (a user, a project edit, a monthly report, a share link),
// so give it a freshly seeded database. One PASS/FAIL line per check, a
// screenshot per role and of the share view; exit status 1 on any failure.
import { join, resolve } from 'node:path';
import {
  TIMEOUT, apiStatus, baseURL, cleanChecks, field, limit, nextIdle, openContext, projectTarget, rendered, report, runInChromium, sameOrigin, shown, signIn, waitIdle,
} from './harness.mjs';

const base = baseURL(process.argv[2]);
const shotDir = resolve(process.argv[3] || 'e2e-shots');

// The demo accounts of `onemap seed` (published development passwords),
// each with the page it opens first and the view that page must show after
// signing in: {path, view}, view being a test id (the viewer's /admin is
// not theirs: they get the overview).
const ACCOUNTS = [
  { username: 'admin', password: 'luohe-admin-2026', role: 'admin', roleZH: '系统管理员', start: 'admin', lands: { path: '/admin/users', view: 'users-table' } },
  { username: 'leader', password: 'luohe-leader-2026', role: 'leader', roleZH: '市领导', start: 'projects', lands: { path: '/projects', view: 'view-projects' } },
  { username: 'land', password: 'luohe-land-2026', role: 'land', roleZH: '自然资源和规划局', start: 'land', lands: { path: '/land', view: 'view-land' } },
  { username: 'invest', password: 'luohe-invest-2026', role: 'investment', roleZH: '招商部门', start: '', lands: { path: '/', view: 'view-map' } },
  { username: 'yuanhui', password: 'luohe-yuanhui-2026', role: 'district', roleZH: '县区', district: '源汇区', start: '', lands: { path: '/', view: 'view-map' } },
  { username: 'viewer', password: 'luohe-viewer-2026', role: 'viewer', roleZH: '浏览用户', start: 'admin', lands: { path: '/', view: 'view-map' } },
];

const r = report();
const { pass, fail, info, check } = r;
const short = (e) => String(e?.message || e).split('\n')[0];
limit(10, 'roles e2e');
const isLocal = sameOrigin(base);

const newContext = (browser, label) => openContext(browser, base, label);
const checkClean = (rec) => cleanChecks(r, rec);

/** path is the page's path. */
const path = (page) => new URL(page.url()).pathname;

/** at waits until the page's path is p (the router may be on its way) and
 * tells whether it got there. */
const at = (page, p) => page.waitForURL((u) => u.pathname === p, { timeout: 10000 }).then(() => true, () => false);

/** DATA_SHOWN lists what shows data: the map, the side panel with its
 * filters and legend, the feature panel. */
const DATA_SHOWN = ['map', 'side-panel', 'filters', 'layers', 'feature-panel', 'nav'];

/** noDataShown checks that a signed-out page shows the login form and
 * nothing of the data, and that it asked the server for no data (rec:
 * the context's requests; since: how many of them to skip). */
async function noDataShown(page, rec, label, since = 0) {
  const shownIDs = [];
  for (const id of DATA_SHOWN) if (await page.getByTestId(id).count()) shownIDs.push(id);
  const canvas = await page.locator('canvas, .maplibregl-map').count();
  check(shownIDs.length === 0 && canvas === 0, `${label}: the login card shows nothing of the data (no map, filters, legend)`,
    `${shownIDs.join(', ')}${canvas ? ` and ${canvas} map elements` : ''}`);
  const asked = rec.requests.slice(since).filter(isLocal).map((u) => new URL(u).pathname)
    .filter((p) => p.startsWith('/tiles') || p === '/style.json' || (p.startsWith('/api/') && !['/api/meta', '/api/session', '/api/logout'].includes(p)));
  check(asked.length === 0, `${label}: no data asked for while signed out`, asked.slice(0, 5).join(', '));
}

async function login(page, a, rec) {
  await signIn(page, base, a, rec ? () => noDataShown(page, rec, `${a.username} before signing in`) : undefined);
  check(await waitIdle(page) !== null, `${a.username}: map idle after signing in`, `not within ${TIMEOUT} ms`);
}

/** clickProject clicks the rendered project point nearest the map's centre
 * and answers the details panel's text. */
async function clickProject(page) {
  const points = (await rendered(page, ['projects-circle'])).filter((f) => f.coords);
  if (!points.length) return null;
  const target = await projectTarget(page, points);
  if (!target) return null;
  await page.mouse.click(target.x, target.y);
  const panel = page.getByTestId('feature-panel');
  await panel.waitFor({ state: 'visible', timeout: 10000 });
  await page.waitForFunction(() => window.__onemap.selected?.sourceLayer === 'projects', null, { timeout: 10000 });
  const selected = await page.evaluate(() => window.__onemap.selected || null);
  return { text: await panel.innerText(), props: selected?.properties || target.props, id: selected?.id };
}

async function navState(page) {
  const vis = async (id) => page.getByTestId(id).isVisible().catch(() => false);
  return {
    admin: await vis('nav-admin'), share: await vis('nav-share'), tokens: await vis('nav-tokens'),
    password: await vis('nav-password'), logout: await vis('logout'),
  };
}

// ---------------------------------------------------------------- roles

async function roleAdmin(page, a) {
  // Signed in through the deep link /admin: 管理 is open already.
  const rows = page.locator('[data-testid=users-table] .el-table__body-wrapper tbody tr');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=users-table] .el-table__body-wrapper tbody tr').length >= 6,
    null, { timeout: 10000 }).catch(() => {});
  const n = await rows.count();
  check(n >= 6, `admin: 管理 opens the users table (${n} users)`);
  const tableText = await page.getByTestId('users-table').innerText().catch(() => '');
  check(['admin', 'leader', 'land', 'invest', 'yuanhui', 'viewer'].every((u) => tableText.includes(u)) && tableText.includes('招商部门'),
    'admin: users table lists the demo accounts with Chinese role names');
  const yuanhui = (await rows.filter({ hasText: 'yuanhui' }).first().innerText().catch(() => '')).replace(/\s+/g, ' ');
  check(yuanhui.includes('源汇区') && !yuanhui.includes('#'), `admin: the users table names yuanhui's district (${yuanhui})`);

  // Add a user through the dialog.
  const newUser = `e2e${Date.now().toString(36)}`;
  await page.getByTestId('user-add').click();
  await page.getByTestId('user-username').fill(newUser);
  await page.getByTestId('user-display').fill('端到端测试用户');
  await page.getByTestId('user-password').fill('e2eTester2026pass');
  await page.getByTestId('user-submit').click();
  try {
    await page.waitForFunction((u) => document.querySelector('[data-testid=users-table]')?.innerText.includes(u), newUser, { timeout: 10000 });
    pass(`admin: added user ${newUser} (浏览用户) through the dialog`);
  } catch {
    fail(`admin: adding a user: ${await page.getByTestId('user-error').innerText().catch(() => '?')}`);
  }
  await page.screenshot({ path: join(shotDir, 'admin-users.png') });

  // Disable the new user with the switch, then the audit log shows both writes.
  const sw = page.getByTestId(`user-enabled-${newUser}`);
  if (await sw.count()) {
    const patched = page.waitForResponse((res) => /\/api\/users\/\d+$/.test(new URL(res.url()).pathname) && res.request().method() === 'PATCH',
      { timeout: 10000 }).catch(() => null);
    await sw.click();
    const res = await patched;
    check(res?.status() === 200, `admin: the enable switch saves (PATCH /api/users/:id ${res?.status()})`);
    const r = await apiStatus(page, 'GET', '/api/users');
    const u = r.json?.users?.find((x) => x.username === newUser);
    check(u?.disabled === true, `admin: the enable switch disables ${newUser}`);
  } else {
    fail('admin: enable switch of the new user');
  }

  await page.getByRole('tab', { name: '审计日志' }).click();
  await page.getByTestId('audit-search').click();
  const auditRows = '[data-testid=audit-table-rows] .el-table__body-wrapper tbody tr';
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 0, auditRows, { timeout: 10000 }).catch(() => {});
  const auditText = await page.getByTestId('audit-table-rows').innerText().catch(() => '');
  const an = await page.locator(auditRows).count();
  check(an > 0, `admin: audit log lists entries (${an})`);
  check(auditText.includes(newUser) && auditText.includes('→'), 'admin: audit log shows the new user with a before → after diff', auditText.slice(0, 200));
  check(path(page) === '/admin/audit', `admin: the audit tab has its address (${path(page)})`);
  await page.screenshot({ path: join(shotDir, 'admin-audit.png') });
  await page.keyboard.press('Escape');
  check(await at(page, '/') && await shown(page, 'audit-table-rows', 'hidden') && await shown(page, 'view-map'),
    `admin: closing 管理 opened by a deep link leads to the overview (${path(page)})`);

  await addDistrictUser(page);
  await backAndForth(page);

  const p = await clickProject(page);
  check(p && p.text.includes('总投资'), 'admin: project panel shows 总投资', p?.text.slice(0, 120));
  check(await page.getByTestId('project-edit').isVisible().catch(() => false), 'admin: 编辑 button on any project');
}

/** addDistrictUser adds a 县区 user through the dialog: its district list
 * is GET /api/meta's, and the district chosen is the one saved. */
async function addDistrictUser(page) {
  const meta = await page.evaluate(async () => (await fetch('/api/meta')).json());
  const want = (meta.districts || []).map((d) => d.name);
  await page.getByTestId('nav-admin').click();
  await shown(page, 'users-table');
  await page.getByTestId('user-add').click();
  const username = `e2eq${Date.now().toString(36)}`;
  await page.getByTestId('user-username').fill(username);
  await page.getByTestId('user-display').fill('端到端县区用户');
  await page.getByTestId('user-password').fill('e2eDistrict2026pass');
  await page.getByTestId('user-form').getByTestId('user-roles').click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '县区', exact: true }).click();
  await page.getByTestId('user-username').click(); // closes the roles' list
  await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  if (!check(await shown(page, 'user-district'), 'admin: choosing 县区 asks for the district')) return;
  await page.getByTestId('user-district').click();
  const options = page.locator('.el-select-dropdown:visible').getByRole('option');
  await options.first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
  const got = await options.allInnerTexts();
  check(want.length > 0 && got.length === want.length && want.every((n) => got.includes(n)),
    `admin: the new user's district list is GET /api/meta's districts (${got.join(' ')})`, `want ${want.join(' ')}`);
  const pick = meta.districts.find((d) => d.kind === 'county' && d.name !== '源汇区') || meta.districts[0];
  await options.filter({ hasText: pick.name }).first().click();
  await page.getByTestId('user-submit').click();
  const made = await page.waitForFunction((u) => document.querySelector('[data-testid=users-table]')?.innerText.includes(u), username, { timeout: 10000 })
    .then(() => true, () => false);
  const r = await apiStatus(page, 'GET', '/api/users');
  const u = r.json?.users?.find((x) => x.username === username);
  check(made && u?.roles?.includes('district') && Number(u.district_id) === Number(pick.id),
    `admin: the 县区 user is saved with ${pick.name} (district ${pick.id})`, `${JSON.stringify(u)} ${await page.getByTestId('user-error').innerText().catch(() => '')}`);
  const row = (await page.locator('[data-testid=users-table] .el-table__body-wrapper tbody tr').filter({ hasText: username }).first()
    .innerText().catch(() => '')).replace(/\s+/g, ' ');
  check(row.includes(pick.name) && !row.includes('#'), `admin: the users table names the new user's district (${row})`);
  await page.keyboard.press('Escape');
  await shown(page, 'users-table', 'hidden');
}

/** backAndForth walks the views with the browser's buttons: the map stays
 * the same map, and each address shows its view. */
async function backAndForth(page) {
  await page.evaluate(() => { window.__onemap.map.__e2eMark = true; });
  await page.getByTestId('nav-admin').click();
  check(await at(page, '/admin/users') && await shown(page, 'users-table'), `admin: 管理 opens at /admin/users (${path(page)})`);
  await page.goBack();
  check(await at(page, '/') && await shown(page, 'users-table', 'hidden') && await shown(page, 'view-map'),
    `admin: the back button closes 管理 (${path(page)})`);
  await page.goForward();
  check(await at(page, '/admin/users') && await shown(page, 'users-table'), `admin: the forward button opens 管理 again (${path(page)})`);
  await page.keyboard.press('Escape');
  check(await at(page, '/') && await shown(page, 'users-table', 'hidden'), `admin: closing 管理 goes back to the overview (${path(page)})`);

  for (const [nav, view, where] of [['nav-land', 'view-land', '/land'], ['nav-projects', 'view-projects', '/projects'], ['nav-invest', 'view-invest', '/invest']]) {
    await page.getByTestId(nav).click();
    check(await at(page, where) && await shown(page, view), `admin: ${nav} shows ${view} at ${where} (${path(page)})`);
  }
  await page.goBack();
  check(await at(page, '/projects') && await shown(page, 'view-projects'), `admin: back from /invest shows the projects' view (${path(page)})`);
  await page.goBack();
  check(await at(page, '/land') && await shown(page, 'view-land'), `admin: back again shows the land view (${path(page)})`);
  await page.goForward();
  check(await at(page, '/projects') && await shown(page, 'view-projects'), `admin: forward shows the projects' view (${path(page)})`);
  check(await page.evaluate(() => window.__onemap.map.__e2eMark === true), 'admin: the views share one map (not made anew)');
  await page.getByTestId('nav-map').click();
  check(await at(page, '/') && await shown(page, 'view-map'), `admin: nav-map shows the overview (${path(page)})`);
}

/** mapErrorInChinese has the map ask for project tiles the server
 * refuses (filtered by leader, which a viewer may not; so it went when a
 * viewer typed in 分包领导): the map says so in a Chinese sentence, with
 * the server's reason and without the tile's URL; with the tiles' URL
 * back the projects are drawn again. */
async function mapErrorInChinese(page, who) {
  const url = await page.evaluate(() => {
    const src = window.__onemap.map.getSource('projects');
    const was = src.tiles[0];
    src.setTiles([`${was}${was.includes('?') ? '&' : '?'}leader=${encodeURIComponent('不存在的领导')}`]);
    return was;
  });
  const banner = page.locator('.map-error');
  const ok = await banner.waitFor({ state: 'visible', timeout: 15000 }).then(() => true, () => false);
  const text = ok ? await banner.innerText() : '';
  check(ok && /^地图数据加载失败：/.test(text) && /筛选参数/.test(text) && !/https?:|AJAXError|\.mvt|\(\d{3}\)/.test(text),
    `${who}: a refused tile request shows a Chinese sentence (${text})`);
  await page.evaluate((was) => { window.__onemap.map.getSource('projects').setTiles([was]); }, url);
  await banner.click().catch(() => {});
  // The tiles come back, then their points go into the clustering source
  // (after the map's idle): wait for the points themselves.
  const back = await page.waitForFunction(() => {
    const m = window.__onemap.map;
    const layers = ['projects-circle', 'projects-cluster'].filter((id) => m.getLayer(id));
    return m.queryRenderedFeatures({ layers }).length;
  }, null, { timeout: TIMEOUT }).then((h) => h.jsonValue(), () => 0);
  await waitIdle(page);
  check(back > 0 && !await banner.isVisible().catch(() => false), `${who}: the projects are drawn again with the tiles' URL back (${back})`);
}

/** leaderFilter chooses 张丽华 in the leader list (names from
 * GET /api/leaders): the map then draws only the projects whose stored
 * leader is 张丽华 with a title (张丽华 副市长). */
async function leaderFilter(page, who) {
  const list = await apiStatus(page, 'GET', '/api/leaders');
  const names = (list.json?.leaders || []).map((l) => l.name);
  check(list.status === 200 && names.includes('张丽华') && names.every((n) => !/\s/.test(n)),
    `${who}: GET /api/leaders lists leaders by name (${names.join(' ')})`);
  const select = page.getByTestId('filter-leader');
  if (!check(await shown(page, 'filter-leader'), `${who}: the filters offer 分包领导`)) return;
  await select.click();
  const options = page.locator('.el-select-dropdown:visible').getByRole('option');
  await options.first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
  const got = await options.allInnerTexts();
  check(got.length === names.length && got.some((o) => o.startsWith('张丽华') && o.includes('副市长')),
    `${who}: the leader list offers the leaders with their titles (${got.slice(0, 4).join(' ')} …)`);
  await options.filter({ hasText: '张丽华' }).first().click();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => {
    const m = window.__onemap.map;
    return (m.getSource('projects')?.tiles?.[0] || '').includes('leader=');
  }, null, { timeout: 10000 }).catch(() => {});
  await nextIdle(page);
  await waitIdle(page);
  const feats = await rendered(page, ['projects-circle']);
  const leadersDrawn = [...new Set(feats.map((f) => f.props.leader))];
  check(feats.length > 0 && leadersDrawn.every((l) => /^张丽华\s/.test(l)),
    `${who}: 张丽华 draws the projects of ${leadersDrawn.join(', ')} (${feats.length})`);
  check(!await page.locator('.map-error').isVisible().catch(() => false), `${who}: no map error with the leader filter`);
  await page.evaluate(() => { window.__onemap.filters.leader = []; });
  await nextIdle(page);
}

async function roleLeader(page) {
  // Signed in through the deep link /projects: the projects in view are listed.
  const items = page.locator('[data-testid=projects-list] .project-item');
  await items.first().waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
  const listed = await items.count();
  const count = Number(await page.getByTestId('projects-count').locator('b').innerText().catch(() => '0'));
  check(listed > 0 && listed === Math.min(count, 100), `leader: the projects' view lists the projects in view (${listed} of ${count})`);
  if (listed) {
    const name = (await items.first().locator('.project-name').innerText()).trim();
    await items.first().click();
    const shownName = await page.getByTestId('feature-title').innerText().catch(() => '');
    check(shownName === name, `leader: a click on a listed project shows its details (${name})`, shownName);
    await page.locator('.fp-close').click();
  }
  const p = await clickProject(page);
  check(p && p.text.includes('总投资'), 'leader: project panel shows 总投资', p?.text.slice(0, 160));
  check(p && p.text.includes('分包领导'), 'leader: project panel shows 分包领导');
  check(!await page.getByTestId('project-edit').isVisible().catch(() => false), 'leader: no 编辑 button');
  const r = await apiStatus(page, 'GET', '/api/users');
  check(r.status === 403, `leader: GET /api/users refused with 403 (${r.status})`);
  await leaderFilter(page, 'leader');
}

async function roleLand(page) {
  const p = await clickProject(page);
  check(p && !p.text.includes('总投资') && !p.text.includes('年度计划'), 'land: project panel has no 总投资/年度计划 rows', p?.text.slice(0, 200));
  check(!await page.getByTestId('project-edit').isVisible().catch(() => false), 'land: no 编辑 button');
}

async function roleViewer(page) {
  check(await shown(page, 'filters') && await page.getByTestId('filter-leader').count() === 0,
    'viewer: the overview\'s filters have no 分包领导 (a viewer may not filter by leader)');
  await mapErrorInChinese(page, 'viewer');
  const p = await clickProject(page);
  check(p !== null, 'viewer: clicking a project opens its panel');
  check(p && !p.text.includes('总投资'), 'viewer: project panel shows no 总投资 row', p?.text.slice(0, 200));
  check(p && !p.text.includes('分包领导'), 'viewer: project panel shows no 分包领导 row');
  check(p && !('total_investment' in p.props) && !('leader' in p.props), 'viewer: project tile features carry no total_investment nor leader',
    JSON.stringify(p?.props).slice(0, 200));
  check(!await page.getByTestId('project-edit').isVisible().catch(() => false), 'viewer: no 编辑 button');
  const r = await apiStatus(page, 'GET', '/api/users');
  check(r.status === 403, `viewer: fetch /api/users from the page answers 403 (${r.status})`);
  check(/无权|角色/.test(r.json?.error?.message || ''), `viewer: the 403 says why in Chinese (${r.json?.error?.message})`);
  const s = await apiStatus(page, 'GET', '/api/shares');
  check(s.status === 403, `viewer: fetch /api/shares answers 403 (${s.status})`);
}

async function roleDistrict(page, a, browser) {
  const me = await page.evaluate(() => window.__onemap.user);
  const feats = await rendered(page, ['projects-circle', 'projects-site-fill']);
  const districts = [...new Set(feats.map((f) => f.props.district))];
  check(feats.length > 0, `yuanhui: own projects rendered (${feats.length})`);
  check(districts.length === 1 && districts[0] === a.district, `yuanhui: every rendered project is in ${a.district}`, districts.join(', '));
  check(feats.every((f) => Number(f.props.district_id) === Number(me?.district_id)), 'yuanhui: every rendered project has the user\'s district_id');

  const p = await clickProject(page);
  check(p && p.text.includes(a.district), `yuanhui: project panel of an own project (${p?.props?.name})`);
  const edit = page.getByTestId('project-edit');
  if (!check(await edit.isVisible().catch(() => false), 'yuanhui: 编辑 button on its own project')) return;
  const id = p.id;
  await edit.click();
  const dialog = page.getByTestId('project-form');
  await dialog.waitFor({ state: 'visible', timeout: 10000 });

  // Someone else saves first: the dialog's save meets a 412 and shows
  // what changed; loading the latest keeps the user's edit.
  const cur = await apiStatus(page, 'GET', `/api/projects/${id}`);
  const noTag = await apiStatus(page, 'PATCH', `/api/projects/${id}`, { properties: { responsible_unit: 'x' } });
  check(noTag.status === 428, `yuanhui: PATCH without If-Match answers 428 (${noTag.status})`);
  const other = await apiStatus(page, 'PATCH', `/api/projects/${id}`, { properties: { responsible_unit: `${cur.json.responsible_unit || ''}（他人修改）` } },
    { 'If-Match': cur.etag });
  check(other.status === 200, `yuanhui: PATCH of its own project answers 200 (${other.status})`);
  const unit = field(page, 'project-responsible_unit');
  await unit.fill('源汇区发展和改革委员会（e2e）');
  await page.getByTestId('project-save').click();
  const err = page.getByTestId('project-stale');
  await err.waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
  const errText = await err.innerText().catch(() => '');
  check(/已被他人修改/.test(errText) && errText.includes('责任单位') && errText.includes('（他人修改）'),
    'yuanhui: a stale edit (412) shows what changed: the responsible unit, theirs and mine', errText);
  await page.getByTestId('project-stale-reload').click();
  await page.getByTestId('project-save').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=project-error]'), null, { timeout: 10000 }).catch(() => {});
  const after = await apiStatus(page, 'GET', `/api/projects/${id}`);
  check(after.json?.responsible_unit === '源汇区发展和改革委员会（e2e）', 'yuanhui: saving again after the conflict changes the responsible unit',
    `${after.json?.responsible_unit} / ${await err.innerText().catch(() => '')}`);

  // Monthly report (a project that has not started yet cannot have one:
  // forms.mjs checks the months offered).
  await page.getByRole('tab', { name: '月度填报' }).click();
  await page.getByTestId('report-form').waitFor({ state: 'visible', timeout: 10000 });
  if (after.json?.report_first > after.json?.report_last) {
    check(await page.getByTestId('report-submit').isDisabled(), `yuanhui: no monthly report before the start (${after.json.report_first})`);
  } else {
    await field(page, 'report-planned').fill('1200.50');
    await field(page, 'report-invested').fill('980');
    await field(page, 'report-note').fill('主体结构施工中（e2e）');
    const put = page.waitForResponse((r) => r.url().includes(`/api/projects/${id}/progress/`) && r.request().method() === 'PUT', { timeout: 10000 });
    await page.getByTestId('report-submit').click();
    const res = await put.catch(() => null);
    check(res && res.status() === 204, `yuanhui: monthly report submitted (PUT progress ${res?.status()})`,
      await page.getByTestId('report-error').innerText().catch(() => ''));
  }
  await page.keyboard.press('Escape');
  check(await shown(page, 'project-form', 'hidden'), 'yuanhui: Escape closes the project dialog');

  // A project of another district (the leader, who sees every district,
  // names one): not readable and not writable, and left as it was.
  const foreign = await otherDistrictProject(browser, me?.district_id);
  if (!check(foreign !== null, `yuanhui: the leader names a project of another district (${foreign?.id})`)) return;
  const g = await apiStatus(page, 'GET', `/api/projects/${foreign.id}`);
  check(g.status === 403 || g.status === 404, `yuanhui: GET of another district's project ${foreign.id} refused (${g.status})`);
  const w = await apiStatus(page, 'PATCH', `/api/projects/${foreign.id}`, { properties: { responsible_unit: 'e2e 越权修改' } },
    { 'If-Match': `"v${foreign.version}"` });
  check(w.status === 403 || w.status === 404, `yuanhui: PATCH of another district's project ${foreign.id} refused (${w.status})`);
  const still = await otherDistrictProject(browser, me?.district_id, foreign.id);
  check(still?.version === foreign.version && still?.responsible_unit === foreign.responsible_unit,
    `yuanhui: another district's project ${foreign.id} is unchanged`, JSON.stringify(still));
}

/** otherDistrictProject signs in as the leader in a fresh context and
 * answers the first project (of ids 1–200, or the given id) whose district
 * is not district, as GET /api/projects/:id gives it; or null. */
async function otherDistrictProject(browser, district, only) {
  const leader = ACCOUNTS.find((x) => x.role === 'leader');
  const { context, page } = await newContext(browser, 'leader api');
  try {
    await page.goto(new URL('api/meta', base).href, { waitUntil: 'load', timeout: 60000 });
    return await page.evaluate(async ([u, pw, district, only]) => {
      const login = await fetch('/api/login', {
        method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: u, password: pw }),
      });
      if (!login.ok) return null;
      for (let id = only || 1; id <= (only || 200); id++) {
        const res = await fetch(`/api/projects/${id}`, { credentials: 'same-origin' });
        if (!res.ok) continue;
        const p = await res.json();
        if (Number(p.district_id) !== Number(district)) return p;
      }
      return null;
    }, [leader.username, leader.password, district, only]);
  } finally {
    await context.close().catch(() => {});
  }
}

// ------------------------------------------------------------ share link

/** pickOnMap zooms to parks until it finds on screen a pixel over a parcel
 * and one over a park (and no parcel); it answers the click points. */
async function findShareTargets(page) {
  const parks = await rendered(page, ['parks-fill']);
  const ids = [...new Set(parks.map((f) => f.id))].slice(0, 8);
  for (const parkID of ids) {
    await page.evaluate((pid) => {
      const m = window.__onemap.map;
      const feats = m.querySourceFeatures('onemap', { sourceLayer: 'parks' }).filter((f) => f.id === pid);
      let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
      const walk = (a) => {
        if (typeof a[0] === 'number') {
          minX = Math.min(minX, a[0]); maxX = Math.max(maxX, a[0]); minY = Math.min(minY, a[1]); maxY = Math.max(maxY, a[1]);
        } else a.forEach(walk);
      };
      for (const f of feats) walk(f.geometry.coordinates);
      m.jumpTo({ center: [(minX + maxX) / 2, (minY + maxY) / 2], zoom: 12.5 });
    }, parkID);
    await nextIdle(page);
    await waitIdle(page);
    const t = await page.evaluate(() => {
      const m = window.__onemap.map;
      const c = m.getCanvas().getBoundingClientRect();
      const r = 5;
      let parcel = null;
      let park = null;
      for (let y = 60; y < c.height - 60 && !(parcel && park); y += 10) {
        for (let x = 60; x < c.width - 60 && !(parcel && park); x += 10) {
          const hits = m.queryRenderedFeatures([[x - r, y - r], [x + r, y + r]], { layers: ['parcels-fill', 'parks-fill'] });
          const pc = hits.filter((h) => h.sourceLayer === 'parcels');
          const pk = hits.filter((h) => h.sourceLayer === 'parks');
          if (!parcel && pc.length && new Set(pc.map((h) => h.id)).size === 1) {
            parcel = { x: c.left + x, y: c.top + y, id: pc[0].id, name: pc[0].properties.name };
          }
          if (!park && !pc.length && pk.length && new Set(pk.map((h) => h.id)).size === 1) {
            park = { x: c.left + x, y: c.top + y, id: pk[0].id, name: pk[0].properties.name };
          }
        }
      }
      return parcel && park ? { parcel, park } : null;
    });
    if (t) return t;
  }
  return null;
}

async function roleInvestment(page, a, browser) {
  await page.getByTestId('nav-share').click();
  const panel = page.getByTestId('share-panel');
  if (!check(await panel.waitFor({ state: 'visible', timeout: 10000 }).then(() => true).catch(() => false), 'investment: 分享给企业 opens the share composer')) return;

  const targets = await findShareTargets(page);
  if (!check(Boolean(targets), 'investment: a parcel and a park on the map to share')) return;
  info(`sharing parcel ${targets.parcel.id} (${targets.parcel.name}) and park ${targets.park.id} (${targets.park.name})`);
  const chosenCount = (n) => page.waitForFunction((k) => window.__onemap.share.items.length >= k, n, { timeout: 5000 }).catch(() => {});
  await page.mouse.click(targets.parcel.x, targets.parcel.y);
  await chosenCount(1);
  await page.mouse.click(targets.park.x, targets.park.y);
  await chosenCount(2);
  const chosen = await page.evaluate(() => window.__onemap.share.items.map((i) => `${i.layer}:${i.id}`));
  const want = [`parcels:${targets.parcel.id}`, `parks:${targets.park.id}`];
  check(chosen.length === 2 && want.every((k) => chosen.includes(k)), 'investment: clicking the map adds the parcel and the park', chosen.join(', '));
  const count = await page.getByTestId('share-chosen').getAttribute('data-count');
  check(count === '2', `investment: the composer lists 2 chosen features (${count})`);

  // Fields: exactly code and area_mu.
  const wanted = ['code', 'area_mu'];
  const boxes = page.locator('[data-testid=share-fields] .el-checkbox');
  const nb = await boxes.count();
  for (let i = 0; i < nb; i++) {
    const box = boxes.nth(i);
    const value = await box.getAttribute('data-value');
    const on = (await box.getAttribute('class')).includes('is-checked');
    if (on !== wanted.includes(value)) await box.click();
  }
  const fieldsOn = await page.$$eval('[data-testid=share-fields] .el-checkbox.is-checked', (els) => els.map((e) => e.dataset.value));
  check(fieldsOn.length === 2 && wanted.every((f) => fieldsOn.includes(f)), `investment: fields chosen: ${fieldsOn.join(', ')}`);
  const fieldText = await page.getByTestId('share-fields').innerText();
  check(fieldText.includes('面积(亩)') && fieldText.includes('地块编号'), 'investment: share fields are labelled in Chinese');

  const title = `推荐地块 e2e ${Date.now().toString(36)}`;
  const password = 'firm-pass-2026';
  await field(page, 'share-title-input').fill(title);
  await field(page, 'share-days').fill('7');
  await field(page, 'share-password-input').fill(password);
  await page.getByTestId('share-create').click();
  const urlBox = field(page, 'share-url');
  try {
    await urlBox.waitFor({ state: 'visible', timeout: 10000 });
  } catch {
    fail(`investment: creating the link: ${await page.getByTestId('share-error').innerText().catch(() => '?')}`);
    return;
  }
  const url = await urlBox.inputValue();
  const token = (url.match(/\/s\/([^/?#]+)/) || [])[1];
  check(Boolean(token) && new URL(url).origin === base.origin, `investment: link created (${url.replace(/(sh_.{6}).*/, '$1…')})`);
  const qr = await page.getByTestId('share-qr').evaluate((img) => ({ src: img.src.slice(0, 30), w: img.naturalWidth }));
  check(qr.src.startsWith('data:image/png;base64,') && qr.w > 0, `investment: QR code image shown (${qr.w}px)`);
  await page.screenshot({ path: join(shotDir, 'share-create.png') });

  // The firm: a fresh context, no cookies.
  const firm = await newContext(browser, 'share view');
  try {
    const fp = firm.page;
    await fp.goto(url, { waitUntil: 'load', timeout: 60000 });
    const form = fp.getByTestId('share-password-form');
    check(await form.waitFor({ state: 'visible', timeout: 15000 }).then(() => true).catch(() => false), 'firm: the link asks for its password');
    check(!await fp.getByTestId('login-form').isVisible().catch(() => false), 'firm: no login form on the share page');
    check((await fp.getByTestId('share-title').innerText().catch(() => '')).includes(title), 'firm: the locked page shows the title');
    await field(fp, 'share-password').fill('wrong-pass-1');
    await fp.getByTestId('share-unlock').click();
    const err = fp.getByTestId('share-password-error');
    await err.waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
    const errText = await err.innerText().catch(() => '');
    check(errText.includes('密码'), `firm: a wrong password is refused (${errText})`);
    await field(fp, 'share-password').fill(password);
    await fp.getByTestId('share-unlock').click();
    const list = fp.getByTestId('share-list');
    if (!check(await list.waitFor({ state: 'visible', timeout: 15000 }).then(() => true).catch(() => false), 'firm: the right password opens the share view')) return;
    check((await fp.getByTestId('share-title').innerText()).includes(title), 'firm: the share view shows the title');
    const items = await fp.$$eval('[data-testid=share-item]', (els) => els.map((e) => ({
      key: `${e.dataset.layer}:${e.dataset.id}`, rows: [...e.querySelectorAll('tr')].map((r) => r.dataset.key), text: e.innerText,
    })));
    const keys = items.map((i) => i.key).sort();
    check(keys.length === 2 && want.every((k) => keys.includes(k)), `firm: exactly the chosen features listed (${keys.join(', ')})`);
    const rowKeys = [...new Set(items.flatMap((i) => i.rows))];
    check(rowKeys.length > 0 && rowKeys.every((k) => wanted.includes(k)), `firm: only the chosen fields shown (${rowKeys.join(', ')})`);
    check(items.some((i) => i.text.includes('面积(亩)')), 'firm: fields labelled in Chinese (面积(亩))');

    await fp.waitForFunction(() => Boolean(window.__onemapShare?.map), null, { timeout: 20000 });
    check(await waitIdle(fp, { global: '__onemapShare' }) !== null, 'firm: share map idle with tiles loaded');
    // The view refits to the shapes once their tiles are in: wait until
    // both are drawn (or give up and let the checks below say so).
    await fp.waitForFunction(() => {
      const m = window.__onemapShare.map;
      const ids = ['share-parcels-fill', 'share-parks-fill'].filter((id) => m.getLayer(id));
      const f = m.queryRenderedFeatures({ layers: ids });
      return !m.isMoving() && f.some((x) => x.sourceLayer === 'parcels') && f.some((x) => x.sourceLayer === 'parks');
    }, null, { timeout: 20000, polling: 250 }).catch(() => {});
    await waitIdle(fp, { global: '__onemapShare' });
    const feats = await rendered(fp, ['share-parcels-fill', 'share-parks-fill'], '__onemapShare');
    const drawn = [...new Set(feats.map((f) => `${f.sourceLayer}:${f.id}`))];
    check(feats.some((f) => f.sourceLayer === 'parcels') && feats.some((f) => f.sourceLayer === 'parks'),
      `firm: the map renders the shared parcel and park (${drawn.join(', ')})`);
    check(drawn.every((k) => want.includes(k)), 'firm: the map renders only the shared features');
    const propKeys = [...new Set(feats.flatMap((f) => Object.keys(f.props)))];
    check(propKeys.every((k) => k === 'id' || wanted.includes(k)), `firm: tile features carry only the chosen fields (${propKeys.join(', ')})`);
    const style = await fp.evaluate(() => {
      const s = window.__onemapShare.map.getStyle();
      return { sources: Object.keys(s.sources), layers: s.layers.map((l) => l.id), tiles: s.sources.share?.tiles, base: s.sources.base?.tiles };
    });
    // The base map (provinces, cities, districts, roads) comes from the
    // link's own tiles, as layers named base-….
    check(!style.sources.includes('projects') && !style.sources.includes('onemap')
      && !style.layers.some((l) => /project|firm|enclave/.test(l) || (/district/.test(l) && !l.startsWith('base-'))),
      `firm: no project, firm or enclave layers, districts only in the base map (${style.sources.join(', ')})`);
    check((style.base || []).length === 1 && style.base[0].includes(`/s/${token}/tiles/provinces,prefectures,districts,transport/`),
      'firm: the base map comes from the link\'s own tiles', JSON.stringify(style.base));
    const bodyText = await fp.locator('body').innerText();
    check(!/重点项目|县区与功能区|目标企业|退出|登 录/.test(bodyText), 'firm: the page holds no other app text (重点项目, 退出, login)');

    await fp.screenshot({ path: join(shotDir, 'share.png') });
    // A click on the list shows the feature's fields on the map.
    await fp.locator('[data-testid=share-item]').first().click();
    check(await fp.getByTestId('share-feature-panel').waitFor({ state: 'visible', timeout: 5000 }).then(() => true).catch(() => false),
      'firm: clicking a listed feature shows its fields');
    check(await nextIdle(fp, { global: '__onemapShare' }), 'firm: the share map settles on the clicked feature');
    await waitIdle(fp, { global: '__onemapShare' });
    await fp.screenshot({ path: join(shotDir, 'share-feature.png') });

    const paths = firm.rec.requests.filter(isLocal).filter((u) => /^https?:/.test(u)).map((u) => new URL(u).pathname);
    const tileReqs = paths.filter((p) => p.includes('/tiles/'));
    check(tileReqs.length > 0 && tileReqs.every((p) => p.startsWith(`/s/${token}/tiles/`)),
      `firm: the only tile requests are under /s/<token>/tiles/ (${tileReqs.length})`, tileReqs.filter((p) => !p.startsWith(`/s/${token}/`)).slice(0, 3).join(', '));
    // Of the API, only the public description of the server (labels, the
    // city) and the public style (how the base map is drawn).
    const other = paths.filter((p) => (p.startsWith('/api/') && p !== '/api/meta') || p.startsWith('/tiles'));
    check(other.length === 0, 'firm: no /api (but the public /api/meta) or /tiles request', other.slice(0, 5).join(', '));
    checkClean(firm.rec);

    // Opens are counted; revoke; the firm then gets the unavailable message.
    await page.getByRole('tab', { name: '已分享链接' }).click();
    const row = page.locator(`[data-testid=share-link-row][data-title="${title}"]`);
    await row.waitFor({ state: 'visible', timeout: 10000 });
    await page.waitForFunction((t) => Number(document.querySelector(`[data-testid=share-link-row][data-title="${t}"] [data-testid=share-opens-count]`)?.innerText) >= 1,
      title, { timeout: 10000 }).catch(() => {});
    const opens = Number(await row.getByTestId('share-opens-count').innerText());
    check(opens >= 1, `investment: the link list counts the opens (${opens})`);
    await row.getByTestId('share-opens').click();
    const opensRows = page.locator('[data-testid=share-opens-table] .el-table__body-wrapper tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=share-opens-table] .el-table__body-wrapper tbody tr').length > 0,
      null, { timeout: 10000 }).catch(() => {});
    check(await opensRows.count() >= 1, `investment: opens detail lists the visits (${await opensRows.count()})`);
    await page.keyboard.press('Escape');
    check(await shown(page, 'share-opens-table', 'hidden'), 'investment: Escape closes the opens detail');
    await row.getByTestId('share-revoke').click();
    await page.locator('.el-popconfirm .el-button--primary').filter({ hasText: '撤销' }).click();
    await page.waitForFunction((t) => {
      const el = document.querySelector(`[data-testid=share-link-row][data-title="${t}"]`);
      return el && el.innerText.includes('已撤销');
    }, title, { timeout: 10000 }).then(() => pass('investment: the link is revoked')).catch(() => fail('investment: revoking the link'));

    await fp.reload({ waitUntil: 'load' });
    const gone = fp.getByTestId('share-unavailable');
    const goneOK = await gone.waitFor({ state: 'visible', timeout: 15000 }).then(() => true).catch(() => false);
    check(goneOK && (await gone.innerText()).includes('链接不存在、已过期或已撤销'), 'firm: after revoking, the link shows 链接不存在、已过期或已撤销');
    const tileAfter = await fp.evaluate(async (tk) => (await fetch(`/s/${tk}/tiles/parcels,parks/12/3345/1655.mvt`)).status, token);
    check(tileAfter === 404 || tileAfter === 401, `firm: the revoked link's tiles are refused (${tileAfter})`);
    await fp.screenshot({ path: join(shotDir, 'share-revoked.png') });
  } finally {
    await firm.context.close().catch(() => {});
  }
  check(path(page) === '/invest/share', `investment: the composer has its address (${path(page)})`);
  await page.getByTestId('share-close').click();
  check(await at(page, '/') && await shown(page, 'share-panel', 'hidden') && await shown(page, 'view-map'),
    `investment: 返回地图 goes back where the composer was opened from (${path(page)})`);
  await page.getByTestId('nav-invest').click();
  await page.getByTestId('share-start').click();
  check(await at(page, '/invest/share') && await shown(page, 'share-panel'), `investment: the investment view opens the composer (${path(page)})`);
  await page.goBack();
  check(await at(page, '/invest') && await shown(page, 'view-invest'), `investment: back leaves the composer for the investment view (${path(page)})`);
}

// ------------------------------------------------------------------ main

async function runAccount(browser, a) {
  const { context, page, rec } = await newContext(browser, a.username);
  try {
    await login(page, a, rec);
    pass(`${a.username}: signed in through the login form at /${a.start}, map loaded`);
    check(await at(page, a.lands.path) && await shown(page, a.lands.view),
      `${a.username}: /${a.start} shows ${a.lands.view} at ${a.lands.path} after signing in (${path(page)})`);
    if (a.start === 'admin' && a.role !== 'admin') check(!await page.getByTestId('users-table').isVisible(), `${a.username}: no 管理 by a deep link`);
    const header = await page.locator('header.header').innerText();
    check(header.includes(a.roleZH), `${a.username}: header shows the role ${a.roleZH}`, header.replace(/\s+/g, ' '));
    const nav = await navState(page);
    const expect = {
      admin: a.role === 'admin',
      share: a.role === 'admin' || a.role === 'investment',
    };
    check(nav.admin === expect.admin, `${a.username}: 管理 ${expect.admin ? 'shown' : 'hidden'}`);
    check(nav.share === expect.share, `${a.username}: 分享给企业 ${expect.share ? 'shown' : 'hidden'}`);
    check(nav.tokens && nav.password && nav.logout, `${a.username}: API 令牌, 修改密码 and 退出 shown`);

    if (a.role === 'admin') await roleAdmin(page, a);
    if (a.role === 'leader') await roleLeader(page, a);
    if (a.role === 'land') await roleLand(page, a);
    if (a.role === 'district') await roleDistrict(page, a, browser);
    if (a.role === 'viewer') await roleViewer(page, a);
    if (a.role === 'investment') await roleInvestment(page, a, browser);

    if (a.role === 'leader') await tokens(page);

    await page.keyboard.press('Escape').catch(() => {});
    await page.screenshot({ path: join(shotDir, `role-${a.username}.png`) });
    pass(`${a.username}: screenshot role-${a.username}.png`);

    if (a.role === 'viewer') await anonymous(page, rec);
    if (a.role === 'land') await sessionEnds(page, rec);
    checkClean(rec);
  } catch (e) {
    fail(`${a.username}: ${short(e)}`);
    await page.screenshot({ path: join(shotDir, `role-${a.username}-failed.png`) }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
}

async function tokens(page) {
  await page.getByTestId('nav-tokens').click();
  await field(page, 'token-name').fill('e2e script');
  await page.getByTestId('token-create').click();
  const value = page.getByTestId('token-value');
  const ok = await value.waitFor({ state: 'visible', timeout: 10000 }).then(() => true).catch(() => false);
  const token = ok ? await value.innerText() : '';
  check(token.length > 20, 'leader: API token created and shown once');
  if (token) {
    const res = await fetch(new URL('api/session', base), { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json()).catch(() => ({}));
    check(res.authenticated === true && res.via && res.via !== 'session', `leader: the token authenticates a script (via ${res.via})`);
  }
  const rows = page.locator('[data-testid=tokens-table] .el-table__body-wrapper tbody tr');
  check(await rows.count() >= 1, 'leader: tokens table lists the token');
  await rows.first().getByRole('button', { name: '撤销' }).click();
  await page.locator('.el-popconfirm .el-button--primary').filter({ hasText: '撤销' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=tokens-table]')?.innerText.includes('已撤销'), null, { timeout: 10000 })
    .then(() => pass('leader: the token is revoked')).catch(() => fail('leader: revoking the token'));
  await page.keyboard.press('Escape');
  check(await shown(page, 'tokens-table', 'hidden'), 'leader: Escape closes API 令牌');
}

async function anonymous(page, rec) {
  const since = rec.requests.length;
  await page.getByTestId('logout').click();
  const form = page.getByTestId('login-form');
  check(await form.waitFor({ state: 'visible', timeout: 15000 }).then(() => true).catch(() => false), 'anonymous: after 退出 the login form is shown');
  await noDataShown(page, rec, 'anonymous after 退出', since);
  const s = await page.evaluate(async () => (await fetch('/tiles/projects/9/421/207.mvt', { credentials: 'same-origin' })).status);
  check(s === 401, `anonymous: fetch of /tiles answers 401 (${s})`);
  const u = await page.evaluate(async () => (await fetch('/api/users', { credentials: 'same-origin' })).status);
  check(u === 401, `anonymous: fetch of /api/users answers 401 (${u})`);
  check(!await page.getByTestId('nav-admin').isVisible().catch(() => false) && !await page.getByTestId('user').isVisible().catch(() => false),
    'anonymous: no user menu');
  await page.screenshot({ path: join(shotDir, 'anonymous.png') });
}

/** sessionEnds ends the session behind the app's back (as another tab's
 * 退出 or an expiry would): the next tiles answer 401, and the app shows
 * its login card with nothing of the data behind it. */
async function sessionEnds(page, rec) {
  const r = await apiStatus(page, 'POST', '/api/logout');
  check(r.status === 204, `session ends: logged out behind the app's back (${r.status})`);
  const since = rec.requests.length;
  await page.evaluate(() => { const m = window.__onemap.map; m.jumpTo({ zoom: m.getZoom() + 2 }); });
  const form = page.getByTestId('login-form');
  check(await form.waitFor({ state: 'visible', timeout: 15000 }).then(() => true).catch(() => false),
    'session ends: the next tiles answer 401 and the login card is shown');
  const msg = await page.getByTestId('login-error').innerText().catch(() => '');
  check(msg.includes('登录已过期'), `session ends: the card says why (${msg})`);
  // The tiles that found the session ended were asked while it was open.
  await noDataShown(page, { requests: rec.requests.slice(since).filter((u) => !u.includes('/tiles/')) }, 'session ends');
}

/** metaUnavailable opens the app while GET /api/meta fails: the page says
 * so (no blank page), and 重试 starts it once the server answers. */
async function metaUnavailable(browser) {
  const { context, page, rec } = await newContext(browser, 'meta unavailable');
  try {
    await context.route('**/api/meta', (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'down' }));
    await page.goto(base.href, { waitUntil: 'load', timeout: 60000 });
    const ok = await shown(page, 'meta-error', 'visible', 15000);
    const text = ok ? await page.getByTestId('meta-error').innerText() : '';
    check(ok && text.includes('无法载入系统配置'), `meta unavailable: the page says so (${text.replace(/\s+/g, ' ')})`);
    await page.screenshot({ path: join(shotDir, 'meta-unavailable.png') });
    await context.unroute('**/api/meta');
    await page.getByTestId('meta-error').getByRole('button').click();
    check(await shown(page, 'login-form', 'visible', 15000), 'meta unavailable: 重试 starts the app once the server answers');
    checkClean(rec);
  } catch (e) {
    fail(`meta unavailable: ${short(e)}`);
  } finally {
    await context.close().catch(() => {});
  }
}

await runInChromium(r, 'roles e2e', base, shotDir, async (browser) => {
  const only = process.env.E2E_ONLY ? process.env.E2E_ONLY.split(',') : null;
  for (const a of ACCOUNTS) {
    if (only && !only.includes(a.username)) continue;
    await runAccount(browser, a);
  }
  if (!only) await metaUnavailable(browser);
});
