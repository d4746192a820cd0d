"""The bank file's schema, declared once as pydantic models.

The same declaration validates ``questions.yaml`` (with exact error locations,
see :mod:`samtal.bank`) and produces ``questions.schema.json`` for editors.
Imported only when a bank has to be validated: an unchanged bank is read from
the build cache without it.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
AnswerKind = Literal["text", "line", "scale", "yesno", "scale+text", "yesno+text"]
Layout = Literal["single", "compare", "plan"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AudienceSpec(_Model):
    id: Id
    title: Text


class PhaseSpec(_Model):
    """One of the talk's phases, in the order of the yearly cycle."""

    id: Id
    title: Text
    summary: str = ""
    page: str | None = Field(None, description="The guide page the phase lives on (default: <id>.md).")
    cue: str = Field("", description="Where the reader is in the year, as a choice on the start page.")


class TopicSpec(_Model):
    id: Id
    title: Text


class QuestionSpec(_Model):
    """A question. Its id is a public link target: never reuse or rename one."""

    id: Id = Field(description="Stable link target: a-z, 0-9 and '-'. Never reuse an id.")
    phase: Id
    topic: Id
    audience: Id = Field(alias="for", description="Who answers: an id from audiences.")
    text: Text = Field(description="The question, plain text or inline Markdown.")
    hint: str = Field("", description="Short guidance shown under the question.")
    answer: AnswerKind = Field(
        "text",
        description="text (several lines), line (one line), scale (1-N), yesno, or scale+text / yesno+text "
        "(a scale or yes/no with a text box under it).",
    )
    follow_up: str = Field("", description="Label of the text box of a scale+text or yesno+text question.")


class ChecklistItemSpec(_Model):
    id: Id
    text: Text


class ChecklistSpec(_Model):
    id: Id
    phase: Id
    title: Text
    intro: str = ""
    items: Annotated[list[ChecklistItemSpec], Field(min_length=1)]


class Selector(_Model):
    """Picks questions by phase, topic and audience, in bank order."""

    phase: Id | None = None
    topic: list[Id] | None = None
    audience: list[Id] | None = Field(None, alias="for")


def _selector_kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "selector"


QuestionRefs = Annotated[
    Annotated[list[Id], Tag("list")] | Annotated[Selector, Tag("selector")],
    Discriminator(_selector_kind),
]


class WorksheetSpec(_Model):
    id: Id
    title: Text
    intro: str = ""
    phase: Id | None = None
    layout: Layout = "single"
    checklist: Id | None = None
    questions: QuestionRefs


class SetSpec(_Model):
    id: Id
    title: Text
    description: str = ""
    questions: Annotated[list[Id], Field(min_length=1)]


class RetiredSpec(_Model):
    id: Id
    replaced_by: Id | None = None


class CycleStepSpec(_Model):
    id: Id
    title: Text


class CycleSpec(_Model):
    title: Text
    centre: str = ""
    steps: list[CycleStepSpec] = []


class HeaderFieldSpec(_Model):
    id: Id
    label: Text
    kind: Literal["line", "date"] = "line"


class ColumnSpec(_Model):
    id: Id
    label: Text
    kind: Literal["text", "date"] = "text"


class ScaleSpec(_Model):
    steps: Annotated[int, Field(ge=2, le=10)] = 5
    low: Text
    high: Text


class YesNoSpec(_Model):
    # Not "yes:"/"no:": YAML reads those words as true and false.
    yes_label: Text
    no_label: Text


class GoalsSpec(_Model):
    title: Text
    intro: str = ""
    rows: Annotated[int, Field(ge=1, le=12)] = 4
    columns: Annotated[list[ColumnSpec], Field(min_length=1)]


class CompareSpec(_Model):
    intro: str = ""
    columns: Annotated[list[ColumnSpec], Field(min_length=2)]


class SheetSpec(_Model):
    header: list[HeaderFieldSpec] = []
    scale: ScaleSpec | None = None
    yesno: YesNoSpec | None = None
    follow_up: str = ""
    goals: GoalsSpec | None = None
    compare: CompareSpec | None = None


class BankFile(_Model):
    """The whole of ``questions.yaml``."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        json_schema_extra={"title": "Samtalsguiden question bank"},
    )

    audiences: Annotated[list[AudienceSpec], Field(min_length=1)]
    phases: Annotated[list[PhaseSpec], Field(min_length=1)]
    topics: Annotated[list[TopicSpec], Field(min_length=1)]
    questions: Annotated[list[QuestionSpec], Field(min_length=1)]
    checklists: list[ChecklistSpec] = []
    worksheets: list[WorksheetSpec] = []
    sets: list[SetSpec] = []
    retired: list[RetiredSpec] = []
    sheet: SheetSpec = SheetSpec()
    cycle: CycleSpec | None = None


def schema_json() -> str:
    """The JSON Schema of the bank file, for editors' completion."""
    schema = BankFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
