"""Every field of every sheet, named by one function, for the web, the PDF and the exports.

:func:`field_name` is the only place a field's name is made. Answers are
stored by *key* (a question id, ``_<header-id>``, ``_mal`` for the goal table,
``<checklist-id>--<item-id>``), never by position; a structured answer has
*parts* (a compare column, the ``choice`` and ``note`` of a +text question, a
goal column). The web sheet's controls, the PDF's form fields and the map
between them that the browser uses to fill in a PDF
(:func:`pdf_field_map`) all come from :func:`sheet_controls`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from .markup import plain
from .model import Bank, Checklist, Goals, Question, SheetFacts, Worksheet

SEPARATOR = "--"  # cannot occur in an id, so a name never collides with another
CHOICE = "choice"  # the scale or yes/no part of a +text answer
NOTE = "note"  # the text part of a +text answer


def field_name(*parts: str | int) -> str:
    """The name of a field: its parts joined by ``--`` (``rollen-tydlig--min``, ``_mal--datum--2``)."""
    return SEPARATOR.join(str(part) for part in parts)


@dataclass(frozen=True, slots=True)
class Option:
    value: str  # what is stored ("3", "ja")
    label: str  # what is printed beside it ("3", "Ja")
    end: str = ""  # the scale's end word at the first and last step


@dataclass(frozen=True, slots=True)
class Control:
    """One control of a sheet: a text box, a line, a date or a group of choices."""

    name: str
    key: str
    part: str = ""
    kind: str = "text"  # text | line | date | choice | check
    label: str = ""  # a part's own label (a compare column, the follow-up question)
    options: tuple[Option, ...] = ()
    row: int = 0  # the goal table's row on paper (1-based)

    def boxes(self) -> tuple[Box, ...]:
        """The PDF check boxes of a choice: one per option (radio fields do not print alike in every reader)."""
        return tuple(Box(field_name(self.name, option.value), self, option) for option in self.options)


@dataclass(frozen=True, slots=True)
class Box:
    name: str
    control: Control
    option: Option


def question_controls(question: Question, layout: str, facts: SheetFacts, prefix: str = "") -> tuple[Control, ...]:
    """The controls of one question in a sheet of ``layout``; ``prefix`` namespaces them (the booklet)."""

    def name(*parts: str) -> str:
        return field_name(*([prefix] if prefix else []), question.id, *parts)

    kind = question.choice or question.answer
    if layout == "compare" and facts.compare:
        return tuple(_control(kind, name(col.id), question.id, col.id, col.label, facts=facts) for col in facts.compare.columns)
    if question.has_note:
        follow_up = question.follow_up or facts.follow_up
        return (
            _control(kind, name(CHOICE), question.id, CHOICE, "", facts=facts),
            Control(name(NOTE), question.id, NOTE, "text", follow_up),
        )
    return (_control(kind, name(), question.id, "", "", facts=facts),)


def _control(kind: str, name: str, key: str, part: str, label: str, *, facts: SheetFacts) -> Control:
    if kind in ("scale", "yesno"):
        return Control(name, key, part, "choice", label, _options(kind, facts))
    return Control(name, key, part, "line" if kind == "line" else "text", label)


def _options(kind: str, facts: SheetFacts) -> tuple[Option, ...]:
    if kind == "scale":
        assert facts.scale is not None, "the bank loader requires sheet.scale for scale questions"
        scale = facts.scale
        return tuple(
            Option(str(n), str(n), scale.low if n == 1 else scale.high if n == scale.steps else "") for n in scale.values
        )
    assert facts.yesno is not None, "the bank loader requires sheet.yesno for yes/no questions"
    return tuple(Option(value, label) for value, label in facts.yesno.choices)


def header_controls(facts: SheetFacts, prefix: str = "") -> tuple[Control, ...]:
    return tuple(
        Control(field_name(*([prefix] if prefix else []), h.key), h.key, "", "date" if h.kind == "date" else "line", h.label)
        for h in facts.header
    )


def checklist_controls(checklist: Checklist, prefix: str = "") -> tuple[Control, ...]:
    """One box per item; the key is ``<checklist>--<item>``, so it also names the item's anchor."""
    out = []
    for item in checklist.items:
        key = field_name(checklist.id, item.id)
        out.append(Control(field_name(*([prefix] if prefix else []), key), key, "", "check", item.text))
    return tuple(out)


