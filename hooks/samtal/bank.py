"""The question bank: the only reader of ``questions.yaml``.

The schema is declared once, as pydantic models. The same declaration validates
the file and produces ``questions.schema.json`` for editors. Every problem is
reported with file, line, column and (where there is one) the question id, and
all problems of one file are reported together.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Iterable, Literal, Union

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
)

from .paths import BOOKLET_ID

__all__ = [
    "AnswerKind",
    "Audience",
    "Bank",
    "BankError",
    "Checklist",
    "Phase",
    "Problem",
    "Question",
    "QuestionSet",
    "Topic",
    "Worksheet",
    "load_bank",
    "parse_bank",
    "schema_json",
]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# Pages and PDFs the generator makes itself: /arbetsblad/eget/, /arbetsblad/,
# /pdf/hela-samtalet.pdf and the handouts /pdf/utdelning-*.pdf.
RESERVED_IDS = frozenset({"eget", "index", BOOKLET_ID})
RESERVED_PREFIX = "utdelning-"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Audience = Literal["medarbetare", "chef", "bada"]
AnswerKind = Literal["text", "line", "scale", "yesno"]
Layout = Literal["single", "compare", "plan"]

AUDIENCE_LABELS: dict[str, str] = {
    "medarbetare": "Medarbetare",
    "chef": "Chef",
    "bada": "Båda",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Phase(_Model):
    """One of the talk's phases, in the order of the yearly cycle."""

    id: Id
    title: Text
    summary: str = ""


class Topic(_Model):
    id: Id
    title: Text


class Question(_Model):
    """A question. Its id is a public link target: never reuse or rename one."""

    id: Id = Field(description="Stable link target: a-z, 0-9 and '-'. Never reuse an id.")
    phase: Id
    topic: Id
    audience: Audience = Field(alias="for", description="Who answers: medarbetare, chef or bada.")
    text: Text = Field(description="The question, plain text or inline Markdown.")
    hint: str = Field("", description="Short guidance shown under the question.")
    answer: AnswerKind = Field(
        "text", description="text (several lines), line (one line), scale (1-5) or yesno."
    )


class ChecklistItem(_Model):
    id: Id
    text: Text


class Checklist(_Model):
    id: Id
    phase: Id
    title: Text
    intro: str = ""
    items: Annotated[list[ChecklistItem], Field(min_length=1)]


class Selector(_Model):
    """Picks questions by phase, topic and audience, in bank order."""

    phase: Id | None = None
    topic: list[Id] | None = None
    audience: list[Audience] | None = Field(None, alias="for")


def _selector_kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "selector"


