/*
 * Samtalsguiden: the answers of a worksheet into its own fillable PDF, and back.
 *
 * Everything happens in the browser: the blank PDF and its field map come from
 * the site itself, the library (pdf-lib, vendored under assets/vendor/, see
 * scripts/vendor.sh) is loaded from the site only when one of these functions
 * is called, and nothing is sent anywhere.
 *
 * Interface (the worksheet's buttons import this module when pressed)
 * ---------
 *   await fillPdf({form, answers, pdfUrl, fieldsUrl}) -> Blob (application/pdf)
 *     The sheet's PDF with every answer written into its fields: the same
 *     field names, tags (structure tree), /Lang and metadata as the blank
 *     PDF, still fillable. Text gets an appearance where the PDF's standard
 *     font can show it, and NeedAppearances asks readers to draw the rest.
 *     More goals than the paper has rows go on added pages, in fields of
 *     their own. pdfUrl and fieldsUrl default to the form's
 *     data-samtal-pdf and data-samtal-pdf-fields.
 *   await readPdf({file, fieldsUrl}) -> answers
 *     The answers held by a filled copy of the sheet's PDF (a File or Blob),
 *     e.g. one filled in a PDF reader.
 *
 * Answers are shaped like the worksheet's store: {KEY: {question, value}},
 * where value is a string (text, or the chosen option of a scale or yes/no),
 * an object {part: value} (the columns of "both views", choice and note of a
 * scale+text or yesno+text question), true for a ticked checklist item, or
 * for the goal table (_mal) a list of rows [{id, <column>: text}]. A date is
 * written and read as yyyy-mm-dd; a date written on paper in another form
 * that cannot be read as one is returned as written.
 *
 * Errors are PdfFillError with a `code` (the page shows its own words for it):
 *   "fetch"      the PDF or its field map could not be loaded
 *   "not-pdf"    the file is not a PDF this library can read (or is encrypted)
 *   "other-pdf"  the PDF is not this worksheet's (too few of its fields)
 *
 * The field map (pdf/<sheet>.fields.json) is made at build time by
 * hooks/samtal/fields.py (pdf_field_map), the one place field names are made:
 *   fields: {name: {key, part?, row?, kind: "text"|"box"|"check", value?, date?}}
 *   labels: {KEY: the question as the web sheet stores it}
 *   tables: {KEY: {title, columns: [{id, label, kind}], rows, more: [[name, ...], ...]}}
 */

const LIBRARY = new URL("../../vendor/pdf-lib/pdf-lib.esm.min.js", import.meta.url).href;
const ROWS_KEY = "SamtalsguidenRows"; // the goal rows' ids, kept in the PDF's document info
const A4 = [595.28, 841.89];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

let library = null;

/** pdf-lib, fetched from the site the first time it is needed. */
function pdfLib() {
  if (!library) library = import(LIBRARY).catch((error) => { library = null; throw error; });
  return library;
}

export class PdfFillError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = "PdfFillError";
    this.code = code;
  }
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin" });
  } catch (error) {
    throw new PdfFillError("fetch", `${what}: ${url}`, { cause: error });
  }
  if (!response.ok) throw new PdfFillError("fetch", `${what}: ${url} (${response.status})`);
  return response;
}

const fetchMap = async (url) => (await fetchOk(url, "field map")).json();
const fetchBytes = async (url) => new Uint8Array(await (await fetchOk(url, "PDF")).arrayBuffer());

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// ------------------------------------------------------------------ dates

/** yyyy-mm-dd for a date written in one of the usual ways, else the text as written. */
export function readDate(text) {
  const value = text.trim();
  if (ISO_DATE.test(value) || value === "") return value;
  const pad = (n) => String(n).padStart(2, "0");
  const valid = (y, m, d) => {
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  };
  let match = value.match(/^(\d{4})[-/.\s]?(\d{1,2})[-/.\s]?(\d{1,2})$/); // 2026-3-1, 20260301, 2026/03/01
  if (match) {
    const [y, m, d] = match.slice(1).map(Number);
    if (valid(y, m, d)) return `${y}-${pad(m)}-${pad(d)}`;
  }
  match = value.match(/^(\d{1,2})[/.\s-](\d{1,2})[/.\s-](\d{4})$/); // 1/3 2026, 1.3.2026 (day first)
  if (match) {
    const [d, m, y] = match.slice(1).map(Number);
    if (valid(y, m, d)) return `${y}-${pad(m)}-${pad(d)}`;
  }
  return value;
}

