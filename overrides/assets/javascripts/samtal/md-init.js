/*
 * What Material's theme runs inline before its bundle, as a file, so that the
 * Content-Security-Policy can forbid every inline script.
 *
 * __md_scope is the site's root: this file's address, three folders up
 * (assets/javascripts/samtal/md-init.js), so it is right at any page depth
 * and under any sub-path.
 *
 * Material looks for a sitemap.xml beside every <link rel="alternate"> of a
 * page (to keep the reader on the same page when switching language). Ours
 * point at the same page in each version, as hreflang should, so those look-ups
 * are sent to the sitemap of that version's root instead of to an address that
 * does not exist.
 */
(() => {
  "use strict";

  const self = document.currentScript;
  const root = new URL("../../../", self.src);
  window.__md_scope = root;
  window.__md_hash = (text) => [...text].reduce((hash, char) => (hash << 5) - hash + char.charCodeAt(0), 0);
  window.__md_get = (key, storage = localStorage, scope = window.__md_scope) =>
    JSON.parse(storage.getItem(`${scope.pathname}.${key}`));
  window.__md_set = (key, value, storage = localStorage, scope = window.__md_scope) => {
    try {
      storage.setItem(`${scope.pathname}.${key}`, JSON.stringify(value));
    } catch (error) {
      // storage full or refused: Material's preferences are not kept
    }
  };

  const roots = () =>
    [...document.querySelectorAll("meta[name='samtal-version-root']")].map((meta) => new URL(meta.content, location.href).href);
  // The version root a sitemap address belongs to, when it is not that root itself.
  const versionSitemap = (address) => {
    const url = new URL(address, location.href);
    if (url.origin !== location.origin || !url.pathname.endsWith("/sitemap.xml")) return null;
    const base = url.href.slice(0, url.href.length - url.search.length - url.hash.length - "sitemap.xml".length);
    const home = roots()
      .filter((r) => base.startsWith(r))
      .sort((a, b) => b.length - a.length)[0];
    return home && home !== base ? `${home}sitemap.xml` : null;
  };
  // Material asks with XMLHttpRequest (its own request helper) and may ask with fetch.
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, address, ...rest) {
    return open.call(this, method, versionSitemap(String(address)) ?? address, ...rest);
  };
  const fetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const moved = versionSitemap(input instanceof Request ? input.url : String(input));
    return moved ? fetch(moved, init) : fetch(input, init);
  };
})();
