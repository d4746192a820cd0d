/*
 * The worksheet's buttons (markup: overrides/samtal/worksheet-tools.html,
 * worksheet-plan.html, the kept list in worksheet.html), each a
 * [data-samtal-action]: files, text, clearing, goals,
 * the calendar file, kept answers and the filled-in PDF.
 *
 * The filled-in PDF is made by pdf-fill.js (written with pdf-lib by the PDF
 * side), loaded only when its button is pressed:
 *   fillPdf({form, answers, pdfUrl, fieldsUrl}) -> Promise<Blob>
 *   readPdf({file, fieldsUrl}) -> Promise<{KEY: {question, value}}>
 * Until that file is part of the site, the buttons say so instead.
 */
import { t, pageLanguage } from "./t.js";
import { filled, freeKey, keepBoth } from "./store.js";
import { entryLines, fits, isEmpty, keyOf, labelOf, labelledLines, readEntry, sameValue, writeEntry } from "./values.js";
import { addRow, columnsOf, isRows, readRows, rowTitle, rowsOf, writeRows } from "./rows.js";
import { FileProblem, parseFile, plainText, valueLines } from "./export.js";
import { calendarFile, planEvents } from "./calendar.js";
import { copyText } from "./copy.js";
import { download, downloadAnswers, takeFile, today } from "./files.js";

/** Wire the buttons of `sheet` (a Sheet from sheet.js). */
export function actions(sheet) {
  const handlers = {
    "save-file": () => saveFile(sheet),
    "open-file": () => sheet.find("[data-samtal-file]").click(),
    "fill-pdf": () => fillPdf(sheet),
    "open-pdf": () => openPdf(sheet),
    "copy-text": () => copyAll(sheet),
    "download-text": () => downloadText(sheet),
    clear: () => askClear(sheet),
    "clear-yes": () => clear(sheet),
    "clear-no": () => closeBox(sheet, "[data-samtal-confirm]", "clear"),
    undo: () => sheet.undo(),
    "add-row": (button) => addGoal(sheet, button),
    "remove-row": (button) => removeGoal(sheet, button),
    calendar: (button) => calendar(sheet, button),
    "kept-copy": (button) => copyKept(sheet, button.dataset.key),
    "kept-delete": (button) => deleteKept(sheet, button.dataset.key),
    "import-replace": () => finishImport(sheet, "replace"),
    "import-both": () => finishImport(sheet, "both"),
    "import-cancel": () => cancelImport(sheet),
    "download-damaged": () => sheet.downloadDamaged(),
  };
  sheet.form.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-samtal-action]");
    if (!button || !sheet.form.contains(button) || !handlers[button.dataset.samtalAction]) return;
    event.preventDefault();
    handlers[button.dataset.samtalAction](button);
  });
  const fileInput = sheet.find("[data-samtal-file]");
  if (fileInput) fileInput.addEventListener("change", () => openFile(sheet, takeFile(fileInput)));
  const pdfInput = sheet.find("[data-samtal-pdf-file]");
  if (pdfInput) pdfInput.addEventListener("change", () => readPdf(sheet, takeFile(pdfInput)));
}

function closeBox(sheet, selector, focusAction) {
  const box = sheet.find(selector);
  if (box) box.hidden = true;
  if (focusAction) sheet.focusAction(focusAction);
}

// ---------------------------------------------------------------- files

function saveFile(sheet) {
  downloadAnswers({ id: sheet.id, title: sheet.title, url: sheet.pageUrl(), answers: sheet.snapshot() });
  sheet.say(t("file.saved"));
}

async function openFile(sheet, file) {
  if (!file) return;
  let text;
  try {
    text = await file.text();
  } catch (error) {
    sheet.warn(t("file.unreadable"));
    return;
  }
  try {
    importAnswers(sheet, parseFile(text, sheet.accepts));
  } catch (problem) {
    if (!(problem instanceof FileProblem)) throw problem;
    sheet.warn(t(problem.key, problem.values));
  }
}

/**
 * Put answers from a file (or a filled-in PDF) on the sheet. Where they
 * differ from what is already typed, ask first: replace, keep both, or stop.
 */
function importAnswers(sheet, answers) {
  sheet.quiet();
  closeBox(sheet, "[data-samtal-confirm]");
  const all = sheet.adapted(filled(answers));
  const incoming = Object.fromEntries(Object.entries(all).filter(([key]) => sheet.inScope(key)));
  const outside = Object.keys(all).length - Object.keys(incoming).length;
  if (!Object.keys(incoming).length) {
    sheet.warn(outside ? t("file.none_here") : t("file.empty"));
    return;
  }
  sheet.waiting = { incoming, outside };
  const current = sheet.snapshot();
  const differ = Object.keys(incoming).filter((key) => current[key] && !sameValue(current[key].value, incoming[key].value));
  if (!differ.length) {
    finishImport(sheet, "replace");
    return;
  }
  const box = sheet.find("[data-samtal-import-choice]");
  box.querySelector("[data-samtal-import-question]").textContent = t("file.differs", { count: differ.length });
  box.hidden = false;
  box.querySelector("[data-samtal-action=import-both]").focus();
}

