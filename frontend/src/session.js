// Signing in: onemap serves its tiles to signed-in users only. The session
// is an HttpOnly cookie set by POST /api/login; state-changing requests
// carry the CSRF token that login and GET /api/session hand out.
import { lang } from './i18n.js';

/** errorMessage picks the user's language from onemap's JSON error body. */
export async function errorMessage(res) {
  try {
    const body = await res.json();
    const e = body?.error;
    if (e) return (lang.value === 'en' ? e.message_en : e.message) || e.code;
  } catch { /* not JSON */ }
  return `HTTP ${res.status}`;
}

/**
 * getSession asks who is signed in: {authenticated, user, csrf}. A server
 * without accounts (no /api/session) lets everyone see the map.
 */
export async function getSession() {
  const res = await fetch('/api/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (res.status === 404) return { authenticated: true, user: null, csrf: '', open: true };
  if (!res.ok) throw new Error(await errorMessage(res));
  return res.json();
}

/** login signs in; it throws an Error with the server's message. */
export async function login(username, password) {
  const res = await fetch('/api/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(await errorMessage(res));
  return res.json();
}

export async function logout(csrf) {
  await fetch('/api/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': csrf || '' },
  });
}
