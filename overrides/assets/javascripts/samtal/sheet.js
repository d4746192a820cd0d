/*
 * One worksheet in the browser: its answers kept in localStorage as the
 * person types, merged with other tabs field by field, and put back on every
 * visit. The buttons (files, text, calendar, clear, ...) are in tools.js.
 *
 * Markup (overrides/samtal/worksheet*.html):
 *   form[data-samtal-sheet="ID"][data-samtal-title="Title"]
 *     ID names the record (store.js). A sheet made from a link
 *     ([data-samtal-manual]) is started by custom-sheet.js with its scope.
 *   entries [data-samtal-key] (values.js, rows.js); sections
 *   [data-samtal-section="Heading"] (text export);
 *   [data-samtal-tools]: [data-samtal-saved], [data-samtal-notice] (+ -text),
 *     [data-samtal-message], [data-samtal-error], [data-samtal-undo-box];
 *   [data-samtal-kept] with [data-samtal-kept-list] and
 *     template[data-samtal-kept-template]; [data-samtal-url].
 *
 * How nothing is lost:
 *   - What the person changes is recorded field by field, each field with
 *     the time of its edit; a field the person did not touch keeps the time
 *     of its last edit. Every write merges what is stored, what this tab
 *     knows and its new edits, each field to its latest edit (store.js): a
 *     stale copy of a field never wins over a newer one, and a write by a
 *     tab that had not yet seen another's is mended when that tab hears of it.
 *   - An answer that no longer fits its entry (the question's kind or the
 *     sheet's layout changed) moves to KEY~N and is shown as kept.
 *   - A record that cannot be read is copied aside untouched first; one of a
 *     newer version is not written at all.
 *   - "Ångra" lasts until the next change; a change to many answers at once
 *     (clear, undo, open a file, remove a goal) is stored whole or not at all.
 */
import { t, savedLabel } from "./t.js";
import {
  PREFIX, edit, filled, freeKey, keepAside, keepBoth, listStored, mergeAnswers, nextTime, readRecord, sameAnswers,
  stemOf, tombstoneOf, writeRecord,
} from "./store.js";
import { adapt, fieldsOf, fits, isEmpty, keyOf, labelOf, partsOf, readEntry, sameValue, writeEntry } from "./values.js";
import { columnsOf, isRows, splitRows } from "./rows.js";
import { valueLines } from "./export.js";
import { prepareAll, syncAll, syncControl } from "./mirror.js";
import { download } from "./files.js";
import { actions } from "./tools.js";

export class Sheet {
  /**
   * `scope` (a Set of question ids) limits a sheet that shares its record
   * with others (sheets made by links) to its own questions; `legacy` names
   * old records to fold into this one; `accepts(id)` says which saved files
   * may be opened here.
   */
  constructor(form, { id, title, scope = null, legacy = [], accepts = null, storage = window.localStorage } = {}) {
    this.form = form;
    this.id = id || form.dataset.samtalSheet;
    this.title = title || form.dataset.samtalTitle || document.title;
    this.scope = scope;
    this.legacy = legacy;
    this.accepts = accepts || ((fileId) => fileId === this.id);
    this.storage = storage;
    this.known = {}; // the record's answers as last read or written (every key, in scope or not)
    this.pending = {}; // edits the browser refused to store: {KEY: item}, tried again on the next change
    this.kept = {}; // answers in scope with no place on the sheet: {KEY: item}
    this.undoState = null;
    this.waiting = null; // answers from a file waiting for the person to choose how to open them (tools.js)
    this.mode = "ok"; // "newer": the record is of a newer version; "stuck": damaged and could not be put aside
    this.damagedRaw = null; // the text of a record that could not be read (offered for download)
  }

  find(selector) {
    return this.form.querySelector(selector);
  }

  entries() {
    return [...this.form.querySelectorAll("[data-samtal-key]")];
  }

  entryFor(key) {
    return this.entries().find((entry) => keyOf(entry) === key) || null;
  }

  inScope(key) {
    return !this.scope || key.startsWith("_") || this.scope.has(stemOf(key));
  }

