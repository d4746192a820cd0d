"""The question bank: the only reader of ``questions.yaml`` and its translations.

The schema is declared once, in :mod:`samtal.schema`. Every problem is
reported with file, line, column and (where there is one) the id it concerns,
and all problems of one file are reported together. The bank is untrusted
text: YAML anchors and aliases are refused (they can expand a small file into
gigabytes), and nothing here interprets a text, it only checks and stores it.

A translation (``extra.samtal.translation``) is a second file with the same
ids, holding only texts. A text missing from it is a warning (the build's
``--strict`` turns it into an error), with the file and the id.

Loading is cached in the build cache by a hash of the files and of this code,
so an unchanged bank costs neither validation nor pydantic's import.
"""

from __future__ import annotations

import difflib
import hashlib
import pickle
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import model
from .paths import BOOKLET_ID, CUSTOM_SHEET_ID, HANDOUT_PREFIX

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["BankError", "Problem", "load_bank", "parse_bank"]

# Pages and PDFs the generator makes itself: /arbetsblad/eget/, /arbetsblad/,
# /pdf/hela-samtalet.pdf and the handouts /pdf/utdelning-*.pdf.
RESERVED_IDS = frozenset({CUSTOM_SHEET_ID, "index", BOOKLET_ID})
MAX_BANK_BYTES = 5_000_000


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One problem in a bank or translation file, with where it is."""

    path: Path
    line: int
    column: int
    message: str
    item: str | None = None  # "fråga 'x'", "arbetsblad 'y'", …

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        who = f" {self.item}:" if self.item else ""
        return f"{where}:{who} {self.message}"


class BankError(Exception):
    """The bank has one or more problems; nothing should be built."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = "1 fel" if count == 1 else f"{count} fel"
        lines = [f"Frågebanken har {head}. Rätta och bygg igen:"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Loaded:
    bank: model.Bank
    warnings: tuple[str, ...]  # missing translations: the build shows them, --strict fails on them
    key: str = ""  # a hash of the bank's (and translation's) text and of this loader's code


# --------------------------------------------------------------------------- loading


def load_bank(path: str | Path, *, translation: Path | None = None, cache_dir: Path | None = None) -> Loaded:
    """Read, validate and resolve the bank (and its translation); raise :class:`BankError`."""
    path = Path(path)
    text = _read(path)
    translated = _read(translation) if translation else None
    key = _cache_key(text, translated)
    cached = _from_cache(cache_dir, key, path)
    if cached is not None:
        return replace(cached, key=key)
    loaded = replace(
        parse_bank(text, path, translation=(translated, translation) if translation and translated is not None else None),
        key=key,
    )
    _to_cache(cache_dir, key, loaded)
    return loaded


def parse_bank(text: str, path: Path, *, translation: tuple[str, Path] | None = None) -> Loaded:
    """Validate the text of a bank file; ``path`` is only used in messages."""
    from pydantic import ValidationError

    from .schema import BankFile

    root, data = _parse_yaml(text, path)
    if root is None or data is None:
        raise BankError([Problem(path, 1, 1, "filen är tom: den ska ha audiences, phases, topics och questions")])
    locate = _Locator(path, _marks(root, path))
    if not isinstance(data, dict):
        raise BankError([locate((), "filen ska börja med nycklarna audiences, phases, topics och questions")])
    locate.remember_ids(data)
    problems: list[Problem] = []
    source: BankFile | None = None
    try:
        source = BankFile.model_validate(data)
    except ValidationError as exc:
        problems += [_problem_from_pydantic(err, locate, BankFile) for err in exc.errors()]
    problems += _reference_problems(data, locate)
    if problems or source is None:
        raise BankError(_sorted(problems))
    texts = _Texts(path, locate)
    if translation is not None:
        texts.use_translation(*translation)
    bank = _resolve(source, path, texts)
    texts.check_unused()
    if texts.problems:
        raise BankError(_sorted(texts.problems))
    return Loaded(bank=bank, warnings=tuple(texts.missing))


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BankError([Problem(path, 1, 1, "filen finns inte")]) from None
    except OSError as exc:
        raise BankError([Problem(path, 1, 1, f"filen går inte att läsa ({exc.strerror})")]) from None
    if len(raw) > MAX_BANK_BYTES:
        raise BankError([Problem(path, 1, 1, f"filen är för stor ({len(raw)} byte, högst {MAX_BANK_BYTES})")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BankError([Problem(path, line, 1, "filen är inte sparad som UTF-8. Spara den som UTF-8 och bygg igen")]) from None


# libyaml's parser when PyYAML has it (the pinned wheel does): several times
# faster on a large bank, with the same marks for messages.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, path: Path) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line and column of every value) and the data, in one parse.

    Tabs in indentation and every anchor or alias are refused before anything
    is built from the file.
    """
    problems = _tab_problems(text, path)
    if problems:
        raise BankError(problems)
    try:
        _refuse_aliases(text, path)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or "okänt fel"
        message = (
            f"filen går inte att läsa som YAML ({reason}). Titta efter citattecken, "
            "parenteser och kolon som saknas eller är för många, på raden eller raden före"
        )
        raise BankError([Problem(path, line, column, message)]) from None
    except yaml.YAMLError as exc:
        raise BankError([Problem(path, 1, 1, f"filen går inte att läsa som YAML ({exc})")]) from None
    return root, data


def _refuse_aliases(text: str, path: Path) -> None:
    """Anchors (``&a``) and aliases (``*a``) are refused: they can repeat a value without end."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_Loader):
        anchor = getattr(event, "anchor", None)
        if anchor is not None or isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            assert mark is not None
            raise BankError(
                [
                    Problem(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        f"ankare och alias (&{anchor} eller *{anchor}) används inte i frågebanken. "
                        "Skriv ut värdet där det ska stå. Vill du börja en text med & eller *, sätt den inom citattecken",
                    )
                ]
            )


def _tab_problems(text: str, path: Path) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(Problem(path, number, indent.index("\t") + 1, "tabbtecken i indraget: använd mellanslag i stället"))
    return problems


# --------------------------------------------------------------------------- cache


def _cache_key(text: str, translated: str | None) -> str:
    digest = hashlib.sha256()
    for part in (text, translated or "", *_code_sources()):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _code_sources() -> Iterator[str]:
    here = Path(__file__).parent
    for name in ("bank.py", "schema.py", "model.py", "paths.py"):
        yield (here / name).read_text(encoding="utf-8")


def _from_cache(cache_dir: Path | None, key: str, path: Path) -> Loaded | None:
    if cache_dir is None:
        return None
    file = cache_dir / "bank" / f"{key}.pickle"
    try:
        with file.open("rb") as handle:
            loaded = pickle.load(handle)  # noqa: S301 - our own cache, written below
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        return None
    if not isinstance(loaded, Loaded) or loaded.bank.path != path:
        return None
    return loaded


def _to_cache(cache_dir: Path | None, key: str, loaded: Loaded) -> None:
    if cache_dir is None:
        return
    from .files import write_atomic

    folder = cache_dir / "bank"
    try:
        for old in folder.glob("*.pickle"):
            old.unlink(missing_ok=True)
        write_atomic(folder / f"{key}.pickle", pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError):
        pass  # a cache that cannot be written (or an engine imported twice in one process) only costs time


# --------------------------------------------------------------------------- texts and translations


_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\v": "\n", "\f": "\n", "\x85": "\n"})
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def clean_text(text: str) -> str:
    """A text as a reader should get it: Unicode line and paragraph separators (they come
    in when text is pasted from a word processor) become line breaks, other control
    characters are removed. No output has a glyph for them."""
    return _CONTROLS.sub("", text.translate(_LINE_BREAKS))


class _Texts:
    """Every text of the bank passes through here, so a translation can replace it.

    ``key`` is the text's place in the translation file (ids, never
    positions); ``where`` its place in the bank file, for messages.
    """

    def __init__(self, path: Path, locate: _Locator) -> None:
        self.path = path
        self.locate = locate
        self.data: dict[str, Any] | None = None
        self.file: Path | None = None
        self.locate_tr: _Locator | None = None
        self.used: set[tuple[Any, ...]] = set()
        self.missing: list[str] = []
        self.problems: list[Problem] = []

    def use_translation(self, text: str, path: Path) -> None:
        root, data = _parse_yaml(text, path)
        self.file = path
        self.locate_tr = _Locator(path, _marks(root, path) if root is not None else {})
        if not isinstance(data, dict):
            raise BankError([self.locate_tr((), "översättningen ska vara nycklar med värden, som frågebanken")])
        self.data = data

    def __call__(self, key: tuple[str, ...], where: tuple[Any, ...], text: str, item: str | None = None) -> str:
        return clean_text(self._pick(key, where, text, item))

    def _pick(self, key: tuple[str, ...], where: tuple[Any, ...], text: str, item: str | None = None) -> str:
        if self.data is None or not text.strip():
            return text
        self.used.add(key)
        node: Any = self.data
        for part in key:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str) and node.strip():
            return node.strip()
        assert self.locate_tr is not None
        problem = self.locate(where, "")
        label = f"{item}: " if item else ""
        if node is None:
            self.missing.append(
                f"{self.file}: {label}översättning saknas för '{'.'.join(key)}' (texten står i {problem.path}:{problem.line})"
            )
        else:
            self.problems.append(self.locate_tr(key, f"{label}'{'.'.join(key)}' ska vara en text"))
        return text

    def check_unused(self) -> None:
        """Texts in the translation that the bank has no place for (a misspelt id, say)."""
        if self.data is None or self.locate_tr is None:
            return

        def walk(node: Any, key: tuple[str, ...]) -> None:
            if key in self.used:
                return
            if isinstance(node, dict):
                for name, value in node.items():
                    if key == () and name == "language":
                        continue
                    walk(value, key + (str(name),))
            elif node is not None:
                self.problems.append(
                    self.locate_tr(key, f"'{'.'.join(key)}' finns inte i frågebanken. Kontrollera id:t")  # type: ignore[misc]
                )

        walk(self.data, ())


def _resolve(source: Any, path: Path, tr: _Texts) -> model.Bank:
    """The validated file as model objects, with every text passed through ``tr``."""
    language = ""
    if tr.data is not None:
        language = str(tr.data.get("language") or "")
    audiences = tuple(
        model.Audience(a.id, tr(("audiences", a.id), ("audiences", i, "title"), a.title)) for i, a in enumerate(source.audiences)
    )
    phases = tuple(
        model.Phase(
            id=p.id,
            title=tr(("phases", p.id, "title"), ("phases", i, "title"), p.title, f"fasen '{p.id}'"),
            summary=tr(("phases", p.id, "summary"), ("phases", i, "summary"), p.summary, f"fasen '{p.id}'"),
            page=p.page or f"{p.id}.md",
            cue=tr(("phases", p.id, "cue"), ("phases", i, "cue"), p.cue, f"fasen '{p.id}'"),
        )
        for i, p in enumerate(source.phases)
    )
    topics = tuple(
        model.Topic(t.id, tr(("topics", t.id), ("topics", i, "title"), t.title, f"ämnet '{t.id}'"))
        for i, t in enumerate(source.topics)
    )
    questions = tuple(
        model.Question(
            id=q.id,
            phase=q.phase,
            topic=q.topic,
            audience=q.audience,
            text=tr(("questions", q.id, "text"), ("questions", i, "text"), q.text, f"fråga '{q.id}'"),
            hint=tr(("questions", q.id, "hint"), ("questions", i, "hint"), q.hint, f"fråga '{q.id}'"),
            answer=q.answer,
            follow_up=tr(("questions", q.id, "follow_up"), ("questions", i, "follow_up"), q.follow_up, f"fråga '{q.id}'"),
        )
        for i, q in enumerate(source.questions)
    )
    by_id = {q.id: q for q in questions}
    checklists = tuple(
        model.Checklist(
            id=c.id,
            phase=c.phase,
            title=tr(("checklists", c.id, "title"), ("checklists", i, "title"), c.title, f"checklistan '{c.id}'"),
            intro=tr(("checklists", c.id, "intro"), ("checklists", i, "intro"), c.intro, f"checklistan '{c.id}'"),
            items=tuple(
                model.ChecklistItem(
                    item.id,
                    tr(
                        ("checklists", c.id, "items", item.id),
                        ("checklists", i, "items", j, "text"),
                        item.text,
                        f"checklistan '{c.id}'",
                    ),
                )
                for j, item in enumerate(c.items)
            ),
        )
        for i, c in enumerate(source.checklists)
    )
    checklist_by_id = {c.id: c for c in checklists}
    worksheets = []
    empty: list[Problem] = []
    for i, w in enumerate(source.worksheets):
        refs = w.questions
        chosen = (
            [by_id[qid] for qid in refs]
            if isinstance(refs, list)
            else model.select(questions, refs.phase, refs.topic, refs.audience)
        )
        if not chosen:
            empty.append(tr.locate(("worksheets", i, "questions"), "urvalet ger inga frågor alls", f"arbetsbladet '{w.id}'"))
        worksheets.append(
            model.Worksheet(
                id=w.id,
                title=tr(("worksheets", w.id, "title"), ("worksheets", i, "title"), w.title, f"arbetsbladet '{w.id}'"),
                intro=tr(("worksheets", w.id, "intro"), ("worksheets", i, "intro"), w.intro, f"arbetsbladet '{w.id}'"),
                phase=w.phase,
                layout=w.layout,
                checklist=checklist_by_id[w.checklist] if w.checklist else None,
                questions=tuple(chosen),
            )
        )
    if empty:
        raise BankError(empty)
    sets = tuple(
        model.QuestionSet(
            id=s.id,
            title=tr(("sets", s.id, "title"), ("sets", i, "title"), s.title, f"samlingen '{s.id}'"),
            description=tr(("sets", s.id, "description"), ("sets", i, "description"), s.description, f"samlingen '{s.id}'"),
            questions=tuple(s.questions),
        )
        for i, s in enumerate(source.sets)
    )
    set_sheets = tuple(
        model.Worksheet(
            id=s.id,
            title=s.title,
            intro=s.description,
            phase=None,
            layout="single",
            checklist=None,
            questions=tuple(by_id[qid] for qid in s.questions),
            from_set=True,
        )
        for s in sets
    )
    return model.Bank(
        path=path,
        language=language,
        audiences=audiences,
        phases=phases,
        topics=topics,
        questions=questions,
        checklists=checklists,
        worksheets=tuple(worksheets),
        set_sheets=set_sheets,
        sets=sets,
        retired=tuple(model.Retired(r.id, r.replaced_by or "") for r in source.retired),
        sheet=_sheet_facts(source.sheet, tr),
        cycle=_cycle(source.cycle, tr),
    )


def _sheet_facts(spec: Any, tr: _Texts) -> model.SheetFacts:
    base = ("sheet",)

    def columns(part: str, cols: list[Any]) -> tuple[model.Column, ...]:
        return tuple(
            model.Column(c.id, tr(("sheet", part, "columns", c.id), base + (part, "columns", i, "label"), c.label), c.kind)
            for i, c in enumerate(cols)
        )

    scale = spec.scale
    yesno = spec.yesno
    goals = spec.goals
    compare = spec.compare
    return model.SheetFacts(
        header=tuple(
            model.HeaderField(h.id, tr(("sheet", "header", h.id), base + ("header", i, "label"), h.label), h.kind)
            for i, h in enumerate(spec.header)
        ),
        scale=model.Scale(
            scale.steps,
            tr(("sheet", "scale", "low"), base + ("scale", "low"), scale.low),
            tr(("sheet", "scale", "high"), base + ("scale", "high"), scale.high),
        )
        if scale
        else None,
        yesno=model.YesNo(
            tr(("sheet", "yesno", "yes_label"), base + ("yesno", "yes_label"), yesno.yes_label),
            tr(("sheet", "yesno", "no_label"), base + ("yesno", "no_label"), yesno.no_label),
        )
        if yesno
        else None,
        follow_up=tr(("sheet", "follow_up"), base + ("follow_up",), spec.follow_up),
        goals=model.Goals(
            title=tr(("sheet", "goals", "title"), base + ("goals", "title"), goals.title),
            intro=tr(("sheet", "goals", "intro"), base + ("goals", "intro"), goals.intro),
            rows=goals.rows,
            columns=columns("goals", goals.columns),
        )
        if goals
        else None,
        compare=model.Compare(
            intro=tr(("sheet", "compare", "intro"), base + ("compare", "intro"), compare.intro),
            columns=columns("compare", compare.columns),
        )
        if compare
        else None,
    )


def _cycle(spec: Any, tr: _Texts) -> model.Cycle | None:
    if spec is None:
        return None
    return model.Cycle(
        title=tr(("cycle", "title"), ("cycle", "title"), spec.title),
        centre=tr(("cycle", "centre"), ("cycle", "centre"), spec.centre),
        steps=tuple(
            model.CycleStep(s.id, tr(("cycle", "steps", s.id), ("cycle", "steps", i, "title"), s.title))
            for i, s in enumerate(spec.steps)
        ),
    )


# --------------------------------------------------------------------------- positions

_KEY = "<key>"
Marks = dict[tuple[Any, ...], yaml.Mark]


def _marks(root: yaml.Node, file: Path) -> Marks:
    """Where every value (and key) of the file starts. Duplicate keys are problems."""
    marks: Marks = {}
    problems: list[Problem] = []

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        marks[path] = node.start_mark
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    mark = key_node.start_mark
                    problems.append(
                        Problem(file, mark.line + 1, mark.column + 1, "en nyckel ska vara ett ord, inte en lista eller samling")
                    )
                    continue
                key = key_node.value
                if key in seen:
                    mark = key_node.start_mark
                    problems.append(Problem(file, mark.line + 1, mark.column + 1, f"nyckeln '{key}' står två gånger här"))
                seen.add(key)
                marks[path + (key, _KEY)] = key_node.start_mark
                walk(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, path + (index,))

    walk(root, ())
    if problems:
        raise BankError(_sorted(problems))
    return marks


# What an item in each top-level list is called in messages.
_ITEM_NAMES = {
    "questions": "fråga",
    "checklists": "checklistan",
    "worksheets": "arbetsbladet",
    "sets": "samlingen",
    "phases": "fasen",
    "topics": "ämnet",
    "audiences": "målgruppen",
    "retired": "det pensionerade id:t",
}


class _Locator:
    """Turns a path in the data into a :class:`Problem` with line, column and the item's id."""

    def __init__(self, file: Path, marks: Marks) -> None:
        self.file = file
        self.marks = marks
        self.ids: dict[tuple[Any, ...], str] = {}

    def __call__(self, path: tuple[Any, ...], message: str, item: str | None = None, *, key: bool = False) -> Problem:
        mark = self.marks.get(path + (_KEY,)) if key else None
        probe = path
        while mark is None:
            mark = self.marks.get(probe)
            if not probe:
                break
            probe = probe[:-1]
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return Problem(self.file, line, column, message, item if item is not None else self.item(path))

    def remember_ids(self, data: Any) -> None:
        """The id of every item in the top-level lists, so messages can name it."""
        for section in _ITEM_NAMES:
            for index, item in _items(data, section):
                if isinstance(item.get("id"), str):
                    self.ids[(section, index)] = item["id"]

    def item(self, path: tuple[Any, ...]) -> str | None:
        if len(path) < 2 or path[0] not in _ITEM_NAMES:
            return None
        item_id = self.ids.get(path[:2])
        if item_id is None and isinstance(path[1], str):
            item_id = path[1]  # a translation file is keyed by id
        return f"{_ITEM_NAMES[path[0]]} '{item_id}'" if item_id else None


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = {(str(p.path), p.line, p.column, p.message): p for p in problems}
    return [unique[k] for k in sorted(unique)]


# --------------------------------------------------------------------------- messages


def _field_names(model_type: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model_type.model_fields.items()]


def _model_at(root: type[BaseModel], path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model whose keys are allowed at ``path`` (used for spelling suggestions)."""
    current: type[BaseModel] | None = root
    for part in path:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        fields = {f.alias or n: f for n, f in current.model_fields.items()}
        if part not in fields:
            return None
        current = _inner_model(fields[part].annotation)
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    from pydantic import BaseModel

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


def _problem_from_pydantic(error: Any, locate: _Locator, root: type[BaseModel]) -> Problem:
    loc = tuple(part for part in error["loc"] if part not in _TAGS)
    kind = error["type"]
    name = loc[-1] if loc else ""
    value = error.get("input")
    if kind == "missing":
        return locate(loc[:-1], f"nyckeln '{name}' saknas")
    if kind == "extra_forbidden":
        allowed = _field_names(_model_at(root, loc[:-1]) or root)
        guess = difflib.get_close_matches(str(name), allowed, n=1)
        tip = f" Menade du '{guess[0]}'?" if guess else ""
        return locate(loc, f"okänd nyckel '{name}'.{tip} Tillåtna nycklar: {', '.join(allowed)}", key=True)
    if kind == "string_pattern_mismatch":
        return locate(loc, f"'{value}' går inte att använda som id: använd bara små bokstäver a–z, siffror och bindestreck")
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace(" or ", " eller ")
        return locate(loc, f"{_describe(value)} är inte tillåtet här. Välj ett av: {expected}")
    if kind == "string_too_short":
        return locate(loc, f"'{name}' får inte vara tom")
    if kind == "too_short":
        return locate(loc, f"listan '{name}' är för kort")
    if kind == "string_type":
        return locate(loc, f"'{name}' ska vara text, inte {_describe(value)}")
    if kind == "list_type":
        return locate(loc, f"'{name}' ska vara en lista, inte {_describe(value)}")
    if kind in {"int_type", "int_parsing", "greater_than_equal", "less_than_equal"}:
        return locate(loc, f"'{name}' ska vara ett heltal inom gränserna ({error['msg']})")
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
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


# --------------------------------------------------------------------------- references


def _items(data: Any, *path: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings in a list at ``path``, with their index; anything else is skipped."""
    value = data
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _ids(items: list[tuple[int, dict[str, Any]]]) -> set[str]:
    return {item["id"] for _, item in items if isinstance(item.get("id"), str)}


def _reference_problems(data: Any, locate: _Locator) -> list[Problem]:
    """Duplicate ids, references to what does not exist, reused ids, facts a sheet needs.

    Works on the raw data, so these problems are reported together with the
    schema problems in the same run.
    """
    problems: list[Problem] = []
    audiences = _ids(_items(data, "audiences"))
    phases = _ids(_items(data, "phases"))
    topics = _ids(_items(data, "topics"))
    questions = _ids(_items(data, "questions"))
    checklists = _ids(_items(data, "checklists"))
    retired = _ids(_items(data, "retired"))

    def unique(what: str, items: list[tuple[int, dict[str, Any]]], base: tuple[Any, ...]) -> None:
        seen: set[str] = set()
        for index, item in items:
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                problems.append(locate(base + (index, "id"), f"{what} '{item_id}' finns redan: ett id får bara användas en gång"))
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

    for section, what in (
        ("audiences", "målgruppen"),
        ("phases", "fasen"),
        ("topics", "ämnet"),
        ("questions", "frågan"),
        ("retired", "id:t"),
    ):
        unique(what, _items(data, section), (section,))

    # Checklists, worksheets and sets share /pdf/<id>.pdf, so their ids must
    # differ from each other and from the site's own pages and PDFs.
    printable: dict[str, str] = {}
    for section, what in (("checklists", "en checklista"), ("worksheets", "ett arbetsblad"), ("sets", "en frågesamling")):
        for index, item in _items(data, section):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in RESERVED_IDS or item_id.startswith(HANDOUT_PREFIX):
                problems.append(
                    locate((section, index, "id"), f"id:t '{item_id}' används redan av guiden själv. Välj ett annat id")
                )
            elif item_id in printable:
                problems.append(locate((section, index, "id"), f"id:t '{item_id}' används redan av {printable[item_id]}"))
            else:
                printable[item_id] = what

    # An id published once is never used again: old links and saved answers point at it.
    for section in ("questions", "checklists", "worksheets", "sets"):
        for index, item in _items(data, section):
            if item.get("id") in retired:
                problems.append(
                    locate(
                        (section, index, "id"), f"id:t '{item['id']}' har använts förut och står under retired. Välj ett nytt id"
                    )
                )
    for index, r in _items(data, "retired"):
        known(("retired", index, "replaced_by"), r.get("replaced_by"), questions, "frågan")

    kinds: set[str] = set()
    for index, q in _items(data, "questions"):
        known(("questions", index, "phase"), q.get("phase"), phases, "fasen")
        known(("questions", index, "topic"), q.get("topic"), topics, "ämnet")
        known(("questions", index, "for"), q.get("for"), audiences, "målgruppen")
        answer = q.get("answer", "text")
        if isinstance(answer, str):
            kinds.add(answer)
        if q.get("follow_up") and not str(answer).endswith("+text"):
            problems.append(
                locate(("questions", index, "follow_up"), "follow_up används bara med answer: scale+text eller yesno+text")
            )
    for index, c in _items(data, "checklists"):
        known(("checklists", index, "phase"), c.get("phase"), phases, "fasen")
        unique("punkten", _items(c, "items"), ("checklists", index, "items"))

    layouts: set[str] = set()
    for index, w in _items(data, "worksheets"):
        base = ("worksheets", index)
        layouts.add(str(w.get("layout", "single")))
        known(base + ("phase",), w.get("phase"), phases, "fasen")
        known(base + ("checklist",), w.get("checklist"), checklists, "checklistan")
        refs = w.get("questions")
        if isinstance(refs, list):
            known_all(base + ("questions",), refs, questions, "frågan")
            problems += _repeats(refs, base + ("questions",), locate, "arbetsbladet")
        elif isinstance(refs, dict):
            known(base + ("questions", "phase"), refs.get("phase"), phases, "fasen")
            known_all(base + ("questions", "topic"), refs.get("topic"), topics, "ämnet")
            known_all(base + ("questions", "for"), refs.get("for"), audiences, "målgruppen")
    for index, s in _items(data, "sets"):
        refs = s.get("questions")
        known_all(("sets", index, "questions"), refs, questions, "frågan")
        if isinstance(refs, list):
            problems += _repeats(refs, ("sets", index, "questions"), locate, "samlingen")

    problems += _sheet_problems(data, kinds, layouts, locate)
    return problems


def _repeats(refs: list[Any], path: tuple[Any, ...], locate: _Locator, what: str) -> list[Problem]:
    """A question listed twice in one sheet would get two fields with the same name."""
    seen: set[Any] = set()
    problems = []
    for index, ref in enumerate(refs):
        if isinstance(ref, str) and ref in seen:
            problems.append(locate(path + (index,), f"frågan '{ref}' står två gånger i {what}. Ta bort den ena"))
        seen.add(ref)
    return problems


def _sheet_problems(data: Any, kinds: set[str], layouts: set[str], locate: _Locator) -> list[Problem]:
    """The sheet's shared parts that the bank's questions and layouts need, and unique ids in them."""
    sheet = data.get("sheet") if isinstance(data, dict) else None
    sheet = sheet if isinstance(sheet, dict) else {}
    problems: list[Problem] = []
    needs: list[tuple[bool, str, str]] = [
        (bool(kinds & {"scale", "scale+text"}), "scale", "en fråga har answer: scale, så sheet.scale behövs (steps, low, high)"),
        (
            bool(kinds & {"yesno", "yesno+text"}),
            "yesno",
            "en fråga har answer: yesno, så sheet.yesno behövs (yes_label, no_label)",
        ),
        ("plan" in layouts, "goals", "ett arbetsblad har layout: plan, så sheet.goals behövs (title, columns)"),
        ("compare" in layouts, "compare", "ett arbetsblad har layout: compare, så sheet.compare behövs (columns)"),
    ]
    for needed, part, message in needs:
        if needed and not sheet.get(part):
            problems.append(locate(("sheet",) if "sheet" in data else (), message))
    if kinds & {"scale+text", "yesno+text"} and not sheet.get("follow_up"):
        without = [
            (i, q) for i, q in _items(data, "questions") if str(q.get("answer", "")).endswith("+text") and not q.get("follow_up")
        ]
        for index, _question in without:
            problems.append(
                locate(
                    ("questions", index, "answer"),
                    "skriv follow_up på frågan, eller en gemensam sheet.follow_up, som rubrik för textrutan",
                )
            )
    for part, what in (("header", "fältet"), ("goals", "kolumnen"), ("compare", "kolumnen")):
        entries = sheet.get(part)
        items = _items(sheet, part) if part == "header" else _items(entries, "columns") if isinstance(entries, dict) else []
        base: tuple[Any, ...] = ("sheet", part) if part == "header" else ("sheet", part, "columns")
        seen: set[str] = set()
        for index, item in items:
            item_id = item.get("id")
            if isinstance(item_id, str) and item_id in seen:
                problems.append(locate(base + (index, "id"), f"{what} '{item_id}' finns redan"))
            seen.add(str(item_id))
    return problems


def check_phase_pages(bank: model.Bank, exists: Callable[[str], bool]) -> list[str]:
    """Every phase's page must exist, or links and QR codes would lead to nothing."""
    return [
        f"{bank.path}: fasen '{phase.id}' har sidan '{phase.page}', men den finns inte bland sidorna. "
        f"Skapa sidan eller ange rätt sida med page:"
        for phase in bank.phases
        if not exists(phase.page)
    ]