function finishImport(sheet, mode) {
  const waiting = sheet.waiting;
  sheet.waiting = null;
  closeBox(sheet, "[data-samtal-import-choice]");
  if (!waiting) return;
  const { incoming, outside } = waiting;
  let beside = 0;
  const before = sheet.bulk(() => {
    const current = sheet.snapshot();
    const taken = { ...sheet.known, ...sheet.pending, ...current };
    let changes = incoming;
    if (mode === "both") {
      const placed = keepBoth(current, incoming, taken);
      changes = placed.changes;
      beside = placed.beside.length;
    }
    // Each answer goes into its field where it fits there; one that does not is kept beside it.
    const out = {};
    const used = new Set(Object.keys({ ...taken, ...changes }));
    for (const [key, item] of Object.entries(changes)) {
      const entry = sheet.entryFor(key);
      if (!entry) out[key] = item;
      else if (fits(entry, item.value)) {
        writeEntry(entry, item.value);
        out[key] = sheet.changeOf(entry);
      } else {
        const free = freeKey(key, used);
        used.add(free);
        out[free] = item;
      }
    }
    return out;
  });
  if (!before) {
    sheet.warn(t("file.not_stored"));
    return;
  }
  sheet.offerUndo(before);
  const count = Object.keys(incoming).length;
  const parts = [t("file.opened", { count })];
  if (beside) parts.push(t("file.beside", { count: beside }));
  if (outside) parts.push(t("file.outside", { count: outside }));
  sheet.say(parts.join(" "));
}

function cancelImport(sheet) {
  sheet.waiting = null;
  closeBox(sheet, "[data-samtal-import-choice]", "open-file");
  sheet.say(t("file.cancelled"));
}

// ---------------------------------------------------------------- the filled-in PDF

async function pdfModule(sheet) {
  try {
    return await import("./pdf-fill.js");
  } catch (error) {
    sheet.warn(t("pdf.unavailable"));
    return null;
  }
}

async function fillPdf(sheet) {
  sheet.quiet();
  const pdf = await pdfModule(sheet);
  if (!pdf) return;
  sheet.say(t("pdf.making"));
  try {
    const blob = await pdf.fillPdf({
      form: sheet.form,
      answers: sheet.snapshot(),
      pdfUrl: sheet.form.dataset.samtalPdf,
      fieldsUrl: sheet.form.dataset.samtalPdfFields,
    });
    download(t("files.pdf", { id: sheet.id, date: today() }), "application/pdf", blob);
    sheet.say(t("pdf.made"));
  } catch (error) {
    sheet.warn(t("pdf.make_failed"));
  }
}

async function openPdf(sheet) {
  sheet.quiet();
  if (await pdfModule(sheet)) sheet.find("[data-samtal-pdf-file]").click();
}

async function readPdf(sheet, file) {
  if (!file) return;
  const pdf = await pdfModule(sheet);
  if (!pdf) return;
  let answers;
  try {
    answers = await pdf.readPdf({ file, fieldsUrl: sheet.form.dataset.samtalPdfFields });
  } catch (error) {
    sheet.warn(t("pdf.read_failed"));
    return;
  }
  importAnswers(sheet, answers);
}

// ---------------------------------------------------------------- text

/** The sheet as a document for plainText(): sections, questions and answers as shown. */
function textDoc(sheet) {
  const blocks = [];
  const done = new Set();
  for (const section of sheet.form.querySelectorAll("[data-samtal-section]")) {
    const block = { heading: section.dataset.samtalSection, items: [] };
    const loose = { lines: [] }; // header fields and checklist items: lines right under the heading
    for (const entry of section.querySelectorAll("[data-samtal-key]")) {
      if (done.has(entry)) continue;
      done.add(entry);
      const value = readEntry(entry);
      if (isRows(entry)) {
        const columns = columnsOf(entry);
        for (const row of rowsOf(entry)) {
          const cells = new Map([...row.querySelectorAll("[data-samtal-col]")].map((el) => [el.dataset.samtalCol, el.value]));
          const lines = columns.filter((c) => !isEmpty(cells.get(c.key))).flatMap((c) => labelledLines(c.label, cells.get(c.key)));
          block.items.push({ label: rowTitle(row), lines });
        }
      } else if (typeof value === "boolean") {
        loose.lines.push(value ? t("text.done", { text: labelOf(entry) }) : t("text.not_done", { text: labelOf(entry) }));
      } else if (keyOf(entry).startsWith("_")) {
        if (!isEmpty(value)) loose.lines.push(...labelledLines(labelOf(entry), entryLines(entry).join("\n")));
      } else {
        block.items.push({ label: labelOf(entry), lines: entryLines(entry) });
      }
    }
    if (loose.lines.length) block.items.unshift(loose);
    blocks.push(block);
  }
  const keptHeading = sheet.find("[data-samtal-kept] h2");
  blocks.push({
    heading: keptHeading ? keptHeading.textContent.trim() : "",
    items: Object.entries(sheet.kept).map(([key, item]) => ({ label: item.question || key, lines: valueLines(item.value, item.labels, t) })),
  });
  return { title: sheet.title, blocks, footer: t("text.source", { url: sheet.pageUrl() }) };
}

