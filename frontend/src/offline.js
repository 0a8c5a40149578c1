// Working with a weak signal: the service worker (public/sw.js) is told
// who is signed in, so that it keeps answers per user and drops them when
// another signs in or this one signs out; and the outbox, the reports,
// photos and scores made without a connection, kept on the device
// (IndexedDB) as "waiting to send" (待发送) until the connection returns.
// Each is sent once: a report and a scoring sheet are PUTs of the whole
// (sending one twice changes nothing), a photo the server keeps once per
// month however often it is sent. A report sent with the version it was
// written on (If-Match) that the server has changed meanwhile stays in the
// outbox as a conflict for the user to settle; it is never sent over the
// server's version unasked.
import { reactive } from 'vue';
import { getCsrf, errorMessage } from './api/http.js';

const DB = 'onemap-outbox';
const STORE = 'items';

/** outbox is what the page shows: the signed-in user's items, oldest
 * first ({id, kind, label, state: waiting|conflict|failed, message}),
 * and whether the browser thinks it is online. */
export const outbox = reactive({ items: [], online: typeof navigator === 'undefined' || navigator.onLine, user: null });

function openDB() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// tx runs fn(store) in a transaction and answers its request's result.
async function tx(mode, fn) {
  const db = await openDB();
  try {
    return await new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req?.result);
      t.onerror = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

async function reload() {
  const all = (await tx('readonly', (s) => s.getAll())) || [];
  outbox.items = all.filter((i) => i.user === outbox.user)
    .map(({ id, kind, label, state, message, path }) => ({ id, kind, label, state, message, path }));
}

/** tellWorker tells the service worker who is signed in (null: nobody
 * now, which keeps nothing further), and waits until it has acted. */
async function tellWorker(user) {
  if (!('serviceWorker' in navigator)) return;
  const reg = await navigator.serviceWorker.getRegistration();
  const sw = reg?.active || navigator.serviceWorker.controller;
  if (!sw) return;
  await new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    sw.postMessage({ type: 'user', user }, [ch.port2]);
    setTimeout(resolve, 2000);
  });
}

/** startOffline registers the service worker once. */
export function startOffline() {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
    // A worker that starts after the sign-in learns who it is from here.
    navigator.serviceWorker.ready.then(() => { if (outbox.user) tellWorker(outbox.user); });
  }
  window.addEventListener('online', () => { outbox.online = true; flush(); });
  window.addEventListener('offline', () => { outbox.online = false; });
}

/** signedIn tells the worker and the outbox who is signed in (a username,
 * or null) and sends what waits. A new user's data replaces the last
 * one's in the worker's caches. */
export async function signedIn(user) {
  const changed = user !== outbox.user;
  outbox.user = user;
  if (user) await tellWorker(user);
  if (changed) await reload().catch(() => {});
  if (user) flush();
}

/** forget drops, at sign-out, the user's outbox and every cached answer. */
export async function forget(user) {
  const all = (await tx('readonly', (s) => s.getAll()).catch(() => [])) || [];
  await tx('readwrite', (s) => { for (const i of all) if (i.user === user) s.delete(i.id); }).catch(() => {});
  await tellWorker(null);
  if ('caches' in window) {
    for (const name of await caches.keys()) if (name.startsWith('data-') || name.startsWith('tiles-')) await caches.delete(name);
  }
  outbox.items = [];
}

/**
 * queue puts a write in the outbox and tries to send it: {kind, label,
 * method, path, json | photo: {blob, name, caption}, ifMatch}. It answers
 * 'sent' (with the answer's JSON in .data), or 'queued' when the network
 * failed; it throws the server's refusal (and drops the item) otherwise.
 */
export async function queue(item) {
  const id = await tx('readwrite', (s) => s.add({ ...item, user: outbox.user, state: 'waiting', created: Date.now() }));
  await reload();
  const r = await sendOne(id);
  await reload();
  if (r.state === 'sent') return r;
  if (r.state === 'waiting') return { state: 'queued' };
  const err = new Error(r.message);
  err.state = r.state;
  throw err;
}

let flushing = null;

/** flush sends what waits, oldest first, stopping at the first that
 * cannot reach the server. One page sends at a time (Web Locks). */
export function flush() {
  flushing ||= (async () => {
    const run = async () => {
      const all = (await tx('readonly', (s) => s.getAll())) || [];
      for (const i of all) {
        if (i.user !== outbox.user || i.state !== 'waiting') continue;
        if ((await sendOne(i.id)).state === 'waiting') break;
      }
    };
    try {
      if (navigator.locks) await navigator.locks.request('onemap-outbox', run);
      else await run();
    } finally {
      await reload().catch(() => {});
      flushing = null;
    }
  })();
  return flushing;
}

/** settle settles a conflict or refusal: 'discard' drops the item,
 * 'overwrite' sends the report again over the server's version. */
export async function settle(id, how) {
  if (how === 'discard') {
    await tx('readwrite', (s) => s.delete(id));
  } else {
    const i = await tx('readonly', (s) => s.get(id));
    if (!i) return;
    await tx('readwrite', (s) => s.put({ ...i, state: 'waiting', ifMatch: undefined, message: '' }));
    await sendOne(id);
  }
  await reload();
}

// sending: the ids on their way, so that one item is never sent twice at
// once by this page.
const sending = new Set();

// sendOne sends item id: sent (removed from the outbox), waiting (no
// network), conflict or failed (kept, with the server's message).
async function sendOne(id) {
  if (sending.has(id)) return { state: 'waiting' };
  sending.add(id);
  try {
    const i = await tx('readonly', (s) => s.get(id));
    if (!i || i.state !== 'waiting') return { state: i ? i.state : 'sent' };
    const headers = { Accept: 'application/json', 'X-CSRF-Token': getCsrf() };
    let body;
    if (i.photo) {
      body = new FormData();
      body.append('photo', i.photo.blob, i.photo.name || 'photo.jpg');
      if (i.photo.caption) body.append('caption', i.photo.caption);
    } else if (i.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(i.json);
    }
    if (i.ifMatch) headers['If-Match'] = i.ifMatch;
    let res;
    try {
      res = await fetch(i.path, { method: i.method, credentials: 'same-origin', headers, body });
    } catch {
      return { state: 'waiting' };
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (res.ok) {
      await tx('readwrite', (s) => s.delete(id));
      return { state: 'sent', data, etag: res.headers.get('ETag') };
    }
    if (res.status === 401 || res.status >= 500) return { state: 'waiting' };
    const state = res.status === 412 ? 'conflict' : 'failed';
    const message = errorMessage(res.status, data);
    await tx('readwrite', (s) => s.put({ ...i, state, message }));
    return { state, message };
  } finally {
    sending.delete(id);
  }
}
