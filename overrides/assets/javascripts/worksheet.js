/*
 * Samtalsguiden worksheets: autosave, export/import, clear with undo,
 * printing and the action plan's calendar file. No framework, no build step.
 *
 * Public API
 * ----------
 *   window.samtalWorksheet.init(form)  -> the sheet's controller (idempotent)
 *   window.samtalWorksheet.initAll()   -> init every form[data-samtal-sheet]
 *
 * Every `form[data-samtal-sheet]` is initialised on each page load, including
 * after Material's instant navigation (through its `document$` observable).
 * A page that builds its fields by script (e.g. a worksheet made from a link)
 * marks its form with `data-samtal-manual`, so it is not started too early,
 * adds the fields and then calls `samtalWorksheet.init(form)` itself. Give
 * such a sheet an id of its own (e.g. from its question ids), since the id
 * names where its answers are stored.
 *
 * Markup read by this file
 * ------------------------
 *   form[data-samtal-sheet="ID"][data-samtal-title="Title"]
 *     ID names the localStorage record: "samtalsguiden:arbetsblad:ID".
 *   [data-samtal-key="KEY"][data-samtal-label="Text as shown"]
 *     One answer. KEY is a question id (or "_x" for header fields,
 *     "<checklist>--<item>" for checklist items); never a position.
 *     Its named controls give the value:
 *       textarea / input            -> string
 *       radio group                 -> string ("" if none checked)
 *       checkbox                    -> boolean
 *       controls with data-samtal-part="p" (and data-samtal-part-label)
 *                                   -> {p: value, ...}
 *     Radios may carry data-samtal-show="text used in the text export".
 *   [data-samtal-key][data-samtal-kind="rows"]
 *     A table of rows: tbody[data-samtal-rows] and
 *     template[data-samtal-row-template] whose controls have
 *     data-samtal-col="c", data-samtal-label and data-samtal-col-kind
 *     ("text" or "date"). Value: [{id, c: ...}, ...]. The columns are read
 *     from the template only (the build declares them once, in
 *     hooks/samtal/sheets.py): the calendar file takes its dates from the
 *     "date" column and the goal from the first "text" column.
 *   [data-samtal-section="Heading"]  groups entries in the text export.
 *   form[data-samtal-manual]  (a sheet made by a link): its address keeps
 *     the query (?fragor=...&titel=...) in print, text and file exports.
 *   Optional parts: [data-samtal-tools] with [data-samtal-saved],
 *     [data-samtal-message], [data-samtal-error], [data-samtal-confirm],
 *     [data-samtal-undo-box], input[data-samtal-file];
 *     [data-samtal-kept] with [data-samtal-kept-list]; [data-samtal-url];
 *     buttons [data-samtal-action="save-file|open-file|copy-text|
 *     download-text|clear|add-row|calendar"]; a [data-samtal-print] button prints (samtal.js).
 *
 * Stored record (and the "Spara som fil" JSON, format version 1)
 * ---------------------------------------------------------------
 *   localStorage: {format, version, worksheet, saved, answers: {KEY: {question, value}}}
 *   file:         {format, version, worksheet: {id, title, url}, saved,
 *                  answers: [{id, question, answer}]}
 * Answers whose KEY is not on the sheet any more are kept and shown under
 * "Svar på frågor som inte längre finns i guiden" until the person deletes them.
 * So are answers that no longer fit their question (its answer kind or the
 * sheet's layout changed, or a table column went away): those are kept under
 * "KEY~N" (the first free N), so the question's own KEY is free for a new
 * answer and typing one never deletes the old.
 *
 * Safety
 * ------
 *   - "Ångra" (after clearing, removing a row or a kept answer, or opening a
 *     file) is offered only until the next change: typing, adding a row, or
 *     answers arriving from another tab hide it and forget the old answers,
 *     so it can never put them back over something typed since.
 *   - Two tabs of one sheet: every save first takes in what the other tab
 *     stored (per KEY: a key this tab changed keeps its value, any other
 *     takes the stored one), and a "storage" event puts the other tab's
 *     answers into every field except the one being edited.
 */
