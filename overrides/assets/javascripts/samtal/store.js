/*
 * Answers kept in the browser: records in localStorage, their format
 * versions, and merging by the latest edit of each field. Pure: the storage
 * is passed in (localStorage in the browser, a Map-backed fake in tests).
 *
 * Record (localStorage "samtalsguiden:arbetsblad:<sheet id>"), version 2:
 *   {format: "samtalsguiden-arbetsblad", version: 2, worksheet: "<id>",
 *    title: "<sheet title>", url: "<address>", saved: "<ISO time>",
 *    answers: {KEY: {question: "<as shown>", value: <value>, edited: {<path>: <ms>}}}}
 * `edited` holds the time of the last edit of each field (values.js: paths);
 * an item without `value` is an answer that was emptied, kept with its times
 * so that an older copy of it (a stale tab) never comes back. `labels`
 * (optional) names the parts of a structured answer, so it still reads well
 * once its question is gone.
 * Version 1 ({answers: {KEY: {question, value}}, saved}) is read and given
 * the record's `saved` time for every field; it is written as version 2.
 * A record of an unknown (newer) version is never written over; one that
 * cannot be read is copied, untouched, to "samtalsguiden:arbetsblad-skadat:<id>:<time>".
 */
import { KEY, changedPaths, fieldsOf, isEmpty, isObject, isValidValue, normaliseRows, sameValue, shapeOf } from "./values.js";

export const FORMAT = "samtalsguiden-arbetsblad";
export const VERSION = 2;
export const PREFIX = "samtalsguiden:arbetsblad:";
export const ASIDE_PREFIX = "samtalsguiden:arbetsblad-skadat:";

const isTime = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0;

/** The latest edit time in an `edited` map (0 for none). */
function latest(edited) {
  return Object.values(edited || {}).reduce((a, b) => Math.max(a, b), 0);
}

/** An edit time later than every edit in `answers`, so a new edit always wins over what it replaced. */
export function nextTime(answers, now = Date.now()) {
  const seen = Object.values(answers).reduce((a, item) => Math.max(a, latest(item.edited)), 0);
  return Math.max(now, seen + 1);
}

/** The question a key belongs to: "KEY" of "KEY~N" (an answer kept beside it). */
export const stemOf = (key) => key.replace(/~[0-9]+$/, "");

/** "KEY~N" with the first N not taken (an object's keys or a Set). */
export function freeKey(key, taken) {
  const has = (k) => (taken instanceof Set ? taken.has(k) : Object.prototype.hasOwnProperty.call(taken, k));
  const stem = stemOf(key);
  for (let n = 1; ; n += 1) if (!has(`${stem}~${n}`)) return `${stem}~${n}`;
}

// ---------------------------------------------------------------- reading

/** Whether a stored item can be used; `version` 1 items may have rows without usable ids (they get some). */
function validItem(key, item, version) {
  if (!KEY.test(key) || !isObject(item)) return false;
  if (item.question !== undefined && typeof item.question !== "string") return false;
  if (item.value !== undefined && !isValidValue(version === VERSION ? item.value : normaliseRows(item.value))) return false;
  if (item.edited !== undefined) {
    if (!isObject(item.edited) || !Object.values(item.edited).every(isTime)) return false;
  }
  if (item.labels !== undefined) {
    if (!isObject(item.labels) || !Object.values(item.labels).every((v) => typeof v === "string")) return false;
  }
  return true;
}

function copyItem(item) {
  const out = { question: item.question || "", edited: { ...(item.edited || {}) } };
  if (item.value !== undefined && !isEmpty(item.value)) out.value = item.value;
  if (item.labels) out.labels = { ...item.labels };
  return out;
}

/** A version-1 item as version 2: every field edited at the record's `saved` time. */
function migrateItem(item, time) {
  const value = normaliseRows(item.value);
  const edited = {};
  for (const path of fieldsOf(value).keys()) edited[path] = time;
  return { question: item.question || "", value, edited };
}

/**
 * What a stored text holds:
 *   {state: "empty"}                          nothing stored
 *   {state: "ok", record, partly: bool}       readable (partly: some answers were not, and are left out)
 *   {state: "newer"}                          written by a newer version: do not write over it
 *   {state: "damaged"}                        not a record this script can read
 */