  /** The sheet's address; a sheet made by a link keeps its query, which names its questions. */
  pageUrl() {
    const manual = this.form.dataset.samtalManual !== undefined;
    return `${location.origin}${location.pathname}${manual ? location.search : ""}`;
  }

  start() {
    const url = this.find("[data-samtal-url]");
    if (url) url.textContent = this.pageUrl();
    prepareAll(this.form);
    this.form.addEventListener("submit", (event) => event.preventDefault());
    // "input" fires for every kind of field (text, date, radio, checkbox).
    this.form.addEventListener("input", (event) => this.typed(event));
    actions(this);
    this.load();
    this.adoptLegacy();
  }

  // ---------------------------------------------------------------- reading and writing

  /**
   * What is stored for this sheet, as answers that can be used; null when
   * the record must not be written over (a newer version, or damaged and
   * impossible to put aside). A damaged record is copied aside first.
   */
  readStored() {
    const found = readRecord(this.storage, this.id);
    if (found.state === "newer") {
      this.enter("newer");
      return null;
    }
    const readable = found.state === "ok" ? found.record.answers : {};
    if (found.state === "damaged" || found.partly) {
      if (!this.putAside(found.raw)) {
        this.enter("stuck");
        return null;
      }
      this.notice(found.partly ? t("store.partly") : t("store.damaged"), true);
      return { answers: readable, saved: "" };
    }
    return { answers: readable, saved: found.state === "ok" ? found.record.saved : "" };
  }

  /** Copy a record that cannot be read, untouched, beside it (once); false if the browser refuses. */
  putAside(raw) {
    this.damagedRaw = raw;
    const already = listStored(this.storage).some((e) => e.kind === "aside" && e.id === this.id && e.raw === raw);
    if (already) return true;
    try {
      keepAside(this.storage, this.id, raw);
      return true;
    } catch (error) {
      return false;
    }
  }

  enter(mode) {
    if (this.mode === mode) return;
    this.mode = mode;
    this.notice(mode === "newer" ? t("store.newer") : t("store.stuck"), mode === "stuck");
    this.showSaved();
  }

  load() {
    const stored = this.readStored();
    if (!stored) {
      this.render();
      return;
    }
    const { answers, moved } = this.relocate(stored.answers);
    this.known = answers;
    this.render();
    this.showSaved(stored.saved ? new Date(stored.saved) : null);
    // Store answers moved to KEY~N now. (A damaged record waits for the first
    // change: it is kept aside already, and nothing typed is lost meanwhile.)
    if (moved) this.flush();
  }

  /**
   * Answers that do not fit their entry any more, moved to KEY~N (a goal
   * table keeps the columns it still has). The KEY keeps the edit times, so
   * an old copy of the moved answer never comes back there.
   */
  relocate(answers) {
    let out = answers;
    let moved = false;
    for (const entry of this.entries()) {
      const key = keyOf(entry);
      let item = out[key];
      if (!item || isEmpty(item.value) || fits(entry, item.value)) continue;
      out = { ...out };
      moved = true;
      const adapted = adapt(entry, item.value);
      if (adapted !== item.value && fits(entry, adapted)) {
        // The edit time of the plain value is now that of its part.
        const { "": time, ...edited } = item.edited || {};
        if (time !== undefined) edited.choice = Math.max(time, edited.choice || 0); // never older than it was
        item = { ...item, value: adapted, edited };
        out[key] = item;
        continue;
      }
      if (isRows(entry) && Array.isArray(item.value)) {
        const [shown, left] = splitRows(columnsOf(entry).map((c) => c.key), item.value);
        const leftPaths = new Set(fieldsOf(left).keys());
        const edited = Object.fromEntries(Object.entries(item.edited || {}).filter(([path]) => leftPaths.has(path)));
        out[freeKey(key, out)] = { question: item.question, value: left, edited, ...(item.labels ? { labels: item.labels } : {}) };
        out[key] = { ...item, value: shown };
      } else {
        out[freeKey(key, out)] = item;
        out[key] = tombstoneOf(item);
      }
    }
    return { answers: out, moved };
  }

