/*
 * A worksheet made by a link: /arbetsblad/eget/?fragor=id1,id2,id3&titel=Namn
 * (not ?q=: Material opens its search for any ?q= and then drops it).
 *
 * Markup (overrides/samtal/custom-sheet.html):
 *   [data-samtal-custom][data-samtal-bank="<fragor.json>"]
 *     [data-samtal-placeholder] (the stand-in question id) and
 *     [data-samtal-placeholder-text|-hint|-follow-up] (its stand-in texts);
 *     [data-samtal-custom-loading|-empty|-failed|-unknown(-list)];
 *     template[data-samtal-answer-template="<answer kind>"]: one question's
 *     markup per answer kind, rendered by the build for the stand-in (its
 *     hint, [data-samtal-hint], goes when the question has none).
 *   form[data-samtal-sheet][data-samtal-manual] (hidden until built)
 *
 * The sheet is built in the link's order from the bank export, each field
 * from the template for its answer kind, with the stand-ins replaced by the
 * question's id and texts (set as text, never as markup). All sheets made by
 * links share one record, "eget", keyed by question id: reordering a link or
 * adding a question keeps every answer, and two links never mix answers to
 * different questions. Each sheet sees only its own questions (its scope).
 */
import { linkTitle } from "./link.js";
import { startSheet } from "./sheet.js";

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_IDS = 150;
const LINK_SHEET = "eget";

/** The question ids and title of a link's query. Pure. */
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
  const title = linkTitle(params.get("titel"));
  return { ids, invalid, title };
}

/**
 * Where a link's answers were kept before they were keyed by question id:
 * "eget-" and a 32-bit FNV-1a hash of the ids, as the first release named it.
 * Only read, to move those answers into the shared record.
 */
function legacyId(ids) {
  const text = ids.join(",");
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${LINK_SHEET}-${hash.toString(36)}`;
}

/** A question's block from the template for its answer kind, the stand-ins replaced. */
function fieldFor(root, q) {
  const template = root.querySelector(`template[data-samtal-answer-template="${q.answer}"]`);
  if (!template) return null;
  const stand = root.dataset;
  const texts = new Map([
    [stand.samtalPlaceholderText, q.text],
    [stand.samtalPlaceholderHint, q.hint || ""],
    [stand.samtalPlaceholderFollowUp, q.follow_up || ""],
  ].filter(([placeholder]) => placeholder));
  const block = template.content.cloneNode(true);
  for (const el of block.querySelectorAll("*")) {
    for (const attr of [...el.attributes]) {
      let value = attr.value.split(stand.samtalPlaceholder).join(q.id);
      if (texts.has(value)) value = texts.get(value);
      if (value !== attr.value) el.setAttribute(attr.name, value);
    }
  }
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    if (texts.has(text)) node.nodeValue = texts.get(text);
  }
  const hint = block.querySelector("[data-samtal-hint]");
  if (hint && !q.hint) {
    block.querySelectorAll(`[aria-describedby="${hint.id}"]`).forEach((el) => el.removeAttribute("aria-describedby"));
    hint.remove();
  }
  return block;
}

async function loadBank(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const data = await response.json();
  return new Map(data.questions.map((q) => [q.id, q]));
}

async function build(root) {
  root.dataset.samtalBuilt = "yes";
  const { ids, invalid, title } = parseLink(location.search);
  const form = root.querySelector("form[data-samtal-sheet]");
  const show = (name, shown = true) => { root.querySelector(`[data-samtal-custom-${name}]`).hidden = !shown; };
  let bank = new Map();
  try {
    if (ids.length) bank = await loadBank(root.dataset.samtalBank);
  } catch (error) {
    show("failed");
    return;
  } finally {
    show("loading", false);
  }
  const list = form.querySelector("[data-samtal-questions]");
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
    root.querySelector("[data-samtal-custom-unknown-list]").textContent = unknown.join(", ");
    show("unknown");
  }
  if (!found.length) {
    show("empty");
    return;
  }
  const name = title || form.dataset.samtalTitle;
  const heading = document.querySelector("article h1");
  if (heading) heading.textContent = name;
  document.title = `${name} - ${document.title.split(" - ").slice(-1)[0]}`;
  form.hidden = false;
  startSheet(form, {
    id: LINK_SHEET,
    title: name,
    // Every id the link asks for, found or not: answers to a question later
    // removed from the bank are shown as kept, not hidden.
    scope: new Set(ids),
    legacy: [legacyId(ids)],
    accepts: (fileId) => fileId === LINK_SHEET || fileId.startsWith(`${LINK_SHEET}-`),
  });
}

export function start(root = document) {
  for (const custom of root.querySelectorAll("[data-samtal-custom]")) {
    if (!custom.dataset.samtalBuilt) build(custom);
  }
}