export function parseRecord(raw) {
  if (raw === null || raw === undefined) return { state: "empty" };
  let data;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return { state: "damaged" };
  }
  if (!isObject(data) || data.format !== FORMAT || !Number.isInteger(data.version) || data.version < 1) {
    return { state: "damaged" };
  }
  if (data.version > VERSION) return { state: "newer" };
  if (!isObject(data.answers)) return { state: "damaged" };
  const savedTime = Date.parse(data.saved);
  const time = Number.isFinite(savedTime) ? savedTime : 0;
  const answers = {};
  let partly = false;
  for (const [key, item] of Object.entries(data.answers)) {
    if (!validItem(key, item, data.version)) {
      partly = true;
      continue;
    }
    answers[key] = data.version === VERSION ? copyItem(item) : migrateItem(item, time);
  }
  const text = (v) => (typeof v === "string" ? v : "");
  const record = {
    format: FORMAT,
    version: VERSION,
    worksheet: text(data.worksheet) || text(data.worksheet && data.worksheet.id),
    title: text(data.title),
    url: text(data.url),
    saved: text(data.saved),
    answers,
  };
  return { state: "ok", record, partly };
}

export function readRecord(storage, id) {
  const raw = storage.getItem(PREFIX + id);
  return { raw, ...parseRecord(raw) };
}

/** Store a record; throws (e.g. QuotaExceededError) when the browser refuses. */
export function writeRecord(storage, id, { title = "", url = "" }, answers, saved = new Date()) {
  const record = { format: FORMAT, version: VERSION, worksheet: id, title, url, saved: saved.toISOString(), answers };
  storage.setItem(PREFIX + id, JSON.stringify(record));
  return record;
}

/** Copy a record that cannot be read, untouched, under a key of its own; returns that key. */
export function keepAside(storage, id, raw, now = new Date()) {
  const key = `${ASIDE_PREFIX}${id}:${now.toISOString()}`;
  storage.setItem(key, raw);
  return key;
}

/** Every stored record and every record kept aside: [{kind: "record"|"aside", id, key, ...}]. */
export function listStored(storage) {
  const out = [];
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (key === null) continue;
    if (key.startsWith(PREFIX)) {
      const raw = storage.getItem(key);
      out.push({ kind: "record", id: key.slice(PREFIX.length), key, raw, ...parseRecord(raw) });
    } else if (key.startsWith(ASIDE_PREFIX)) {
      const rest = key.slice(ASIDE_PREFIX.length);
      const cut = rest.indexOf(":");
      out.push({ kind: "aside", id: rest.slice(0, cut), when: rest.slice(cut + 1), key, raw: storage.getItem(key) });
    }
  }
  const order = { record: 0, aside: 1 };
  return out.sort((a, b) => order[a.kind] - order[b.kind] || a.key.localeCompare(b.key));
}

/** Only the answers with something in them: {KEY: {question, value}}. */
export function filled(answers) {
  const out = {};
  for (const [key, item] of Object.entries(answers)) {
    if (!isEmpty(item.value)) out[key] = { question: item.question || "", value: item.value, ...(item.labels ? { labels: item.labels } : {}) };
  }
  return out;
}

// ---------------------------------------------------------------- editing and merging

/** `item` with the value `value`, every field that changed edited at `time`. */
export function edit(item, { question = "", value, labels }, time) {
  const before = item || { edited: {} };
  const edited = { ...(before.edited || {}) };
  for (const path of changedPaths(before.value, value)) edited[path] = time;
  const next = { question: question || before.question || "", edited };
  if (!isEmpty(value)) next.value = value;
  const names = labels || before.labels;
  if (names && Object.keys(names).length) next.labels = names;
  return next;
}

function rowOrder(...values) {
  const ids = [];
  for (const value of values) {
    if (!Array.isArray(value)) continue;
    for (const row of value) if (isObject(row) && !ids.includes(row.id)) ids.push(row.id);
  }
  return ids;
}

function build(shape, fields, order) {
  if (shape === "flat") return fields.get("");
  if (shape === "parts") {
    const value = {};
    for (const [path, v] of fields) if (path !== "" && !path.includes("/")) value[path] = v;
    return value;
  }
  if (shape === "rows") {
    const rows = new Map();
    for (const [path, v] of fields) {
      const cut = path.indexOf("/");
      if (cut < 1) continue;
      const id = path.slice(0, cut);
      if (!rows.has(id)) rows.set(id, { id });
      rows.get(id)[path.slice(cut + 1)] = v;
    }
    const ids = [...order.filter((id) => rows.has(id)), ...[...rows.keys()].filter((id) => !order.includes(id))];
    return ids.map((id) => rows.get(id));
  }
  return undefined;
}

