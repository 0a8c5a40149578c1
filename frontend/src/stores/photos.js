// The photos of the monthly reports changed (one added or removed in the
// report form): the project's panel reads them again.
import { ref } from 'vue';

/** photosChanged counts the changes made in this browser. */
export const photosChanged = ref(0);
