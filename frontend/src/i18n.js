// The web map's words in 简体中文 (default) and English: interface text,
// the attribute labels of every tile layer (as in the server's layer
// catalogue, tiles/catalogue.go) and the glossary's enumerations. Static on
// purpose: the map works without /api/meta.
import { ref, computed } from 'vue';

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('onemap.lang') : null;
export const lang = ref(stored === 'en' ? 'en' : 'zh');

export function setLang(l) {
  lang.value = l === 'en' ? 'en' : 'zh';
  try { localStorage.setItem('onemap.lang', lang.value); } catch { /* private mode */ }
  document.documentElement.lang = lang.value === 'en' ? 'en' : 'zh-CN';
}

const ui = {
  title: ['漯河市重点项目与招商一张图', 'Luohe Key Projects & Investment Map'],
  subtitle: ['漯河市重点项目建设与招商引资空间信息平台', 'Key-project supervision and investment promotion'],
  layers: ['图层', 'Layers'],
  filters: ['项目筛选', 'Project filters'],
  stage: ['项目阶段', 'Stage'],
  category: ['项目类别', 'Category'],
  district: ['县区', 'District'],
  leader: ['分包领导', 'Leader in charge'],
  leaderPlaceholder: ['输入领导姓名', 'Leader’s name'],
  districtPlaceholder: ['全部县区', 'All districts'],
  reset: ['重置', 'Reset'],
  all: ['全部', 'All'],
  close: ['关闭', 'Close'],
  details: ['要素详情', 'Feature details'],
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
  addUser: ['新增用户', 'Add user'],
  displayName: ['姓名', 'Name'],
  districtOfUser: ['所属县区', 'District'],
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
  row: ['记录', 'Row'],
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
  forbidden: ['您的角色无权执行该操作', 'Your role may not do this'],
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
  shareURL: ['链接地址', 'Link'],
  shareQR: ['二维码', 'QR code'],
  shareOpens: ['打开次数', 'Opens'],
  shareOpensDetail: ['访问记录', 'Opens'],
  shareNone: ['尚未选择地块或园区', 'No parcels or parks chosen'],
  shareClear: ['清空', 'Clear'],
  shareClose: ['返回地图', 'Back to the map'],
  sharePassword2: ['有密码', 'Password'],
  features: ['要素', 'Features'],
  userAgent: ['浏览器', 'Browser'],
  inView: ['当前视野', 'In view'],
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
  withdrawnReason: ['退库原因', 'Reason for withdrawal'],
  actualFinish: ['实际竣工', 'Actual finish'],
  actualStart: ['实际开工', 'Actual start'],
  projectName: ['项目名称', 'Project name'],
  responsibleUnit: ['责任单位', 'Responsible unit'],
  annualPlan: ['年度计划(万元)', 'Annual plan (10k yuan)'],
  submit: ['提交', 'Submit'],
  reported: ['月度进度已提交', 'Monthly report saved'],
  nothingChanged: ['没有修改', 'Nothing changed'],
  conflict: ['该项目已被他人修改，已载入最新数据，请核对后重新保存', 'Someone else changed this project; the latest version is loaded, check and save again'],
  amountRule: ['金额须为非负数，最多两位小数', 'Amounts are non-negative with at most two decimals'],
};

/** t returns the interface text for key in the current language. */
export function t(key, vars) {
  const pair = ui[key];
  let s = pair ? pair[lang.value === 'en' ? 1 : 0] : key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
}

