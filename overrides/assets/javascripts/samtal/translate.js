/*
 * Texts from data: the JavaScript mirror of the Python `Strings.t`
 * (hooks/samtal/strings.py). Pure: no DOM, no strings file of its own; `t.js`
 * binds it to the strings generated for the build.
 *
 *   const t = translator({"file.opened": {one: "1 svar", other: "{count} svar"}});
 *   t("file.opened", {count: 3})  // "3 svar"
 *
 * A text may hold placeholders written {name}; "{{" and "}}" stand for a
 * literal brace (as in Python's str.format). A text that depends on a number
 * is {one, other}, picked by `values.count`. A missing key or value throws,
 * so a forgotten string is found by the tests, not by a reader.
 */

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The text `template` with its placeholders filled in from `values`. */
export function fill(template, values = {}, key = "") {
  if (!template.includes("{") && !template.includes("}")) return template;
  return template.replace(PLACEHOLDER, (match, name) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      throw new Error(`strings: the text '${key}' has {${name}}, but no value is given for it`);
    }
    return String(values[name]);
  });
}

/** A function t(key, values) over `texts` (the `js` section of a strings file, flattened). */
export function translator(texts) {
  return function t(key, values = {}) {
    if (!Object.prototype.hasOwnProperty.call(texts, key)) {
      throw new Error(`strings: the text '${key}' is missing from the js section of the strings file`);
    }
    let text = texts[key];
    if (text !== null && typeof text === "object") {
      text = values.count === 1 && "one" in text ? text.one : text.other;
    }
    return fill(String(text), values, key);
  };
}
