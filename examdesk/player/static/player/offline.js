// Opening the player without a connection. A service worker (served at /code/sw.js, scope /code/) answers from
// its cache when the network cannot: this module puts the player's page and every file it needs into that cache
// once the access code has been entered, and the section's audio as the section starts. Answers never go through
// the cache: they stay in the journal (store.js) and are sent by the same queue as always.

export const SHELL_CACHE = "examdesk-player-shell";
export const MEDIA_CACHE = "examdesk-player-media";

const MODULES = ["player.js", "net.js", "store.js", "response-code.js", "display.js", "reader.js", "offline.js"];

function supported() {
  return "serviceWorker" in navigator && "caches" in window;
}

// Register the worker and cache the shell: this page, its styles and scripts (including the modules it imports
// and the JavaScript catalogue). Failing quietly: the player works online without it.
export async function prepare(workerUrl, scope) {
  if (!supported()) return;
  try {
    await navigator.serviceWorker.register(workerUrl, { scope });
    const urls = new Set([window.location.pathname]);
    for (const node of document.querySelectorAll("script[src], link[rel='stylesheet'][href]")) {
      urls.add(new URL(node.src || node.href, window.location.href).pathname);
    }
    for (const name of MODULES) urls.add(new URL(`./${name}`, import.meta.url).pathname);
    const cache = await caches.open(SHELL_CACHE);
    await Promise.all(
      [...urls].map(async (url) => {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
        if (response.ok && !response.redirected) await cache.put(url, response);
      }),
    );
  } catch {
    // No service worker (a private window, an old browser): nothing is cached.
  }
}

// Fetch the section's audio in full as the section starts and keep it, so that it plays even without a connection
// (the service worker answers the player's audio requests from this copy then). True when it is kept.
export async function keepAudio(url) {
  if (!url || !("caches" in window)) return false;
  try {
    const cache = await caches.open(MEDIA_CACHE);
    if (await cache.match(url)) return true;
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return false;
    await cache.put(url, response);
    return true;
  } catch {
    return false;
  }
}

// When the attempt is finished nothing of it stays on this device.
export async function clear() {
  if (!("caches" in window)) return;
  await Promise.all([caches.delete(SHELL_CACHE), caches.delete(MEDIA_CACHE)]).catch(() => null);
}
