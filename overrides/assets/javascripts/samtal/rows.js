/*
 * The action plan's goal table: one card (fieldset) per goal, made from the
 * row template the build rendered (overrides/samtal/worksheet-plan.html).
 *
 * Markup read here:
 *   [data-samtal-key][data-samtal-kind="rows"][data-samtal-min-rows="N"]
 *     [data-samtal-rows]                 where the cards go
 *     template[data-samtal-row-template] one card: [data-samtal-row], controls
 *       with data-samtal-col="<column id>", data-samtal-col-kind ("text" or
 *       "date") and data-samtal-label; label[data-samtal-label-for="<column id>"];
 *       [data-samtal-row-title][data-samtal-row-label="… {n} …"] numbered by position.
 *
 * Value of the table: [{id, <column id>: text, ...}, ...]; the row id is
 * stable, so answers follow their goal whatever the order.
 */
import { fill } from "./translate.js";
import { prepareControl, syncControl } from "./mirror.js";

export const ROW_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const isRows = (entry) => entry.dataset.samtalKind === "rows";
export const rowsOf = (entry) => [...entry.querySelectorAll("[data-samtal-rows] > [data-samtal-row]")];
const template = (entry) => entry.querySelector("template[data-samtal-row-template]");
const cellsOf = (row) => [...row.querySelectorAll("[data-samtal-col]")];

/** The table's columns, from its row template: [{key, label, kind}]. */
export function columnsOf(entry) {
  return [...template(entry).content.querySelectorAll("[data-samtal-col]")].map((el) => ({
    key: el.dataset.samtalCol,
    label: el.dataset.samtalLabel || el.dataset.samtalCol,
    kind: el.dataset.samtalColKind === "date" ? "date" : "text",
  }));
}

function newRowId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function readRows(entry) {
  return rowsOf(entry).map((row) => {
    const value = { id: row.dataset.rowId };
    for (const el of cellsOf(row)) value[el.dataset.samtalCol] = el.value;
    return value;
  });
}

const rowIsEmpty = (row) => cellsOf(row).every((el) => el.value.trim() === "");

function makeRow(entry, id = newRowId()) {
  const row = template(entry).content.firstElementChild.cloneNode(true);
  row.dataset.rowId = id;
  // Element ids only need to be unique on the page; field names are not used here.
  const base = `${entry.dataset.samtalKey.replace(/^_/, "")}-${id}`;
  for (const el of cellsOf(row)) {
    const col = el.dataset.samtalCol;
    el.id = `${base}-${col}`;
    const label = row.querySelector(`[data-samtal-label-for="${col}"]`);
    if (label) label.htmlFor = el.id;
  }
  return row;
}

function setCells(row, value) {
  for (const el of cellsOf(row)) {
    const cell = value[el.dataset.samtalCol];
    const text = typeof cell === "string" ? cell : "";
    if (el.value !== text) {
      el.value = text;
      syncControl(el);
    }
  }
}

function prepare(row) {
  cellsOf(row).forEach(prepareControl);
  return row;
}

/** Add an empty goal card at the end; returns it. */
export function addRow(entry) {
  const row = makeRow(entry);
  entry.querySelector("[data-samtal-rows]").append(row);
  prepare(row);
  numberRows(entry);
  return row;
}

/**
 * Show `rows` in the table. Cards already on screen are kept (and keep the
 * focus), filled in place; the table has at least data-samtal-min-rows
 * cards. With `keepEmpty`, empty cards stay at the end, so a card just added
 * is not taken away when answers come in; without, the table is `rows` exactly.
 */
export function writeRows(entry, rows, { keepEmpty = false } = {}) {
  const container = entry.querySelector("[data-samtal-rows]");
  const existing = new Map(rowsOf(entry).map((row) => [row.dataset.rowId, row]));
  const wanted = (Array.isArray(rows) ? rows : []).filter((r) => r && typeof r.id === "string" && ROW_ID.test(r.id));
  const wantedIds = new Set(wanted.map((r) => r.id));
  const order = [];
  for (const value of wanted) {
    const row = existing.get(value.id) || makeRow(entry, value.id);
    setCells(row, value);
    order.push(row);
  }
  if (keepEmpty) for (const [id, row] of existing) if (!wantedIds.has(id) && rowIsEmpty(row)) order.push(row);
  const least = Number(entry.dataset.samtalMinRows || 1);
  while (order.length < least) order.push(makeRow(entry));
  for (const row of existing.values()) if (!order.includes(row)) row.remove();
  order.forEach((row, i) => {
    if (container.children[i] !== row) container.insertBefore(row, container.children[i] || null);
    prepare(row);
  });
  numberRows(entry);
}

/** Number the cards by position ("Mål 1", and "(mål 1)" for a screen reader on its remove button). */
function numberRows(entry) {
  rowsOf(entry).forEach((row, i) => {
    row.querySelectorAll("[data-samtal-row-title]").forEach((el) => {
      const title = fill(el.dataset.samtalRowLabel || "{n}", { n: i + 1 });
      if (el.textContent !== title) el.textContent = title;
    });
  });
}

/** The card's title as shown ("Mål 2"). */
export function rowTitle(row) {
  const title = row.querySelector("legend [data-samtal-row-title], [data-samtal-row-title]");
  return title ? title.textContent.trim() : "";
}

/**
 * Split stored rows into what a table with `columns` can show and what it
 * cannot (a column it no longer has, or a value of the wrong type): [shown, left].
 * `left` holds only rows with something in them, with their row id. Pure.
 */
export function splitRows(columns, value) {
  const cols = new Set(columns);
  const shown = [];
  const left = [];
  for (const row of value) {
    const mine = { id: row.id };
    const rest = { id: row.id };
    let restUsed = false;
    for (const [key, v] of Object.entries(row)) {
      if (key === "id") continue;
      if (cols.has(key) && typeof v === "string") mine[key] = v;
      else {
        rest[key] = v;
        if (!(typeof v === "string" && v.trim() === "") && v !== false) restUsed = true;
      }
    }
    shown.push(mine);
    if (restUsed) left.push(rest);
  }
  return [shown, left];
}
