// The web map's interface words in 简体中文 (default) and English. What the
// server names (field labels, enumerations, roles, districts, the city)
// comes from GET /api/meta: see stores/meta.js.
import { ref } from 'vue';

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('onemap.lang') : null;
export const lang = ref(stored === 'en' ? 'en' : 'zh');

export function setLang(l) {
  lang.value = l === 'en' ? 'en' : 'zh';
  try { localStorage.setItem('onemap.lang', lang.value); } catch { /* private mode */ }
  document.documentElement.lang = lang.value === 'en' ? 'en' : 'zh-CN';
}

const ui = {
  title: ['{city}重点项目与招商一张图', '{city} Key Projects & Investment Map'],
  subtitle: ['{city}重点项目建设与招商引资空间信息平台', 'Key-project supervision and investment promotion'],
  layers: ['图层', 'Layers'],
  filters: ['项目筛选', 'Project filters'],
  leaderPlaceholder: ['选择分包领导', 'Choose leaders'],
  districtPlaceholder: ['全部县区', 'All districts'],
  reset: ['重置', 'Reset'],
  close: ['关闭', 'Close'],
  hereAlso: ['此处要素', 'Features here'],
  noValue: ['—', '—'],
  generalisedNote: ['此比例尺下为概略图形，放大地图可查看详细属性。', 'Generalised at this scale: zoom in for the full details.'],
  shown: ['当前视野项目', 'Projects in view'],
  lang: ['English', '中文'],
  zoomTo: ['缩放至', 'Zoom to'],
  locate: ['定位', 'Locate'],
  home: ['全市', 'Whole city'],
  legendHint: ['点击地图要素查看属性', 'Click a feature on the map to see its attributes'],
  zoomHint: ['缩放至第 {z} 级以上可见', 'Visible from zoom {z}'],
  loading: ['地图加载中…', 'Loading the map…'],
  mapError: ['地图数据加载失败：', 'Map data failed to load: '],
  mapTrouble: ['地图暂时无法显示这些数据，请稍后重试', 'The map cannot show this data just now; try again later'],
  offline: ['无法连接服务器，请检查网络后重试', 'Cannot reach the server; check the network and try again'],
  serverDown: ['服务器暂时无法处理请求，请稍后重试', 'The server cannot answer just now; try again later'],
  httpError: ['服务器返回错误（{status}）', 'The server answered with an error ({status})'],
  notAllowed: ['您的角色无权执行该操作', 'Your role may not do this'],
  notFound: ['未找到', 'Not found'],
  signInFirst: ['请先登录', 'Please sign in'],
  tooMany: ['尝试次数过多，请稍后再试', 'Too many attempts; try again later'],
  counties: ['县区', 'Counties'],
  loginTitle: ['用户登录', 'Sign in'],
  username: ['用户名', 'User name'],
  password: ['密码', 'Password'],
  login: ['登 录', 'Sign in'],
  logout: ['退出', 'Sign out'],
  loginMissing: ['请输入用户名和密码', 'Enter your user name and password'],
  sessionExpired: ['登录已过期，请重新登录', 'Your session has ended; please sign in again'],
  defaultPassword: ['默认密码', 'default password'],
  zones: ['功能区', 'Function zones'],
  metaError: ['无法载入系统配置，请稍后重试：', 'Could not load the server’s configuration; try again later: '],
  retry: ['重试', 'Try again'],
  // Views.
  navMap: ['总览', 'Overview'],
  navProjects: ['重点项目', 'Key projects'],
  navDashboard: ['驾驶舱', 'Dashboard'],
  navLand: ['国土空间', 'Land'],
  navInvest: ['招商引资', 'Investment'],
  projectLayers: ['项目图层', 'Project layers'],
  landLayers: ['国土空间图层', 'Land layers'],
  investLayers: ['招商图层', 'Investment layers'],
  otherLayers: ['其他图层', 'Other layers'],
  projectsList: ['当前视野内的项目', 'Projects in view'],
  listLimit: ['仅列出前 {n} 个，请放大地图', 'Only the first {n}; zoom in'],
  shareStart: ['选择地块和园区分享给企业', 'Choose parcels and parks to share with a firm'],
  // Accounts and roles.
  roles: ['角色', 'Roles'],
  admin: ['管理', 'Admin'],
  shareNav: ['分享给企业', 'Share with a firm'],
  tokensNav: ['API 令牌', 'API tokens'],
  changePassword: ['修改密码', 'Change password'],
  currentPassword: ['当前密码', 'Current password'],
  newPassword: ['新密码', 'New password'],
  repeatPassword: ['确认新密码', 'Repeat the new password'],
  passwordRule: ['10–128 个字符，须同时包含字母和数字', '10 to 128 characters with letters and digits'],
  passwordMismatch: ['两次输入的新密码不一致', 'The new passwords differ'],
  passwordChanged: ['密码已修改，请用新密码重新登录', 'Password changed; please sign in again'],
  cancel: ['取消', 'Cancel'],
  save: ['保存', 'Save'],
  ok: ['确定', 'OK'],
  saved: ['已保存', 'Saved'],
  users: ['用户管理', 'Users'],
  audit: ['审计日志', 'Audit log'],
  shapeChanged: ['（图形已修改）', '(geometry changed)'],
  shape: ['（图形）', '(geometry)'],
  addUser: ['新增用户', 'Add user'],
  displayName: ['姓名', 'Name'],
  districtPick: ['选择县区', 'Choose a district'],
  enabled: ['启用', 'Enabled'],
  createdAt: ['创建时间', 'Created'],
  actions: ['操作', 'Actions'],
  resetPassword: ['重置密码', 'Reset password'],
  resetPasswordOf: ['重置 {u} 的密码', 'Reset the password of {u}'],
  passwordReset: ['密码已重置', 'Password reset'],
  userCreated: ['用户已创建', 'User created'],
  userUpdated: ['用户已更新', 'User updated'],
  needRole: ['请至少选择一个角色', 'Choose at least one role'],
  needDistrict: ['县区角色须选择所属县区', 'A district user needs a district'],
  needUsername: ['请输入用户名', 'Enter a user name'],
  time: ['时间', 'Time'],
  actor: ['操作人', 'Actor'],
  address: ['地址', 'Address'],
  table: ['数据表', 'Table'],
  action: ['动作', 'Action'],
  changes: ['变更内容', 'Changes'],
  from: ['起始日期', 'From'],
  to: ['截止日期', 'To'],
  search: ['查询', 'Search'],
  noData: ['暂无数据', 'No data'],
  tokens: ['API 令牌', 'API tokens'],
  tokenName: ['名称', 'Name'],
  tokenRoles: ['角色（留空=全部本人角色）', 'Roles (empty: all of yours)'],
  expiresInDays: ['有效期（天）', 'Expires in (days)'],
  expiresAt: ['到期时间', 'Expires'],
  lastUsed: ['最近使用', 'Last used'],
  revoked: ['已撤销', 'Revoked'],
  expired: ['已过期', 'Expired'],
  active: ['有效', 'Active'],
  revoke: ['撤销', 'Revoke'],
  revokeConfirm: ['确定撤销？撤销后无法恢复。', 'Revoke? This cannot be undone.'],
  create: ['创建', 'Create'],
  tokenOnce: ['令牌只显示这一次，请立即复制保存：', 'The token is shown only once; copy it now:'],
  copy: ['复制', 'Copy'],
  copied: ['已复制', 'Copied'],
  copyFailed: ['复制失败，请手动选择复制', 'Copy failed; select and copy by hand'],
  // Share links.
  shareTitle: ['分享给企业', 'Share with a firm'],
  shareNew: ['新建分享', 'New link'],
  shareList: ['已分享链接', 'Links'],
  shareHint: ['在地图上点击地块或园区加入/移出分享（地块在第 10 级以上可见），或在下方列表中勾选。', 'Click parcels or parks on the map to add or remove them (parcels show from zoom 10), or tick them in the list below.'],
  shareSelected: ['已选 {n} 个', '{n} chosen'],
  shareSearch: ['搜索当前视野的地块和园区', 'Search parcels and parks in view'],
  shareFields: ['展示字段', 'Fields to show'],
  shareLinkTitle: ['标题', 'Title'],
  shareLinkTitlePlaceholder: ['如：为某企业推荐的地块', 'e.g. Parcels for a firm'],
  sharePassword: ['访问密码（可选，6 位以上）', 'Password (optional, 6+ characters)'],
  shareCreate: ['生成链接', 'Create link'],
  shareCreated: ['分享链接已生成', 'Link created'],
  unofferedPricesTitle: ['未公开供应的地块价格', 'Prices of parcels not on offer'],
  confirmUnofferedPrices: ['这些价格属于敏感信息。确认向企业展示并记入审计日志？', 'These prices are sensitive. Show them to the firm and record this in the audit log?'],
  shareUnofferedPrices: ['确认展示', 'Show them'],
  shareURL: ['链接地址', 'Link'],
  shareQR: ['二维码', 'QR code'],
  shareOpens: ['打开次数', 'Opens'],
  shareOpensDetail: ['访问记录', 'Opens'],
  shareNone: ['尚未选择地块或园区', 'No parcels or parks chosen'],
  shareClear: ['清空', 'Clear'],
  shareClose: ['返回地图', 'Back to the map'],
  sharePassword2: ['有密码', 'Password'],
  userAgent: ['浏览器', 'Browser'],
  // Share view.
  shareLocked: ['该分享链接需要访问密码', 'This link needs its password'],
  sharePasswordEnter: ['请输入访问密码', 'Enter the password'],
  shareOpen: ['查看', 'Open'],
  shareUnavailable: ['链接不存在、已过期或已撤销', 'The link does not exist, has expired or was revoked'],
  shareExpires: ['有效期至', 'Valid until'],
  shareFeatures: ['分享的地块与园区', 'Shared parcels and parks'],
  // Projects.
  edit: ['编辑', 'Edit'],
  editProject: ['编辑项目', 'Edit project'],
  projectInfo: ['基本信息', 'Details'],
  monthly: ['月度填报', 'Monthly report'],
  month: ['月份', 'Month'],
  plannedMonth: ['本月计划投资(万元)', 'Planned this month (10k yuan)'],
  investedMonth: ['本月完成投资(万元)', 'Invested this month (10k yuan)'],
  progressNote: ['形象进度', 'Progress'],
  submit: ['提交', 'Submit'],
  reported: ['月度进度已提交', 'Monthly report saved'],
  nothingChanged: ['没有修改', 'Nothing changed'],
  conflict: ['该项目已被他人修改，已载入最新数据，请核对后重新保存', 'Someone else changed this project; the latest version is loaded, check and save again'],
  amountRule: ['金额须为非负数，最多两位小数', 'Amounts are non-negative with at most two decimals'],
  plannedName: ['本月计划投资', 'The plan of the month'],
  investedName: ['本月完成投资', 'The investment of the month'],
  amountBad: ['{f}须为非负金额（万元，最多两位小数）', '{f} must be a non-negative amount (10k yuan, at most two decimals)'],
  amountMax: ['{f}不能超过 {max} 万元', '{f} cannot exceed {max} (10k yuan)'],
  noteMax: ['形象进度不能超过 {max} 字（现有 {n} 字）', 'The progress note has at most {max} characters (it has {n})'],
  reportMonths: ['可填报 {from} 至 {to}', 'Months {from} to {to} may be reported'],
  reportUntil: ['可填报 {to} 及以前的月份', 'Months up to {to} may be reported'],
  notStarted: ['项目计划 {from} 开工，开工后方可填报（当前 {to}）', 'The project starts in {from}; reports open then (now {to})'],
  fixErrors: ['请先改正标红的内容', 'Correct what is marked in red first'],
  // The ledger.
  ledger: ['项目台账', 'Project ledger'],
  newProject: ['新建项目', 'New project'],
  created: ['项目已创建', 'Project created'],
  site: ['用地范围', 'Site'],
  siteNone: ['尚未绘制', 'Not drawn yet'],
  siteDrawn: ['{n} 个地块', '{n} polygon(s)'],
  siteChanged: ['（已修改，保存后生效）', '(changed, saved with the project)'],
  siteDraw: ['在地图上绘制 / 编辑', 'Draw / edit on the map'],
  siteUpload: ['上传 GeoJSON', 'Upload GeoJSON'],
  siteUploadBad: ['GeoJSON 中没有面（Polygon / MultiPolygon）', 'The GeoJSON holds no Polygon or MultiPolygon'],
  siteNeeded: ['请绘制用地范围或上传 GeoJSON', 'Draw the site or upload GeoJSON'],
  useRepaired: ['采用修复后的图形', 'Use the repaired shape'],
  drawHint: ['单击逐点绘制，单击起点（或按回车）闭合；“编辑顶点”可拖动、在中点添加、右键删除顶点', 'Click point by point, click the first point (or Enter) to close; in “Edit vertices” drag, add at midpoints, right-click to delete'],
  drawCount: ['已绘制 {n} 个', '{n} drawn'],
  drawPolygon: ['绘制地块', 'Draw'],
  drawEdit: ['编辑顶点', 'Edit vertices'],
  drawClear: ['清除', 'Clear'],
  drawDone: ['完成', 'Done'],
  stageMove: ['阶段变更', 'Stage change'],
  stageHistory: ['阶段记录', 'Stage history'],
  staleTitle: ['该项目已被他人修改，未保存', 'Someone else changed this project; not saved'],
  staleChanged: ['他人修改的内容', 'Changed by someone else'],
  staleTheirs: ['当前值', 'Now'],
  staleMine: ['我的修改', 'Mine'],
  staleReload: ['载入最新版本并保留我的修改', 'Load the latest version, keep my changes'],
  ledgerSearch: ['项目名称或项目代码', 'Name or project code'],
  ledgerExport: ['导出 Excel', 'Export Excel'],
  ledgerImport: ['导入 Excel', 'Import Excel'],
  ledgerImported: ['导入完成：新增 {c} 个，更新 {u} 个，未变 {n} 个', 'Imported: {c} new, {u} updated, {n} unchanged'],
  row: ['行', 'Row'],
  col: ['列', 'Column'],
  problem: ['问题', 'Problem'],
};

/** t returns the interface text for key in the current language, with
 * vars put in for its {placeholders}; a placeholder without one is left out. */
export function t(key, vars) {
  const pair = ui[key];
  let s = pair ? pair[lang.value === 'en' ? 1 : 0] : key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace(`{${k}}`, v);
  return s.replace(/\{[a-z]+\}\s?/g, '');
}

/** L picks the current language of an interface pair [中文, English]. */
export function L(pair) {
  return pair[lang.value === 'en' ? 1 : 0];
}

let timeZone;

/** setTimeZone sets the zone times are shown in: the city's (GET /api/meta's
 * time_zone, Asia/Shanghai), whatever the browser's is. */
export function setTimeZone(tz) { timeZone = tz || undefined; }

/** formatTime shows an RFC 3339 time as date and minute in the city's time
 * zone: 2026-11-29 14:03. */
export function formatTime(s) {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return String(s);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
