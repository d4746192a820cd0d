/*
 * Answers out of the browser and back: the "Spara som fil" JSON file, the
 * plain text for an e-mail ("Kopiera som text", "Ladda ner som text"), and
 * reading a saved file. Pure: words come in through `t` or the document model.
 *
 * File (format version 1, unchanged since the first release, so every file
 * ever saved opens):
 *   {format: "samtalsguiden-arbetsblad", version: 1,
 *    worksheet: {id, title, url}, saved: "<ISO time>",
 *    answers: [{id: KEY, question: "<as shown>", answer: <value>}]}
 */
import { FORMAT } from "./store.js";
import { KEY, isEmpty, isObject, isValidValue, labelledLines, normaliseRows } from "./values.js";

const FILE_VERSION = 1;
const INDENT = "    ";

export function fileData({ id, title, url, answers, saved = new Date() }) {
  return {
    format: FORMAT,
    version: FILE_VERSION,
    worksheet: { id, title, url },
    saved: saved.toISOString(),
    answers: Object.entries(answers)
      .filter(([, item]) => !isEmpty(item.value))
      .map(([key, item]) => ({ id: key, question: item.question || "", answer: item.value })),
  };
}

/** A file that cannot be opened; `key` and `values` name the message (js strings "file.*"). */
export class FileProblem extends Error {
  constructor(key, values = {}) {
    super(key);
    this.key = key;
    this.values = values;
  }
}

/**
 * The answers in a saved file ({KEY: {question, value}}), or a FileProblem.
 * `accepts(id)` says whether a file of the sheet `id` may be opened here.
 */
export function parseFile(text, accepts) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new FileProblem("file.not_json");
  }
  if (!isObject(data) || data.format !== FORMAT) throw new FileProblem("file.not_ours");
  if (!Number.isInteger(data.version) || data.version < 1) throw new FileProblem("file.not_ours");
  if (data.version > FILE_VERSION) throw new FileProblem("file.newer");
  const about = isObject(data.worksheet) ? data.worksheet : {};
  if (typeof about.id !== "string" || !accepts(about.id)) {
    const title = typeof about.title === "string" ? about.title.trim().slice(0, 200) : "";
    throw title ? new FileProblem("file.other_sheet", { title }) : new FileProblem("file.other_sheet_untitled");
  }
  if (!Array.isArray(data.answers)) throw new FileProblem("file.no_answers");
  const answers = {};
  for (const item of data.answers) {
    const ok = isObject(item) && typeof item.id === "string" && KEY.test(item.id) && !(item.id in answers)
      && typeof item.question === "string" && isValidValue(normaliseRows(item.answer));
    if (!ok) throw new FileProblem("file.damaged");
    answers[item.id] = { question: item.question, value: normaliseRows(item.answer) };
  }
  return answers;
}

const splitLines = (text) => String(text).split(/\r\n|\r|\n/);

/** How a stored value reads as lines of text, without its sheet (kept answers, orphans). */
export function valueLines(value, labels, t) {
  const show = (v) => (typeof v === "boolean" ? (v ? t("text.yes") : t("text.no")) : String(v));
  const labelled = (label, v) => labelledLines(label, show(v));
  if (typeof value === "string" || typeof value === "boolean") return isEmpty(value) ? [] : splitLines(show(value));
  const names = isObject(labels) ? labels : {};
  if (Array.isArray(value)) {
    const rows = value.filter((row) => !isEmpty(row)).map((row) =>
      Object.entries(row).filter(([k, v]) => k !== "id" && !isEmpty(v)).flatMap(([k, v]) => labelled(names[k] || k, v)));
    return rows.flatMap((lines, i) => (i ? ["", ...lines] : lines));
  }
  if (isObject(value)) {
    return Object.entries(value).filter(([, v]) => !isEmpty(v)).flatMap(([k, v]) => labelled(names[k] || k, v));
  }
  return [];
}

/**
 * Plain text for an e-mail or a document: no Markdown, headings as plain
 * lines, each answer indented under its question.
 *   doc = {title, blocks: [{heading, items: [{label, lines}]}], footer}
 * An item without a label is lines under the heading itself (the sheet's
 * header fields, a checklist). Blocks and items without lines are left out.
 */
export function plainText(doc) {
  const out = [doc.title];
  for (const block of doc.blocks) {
    const items = block.items.filter((item) => item.lines.some((line) => line.trim()));
    if (!items.length) continue;
    out.push("");
    if (block.heading) out.push(block.heading);
    for (const item of items) {
      if (item.label) {
        if (out[out.length - 1] !== "") out.push("");
        out.push(item.label);
      }
      for (const line of item.lines) out.push(line.trim() ? INDENT + line.trimEnd() : "");
    }
  }
  if (doc.footer) out.push("", doc.footer);
  return `${out.join("\n")}\n`;
}
