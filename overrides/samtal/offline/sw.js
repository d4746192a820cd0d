/*
 * Samtalsguiden's offline worker. Made at build time by hooks/samtal/offline.py, which
 * fills in the list of files, the cache's name (a hash of every file's content) and the
 * folders of other versions of the guide below this one. Registered by
 * assets/javascripts/samtal/offline.js; its scope is the folder it is published in.
 *
 * - install: fetch every file of this deployment into a new cache of its own, bypassing
 *   the HTTP cache; then check that sw.js on the server is still this one (a deployment
 *   in the middle of the install would otherwise mix old and new files: the install
 *   fails and the next worker starts afresh). Only a complete cache is ever used.
 * - waiting: the new worker takes over when a page asks (offline.js does, when nobody
 *   is typing) or when every tab of the guide is closed.
 * - fetch: every file of the guide from the cache (so a page and everything it loads
 *   come from one deployment), anything else from the network; a page that is not in
 *   the guide gets 404.html when there is no network.
 * - activate: delete this scope's older caches. Answers are in localStorage and are
 *   never touched.
 */
"use strict";

const VERSION = "__SAMTAL_VERSION__";
const FILES = [] /* __SAMTAL_FILES__ */;
const OTHER_VERSIONS = [] /* __SAMTAL_SKIP__ */;
const SCOPE = new URL("./", self.location.href).href;
const PREFIX = `samtalsguiden:${SCOPE}:`;
const CACHE = PREFIX + VERSION;
const NOT_FOUND = new URL("404.html", SCOPE).href;
const FILE_SET = new Set(FILES.map((file) => new URL(file, SCOPE).href));
const SKIP = OTHER_VERSIONS.map((folder) => new URL(folder, SCOPE).href);

self.addEventListener("install", (event) => {
  event.waitUntil(install());
});

async function install() {
  await caches.delete(CACHE); // a half-filled cache from an install that failed
  const cache = await caches.open(CACHE);
  try {
    const queue = [...FILE_SET];
    const fetchNext = async () => {
      for (let url = queue.shift(); url; url = queue.shift()) await cache.put(url, await download(url));
    };
    await Promise.all(Array.from({ length: 6 }, fetchNext));
    const current = await fetch(self.location.href, { cache: "no-store" });
    if (!current.ok || !(await current.text()).includes(JSON.stringify(VERSION))) {
      throw new Error("the guide was deployed again during the install");
    }
  } catch (error) {
    await caches.delete(CACHE);
    throw error;
  }
}

/** One file, fresh from the server (never the HTTP cache); a redirect is stored as the page it led to. */
async function download(url) {
  const response = await fetch(url, { cache: "reload", credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  if (!response.redirected) return response;
  return new Response(await response.blob(), { status: 200, headers: response.headers });
}

// A page asks a waiting worker to take over once it has every file.
self.addEventListener("message", (event) => {
  if (event.data === "samtal:activate") self.skipWaiting();
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

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  url.search = ""; // ?fragor=… on a sheet made by a link, ?q=… for search: the same file
  url.hash = "";
  const key = url.href;
  if (!key.startsWith(SCOPE) || SKIP.some((folder) => key.startsWith(folder))) return;
  const navigate = request.mode === "navigate";
  const known = FILE_SET.has(key) || (navigate && FILE_SET.has(`${key}/`));
  if (!known && !navigate) return;
  event.respondWith(answer(request, key, known));
});

async function answer(request, key, known) {
  const cache = await caches.open(CACHE);
  if (known && !FILE_SET.has(key)) return Response.redirect(`${key}/`, 301); // a folder's address without its slash
  if (known) {
    const hit = await cache.match(key);
    if (hit) return hit;
  }
  try {
    return await fetch(request);
  } catch (error) {
    const missing = request.mode === "navigate" && (await cache.match(NOT_FOUND));
    if (missing) return missing;
    throw error;
  }
}
