// The web app's service worker, served by onemap itself: with a weak or no
// signal the app opens onto the last map and lists it saw.
//
//   shell      the page and its files (hashed assets, the style, fonts):
//              the page network first, the rest cache first
//   data-USER  the signed-in user's API answers (GET), network first
//   tiles-USER the map tiles that user saw, network first, at most
//              TILE_BUDGET bytes (the oldest go first)
//
// Answers are kept per user and only while the page has said who is
// signed in; when another user signs in, or the user signs out, every
// user's data and tiles go. Writes (POST, PUT…) are never touched: the
// page queues them itself (src/offline.js).
const SHELL = 'shell-v1';
const TILE_BUDGET = 40 << 20;
const META = 'sw-meta';

let current; // the signed-in user as last told, undefined: not read yet

async function currentUser() {
  if (current !== undefined) return current;
  const res = await (await caches.open(META)).match('/__sw/user');
  current = res ? (await res.text()) || null : null;
  return current;
}

async function setUser(user) {
  const before = await currentUser();
  current = user || null;
  await (await caches.open(META)).put('/__sw/user', new Response(current || ''));
  if (user === null || (before && before !== user)) await dropUserCaches();
}

async function dropUserCaches() {
  for (const name of await caches.keys()) {
    if (name.startsWith('data-') || name.startsWith('tiles-')) await caches.delete(name);
  }
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));

self.addEventListener('message', (e) => {
  const m = e.data || {};
  if (m.type !== 'user') return;
  const done = setUser(m.user).then(() => e.ports[0]?.postMessage('ok'));
  e.waitUntil(done);
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/s/')) return;
  if (req.mode === 'navigate') {
    e.respondWith(networkFirst(req, SHELL, '/'));
  } else if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/fonts/') || url.pathname === '/style.json'
    || url.pathname === '/favicon.svg' || url.pathname === '/manifest.json') {
    e.respondWith(url.pathname.startsWith('/assets/') ? cacheFirst(req, SHELL) : networkFirst(req, SHELL));
  } else if (url.pathname.startsWith('/tiles/') || url.pathname.startsWith('/api/')) {
    e.respondWith(userAnswer(req, url.pathname.startsWith('/tiles/') ? 'tiles-' : 'data-'));
  }
});

async function cacheFirst(req, name) {
  const hit = await caches.match(req, { cacheName: name });
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await (await caches.open(name)).put(req, res.clone());
  return res;
}

// networkFirst answers from the network, keeping a good answer under key
// (the request itself by default), or from the cache when the network
// fails.
async function networkFirst(req, name, key = req) {
  const cache = await caches.open(name);
  try {
    const res = await fetch(req);
    if (res.ok && res.type === 'basic') await cache.put(key, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(key, { ignoreVary: true });
    if (hit) return hit;
    throw err;
  }
}

// userAnswer is an API answer or tile of the signed-in user: from the
// network, kept in their cache; from that cache without a network. With
// nobody signed in nothing is kept or answered from a cache.
async function userAnswer(req, prefix) {
  const user = await currentUser();
  if (!user) return fetch(req);
  const name = prefix + encodeURIComponent(user);
  const cache = await caches.open(name);
  try {
    const res = await fetch(req);
    if (res.ok && res.status === 200 && current === user) {
      await cache.put(req, res.clone());
      if (prefix === 'tiles-' && ++puts % 50 === 0) trim(cache);
    }
    return res;
  } catch (err) {
    const hit = await cache.match(req, { ignoreVary: true });
    if (hit) return hit;
    throw err;
  }
}

let trimming = null;
let puts = 0;

// trim drops the oldest tiles until the cache holds at most TILE_BUDGET
// bytes; it runs every 50 tiles kept.
function trim(cache) {
  trimming ||= (async () => {
    const keys = await cache.keys();
    const sizes = [];
    let total = 0;
    for (const k of keys) {
      const r = await cache.match(k);
      const n = r ? (await r.clone().arrayBuffer()).byteLength : 0;
      sizes.push(n);
      total += n;
    }
    for (let i = 0; i < keys.length && total > TILE_BUDGET; i++) {
      await cache.delete(keys[i]);
      total -= sizes[i];
    }
  })().finally(() => { trimming = null; });
  return trimming;
}