// ------------------------------------------------------------------ answers <-> field values

/** PDF field name -> what it should hold (string or boolean), for the answers given. */
function fieldValues(map, answers) {
  const out = new Map();
  for (const [name, info] of Object.entries(map.fields)) {
    const item = answers[info.key];
    const value = isObject(item) ? item.value : undefined;
    if (value === undefined || value === null) continue;
    if (info.row) {
      const row = Array.isArray(value) ? value[info.row - 1] : undefined;
      const text = isObject(row) ? row[info.part] : undefined;
      if (typeof text === "string" && text !== "") out.set(name, text);
      continue;
    }
    const part = info.part ? (isObject(value) ? value[info.part] : undefined) : value;
    if (info.kind === "box") out.set(name, part === info.value);
    else if (info.kind === "check") out.set(name, part === true);
    else if (typeof part === "string" && part !== "") out.set(name, part);
  }
  return out;
}

/** The answers the fields of a PDF hold: {KEY: {question, value}}. */
function answersFrom(map, values, rowIds) {
  const found = {};
  const put = (key, value) => {
    found[key] = { question: (map.labels && map.labels[key]) || key, value };
  };
  const rows = {};
  for (const [name, info] of Object.entries(map.fields)) {
    if (!values.has(name)) continue;
    const value = values.get(name);
    if (info.row) {
      if (typeof value !== "string" || value.trim() === "") continue;
      const table = (rows[info.key] ||= new Map());
      if (!table.has(info.row)) table.set(info.row, {});
      table.get(info.row)[info.part] = info.date ? readDate(value) : value;
      continue;
    }
    let part;
    if (info.kind === "box") {
      if (value !== true) continue;
      part = info.value;
    } else if (info.kind === "check") {
      if (value !== true) continue;
      part = true;
    } else {
      if (typeof value !== "string" || value.trim() === "") continue;
      part = info.date ? readDate(value) : value;
    }
    if (info.part) {
      const current = found[info.key] ? found[info.key].value : {};
      // Two ticks in one group on paper: the first one counts.
      if (!(info.part in current)) put(info.key, { ...current, [info.part]: part });
    } else if (!(info.key in found)) {
      put(info.key, part);
    }
  }
  for (const [key, table] of Object.entries(rows)) {
    const ids = rowIds[key] || [];
    const list = [...table.entries()]
      .sort(([a], [b]) => a - b)
      .map(([row, cells]) => ({ id: typeof ids[row - 1] === "string" && ids[row - 1] ? ids[row - 1] : `pdf-${row}`, ...cells }));
    if (list.length) put(key, list);
  }
  return found;
}

// ------------------------------------------------------------------ more goal rows than on paper

/** Add the rows beyond the paper's to `map.fields`, so they are filled and read like the rest. */
function withMoreRows(map, count) {
  const fields = { ...map.fields };
  for (const [key, table] of Object.entries(map.tables || {})) {
    const wanted = Math.min(count[key] || 0, table.rows + table.more.length);
    for (let row = table.rows + 1; row <= wanted; row += 1) {
      table.more[row - table.rows - 1].forEach((name, i) => {
        const col = table.columns[i];
        fields[name] = { key, part: col.id, row, kind: "text", ...(col.kind === "date" ? { date: true } : {}) };
      });
    }
  }
  return { ...map, fields };
}

const charsets = new WeakMap();

/** Whether the standard font has every character of `text` (it would draw "?" for the rest). */
function canDraw(font, text) {
  if (!charsets.has(font)) charsets.set(font, new Set(font.getCharacterSet()));
  const known = charsets.get(font);
  return [...text].every((ch) => ch === "\n" || ch === "\r" || known.has(ch.codePointAt(0)));
}

