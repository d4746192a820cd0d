/*
 * Samtalsguiden in the browser: the entry module (mkdocs.yml
 * extra_javascript, type: module). No build step: every file in this folder
 * is an ES module served as it is; strings.js is made by the build from the
 * strings file.
 *
 * Each component exports start(root), which sets up what it finds in `root`
 * once (calling it again is harmless). They run on every page: at load, and
 * after each instant navigation of Material (its `document$`).
 *
 *   copy.js          "Kopiera länk" on every page, and copyText()
 *   sheet.js         every worksheet (tools.js: its buttons)
 *   custom-sheet.js  the worksheet made by a link (/arbetsblad/eget/?fragor=…)
 *   orphans.js       answers of sheets no longer in the guide (/arbetsblad/)
 *   picker.js        choosing questions for a link (/fragor/)
 * pdf-fill.js is loaded by tools.js only when a PDF button is pressed.
 * offline.js (the offline worker and the offline notice) is started once, like
 * copy.js; it follows instant navigation itself.
 */
import { start as startCopy } from "./copy.js";
import { start as startSheets } from "./sheet.js";
import { start as startCustomSheet } from "./custom-sheet.js";
import { start as startOrphans } from "./orphans.js";
import { start as startPicker } from "./picker.js";
import { start as startOffline } from "./offline.js";

const components = [startSheets, startCustomSheet, startOrphans, startPicker];

function startPage() {
  for (const start of components) {
    try {
      start(document);
    } catch (error) {
      // One component failing must not keep the others from starting.
      console.error(error);
    }
  }
}

startCopy();
startOffline();
// "Skriv ut" buttons (worksheets, handouts): the browser's own print dialog.
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-samtal-print]")) window.print();
});

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(startPage);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startPage);
} else {
  startPage();
}
