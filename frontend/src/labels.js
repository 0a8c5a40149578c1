// A map feature in words: its properties as rows of labelled values, in
// the order of its aggregate's fields, with numbers and enumerations in
// the user's language. Labels and glossaries come from GET /api/meta.
import { computed } from 'vue';
import { L, lang } from './i18n.js';
import {
  aggregate, enumKnown, enumLabel, field, fieldLabel, landuseClassName, landuseSystemName, layerTitle,
} from './stores/meta.js';

// Values the server's glossary does not name (yet): [中文, English].
const values = {
  district_kind: { county: ['县区', 'County-level unit'], zone: ['功能区', 'Function zone'] },
  geom_kind: { site: ['用地范围', 'Site boundary'], point: ['点位', 'Point'] },
  park_level: {
    national: ['国家级', 'National'], provincial: ['省级', 'Provincial'], municipal: ['市级', 'Municipal'], county: ['县级', 'County'],
  },
  enclave_model: {
    enterprise: ['主体企业开发', 'Developer-led'],
    developer: ['主体企业开发', 'Developer-led'],
    joint: ['政企联合', 'Government–enterprise joint'],
    industry: ['飞地工业', 'Enclave industry'],
    committee: ['联合管委会', 'Joint committee'],
    third_party: ['第三方运营', 'Third-party operator'],
  },
};
const valueOf = (table) => (v) => (values[table][v] ? L(values[table][v]) : v);

// The glossary list (or lookup) of each enumerated field, by aggregate;
// lists holds those whose value is a list of ids.
const glossary = {
  projects: { stage: 'stages', category: 'categories', geom_kind: valueOf('geom_kind') },
  parcels: { supply_status: 'supply_statuses', utilities: 'utilities' },
  controls: { kind: 'control_kinds' },
  firms: { stage: 'firm_stages', tags: 'firm_tags' },
  transport: { kind: 'transport_kinds' },
  districts: { kind: valueOf('district_kind') },
  parks: { level: valueOf('park_level') },
  enclaves: { model: valueOf('enclave_model') },
};
const lists = new Set(['parcels.utilities', 'firms.tags']);

// Properties not worth showing to a person.
const hidden = new Set(['district_id', 'kind_name']);

const nf = computed(() => new Intl.NumberFormat(lang.value === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 }));

function enumValue(kind, name, v, props) {
  if (kind === 'landuse' && name === 'level1') return landuseClassName(props.system, String(v));
  if (kind === 'landuse' && name === 'system') return landuseSystemName(String(v));
  const g = glossary[kind]?.[name];
  if (!g) return null;
  const one = (id) => (typeof g === 'function' ? g(id) : enumLabel(g, id));
  if (!lists.has(`${kind}.${name}`)) return one(String(v));
  const items = Array.isArray(v) ? v : String(v).replace(/^[[{]|[\]}]$/g, '').split(/[,，;；|]/);
  return items.map((s) => String(s).trim().replace(/^"|"$/g, '')).filter(Boolean)
    .map(one).join(lang.value === 'en' ? ', ' : '、');
}

/**
 * formatField shows a value of a field of an aggregate: quantities (numbers
 * with a unit) with separators, enumerations by name; props are the
 * feature's other properties (a land-use class needs its system).
 */
export function formatField(kind, name, v, props = {}) {
  if (v === null || v === undefined || v === '') return '';
  const e = enumValue(kind, name, v, props);
  if (e !== null) return e;
  const f = field(kind, name);
  if (f?.type === 'Number' && f.unit) {
    const n = Number(v);
    return Number.isFinite(n) ? nf.value.format(n) : String(v);
  }
  return String(v);
}

/**
 * describe turns a rendered feature's properties into rows {key, label,
 * value} in the aggregate's field order; properties the aggregate does not
 * know come last under their own names.
 */
export function describe(kind, props) {
  const rows = [];
  const seen = new Set();
  for (const f of aggregate(kind)?.fields || []) {
    seen.add(f.name);
    if (!(f.name in props) || hidden.has(f.name)) continue;
    let value = formatField(kind, f.name, props[f.name], props);
    // A control kind the glossary lacks comes with its own name.
    if (kind === 'controls' && f.name === 'kind' && !enumKnown('control_kinds', props.kind) && props.kind_name) value = props.kind_name;
    rows.push({ key: f.name, label: fieldLabel(kind, f.name), value });
  }
  for (const [name, v] of Object.entries(props)) {
    if (seen.has(name) || hidden.has(name)) continue;
    rows.push({ key: name, label: name, value: v === null || v === undefined ? '' : String(v) });
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
export function featureTitle(kind, props) {
  if (props.name) return String(props.name);
  if (kind === 'controls') return (enumKnown('control_kinds', props.kind) && enumLabel('control_kinds', props.kind)) || props.kind_name || '';
  if (kind === 'transport') return enumLabel('transport_kinds', props.kind);
  return props.code ? String(props.code) : layerTitle(kind);
}
