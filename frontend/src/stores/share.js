// Share picking: the parcels and parks chosen for a new share link, shared
// by the map (clicks and highlight) and the share composer.
import { reactive } from 'vue';

export const shareSel = reactive({
  active: false, // the share composer is open: map clicks choose features
  items: [], // [{layer: 'parcels'|'parks', id, name}]
});

const key = (layer, id) => `${layer}:${id}`;

export function isChosen(layer, id) {
  return shareSel.items.some((i) => key(i.layer, i.id) === key(layer, id));
}

export function toggleChosen(layer, id, name) {
  const i = shareSel.items.findIndex((x) => key(x.layer, x.id) === key(layer, id));
  if (i >= 0) shareSel.items.splice(i, 1);
  else shareSel.items.push({ layer, id, name: name || '' });
}

export function clearChosen() {
  shareSel.items.splice(0);
}

export function chosenIDs(layer) {
  return shareSel.items.filter((i) => i.layer === layer).map((i) => i.id);
}