  /** Record `changes` ({KEY: {question, value, labels}}) as edits made now, and store them. */
  save(changes) {
    const time = nextTime({ ...this.known, ...this.pending });
    for (const [key, change] of Object.entries(changes)) {
      this.pending[key] = edit(this.pending[key] || this.known[key], change, time);
    }
    return this.flush();
  }

  /** Merge the edits not yet stored into what is stored now, and write it. */
  flush() {
    if (this.mode !== "ok") {
      this.showSaved();
      return false;
    }
    const stored = this.readStored();
    if (!stored) return false;
    // What this tab knows goes in too: tabs share the storage without locks,
    // so another tab may have written without having seen this tab's last
    // write. Each field goes to its latest edit, so nothing is taken away.
    const known = mergeAnswers(this.relocate(stored.answers).answers, this.known);
    const merged = mergeAnswers(known, this.pending);
    const now = new Date();
    try {
      writeRecord(this.storage, this.id, { title: this.title, url: this.pageUrl() }, merged, now);
    } catch (error) {
      this.warn(t("store.failed"));
      return false;
    }
    this.pending = {};
    this.known = merged;
    this.render();
    this.showSaved(now);
    if (this.find("[data-samtal-error]")?.textContent === t("store.failed")) this.setText("[data-samtal-error]", "");
    return true;
  }

  /** Another tab stored answers: take them in, field by field. */
  storedElsewhere() {
    if (this.mode !== "ok") return;
    const stored = this.readStored();
    if (!stored) return;
    const before = this.known;
    const { answers: relocated, moved } = this.relocate(stored.answers);
    const answers = mergeAnswers(relocated, before);
    this.known = answers;
    const changed = Object.keys({ ...before, ...answers }).some(
      (key) => this.inScope(key) && !sameValue(before[key] && before[key].value, answers[key] && answers[key].value),
    );
    if (changed) this.dropUndo();
    this.render();
    if (stored.saved) this.showSaved(new Date(stored.saved));
    // Store what the other tab's write lacked (answers moved to KEY~N, or
    // fields it wrote without having seen them), so every tab agrees.
    if (moved || !sameAnswers(stored.answers, answers)) this.flush();
  }

  /**
   * Answers from elsewhere (a file, an old record) in the shape their entries have now
   * (values.js adapt): compared and merged only after that, so an answer that only
   * changed shape is not taken for a different one.
   */
  adapted(answers) {
    const out = {};
    for (const [key, item] of Object.entries(answers)) {
      const entry = this.entryFor(key);
      out[key] = entry ? { ...item, value: adapt(entry, item.value) } : item;
    }
    return out;
  }

  /** Fold old records (sheets made by links before version 2) into this one, keeping both where they differ. */
  adoptLegacy() {
    for (const id of this.legacy) {
      const old = readRecord(this.storage, id);
      if (old.state !== "ok" || this.mode !== "ok") continue;
      const current = { ...this.known, ...this.pending };
      const { changes } = keepBoth(current, this.adapted(filled(old.record.answers)));
      if (!Object.keys(changes).length || this.save(changes)) this.storage.removeItem(PREFIX + id);
    }
  }

  // ---------------------------------------------------------------- the sheet on screen

  /** Show the stored answers (and edits not yet stored) in the fields and the kept list. */
  render() {
    const answers = Object.keys(this.pending).length ? mergeAnswers(this.known, this.pending) : this.known;
    const onSheet = new Set();
    const kept = {};
    for (const entry of this.entries()) {
      const key = keyOf(entry);
      onSheet.add(key);
      const item = answers[key];
      const value = item && item.value;
      if (fits(entry, value)) writeEntry(entry, value, { keepEmpty: true });
      else {
        writeEntry(entry, undefined, { keepEmpty: true });
        kept[key] = item; // not moved yet (the browser refused): shown, never hidden
      }
    }
    for (const [key, item] of Object.entries(answers)) {
      if (!onSheet.has(key) && this.inScope(key) && !isEmpty(item.value)) kept[key] = item;
    }
    this.kept = kept;
    this.renderKept();
  }