/** Text the standard font can draw (the labels of added pages); anything else is left out. */
function drawable(font, text) {
  return [...text].filter((ch) => canDraw(font, ch)).join("");
}

/** Pages with the goal rows that did not fit on paper: a table of text fields like the printed one. */
function addRowPages(lib, doc, form, font, map, rowCount) {
  const { rgb } = lib;
  for (const [key, table] of Object.entries(map.tables || {})) {
    const total = Math.min(rowCount[key] || 0, table.rows + table.more.length);
    if (total <= table.rows) continue;
    const margin = 45;
    const width = A4[0] - 2 * margin;
    const weights = table.columns.map((c, i) => (i === 0 ? 1.4 : c.kind === "date" ? 0.8 : 1));
    const sum = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => (w / sum) * width);
    const rowHeight = 68;
    const perPage = Math.floor((A4[1] - 2 * margin - 50) / rowHeight);
    let page;
    let y = 0;
    for (let row = table.rows + 1, n = 0; row <= total; row += 1, n += 1) {
      if (n % perPage === 0) {
        page = doc.addPage(A4);
        y = A4[1] - margin;
        page.drawText(drawable(font, table.title), { x: margin, y: y - 14, size: 14, font, color: rgb(0.12, 0.37, 0.55) });
        y -= 40;
        let x = margin;
        table.columns.forEach((col, i) => {
          page.drawText(drawable(font, col.label), { x: x + 2, y, size: 8, font, maxWidth: widths[i] - 4 });
          x += widths[i];
        });
        y -= 6;
        page.drawLine({ start: { x: margin, y }, end: { x: margin + width, y }, thickness: 1, color: rgb(0.2, 0.2, 0.2) });
      }
      let x = margin;
      table.more[row - table.rows - 1].forEach((name, i) => {
        const field = form.createTextField(name);
        if (table.columns[i].kind !== "date") field.enableMultiline();
        field.addToPage(page, {
          x, y: y - rowHeight, width: widths[i], height: rowHeight, font,
          borderWidth: 0.6, borderColor: rgb(0.45, 0.45, 0.45), backgroundColor: rgb(1, 1, 1),
        });
        field.setFontSize(9);
        x += widths[i];
      });
      y -= rowHeight;
    }
  }
}

// ------------------------------------------------------------------ the PDF's fields

/** A text field's value with an appearance drawn in `font` where it can, else left for the reader to draw. */
function setText(lib, field, text, font) {
  const widgets = field.acroField.getWidgets();
  const fieldDa = field.acroField.getDefaultAppearance();
  const widgetDa = widgets.map((w) => w.getDefaultAppearance());
  field.setText(text);
  let drawn = false;
  if (canDraw(font, text)) {
    try {
      field.updateAppearances(font);
      drawn = true;
    } catch (error) {
      drawn = false;
    }
  }
  // Where the standard font lacks a character, no appearance at all rather
  // than one with "?" in it: the reader draws the value itself (NeedAppearances).
  if (!drawn) for (const widget of widgets) widget.dict.delete(lib.PDFName.of("AP"));
  // Keep the PDF's own font for readers that draw the field themselves.
  if (fieldDa) field.acroField.setDefaultAppearance(fieldDa);
  widgets.forEach((widget, i) => { if (widgetDa[i]) widget.setDefaultAppearance(widgetDa[i]); });
}

async function loadPdf(lib, bytes) {
  try {
    return await lib.PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    throw new PdfFillError("not-pdf", String(error && error.message || error), { cause: error });
  }
}

/** How many of the map's fields the PDF has: a copy of the sheet's own PDF has them all. */
function checkSheet(map, form) {
  const names = Object.keys(map.fields);
  const present = names.filter((name) => form.getFieldMaybe(name)).length;
  if (names.length === 0 || present < names.length / 2) {
    throw new PdfFillError("other-pdf", `${present} of ${names.length} fields of ${map.sheet}`);
  }
}

