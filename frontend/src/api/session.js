// Signing in and out, the signed-in user's password and API tokens.
import { api } from './http.js';

/**
 * getSession asks who is signed in: {authenticated, user, csrf}. A server
 * without accounts (no /api/session) lets everyone see the map.
 */
export async function getSession() {
  try {
    return await api('GET', '/api/session', undefined, { quiet401: true });
  } catch (e) {
    if (e.status === 404) return { authenticated: true, user: null, csrf: '', open: true };
    throw e;
  }
}

/** login signs in and answers the session, as getSession does. */
export function login(username, password) {
  return api('POST', '/api/login', { username, password }, { quiet401: true });
}

export function logout() {
  return api('POST', '/api/logout', undefined, { quiet401: true });
}

/** changePassword sets the user's password; every session of theirs ends. */
export function changePassword(current, password) {
  return api('PUT', '/api/me/password', { current, password }, { quiet401: true });
}

export async function listTokens() {
  return (await api('GET', '/api/tokens')).tokens || [];
}

/** createToken answers {token}, the secret shown once. */
export function createToken(body) {
  return api('POST', '/api/tokens', body);
}

export function revokeToken(id) {
  return api('DELETE', `/api/tokens/${id}`);
}