async function copyAll(sheet) {
  sheet.quiet();
  if (await copyText(plainText(textDoc(sheet)))) sheet.say(t("text.copied"));
  else sheet.warn(t("text.copy_failed"));
}

function downloadText(sheet) {
  download(t("files.text", { id: sheet.id, date: today() }), "text/plain;charset=utf-8", plainText(textDoc(sheet)));
  sheet.say(t("text.downloading"));
}

// ---------------------------------------------------------------- clearing

function askClear(sheet) {
  sheet.quiet();
  closeBox(sheet, "[data-samtal-import-choice]");
  const box = sheet.find("[data-samtal-confirm]");
  box.hidden = false;
  box.querySelector("[data-samtal-action=clear-no]").focus();
}

function clear(sheet) {
  closeBox(sheet, "[data-samtal-confirm]");
  const before = sheet.bulk(() => {
    const changes = {};
    for (const entry of sheet.entries()) {
      writeEntry(entry, undefined);
      changes[keyOf(entry)] = sheet.changeOf(entry);
    }
    for (const [key, item] of Object.entries(sheet.kept)) changes[key] = { question: item.question };
    return changes;
  });
  if (!before) {
    sheet.warn(t("store.failed_change"));
    return;
  }
  sheet.offerUndo(before);
  sheet.say(t("clear.done"));
  sheet.focusAction("undo");
}

// ---------------------------------------------------------------- goals

function goalsEntry(sheet, button) {
  const section = button.closest("section, fieldset, form");
  return section.querySelector("[data-samtal-kind=rows]") || sheet.find("[data-samtal-kind=rows]");
}

function addGoal(sheet, button) {
  const entry = goalsEntry(sheet, button);
  sheet.dropUndo();
  const row = addRow(entry);
  row.querySelector("[data-samtal-col]").focus();
  sheet.say(t("plan.added", { n: rowsOf(entry).length }));
}

function removeGoal(sheet, button) {
  const row = button.closest("[data-samtal-row]");
  const entry = row.closest("[data-samtal-kind=rows]");
  const index = rowsOf(entry).indexOf(row);
  const title = rowTitle(row);
  const before = sheet.bulk(() => {
    row.remove();
    writeRows(entry, readRows(entry)); // at least the least number of cards, numbered again
    return { [keyOf(entry)]: sheet.changeOf(entry) };
  });
  if (!before) {
    sheet.warn(t("store.failed_change"));
    return;
  }
  sheet.offerUndo(before);
  sheet.say(t("plan.removed", { goal: title }));
  const left = rowsOf(entry);
  left[Math.min(index, left.length - 1)].querySelector("[data-samtal-col]").focus();
}

function calendar(sheet, button) {
  const entry = goalsEntry(sheet, button);
  const events = planEvents({
    rows: readRows(entry),
    columns: columnsOf(entry),
    sheetTitle: sheet.title,
    url: sheet.pageUrl(),
    host: location.hostname,
    t,
  });
  if (!events.length) {
    sheet.warn(t("calendar.no_dates"));
    return;
  }
  download(t("files.calendar", { id: sheet.id }), "text/calendar;charset=utf-8", calendarFile(events, { language: pageLanguage() }));
  sheet.say(t("calendar.downloading", { count: events.length }));
}

// ---------------------------------------------------------------- kept answers

async function copyKept(sheet, key) {
  const item = sheet.kept[key];
  if (!item) return;
  const text = `${item.question || key}\n\n${valueLines(item.value, item.labels, t).join("\n")}\n`;
  if (await copyText(text)) sheet.say(t("kept.copied"));
  else sheet.warn(t("kept.copy_failed"));
}

function deleteKept(sheet, key) {
  const item = sheet.kept[key];
  if (!item) return;
  const before = sheet.bulk(() => ({ [key]: { question: item.question } }));
  if (!before) {
    sheet.warn(t("store.failed_change"));
    return;
  }
  sheet.offerUndo(before);
  sheet.say(t("kept.deleted"));
  const next = sheet.find("[data-samtal-kept-list] button");
  if (next) next.focus();
  else sheet.focusAction("undo");
}
