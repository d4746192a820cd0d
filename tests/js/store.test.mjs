import test from "node:test";
import assert from "node:assert/strict";
import {
  ASIDE_PREFIX, PREFIX, VERSION, edit, freeKey, keepBoth, sameAnswers, keepAside, listStored, mergeAnswers,
  mergeItem, nextTime, parseRecord, readRecord, writeRecord,
} from "../../overrides/assets/javascripts/samtal/store.js";

/** localStorage's interface over a Map; `quota` (characters) makes it refuse like a full browser. */
class FakeStorage {
  constructor(quota = Infinity) {
    this.map = new Map();
    this.quota = quota;
  }
  get length() { return this.map.size; }
  key(i) { return [...this.map.keys()][i] ?? null; }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) {
    const used = [...this.map].reduce((n, [key, val]) => n + (key === k ? 0 : key.length + val.length), 0);
    if (used + k.length + String(v).length > this.quota) {
      const error = new Error("The quota has been exceeded.");
      error.name = "QuotaExceededError";
      throw error;
    }
    this.map.set(k, String(v));
  }
  removeItem(k) { this.map.delete(k); }
}

const v1 = (answers, saved = "2030-05-01T10:00:00.000Z") =>
  JSON.stringify({ format: "samtalsguiden-arbetsblad", version: 1, worksheet: "forberedelse", saved, answers });

test("nothing stored, a damaged record, another format, a newer version", () => {
  assert.equal(parseRecord(null).state, "empty");
  assert.equal(parseRecord('{"format": "samtalsguiden-arbetsblad", "version": 2, "answers": {"a": {"val').state, "damaged");
  assert.equal(parseRecord("[]").state, "damaged");
  assert.equal(parseRecord(JSON.stringify({ format: "något-annat", version: 1, answers: {} })).state, "damaged");
  assert.equal(parseRecord(JSON.stringify({ format: "samtalsguiden-arbetsblad", version: 2, answers: [] })).state, "damaged");
  assert.equal(parseRecord(JSON.stringify({ format: "samtalsguiden-arbetsblad", version: "2", answers: {} })).state, "damaged");
  assert.equal(parseRecord(JSON.stringify({ format: "samtalsguiden-arbetsblad", version: VERSION + 1, answers: "?" })).state, "newer");
});

test("a version-1 record is read as version 2, every field edited when it was saved", () => {
  const parsed = parseRecord(v1({
    "rollen-tydlig": { question: "Är rollen tydlig?", value: { min: "3", chef: "", overens: "Ja" } },
    _mal: { question: "Mål", value: [{ id: "a1", mal: "Excel", datum: "2031-01-01" }] },
    "check--item": { question: "Boka", value: true },
  }));
  assert.equal(parsed.state, "ok");
  assert.equal(parsed.partly, false);
  const t = Date.parse("2030-05-01T10:00:00.000Z");
  const a = parsed.record.answers;
  assert.deepEqual(a["rollen-tydlig"].edited, { min: t, overens: t });
  assert.deepEqual(a._mal.edited, { "a1/mal": t, "a1/datum": t });
  assert.deepEqual(a["check--item"], { question: "Boka", value: true, edited: { "": t } });
  assert.equal(parsed.record.version, VERSION);
});

test("version-1 goal rows without a usable id get one; a version-2 record must have them", () => {
  const row = { id: "r1\r\nBEGIN:VEVENT", mal: "Mål" };
  const parsed = parseRecord(v1({ _mal: { question: "Mål", value: [row] } }));
  assert.equal(parsed.partly, false);
  assert.deepEqual(parsed.record.answers._mal.value, [{ id: "rad-1", mal: "Mål" }]);
  const v2 = parseRecord(JSON.stringify({ format: "samtalsguiden-arbetsblad", version: 2, answers: { _mal: { value: [row], edited: {} } } }));
  assert.equal(v2.partly, true);
  assert.deepEqual(v2.record.answers, {});
});

test("answers that cannot be read are left out and the record is marked partly read", () => {
  const parsed = parseRecord(JSON.stringify({
    format: "samtalsguiden-arbetsblad", version: 2, worksheet: "x", answers: {
      good: { question: "Q", value: "svar", edited: { "": 5 } },
      bad: { question: "Q", value: { a: [1] }, edited: { "": 5 } },
      "BAD KEY": { question: "Q", value: "x", edited: {} },
      badtime: { question: "Q", value: "x", edited: { "": "igår" } },
    },
  }));
  assert.equal(parsed.state, "ok");
  assert.equal(parsed.partly, true);
  assert.deepEqual(Object.keys(parsed.record.answers), ["good"]);
});

