// Installable: the service worker that answers "server unreachable" when the server is down (service-worker.js).
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => navigator.serviceWorker.register('/service-worker.js', { scope: '/' }).catch(() => {}));
}
