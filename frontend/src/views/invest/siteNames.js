// The parks and parcels by name, for the firm view: the lists of GET
// /api/parks and /api/parcels read once a session (again on demand), a
// site's label (a parcel by its code, name and park), and a search by
// name or code.
import { shallowRef } from 'vue';
import { listSites } from '../../api/sites.js';

const lists = { parks: shallowRef([]), parcels: shallowRef([]) };
const loading = {};

/** siteList answers the parks or the parcels ('parks', 'parcels'), read
 * again if fresh. */
export function siteList(kind, fresh = false) {
  if (!loading[kind] || fresh) {
    loading[kind] = listSites(kind).then((vs) => {
      lists[kind].value = vs;
      return vs;
    }, (e) => {
      delete loading[kind];
      throw e;
    });
  }
  return loading[kind];
}

/** siteLabel is how a park or a parcel is shown: a park by its name, a
 * parcel by its code, its name and its park. */
export function siteLabel(kind, s) {
  if (kind === 'parks') return s.name;
  return [s.code, s.name && s.name !== s.code ? s.name : '', s.park ? `（${s.park}）` : ''].join(' ').trim();
}

/** siteName is the label of the site of kind with id, once the list is
 * read; its id until then or if there is none. */
export function siteName(kind, id) {
  const s = lists[kind].value.find((x) => x.id === id);
  return s ? siteLabel(kind, s) : `#${id}`;
}

/** searchSites answers up to limit sites of kind whose label holds q
 * (case does not matter), all of them for an empty q. */
export function searchSites(kind, q, limit = 50) {
  const k = q.trim().toLowerCase();
  const out = [];
  for (const s of lists[kind].value) {
    if (!k || siteLabel(kind, s).toLowerCase().includes(k)) out.push(s);
    if (out.length >= limit) break;
  }
  return out;
}
