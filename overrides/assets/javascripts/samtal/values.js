/*
 * Values of answers, and reading and writing them in a sheet's entries.
 *
 * An answer's value has one of three shapes:
 *   flat   a string (text, a choice, a date) or a boolean (a checklist item)
 *   parts  {part: flat, ...}: a structured answer (compare columns; the
 *          `choice` and `note` of a scale+text / yesno+text question)
 *   rows   [{id, <column>: string, ...}, ...]: the goal table
 *
 * A value is made of *fields*, each with a path: "" for a flat value, the
 * part's name, or "<row id>/<column>" in a table. Edit times and merges work
 * per field (store.js), so two tabs never overwrite each other's fields.
 *
 * The functions above the line are pure; those below take an entry element
 * (markup in overrides/samtal/worksheet*.html):
 *   [data-samtal-key="KEY"][data-samtal-label="Question as shown"]
 *     named controls: textarea / input -> string; a radio group -> string
 *     ("" if none is checked); a checkbox -> boolean; controls with
 *     data-samtal-part="p" (and data-samtal-part-label) -> {p: value};
 *     radios may carry data-samtal-show (how the choice reads in text).
 *   [data-samtal-kind="rows"]: the goal table (rows.js).
 * KEY and control names are made by the build (hooks/samtal/fields.py) and
 * only ever read here.
 */
import { ROW_ID, columnsOf, isRows, readRows, splitRows, writeRows } from "./rows.js";
import { syncControl } from "./mirror.js";

export const KEY = /^[_a-z0-9][a-z0-9-]*(?:~[0-9]+)?$/; // a question id, _header, checklist--item, KEY~N
const NAME = /^[A-Za-z0-9_-]{1,80}$/; // a part or column id

export const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isFlat = (v) => typeof v === "string" || typeof v === "boolean";

export function isEmpty(value) {
  if (value === undefined || value === null || value === false) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.every(isEmpty);
  if (isObject(value)) return Object.entries(value).every(([k, v]) => k === "id" || isEmpty(v));
  return false;
}

/** A value this script could have written (checked before anything from storage or a file is used). */
export function isValidValue(value) {
  if (isFlat(value)) return true;
  const record = (v) => isObject(v) && Object.entries(v).every(([k, x]) => NAME.test(k) && isFlat(x));
  if (isObject(value)) return record(value);
  return Array.isArray(value) && value.every((row) => record(row) && typeof row.id === "string" && ROW_ID.test(row.id));
}

/** "none" (empty or missing), "flat", "parts" or "rows". */
export function shapeOf(value) {
  if (value === undefined || value === null || isEmpty(value)) return "none";
  if (Array.isArray(value)) return "rows";
  if (isObject(value)) return "parts";
  return "flat";
}

/** The fields of a value: Map(path -> flat value). Empty fields are left out. */
export function fieldsOf(value) {
  const out = new Map();
  const put = (path, v) => {
    if (isFlat(v) && !isEmpty(v)) out.set(path, v);
  };
  if (isFlat(value)) put("", value);
  else if (Array.isArray(value)) {
    for (const row of value) {
      if (!isObject(row)) continue;
      for (const [col, v] of Object.entries(row)) if (col !== "id") put(`${row.id}/${col}`, v);
    }
  } else if (isObject(value)) {
    for (const [part, v] of Object.entries(value)) put(part, v);
  }
  return out;
}