/**
 * One answer from two copies of it: each field from the copy that edited it
 * last (`theirs` wins a tie: it is what is stored). Two values of different
 * shapes cannot be merged by field: the later one stays and the other is
 * returned as `displaced`, to be kept under KEY~N.
 */
export function mergeItem(theirs, mine) {
  if (!theirs) return { item: mine };
  if (!mine) return { item: theirs };
  const shapeT = shapeOf(theirs.value);
  const shapeM = shapeOf(mine.value);
  if (shapeT !== "none" && shapeM !== "none" && shapeT !== shapeM) {
    const [winner, loser] = latest(mine.edited) > latest(theirs.edited) ? [mine, theirs] : [theirs, mine];
    // A copy whose every field the winner has seen (an answer already moved to KEY~N) is not kept twice.
    const seen = Object.entries(loser.edited || {}).every(([path, time]) => ((winner.edited || {})[path] || 0) >= time);
    return seen ? { item: winner } : { item: winner, displaced: loser };
  }
  const fieldsT = fieldsOf(theirs.value);
  const fieldsM = fieldsOf(mine.value);
  const editedT = theirs.edited || {};
  const editedM = mine.edited || {};
  const paths = new Set([...fieldsT.keys(), ...fieldsM.keys(), ...Object.keys(editedT), ...Object.keys(editedM)]);
  const fields = new Map();
  const edited = {};
  let mineWon = false;
  for (const path of paths) {
    const t = editedT[path] || 0;
    const m = editedM[path] || 0;
    const v = m > t ? fieldsM.get(path) : fieldsT.get(path);
    if (m > t) mineWon = true;
    if (v !== undefined) fields.set(path, v);
    edited[path] = Math.max(t, m);
  }
  const shape = shapeM !== "none" ? shapeM : shapeT;
  const newer = mineWon ? mine : theirs;
  const item = { question: newer.question || theirs.question || mine.question || "", edited };
  const labels = newer.labels || theirs.labels || mine.labels;
  if (labels) item.labels = labels;
  const value = build(shape, fields, rowOrder(mine.value, theirs.value));
  if (!isEmpty(value)) item.value = value;
  return { item };
}

/**
 * Whether two items hold the same fields with the same edit times (the
 * question's wording and the labels aside).
 */
export function sameItem(a, b) {
  const x = a || {};
  const y = b || {};
  if (!sameValue(x.value, y.value)) return false;
  const ex = x.edited || {};
  const ey = y.edited || {};
  return Object.keys({ ...ex, ...ey }).every((path) => (ex[path] || 0) === (ey[path] || 0));
}

export function sameAnswers(a, b) {
  return Object.keys({ ...a, ...b }).every((key) => sameItem(a[key], b[key]));
}

/**
 * Stored answers with `mine` merged in, field by field; nothing either side
 * typed is dropped. Merging is order-free and can be repeated (each field
 * goes to its latest edit), so tabs that merge what they know into what is
 * stored agree in the end, whoever wrote last.
 */
export function mergeAnswers(stored, mine) {
  const out = { ...stored };
  for (const [key, item] of Object.entries(mine)) {
    const { item: merged, displaced } = mergeItem(out[key], item);
    out[key] = merged;
    if (!displaced || isEmpty(displaced.value)) continue;
    const kept = Object.keys(out).some((k) => k !== key && stemOf(k) === stemOf(key) && sameItem(out[k], displaced));
    if (!kept) out[freeKey(key, out)] = displaced;
  }
  return out;
}

/**
 * Where answers from elsewhere (a file, an old record) go without replacing
 * any that differ ("keep both"): an answer that differs from the one under
 * its KEY goes beside it, to the first free KEY~N; one that is the same is
 * left out. `current` and `incoming` are {KEY: {value, ...}}; `taken` holds
 * every key in use. Returns {changes: {KEY: item}, beside: [KEY~N, ...]}.
 */
export function keepBoth(current, incoming, taken = current) {
  const changes = {};
  const beside = [];
  const used = new Set(Object.keys(taken));
  for (const [key, item] of Object.entries(incoming)) {
    if (isEmpty(item.value)) continue;
    const there = current[key] && current[key].value;
    let target = key;
    if (!isEmpty(there)) {
      if (sameValue(there, item.value)) continue;
      target = freeKey(key, used);
      beside.push(target);
    }
    changes[target] = item;
    used.add(target);
  }
  return { changes, beside };
}

/** `item` moved away from its key: the key keeps the times, so an older copy never returns there. */
export function tombstoneOf(item) {
  return { question: item.question || "", edited: { ...(item.edited || {}) } };
}
