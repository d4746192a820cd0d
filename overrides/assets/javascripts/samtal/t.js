/*
 * The words of this build: `t(key, values)` over the `js` section of the
 * strings file (assets/javascripts/samtal/strings.js, generated every build
 * from overrides/samtal/strings/<lang>.yml), and dates in the page's language.
 */
import strings from "./strings.js";
import { translator } from "./translate.js";

export const t = translator(strings.texts);

/** The page's language (<html lang>), for Intl; the strings file's as a fallback. */
export function pageLanguage() {
  return document.documentElement.lang || strings.language;
}

/** "Senast sparat i dag kl. 14.05." or "… 3 mars 2031 kl. 14.05.", in the page's language. */
export function savedLabel(date, now = new Date()) {
  const lang = pageLanguage();
  const time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" }).format(date);
  if (date.toDateString() === now.toDateString()) return t("saved.today", { time });
  return t("saved.earlier", { time, date: longDate(date) });
}

/** A date written out ("3 mars 2031"), in the page's language. */
export function longDate(date) {
  return new Intl.DateTimeFormat(pageLanguage(), { day: "numeric", month: "long", year: "numeric" }).format(date);
}