  /** What an entry holds now, as a change to store. */
  changeOf(entry) {
    const change = { question: labelOf(entry), value: readEntry(entry) };
    const labels = {};
    if (isRows(entry)) for (const col of columnsOf(entry)) labels[col.key] = col.label;
    else for (const [part, controls] of partsOf(entry)) if (part) labels[part] = controls[0].dataset.samtalPartLabel || part;
    if (Object.keys(labels).length) change.labels = labels;
    return change;
  }

  /** Every answer in scope: the fields as shown, and the kept ones: {KEY: {question, value, labels}}. */
  snapshot() {
    const out = {};
    for (const entry of this.entries()) {
      const change = this.changeOf(entry);
      if (!isEmpty(change.value)) out[keyOf(entry)] = change;
    }
    for (const [key, item] of Object.entries(this.kept)) if (!(key in out)) out[key] = item;
    return filled(out);
  }

  typed(event) {
    const el = event.target;
    const entry = el.closest && el.closest("[data-samtal-key]");
    if (!entry || !this.form.contains(entry)) return;
    syncControl(el); // its print copy, and its height where the browser cannot size it
    this.dropUndo();
    // The last action's message no longer applies; a failure to store stays until a save succeeds.
    this.setText("[data-samtal-message]", "");
    if (this.find("[data-samtal-error]")?.textContent !== t("store.failed")) this.setText("[data-samtal-error]", "");
    this.save({ [keyOf(entry)]: this.changeOf(entry) });
  }

  /**
   * A change to many answers at once: `change()` alters the fields and
   * returns the changes. All of it is stored, or nothing: when the browser
   * refuses, the sheet is put back as it was. Returns the answers as they
   * were before (for "Ångra"), or null. (Where nothing may be stored, the
   * change is made on the sheet only, as typing is.)
   */
  bulk(change) {
    const before = this.snapshot();
    const pendingBefore = { ...this.pending };
    const changes = change();
    if (this.mode !== "ok") return before;
    if (this.save(changes)) return before;
    this.pending = pendingBefore;
    this.render();
    return null;
  }

  /** Put the answers of a snapshot back (undo). */
  restore(snapshot) {
    return this.bulk(() => {
      const changes = {};
      for (const entry of this.entries()) {
        const key = keyOf(entry);
        writeEntry(entry, snapshot[key] ? snapshot[key].value : undefined);
        changes[key] = this.changeOf(entry);
      }
      for (const [key, item] of Object.entries(this.kept)) if (!(key in snapshot)) changes[key] = { question: item.question };
      for (const [key, item] of Object.entries(snapshot)) if (!this.entryFor(key)) changes[key] = item;
      return changes;
    });
  }

  // ---------------------------------------------------------------- undo

  /** "Ångra" lives in memory only: it is gone once the page is left or anything changes. */
  offerUndo(answers) {
    this.undoState = answers;
    const box = this.find("[data-samtal-undo-box]");
    if (box) box.hidden = false;
  }

  dropUndo() {
    if (!this.undoState) return;
    this.undoState = null;
    const box = this.find("[data-samtal-undo-box]");
    if (!box) return;
    const hadFocus = box.contains(document.activeElement);
    box.hidden = true;
    if (hadFocus) this.focusAction("clear");
    this.quiet();
  }

  undo() {
    const answers = this.undoState;
    if (!answers) return;
    this.dropUndo();
    if (this.restore(answers)) this.say(t("undo.done"));
    else this.warn(t("store.failed_change"));
  }

  // ---------------------------------------------------------------- kept answers

