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

// The section's audio: from the network, else from the copy offline.js fetched as the section started. A media
// element asks for byte ranges; the cached copy answers them itself.
async function media(request, key) {
  try {
    const response = await fetch(request);
    if (response.status < 500) return response;
  } catch {
    // No connection: the cached copy below.
  }
  const cached = await caches.open(MEDIA_CACHE).then((cache) => cache.match(key));
  if (!cached) return Response.error();
  const match = /^bytes=(\d*)-(\d*)$/.exec((request.headers.get("Range") || "").trim());
  if (!match || (!match[1] && !match[2])) return cached;
  const blob = await cached.blob();
  let start = match[1] ? Number(match[1]) : Math.max(0, blob.size - Number(match[2]));
  let end = match[1] && match[2] ? Math.min(Number(match[2]), blob.size - 1) : blob.size - 1;
  if (start >= blob.size || start > end) {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${blob.size}` } });
  }
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": cached.headers.get("Content-Type") || "application/octet-stream",
      "Content-Length": String(end - start + 1),
      "Content-Range": `bytes ${start}-${end}/${blob.size}`,
      "Accept-Ranges": "bytes",
    },
  });
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
    event.respondWith(media(request, url.pathname));
  }
});
