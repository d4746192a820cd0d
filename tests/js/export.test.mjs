import test from "node:test";
import assert from "node:assert/strict";
import { FileProblem, fileData, parseFile, plainText, valueLines } from "../../overrides/assets/javascripts/samtal/export.js";
import { translator } from "../../overrides/assets/javascripts/samtal/translate.js";

const t = translator({ "text.yes": "Ja", "text.no": "Nej" });
const here = (id) => id === "forberedelse";

function problem(text) {
  try {
    parseFile(text, here);
  } catch (error) {
    assert.ok(error instanceof FileProblem);
    return error;
  }
  assert.fail("the file was accepted");
}

test("a saved file opens again with every value", () => {
  const answers = {
    _medarbetare: { question: "Ditt namn", value: "Kim" },
    "rollen-tydlig": { question: "Är rollen tydlig?", value: { choice: "4", note: "Mest" } },
    _mal: { question: "Mål", value: [{ id: "r1", mal: "Excel", datum: "2031-01-01" }] },
    "lista--boka": { question: "Boka", value: true },
    tom: { question: "Tom", value: "" },
  };
  const data = fileData({ id: "forberedelse", title: "Förbered", url: "http://x/", answers, saved: new Date(0) });
  assert.equal(data.version, 1);
  assert.deepEqual(data.answers.map((a) => a.id), ["_medarbetare", "rollen-tydlig", "_mal", "lista--boka"]);
  const back = parseFile(JSON.stringify(data), here);
  const { tom, ...rest } = answers;
  assert.deepEqual(back, rest);
});

test("files that cannot be opened say why", () => {
  const base = { format: "samtalsguiden-arbetsblad", version: 1, worksheet: { id: "forberedelse" }, answers: [] };
  assert.equal(problem('{"format": "samtalsguiden-arbetsblad", "answers": [').key, "file.not_json");
  assert.equal(problem(JSON.stringify({ hej: 1 })).key, "file.not_ours");
  assert.equal(problem(JSON.stringify({ ...base, version: 2 })).key, "file.newer");
  const other = problem(JSON.stringify({ ...base, worksheet: { id: "annat", title: "Ett annat blad" } }));
  assert.deepEqual([other.key, other.values], ["file.other_sheet", { title: "Ett annat blad" }]);
  assert.equal(problem(JSON.stringify({ ...base, worksheet: { id: "annat" } })).key, "file.other_sheet_untitled");
  assert.equal(problem(JSON.stringify({ ...base, answers: {} })).key, "file.no_answers");
  for (const answers of [
    [{ id: "x", question: "?", answer: { a: [1] } }],
    [{ id: "X Y", question: "?", answer: "x" }],
    [{ id: "x", question: "?", answer: "a" }, { id: "x", question: "?", answer: "b" }],
    [{ id: "x", answer: "a" }],
  ]) {
    assert.equal(problem(JSON.stringify({ ...base, answers })).key, "file.damaged", JSON.stringify(answers));
  }
});

test("rows from a file without usable ids get ids", () => {
  const base = { format: "samtalsguiden-arbetsblad", version: 1, worksheet: { id: "forberedelse" } };
  const back = parseFile(JSON.stringify({ ...base, answers: [{ id: "_mal", question: "Mål", answer: [{ mal: "a" }, { id: "<x>", mal: "b" }] }] }), here);
  assert.deepEqual(back._mal.value, [{ id: "rad-1", mal: "a" }, { id: "rad-2", mal: "b" }]);
});

test("plain text for e-mail: no Markdown, headings as lines, answers indented under their questions", () => {
  const text = plainText({
    title: "Båda synerna",
    blocks: [
      { heading: "Om samtalet", items: [{ lines: ["Ditt namn: Kim Andersson"] }] },
      { heading: "Mål och avstämningar", items: [{ label: "Mål 1", lines: ["Mål: Excel", "Klart när: Maj"] }, { label: "Mål 2", lines: [] }] },
      {
        heading: "Frågor",
        items: [
          { label: "Hur har det gått?", lines: ["Din syn: Två av tre mål.", "Rad två", "", "Efter en tom rad"] },
          { label: "Obesvarad?", lines: [] },
        ],
      },
      { heading: "Tom del", items: [{ label: "X", lines: ["  "] }] },
      { heading: "Checklista", items: [{ lines: ["Klart: Boka tid.", "Inte klart: Välj rum."] }] },
    ],
    footer: "Arbetsbladet finns på http://x/",
  });
  assert.equal(text, [
    "Båda synerna",
    "",
    "Om samtalet",
    "    Ditt namn: Kim Andersson",
    "",
    "Mål och avstämningar",
    "",
    "Mål 1",
    "    Mål: Excel",
    "    Klart när: Maj",
    "",
    "Frågor",
    "",
    "Hur har det gått?",
    "    Din syn: Två av tre mål.",
    "    Rad två",
    "",
    "    Efter en tom rad",
    "",
    "Checklista",
    "    Klart: Boka tid.",
    "    Inte klart: Välj rum.",
    "",
    "Arbetsbladet finns på http://x/",
    "",
  ].join("\n"));
  for (const bad of ["#", "**", "- ["]) assert.ok(!text.includes(bad), bad);
});

test("a value without its sheet reads as lines, with the labels it was saved with", () => {
  assert.deepEqual(valueLines("a\r\nb", {}, t), ["a", "b"]);
  assert.deepEqual(valueLines(true, {}, t), ["Ja"]);
  assert.deepEqual(valueLines({ min: "3", chef: "", overens: "Ja\nmen" }, { min: "Din syn", overens: "Överens" }, t),
    ["Din syn: 3", "Överens: Ja", "men"]);
  assert.deepEqual(valueLines([{ id: "a", mal: "x" }, { id: "b", mal: "" }, { id: "c", mal: "y", resurser: "z" }], { mal: "Mål" }, t),
    ["Mål: x", "", "Mål: y", "resurser: z"]);
});
