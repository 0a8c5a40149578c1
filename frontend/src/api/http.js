// The core of every call to onemap's JSON API: the session cookie, the
// CSRF token of the session on every state-changing request, and errors
// as ApiError with the server's message in the user's language (a
// sentence, never a URL or a browser's English error text).
import { lang, t } from '../i18n.js';

let csrf = '';
let unauthorized = null;

/** setCsrf remembers the CSRF token handed out by login or GET /api/session. */
export function setCsrf(token) { csrf = token || ''; }

/** getCsrf answers the session's CSRF token, for requests sent without api(). */
export function getCsrf() { return csrf; }

/** onUnauthorized registers what to do when the session has ended (401). */
export function onUnauthorized(fn) { unauthorized = fn; }

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** errorMessage is what an error answer of the given status says to its
 * user: the server's message (body is its JSON error) in the user's
 * language, or else a sentence for the status. */
export function errorMessage(status, body) {
  const e = body?.error;
  const msg = e ? ((lang.value === 'en' ? e.message_en : e.message) || '') : '';
  if (msg) return msg;
  const key = { 401: 'signInFirst', 403: 'notAllowed', 404: 'notFound', 429: 'tooMany' }[status];
  if (key) return t(key);
  return status >= 500 ? t('serverDown') : t('httpError', { status });
}

/** readError turns an error answer into an ApiError. */
export async function readError(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  return new ApiError(res.status, body?.error?.code || '', errorMessage(res.status, body), body);
}

/**
 * api calls method path with an optional JSON body and answers the parsed
 * JSON (null for 204). It throws ApiError; a 401 also tells the app,
 * unless quiet401 (a wrong password is no ended session). headers are
 * sent along; with full it answers {data, headers} (an ETag, a Location).
 * A Blob or File body is sent as it is, with its own type; FormData as
 * multipart/form-data.
 */
export async function api(method, path, body, { quiet401 = false, headers: extra = {}, full = false } = {}) {
  const headers = { Accept: 'application/json', ...extra };
  const raw = body instanceof Blob || body instanceof FormData;
  if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
  if (body instanceof Blob) headers['Content-Type'] = body.type || 'application/octet-stream';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined || raw ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'offline', t('offline'), null); // the browser's TypeError names no cause worth showing
  }
  if (!res.ok) {
    const err = await readError(res);
    if (res.status === 401 && !quiet401 && unauthorized) unauthorized(err);
    throw err;
  }
  const text = res.status === 204 ? '' : await res.text();
  const data = text ? JSON.parse(text) : null;
  return full ? { data, headers: res.headers } : data;
}

/** qs builds a query string from the non-empty values of obj. */
export function qs(obj) {
  const parts = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
