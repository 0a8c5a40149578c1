// The project filters: they narrow the projects the map draws (the tile
// URL carries them) and stay as they are across the views. The leaders
// to choose from come from the server, loaded once for the roles that
// may filter by leader.
import { reactive, shallowRef } from 'vue';
import { getLeaders } from '../api/projects.js';
import { loadOnce } from './load.js';

export const filters = reactive({ stage: [], category: [], district: [], leader: [] });

export function resetFilters() {
  filters.stage = [];
  filters.category = [];
  filters.district = [];
  filters.leader = [];
}

/** leaders are the leaders in charge: {name, titles}; leadersError says
 * why they could not be loaded. */
export const leaders = shallowRef([]);
export const leadersError = shallowRef('');

/** loadLeaders loads the leaders once (again after a failure). */
export const loadLeaders = loadOnce(getLeaders, leaders, leadersError);
