// The installed app's service worker (served at /service-worker.js so its scope is the whole app).
// It caches the shell (offline page, styles, icons) so that when the server cannot be reached a page says so
// instead of the browser's error page. Pages and data are never served from the cache: a CCTV review app must
// not show yesterday's events as if they were current.

const cacheName = 'cctvedge-shell-v1';
const offlinePage = '/_content/CctvEdge.Web/offline.html';
const shell = [
  offlinePage,
  '/_content/CctvEdge.Web/app.css',
  '/_content/CctvEdge.Web/icons/icon.svg',
  '/_content/CctvEdge.Web/icons/icon-192.png',
  '/_content/Radzen.Blazor/css/material-base.css',
  '/_content/Radzen.Blazor/css/material-dark-base.css',
];

self.addEventListener('install', event => {
  event.waitUntil(caches.open(cacheName).then(cache => cache.addAll(shell)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
  event.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(key => key !== cacheName).map(key => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', event => {
  const request = event.request;
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match(offlinePage)));
    return;
  }
  // Shell files: the network first (so an upgrade shows at once), the cached copy when it is down.
  const path = new URL(request.url).pathname;
  if (shell.includes(path)) {
    event.respondWith(fetch(request).then(response => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(cacheName).then(cache => cache.put(path, copy));
      }
      return response;
    }).catch(() => caches.match(path)));
  }
});
