"""Every question as its own search result, landing on its anchor on the questions page."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

from .files import write_atomic
from .markup import plain
from .model import Bank
from .strings import Strings

_TAG = re.compile(r"<[^>]*>")


def question_entries(bank: Bank, strings: Strings, questions_url: str) -> list[dict[str, Any]]:
    entries = []
    for q in bank.questions:
        phase, topic, audience = bank.phase(q.phase), bank.topic(q.topic), bank.audience(q.audience)
        details = strings.t("search.details", phase=plain(phase.title), topic=plain(topic.title), audience=plain(audience.title))
        text = " ".join(part for part in (plain(q.hint), details) if part)
        # Material shows titles and texts as HTML, like its own entries: escape them.
        entries.append({"location": f"{questions_url}#{q.id}", "title": escape(plain(q.text)), "text": escape(text)})
    return entries


def _says_nothing(doc: dict[str, Any], page_titles: dict[str, str]) -> bool:
    """A section entry Material's indexer made of a heading inside a part left out of search
    (the sheet's tools): no words, and no title of its own (the page's title stands in).
    A real heading followed by a subheading has its own title and stays findable."""
    location = str(doc.get("location", ""))
    if "#" not in location or _TAG.sub("", str(doc.get("text", ""))).strip():
        return False
    title = _TAG.sub("", str(doc.get("title", ""))).strip()
    return not title or title == page_titles.get(location.split("#", 1)[0])


def add_to_index(index_path: Path, entries: list[dict[str, Any]]) -> int:
    """Add the question entries to the finished search index, and drop the entries of
    sections that say nothing; returns how many question entries were added."""
    data = json.loads(index_path.read_text(encoding="utf-8"))
    locations = {e["location"] for e in entries}
    page_titles = {
        str(d.get("location", "")): _TAG.sub("", str(d.get("title", ""))).strip()
        for d in data["docs"]
        if "#" not in str(d.get("location", ""))
    }
    data["docs"] = [d for d in data["docs"] if d.get("location") not in locations and not _says_nothing(d, page_titles)] + entries
    write_atomic(index_path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return len(entries)
