/*
 * The action plan's calendar file (RFC 5545 iCalendar): one all-day event
 * per goal with a checkpoint date, with a reminder the day before. Pure.
 *
 * Everything a person typed is TEXT: backslash, semicolon, comma and line
 * breaks are escaped and other control characters dropped, so no goal can
 * end a property or add a component (RFC 5545, 3.3.11). UIDs are made only of
 * letters, digits, "-", "." and one "@"; lines are folded at 75 octets, never inside
 * a UTF-8 character (3.1).
 */

import { bareLabel } from "./values.js";

/** A TEXT property value, escaped. */
export function escapeText(text) {
  return String(text)
    .replace(/\r\n|\r|\n/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\n/g, "\\n");
}

/** Only the characters a UID may safely hold. */
export function uidPart(text) {
  return String(text).replace(/[^A-Za-z0-9.-]/g, "");
}

/** Fold a content line at 75 octets, never inside a UTF-8 character. */
export function fold(line) {
  const encoder = new TextEncoder();
  const out = [];
  let current = "";
  let size = 0;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    const limit = out.length === 0 ? 75 : 74; // a continuation line starts with a space
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

/** Whether `text` is a real date written yyyy-mm-dd. */
export function isDate(text) {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T12:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

const stamp = (date) => date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

function nextDay(day) {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10).replace(/-/g, "");
}

/**
 * The calendar file for `events` ([{uid, date: "yyyy-mm-dd", summary,
 * description, reminder}]), with CRLF line ends. Events without a real
 * date are left out.
 */
export function calendarFile(events, { now = new Date(), language = "sv" } = {}) {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:-//Samtalsguiden//Arbetsblad//${uidPart(language).toUpperCase()}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
  ];
  const uids = new Set();
  for (const ev of events) {
    if (!isDate(ev.date)) continue;
    const base = String(ev.uid).replace(/[^A-Za-z0-9.@-]/g, "") || "samtal";
    let uid = base;
    for (let n = 2; uids.has(uid); n += 1) uid = `${n}-${base}`;
    uids.add(uid);
    lines.push(
      "BEGIN:VEVENT",
      `UID:${uid}`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART;VALUE=DATE:${ev.date.replace(/-/g, "")}`,
      `DTEND;VALUE=DATE:${nextDay(ev.date)}`,
      `SUMMARY:${escapeText(ev.summary)}`,
      `DESCRIPTION:${escapeText(ev.description)}`,
      "TRANSP:TRANSPARENT",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      `DESCRIPTION:${escapeText(ev.reminder)}`,
      "TRIGGER:-PT15H", // 09.00 the day before an all-day event
      "END:VALARM",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(fold).join("\r\n")}\r\n`;
}

/**
 * Events for the goals in `rows` that have a checkpoint date. The columns
 * ([{key, label, kind}], from the table's markup) say which is the date (the
 * "date" column) and which the goal (the first text column); `t` gives the
 * words (js strings "calendar.*").
 */
export function planEvents({ rows, columns, sheetTitle, url, host, t }) {
  const dateCol = columns.find((c) => c.kind === "date");
  const textCols = columns.filter((c) => c.kind !== "date");
  if (!dateCol) return [];
  const hostPart = uidPart(host) || "samtalsguiden";
  return rows
    .filter((row) => isDate(row[dateCol.key]))
    .map((row, index) => {
      const day = row[dateCol.key];
      const goal = textCols.length ? String(row[textCols[0].key] || "").trim() : "";
      const short = goal.split(/\r\n|\r|\n/)[0].slice(0, 60) || t("calendar.no_goal");
      const details = textCols
        .map((c) => [bareLabel(c.label), String(row[c.key] || "").trim()])
        .filter(([, v]) => v)
        .map(([label, v]) => `${label}: ${v}`);
      details.push("", t("calendar.from_sheet", { title: sheetTitle, url }));
      const summary = t("calendar.summary", { goal: short });
      return {
        uid: `${uidPart(row.id) || `mal${index + 1}`}-${day}@${hostPart}`,
        date: day,
        summary,
        description: details.join("\n"),
        reminder: t("calendar.reminder", { summary }),
      };
    });
}