/** The paths whose field differs between two values. */
export function changedPaths(before, after) {
  const a = fieldsOf(before);
  const b = fieldsOf(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((path) => a.get(path) !== b.get(path));
}

/** A label to put before ": " in text ("Vad ska du göra?" -> "Vad ska du göra"). */
export function bareLabel(label) {
  return String(label).trim().replace(/\s*[?:]$/, "");
}

/** "Label: text" as lines: the text's first line after the label, the rest below it. */
export function labelledLines(label, text) {
  const [first, ...rest] = String(text).trim().split(/\r\n|\r|\n/);
  return [`${bareLabel(label)}: ${first}`, ...rest];
}

export function sameValue(a, b) {
  return changedPaths(a, b).length === 0;
}

/**
 * Give rows without a usable id one ("rad-1", "rad-2", ... the first free),
 * and drop what is not a row. Returns a new array; other values unchanged.
 */
export function normaliseRows(value) {
  if (!Array.isArray(value)) return value;
  const rows = value.filter(isObject);
  const taken = new Set();
  const out = rows.map((row) => {
    const ok = typeof row.id === "string" && ROW_ID.test(row.id) && !taken.has(row.id);
    if (ok) taken.add(row.id);
    return { ...row, id: ok ? row.id : null };
  });
  let n = 0;
  for (const row of out) {
    if (row.id !== null) continue;
    do n += 1; while (taken.has(`rad-${n}`));
    row.id = `rad-${n}`;
    taken.add(row.id);
  }
  return out;
}

// ---------------------------------------------------------------- entries (DOM)

export const keyOf = (entry) => entry.dataset.samtalKey;
export const labelOf = (entry) => entry.dataset.samtalLabel || entry.dataset.samtalKey;

function controlsOf(entry) {
  return [...entry.querySelectorAll("input[name], textarea[name], select[name]")];
}

/** Controls of an entry grouped by part ("" when the entry has no parts). */
export function partsOf(entry) {
  const parts = new Map();
  for (const el of controlsOf(entry)) {
    const part = el.dataset.samtalPart || "";
    if (!parts.has(part)) parts.set(part, []);
    parts.get(part).push(el);
  }
  return parts;
}

function readGroup(controls) {
  const first = controls[0];
  if (first.type === "radio") return (controls.find((c) => c.checked) || { value: "" }).value;
  if (first.type === "checkbox") return first.checked;
  return first.value;
}

/** Write a group's value, touching only controls whose value changes (the caret stays put). */
function writeGroup(controls, value) {
  const first = controls[0];
  if (first.type === "radio") {
    for (const c of controls) if (c.checked !== (c.value === value)) c.checked = c.value === value;
  } else if (first.type === "checkbox") {
    if (first.checked !== (value === true)) first.checked = value === true;
  } else {
    const text = typeof value === "string" ? value : "";
    if (first.value !== text) {
      first.value = text;
      syncControl(first);
    }
  }
}

function fitsGroup(controls, value) {
  if (value === undefined) return true;
  const first = controls[0];
  if (first.type === "radio") return value === "" || controls.some((c) => c.value === value);
  if (first.type === "checkbox") return typeof value === "boolean";
  return typeof value === "string";
}

export function readEntry(entry) {
  if (isRows(entry)) return readRows(entry);
  const parts = partsOf(entry);
  if (parts.size === 1 && parts.has("")) return readGroup(parts.get(""));
  const value = {};
  for (const [part, controls] of parts) value[part] = readGroup(controls);
  return value;
}

/**
 * Whether a stored value belongs in this entry as it is now. A value that
 * does not (the question's kind or the sheet's layout changed, a table column
 * went away) is kept aside under KEY~N, never dropped.
 */
export function fits(entry, value) {
  if (value === undefined || isEmpty(value)) return true;
  if (isRows(entry)) {
    if (!Array.isArray(value)) return false;
    const [, left] = splitRows(columnsOf(entry).map((c) => c.key), value);
    return left.length === 0;
  }
  const parts = partsOf(entry);
  if (parts.size === 0) return false;
  if (parts.size === 1 && parts.has("")) return fitsGroup(parts.get(""), value);
  return isObject(value) && Object.keys(value).every((p) => parts.has(p) && fitsGroup(parts.get(p), value[p]));
}

/**
 * A value stored when the question was of another kind, in the shape it has
 * now where nothing is lost by it: a plain choice ("3", "ja") of a question
 * that has since gained a text box becomes its `choice` part. Anything else is
 * returned as it is (and kept aside by the caller when it does not fit).
 */
export function adapt(entry, value) {
  if (typeof value !== "string" || isRows(entry)) return value;
  const parts = partsOf(entry);
  const choice = parts.get("choice");
  if (!choice || choice[0].type !== "radio" || !fitsGroup(choice, value) || value === "") return value;
  return { choice: value };
}

/**
 * Show `value` in the entry. `keepEmpty` (when answers come in from storage)
 * leaves a goal card the person just added, empty, where it is.
 */
export function writeEntry(entry, value, { keepEmpty = false } = {}) {
  if (isRows(entry)) {
    writeRows(entry, Array.isArray(value) ? value : [], { keepEmpty });
    return;
  }
  for (const [part, controls] of partsOf(entry)) {
    writeGroup(controls, part === "" ? value : isObject(value) ? value[part] : undefined);
  }
}

/**
 * How an entry's answer reads as text: lines of "Part: value" for a
 * structured answer, the shown text of a choice (data-samtal-show).
 */
export function entryLines(entry) {
  const parts = partsOf(entry);
  const shown = (controls) => {
    const value = readGroup(controls);
    if (typeof value !== "string" || isEmpty(value)) return "";
    const checked = controls.find((c) => c.type === "radio" && c.checked);
    return checked ? checked.dataset.samtalShow || value : value;
  };
  if (parts.size === 1 && parts.has("")) {
    const text = shown(parts.get(""));
    return text ? text.split(/\r\n|\r|\n/) : [];
  }
  const lines = [];
  for (const [part, controls] of parts) {
    const text = shown(controls);
    if (!text) continue;
    lines.push(...labelledLines(controls[0].dataset.samtalPartLabel || part, text));
  }
  return lines;
}
