// TEMPORARY (branch ux): starts picker.js and offline.js until the js helper's main.js
// imports and starts them. Delete this file and its extra_javascript entry then.
import { start as startPicker } from "./picker.js";
import { start as startOffline } from "./offline.js";

function startPage() {
  startOffline();
  document.querySelectorAll("[data-samtal-picker]").forEach(startPicker);
}

if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(startPage);
else startPage();
