"""The fixed fields of every worksheet, declared once for the web and the PDF.

The online worksheet (``overrides/samtal/worksheet*.html``, read by
``worksheet.js``) and the PDF (``pdf.py`` and ``overrides/samtal/pdf/``) both
take their header fields, the goal table's columns, the three columns of the
"both views" sheet, the ends of the 1–5 scale and the yes/no choices from
:data:`FIELDS`. Names here are stored: the web saves answers under them in
the browser and a PDF reader exports its fields under them, so an answer
exported from either carries the same name. Never rename one that people may
have saved answers under (``_medarbetare``, ``_chef``, ``_datum``, the goal
columns and the compare parts).

All wording speaks to the person filling in the sheet as "du".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["text", "date"]


@dataclass(frozen=True)
class HeaderField:
    """A field about the talk itself. The name starts with "_", which a question id cannot."""

    name: str
    label: str
    kind: Literal["line", "date"] = "line"


@dataclass(frozen=True)
class Column:
    """A column of the goal table or of the "both views" sheet."""

    key: str
    label: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class Choice:
    """One option of a yes/no answer: the stored value and the text shown."""

    value: str
    label: str


@dataclass(frozen=True)
class Scale:
    """The 1–N scale: its steps and the words at each end."""

    steps: int
    low: str
    high: str

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(range(1, self.steps + 1))

    def show(self, value: int) -> str:
        """How one step reads in a text export or to a screen reader: "3 av 5"."""
        return f"{value} av {self.steps}"


@dataclass(frozen=True)
class SheetFields:
    header: tuple[HeaderField, ...]
    goal_key: str  # the goal table's answer key on the web sheet
    goal_title: str
    goal_columns: tuple[Column, ...]
    compare_columns: tuple[Column, ...]
    scale: Scale
    yes_no: tuple[Choice, Choice]


FIELDS = SheetFields(
    header=(
        HeaderField("_medarbetare", "Ditt namn"),
        HeaderField("_chef", "Din chef"),
        HeaderField("_datum", "Datum för samtalet", "date"),
    ),
    goal_key="_mal",
    goal_title="Mål och avstämningar",
    goal_columns=(
        Column("mal", "Mål"),
        Column("aktiviteter", "Vad ska du göra?"),
        Column("stod", "Stöd du behöver"),
        Column("klart", "Klart när"),
        Column("datum", "Datum för avstämning", "date"),
    ),
    compare_columns=(
        Column("min", "Din syn"),
        Column("chef", "Chefens syn"),
        Column("overens", "Det ni kom överens om"),
    ),
    scale=Scale(steps=5, low="Stämmer inte alls", high="Stämmer helt"),
    yes_no=(Choice("ja", "Ja"), Choice("nej", "Nej")),
)
