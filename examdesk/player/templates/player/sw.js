// The player's service worker (scope {{ scope }}): when the network cannot answer, the player's page, its files
// and the section's audio come from the caches that offline.js fills. Everything else, and every answer, goes to
// the network as usual.
const SHELL_CACHE = "examdesk-player-shell";
const MEDIA_CACHE = "examdesk-player-media";
const PLAYER_PAGE = "{{ player_page }}";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

async function fromNetworkElseCache(request, cacheName, key) {
  try {
    const response = await fetch(request);
    if (response.ok || response.type === "opaqueredirect") return response;
    const cached = await caches.open(cacheName).then((cache) => cache.match(key));
    return cached || response;
  } catch (error) {
    const cached = await caches.open(cacheName).then((cache) => cache.match(key));
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === PLAYER_PAGE) {
    event.respondWith(fromNetworkElseCache(request, SHELL_CACHE, url.pathname));
  } else if (url.pathname.startsWith("{{ static_url }}") || url.pathname === "{{ catalogue }}") {
    event.respondWith(fromNetworkElseCache(request, SHELL_CACHE, url.pathname));
  } else if (url.pathname.endsWith("/audio/") && url.pathname.startsWith("{{ scope }}")) {
    event.respondWith(fromNetworkElseCache(request, MEDIA_CACHE, url.pathname));
  }
});