// Enumerations: id → [中文, English].
export const enums = {
  stage: {
    reserve: ['储备', 'Reserve'],
    preparing: ['前期', 'Preparing'],
    building: ['在建', 'Under construction'],
    operating: ['竣工投产', 'In operation'],
    withdrawn: ['退库', 'Withdrawn'],
  },
  category: {
    planning: ['重大规划建设', 'Major planning & construction'],
    attraction: ['重大招商引资', 'Major investment attraction'],
    industry: ['重大产业发展', 'Major industrial development'],
  },
  supply_status: {
    planned: ['规划储备', 'Planned reserve'],
    acquired: ['已征待拆', 'Acquired, awaiting clearance'],
    ready: ['净地可供', 'Serviced, available'],
    reserved: ['意向预留', 'Reserved for a firm'],
    supplied: ['已供', 'Supplied'],
  },
  control_kind: {
    basic_farmland: ['永久基本农田', 'Permanent basic farmland'],
    eco_redline: ['生态保护红线', 'Ecological red line'],
    urban_boundary: ['城镇开发边界', 'Urban development boundary'],
    zone_010: ['允许建设区', 'Construction allowed'],
    zone_020: ['有条件建设区', 'Conditional construction'],
    zone_030: ['限制建设区', 'Restricted construction'],
    zone_040: ['禁止建设区', 'Construction prohibited'],
  },
  transport_kind: {
    expressway: ['高速公路', 'Expressway'],
    highway: ['国省道', 'Highway'],
    road: ['城市道路', 'Road'],
    railway: ['普速铁路', 'Railway'],
    high_speed_rail: ['高速铁路', 'High-speed rail'],
    station: ['火车站', 'Railway station'],
    high_speed_station: ['高铁站', 'High-speed rail station'],
    highway_exit: ['高速出入口', 'Expressway exit'],
    port: ['港口', 'Port'],
    river: ['河流', 'River'],
  },
  district_kind: {
    county: ['县区', 'County-level unit'],
    zone: ['功能区', 'Function zone'],
  },
  firm_stage: {
    contact: ['接洽', 'First contact'],
    negotiating: ['洽谈', 'Negotiating'],
    signed: ['签约', 'Signed'],
    landed: ['落地', 'Landed'],
  },
  tag: {
    fortune500: ['世界500强', 'Fortune Global 500'],
    china500: ['中国500强', 'China Top 500'],
    industry_top30: ['行业前30', 'Industry top 30'],
    central_soe: ['央企', 'Central SOE'],
  },
  utility: {
    road: ['通路', 'Road'],
    power: ['通电', 'Power'],
    water: ['通水', 'Water'],
    telecom: ['通讯', 'Telecom'],
    drainage: ['排水', 'Drainage'],
    gas: ['通气', 'Gas'],
    heat: ['通热', 'Heat'],
    levelled: ['场地平整', 'Levelled'],
  },
  geom_kind: {
    site: ['用地范围', 'Site boundary'],
    point: ['点位', 'Point'],
  },
  park_level: {
    national: ['国家级', 'National'],
    provincial: ['省级', 'Provincial'],
    municipal: ['市级', 'Municipal'],
    county: ['县级', 'County'],
  },
  enclave_model: {
    enterprise: ['主体企业开发', 'Developer-led'],
    developer: ['主体企业开发', 'Developer-led'],
    joint: ['政企联合', 'Government–enterprise joint'],
    industry: ['飞地工业', 'Enclave industry'],
    committee: ['联合管委会', 'Joint committee'],
    third_party: ['第三方运营', 'Third-party operator'],
  },
  landuse_level1: {
    '01': ['耕地', 'Cropland'],
    '02': ['园地', 'Orchards'],
    '03': ['林地', 'Forest'],
    '04': ['草地', 'Grassland'],
    '05': ['湿地', 'Wetland'],
    '06': ['农业设施建设用地', 'Agricultural facilities'],
    '07': ['居住用地', 'Residential'],
    '08': ['公共管理与公共服务用地', 'Public administration & services'],
    '09': ['商业服务业用地', 'Commercial'],
    '10': ['工矿用地', 'Industrial & mining'],
    '11': ['仓储用地', 'Storage & logistics'],
    '12': ['交通运输用地', 'Transport'],
    '13': ['公用设施用地', 'Utilities'],
    '14': ['绿地与开敞空间用地', 'Green & open space'],
    '15': ['特殊用地', 'Special use'],
    '16': ['留白用地', 'Reserved (blank)'],
    '17': ['陆地水域', 'Inland water'],
    '23': ['其他土地', 'Other land'],
  },
};

/** enumLabel translates an enumeration value; unknown values stay as they are. */
export function enumLabel(enumName, id) {
  const e = enums[enumName]?.[id];
  return e ? e[lang.value === 'en' ? 1 : 0] : id;
}

/** enumOptions lists an enumeration as {value, label} for selects and checkboxes. */
export function enumOptions(enumName) {
  return Object.entries(enums[enumName]).map(([value, pair]) => ({ value, label: pair[lang.value === 'en' ? 1 : 0] }));
}

// Kinds of value formatting for fields.
const MONEY = 'money'; // 万元, thousands separators
const NUM = 'num';
const LIST = 'list'; // comma-separated ids of an enumeration

