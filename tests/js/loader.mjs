// Node treats a .js file as CommonJS unless a package.json says otherwise; the
// site's modules are plain ES modules served as they are (no build step), so
// this loader tells Node to read them as modules. Used by tests/test_js_units.py:
//   node --experimental-loader ./tests/js/loader.mjs --test tests/js/
export async function load(url, context, next) {
  if (url.startsWith("file:") && url.includes("/assets/javascripts/samtal/") && url.endsWith(".js")) {
    return next(url, { ...context, format: "module" });
  }
  return next(url, context);
}
