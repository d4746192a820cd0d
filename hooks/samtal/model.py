"""The guide's content as plain, immutable data: what every output module reads.

Made by :mod:`samtal.bank` (the only reader of the bank file) and never changed
afterwards. Texts are kept as written in the bank (inline Markdown); where a
text lands decides how it is escaped (see :mod:`samtal.markup`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ANSWER_KINDS = ("text", "line", "scale", "yesno", "scale+text", "yesno+text")
LAYOUTS = ("single", "compare", "plan")


@dataclass(frozen=True, slots=True)
class Audience:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Phase:
    """One of the talk's phases, in the order of the yearly cycle."""

    id: str
    title: str
    summary: str
    page: str  # the guide page (a source path in the docs folder) the phase lives on
    cue: str = ""  # where the reader is in the year, for the start page ("Samtalet är snart")


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Question:
    """A question. Its id is a public link target and a storage key: never reused."""

    id: str
    phase: str
    topic: str
    audience: str
    text: str
    hint: str
    answer: str  # one of ANSWER_KINDS
    follow_up: str = ""  # the label of the text box of a +text question ("" = the sheet's default)

    @property
    def choice(self) -> str:
        """The choice part of the answer: "scale", "yesno" or "" for text answers."""
        return self.answer.removesuffix("+text") if self.answer.startswith(("scale", "yesno")) else ""

    @property
    def has_note(self) -> bool:
        """A scale or yes/no answer with a text box under it."""
        return self.answer.endswith("+text")


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Checklist:
    id: str
    phase: str
    title: str
    intro: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True, slots=True)
class Worksheet:
    """A fillable sheet with its questions resolved, in the order they are shown."""

    id: str
    title: str
    intro: str
    phase: str | None
    layout: str  # one of LAYOUTS
    checklist: Checklist | None
    questions: tuple[Question, ...]
    from_set: bool = False


@dataclass(frozen=True, slots=True)
class QuestionSet:
    id: str
    title: str
    description: str
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Retired:
    """An id that was published once. Old links to it land on ``replaced_by``."""

    id: str
    replaced_by: str = ""


@dataclass(frozen=True, slots=True)
class CycleStep:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Cycle:
    title: str
    centre: str
    steps: tuple[CycleStep, ...]


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the goal table or of the "both views" layout. ``id`` is stored."""

    id: str
    label: str
    kind: str = "text"  # "text" or "date"


@dataclass(frozen=True, slots=True)
class HeaderField:
    """A field about the talk itself (name, manager, date). Stored as ``_<id>``."""

    id: str
    label: str
    kind: str = "line"  # "line" or "date"

    @property
    def key(self) -> str:
        return f"_{self.id}"


@dataclass(frozen=True, slots=True)
class Scale:
    steps: int
    low: str
    high: str

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(range(1, self.steps + 1))


@dataclass(frozen=True, slots=True)
class YesNo:
    yes: str
    no: str

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        """(stored value, label): the stored values never change with the language."""
        return (("ja", self.yes), ("nej", self.no))


@dataclass(frozen=True, slots=True)
class Goals:
    """The action plan's table."""

    title: str
    intro: str
    rows: int
    columns: tuple[Column, ...]

    KEY = "_mal"


@dataclass(frozen=True, slots=True)
class Compare:
    intro: str
    columns: tuple[Column, ...]


@dataclass(frozen=True, slots=True)
class SheetFacts:
    """What every sheet shares, web and PDF alike. Parts a bank does not use may be None."""

    header: tuple[HeaderField, ...] = ()
    scale: Scale | None = None
    yesno: YesNo | None = None
    follow_up: str = ""
    goals: Goals | None = None
    compare: Compare | None = None


def select(
    questions: Iterable[Question],
    phase: str | None = None,
    topics: Iterable[str] | None = None,
    audiences: Iterable[str] | None = None,
) -> list[Question]:
    """The questions matching every given filter, in their order (a worksheet's selector)."""
    topic_set = set(topics) if topics is not None else None
    audience_set = set(audiences) if audiences is not None else None
    return [
        q
        for q in questions
        if (phase is None or q.phase == phase)
        and (topic_set is None or q.topic in topic_set)
        and (audience_set is None or q.audience in audience_set)
    ]


@dataclass(frozen=True)
class Bank:
    """The validated bank (in one language), with the lookups every output module uses."""

    path: Path
    language: str
    audiences: tuple[Audience, ...]
    phases: tuple[Phase, ...]
    topics: tuple[Topic, ...]
    questions: tuple[Question, ...]
    checklists: tuple[Checklist, ...]
    worksheets: tuple[Worksheet, ...]
    set_sheets: tuple[Worksheet, ...]
    sets: tuple[QuestionSet, ...]
    retired: tuple[Retired, ...]
    sheet: SheetFacts
    cycle: Cycle | None
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update((q.id, q) for q in self.questions)

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._by_id

    def audience(self, audience_id: str) -> Audience:
        return next(a for a in self.audiences if a.id == audience_id)

    def phase(self, phase_id: str) -> Phase:
        return next(p for p in self.phases if p.id == phase_id)

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    def checklist(self, checklist_id: str) -> Checklist:
        return next(c for c in self.checklists if c.id == checklist_id)

    @property
    def sheets(self) -> tuple[Worksheet, ...]:
        """Every fillable sheet: the worksheets, then one per ready-made set."""
        return self.worksheets + self.set_sheets

    def worksheet(self, worksheet_id: str) -> Worksheet:
        return next(w for w in self.sheets if w.id == worksheet_id)

    def select(
        self,
        phase: str | None = None,
        topics: Iterable[str] | None = None,
        audiences: Iterable[str] | None = None,
    ) -> list[Question]:
        """Questions matching every given filter, in bank order."""
        return select(self.questions, phase, topics, audiences)

    def grouped(self, questions: Iterable[Question]) -> list[tuple[Phase, list[tuple[Topic, list[Question]]]]]:
        """Questions grouped by phase, then topic, both in bank order."""
        chosen = list(questions)
        groups = []
        for phase in self.phases:
            in_phase = [q for q in chosen if q.phase == phase.id]
            topics = [(topic, [q for q in in_phase if q.topic == topic.id]) for topic in self.topics]
            topics = [(t, qs) for t, qs in topics if qs]
            if topics:
                groups.append((phase, topics))
        return groups
