// segkit service worker: the page works offline once loaded. It keeps a
// copy of the page's own files (never a customer's file: those are read
// from the disk and never fetched) and answers from the network first, so
// an online visit always gets the current files, and from the copy when the
// network is gone. It is registered by segkit.js once the engine is ready,
// when the files are in the browser's HTTP cache, so filling the copy
// revalidates them (304) instead of downloading them again.
'use strict';

const CACHE = 'segkit-v1';
const FILES = ['./', 'index.html', 'segkit.js', 'segkit.css', 'wasm_exec.js', 'vugu-render.js',
  'engine-worker.js', 'segkit.wasm', 'favicon.svg', 'wholesale-customers.csv', 'online-retail-sample.csv'];
const KEEP = new Set(FILES.map((f) => new URL(f, self.registration.scope).href));

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  url.search = '';
  if (req.method !== 'GET' || !KEEP.has(url.href)) {
    return; // not one of the page's files: the browser fetches it as usual
  }
  event.respondWith(fetch(req).then((resp) => {
    if (resp.ok) {
      const copy = resp.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.href, copy)));
    }
    return resp;
  }).catch(() => caches.match(url.href).then((hit) => hit || Response.error())));
});
