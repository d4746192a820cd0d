/*
 * Samtalsguiden: small helpers on every page.
 *
 * "Kopiera länk": every element with [data-samtal-copy] is a normal link to a
 * question, section or file. A click copies its absolute URL instead of
 * following it. Where the clipboard cannot be used (an http:// address, an old
 * browser, a refused permission) the link is shown in a text field, selected,
 * so the reader can copy it by hand.
 *
 * Events are delegated from `document`, so links added by Material's instant
 * navigation or by other scripts work without setting anything up again.
 */
(() => {
  "use strict";

  const COPIED = "Länken är kopierad.";
  const MANUAL = "Kopiera länken här:";

  function absoluteUrl(link) {
    const url = new URL(link.getAttribute("href"), location.href);
    return url.href;
  }

  function announce(text) {
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
    link.classList.add("samtal-copy--done");
    const original = link.dataset.samtalLabel || link.textContent;
    link.dataset.samtalLabel = original;
    link.textContent = "Kopierad!";
    announce(COPIED);
    window.setTimeout(() => {
      link.textContent = original;
      link.classList.remove("samtal-copy--done");
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
    input.id = "samtal-copy-" + Math.random().toString(36).slice(2);
    label.htmlFor = input.id;
    label.textContent = MANUAL;
    box.append(label, " ", input);
    link.after(box);
    input.focus();
    input.select();
    announce(MANUAL + " " + url);
  }

  async function copy(link) {
    const url = absoluteUrl(link);
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard");
      await navigator.clipboard.writeText(url);
      showCopied(link);
    } catch (error) {
      showManual(link, url);
    }
  }

  // Capture phase, so the copy wins over Material's instant navigation,
  // which would otherwise follow the link.
  document.addEventListener("click", (event) => {
    // Heading permalinks (¶) copy their link too.
    const link = event.target.closest("[data-samtal-copy], a.headerlink");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    copy(link);
  }, true);

  // "Skriv ut" buttons (handouts): the browser's own print dialog.
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-samtal-print]")) window.print();
  });

})();
