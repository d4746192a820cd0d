/*
 * The question picker on /fragor/ (markup: overrides/samtal/picker.html):
 * filter the questions, tick the ones you want, name the sheet, and get a
 * link to a worksheet made of them (custom-sheet.js reads it).
 *
 * Interface for main.js: start(root) sets up every picker in `root` once.
 * (The site-in-people's-hands work rewrites this module with the same
 * interface: a bar that stays on screen, the chosen list to reorder.)
 */
import { t } from "./t.js";

function makeLink(base, ids, title) {
  const url = new URL(base, location.href);
  const params = new URLSearchParams();
  params.set("fragor", ids.join(","));
  if (title.trim()) params.set("titel", title.trim().slice(0, 120));
  // Keep the commas readable in the address; they are safe in a query.
  url.search = params.toString().replace(/%2C/g, ",");
  return url.href;
}

function setUp(picker) {
  picker.dataset.samtalReady = "yes";
  const chosen = [];
  const one = (selector) => picker.querySelector(selector);
  const boxes = () => [...document.querySelectorAll("input[data-samtal-pick]")];
  const filters = [...picker.querySelectorAll("select[data-samtal-filter]")];
  const title = one("[data-samtal-pick-title]");
  const base = picker.dataset.samtalPicker;
  const panel = one("[data-samtal-pick-chosen]");
  const show = one("[data-samtal-pick-show]");

  function update() {
    const href = chosen.length ? makeLink(base, chosen, title.value) : "";
    one("[data-samtal-pick-link]").value = href;
    one("[data-samtal-pick-count]").textContent = t("picker.chosen", { count: chosen.length });
    for (const name of ["open", "copy"]) {
      const link = one(`[data-samtal-pick-${name}]`);
      link.hidden = !chosen.length;
      link.setAttribute("href", href || base);
    }
    const list = one("[data-samtal-pick-list]");
    list.replaceChildren(...chosen.map((id) => {
      const li = document.createElement("li");
      const question = document.getElementById(id);
      const text = question && question.querySelector(".samtal-question__text");
      li.textContent = text ? text.textContent.trim() : id;
      return li;
    }));
  }

  function applyFilters() {
    const wanted = Object.fromEntries(filters.map((select) => [select.dataset.samtalFilter, select.value]));
    let visible = 0;
    for (const q of document.querySelectorAll(".samtal-question[data-phase]")) {
      const match = Object.entries(wanted).every(([key, value]) => !value || q.dataset[key] === value);
      q.hidden = !match;
      if (match) visible += 1;
    }
    // A topic whose questions are all filtered away goes, with its heading.
    for (const list of document.querySelectorAll(".samtal-questions")) {
      const empty = !list.querySelector(".samtal-question:not([hidden])");
      list.hidden = empty;
      const heading = list.previousElementSibling;
      if (heading && heading.tagName === "H3") heading.hidden = empty;
    }
    one("[data-samtal-filter-count]").textContent = t("picker.shown", { count: visible });
  }

  // Listen on the page's article: it is replaced on instant navigation, and the listener with it.
  const scope = picker.closest("article") || document.body;
  scope.addEventListener("change", (event) => {
    const box = event.target.closest && event.target.closest("input[data-samtal-pick]");
    if (!box) return;
    const index = chosen.indexOf(box.value);
    if (box.checked && index < 0) chosen.push(box.value);
    if (!box.checked && index >= 0) chosen.splice(index, 1);
    update();
  });
  filters.forEach((select) => select.addEventListener("change", applyFilters));
  title.addEventListener("input", update);
  show.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    show.setAttribute("aria-expanded", String(!panel.hidden));
  });
  one("[data-samtal-pick-clear]").addEventListener("click", () => {
    chosen.length = 0;
    boxes().forEach((box) => { box.checked = false; });
    update();
  });
  boxes().forEach((box) => {
    box.closest("[data-samtal-pick-label]").hidden = false;
    if (box.checked && !chosen.includes(box.value)) chosen.push(box.value);
  });
  picker.hidden = false;
  applyFilters();
  update();
}

export function start(root = document) {
  for (const picker of root.querySelectorAll("[data-samtal-picker]")) {
    if (!picker.dataset.samtalReady) setUp(picker);
  }
}
