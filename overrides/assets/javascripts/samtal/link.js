/*
 * The rule for a worksheet title carried in a link (?titel=…): what the picker
 * writes into a link and what the link-made sheet reads back are the same.
 */

export const MAX_TITLE = 120;

/** The title as a link carries it: white space folded, at most MAX_TITLE characters. */
export function linkTitle(raw) {
  return String(raw || "").replace(/\s+/g, " ").trim().slice(0, MAX_TITLE);
}