test("an edit gives only the changed fields a new time", () => {
  const before = { question: "Q", value: { min: "a", chef: "b" }, edited: { min: 1, chef: 2 } };
  const after = edit(before, { question: "Q", value: { min: "a", chef: "c", overens: "" } }, 10);
  assert.deepEqual(after.edited, { min: 1, chef: 10 });
  const gone = edit(after, { question: "Q" }, 11);
  assert.equal(gone.value, undefined);
  assert.deepEqual(gone.edited, { min: 11, chef: 11 });
});

test("a new edit time is later than every edit seen, even with the clock behind", () => {
  assert.equal(nextTime({ a: { edited: { "": 500 } } }, 100), 501);
  assert.equal(nextTime({}, 100), 100);
});

test("merging: each field from the copy that edited it last; a stale copy never wins", () => {
  const stored = { question: "Q", value: "Tab A:s svar", edited: { "": 200 } };
  const stale = { question: "Q", value: "", edited: { "": 100 } };
  assert.equal(mergeItem(stored, stale).item.value, "Tab A:s svar");
  const newer = { question: "Q", value: "Tab B, senare", edited: { "": 300 } };
  assert.equal(mergeItem(stored, newer).item.value, "Tab B, senare");
  // A tie keeps what is stored.
  assert.equal(mergeItem(stored, { question: "Q", value: "annat", edited: { "": 200 } }).item.value, "Tab A:s svar");
});

test("merging: two tabs typing in different parts of one question keep both", () => {
  const a = { question: "Q", value: { min: "Min syn", chef: "", overens: "" }, edited: { min: 300 } };
  const b = { question: "Q", value: { min: "", chef: "Chefens syn", overens: "" }, edited: { chef: 310 } };
  const { item } = mergeItem(a, b);
  assert.deepEqual(item.value, { min: "Min syn", chef: "Chefens syn" });
  assert.deepEqual(item.edited, { min: 300, chef: 310 });
});

test("merging: an emptied answer stays empty against an older copy, and a newer answer comes back", () => {
  const cleared = { question: "Q", edited: { "": 400 } };
  assert.equal(mergeItem(cleared, { question: "Q", value: "gammalt", edited: { "": 100 } }).item.value, undefined);
  assert.equal(mergeItem(cleared, { question: "Q", value: "nytt", edited: { "": 500 } }).item.value, "nytt");
});

test("merging goal rows: per cell, a removed row stays removed, order from the tab that wrote", () => {
  const stored = {
    question: "Mål",
    value: [{ id: "r1", mal: "Ett" }, { id: "r3", mal: "Tre från flik A" }],
    edited: { "r1/mal": 10, "r2/mal": 50, "r3/mal": 60 }, // r2 removed at 50 by tab A
  };
  const mine = {
    question: "Mål",
    value: [{ id: "r2", mal: "Två" }, { id: "r1", mal: "Ett, ändrat" }],
    edited: { "r1/mal": 70, "r2/mal": 20 },
  };
  const { item } = mergeItem(stored, mine);
  assert.deepEqual(item.value, [{ id: "r1", mal: "Ett, ändrat" }, { id: "r3", mal: "Tre från flik A" }]);
});

test("merging values of different shapes keeps both: the older under KEY~N", () => {
  const stored = { "fraga": { question: "Q", value: "gammal text", edited: { "": 100 } }, "fraga~1": { question: "Q", value: "x", edited: { "": 1 } } };
  const mine = { "fraga": { question: "Q", value: { choice: "4", note: "" }, edited: { choice: 200 } } };
  const out = mergeAnswers(stored, mine);
  assert.equal(out.fraga.value.choice, "4");
  assert.equal(out["fraga~2"].value, "gammal text");
  assert.equal(out["fraga~1"].value, "x");
});

test("a write by a tab that had not seen another tab's write takes nothing away once merged again", () => {
  // Tab one stored min; tab two, reading before that write arrived, stored only chef.
  const one = { q: { question: "Q", value: { min: "Min syn" }, edited: { min: 100 } } };
  const twoWrote = { q: { question: "Q", value: { chef: "Chefens" }, edited: { chef: 110 } } };
  const merged = mergeAnswers(twoWrote, one);
  assert.deepEqual(merged.q.value, { min: "Min syn", chef: "Chefens" });
  assert.equal(sameAnswers(twoWrote, merged), false, "tab one writes it back");
  // Order-free and repeatable: the tabs agree and stop writing.
  assert.equal(sameAnswers(mergeAnswers(merged, one), merged), true);
  assert.equal(sameAnswers(mergeAnswers(merged, twoWrote), merged), true);
  assert.equal(sameAnswers(mergeAnswers(one, twoWrote), merged), true);
});

