import test from "node:test";
import assert from "node:assert/strict";
import { calendarFile, escapeText, fold, isDate, planEvents, uidPart } from "../../overrides/assets/javascripts/samtal/calendar.js";
import { translator } from "../../overrides/assets/javascripts/samtal/translate.js";

const t = translator({
  "calendar.summary": "Avstämning: {goal}",
  "calendar.no_goal": "handlingsplanen",
  "calendar.from_sheet": "Från arbetsbladet {title}: {url}",
  "calendar.reminder": "I morgon: {summary}",
});
const columns = [
  { key: "mal", label: "Mål", kind: "text" },
  { key: "aktiviteter", label: "Vad ska du göra?", kind: "text" },
  { key: "datum", label: "Datum för avstämning", kind: "date" },
];
const unfold = (text) => text.replace(/\r\n /g, "");
const contentLines = (text) => unfold(text).split("\r\n").filter(Boolean);

test("TEXT values escape backslash, semicolon, comma and every line break; control characters go", () => {
  assert.equal(escapeText("a\\b;c,d"), "a\\\\b\\;c\\,d");
  assert.equal(escapeText("ett\r\ntvå\rtre\nfyra"), "ett\\ntvå\\ntre\\nfyra");
  assert.equal(escapeText("noll\u0000bell\u0007tab\tdel\u007f"), "nollbelltab\tdel");
});

test("UIDs hold only safe characters", () => {
  assert.equal(uidPart("a b\r\nBEGIN:VEVENT;x=1,@<>"), "abBEGINVEVENTx1");
});

test("lines fold at 75 octets and never inside a UTF-8 character", () => {
  const line = `DESCRIPTION:${"åäö€😀".repeat(40)}`;
  const folded = fold(line);
  const encoder = new TextEncoder();
  for (const part of folded.split("\r\n")) assert.ok(encoder.encode(part).length <= 75, part);
  assert.equal(folded.replace(/\r\n /g, ""), line);
});

test("real dates only", () => {
  assert.equal(isDate("2031-02-28"), true);
  assert.equal(isDate("2031-02-30"), false);
  assert.equal(isDate("2031-2-3"), false);
  assert.equal(isDate("2031-02-28\r\nBEGIN:VEVENT"), false);
});

test("a goal with CR/LF and BEGIN:VEVENT never adds an event or a property", () => {
  const hostile = "Lära mig\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Inbjudan, klicka här\r\nDTSTART:20310101\nBEGIN:VALARM";
  const rows = [
    { id: "r1", mal: hostile, aktiviteter: "Kurs; med komma, och \\", datum: "2031-03-14" },
    { id: "r2\r\nBEGIN:VEVENT", mal: "Två", aktiviteter: "", datum: "2031-06-02" },
    { id: "r3", mal: "Utan datum", aktiviteter: "", datum: "" },
    { id: "r4", mal: "Fel datum", aktiviteter: "", datum: "2031-06-02\r\nBEGIN:VEVENT" },
  ];
  const events = planEvents({ rows, columns, sheetTitle: "Min handlingsplan", url: "https://exempel.se/arbetsblad/handlingsplan/", host: "exempel.se", t });
  assert.equal(events.length, 2);
  const text = calendarFile(events, { now: new Date("2030-01-01T00:00:00Z") });
  const lines = contentLines(text);
  assert.equal(lines.filter((l) => l === "BEGIN:VEVENT").length, 2);
  assert.equal(lines.filter((l) => l.startsWith("SUMMARY:")).length, 2);
  assert.equal(lines.filter((l) => l === "BEGIN:VALARM").length, 2);
  assert.equal(lines.filter((l) => l.startsWith("DTSTART")).length, 2);
  for (const line of lines) assert.match(line, /^[A-Z-]+[;:]/, line);
  const uids = lines.filter((l) => l.startsWith("UID:")).map((l) => l.slice(4));
  assert.deepEqual(uids, ["r1-2031-03-14@exempel.se", "r2BEGINVEVENT-2031-06-02@exempel.se"]);
  const summary = lines.find((l) => l.startsWith("SUMMARY:"));
  assert.equal(summary, "SUMMARY:Avstämning: Lära mig");
  const description = lines.find((l) => l.startsWith("DESCRIPTION:Mål"));
  assert.ok(description.includes("Lära mig\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:Inbjudan\\, klicka här"), description);
  assert.ok(description.includes("Vad ska du göra: Kurs\\; med komma\\, och \\\\"), description);
  assert.ok(text.endsWith("END:VCALENDAR\r\n"));
  assert.ok(!/[^\r]\n/.test(text), "every line ends with CRLF");
});

test("two goals whose ids clean up alike still get different UIDs", () => {
  const text = calendarFile([
    { uid: "a@x", date: "2031-01-01", summary: "s", description: "d", reminder: "r" },
    { uid: "a@x", date: "2031-01-01", summary: "s", description: "d", reminder: "r" },
  ]);
  const uids = contentLines(text).filter((l) => l.startsWith("UID:"));
  assert.equal(new Set(uids).size, 2);
});

test("a goal without text is named by the fallback word", () => {
  const [ev] = planEvents({ rows: [{ id: "r", mal: "", datum: "2031-01-01" }], columns, sheetTitle: "S", url: "u", host: "h", t });
  assert.equal(ev.summary, "Avstämning: handlingsplanen");
});