(() => {
  "use strict";

  const FORMAT = "samtalsguiden-arbetsblad";
  const VERSION = 1;
  const STORE_PREFIX = "samtalsguiden:arbetsblad:";
  const KEY_PATTERN = /^[_a-z0-9][a-z0-9-]*(?:~[0-9]+)?$/;
  const TEXT_CONTROLS = "textarea, input[type=text], input[type=date]";
  const CAN_GROW = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");

  // ------------------------------------------------------------------ values

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

  function isEmpty(value) {
    if (value === undefined || value === null || value === false) return true;
    if (typeof value === "string") return value.trim() === "";
    if (Array.isArray(value)) return value.every(isEmpty);
    if (isObject(value)) return Object.entries(value).every(([k, v]) => k === "id" || isEmpty(v));
    return false;
  }

  const sameValue = (a, b) => JSON.stringify(a === undefined ? null : a) === JSON.stringify(b === undefined ? null : b);
  const valueOf = (item) => (isObject(item) && !isEmpty(item.value) ? item.value : undefined);

  /** Whether two sets of answers ({KEY: {question, value}}) hold the same values. */
  function sameAnswers(a, b) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(valueOf(a[key]), valueOf(b[key])));
  }

  /** A value this script could have written: strings, booleans, objects and rows of them. */
  function isValidValue(value) {
    const flat = (v) => typeof v === "string" || typeof v === "boolean";
    const record = (v) => isObject(v) && Object.values(v).every(flat);
    return flat(value) || record(value) || (Array.isArray(value) && value.every(record));
  }

  function controlsOf(entry) {
    return [...entry.querySelectorAll("input[name], textarea[name], select[name]")];
  }

  /** Controls of an entry grouped by part ("" when the entry has no parts). */
  function partsOf(entry) {
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

  function writeGroup(controls, value) {
    const first = controls[0];
    if (first.type === "radio") controls.forEach((c) => { c.checked = c.value === value; });
    else if (first.type === "checkbox") first.checked = value === true;
    else first.value = typeof value === "string" ? value : "";
    controls.forEach(syncControl);
  }

  function fitsGroup(controls, value) {
    if (value === undefined) return true;
    const first = controls[0];
    if (first.type === "radio") return value === "" || controls.some((c) => c.value === value);
    if (first.type === "checkbox") return typeof value === "boolean";
    return typeof value === "string";
  }

  const isRows = (entry) => entry.dataset.samtalKind === "rows";

  function readEntry(entry) {
    if (isRows(entry)) return readRows(entry);
    const parts = partsOf(entry);
    if (parts.size === 1 && parts.has("")) return readGroup(parts.get(""));
    const value = {};
    for (const [part, controls] of parts) value[part] = readGroup(controls);
    return value;
  }

  /** Whether a stored value belongs in this entry; if not, it is kept aside, never lost. */
  function fits(entry, value) {
    if (value === undefined) return true;
    if (isRows(entry)) return Array.isArray(value) && value.every(isObject);
    const parts = partsOf(entry);
    if (parts.size === 0) return false;
    if (parts.size === 1 && parts.has("")) return fitsGroup(parts.get(""), value);
    return isObject(value) && Object.keys(value).every((p) => parts.has(p) && fitsGroup(parts.get(p), value[p]));
  }

  function writeEntry(entry, value) {
    if (isRows(entry)) return writeRows(entry, value);
    const parts = partsOf(entry);
    for (const [part, controls] of parts) {
      writeGroup(controls, part === "" ? value : isObject(value) ? value[part] : undefined);
    }
  }

  // ------------------------------------------------------------------ rows (action plan)

  const rowsOf = (entry) => [...entry.querySelectorAll("[data-samtal-rows] > [data-samtal-row]")];

  /** The table's columns, from its row template: [{key, label, kind}]. */
  function columnsOf(entry) {
    return [...entry.querySelector("template[data-samtal-row-template]").content.querySelectorAll("[data-samtal-col]")]
      .map((el) => ({
        key: el.dataset.samtalCol,
        label: el.dataset.samtalLabel || el.dataset.samtalCol,
        kind: el.dataset.samtalColKind || (el.type === "date" ? "date" : "text"),
      }));
  }

  /**
   * Split stored rows into what the table can show and what it cannot (a
   * column it no longer has, or a value of the wrong type): [shown, left].
   * `left` holds only rows with something in them, with their row id.
   */
  function splitRows(entry, value) {
    const cols = new Set(columnsOf(entry).map((c) => c.key));
    const shown = [];
    const left = [];
    for (const row of value) {
      const mine = { id: row.id };
      const rest = { id: row.id };
      for (const [key, v] of Object.entries(row)) {
        if (key === "id") continue;
        if (cols.has(key) && typeof v === "string") mine[key] = v;
        else rest[key] = v;
      }
      shown.push(mine);
      if (!isEmpty(rest)) left.push(rest);
    }
    return [shown, left];
  }

  function newRowId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  }

  function readRows(entry) {
    return rowsOf(entry).map((row) => {
      const value = { id: row.dataset.rowId };
      row.querySelectorAll("[data-samtal-col]").forEach((el) => { value[el.dataset.samtalCol] = el.value; });
      return value;
    });
  }

  function addRow(entry, value = {}) {
    const template = entry.querySelector("template[data-samtal-row-template]");
    const row = template.content.firstElementChild.cloneNode(true);
    const rowId = typeof value.id === "string" && value.id ? value.id : newRowId();
    row.dataset.rowId = rowId;
    const base = `${entry.dataset.samtalKey.replace(/^_/, "")}--${rowId}`;
    row.querySelectorAll("[data-samtal-col]").forEach((el) => {
      const col = el.dataset.samtalCol;
      el.id = `${base}--${col}`;
      el.value = typeof value[col] === "string" ? value[col] : "";
      const label = row.querySelector(`[data-samtal-label-for="${col}"]`);
      if (label) label.htmlFor = el.id;
    });
    entry.querySelector("[data-samtal-rows]").append(row);
    row.querySelectorAll(TEXT_CONTROLS).forEach(prepareControl);
    return row;
  }

  function numberRows(entry) {
    rowsOf(entry).forEach((row, i) => {
      row.querySelectorAll("[data-samtal-rownum]").forEach((el) => { el.textContent = ` ${i + 1}`; });
    });
  }

  function writeRows(entry, value) {
    rowsOf(entry).forEach((row) => row.remove());
    const rows = Array.isArray(value) ? value.filter(isObject) : [];
    const wanted = Math.max(rows.length, Number(entry.dataset.samtalMinRows || 1));
    for (let i = 0; i < wanted; i += 1) addRow(entry, rows[i] || {});
    numberRows(entry);
  }

  // ------------------------------------------------------------------ printing and growing

  /** Text fields get a mirror that prints in full; an empty one prints as writing lines. */
  function prepareControl(el) {
    if (el.samtalMirror) return;
    const mirror = document.createElement("div");
    mirror.className = `samtal-print samtal-print--${el.tagName === "TEXTAREA" ? "text" : "line"}`;
    mirror.setAttribute("aria-hidden", "true");
    el.after(mirror);
    el.samtalMirror = mirror;
    syncControl(el);
  }

  function syncControl(el) {
    if (el.samtalMirror) el.samtalMirror.textContent = el.value.trim() ? el.value : "";
    if (el.tagName === "TEXTAREA" && !CAN_GROW) {
      el.style.height = "auto";
      if (el.scrollHeight) el.style.height = `${el.scrollHeight + 2}px`;
    }
  }

  // ------------------------------------------------------------------ text formats

  function showValue(entry, value) {
    if (entry && !isRows(entry)) {
      const radio = entry.querySelector("input[type=radio]:checked");
      const parts = partsOf(entry);
      if (radio && parts.size === 1) return radio.dataset.samtalShow || radio.value;
      if (parts.size > 1) {
        return [...parts]
          .map(([part, controls]) => {
            const v = readGroup(controls);
            if (isEmpty(v)) return "";
            const checked = controls.find((c) => c.checked);
            const shown = checked ? checked.dataset.samtalShow || v : v;
            return `${controls[0].dataset.samtalPartLabel || part}: ${shown}`;
          })
          .filter(Boolean)
          .join("\n");
      }
    }
    if (typeof value === "boolean") return value ? "Ja" : "Nej";
    if (typeof value === "string") return value;
    if (Array.isArray(value)) return value.filter((r) => !isEmpty(r)).map((r) => showValue(null, r)).join("\n\n");
    if (isObject(value)) {
      return Object.entries(value)
        .filter(([k, v]) => k !== "id" && !isEmpty(v))
        .map(([k, v]) => `${k}: ${v}`)
        .join("\n");
    }
    return "";
  }

  function rowsAsText(entry) {
    const labels = {};
    columnsOf(entry).forEach((col) => { labels[col.key] = col.label.replace(/\?$/, ""); });
    return readRows(entry)
      .filter((row) => !isEmpty(row))
      .map((row, i) => {
        const lines = Object.entries(labels)
          .filter(([col]) => !isEmpty(row[col]))
          .map(([col, label]) => `- ${label}: ${row[col].trim().replace(/\n+/g, " ")}`);
        return `### Mål ${i + 1}\n\n${lines.join("\n")}`;
      })
      .join("\n\n");
  }

  function dateLabel(date) {
    const now = new Date();
    const time = date.toLocaleTimeString("sv-SE", { hour: "2-digit", minute: "2-digit" });
    if (date.toDateString() === now.toDateString()) return `i dag kl. ${time}`;
    const day = date.toLocaleDateString("sv-SE", { day: "numeric", month: "long", year: "numeric" });
    return `${day} kl. ${time}`;
  }

  // ------------------------------------------------------------------ calendar (RFC 5545)

  function icsEscape(text) {
    return String(text).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }

  /** Fold a content line at 75 octets, never inside a UTF-8 character. */
  function icsFold(line) {
    const encoder = new TextEncoder();
    const out = [];
    let current = "";
    let size = 0;
    for (const char of line) {
      const bytes = encoder.encode(char).length;
      const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
      if (size + bytes > limit) {
        out.push(current);
        current = "";
        size = 0;
      }
      current += char;
      size += bytes;
    }
    out.push(current);
    return out.join("\r\n ");
  }

  const icsStamp = (date) => date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

  function icsCalendar(events, now = new Date()) {
    const lines = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Samtalsguiden//Arbetsblad//SV",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
    ];
    for (const ev of events) {
      const start = ev.date.replace(/-/g, "");
      const next = new Date(`${ev.date}T12:00:00Z`);
      next.setUTCDate(next.getUTCDate() + 1);
      const end = next.toISOString().slice(0, 10).replace(/-/g, "");
      lines.push(
        "BEGIN:VEVENT",
        `UID:${ev.uid}`,
        `DTSTAMP:${icsStamp(now)}`,
        `DTSTART;VALUE=DATE:${start}`,
        `DTEND;VALUE=DATE:${end}`,
        `SUMMARY:${icsEscape(ev.summary)}`,
        `DESCRIPTION:${icsEscape(ev.description)}`,
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        `DESCRIPTION:${icsEscape(`I morgon: ${ev.summary}`)}`,
        "TRIGGER:-PT15H", // 09.00 the day before an all-day event
        "END:VALARM",
        "END:VEVENT",
      );
    }
    lines.push("END:VCALENDAR");
    return `${lines.map(icsFold).join("\r\n")}\r\n`;
  }

  // ------------------------------------------------------------------ files

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    // Keep Material's instant navigation away from this click.
    a.addEventListener("click", (event) => event.stopPropagation());
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (error) {
        // fall through to the old way
      }
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "samtal-offscreen";
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    area.remove();
    return ok;
  }

  class FileProblem extends Error {}

  /** Answers from a saved file, or a FileProblem with a message for the person. */
  function parseFile(text, sheet) {
    let data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new FileProblem("Filen går inte att läsa. Välj en fil som du har sparat med knappen Spara som fil.");
    }
    if (!isObject(data) || data.format !== FORMAT) {
      throw new FileProblem("Filen är inte en fil med svar från Samtalsguiden. Välj en fil som du har sparat med knappen Spara som fil.");
    }
    if (typeof data.version !== "number" || data.version > VERSION) {
      throw new FileProblem("Filen kommer från en nyare version av guiden och går inte att öppna här.");
    }
    const about = isObject(data.worksheet) ? data.worksheet : {};
    if (about.id !== sheet.id) {
      const title = typeof about.title === "string" && about.title ? `”${about.title}”` : "ett annat arbetsblad";
      throw new FileProblem(`Filen har svar till ${title}, inte till det här arbetsbladet. Öppna den på rätt arbetsblad.`);
    }
    if (!Array.isArray(data.answers)) throw new FileProblem("Filen saknar svar. Inget har ändrats.");
    const answers = {};
    for (const item of data.answers) {
      const ok = isObject(item) && typeof item.id === "string" && KEY_PATTERN.test(item.id)
        && typeof item.question === "string" && isValidValue(item.answer);
      if (!ok) throw new FileProblem("Filen är skadad: något svar går inte att läsa. Inget har ändrats.");
      answers[item.id] = { question: item.question, value: item.answer };
    }
    return answers;
  }

  // ------------------------------------------------------------------ the sheet

  class Sheet {
    constructor(form) {
      this.form = form;
      this.id = form.dataset.samtalSheet;
      this.title = form.dataset.samtalTitle || document.title;
      this.storeKey = STORE_PREFIX + this.id;
      this.kept = {};
      this.undoState = null;
      // The answers as this tab last read or wrote them in localStorage: what
      // differs from them was changed here, or by another tab.
      this.base = {};
      this.pending = false;
      this.find = (selector) => form.querySelector(selector);

      const urlBox = this.find("[data-samtal-url]");
      if (urlBox) urlBox.textContent = this.pageUrl();
      form.querySelectorAll(TEXT_CONTROLS).forEach(prepareControl);

      form.addEventListener("submit", (event) => event.preventDefault());
      // "input" fires for every kind of field (text, date, radio, checkbox);
      // listening to "change" too would save each click twice.
      form.addEventListener("input", (event) => this.changed(event));
      form.addEventListener("click", (event) => this.clicked(event));
      // A field kept as typed while another tab stored something else is
      // saved when the person leaves it.
      form.addEventListener("focusout", () => { if (this.pending) this.save(); });
      const fileInput = this.find("[data-samtal-file]");
      if (fileInput) fileInput.addEventListener("change", () => this.openFile(fileInput));

      const record = this.load();
      this.base = record.answers;
      this.apply(record.answers);
      this.showSaved(record.saved ? new Date(record.saved) : null);
    }

    /** The sheet's address; a sheet made by a link keeps its query, which names its questions. */
    pageUrl() {
      const manual = this.form.dataset.samtalManual !== undefined;
      return `${location.origin}${location.pathname}${manual ? location.search : ""}`;
    }

    entries() {
      return [...this.form.querySelectorAll("[data-samtal-key]")];
    }

    // -- storage ------------------------------------------------------------

    load() {
      try {
        const data = JSON.parse(localStorage.getItem(this.storeKey) || "null");
        if (isObject(data) && data.format === FORMAT && isObject(data.answers)) return data;
      } catch (error) {
        // a damaged record: start from an empty sheet, the record stays until the next save
      }
      return { answers: {} };
    }

    /** Every answer: those on the sheet (in sheet order) and those kept aside. */
    collect() {
      const answers = {};
      for (const entry of this.entries()) {
        const value = readEntry(entry);
        if (!isEmpty(value)) answers[entry.dataset.samtalKey] = { question: entry.dataset.samtalLabel || "", value };
      }
      for (const [key, item] of Object.entries(this.kept)) {
        answers[key in answers ? this.freeKey(key, answers) : key] = item;
      }
      return answers;
    }

    /** "KEY~N" with the first N not used in `taken`, this sheet's entries or its kept answers. */
    freeKey(key, taken = {}) {
      const stem = key.replace(/~[0-9]+$/, "");
      const onSheet = new Set(this.entries().map((e) => e.dataset.samtalKey));
      for (let n = 1; ; n += 1) {
        const candidate = `${stem}~${n}`;
        if (!(candidate in taken) && !(candidate in this.kept) && !onSheet.has(candidate)) return candidate;
      }
    }

    /** The entry holding the focus, if the person is in one of the sheet's fields. */
    focusedEntry() {
      const el = document.activeElement;
      if (!el || !this.form.contains(el) || !el.matches("input, textarea, select")) return null;
      return el.closest("[data-samtal-key]");
    }

    /**
     * Take in what another tab stored since this one last read or wrote it.
     * Per key: a key changed here (or the field being edited) keeps this
     * tab's value; any other key takes the stored one. Nothing either tab
     * typed is dropped, unless that tab deleted it.
     */
    sync() {
      const record = this.load();
      const stored = record.answers;
      if (sameAnswers(stored, this.base)) return record;
      const local = this.collect();
      const focused = this.focusedEntry();
      const focusedKey = focused ? focused.dataset.samtalKey : null;
      const merged = {};
      for (const key of new Set([...Object.keys(local), ...Object.keys(stored)])) {
        const mine = local[key];
        const theirs = stored[key];
        const changedHere = !sameValue(valueOf(mine), valueOf(this.base[key]));
        const pick = key === focusedKey || changedHere ? mine : theirs;
        if (valueOf(pick) !== undefined) merged[key] = pick;
      }
      this.base = stored;
      if (!sameAnswers(merged, local)) {
        this.dropUndo();
        this.apply(merged, { skip: focused, changedOnly: true });
      }
      return record;
    }

    /** Another tab stored answers to this sheet. */
    storedElsewhere() {
      const record = this.sync();
      this.pending = !sameAnswers(this.collect(), this.base);
      if (record.saved) this.showSaved(new Date(record.saved));
    }

    save() {
      this.sync();
      const answers = this.collect();
      const now = new Date();
      try {
        if (Object.keys(answers).length === 0) {
          localStorage.removeItem(this.storeKey);
        } else {
          const record = { format: FORMAT, version: VERSION, worksheet: this.id, saved: now.toISOString(), answers };
          localStorage.setItem(this.storeKey, JSON.stringify(record));
        }
        this.base = answers;
        this.pending = false;
        this.showSaved(now);
        return true;
      } catch (error) {
        this.error("Svaren gick inte att spara i webbläsaren. Spara dem som fil, så att du inte förlorar dem.");
        return false;
      }
    }

    /**
     * Put answers into the sheet; whatever has no place on it is kept aside.
     * An answer that does not fit its question any more is kept under
     * "KEY~N", so a new answer to the question never replaces it. `skip` is
     * an entry left as it is (the one being edited); with `changedOnly`,
     * entries that already show their value are not written again (so a
     * table keeps its rows, and the focus stays where it is).
     */
    apply(answers, { skip = null, changedOnly = false } = {}) {
      const rest = { ...answers };
      this.kept = {};
      const keep = (key, item) => { this.kept[this.freeKey(key, answers)] = item; };
      for (const entry of this.entries()) {
        const key = entry.dataset.samtalKey;
        const item = rest[key];
        delete rest[key];
        if (entry === skip) continue;
        let value = isObject(item) ? item.value : undefined;
        if (!fits(entry, value)) {
          if (isObject(item) && isValidValue(item.value) && !isEmpty(item.value)) keep(key, item);
          value = undefined;
        } else if (isRows(entry) && value !== undefined) {
          const [shown, left] = splitRows(entry, value);
          if (left.length) keep(key, { question: item.question, value: left });
          value = shown;
        }
        if (changedOnly && sameValue(valueOf({ value: readEntry(entry) }), valueOf({ value }))) continue;
        writeEntry(entry, value);
      }
      for (const [key, item] of Object.entries(rest)) {
        if (isObject(item) && isValidValue(item.value) && !isEmpty(item.value)) this.kept[key] = item;
      }
      this.renderKept();
    }

    // -- events -------------------------------------------------------------

    changed(event) {
      const el = event.target;
      if (!el.closest || el.matches("[data-samtal-file]") || !el.closest("[data-samtal-key]")) return;
      syncControl(el);
      this.dropUndo();
      this.save();
    }

    clicked(event) {
      const button = event.target.closest("[data-samtal-action]");
      if (!button || !this.form.contains(button)) return;
      const action = button.dataset.samtalAction;
      const handlers = {
        "save-file": () => this.saveFile(),
        "open-file": () => this.find("[data-samtal-file]").click(),
        "copy-text": () => this.copyAll(),
        "download-text": () => this.downloadText(),
        clear: () => this.askClear(),
        "clear-yes": () => this.clear(),
        "clear-no": () => this.closeConfirm(true),
        undo: () => this.undo(),
        "add-row": () => this.addRow(button),
        "remove-row": () => this.removeRow(button),
        calendar: () => this.calendar(button),
        "kept-copy": () => this.copyKept(button.dataset.key),
        "kept-delete": () => this.deleteKept(button.dataset.key),
      };
      if (handlers[action]) {
        event.preventDefault();
        handlers[action]();
      }
    }

    // -- messages -----------------------------------------------------------

    showSaved(date) {
      const box = this.find("[data-samtal-saved]");
      if (!box) return;
      box.textContent = date && !Number.isNaN(date.getTime())
        ? `Senast sparat ${dateLabel(date)}.`
        : "Du har inte skrivit något än.";
    }

    message(text) {
      const error = this.find("[data-samtal-error]");
      if (error) error.textContent = "";
      const box = this.find("[data-samtal-message]");
      if (box) box.textContent = text;
    }

    error(text) {
      const box = this.find("[data-samtal-message]");
      if (box) box.textContent = "";
      const error = this.find("[data-samtal-error]");
      if (error) error.textContent = text;
    }

    // -- export and import --------------------------------------------------

    fileData() {
      const answers = this.collect();
      return {
        format: FORMAT,
        version: VERSION,
        worksheet: { id: this.id, title: this.title, url: this.pageUrl() },
        saved: new Date().toISOString(),
        answers: Object.entries(answers).map(([id, item]) => ({ id, question: item.question, answer: item.value })),
      };
    }

    saveFile() {
      const day = new Date().toISOString().slice(0, 10);
      download(`arbetsblad-${this.id}-${day}.json`, "application/json", `${JSON.stringify(this.fileData(), null, 2)}\n`);
      this.message("Filen med dina svar laddas ner. Du hittar den bland dina nedladdade filer.");
    }

    openFile(input) {
      const file = input.files && input.files[0];
      input.value = "";
      if (!file) return;
      const reader = new FileReader();
      reader.onerror = () => this.error("Filen gick inte att läsa. Inget har ändrats.");
      reader.onload = () => {
        let answers;
        try {
          answers = parseFile(String(reader.result), this);
        } catch (problem) {
          if (!(problem instanceof FileProblem)) throw problem;
          this.error(problem.message);
          return;
        }
        const before = this.collect();
        const merged = { ...before };
        for (const [key, item] of Object.entries(answers)) if (!isEmpty(item.value)) merged[key] = item;
        this.apply(merged);
        this.save();
        this.offerUndo(before);
        const count = Object.values(answers).filter((item) => !isEmpty(item.value)).length;
        this.message(`Filen är öppnad. ${count === 1 ? "1 svar" : `${count} svar`} från filen finns nu på bladet.`);
      };
      reader.readAsText(file);
    }

    asText() {
      const parts = [`# ${this.title}`];
      const done = new Set();
      const sections = [...this.form.querySelectorAll("[data-samtal-section]")];
      const groups = sections.length ? sections.map((s) => [s.dataset.samtalSection, s]) : [["", this.form]];
      for (const [heading, section] of groups) {
        const lines = [];
        for (const entry of section.querySelectorAll("[data-samtal-key]")) {
          if (done.has(entry)) continue;
          done.add(entry);
          const value = readEntry(entry);
          const label = entry.dataset.samtalLabel || entry.dataset.samtalKey;
          if (typeof value === "boolean") lines.push(`- [${value ? "x" : " "}] ${label}`);
          else if (isEmpty(value)) continue;
          else if (isRows(entry)) lines.push(rowsAsText(entry));
          else if (entry.dataset.samtalKey.startsWith("_")) lines.push(`${label}: ${showValue(entry, value)}`);
          else lines.push(`**${label}**\n\n${showValue(entry, value)}`);
        }
        if (!lines.length) continue;
        const joiner = lines.every((l) => l.startsWith("- [") || !l.includes("\n")) ? "\n" : "\n\n";
        parts.push(`${heading ? `## ${heading}\n\n` : ""}${lines.join(joiner)}`);
      }
      const kept = Object.values(this.kept);
      if (kept.length) {
        parts.push(`## Svar på frågor som inte längre finns i guiden\n\n${kept
          .map((item) => `**${item.question}**\n\n${showValue(null, item.value)}`)
          .join("\n\n")}`);
      }
      parts.push(`Arbetsbladet finns på ${this.pageUrl()}`);
      return `${parts.join("\n\n")}\n`;
    }

    async copyAll() {
      const ok = await copyText(this.asText());
      if (ok) this.message("Svaren är kopierade som text. Klistra in dem i ett mejl eller ett dokument.");
      else this.error("Det gick inte att kopiera. Använd Ladda ner som text i stället.");
    }

    downloadText() {
      download(`arbetsblad-${this.id}.txt`, "text/plain;charset=utf-8", this.asText());
      this.message("Svaren laddas ner som en textfil.");
    }

    // -- clear and undo -----------------------------------------------------

    askClear() {
      const box = this.find("[data-samtal-confirm]");
      if (!box) {
        if (window.confirm("Vill du tömma alla rutor på arbetsbladet?")) this.clear();
        return;
      }
      box.hidden = false;
      box.querySelector("[data-samtal-action=clear-no]").focus();
    }

    closeConfirm(refocus) {
      const box = this.find("[data-samtal-confirm]");
      if (box) box.hidden = true;
      if (refocus) {
        const button = this.find("[data-samtal-action=clear]");
        if (button) button.focus();
      }
    }

    clear() {
      const before = this.collect();
      this.closeConfirm(false);
      this.apply({});
      this.save();
      this.offerUndo(before);
      this.message("Alla svar är borttagna. Tryck på Ångra om du vill få tillbaka dem.");
      const undo = this.find("[data-samtal-action=undo]");
      if (undo) undo.focus();
    }

    /** Undo lives in memory only: it is gone once the page is left. */
    offerUndo(answers) {
      this.undoState = answers;
      const box = this.find("[data-samtal-undo-box]");
      if (box) box.hidden = false;
    }

    /**
     * Forget the answers "Ångra" would bring back: once something has changed
     * since, putting them back would throw that change away.
     */
    dropUndo() {
      if (!this.undoState) return;
      this.undoState = null;
      const box = this.find("[data-samtal-undo-box]");
      if (box) {
        const hadFocus = box.contains(document.activeElement);
        box.hidden = true;
        if (hadFocus) {
          const clear = this.find("[data-samtal-action=clear]");
          if (clear) clear.focus();
        }
      }
      const message = this.find("[data-samtal-message]");
      if (message && message.textContent.includes("Ångra")) message.textContent = "";
    }

    undo() {
      const answers = this.undoState;
      if (!answers) return;
      this.dropUndo();
      this.apply(answers);
      this.save();
      this.message("Svaren är tillbaka.");
    }

    // -- kept answers -------------------------------------------------------

    renderKept() {
      const section = this.find("[data-samtal-kept]");
      const list = this.find("[data-samtal-kept-list]");
      if (!section || !list) return;
      list.replaceChildren();
      const keys = Object.keys(this.kept);
      section.hidden = keys.length === 0;
      keys.forEach((key, index) => {
        const item = this.kept[key];
        const box = document.createElement("div");
        box.className = "samtal-kept__item";
        box.dataset.samtalKeptKey = key;
        const heading = document.createElement("h3");
        heading.className = "samtal-kept__question";
        heading.id = `sparat--${index}`;
        heading.textContent = item.question || key;
        const answer = document.createElement("p");
        answer.className = "samtal-kept__answer";
        answer.textContent = showValue(null, item.value);
        const buttons = document.createElement("p");
        buttons.className = "samtal-kept__buttons";
        for (const [action, text] of [["kept-copy", "Kopiera svaret"], ["kept-delete", "Ta bort svaret"]]) {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "samtal-button samtal-button--small";
          button.dataset.samtalAction = action;
          button.dataset.key = key;
          button.id = `${action}--${index}`;
          button.textContent = text;
          button.setAttribute("aria-describedby", heading.id);
          buttons.append(button, " ");
        }
        box.append(heading, answer, buttons);
        list.append(box);
      });
    }

    async copyKept(key) {
      const item = this.kept[key];
      if (!item) return;
      const ok = await copyText(`${item.question}\n\n${showValue(null, item.value)}\n`);
      if (ok) this.message("Svaret är kopierat.");
      else this.error("Det gick inte att kopiera. Markera texten och kopiera den själv.");
    }

    deleteKept(key) {
      if (!this.kept[key]) return;
      const before = this.collect();
      delete this.kept[key];
      this.renderKept();
      this.save();
      this.offerUndo(before);
      this.message("Svaret är borttaget. Tryck på Ångra om du vill få tillbaka det.");
      const next = this.find("[data-samtal-kept-list] button") || this.find("[data-samtal-action=undo]");
      if (next) next.focus();
    }

    // -- action plan --------------------------------------------------------

    rowsEntry(button) {
      const section = button.closest("section, fieldset, form");
      return section.querySelector("[data-samtal-kind=rows]") || this.find("[data-samtal-kind=rows]");
    }

    addRow(button) {
      const entry = this.rowsEntry(button);
      this.dropUndo();
      const row = addRow(entry);
      numberRows(entry);
      this.save();
      row.querySelector("[data-samtal-col]").focus();
      this.message(`Ett nytt mål är tillagt. Det är mål ${rowsOf(entry).length}.`);
    }

    removeRow(button) {
      const row = button.closest("[data-samtal-row]");
      const entry = row.closest("[data-samtal-kind=rows]");
      const rows = rowsOf(entry);
      const index = rows.indexOf(row);
      const before = this.collect();
      row.remove();
      if (rowsOf(entry).length === 0) addRow(entry);
      numberRows(entry);
      this.save();
      this.offerUndo(before);
      this.message(`Mål ${index + 1} är borttaget. Tryck på Ångra om du vill få tillbaka det.`);
      const left = rowsOf(entry);
      const focusRow = left[Math.min(index, left.length - 1)];
      focusRow.querySelector("[data-samtal-col]").focus();
    }

    calendar(button) {
      const entry = this.rowsEntry(button);
      const host = location.hostname || "samtalsguiden";
      // The columns come from the table's markup: the date column gives the
      // checkpoint, the first text column the goal, the others its details.
      const columns = columnsOf(entry);
      const dateCol = columns.find((c) => c.kind === "date");
      const textCols = columns.filter((c) => c.kind !== "date");
      const goalCol = textCols[0];
      const events = readRows(entry)
        .filter((row) => dateCol && /^\d{4}-\d{2}-\d{2}$/.test(row[dateCol.key] || ""))
        .map((row) => {
          const day = row[dateCol.key];
          const goal = goalCol ? (row[goalCol.key] || "").trim() : "";
          const short = goal.split("\n")[0].slice(0, 60) || "handlingsplanen";
          const details = textCols
            .map((c) => [c.label.replace(/\?$/, ""), row[c.key]])
            .filter(([, v]) => v && v.trim())
            .map(([k, v]) => `${k}: ${v.trim()}`);
          details.push("", `Från arbetsbladet ${this.title}: ${this.pageUrl()}`);
          return {
            uid: `${row.id}-${day}@${host}`,
            date: day,
            summary: `Avstämning: ${short}`,
            description: details.join("\n"),
          };
        });
      if (!events.length) {
        this.error("Skriv ett datum för avstämning vid minst ett mål först.");
        return;
      }
      download(`avstamningar-${this.id}.ics`, "text/calendar;charset=utf-8", icsCalendar(events));
      this.message(events.length === 1
        ? "En kalenderfil med 1 avstämning laddas ner. Öppna den för att lägga in datumet i din kalender."
        : `En kalenderfil med ${events.length} avstämningar laddas ner. Öppna den för att lägga in datumen i din kalender.`);
    }
  }

  // ------------------------------------------------------------------ start

  function init(form) {
    if (!form.samtalSheet) form.samtalSheet = new Sheet(form);
    return form.samtalSheet;
  }

  function initAll() {
    document.querySelectorAll("form[data-samtal-sheet]").forEach((form) => {
      // Sheets built by script say so and call init() themselves.
      if (form.dataset.samtalManual === undefined) init(form);
    });
  }

  window.samtalWorksheet = { init, initAll };

  // Another tab stored answers: every sheet on this page with that record
  // takes them in. One listener for the window, since instant navigation
  // replaces the sheets but not the window.
  window.addEventListener("storage", (event) => {
    if (event.storageArea && event.storageArea !== window.localStorage) return;
    document.querySelectorAll("form[data-samtal-sheet]").forEach((form) => {
      const sheet = form.samtalSheet;
      if (sheet && (event.key === null || event.key === sheet.storeKey)) sheet.storedElsewhere();
    });
  });

  // Mirrors are kept in step on every input; this catches values set by other scripts.
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("form[data-samtal-sheet]").forEach((form) => {
      form.querySelectorAll(TEXT_CONTROLS).forEach(syncControl);
    });
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => initAll());
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
