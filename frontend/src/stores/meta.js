// What the server says about itself (GET /api/meta), loaded once at start:
// the city, its districts, the glossary's enumerations and the fields of
// every aggregate, with the lookups that label things in the user's
// language.
import { computed, ref, shallowRef } from 'vue';
import { getMeta } from '../api/meta.js';
import { lang, setTimeZone } from '../i18n.js';
import { loadOnce } from './load.js';

export const meta = shallowRef(null);
/** metaError says why the meta could not be loaded. */
export const metaError = ref('');

/** loadMeta loads the meta once (again after a failure). */
export const loadMeta = loadOnce(() => getMeta().then((m) => { setTimeZone(m.time_zone); return m; }), meta, metaError);

const en = () => lang.value === 'en';

/** city is {name, name_en, bounds, center, zoom}. */
export const city = computed(() => meta.value?.city || null);

export const cityName = computed(() => (en() ? city.value?.name_en || city.value?.name : city.value?.name) || '');

/** districts are the counties and function zones: {id, code, name, name_en, kind}. */
export const districts = computed(() => meta.value?.districts || []);

export function districtName(d) {
  return (en() && d.name_en) || d.name;
}

/** label picks the user's language of a glossary entry {zh, en}. */
function label(entry) {
  return entry ? (en() ? entry.en || entry.zh : entry.zh) : '';
}

/** enumLabel names a value of a glossary list (stages, roles, …); an
 * unknown value stays as it is. */
export function enumLabel(list, id) {
  const e = (meta.value?.[list] || []).find((x) => x.id === id);
  return e ? label(e) : id;
}

/** enumKnown tells whether a glossary list has the value. */
export function enumKnown(list, id) {
  return (meta.value?.[list] || []).some((x) => x.id === id);
}

/** enumOptions lists a glossary list as {value, label} for selects and checkboxes. */
export function enumOptions(list) {
  return (meta.value?.[list] || []).map((x) => ({ value: x.id, label: label(x) }));
}

export const roleName = (r) => enumLabel('roles', r);

/** aggregate answers the aggregate of a kind (a tile layer's name). */
export function aggregate(kind) {
  return (meta.value?.aggregates || []).find((a) => a.kind === kind) || null;
}

/** layerTitle names an aggregate: 重点项目, 招商地块, … */
export function layerTitle(kind) {
  return label(aggregate(kind)) || kind;
}

/** field answers the field of an aggregate by name. */
export function field(kind, name) {
  return aggregate(kind)?.fields.find((f) => f.name === name) || null;
}

/** fieldLabel labels a field of an aggregate with its unit, as the server
 * composes it: 总投资(万元), Total investment (10k yuan). */
export function fieldLabel(kind, name) {
  const f = field(kind, name);
  if (!f) return name;
  return en() ? f.label_en : f.label;
}

/** landuseClassName names a class of a land-use classification system. */
export function landuseClassName(system, code) {
  const c = (meta.value?.landuse_classes || []).find((x) => x.system === system && x.code === code);
  return c ? (en() && c.name_en) || c.name : code;
}

export function landuseSystemName(id) {
  return (meta.value?.landuse_systems || []).find((s) => s.id === id)?.name || id;
}

/** limits are the bounds of the forms' inputs as the server checks them:
 * {amount: '100000000.00' (万元), note: 2000 (characters)}. */
export const limits = computed(() => meta.value?.limits || { amount: '', note: 0 });
