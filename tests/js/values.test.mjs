import test from "node:test";
import assert from "node:assert/strict";
import {
  changedPaths, fieldsOf, isEmpty, isValidValue, normaliseRows, sameValue, shapeOf,
} from "../../overrides/assets/javascripts/samtal/values.js";
import { splitRows } from "../../overrides/assets/javascripts/samtal/rows.js";

test("empty values", () => {
  for (const v of [undefined, null, false, "", "  \n", {}, { min: "", chef: false }, [], [{ id: "a", mal: " " }]]) {
    assert.equal(isEmpty(v), true, JSON.stringify(v));
  }
  for (const v of ["x", true, { note: "x" }, [{ id: "a", mal: "x" }]]) assert.equal(isEmpty(v), false);
});

test("shapes", () => {
  assert.equal(shapeOf("3"), "flat");
  assert.equal(shapeOf(true), "flat");
  assert.equal(shapeOf({ choice: "3", note: "" }), "parts");
  assert.equal(shapeOf([{ id: "r", mal: "x" }]), "rows");
  assert.equal(shapeOf(""), "none");
});

test("fields have paths: '' for a flat value, the part, row/column", () => {
  assert.deepEqual([...fieldsOf("x")], [["", "x"]]);
  assert.deepEqual([...fieldsOf({ choice: "4", note: "för att", other: "" })], [["choice", "4"], ["note", "för att"]]);
  assert.deepEqual([...fieldsOf([{ id: "r1", mal: "A", datum: "" }, { id: "r2", datum: "2031-01-01" }])],
    [["r1/mal", "A"], ["r2/datum", "2031-01-01"]]);
});

test("changed paths treat a missing field as empty", () => {
  assert.deepEqual(changedPaths({ min: "a" }, { min: "a", chef: "" }), []);
  assert.deepEqual(changedPaths({ min: "a" }, { min: "b", chef: "c" }).sort(), ["chef", "min"]);
  assert.deepEqual(changedPaths([{ id: "r", mal: "x" }], []), ["r/mal"]);
  assert.equal(sameValue(undefined, ""), true);
  assert.equal(sameValue(true, false), false);
});

test("only values this script could write are valid", () => {
  assert.equal(isValidValue("x"), true);
  assert.equal(isValidValue({ choice: "3", note: "x" }), true);
  assert.equal(isValidValue([{ id: "rad-1", mal: "x" }]), true);
  assert.equal(isValidValue({ a: [1] }), false);
  assert.equal(isValidValue({ "a/b": "x" }), false, "a part name with a path separator");
  assert.equal(isValidValue([{ mal: "x" }]), false, "a row without an id");
  assert.equal(isValidValue([{ id: "a/b", mal: "x" }]), false);
  assert.equal(isValidValue(3), false);
  assert.equal(isValidValue(null), false);
});

test("rows without a usable id get one, never a taken one", () => {
  const rows = normaliseRows([{ mal: "a" }, { id: "rad-1", mal: "b" }, { id: "x/y", mal: "c" }, { id: "rad-1", mal: "d" }, 5]);
  assert.deepEqual(rows.map((r) => r.id), ["rad-2", "rad-1", "rad-3", "rad-4"]);
  assert.equal(isValidValue(rows), true);
});

test("stored rows split into what the table shows and what it no longer has", () => {
  const [shown, left] = splitRows(["mal", "datum"], [
    { id: "r1", mal: "Excel", resurser: "En kurs" },
    { id: "r2", mal: "Möte", resurser: "" },
  ]);
  assert.deepEqual(shown, [{ id: "r1", mal: "Excel" }, { id: "r2", mal: "Möte" }]);
  assert.deepEqual(left, [{ id: "r1", resurser: "En kurs" }]);
});