test("same answers: by fields and edit times, not by how a value is written", () => {
  const a = { q: { question: "A", value: { min: "x", chef: "" }, edited: { min: 1 } } };
  const b = { q: { question: "B", value: { min: "x" }, edited: { min: 1 } } };
  assert.equal(sameAnswers(a, b), true);
  assert.equal(sameAnswers(a, { q: { value: { min: "x" }, edited: { min: 2 } } }), false);
  assert.equal(sameAnswers(a, {}), false);
});

test("an answer already moved to KEY~N is not kept twice when an old copy of it comes back", () => {
  // The text answer (edited at 100) was moved to fraga~1 when the question became a scale;
  // its key kept the time of that edit, and a new answer was chosen at 300.
  const stored = {
    fraga: { question: "Q", value: "4", edited: { "": 300, note: 100 } },
    "fraga~1": { question: "Q", value: { note: "gammal text" }, edited: { note: 100 } },
  };
  const oldCopy = { fraga: { question: "Q", value: { note: "gammal text" }, edited: { note: 100 } } };
  assert.deepEqual(Object.keys(mergeAnswers(stored, oldCopy)).sort(), ["fraga", "fraga~1"]);
  // A copy with a later edit is kept beside it, once however often it comes back.
  const newer = { fraga: { question: "Q", value: { note: "ändrad" }, edited: { note: 200 } } };
  const twice = mergeAnswers(mergeAnswers(stored, newer), newer);
  assert.deepEqual(Object.keys(twice).sort(), ["fraga", "fraga~1", "fraga~2"]);
  assert.deepEqual(twice["fraga~2"].value, { note: "ändrad" });
});

test("merging leaves every other stored answer untouched", () => {
  const stored = { a: { question: "A", value: "a", edited: { "": 1 } }, b: { question: "B", value: "b", edited: { "": 2 } } };
  const out = mergeAnswers(stored, { c: { question: "C", value: "c", edited: { "": 3 } } });
  assert.deepEqual(out.a, stored.a);
  assert.deepEqual(out.b, stored.b);
  assert.equal(out.c.value, "c");
});

test("answers from a file keep both where they differ, under the first free KEY~N", () => {
  const current = { a: { value: "skrivet" }, b: { value: "samma" }, d: { value: "" } };
  const incoming = {
    a: { question: "A", value: "från filen" },
    b: { question: "B", value: "samma" },
    c: { question: "C", value: "ny" },
    d: { question: "D", value: "fylls i" },
    e: { question: "E", value: "" },
  };
  const { changes, beside } = keepBoth(current, incoming, { ...current, "a~1": {} });
  assert.deepEqual(Object.keys(changes).sort(), ["a~2", "c", "d"]);
  assert.equal(changes["a~2"].value, "från filen");
  assert.deepEqual(beside, ["a~2"]);
});

test("free keys", () => {
  assert.equal(freeKey("x", {}), "x~1");
  assert.equal(freeKey("x~1", { "x~1": 1, "x~2": 1 }), "x~3");
  assert.equal(freeKey("_mal", new Set(["_mal~1"])), "_mal~2");
});

test("storage: write, read back, a full storage refuses, records kept aside are listed", () => {
  const storage = new FakeStorage(2000);
  const answers = { a: { question: "A", value: "svar", edited: { "": 1 } } };
  writeRecord(storage, "forberedelse", { title: "Förbered", url: "http://x/" }, answers, new Date(5));
  const back = readRecord(storage, "forberedelse");
  assert.equal(back.state, "ok");
  assert.deepEqual(back.record.answers, answers);
  assert.equal(back.record.title, "Förbered");
  assert.throws(() => writeRecord(storage, "x", {}, { a: { question: "A", value: "x".repeat(3000), edited: {} } }), { name: "QuotaExceededError" });
  storage.setItem(`${PREFIX}trasig`, "{not json");
  keepAside(storage, "trasig", "{not json", new Date(0));
  const listed = listStored(storage);
  assert.deepEqual(listed.map((e) => [e.kind, e.id, e.state]), [
    ["record", "forberedelse", "ok"], ["record", "trasig", "damaged"], ["aside", "trasig", undefined],
  ]);
  assert.equal(listed[2].raw, "{not json");
  assert.equal(listed[2].key, `${ASIDE_PREFIX}trasig:1970-01-01T00:00:00.000Z`);
});