// Field labels per MVT layer: [name, 中文, English, enumeration or format].
const fieldDefs = {
  projects: [
    ['name', '项目名称', 'Project name'],
    ['code', '项目代码', 'Project code'],
    ['stage', '项目阶段', 'Stage', 'stage'],
    ['category', '项目类别', 'Category', 'category'],
    ['district', '县区', 'District'],
    ['leader', '分包领导', 'Leader in charge'],
    ['responsible_unit', '责任单位', 'Responsible unit'],
    ['owner', '业主单位', 'Owner'],
    ['total_investment', '总投资(万元)', 'Total investment (10k yuan)', MONEY],
    ['annual_plan', '年度计划(万元)', 'Annual plan (10k yuan)', MONEY],
    ['invested', '本年完成投资(万元)', 'Invested this year (10k yuan)', MONEY],
    ['planned_start', '计划开工', 'Planned start'],
    ['planned_finish', '计划竣工', 'Planned finish'],
    ['actual_start', '实际开工', 'Actual start'],
    ['geom_kind', '图形', 'Geometry', 'geom_kind'],
    ['id', '编号', 'ID'],
  ],
  firms: [
    ['name', '企业名称', 'Firm'],
    ['tags', '标签', 'Tags', [LIST, 'tag']],
    ['industries', '产业', 'Industries'],
    ['hq_city', '总部', 'Headquarters'],
    ['stage', '对接阶段', 'Stage with the city', 'firm_stage'],
    ['id', '编号', 'ID'],
  ],
  parcels: [
    ['name', '地块名称', 'Parcel'],
    ['code', '地块编号', 'Code'],
    ['supply_status', '供应状态', 'Supply status', 'supply_status'],
    ['landuse_code', '用地代码', 'Land-use code'],
    ['landuse_name', '用地类型', 'Land-use class'],
    ['park', '所属园区', 'Park'],
    ['area_mu', '面积(亩)', 'Area (mu)', NUM],
    ['price', '起始价(万元/亩)', 'Starting price (10k yuan/mu)', NUM],
    ['plot_ratio', '容积率', 'Plot ratio'],
    ['utilities', '七通一平', 'Utilities', [LIST, 'utility']],
    ['id', '编号', 'ID'],
  ],
  parks: [
    ['name', '园区名称', 'Park'],
    ['level', '级别', 'Level', 'park_level'],
    ['district', '所在县区', 'District'],
    ['industries', '主导产业', 'Leading industries'],
    ['area_mu', '面积(亩)', 'Area (mu)', NUM],
    ['id', '编号', 'ID'],
  ],
  enclaves: [
    ['name', '飞地名称', 'Enclave'],
    ['home', '飞出地', 'Home district'],
    ['host', '飞入地', 'Host district'],
    ['model', '管理模式', 'Management model', 'enclave_model'],
    ['agreement_no', '协议编号', 'Agreement'],
    ['area_mu', '面积(亩)', 'Area (mu)', NUM],
    ['id', '编号', 'ID'],
  ],
  districts: [
    ['name', '名称', 'Name'],
    ['code', '区划代码', 'Code'],
    ['kind', '类型', 'Kind', 'district_kind'],
    ['area_km2', '面积(平方公里)', 'Area (km²)', NUM],
    ['id', '编号', 'ID'],
  ],
  controls: [
    ['kind', '类型', 'Kind', 'control_kind'],
    ['name', '名称', 'Name'],
    ['id', '编号', 'ID'],
  ],
  landuse: [
    ['name', '用地类型', 'Land-use class'],
    ['code', '用地代码', 'Land-use code'],
    ['level1', '一级类', 'First-level class', 'landuse_level1'],
    ['system', '分类体系', 'Classification system'],
    ['plan', '所属规划', 'Plan'],
    ['id', '编号', 'ID'],
  ],
  transport: [
    ['name', '名称', 'Name'],
    ['kind', '类型', 'Kind', 'transport_kind'],
    ['ref', '编号', 'Reference'],
    ['id', '要素编号', 'ID'],
  ],
};

// Fields not worth showing to a person.
const hidden = new Set(['district_id', 'kind_name']);

export const layerTitles = {
  projects: ['重点项目', 'Key projects'],
  firms: ['目标企业', 'Target firms'],
  parcels: ['招商地块', 'Parcels'],
  parks: ['园区', 'Parks'],
  enclaves: ['飞地园区', 'Enclaves'],
  districts: ['县区与功能区', 'Districts'],
  transport: ['交通', 'Transport'],
  controls: ['三区三线与管制区', 'Control lines and zones'],
  landuse: ['国土空间规划用地', 'Land-use plan'],
};

export function layerTitle(sourceLayer) {
  const p = layerTitles[sourceLayer];
  return p ? p[lang.value === 'en' ? 1 : 0] : sourceLayer;
}

