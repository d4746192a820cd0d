/*
 * The guide offline: registers the offline worker (sw.js, made at build time by
 * hooks/samtal/offline.py) and says on the page when the guide is read without a network.
 *
 * - The theme writes <meta name="samtal-offline" content="<url of sw.js>"> only in a built
 *   site with the offline setting on; without it (mkdocs serve) nothing is registered.
 *   The worker's scope is the folder of sw.js: this version of the guide, under any sub-path.
 * - A new deployment: the browser finds a changed sw.js (checked on every page load), the
 *   new worker fetches every file into a new cache of its own, and only when it has all of
 *   them does this page let it take over (when nobody is typing), then reloads once, so
 *   the reader never gets old and new pages mixed. Answers live in localStorage, which
 *   the worker never touches; a reload keeps every one.
 * - Offline: a notice at the top of the page says so, and a status region tells a screen
 *   reader when the connection goes and comes back.
 */
import { announce } from "./copy.js";
import { t } from "./t.js";

const ACTIVATE = "samtal:activate"; // the message sw.js waits for before taking over
const QUIET_MS = 1500; // no typing for this long before the page reloads itself

let started = false;
let lastInput = 0;

/** Start once per page load; calling it again (after instant navigation) places the notice again. */
export function start() {
  showState();
  if (started) return;
  started = true;
  window.addEventListener("online", () => changed(true));
  window.addEventListener("offline", () => changed(false));
  // Material's instant navigation replaces the article: put the notice back in the new one.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(showState);
  for (const type of ["input", "keydown", "compositionupdate"]) {
    document.addEventListener(type, () => { lastInput = Date.now(); }, true);
  }
  register().catch(() => {
    // No worker (private mode, storage full, an old browser): the guide works online as before.
  });
}

// ---------------------------------------------------------------------- the worker

async function register() {
  const meta = document.querySelector('meta[name="samtal-offline"]');
  if (!meta || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  const script = new URL(meta.getAttribute("content"), location.href);
  const container = navigator.serviceWorker;
  const registration = await container.register(script.href, { scope: new URL("./", script).href, updateViaCache: "none" });

  // When a new worker takes over, this page (old files) reloads once, so it and every
  // file it loads later come from one deployment. The very first worker taking over a
  // page that came from the network is no change of deployment: no reload.
  let controlled = Boolean(container.controller);
  let reloading = false;
  container.addEventListener("controllerchange", () => {
    if (!controlled) {
      controlled = true;
      return;
    }
    if (reloading) return;
    reloading = true;
    whenIdle(() => location.reload());
  });
  // A new worker that has every file waits until the page lets it take over.
  const ready = (worker) => whenIdle(() => worker.postMessage(ACTIVATE));
  const follow = (worker) => {
    if (!worker) return;
    if (worker.state === "installed") {
      if (container.controller) ready(worker);
      return;
    }
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && container.controller) ready(worker);
    });
  };
  follow(registration.waiting);
  follow(registration.installing);
  registration.addEventListener("updatefound", () => follow(registration.installing));
  // Look for a new deployment now and whenever the network comes back.
  window.addEventListener("online", () => registration.update().catch(() => {}));
  if (navigator.onLine !== false) registration.update().catch(() => {});
}

/** Run `action` when nobody is typing: no text field has focus and no key for a moment. */
function whenIdle(action) {
  const check = () => {
    const field = document.activeElement;
    const typing = field && (field.isContentEditable || field.matches("textarea, select, input:not([type=button]):not([type=submit]):not([type=reset]):not([type=checkbox]):not([type=radio])"));
    if (document.visibilityState === "hidden" || (!typing && Date.now() - lastInput > QUIET_MS)) action();
    else window.setTimeout(check, 1000);
  };
  check();
}

// ---------------------------------------------------------------------- the notice

function changed(online) {
  showState();
  announce(online ? t("offline.online") : t("offline.reading"));
}

function showState() {
  const offline = navigator.onLine === false;
  const notice = document.querySelector("[data-samtal-offline-notice]");
  if (!offline) {
    notice?.remove();
    return;
  }
  const article = document.querySelector("article.md-content__inner") || document.querySelector("main");
  if (!article || (notice && article.contains(notice))) return;
  notice?.remove();
  const box = document.createElement("p");
  box.className = "samtal-offline-notice";
  box.dataset.samtalOfflineNotice = "";
  box.dataset.searchExclude = "";
  box.textContent = t("offline.reading");
  article.prepend(box);
}
