/*
 * Samtalsguiden's offline worker. Made at build time by hooks/samtal/offline.py,
 * which fills in the list of files and the cache's name (a hash of every file).
 *
 * - install: fetch every file of this version of the guide into a new cache;
 *   the worker becomes active only when it has all of them.
 * - fetch: answer from that cache first (so a page and its scripts always
 *   come from one deployment), else from the network.
 * - activate: delete this scope's older caches. Answers are in localStorage
 *   and are never touched.
 */
"use strict";

const VERSION = "__SAMTAL_VERSION__";
const FILES = [] /* __SAMTAL_FILES__ */;
const SCOPE = new URL("./", self.location.href).href;
const PREFIX = `samtalsguiden:${SCOPE}:`;
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(FILES.map((file) => new Request(new URL(file, SCOPE).href, { cache: "reload" }))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

// A page asks a waiting worker to take over once it has every file.
self.addEventListener("message", (event) => {
  if (event.data === "samtal:activate") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  // Other versions of the guide below this one have their own worker and files.
  if (!FILE_SET.has(url.pathname) && !FILE_SET.has(`${url.pathname}/`) && request.mode !== "navigate") return;
  event.respondWith(answer(request, url));
});

const FILE_SET = new Set(FILES.map((file) => new URL(file, SCOPE).pathname));

async function answer(request, url) {
  const cache = await caches.open(CACHE);
  // The query (?fragor=… on a sheet made by a link) and the fragment never change the file.
  const key = url.origin + url.pathname;
  const hit = (await cache.match(key)) || (request.mode === "navigate" && (await cache.match(`${key}/`)));
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode === "navigate") {
      const missing = await cache.match(new URL("404.html", SCOPE).href);
      if (missing) return missing;
    }
    throw error;
  }
}
