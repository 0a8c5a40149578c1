// What the map view shares with the panels of its routes (provide/inject):
// the map, its layer groups' visibility, what is in view, and ways to show
// a feature.
import { inject } from 'vue';

export const mapKey = Symbol('onemap map view');

/** useMapView answers the map view's context inside one of its panels. */
export function useMapView() {
  return inject(mapKey);
}

// The layer groups of each capability's view.
export const projectGroups = ['projects'];
export const landGroups = ['landuse', 'urban_boundary', 'eco_redline', 'basic_farmland', 'zones', 'parcels'];
export const investGroups = ['parks', 'parcels', 'enclaves', 'firms', 'transport'];
