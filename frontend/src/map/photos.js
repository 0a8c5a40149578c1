// Photos of the monthly reports on a map: a dot where each was taken (its
// GPS position), orange when far from the project, and a popup with its
// thumbnail and caption when clicked.
import { Marker, Popup } from 'maplibre-gl';
import { photoURL } from '../api/projects.js';

/** photoPopup is the popup of photo p of project projectId. */
function photoPopup(projectId, p) {
  const box = document.createElement('div');
  box.className = 'photo-popup';
  box.dataset.testid = 'photo-popup';
  const img = document.createElement('img');
  img.src = photoURL(projectId, p.id, true);
  img.alt = p.caption || '';
  box.append(img);
  const text = [p.month, p.caption].filter(Boolean).join(' · ');
  if (text) {
    const c = document.createElement('div');
    c.textContent = text;
    box.append(c);
  }
  return new Popup({ offset: 10, maxWidth: '340px' }).setDOMContent(box);
}

/** placePhotos puts on map a dot for each photo of project projectId
 * that has a position, and answers the markers. */
export function placePhotos(map, projectId, photos) {
  return photos.filter((p) => p.lon !== null && p.lat !== null).map((p) => {
    const el = document.createElement('div');
    el.className = `photo-marker${p.far_from_site ? ' far' : ''}`;
    el.dataset.testid = 'photo-marker';
    el.dataset.photoId = p.id;
    el.title = p.caption || '';
    return new Marker({ element: el }).setLngLat([p.lon, p.lat]).setPopup(photoPopup(projectId, p)).addTo(map);
  });
}
