"""Every question as its own search result, jumping to its anchor on ``/fragor/``."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from .bank import AUDIENCE_LABELS, Bank
from .paths import QUESTIONS_URL
from .templates import plain_text


def question_entries(bank: Bank) -> list[dict[str, Any]]:
    entries = []
    for q in bank.questions:
        phase, topic = bank.phase(q.phase), bank.topic(q.topic)
        details = f"{phase.title}, {topic.title.lower()}. För: {AUDIENCE_LABELS[q.audience].lower()}."
        text = " ".join(part for part in (plain_text(q.hint), details) if part)
        # Material shows titles and texts as HTML, like its own entries: escape them.
        entries.append(
            {
                "location": f"{QUESTIONS_URL}#{q.id}",
                "title": escape(plain_text(q.text), quote=False),
                "text": escape(text, quote=False),
            }
        )
    return entries


def add_to_index(index_path: Path, bank: Bank) -> int:
    """Add the question entries to Material's finished search index; returns how many."""
    data = json.loads(index_path.read_text(encoding="utf-8"))
    ours = question_entries(bank)
    locations = {e["location"] for e in ours}
    data["docs"] = [d for d in data["docs"] if d.get("location") not in locations] + ours
    index_path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(ours)