// ------------------------------------------------------------------ public

export async function fillPdf({ form, answers, pdfUrl, fieldsUrl }) {
  const pdfAddress = pdfUrl || (form && form.dataset.samtalPdf);
  const mapAddress = fieldsUrl || (form && form.dataset.samtalPdfFields);
  const [lib, baseMap, bytes] = await Promise.all([pdfLib(), fetchMap(mapAddress), fetchBytes(pdfAddress)]);
  const doc = await loadPdf(lib, bytes);
  const pdfForm = doc.getForm();
  checkSheet(baseMap, pdfForm);
  const font = await doc.embedFont(lib.StandardFonts.Helvetica);

  const given = isObject(answers) ? answers : {};
  const rowCount = {};
  const rowIds = {};
  for (const key of Object.keys(baseMap.tables || {})) {
    const rows = isObject(given[key]) && Array.isArray(given[key].value) ? given[key].value.map((r) => (isObject(r) ? r : {})) : [];
    const filled = rows.map((row) => Object.entries(row).some(([k, v]) => k !== "id" && typeof v === "string" && v.trim() !== ""));
    rowCount[key] = filled.lastIndexOf(true) + 1; // empty rows at the end need no room
    rowIds[key] = rows.map((row) => (typeof row.id === "string" ? row.id : ""));
  }
  addRowPages(lib, doc, pdfForm, font, baseMap, rowCount);
  const map = withMoreRows(baseMap, rowCount);

  const values = fieldValues(map, given);
  for (const [name, value] of values) {
    const field = pdfForm.getFieldMaybe(name);
    if (!field) continue;
    if (field instanceof lib.PDFTextField && typeof value === "string") setText(lib, field, value, font);
    else if (field instanceof lib.PDFCheckBox) (value === true ? field.check() : field.uncheck());
  }
  if (Object.values(rowIds).some((ids) => ids.length)) {
    doc.getInfoDict().set(lib.PDFName.of(ROWS_KEY), lib.PDFHexString.fromText(JSON.stringify(rowIds)));
  }
  // Readers that draw fields themselves look the fields' fonts up here: the PDF's
  // own font is there already; the standard font of added fields goes beside it.
  const resources = pdfForm.acroForm.dict.lookup(lib.PDFName.of("DR"), lib.PDFDict);
  const fonts = resources && resources.lookup(lib.PDFName.of("Font"), lib.PDFDict);
  if (fonts && !fonts.has(lib.PDFName.of(font.name))) fonts.set(lib.PDFName.of(font.name), font.ref);
  pdfForm.acroForm.dict.set(lib.PDFName.of("NeedAppearances"), lib.PDFBool.True);
  const out = await doc.save({ updateFieldAppearances: false });
  return new Blob([out], { type: "application/pdf" });
}

export async function readPdf({ file, fieldsUrl }) {
  const [lib, baseMap] = await Promise.all([pdfLib(), fetchMap(fieldsUrl)]);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const doc = await loadPdf(lib, bytes);
  const pdfForm = doc.getForm();
  checkSheet(baseMap, pdfForm);

  let rowIds = {};
  const stored = doc.getInfoDict().lookup(lib.PDFName.of(ROWS_KEY));
  if (stored && typeof stored.decodeText === "function") {
    try {
      const parsed = JSON.parse(stored.decodeText());
      if (isObject(parsed)) rowIds = parsed;
    } catch (error) {
      rowIds = {};
    }
  }
  const most = {};
  for (const [key, table] of Object.entries(baseMap.tables || {})) most[key] = table.rows + table.more.length;
  const map = withMoreRows(baseMap, most);

  const values = new Map();
  for (const name of Object.keys(map.fields)) {
    const field = pdfForm.getFieldMaybe(name);
    if (field instanceof lib.PDFTextField) values.set(name, field.getText() || "");
    else if (field instanceof lib.PDFCheckBox) values.set(name, field.isChecked());
  }
  return answersFrom(map, values, rowIds);
}
