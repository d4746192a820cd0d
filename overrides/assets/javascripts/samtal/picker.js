/*
 * The question picker on /fragor/: choose questions and get a link to a worksheet with
 * just them, in the order you want:  arbetsblad/eget/?fragor=id1,id2&titel=Namn
 * (not ?q=: Material opens its search for any ?q= and then drops it).
 *
 * Markup (rendered by the build, hidden until this module starts):
 * - picker.html, the root [data-samtal-picker="<url of the sheet made by a link>"] at the
 *   top of the page: filters (select[data-samtal-filter=phase|topic|for]), the filter
 *   count, the sheet's name (input[data-samtal-pick-title]) and a status region for
 *   what the screen reader should hear ([data-samtal-pick-status]);
 * - every question: .samtal-question[data-phase][data-topic][data-for] with
 *   input[data-samtal-pick][value=<id>] in a label[data-samtal-pick-label];
 * - picker-dock.html, the page's last element [data-samtal-pick-dock]: the bar that stays
 *   on screen while picking (position: sticky) with the count, "Visa valda" and "Kopiera
 *   länk" (a [data-samtal-copy] link, copied by the site's copy handler), and the list of
 *   chosen questions, where they are reordered (Upp/Ned) and removed.
 *
 * A chosen question is never hidden by a filter: it stays in the list, marked, and the
 * filter count says how many such questions are shown although they do not match.
 * What is chosen is kept in sessionStorage for this tab, so a reload or a visit to the
 * sheet and back keeps it. Every word comes from the js.picker section of the strings
 * file (through t.js).
 */
import { MAX_TITLE, linkTitle } from "./link.js";
import { t } from "./t.js";

const STORE = "samtal-picker:";

/** The address of the worksheet made of `ids`, in that order, named `title` (may be ""). */
function makeLink(base, ids, title) {
  const url = new URL(base, location.href);
  const params = new URLSearchParams();
  params.set("fragor", ids.join(","));
  const name = linkTitle(title);
  if (name) params.set("titel", name);
  // Keep the commas readable in the address; they are safe in a query.
  url.search = params.toString().replace(/%2C/g, ",");
  url.hash = "";
  return url.href;
}

/**
 * Start every picker in `root` (the document, or a [data-samtal-picker] element itself);
 * calling it again, after instant navigation, starts only the new ones.
 */
export function start(root = document) {
  const pickers = root.matches?.("[data-samtal-picker]") ? [root] : [...root.querySelectorAll("[data-samtal-picker]")];
  for (const picker of pickers) {
    if (picker.dataset.samtalReady) continue;
    const page = picker.closest("article") || document.body;
    const dock = page.querySelector("[data-samtal-pick-dock]");
    if (!dock) continue;
    picker.dataset.samtalReady = "yes";
    new Picker(picker, page, dock);
  }
}

