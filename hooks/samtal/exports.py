"""The bank as open data: ``/fragor.json`` and ``/fragor.csv``.

The worksheet made by a link (``/arbetsblad/eget/``) reads ``fragor.json``
too: it is where the browser learns the questions' texts and answer kinds.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .bank import Bank
from .templates import plain_text

LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.sv",
}
FORMAT_VERSION = 1
CSV_COLUMNS = ("id", "phase", "topic", "for", "text", "hint", "answer")


def bank_data(bank: Bank, *, publisher: str, version: str) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "version": version,
        "language": bank.lang,
        "publisher": publisher,
        "licence": LICENCE,
        "phases": [{"id": p.id, "title": p.title} for p in bank.phases],
        "topics": [{"id": t.id, "title": t.title} for t in bank.topics],
        "questions": [
            {
                "id": q.id,
                "phase": q.phase,
                "topic": q.topic,
                "for": q.audience,
                "text": plain_text(q.text),
                "hint": plain_text(q.hint),
                "answer": q.answer,
            }
            for q in bank.questions
        ],
        "checklists": [
            {"id": c.id, "phase": c.phase, "title": c.title, "items": [{"id": i.id, "text": plain_text(i.text)} for i in c.items]}
            for c in bank.checklists
        ],
        "worksheets": [
            {"id": w.id, "title": w.title, "phase": w.phase, "layout": w.layout, "questions": [q.id for q in w.questions]}
            for w in bank.worksheets
        ],
        "sets": [
            {"id": s.id, "title": s.title, "description": s.description, "questions": list(s.questions)}
            for s in bank.sets
        ],
    }


def bank_json(bank: Bank, *, publisher: str, version: str) -> str:
    return json.dumps(bank_data(bank, publisher=publisher, version=version), ensure_ascii=False, indent=1) + "\n"


def bank_csv(bank: Bank) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for q in bank.questions:
        writer.writerow([q.id, q.phase, q.topic, q.audience, plain_text(q.text), plain_text(q.hint), q.answer])
    # A UTF-8 byte order mark, so spreadsheet programs show å, ä and ö right.
    return "\ufeff" + out.getvalue()