  renderKept() {
    const section = this.find("[data-samtal-kept]");
    const list = this.find("[data-samtal-kept-list]");
    const template = this.find("template[data-samtal-kept-template]");
    if (!section || !list || !template) return;
    const keys = Object.keys(this.kept);
    section.hidden = keys.length === 0;
    const shown = JSON.stringify(this.kept);
    if (shown === this.keptShown) return;
    this.keptShown = shown;
    const hadFocus = list.contains(document.activeElement) ? document.activeElement.id : "";
    list.replaceChildren();
    keys.forEach((key, index) => {
      const item = this.kept[key];
      const box = template.content.firstElementChild.cloneNode(true);
      box.dataset.samtalKeptKey = key;
      const heading = box.querySelector("[data-samtal-kept-question]");
      heading.id = `sparat--${index}`;
      heading.textContent = item.question || key;
      box.querySelector("[data-samtal-kept-answer]").textContent = valueLines(item.value, item.labels, t).join("\n");
      for (const button of box.querySelectorAll("button[data-samtal-action]")) {
        button.dataset.key = key;
        button.id = `${button.dataset.samtalAction}--${index}`;
        button.setAttribute("aria-describedby", heading.id);
      }
      list.append(box);
    });
    if (hadFocus && document.getElementById(hadFocus)) document.getElementById(hadFocus).focus();
  }

  // ---------------------------------------------------------------- messages

  /** "Senast sparat …", "Du har inte skrivit något än." or, when nothing is saved, why. */
  showSaved(date) {
    const box = this.find("[data-samtal-saved]");
    if (!box) return;
    if (this.mode !== "ok") box.textContent = t("saved.not_saving");
    else if (date && !Number.isNaN(date.getTime())) box.textContent = savedLabel(date);
    else if (date === null) box.textContent = t("saved.nothing_yet");
  }

  /** What the last action did; it goes when the next one starts. */
  say(text) {
    this.setText("[data-samtal-error]", "");
    this.setText("[data-samtal-message]", text);
  }

  warn(text) {
    this.setText("[data-samtal-message]", "");
    this.setText("[data-samtal-error]", text);
  }

  quiet() {
    this.setText("[data-samtal-message]", "");
    this.setText("[data-samtal-error]", "");
  }

  setText(selector, text) {
    const box = this.find(selector);
    if (box && box.textContent !== text) box.textContent = text;
  }

  /** A lasting notice about the stored answers (damaged, newer), with a download of a damaged record. */
  notice(text, offerDownload) {
    const box = this.find("[data-samtal-notice]");
    if (!box) return;
    box.querySelector("[data-samtal-notice-text]").textContent = text;
    const button = box.querySelector("[data-samtal-action=download-damaged]");
    if (button) button.hidden = !(offerDownload && this.damagedRaw !== null);
    box.hidden = false;
  }

  downloadDamaged() {
    if (this.damagedRaw === null) return;
    download(t("files.damaged", { id: this.id }), "text/plain;charset=utf-8", this.damagedRaw);
  }

  focusAction(action) {
    const button = this.find(`[data-samtal-action="${action}"]`);
    if (button) button.focus();
  }
}

// ---------------------------------------------------------------- start

let listening = false;

function listen() {
  if (listening) return;
  listening = true;
  // Another tab stored answers: every sheet on this page with that record
  // takes them in. One listener for the window, since instant navigation
  // replaces the sheets but not the window.
  window.addEventListener("storage", (event) => {
    if (event.storageArea && event.storageArea !== window.localStorage) return;
    for (const form of document.querySelectorAll("form[data-samtal-sheet]")) {
      const sheet = form.samtalSheet;
      if (sheet && (event.key === null || event.key === PREFIX + sheet.id)) sheet.storedElsewhere();
    }
  });
  // Mirrors are kept in step on every input; this catches values set by other scripts.
  window.addEventListener("beforeprint", () => document.querySelectorAll("form[data-samtal-sheet]").forEach(syncAll));
}

/** Start the sheet `form` (once); a sheet made by a link passes its options (custom-sheet.js). */
export function startSheet(form, options = {}) {
  listen();
  if (!form.samtalSheet) {
    form.samtalSheet = new Sheet(form, options);
    form.samtalSheet.start();
  }
  return form.samtalSheet;
}

/** Start every sheet of the page, except those built by script ([data-samtal-manual]). */
export function start(root = document) {
  for (const form of root.querySelectorAll("form[data-samtal-sheet]")) {
    if (form.dataset.samtalManual === undefined) startSheet(form);
  }
}