const nf = computed(() => new Intl.NumberFormat(lang.value === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 }));

function formatValue(v, fmt) {
  if (v === null || v === undefined || v === '') return '';
  if (fmt === MONEY || fmt === NUM) {
    const n = Number(v);
    return Number.isFinite(n) ? nf.value.format(n) : String(v);
  }
  if (Array.isArray(fmt) && fmt[0] === LIST) {
    const items = Array.isArray(v) ? v : String(v).replace(/^[[{]|[\]}]$/g, '').split(/[,，;；|]/);
    return items.map((s) => s.trim().replace(/^"|"$/g, '')).filter(Boolean)
      .map((s) => enumLabel(fmt[1], s)).join(lang.value === 'en' ? ', ' : '、');
  }
  if (typeof fmt === 'string' && enums[fmt]) return enumLabel(fmt, String(v));
  return String(v);
}

/**
 * describe turns a rendered feature's properties into rows {key, label,
 * value} in the layer's field order, with labels and enumerations in the
 * current language; properties the catalogue does not know come last under
 * their own names.
 */
export function describe(sourceLayer, props) {
  const defs = fieldDefs[sourceLayer] || [];
  const en = lang.value === 'en';
  const rows = [];
  const seen = new Set();
  for (const [name, zh, enLabel, fmt] of defs) {
    seen.add(name);
    if (!(name in props)) continue;
    let f = fmt;
    if (sourceLayer === 'controls' && name === 'kind' && !enums.control_kind[props.kind] && props.kind_name) {
      rows.push({ key: name, label: en ? enLabel : zh, value: props.kind_name });
      continue;
    }
    rows.push({ key: name, label: en ? enLabel : zh, value: formatValue(props[name], f) });
  }
  for (const [name, v] of Object.entries(props)) {
    if (seen.has(name) || hidden.has(name)) continue;
    rows.push({ key: name, label: name, value: formatValue(v) });
  }
  return rows;
}

/** generalised tells whether a clicked feature is its layer's overview form
 * (classes or farmland patches merged into one feature, parcels without
 * their details), which zooming in replaces with the full features. */
export function generalised(f) {
  if (f.sourceLayer === 'parcels') return f.properties.code === undefined;
  return (f.sourceLayer === 'landuse' || f.sourceLayer === 'controls') && (f.id === undefined || f.id === null);
}

/** featureTitle is the heading of a feature in the details panel. */
export function featureTitle(sourceLayer, props) {
  if (props.name) return String(props.name);
  if (sourceLayer === 'controls') return enumLabel('control_kind', props.kind) || props.kind_name || '';
  if (sourceLayer === 'transport') return enumLabel('transport_kind', props.kind);
  return props.code ? String(props.code) : layerTitle(sourceLayer);
}

export const roleNames = {
  admin: ['系统管理员', 'Administrator'],
  leader: ['市领导', 'City leader'],
  land: ['自然资源和规划局', 'Land bureau'],
  investment: ['招商部门', 'Investment'],
  district: ['县区', 'District'],
  viewer: ['浏览用户', 'Viewer'],
};

export function roleName(r) {
  const p = roleNames[r];
  return p ? p[lang.value === 'en' ? 1 : 0] : r;
}

/** fieldLabel is the label of a field of a layer (or of either of layers). */
export function fieldLabel(layers, name) {
  const en = lang.value === 'en';
  for (const l of [].concat(layers)) {
    const d = (fieldDefs[l] || []).find((f) => f[0] === name);
    if (d) return en ? d[2] : d[1];
  }
  return name;
}

// Share-link fields come from both parcels and parks: say which.
const shareFieldLabels = {
  name: ['名称', 'Name'],
  code: ['地块编号', 'Parcel code'],
  area_mu: ['面积(亩)', 'Area (mu)'],
  level: ['园区级别', 'Park level'],
  district: ['所在县区', 'District'],
  industries: ['主导产业', 'Leading industries'],
};
export function shareFieldLabel(name) {
  const p = shareFieldLabels[name];
  if (p) return p[lang.value === 'en' ? 1 : 0];
  return fieldLabel(['parcels', 'parks'], name);
}

/** formatField formats a value of a field of a layer like the details panel. */
export function formatField(layer, name, v) {
  const d = (fieldDefs[layer] || []).find((f) => f[0] === name);
  return formatValue(v, d?.[3]);
}

/** formatTime shows an RFC 3339 time as local date and minute. */
export function formatTime(s) {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return String(s);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
