/*
 * Written as sw.js where the guide has no offline worker: under `mkdocs serve`, or when
 * extra.samtal.offline is false. A browser that kept a worker from an earlier build at
 * this address (the same host and port) fetches this file when it looks for an update;
 * it then deletes the guide's caches, unregisters itself and reloads the open pages, so
 * they come from the server again. Made by hooks/samtal/offline.py.
 */
"use strict";

const PREFIX = `samtalsguiden:${new URL("./", self.location.href).href}:`;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX)) await caches.delete(key);
      }
      await self.registration.unregister();
      for (const client of await self.clients.matchAll({ type: "window" })) client.navigate(client.url);
    })(),
  );
});
