import test from "node:test";
import assert from "node:assert/strict";
import { fill, translator } from "../../overrides/assets/javascripts/samtal/translate.js";

const t = translator({
  plain: "Svaren är tillbaka.",
  named: "Mål {n} är borttaget.",
  braces: "{{inte}} {n}",
  count: { one: "ett svar", other: "{count} svar" },
  only_other: { other: "{count} avstämningar" },
});

test("a text without placeholders is returned as it is", () => {
  assert.equal(t("plain"), "Svaren är tillbaka.");
});

test("placeholders are filled in, as Python's str.format does", () => {
  assert.equal(t("named", { n: 3 }), "Mål 3 är borttaget.");
  assert.equal(t("braces", { n: 1 }), "{inte} 1");
  assert.equal(fill("{a}{b}", { a: "<b>", b: 0 }), "<b>0");
});

test("plurals are picked by count", () => {
  assert.equal(t("count", { count: 1 }), "ett svar");
  assert.equal(t("count", { count: 0 }), "0 svar");
  assert.equal(t("count", { count: 7 }), "7 svar");
  assert.equal(t("only_other", { count: 1 }), "1 avstämningar");
});

test("a missing key or value throws, naming it", () => {
  assert.throws(() => t("nope"), /'nope' is missing/);
  assert.throws(() => t("named"), /\{n\}/);
});

test("a value is never read as a placeholder itself", () => {
  assert.equal(t("named", { n: "{count}" }), "Mål {count} är borttaget.");
});
