/*
 * Text fields in print: each gets a mirror that prints in full (a textarea
 * prints only what fits in its box); an empty one prints as writing lines.
 * Where the browser cannot size a textarea to its content (`field-sizing`),
 * the textarea grows as the person types.
 */

const TEXT_CONTROLS = "textarea, input[type=text], input[type=date]";
const canGrow = () => Boolean(globalThis.CSS && CSS.supports && CSS.supports("field-sizing", "content"));

export function prepareControl(el) {
  if (el.samtalMirror) return;
  const mirror = document.createElement("div");
  mirror.className = `samtal-print samtal-print--${el.tagName === "TEXTAREA" ? "text" : "line"}`;
  mirror.setAttribute("aria-hidden", "true");
  el.after(mirror);
  el.samtalMirror = mirror;
  syncControl(el);
}

export function syncControl(el) {
  if (el.samtalMirror) el.samtalMirror.textContent = el.value.trim() ? el.value : "";
  if (el.tagName === "TEXTAREA" && !canGrow()) {
    el.style.height = "auto";
    if (el.scrollHeight) el.style.height = `${el.scrollHeight + 2}px`;
  }
}

export function prepareAll(root) {
  root.querySelectorAll(TEXT_CONTROLS).forEach(prepareControl);
}

export function syncAll(root) {
  root.querySelectorAll(TEXT_CONTROLS).forEach(syncControl);
}
