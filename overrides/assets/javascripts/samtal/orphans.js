/*
 * On the worksheets page (/arbetsblad/): answers this browser keeps for
 * sheets that are no longer in the guide, and records that could not be read
 * and were put aside, each with a way to take them out (a file, text, or the
 * stored text as it is) and to delete them.
 *
 * Markup (overrides/samtal/worksheet-index.md.j2):
 *   [data-samtal-sheet-index][data-samtal-known="id,id,..."] the sheets that exist
 *   [data-samtal-orphans] (hidden while empty) with [data-samtal-orphans-list],
 *     [data-samtal-orphans-message] and template[data-samtal-orphan-template]:
 *     [data-samtal-orphan-item] with [data-samtal-orphan-title], [data-samtal-orphan-about], buttons
 *     [data-samtal-orphan-action="save-file|download-text|download-raw|delete|
 *     delete-yes|delete-no"], [data-samtal-orphan-confirm].
 */
import { t, longDate } from "./t.js";
import { filled, listStored, parseRecord } from "./store.js";
import { plainText, valueLines } from "./export.js";
import { download, downloadAnswers, today } from "./files.js";

/** What the page lists: records of unknown sheets with answers in them, and every record put aside. */
function orphans(stored, known) {
  return stored.filter((e) => {
    if (e.kind === "aside") return true;
    if (known.has(e.id)) return false;
    return e.state !== "ok" || Object.keys(filled(e.record.answers)).length > 0;
  });
}

function describe(entry) {
  const date = (text) => {
    const when = new Date(text);
    return Number.isNaN(when.getTime()) ? "" : longDate(when);
  };
  if (entry.kind === "aside") {
    const inside = parseRecord(entry.raw);
    const title = inside.state === "ok" && inside.record.title ? inside.record.title : t("orphans.untitled", { id: entry.id });
    return { title, about: t("orphans.aside_about", { date: date(entry.when) }), readable: false };
  }
  if (entry.state !== "ok") return { title: t("orphans.untitled", { id: entry.id }), about: t("orphans.unreadable"), readable: false };
  const count = Object.keys(filled(entry.record.answers)).length;
  const saved = date(entry.record.saved);
  return {
    title: entry.record.title || t("orphans.untitled", { id: entry.id }),
    about: saved ? t("orphans.about", { count, date: saved }) : t("orphans.about_undated", { count }),
    readable: true,
  };
}

function asText(entry, title) {
  const answers = filled(entry.record.answers);
  const items = Object.entries(answers).map(([key, item]) => ({ label: item.question || key, lines: valueLines(item.value, item.labels, t) }));
  const url = entry.record.url;
  return plainText({ title, blocks: [{ heading: "", items }], footer: url ? t("text.source", { url }) : "" });
}

function render(section, known) {
  const list = section.querySelector("[data-samtal-orphans-list]");
  const template = section.querySelector("template[data-samtal-orphan-template]");
  const entries = orphans(listStored(window.localStorage), known);
  list.replaceChildren();
  section.hidden = entries.length === 0;
  entries.forEach((entry, index) => {
    const { title, about, readable } = describe(entry);
    const item = template.content.firstElementChild.cloneNode(true);
    const heading = item.querySelector("[data-samtal-orphan-title]");
    heading.id = `sparade-svar--${index}`;
    heading.textContent = title;
    item.querySelector("[data-samtal-orphan-about]").textContent = about;
    for (const button of item.querySelectorAll("[data-samtal-orphan-action]")) {
      const action = button.dataset.samtalOrphanAction;
      if (["save-file", "download-text"].includes(action)) button.hidden = !readable;
      if (action === "download-raw") button.hidden = readable;
      button.setAttribute("aria-describedby", heading.id);
    }
    item.samtalEntry = { ...entry, title };
    list.append(item);
  });
}

function act(section, known, button) {
  const item = button.closest("[data-samtal-orphan-item]");
  const entry = item.samtalEntry;
  const message = section.querySelector("[data-samtal-orphans-message]");
  const confirm = item.querySelector("[data-samtal-orphan-confirm]");
  message.textContent = "";
  switch (button.dataset.samtalOrphanAction) {
    case "save-file": {
      downloadAnswers({ id: entry.id, title: entry.title, url: entry.record.url, answers: filled(entry.record.answers) });
      message.textContent = t("file.saved");
      break;
    }
    case "download-text":
      download(t("files.text", { id: entry.id, date: today() }), "text/plain;charset=utf-8", asText(entry, entry.title));
      message.textContent = t("text.downloading");
      break;
    case "download-raw":
      download(t("files.damaged", { id: entry.id }), "text/plain;charset=utf-8", entry.raw);
      message.textContent = t("text.downloading");
      break;
    case "delete":
      confirm.hidden = false;
      confirm.querySelector("[data-samtal-orphan-action=delete-no]").focus();
      break;
    case "delete-no":
      confirm.hidden = true;
      item.querySelector("[data-samtal-orphan-action=delete]").focus();
      break;
    case "delete-yes":
      window.localStorage.removeItem(entry.key);
      render(section, known);
      message.textContent = t("orphans.deleted");
      (section.querySelector("[data-samtal-orphans-list] button:not([hidden])") || section.querySelector("h2")).focus();
      break;
    default:
  }
}

export function start(root = document) {
  const section = root.querySelector("[data-samtal-orphans]");
  if (!section || section.dataset.samtalReady) return;
  section.dataset.samtalReady = "yes";
  const index = root.querySelector("[data-samtal-sheet-index]");
  const known = new Set(((index && index.dataset.samtalKnown) || "").split(",").filter(Boolean));
  section.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-samtal-orphan-action]");
    if (button && section.contains(button)) act(section, known, button);
  });
  render(section, known);
}
