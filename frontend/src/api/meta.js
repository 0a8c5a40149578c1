// The server's description of itself: the city, its districts, the
// glossary's enumerations and every aggregate's fields (GET /api/meta,
// public, so the login page and a firm's share view can read it too).
import { api } from './http.js';

export function getMeta() {
  return api('GET', '/api/meta', undefined, { quiet401: true });
}
