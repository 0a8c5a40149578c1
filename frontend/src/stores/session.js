// Who is signed in, and what their roles let the interface offer (the
// server decides; the interface only shows what can work). The session
// itself is an HttpOnly cookie; state-changing requests carry its CSRF
// token.
import { computed, reactive } from 'vue';
import { onUnauthorized, setCsrf } from '../api/http.js';
import { getSession, login, logout } from '../api/session.js';
import { t } from '../i18n.js';
import { forget, signedIn } from '../offline.js';

export const session = reactive({
  checked: false, // the server has answered
  authenticated: false,
  user: null,
  expired: false, // it had been signed in: a new sign-in starts afresh
  message: '', // why the login card is shown again
  sees: [], // the sensitive groups the user may see (and filter by)
});

export const user = computed(() => session.user);
export const myRoles = computed(() => session.user?.roles || []);
export const hasRole = (...roles) => roles.some((r) => myRoles.value.includes(r));
/** sees tells whether the user may see a sensitive group of fields (a
 * field's "sensitive" in the meta; "" is no group). */
export const sees = (group) => !group || session.sees.includes(group);

function take(s) {
  session.authenticated = Boolean(s?.authenticated);
  session.user = s?.user || null;
  session.sees = s?.sees || [];
  setCsrf(s?.csrf);
  signedIn(session.user?.username || null);
}

let checking = null;

/** checkSession asks the server once; later calls share the answer. */
export function checkSession() {
  checking ||= getSession().then(take, (e) => {
    take(null);
    session.message = e.message;
  }).finally(() => { session.checked = true; });
  return checking;
}

/** signIn signs in; it throws with the server's message. */
export async function signIn(username, password) {
  take(await login(username, password));
  session.message = '';
}

/** signOut ends the session and starts the app afresh at its start page. */
export async function signOut() {
  await forget(session.user?.username || null).catch(() => {});
  await logout().catch(() => {});
  window.location.assign('/');
}

/** endSession shows the login card again, saying why. */
export function endSession(message) {
  if (session.authenticated) {
    session.expired = true;
    session.message = message;
  }
  take(null);
}

onUnauthorized(() => endSession(t('sessionExpired')));