class Picker {
  constructor(root, page, dock) {
    this.root = root;
    this.page = page;
    this.dock = dock;
    this.base = root.dataset.samtalPicker;
    this.key = STORE + location.pathname;
    this.chosen = [];
    this.open = false;

    const $ = (scope, selector) => scope.querySelector(selector);
    this.filters = [...root.querySelectorAll("select[data-samtal-filter]")];
    this.shown = $(root, "[data-samtal-filter-count]");
    this.title = $(root, "[data-samtal-pick-title]");
    this.status = $(root, "[data-samtal-pick-status]");
    this.count = $(dock, "[data-samtal-pick-count]");
    this.toggle = $(dock, "[data-samtal-pick-show]");
    this.copy = $(dock, "[data-samtal-pick-copy]");
    this.panel = $(dock, "[data-samtal-pick-chosen]");
    this.heading = $(dock, "[data-samtal-pick-heading]") || this.panel;
    this.empty = $(dock, "[data-samtal-pick-empty]");
    this.some = $(dock, "[data-samtal-pick-some]");
    this.list = $(dock, "[data-samtal-pick-list]");
    this.link = $(dock, "[data-samtal-pick-link]");
    this.openLink = $(dock, "[data-samtal-pick-open]");
    this.clear = $(dock, "[data-samtal-pick-clear]");

    // Every question with its box and text, in page order.
    this.questions = new Map();
    for (const box of page.querySelectorAll("input[data-samtal-pick]")) {
      const el = box.closest(".samtal-question");
      const text = el?.querySelector(".samtal-question__text")?.textContent.replace(/\s+/g, " ").trim() || box.value;
      this.questions.set(box.value, { id: box.value, box, el, text });
      box.closest("[data-samtal-pick-label]")?.removeAttribute("hidden");
    }
    this.groups = this.findGroups();

    this.restore();
    page.addEventListener("change", (event) => {
      const box = event.target.closest?.("input[data-samtal-pick]");
      if (box) this.tick(box);
    });
    this.filters.forEach((select) => select.addEventListener("change", () => this.applyFilters()));
    this.title.addEventListener("input", () => this.update());
    this.toggle.addEventListener("click", () => this.setOpen(!this.open));
    this.list.addEventListener("click", (event) => this.listAction(event));
    this.clear.addEventListener("click", () => this.clearAll());
    dock.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.open) {
        this.setOpen(false);
        this.toggle.focus();
      }
    });
    // The open list covers part of the screen: when focus moves on to the page behind
    // it, close it, so it never hides what has focus.
    dock.addEventListener("focusout", (event) => {
      if (this.open && event.relatedTarget && !dock.contains(event.relatedTarget)) this.setOpen(false);
    });

    root.hidden = false;
    this.applyFilters();
    this.update();
  }

  // ------------------------------------------------------------------ state

  restore() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(this.key) || "null");
    } catch (error) {
      saved = null;
    }
    if (saved && Array.isArray(saved.ids)) {
      this.chosen = saved.ids.filter((id) => typeof id === "string" && this.questions.has(id));
      if (typeof saved.title === "string") this.title.value = saved.title.slice(0, MAX_TITLE);
    } else {
      // No saved state: keep what the browser itself restored (back/forward).
      this.chosen = [...this.questions.values()].filter((q) => q.box.checked).map((q) => q.id);
    }
    for (const q of this.questions.values()) q.box.checked = this.chosen.includes(q.id);
  }

  save() {
    try {
      sessionStorage.setItem(this.key, JSON.stringify({ ids: this.chosen, title: this.title.value }));
    } catch (error) {
      // Storage off or full: the picker works for this visit.
    }
  }

  tick(box) {
    const index = this.chosen.indexOf(box.value);
    if (box.checked && index < 0) this.chosen.push(box.value);
    if (!box.checked && index >= 0) this.chosen.splice(index, 1);
    this.update();
    this.announce(this.countText());
  }

  // ------------------------------------------------------------------ what is shown

  countText() {
    return this.chosen.length ? t("picker.chosen", { count: this.chosen.length }) : t("picker.none");
  }

  update({ focus } = {}) {
    const n = this.chosen.length;
    const href = n ? makeLink(this.base, this.chosen, this.title.value) : "";
    this.count.textContent = this.countText();
    this.copy.hidden = !n;
    this.copy.setAttribute("href", href || this.base);
    this.openLink.setAttribute("href", href || this.base);
    this.link.value = href;
    this.empty.hidden = n > 0;
    this.some.hidden = n === 0;
    // The bar appears with the first choice and stays while its list is open.
    this.dock.hidden = n === 0 && !this.open;
    for (const q of this.questions.values()) q.el?.classList.toggle("samtal-question--chosen", this.chosen.includes(q.id));
    this.renderList(focus);
    this.save();
  }

  setOpen(open) {
    this.open = open;
    this.panel.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    this.toggle.textContent = open ? t("picker.hide") : t("picker.show");
    this.dock.classList.toggle("samtal-picker__dock--open", open);
    this.dock.hidden = this.chosen.length === 0 && !open;
  }

  renderList(focus) {
    const n = this.chosen.length;
    const items = this.chosen.map((id, index) => {
      const q = this.questions.get(id);
      const li = document.createElement("li");
      li.className = "samtal-picker__item";
      li.dataset.id = id;
      const text = document.createElement("span");
      text.className = "samtal-picker__text";
      text.textContent = q.text;
      const buttons = document.createElement("span");
      buttons.className = "samtal-picker__buttons";
      buttons.append(
        this.button("up", t("picker.up"), t("picker.up_label", { text: q.text }), index === 0),
        this.button("down", t("picker.down"), t("picker.down_label", { text: q.text }), index === n - 1),
        this.button("remove", t("picker.remove"), t("picker.remove_label", { text: q.text }), false),
      );
      li.append(text, buttons);
      return li;
    });
    this.list.replaceChildren(...items);
    if (focus) this.focusAfter(focus);
  }

  button(action, label, name, inactive) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `samtal-picker__action samtal-picker__action--${action}`;
    button.dataset.action = action;
    button.textContent = label;
    button.setAttribute("aria-label", name);
    // Not `disabled`: a disabled button drops the focus of someone who just moved
    // the question to the top with it.
    if (inactive) button.setAttribute("aria-disabled", "true");
    return button;
  }

  focusAfter({ id, action, index }) {
    const item = id && this.list.querySelector(`li[data-id="${CSS.escape(id)}"]`);
    if (item) {
      // The same button, even when it has nothing more to do (Up on the first question).
      item.querySelector(`[data-action="${action}"]`).focus();
      return;
    }
    // The question was removed: the next one's remove button, else the previous one's, else the heading.
    const items = this.list.children;
    const next = items[Math.min(index, items.length - 1)];
    if (next) next.querySelector('[data-action="remove"]').focus();
    else this.heading.focus();
  }

  applyFilters() {
    const wanted = this.filters.map((select) => [select.dataset.samtalFilter, select.value]);
    let matching = 0;
    let extra = 0;
    for (const q of this.questions.values()) {
      if (!q.el) continue;
      const match = wanted.every(([key, value]) => !value || q.el.dataset[key] === value);
      const show = match || this.chosen.includes(q.id);
      q.el.hidden = !show;
      if (match) matching += 1;
      else if (show) extra += 1;
    }
    // Headings of topics and phases with nothing left to show go too.
    for (const phase of this.groups) {
      let any = false;
      for (const topic of phase.topics) {
        const visible = topic.questions.some((el) => !el.hidden);
        topic.parts.forEach((el) => { el.hidden = !visible; });
        any = any || visible;
      }
      phase.parts.forEach((el) => { el.hidden = !any; });
    }
    const shown = t("picker.shown", { count: matching });
    this.shown.textContent = extra ? `${shown} ${t("picker.shown_chosen", { count: extra })}` : shown;
  }

  /**
   * The page's phases (h2#fas--<phase> and its summary) and topics (an h3 and the
   * .samtal-questions after it), for hiding those a filter leaves empty.
   */
  findGroups() {
    const phases = [];
    let phase = null;
    let heading = null;
    for (const el of this.page.children) {
      if (el.matches('h2[id^="fas--"]')) {
        phase = { parts: [el], topics: [] };
        phases.push(phase);
        heading = null;
      } else if (!phase) {
        continue;
      } else if (el.matches(".samtal-phase-summary")) {
        phase.parts.push(el);
      } else if (el.matches("h3")) {
        heading = el;
      } else if (el.matches(".samtal-questions")) {
        const questions = [...el.querySelectorAll(".samtal-question[data-phase]")];
        phase.topics.push({ parts: heading ? [heading, el] : [el], questions });
        heading = null;
      } else if (el.matches("h2")) {
        phase = null;
      }
    }
    return phases;
  }

  // ------------------------------------------------------------------ the chosen list

  listAction(event) {
    const button = event.target.closest("button[data-action]");
    if (!button || button.getAttribute("aria-disabled") === "true") return;
    const id = button.closest("li").dataset.id;
    const index = this.chosen.indexOf(id);
    if (index < 0) return;
    const q = this.questions.get(id);
    const action = button.dataset.action;
    if (action === "remove") {
      this.chosen.splice(index, 1);
      q.box.checked = false;
      this.update({ focus: { index } });
      this.applyFilters();
      this.announce(`${t("picker.removed", { text: q.text })} ${this.countText()}`);
      return;
    }
    const to = action === "up" ? index - 1 : index + 1;
    if (to < 0 || to >= this.chosen.length) return;
    [this.chosen[index], this.chosen[to]] = [this.chosen[to], this.chosen[index]];
    this.update({ focus: { id, action } });
    this.announce(t("picker.moved", { text: q.text, position: to + 1, count: this.chosen.length }));
  }

  clearAll() {
    for (const id of this.chosen) this.questions.get(id).box.checked = false;
    this.chosen = [];
    this.update();
    this.applyFilters();
    this.heading.focus();
    this.announce(t("picker.cleared"));
  }

  announce(text) {
    // Emptied first, so the same words twice are read twice.
    this.status.textContent = "";
    window.setTimeout(() => { this.status.textContent = text; }, 60);
  }
}
