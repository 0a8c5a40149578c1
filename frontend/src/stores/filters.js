// The project filters: they narrow the projects the map draws (the tile
// URL carries them) and stay as they are across the views. Besides the
// stage, category, district and leader there are the warning levels and
// the years of the actual start and finish, which the dashboard's
// lagging, new starts and completions open. The leaders to choose from
// come from the server, loaded once for the roles that may filter by
// leader.
import { reactive, ref, shallowRef } from 'vue';
import { getLeaders } from '../api/projects.js';
import { loadOnce } from './load.js';

export const filters = reactive({
  stage: [], category: [], district: [], leader: [], warning_level: [], started: [], finished: [],
});

/** filterNames are the filters' names, as the tile URL and the ledger's
 * query carry them. */
export const filterNames = Object.keys(filters);

export function resetFilters() {
  for (const k of filterNames) filters[k] = [];
}

/** fitCity asks the map view to show the whole city once it opens, so
 * that every project of the filters is in view (and in its list). */
export const fitCity = ref(false);

/** leaders are the leaders in charge: {name, titles}; leadersError says
 * why they could not be loaded. */
export const leaders = shallowRef([]);
export const leadersError = shallowRef('');

/** loadLeaders loads the leaders once (again after a failure). */
export const loadLeaders = loadOnce(getLeaders, leaders, leadersError);
