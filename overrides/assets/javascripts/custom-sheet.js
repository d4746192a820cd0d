/*
 * Samtalsguiden: worksheets made by a link.
 *
 * (The picker on /fragor/ that makes these links is samtal/picker.js.)
 *
 * On /arbetsblad/eget/ ([data-samtal-custom]): read that link, fetch the
 *    bank export (fragor.json, made at build time) and build the sheet in the
 *    link's order, each field from the template the build rendered for its
 *    answer kind (the same Jinja partial as every other worksheet).
 *    Unknown ids are listed in a notice; the rest works. Text from the link
 *    is only ever set with textContent, so it cannot add markup. The sheet
 *    then autosaves like any other (worksheet.js), under an id made from the
 *    question ids, so two different links never mix their answers.
 */
(() => {
  "use strict";

  const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  const MAX_IDS = 150;
  const MAX_TITLE = 120;
  const DEFAULT_TITLE = "Eget arbetsblad";

  // ------------------------------------------------------------ the link

  function parseLink(search) {
    const params = new URLSearchParams(search);
    const raw = (params.get("fragor") || "").slice(0, 6000);
    const seen = new Set();
    const ids = [];
    const invalid = [];
    for (const part of raw.split(",")) {
      const id = part.trim().toLowerCase();
      if (!id || seen.has(id)) continue;
      seen.add(id);
      if (ID.test(id) && id.length <= 80) ids.push(id);
      else invalid.push(part.trim().slice(0, 80));
      if (ids.length >= MAX_IDS) break;
    }
    const title = (params.get("titel") || "").replace(/\s+/g, " ").trim().slice(0, MAX_TITLE);
    return { ids, invalid, title };
  }

  // 32-bit FNV-1a, enough to tell two question lists apart in localStorage.
  function shortHash(text) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(36);
  }

  // ------------------------------------------------------------ the custom sheet

  const TEXT = "SAMTAL_FRAGA";
  const HINT = "SAMTAL_TIPS";

  // A field block for question `q` (from fragor.json), made from the template
  // the build rendered for its answer kind.
  function fieldFor(root, q) {
    const template = root.querySelector(`template[data-samtal-answer-template="${q.answer}"]`);
    if (!template) return null;
    const placeholder = root.dataset.samtalPlaceholder;
    const block = template.content.cloneNode(true);
    for (const el of block.querySelectorAll("*")) {
      for (const attr of [...el.attributes]) {
        let value = attr.value.split(placeholder).join(q.id);
        if (value === TEXT) value = q.text;
        if (value !== attr.value) el.setAttribute(attr.name, value);
      }
    }
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeValue.trim() === TEXT) node.nodeValue = q.text;
      else if (node.nodeValue.trim() === HINT) node.nodeValue = q.hint;
    }
    if (!q.hint) {
      const hintId = `tips--${q.id}`;
      block.getElementById(hintId)?.remove();
      block.querySelectorAll(`[aria-describedby="${hintId}"]`).forEach((el) => el.removeAttribute("aria-describedby"));
    }
    return block;
  }

  async function loadBank(root) {
    const response = await fetch(root.dataset.samtalBank, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`fragor.json: ${response.status}`);
    const data = await response.json();
    return new Map(data.questions.map((q) => [q.id, q]));
  }

  async function buildCustomSheet(root) {
    if (root.dataset.samtalBuilt) return;
    root.dataset.samtalBuilt = "yes";
    const { ids, invalid, title } = parseLink(location.search);
    const form = root.querySelector("form[data-samtal-sheet]");
    const list = form.querySelector("[data-samtal-questions]");
    const empty = root.querySelector("[data-samtal-custom-empty]");
    const loading = root.querySelector("[data-samtal-custom-loading]");
    if (!ids.length && !invalid.length) {
      loading.hidden = true;
      empty.hidden = false;
      return;
    }
    let bank;
    try {
      bank = await loadBank(root);
    } catch (error) {
      loading.hidden = true;
      root.querySelector("[data-samtal-custom-failed]").hidden = false;
      return;
    }
    loading.hidden = true;
    const found = [];
    const unknown = [...invalid];
    for (const id of ids) {
      const question = bank.get(id);
      const block = question && fieldFor(root, question);
      if (block) {
        list.append(block);
        found.push(id);
      } else {
        unknown.push(id);
      }
    }
    if (unknown.length) {
      const notice = root.querySelector("[data-samtal-custom-unknown]");
      notice.querySelector("[data-samtal-custom-unknown-list]").textContent = unknown.join(", ");
      notice.hidden = false;
    }
    if (!found.length) {
      empty.hidden = false;
      return;
    }
    const name = title || DEFAULT_TITLE;
    const heading = document.querySelector("article h1");
    if (heading) heading.textContent = name;
    document.title = `${name} - ${document.title.split(" - ").slice(-1)[0]}`;
    // Named after the ids the link asks for, not the ones found: if a
    // question is later removed from the bank, the answers stay under the
    // same name and the removed one is shown as kept.
    form.dataset.samtalSheet = `eget-${shortHash(ids.join(","))}`;
    form.dataset.samtalTitle = name;
    form.hidden = false;
    window.samtalWorksheet.init(form);
  }

  function setUp() {
    document.querySelectorAll("[data-samtal-custom]").forEach(buildCustomSheet);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
