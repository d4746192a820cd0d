/*
 * The one clipboard helper, and "Kopiera länk" on every page.
 *
 * copyText(text, {oldWay = true}) -> Promise<boolean>: the Clipboard API
 * where the page may use it, else (with oldWay) through a selected text area.
 *
 * Every element with [data-samtal-copy] (and every heading permalink) is a
 * normal link; a click copies its absolute address instead of following it.
 * Where nothing can be copied (an http:// address, a refused permission), the
 * address is shown in a text field, selected, so the reader can copy it.
 * Events are delegated from `document` once, so links added by instant
 * navigation or by other scripts work as they are.
 */
import { t } from "./t.js";

export async function copyText(text, { oldWay = true } = {}) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      // refused: try the old way
    }
  }
  if (!oldWay) return false;
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "samtal-offscreen";
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch (error) {
    ok = false;
  }
  area.remove();
  return ok;
}

/** Say `text` to a screen reader (a polite live region shared by the page). */
export function announce(text) {
  let region = document.getElementById("samtal-announce");
  if (!region) {
    region = document.createElement("div");
    region.id = "samtal-announce";
    region.className = "samtal-sr";
    region.setAttribute("role", "status");
    document.body.append(region);
  }
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 50);
}

function showCopied(link) {
  if (link.samtalCopiedTimer) window.clearTimeout(link.samtalCopiedTimer);
  else link.samtalOriginal = link.textContent;
  link.classList.add("samtal-copy--done");
  link.textContent = t("copy.done_short");
  announce(t("copy.done"));
  link.samtalCopiedTimer = window.setTimeout(() => {
    link.textContent = link.samtalOriginal;
    link.classList.remove("samtal-copy--done");
    link.samtalCopiedTimer = null;
  }, 2500);
}

function showManual(link, url) {
  const next = link.nextElementSibling;
  if (next && next.classList.contains("samtal-copy-manual")) {
    next.querySelector("input").select();
    return;
  }
  const box = document.createElement("span");
  box.className = "samtal-copy-manual";
  const label = document.createElement("label");
  const input = document.createElement("input");
  input.type = "text";
  input.readOnly = true;
  input.value = url;
  input.id = `samtal-copy-${Math.random().toString(36).slice(2)}`;
  label.htmlFor = input.id;
  label.textContent = t("copy.manual");
  box.append(label, " ", input);
  link.after(box);
  input.focus();
  input.select();
  announce(`${t("copy.manual")} ${url}`);
}

async function copyLink(link) {
  const url = new URL(link.getAttribute("href"), location.href).href;
  // Without the Clipboard API the link is shown to copy by hand: the reader sees what it is.
  if (await copyText(url, { oldWay: false })) showCopied(link);
  else showManual(link, url);
}

let started = false;

export function start() {
  if (started) return;
  started = true;
  // Capture phase, so the copy wins over Material's instant navigation,
  // which would otherwise follow the link.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-samtal-copy], a.headerlink");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    copyLink(link);
  }, true);
}
