/*
 * Files in and out: downloads made in the browser (nothing is sent
 * anywhere), and reading a file the person chose.
 */
import { fileData } from "./export.js";
import { t } from "./t.js";

/** Download `content` (text or a Blob) as a file named `name`. */
export function download(name, type, content) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  // Keep Material's instant navigation away from this click.
  a.addEventListener("click", (event) => event.stopPropagation());
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/** The file chosen in `input` (and the input emptied, so the same file can be chosen again). */
export function takeFile(input) {
  const file = input.files && input.files[0];
  input.value = "";
  return file || null;
}

/** Today as yyyy-mm-dd in the person's own time zone (for file names). */
export function today(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Download answers ({KEY: {question, value}}) as the guide's answers file (export.js fileData). */
export function downloadAnswers({ id, title, url, answers }) {
  const data = fileData({ id, title, url, answers });
  download(t("files.answers", { id, date: today() }), "application/json", `${JSON.stringify(data, null, 2)}\n`);
}
