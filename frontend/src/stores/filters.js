// The project filters: they narrow the projects the map draws (the tile
// URL carries them) and stay as they are across the views.
import { reactive } from 'vue';

export const filters = reactive({ stage: [], category: [], district: [], leader: '' });

export function resetFilters() {
  filters.stage = [];
  filters.category = [];
  filters.district = [];
  filters.leader = '';
}