def goal_controls(goals: Goals, prefix: str = "") -> tuple[tuple[Control, ...], ...]:
    """The goal table on paper: ``_mal--<column>--<row>`` for each of its rows."""
    return tuple(
        tuple(
            Control(
                field_name(*([prefix] if prefix else []), goals.KEY, col.id, row),
                goals.KEY,
                col.id,
                "date" if col.kind == "date" else "text",
                col.label,
                row=row,
            )
            for col in goals.columns
        )
        for row in range(1, goals.rows + 1)
    )


def sheet_controls(bank: Bank, sheet: Worksheet, prefix: str = "") -> Iterator[Control]:
    """Every control of a sheet, in the order the PDF and the web sheet show them."""
    yield from header_controls(bank.sheet, prefix)
    if sheet.layout == "plan" and bank.sheet.goals:
        for row in goal_controls(bank.sheet.goals, prefix):
            yield from row
    for question in sheet.questions:
        yield from question_controls(question, sheet.layout, bank.sheet, prefix)
    if sheet.checklist:
        yield from checklist_controls(sheet.checklist, prefix)


MAX_GOAL_ROWS = 24  # goals a filled PDF can hold: the rows on paper, then rows on added pages


def pdf_field_map(bank: Bank, sheet: Worksheet) -> dict[str, Any]:
    """How the browser fills the sheet's PDF from the saved answers, and reads one back
    (``assets/javascripts/samtal/pdf-fill.js``; published as ``pdf/<sheet>.fields.json``).

    ``fields``: PDF field name → the answer it holds: ``key``, ``part`` (a
    part of a structured answer), ``value`` (a box stands for that value),
    ``row`` (the goal table's row, 1-based), ``kind`` (``text``, ``box`` or
    ``check``) and ``date: true`` for a date written as text.
    ``labels``: answer key → the text the web sheet stores with an answer.
    ``tables``: the goal table: its title and columns, the rows on paper, and
    the names of the fields for more rows (``more``), which the browser adds
    on a page of their own when someone has more goals than the paper has rows.
    """
    fields: dict[str, dict[str, object]] = {}
    labels: dict[str, str] = {h.key: plain(h.label) for h in bank.sheet.header}
    for control in sheet_controls(bank, sheet):
        base: dict[str, object] = {"key": control.key}
        if control.part:
            base["part"] = control.part
        if control.row:
            base["row"] = control.row
        if control.kind == "choice":
            for box in control.boxes():
                fields[box.name] = {**base, "kind": "box", "value": box.option.value}
        else:
            fields[control.name] = {
                **base,
                "kind": "check" if control.kind == "check" else "text",
                **({"date": True} if control.kind == "date" else {}),
            }
    for question in sheet.questions:
        labels[question.id] = plain(question.text)
    if sheet.checklist:
        labels.update((c.key, plain(c.label)) for c in checklist_controls(sheet.checklist))
    tables: dict[str, object] = {}
    goals = bank.sheet.goals
    if sheet.layout == "plan" and goals:
        labels[goals.KEY] = plain(goals.title)
        more = goal_controls(replace(goals, rows=max(goals.rows, MAX_GOAL_ROWS)))[goals.rows :]
        tables[goals.KEY] = {
            "title": plain(goals.title),
            "columns": [{"id": col.id, "label": plain(col.label), "kind": col.kind} for col in goals.columns],
            "rows": goals.rows,
            "more": [[c.name for c in row] for row in more],
        }
    return {"format": 1, "sheet": sheet.id, "fields": fields, "labels": labels, "tables": tables}
