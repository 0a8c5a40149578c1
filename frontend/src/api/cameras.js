// On-site visual supervision: a project's cameras and stream links, their
// latest snapshots, and which sites under construction are covered.
import { api } from './http.js';

/** listCameras lists a project's cameras, each with its latest snapshot
 * ({id, taken_at, width, height}) or null. */
export function listCameras(projectId) {
  return api('GET', `/api/projects/${projectId}/cameras`);
}

/** addCamera adds a camera {name, kind, url} to a project. */
export function addCamera(projectId, camera) {
  return api('POST', `/api/projects/${projectId}/cameras`, camera);
}

/** deleteCamera removes a camera and its snapshots. */
export function deleteCamera(projectId, id) {
  return api('DELETE', `/api/projects/${projectId}/cameras/${id}`);
}

/** snapshotURL is the address of a camera's latest snapshot; the
 * snapshot's id makes a new one a new address for the browser's cache. */
export function snapshotURL(camera) {
  return `/api/cameras/${camera.id}/snapshot?v=${camera.latest?.id ?? 0}`;
}

/** getCoverage answers the sites under construction, each covered or
 * not, with the counts. */
export function getCoverage() {
  return api('GET', '/api/cameras/coverage');
}
