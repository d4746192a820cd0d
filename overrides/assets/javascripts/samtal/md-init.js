/*
 * What Material's theme runs inline before its bundle, as a file, so that the
 * Content-Security-Policy can forbid every inline script.
 *
 * __md_scope is the site's root: this file's address, three folders up
 * (assets/javascripts/samtal/md-init.js), so it is right at any page depth
 * and under any sub-path.
 *
 * Material reads the sitemap.xml beside every <link rel="alternate"> of a page
 * and from then on takes any link under that address for a language switch
 * (a sitemap it cannot read counts as an empty one). Ours are hreflang links to
 * the same page in each version, as the guidelines want, so an ordinary link to
 * a page once visited would become a full page load at a wrong address. Our own
 * language switch names the page in each version already, so Material's look-up
 * of the alternates is given none of the hreflang links: no sitemap request
 * leaves, and links work as links. Search engines read the links as written.
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

  const query = Document.prototype.querySelectorAll;
  Document.prototype.querySelectorAll = function (selectors) {
    const found = query.call(this, selectors);
    return selectors === "link[rel=alternate]" ? [...found].filter((link) => !link.hasAttribute("hreflang")) : found;
  };
})();
