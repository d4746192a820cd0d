"""The bank as open data: ``/fragor.json`` and ``/fragor.csv``.

The worksheet made by a link (``/arbetsblad/eget/``) reads ``fragor.json``
too: it is where the browser learns the questions' texts and answer kinds.
Texts are exported as plain text (the markup removed); the CSV neutralises
cells a spreadsheet would run as a formula (OWASP's advice).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .markup import plain
from .model import Bank

LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
FORMAT_VERSION = 2
CSV_COLUMNS = ("id", "phase", "topic", "for", "text", "hint", "answer", "follow_up")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def bank_data(bank: Bank, *, publisher: str, version: str, language: str) -> dict[str, Any]:
    follow_up = plain(bank.sheet.follow_up)
    return {
        "format": FORMAT_VERSION,
        "version": version,
        "language": language,
        "publisher": publisher,
        "licence": LICENCE,
        "audiences": [{"id": a.id, "title": plain(a.title)} for a in bank.audiences],
        "phases": [{"id": p.id, "title": plain(p.title)} for p in bank.phases],
        "topics": [{"id": t.id, "title": plain(t.title)} for t in bank.topics],
        "questions": [
            {
                "id": q.id,
                "phase": q.phase,
                "topic": q.topic,
                "for": q.audience,
                "text": plain(q.text),
                "hint": plain(q.hint),
                "answer": q.answer,
                **({"follow_up": plain(q.follow_up) or follow_up} if q.has_note else {}),
            }
            for q in bank.questions
        ],
        "retired": [{"id": r.id, "replaced_by": r.replaced_by or None} for r in bank.retired],
        "checklists": [
            {
                "id": c.id,
                "phase": c.phase,
                "title": plain(c.title),
                "items": [{"id": i.id, "text": plain(i.text)} for i in c.items],
            }
            for c in bank.checklists
        ],
        "worksheets": [
            {"id": w.id, "title": plain(w.title), "phase": w.phase, "layout": w.layout, "questions": [q.id for q in w.questions]}
            for w in bank.worksheets
        ],
        "sets": [
            {"id": s.id, "title": plain(s.title), "description": plain(s.description), "questions": list(s.questions)}
            for s in bank.sets
        ],
    }


def bank_json(bank: Bank, *, publisher: str, version: str, language: str) -> str:
    data = bank_data(bank, publisher=publisher, version=version, language=language)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def csv_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula gets a ' in front."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def bank_csv(bank: Bank) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for q in bank.questions:
        follow_up = plain(q.follow_up or bank.sheet.follow_up) if q.has_note else ""
        row = [q.id, q.phase, q.topic, q.audience, plain(q.text), plain(q.hint), q.answer, follow_up]
        writer.writerow([csv_cell(cell) for cell in row])
    # A UTF-8 byte order mark, so spreadsheet programs show å, ä and ö right.
    return "\ufeff" + out.getvalue()
