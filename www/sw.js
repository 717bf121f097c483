// Service worker of the orderhook preview: keeps a copy of the page, the
// package (JS + WebAssembly) and the samples, so the page works offline once it
// has been loaded. Network first, so edits and rebuilds show on reload; the
// cache answers only when the server cannot. Same-origin GET requests only;
// the page makes no others.
const CACHE = "orderhook-preview-v1";
const SHELL = [
  "./",
  "./index.html",
  "./app.js",
  "./format.js",
  "./locate.js",
  "./style.css",
  "./favicon.svg",
  "../pkg/browser.js",
  "../pkg/core.js",
  "../pkg/orderhook.js",
  "../pkg/orderhook_bg.wasm",
  "../examples/samples/index.json",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL);
      try {
        const res = await fetch("../examples/samples/index.json");
        const names = res.ok ? await res.json() : [];
        await cache.addAll(names.map((n) => "../examples/samples/" + encodeURIComponent(n)));
      } catch {
        // Samples are a convenience; the page works without them.
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const res = await fetch(req);
        if (res.ok && res.type === "basic") await cache.put(req, res.clone());
        return res;
      } catch (err) {
        const hit = (await cache.match(req)) ?? (req.mode === "navigate" ? await cache.match("./") : undefined);
        if (hit) return hit;
        throw err;
      }
    })(),
  );
});
