"""Readability (LIX) for Swedish text and Markdown pages.

LIX = words / sentences + 100 * long_words / words, where a long word has
more than six letters. Lower is easier; about 40 or below is plain prose.
"""

from __future__ import annotations

import re

# A word is a run of letters (any script, so å, ä, ö, é and ü count).
WORD_RE = re.compile(r"[^\W\d_]+")
# A sentence ends at one of these characters.
SENTENCE_END_RE = re.compile(r"[.!?:]")
LONG_WORD_LETTERS = 6

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_FENCE_RE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.DOTALL | re.MULTILINE)
_INLINE_CODE_RE = re.compile(r"`[^`\n]*`")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_LINK_RE = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_LINK_DEF_RE = re.compile(r"^[ \t]*\[[^\]]+\]:\s*\S.*$", re.MULTILINE)
_AUTOLINK_RE = re.compile(r"<(?:https?://|mailto:)[^>]*>")
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][^>]*>")
_ATTR_LIST_RE = re.compile(r"\{:?[^{}\n]*\}")
_ADMONITION_RE = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*[ \t]*(?:\"([^\"]*)\")?[ \t]*$")
_HEADING_RE = re.compile(r"^[ \t]*#{1,6}[ \t]+(.*?)[ \t#]*$")
_LIST_ITEM_RE = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(.*)$")
_QUOTE_RE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_TABLE_RULE_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_HR_RE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$")
_EMPHASIS_RE = re.compile(r"[*_~]+")


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def _sentence_count(text: str) -> int:
    """Count stretches of text that end at . ! ? or : and hold at least one word."""
    return sum(1 for part in SENTENCE_END_RE.split(text) if WORD_RE.search(part))


def lix(text: str) -> float:
    """Return the LIX value of plain text (0.0 for text without words)."""
    words = _words(text)
    if not words:
        return 0.0
    sentences = max(1, _sentence_count(text))
    long_words = sum(1 for word in words if len(word) > LONG_WORD_LETTERS)
    return len(words) / sentences + 100.0 * long_words / len(words)


def _close(unit: str) -> str:
    """Make a heading, list item, table cell or paragraph end a sentence."""
    unit = unit.strip()
    if not unit or not WORD_RE.search(unit):
        return ""
    if SENTENCE_END_RE.search(unit[-1]):
        return unit
    # Closing quotes or brackets after end punctuation still end the sentence.
    stripped = unit.rstrip("\"'”’)»]")
    if stripped and SENTENCE_END_RE.search(stripped[-1]):
        return unit
    return unit + "."


def _clean_inline(line: str) -> str:
    line = _INLINE_CODE_RE.sub(" ", line)
    line = _IMAGE_RE.sub(r"\1", line)
    line = _LINK_RE.sub(r"\1", line)
    line = _REF_LINK_RE.sub(r"\1", line)
    line = _AUTOLINK_RE.sub(" ", line)
    line = _HTML_TAG_RE.sub(" ", line)
    line = _ATTR_LIST_RE.sub(" ", line)
    return _EMPHASIS_RE.sub("", line)


def prose_from_markdown(md: str) -> str:
    """Return the readable prose of a Markdown page as plain text.

    Front matter, HTML comments (and so the generator markers), code, link
    targets and Markdown punctuation are removed. Each heading, list item,
    table cell and paragraph ends a sentence even without end punctuation.
    """
    text = md.replace("\r\n", "\n").replace("\r", "\n")
    text = _FRONT_MATTER_RE.sub("", text, count=1)
    text = _HTML_COMMENT_RE.sub("\n", text)
    text = _FENCE_RE.sub("\n", text)
    text = _LINK_DEF_RE.sub("", text)

    units: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            units.append(_close(" ".join(paragraph)))
            paragraph.clear()

    for raw in text.split("\n"):
        line = _QUOTE_RE.sub("", raw)
        if not line.strip() or _HR_RE.match(line) or _TABLE_RULE_RE.match(line):
            flush()
            continue
        admonition = _ADMONITION_RE.match(line)
        if admonition:
            flush()
            units.append(_close(_clean_inline(admonition.group(1) or "")))
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            flush()
            units.append(_close(_clean_inline(heading.group(1))))
            continue
        if "|" in line and line.strip().startswith("|"):
            flush()
            for cell in line.strip().strip("|").split("|"):
                units.append(_close(_clean_inline(cell)))
            continue
        item = _LIST_ITEM_RE.match(line)
        if item:
            flush()
            paragraph.append(_clean_inline(item.group(1)))
            continue
        paragraph.append(_clean_inline(line.strip()))
    flush()
    return "\n".join(unit for unit in units if unit)