QuestionRefs = Annotated[
    Union[Annotated[list[Id], Tag("list")], Annotated[Selector, Tag("selector")]],
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


class QuestionSet(_Model):
    id: Id
    title: Text
    description: str = ""
    questions: Annotated[list[Id], Field(min_length=1)]


class BankFile(_Model):
    """The whole of ``questions.yaml``."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        json_schema_extra={"title": "Samtalsguiden question bank"},
    )

    phases: Annotated[list[Phase], Field(min_length=1)]
    topics: Annotated[list[Topic], Field(min_length=1)]
    questions: Annotated[list[Question], Field(min_length=1)]
    checklists: list[Checklist] = []
    worksheets: list[WorksheetSpec] = []
    sets: list[QuestionSet] = []


@dataclass(frozen=True)
class Worksheet:
    """A worksheet with its questions resolved, in the order they are shown."""

    id: str
    title: str
    intro: str
    phase: str | None
    layout: str
    checklist: Checklist | None
    questions: tuple[Question, ...]
    from_set: bool = False


@dataclass(frozen=True)
class Bank:
    """The validated bank, with lookups every output module uses."""

    path: Path
    source: BankFile
    lang: str = "sv"
    worksheets: tuple[Worksheet, ...] = ()
    set_sheets: tuple[Worksheet, ...] = ()
    _questions: dict[str, Question] = field(default_factory=dict, repr=False)

    @property
    def phases(self) -> list[Phase]:
        return self.source.phases

    @property
    def topics(self) -> list[Topic]:
        return self.source.topics

    @property
    def questions(self) -> list[Question]:
        return self.source.questions

    @property
    def checklists(self) -> list[Checklist]:
        return self.source.checklists

    @property
    def sets(self) -> list[QuestionSet]:
        return self.source.sets

    def question(self, question_id: str) -> Question:
        return self._questions[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._questions

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
        topic_set = set(topics) if topics is not None else None
        audience_set = set(audiences) if audiences is not None else None
        return [
            q
            for q in self.questions
            if (phase is None or q.phase == phase)
            and (topic_set is None or q.topic in topic_set)
            and (audience_set is None or q.audience in audience_set)
        ]

    def grouped(self, questions: Iterable[Question]) -> list[tuple[Phase, list[tuple[Topic, list[Question]]]]]:
        """Questions grouped by phase, then topic, both in bank order."""
        chosen = list(questions)
        groups = []
        for phase in self.phases:
            in_phase = [q for q in chosen if q.phase == phase.id]
            topics = [
                (topic, [q for q in in_phase if q.topic == topic.id]) for topic in self.topics
            ]
            topics = [(t, qs) for t, qs in topics if qs]
            if topics:
                groups.append((phase, topics))
        return groups


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One problem in the bank file, with where it is."""

    path: Path
    line: int
    column: int
    message: str
    question_id: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        who = f" fråga '{self.question_id}':" if self.question_id else ""
        return f"{where}:{who} {self.message}"


class BankError(Exception):
    """The bank file has one or more problems; nothing should be built."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = "1 fel" if count == 1 else f"{count} fel"
        lines = [f"Frågebanken har {head}. Rätta och bygg igen:"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


# --------------------------------------------------------------------------- loading


def load_bank(path: str | Path) -> Bank:
    """Read and validate ``questions.yaml``; raise :class:`BankError` on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError([Problem(path, 1, 1, "filen finns inte")]) from None
    except UnicodeDecodeError as exc:
        raise BankError([Problem(path, 1, 1, f"filen är inte sparad som UTF-8 ({exc.reason})")]) from None
    return parse_bank(text, path)


def parse_bank(text: str, path: Path) -> Bank:
    """Validate the text of a bank file; ``path`` is only used in messages."""
    tabs = _tab_problems(text, path)
    if tabs:
        raise BankError(tabs)
    try:
        root, data = _compose_and_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or "okänt fel"
        message = (
            f"filen går inte att läsa som YAML ({reason}). Titta efter citattecken, "
            "parenteser och kolon som saknas eller är för många, på raden eller raden före"
        )
        raise BankError([Problem(path, line, column, message)]) from None
    if root is None or data is None:
        raise BankError([Problem(path, 1, 1, "filen är tom: den ska ha phases, topics och questions")])

    marks: dict[tuple[Any, ...], yaml.Mark] = {}
    problems: list[Problem] = []
    _collect_marks(root, (), marks, problems, path)
    locate = _Locator(path, marks, data)
    if not isinstance(data, dict):
        raise BankError([locate((), "filen ska börja med nycklarna phases, topics och questions")])

    source: BankFile | None = None
    try:
        source = BankFile.model_validate(data)
    except ValidationError as exc:
        problems += [_problem_from_pydantic(err, locate) for err in exc.errors()]
    problems += _reference_problems(data, locate)
    if problems or source is None:
        raise BankError(_sorted(problems))
    questions = {q.id: q for q in source.questions}
    bank = Bank(path=path, source=source, _questions=questions)
    worksheets = tuple(_resolve_worksheet(spec, bank) for spec in source.worksheets)
    # A selector is resolved by the same Bank.select the pages use; one that
    # picks nothing is a mistake in the bank.
    empty = [
        locate(("worksheets", index, "questions"), "urvalet ger inga frågor alls")
        for index, sheet in enumerate(worksheets)
        if not sheet.questions
    ]
    if empty:
        raise BankError(empty)
    set_sheets = tuple(
        Worksheet(
            id=s.id,
            title=s.title,
            intro=s.description,
            phase=None,
            layout="single",
            checklist=None,
            questions=tuple(questions[qid] for qid in s.questions),
            from_set=True,
        )
        for s in source.sets
    )
    return replace(bank, worksheets=worksheets, set_sheets=set_sheets)


# libyaml's parser when PyYAML has it (the pinned wheel does): several times
# faster on a large bank, with the same marks for messages.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line and column of every value) and the data, in one parse."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return root, data


def schema_json() -> str:
    """The JSON Schema of the bank file, for editors' completion."""
    schema = BankFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def _resolve_worksheet(spec: WorksheetSpec, bank: Bank) -> Worksheet:
    refs = spec.questions
    if isinstance(refs, Selector):
        questions = bank.select(refs.phase, refs.topic, refs.audience)
    else:
        questions = [bank.question(qid) for qid in refs]
    checklist = bank.checklist(spec.checklist) if spec.checklist else None
    return Worksheet(
        id=spec.id,
        title=spec.title,
        intro=spec.intro,
        phase=spec.phase,
        layout=spec.layout,
        checklist=checklist,
        questions=tuple(questions),
    )


# --------------------------------------------------------------------------- positions

_KEY = "<key>"


def _collect_marks(
    node: yaml.Node,
    path: tuple[Any, ...],
    marks: dict[tuple[Any, ...], yaml.Mark],
    problems: list[Problem],
    file: Path,
) -> None:
    marks[path] = node.start_mark
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                mark = key_node.start_mark
                problems.append(Problem(file, mark.line + 1, mark.column + 1, "en nyckel ska vara ett ord, inte en lista eller samling"))
                continue
            key = key_node.value
            if key in seen:
                mark = key_node.start_mark
                problems.append(
                    Problem(file, mark.line + 1, mark.column + 1, f"nyckeln '{key}' står två gånger här")
                )
            seen.add(key)
            marks[path + (key, _KEY)] = key_node.start_mark
            _collect_marks(value_node, path + (key,), marks, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_marks(item, path + (index,), marks, problems, file)


class _Locator:
    """Turns a path in the data into a :class:`Problem` with line, column and question id."""

    def __init__(self, file: Path, marks: dict[tuple[Any, ...], yaml.Mark], data: Any) -> None:
        self.file = file
        self.marks = marks
        self.data = data

    def __call__(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> Problem:
        mark = self.marks.get(path + (_KEY,)) if key else None
        probe = path
        while mark is None:
            mark = self.marks.get(probe)
            if not probe:
                break
            probe = probe[:-1]
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return Problem(self.file, line, column, message, self._question_id(path))

    def _question_id(self, path: tuple[Any, ...]) -> str | None:
        if len(path) < 2 or path[0] != "questions" or not isinstance(path[1], int):
            return None
        try:
            item = self.data["questions"][path[1]]
        except (KeyError, IndexError, TypeError):
            return None
        qid = item.get("id") if isinstance(item, dict) else None
        return qid if isinstance(qid, str) and qid else None


def _tab_problems(text: str, path: Path) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(
                Problem(
                    path,
                    number,
                    indent.index("\t") + 1,
                    "tabbtecken i indraget: använd mellanslag i stället",
                )
            )
    return problems


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = {(p.line, p.column, p.message): p for p in problems}
    return [unique[k] for k in sorted(unique)]


# --------------------------------------------------------------------------- messages


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model whose keys are allowed at ``path`` (used for spelling suggestions)."""
    model: type[BaseModel] | None = BankFile
    for part in path:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        if part not in fields:
            return None
        annotation = fields[part].annotation
        model = _inner_model(annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    for meta in getattr(annotation, "__metadata__", ()) or ():
        found = _inner_model(meta)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _inner_model(origin)
    return None


_TAGS = {"list", "selector"}


def _problem_from_pydantic(error: Any, locate: _Locator) -> Problem:
    loc = tuple(part for part in error["loc"] if part not in _TAGS)
    kind = error["type"]
    name = loc[-1] if loc else ""
    value = error.get("input")
    if kind == "missing":
        return locate(loc[:-1], f"nyckeln '{name}' saknas")
    if kind == "extra_forbidden":
        allowed = _field_names(_model_at(loc[:-1]) or BankFile)
        guess = difflib.get_close_matches(str(name), allowed, n=1)
        tip = f" Menade du '{guess[0]}'?" if guess else ""
        return locate(loc, f"okänd nyckel '{name}'.{tip} Tillåtna nycklar: {', '.join(allowed)}", key=True)
    if kind == "string_pattern_mismatch":
        return locate(
            loc,
            f"'{value}' går inte att använda som id: använd bara små bokstäver a–z, siffror och bindestreck",
        )
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace(" or ", " eller ")
        return locate(loc, f"{_describe(value)} är inte tillåtet här. Välj ett av: {expected}")
    if kind == "string_too_short":
        return locate(loc, f"'{name}' får inte vara tom")
    if kind == "too_short":
        return locate(loc, f"listan '{name}' får inte vara tom")
    if kind == "string_type":
        return locate(loc, f"'{name}' ska vara text, inte {_describe(value)}")
    if kind == "list_type":
        return locate(loc, f"'{name}' ska vara en lista, inte {_describe(value)}")
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return locate(loc, f"här ska det stå nycklar med värden (nyckel: värde), inte {_describe(value)}")
    return locate(loc, f"felaktigt värde för '{name}': {error['msg']}")


def _describe(value: Any) -> str:
    if value is None:
        return "ingenting"
    if isinstance(value, bool):
        return "ja/nej-värdet " + ("true" if value else "false")
    if isinstance(value, (int, float)):
        return f"talet {value}"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "nycklar med värden"
    return f"'{value}'"


def _items(data: Any, section: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings in a top-level list, with their index; anything else is skipped."""
    value = data.get(section) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _ids(items: list[tuple[int, dict[str, Any]]]) -> set[str]:
    return {item["id"] for _, item in items if isinstance(item.get("id"), str)}


def _reference_problems(data: Any, locate: _Locator) -> list[Problem]:
    """Duplicate ids and references to things that do not exist.

    Works on the raw data, so these problems are reported together with the
    schema problems in the same run.
    """
    problems: list[Problem] = []
    phases = _ids(_items(data, "phases"))
    topics = _ids(_items(data, "topics"))
    questions = _ids(_items(data, "questions"))
    checklists = _ids(_items(data, "checklists"))

    def unique(section: str, what: str, items: list[tuple[int, dict[str, Any]]], base: tuple[Any, ...] = ()) -> None:
        seen: set[str] = set()
        for index, item in items:
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                problems.append(
                    locate(base + (section, index, "id"), f"{what} '{item_id}' finns redan: ett id får bara användas en gång")
                )
            seen.add(item_id)

    def known(path: tuple[Any, ...], value: Any, valid: set[str], what: str) -> None:
        if not isinstance(value, str) or value in valid:
            return
        guess = difflib.get_close_matches(value, sorted(valid), n=1)
        tip = f" Menade du '{guess[0]}'?" if guess else ""
        names = f" Det finns: {', '.join(sorted(valid))}" if len(valid) <= 12 else ""
        problems.append(locate(path, f"{what} '{value}' finns inte.{tip}{names}"))

    def known_all(path: tuple[Any, ...], values: Any, valid: set[str], what: str) -> None:
        if isinstance(values, list):
            for index, value in enumerate(values):
                known(path + (index,), value, valid, what)

    unique("phases", "fasen", _items(data, "phases"))
    unique("topics", "ämnet", _items(data, "topics"))
    unique("questions", "frågan", _items(data, "questions"))

    # Checklists, worksheets and sets share /pdf/<id>.pdf, so their ids must
    # differ from each other and from the site's own pages and PDFs.
    printable: dict[str, str] = {}
    for section in ("checklists", "worksheets", "sets"):
        for index, item in _items(data, section):
            item_id = item.get("id")
            if isinstance(item_id, str) and (item_id in RESERVED_IDS or item_id.startswith(RESERVED_PREFIX)):
                problems.append(
                    locate((section, index, "id"), f"id:t '{item_id}' används redan av guiden själv. Välj ett annat id")
                )
    for section, what in (("checklists", "en checklista"), ("worksheets", "ett arbetsblad"), ("sets", "en frågesamling")):
        for index, item in _items(data, section):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in printable:
                problems.append(
                    locate((section, index, "id"), f"id:t '{item_id}' används redan av {printable[item_id]}")
                )
            else:
                printable[item_id] = what

    for index, q in _items(data, "questions"):
        known(("questions", index, "phase"), q.get("phase"), phases, "fasen")
        known(("questions", index, "topic"), q.get("topic"), topics, "ämnet")
    for index, c in _items(data, "checklists"):
        known(("checklists", index, "phase"), c.get("phase"), phases, "fasen")
        entries = c.get("items")
        if isinstance(entries, list):
            pairs = [(i, e) for i, e in enumerate(entries) if isinstance(e, dict)]
            unique("items", "punkten", pairs, ("checklists", index))
    for index, w in _items(data, "worksheets"):
        base = ("worksheets", index)
        known(base + ("phase",), w.get("phase"), phases, "fasen")
        known(base + ("checklist",), w.get("checklist"), checklists, "checklistan")
        refs = w.get("questions")
        if isinstance(refs, list):
            if not refs:
                problems.append(locate(base + ("questions",), "arbetsbladet har inga frågor"))
            known_all(base + ("questions",), refs, questions, "frågan")
        elif isinstance(refs, dict):
            known(base + ("questions", "phase"), refs.get("phase"), phases, "fasen")
            known_all(base + ("questions", "topic"), refs.get("topic"), topics, "ämnet")
    for index, s in _items(data, "sets"):
        known_all(("sets", index, "questions"), s.get("questions"), questions, "frågan")
    return problems
