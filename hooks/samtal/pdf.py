"""PDF worksheets and checklists: fillable, tagged, small, reproducible and fast.

One PDF per worksheet and per checklist, and the booklet ``hela-samtalet``
(a cover, then each phase in order with its checklists and worksheets; the
action plan is the last phase). Each is rendered by WeasyPrint from the Jinja
templates in ``overrides/samtal/pdf/`` with the print stylesheet
``overrides/samtal/pdf/print.css`` and the font subsets beside it.

How a build goes (:func:`build_all`):

1. Every document's HTML is rendered from the bank (cheap: milliseconds).
2. Its cache key is a hash of that HTML plus the stylesheet, the font files,
   the renderer's code and the WeasyPrint/pydyf versions. The HTML holds
   everything else a PDF is made from: the bank entries it shows, the
   templates' output, the organisation, ``site_url`` and the version date.
3. PDFs whose key is in ``<root>/.cache/pdf/`` are copied from there; the
   rest are rendered in parallel in a process pool (each worker reads the
   stylesheet and fonts once) and stored in the cache.
4. Every file is written under a temporary name and renamed into place, so
   ``site/`` never holds half a PDF.

Field names (what a PDF reader shows and exports) follow the question ids;
see :class:`FormField` and :func:`question_fields`.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import html as html_lib
import importlib.metadata
import logging
import multiprocessing
import os
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any


from . import qr, share
from .templates import plain_text
from .sheets import FIELDS, Column, SheetFields
from .paths import BOOKLET_ID, worksheet_url
from .bank import Bank, Checklist, ChecklistItem, Phase, Question, Topic, Worksheet

if TYPE_CHECKING:
    from . import pdf_render
    from .site import Guide

# WeasyPrint (in pdf_render) takes a second or more to import, so it is
# imported only when a PDF has to be rendered: a rebuild where every PDF comes
# from the cache stays as quick as a build without PDFs.
RENDERER_SOURCE = Path(__file__).with_name("pdf_render.py")

log = logging.getLogger("mkdocs.plugins.samtal.pdf")


TEMPLATE_SUBDIR = "pdf"  # inside the Jinja environment's folder, overrides/samtal/
STYLESHEET = "print.css"
FONTS_SUBDIR = "fonts"
CACHE_SUBDIR = Path(".cache") / "pdf"
CACHE_MAX_AGE_DAYS = 30

# Header fields, goal columns, compare columns and the scale's words come from
# sheets.FIELDS, shared with the online worksheet, so a field here has the
# name the web sheet stores its answer under.
GOAL_ROWS = 4

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)


# --------------------------------------------------------------------------- public interface


def document_ids(bank: Bank) -> list[str]:
    """Ids of every PDF the build writes: worksheets, sets, checklists, the booklet and the handouts."""
    ids = [w.id for w in bank.sheets] + [c.id for c in bank.checklists]
    if BOOKLET_ID in ids:
        from .site import GuideError

        raise GuideError(
            f"{bank.path}: id:t '{BOOKLET_ID}' är upptaget av PDF:en med hela samtalet. Välj ett annat id."
        )
    return ids + [BOOKLET_ID] + [handout_id(link) for link in share.share_links(bank, pdf_enabled=True)]


def handout_id(link: share.ShareLink) -> str:
    """The PDF of a link's handout: ``/pdf/utdelning-<link-id>.pdf``."""
    return Path(link.handout_pdf).stem


def build_all(guide: Guide, site_dir: Path) -> dict[str, Any]:
    """Write every PDF into ``site_dir/pdf/``; return how many were rendered and reused."""
    from .site import GuideError

    started = time.perf_counter()
    template_dir = guide.root / "overrides" / "samtal" / TEMPLATE_SUBDIR
    stylesheet = template_dir / STYLESHEET
    documents = render_documents(guide)
    # Each id has an empty placeholder in site/ (document_ids); none may stay empty.
    assert list(documents) == document_ids(guide.bank), "render_documents and document_ids disagree"
    assets = assets_digest(template_dir)
    cache_dir = guide.root / CACHE_SUBDIR
    out_dir = site_dir / "pdf"
    out_dir.mkdir(parents=True, exist_ok=True)

    todo: dict[str, str] = {}
    cached: dict[str, Path] = {}
    for doc_id, html in documents.items():
        path = cache_dir / f"{doc_id}-{cache_key(assets, html)}.pdf"
        cached[doc_id] = path
        if not path.is_file():
            todo[doc_id] = html

    pages = 0
    cpu = 0.0
    fresh: dict[str, bytes] = {}
    if todo:
        from . import pdf_render

        try:
            results = render_jobs(make_jobs(todo, template_dir), stylesheet)
        except pdf_render.StylesheetError as exc:
            raise GuideError(str(exc)) from None
        for result in results:
            for message in result.warnings:
                log.warning("PDF %s: %s", result.doc_id, message)
            write_atomic(cached[result.doc_id], result.pdf)
            fresh[result.doc_id] = result.pdf
            pages += result.pages
            cpu += result.cpu_seconds

    for doc_id, path in cached.items():
        if doc_id not in fresh:
            os.utime(path)  # Keeps it from being pruned as unused.
        write_atomic(out_dir / f"{doc_id}.pdf", fresh.get(doc_id) or path.read_bytes())
    prune_cache(cache_dir)
    return {
        "rendered": len(todo),
        "reused": len(documents) - len(todo),
        "pages": pages,
        "cpu_seconds": round(cpu, 3),
        "seconds": round(time.perf_counter() - started, 3),
    }


# --------------------------------------------------------------------------- what the templates get


@dataclass(frozen=True)
class FormField:
    """A fillable field. ``name`` is what PDF readers show and export."""

    name: str
    kind: str  # "text" (several lines), "line" or "check"
    label: str = ""  # printed beside or above the field
    title: str = ""  # the field's name for screen readers, where no label says it


@dataclass(frozen=True)
class Entry:
    question: Question
    number: int
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class QrCode:
    """A QR code with the address ``url``.

    ``src`` is a placeholder (``samtal-qr:<url>``): the SVG is made by
    :func:`with_qr_codes` only for PDFs that are rendered, and the cache key
    hashes the placeholder (the code depends only on the address and segno's
    version, which is in the key too).
    """

    url: str
    caption: str

    @property
    def src(self) -> str:
        return QR_SCHEME + self.url


@dataclass(frozen=True)
class Goals:
    columns: tuple[Column, ...]
    rows: tuple[tuple[FormField, ...], ...]


@dataclass(frozen=True)
class ChecklistView:
    id: str
    title: str
    intro: str
    anchor: str
    qr: QrCode | None
    items: tuple[tuple[ChecklistItem, FormField], ...]
    kind: str = "checklist"


@dataclass(frozen=True)
class SheetView:
    id: str
    title: str
    intro: str
    layout: str
    anchor: str
    qr: QrCode | None
    groups: tuple[tuple[Topic, tuple[Entry, ...]], ...]
    header_fields: tuple[FormField, ...]
    goals: Goals | None
    checklist: ChecklistView | None
    kind: str = "worksheet"
    fields: SheetFields = FIELDS  # the words of the scale, yes/no and the compare columns


@dataclass(frozen=True)
class Part:
    """One phase of the booklet."""

    phase: Phase
    anchor: str
    items: tuple[ChecklistView | SheetView, ...]


@dataclass(frozen=True)
class DocInfo:
    id: str
    kind: str  # worksheet, checklist, booklet or handout
    title: str
    description: str


def question_fields(question: Question, layout: str) -> tuple[FormField, ...]:
    """The fields of one question.

    - ``text``: one multi-line field, ``line``: one single-line field, both
      named after the question id.
    - ``scale``: five checkboxes ``<id>-1`` … ``<id>-5``. WeasyPrint 70 writes
      each radio button as a field of its own (with the same name), which PDF
      readers fill and print inconsistently; separate checkboxes work in every
      reader, print as five boxes to tick with a pen, and export a clear value
      per box.
    - ``yesno``: two checkboxes ``<id>-ja`` and ``<id>-nej``, so "no" and "not
      answered" can be told apart on paper.
    - The ``compare`` layout has three fields per question: ``<id>-min``,
      ``<id>-chef``, ``<id>-overens`` (multi-line for text answers, a line to
      write a number or ja/nej on for the others).
    """
    if layout == "compare":
        kind = "text" if question.answer == "text" else "line"
        return tuple(FormField(f"{question.id}-{col.key}", kind, col.label) for col in FIELDS.compare_columns)
    if question.answer == "scale":
        scale = FIELDS.scale
        return tuple(FormField(f"{question.id}-{n}", "check", str(n), scale.show(n)) for n in scale.values)
    if question.answer == "yesno":
        return tuple(
            FormField(f"{question.id}-{choice.value}", "check", choice.label, choice.label.lower())
            for choice in FIELDS.yes_no
        )
    return (FormField(question.id, "text" if question.answer == "text" else "line"),)


def checklist_field(checklist: Checklist, item: ChecklistItem) -> FormField:
    # "--" cannot occur in an id, so this never clashes with a question; the
    # web page uses the same anchor for the item.
    return FormField(f"{checklist.id}--{item.id}", "check")


def goal_fields() -> Goals:
    """The goal table: ``_<column>-<row>`` for every column of the web sheet's table."""
    columns = FIELDS.goal_columns
    rows = tuple(
        tuple(
            FormField(f"_{col.key}-{row}", "text" if col.kind == "text" else "line", col.label, f"{col.label}, rad {row}")
            for col in columns
        )
        for row in range(1, GOAL_ROWS + 1)
    )
    return Goals(columns=columns, rows=rows)


def header_fields() -> tuple[FormField, ...]:
    """Name, manager and date: the same names as the web sheet's header fields."""
    return tuple(FormField(f.name, "line", f.label) for f in FIELDS.header)


class _Names:
    """Keeps field names unique in one PDF: a repeat gets its sheet's id in front."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, fields: tuple[FormField, ...], prefix: str) -> tuple[FormField, ...]:
        out = []
        for f in fields:
            name = f.name if f.name not in self.used else f"{prefix}--{f.name}"
            self.used.add(name)
            out.append(FormField(name, f.kind, f.label, f.title))
        return tuple(out)


def sheet_view(guide: Guide, sheet: Worksheet, names: _Names, anchor: str = "") -> SheetView:
    bank = guide.bank
    entries = [
        Entry(q, number, names.claim(question_fields(q, sheet.layout), sheet.id))
        for number, q in enumerate(sheet.questions, start=1)
    ]
    # Topics in the order the questions come, so numbering runs straight through.
    groups = tuple(
        (bank.topic(topic_id), tuple(run)) for topic_id, run in groupby(entries, key=lambda e: e.question.topic)
    )
    goals = None
    if sheet.layout == "plan":
        plan = goal_fields()
        goals = Goals(plan.columns, tuple(names.claim(row, sheet.id) for row in plan.rows))
    return SheetView(
        id=sheet.id,
        title=sheet.title,
        intro=sheet.intro,
        layout=sheet.layout,
        anchor=anchor or sheet.id,
        qr=qr_code(guide.site_url, worksheet_url(sheet.id), "Fyll i arbetsbladet på webben:"),
        groups=groups,
        header_fields=names.claim(header_fields(), sheet.id),
        goals=goals,
        checklist=checklist_view(guide, sheet.checklist, names, f"{sheet.id}--{sheet.checklist.id}")
        if sheet.checklist
        else None,
    )


def checklist_view(guide: Guide, checklist: Checklist, names: _Names, anchor: str = "") -> ChecklistView:
    items = tuple(
        (item, names.claim((checklist_field(checklist, item),), checklist.id)[0]) for item in checklist.items
    )
    return ChecklistView(
        id=checklist.id,
        title=checklist.title,
        intro=checklist.intro,
        anchor=anchor or checklist.id,
        qr=qr_code(guide.site_url, f"{checklist.phase}/#{checklist.id}", "Checklistan på webben:"),
        items=items,
    )


def qr_code(site_url: str, path: str, caption: str) -> QrCode | None:
    """A QR code with the absolute address of ``path`` on the site, if the site has an address."""
    if not site_url:
        return None
    return QrCode(url=qr.absolute_url(site_url, path), caption=caption)


QR_SCHEME = "samtal-qr:"
_QR_SRC = re.compile(r'src="samtal-qr:([^"]*)"')


def with_qr_codes(html: str) -> str:
    """Replace every QR placeholder in ``html`` by the QR code as an SVG data URI."""
    return _QR_SRC.sub(lambda match: f'src="{qr.qr_data_uri(html_lib.unescape(match.group(1)))}"', html)


def make_jobs(documents: dict[str, str], template_dir: Path) -> list[pdf_render.Job]:
    """Render jobs for documents (id → HTML), with their QR codes filled in."""
    from . import pdf_render

    base_url = template_dir.as_uri() + "/"
    return [pdf_render.Job(doc_id=doc_id, html=with_qr_codes(html), base_url=base_url) for doc_id, html in documents.items()]


def version_text(version: str) -> str:
    """``2025-03-07`` → ``7 mars 2025``."""
    try:
        day = date.fromisoformat(version)
    except ValueError:
        return version
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# --------------------------------------------------------------------------- HTML of every document


def render_documents(guide: Guide) -> dict[str, str]:
    """Document id → HTML, in the order of :func:`document_ids`."""
    bank = guide.bank
    common = {"org": guide.org, "version": guide.version, "version_text": version_text(guide.version)}
    docs: dict[str, str] = {}
    for sheet in bank.sheets:
        view = sheet_view(guide, sheet, _Names())
        info = DocInfo(sheet.id, "worksheet", sheet.title, plain_text(sheet.intro) or sheet.title)
        docs[sheet.id] = _render(guide, "worksheet.html", doc=info, sheet=view, **common)
    for checklist in bank.checklists:
        view = checklist_view(guide, checklist, _Names())
        info = DocInfo(checklist.id, "checklist", checklist.title, plain_text(checklist.intro) or checklist.title)
        docs[checklist.id] = _render(guide, "checklist.html", doc=info, checklist=view, **common)
    info = DocInfo(
        BOOKLET_ID,
        "booklet",
        "Hela samtalet",
        "Alla checklistor och arbetsblad för utvecklingssamtalet: förberedelse, samtalet, efterarbete och handlingsplan.",
    )
    docs[BOOKLET_ID] = _render(guide, "booklet.html", doc=info, **booklet_context(guide), **common)
    for link in share.share_links(bank, pdf_enabled=True):
        info = DocInfo(handout_id(link), "handout", link.title, plain_text(link.description) or link.title)
        code = qr_code(guide.site_url, link.path, "")
        docs[info.id] = _render(guide, "handout.html", doc=info, item=link, qr=code, **common)
    return docs


def booklet_context(guide: Guide) -> dict[str, Any]:
    bank = guide.bank
    names = _Names()
    cover_fields = names.claim(header_fields(), BOOKLET_ID)
    parts = []
    for phase in bank.phases:
        items: list[ChecklistView | SheetView] = [
            checklist_view(guide, c, names, f"del-{c.id}") for c in bank.checklists if c.phase == phase.id
        ]
        items += [sheet_view(guide, w, names, f"del-{w.id}") for w in bank.worksheets if w.phase == phase.id]
        if items:
            parts.append(Part(phase=phase, anchor=f"fas-{phase.id}", items=tuple(items)))
    # Worksheets without a phase come last, so nothing in the bank is left out.
    loose = tuple(sheet_view(guide, w, names, f"del-{w.id}") for w in bank.worksheets if w.phase is None)
    if loose:
        parts.append(Part(phase=Phase(id="ovrigt", title="Fler arbetsblad"), anchor="fas-ovrigt", items=loose))
    cover = {
        "qr": qr_code(guide.site_url, "", "Guiden på webben:"),
        "intro": "Här finns allt du behöver för ditt utvecklingssamtal: checklistor och arbetsblad för "
        "förberedelsen, samtalet och efterarbetet, och sist en handlingsplan. Fyll i på skärmen eller skriv ut och fyll i för hand.",
        "header_fields": cover_fields,
    }
    return {"parts": parts, "cover": cover}


def _render(guide: Guide, name: str, **context: Any) -> str:
    """Render one PDF template (an error is reported by site.py with its file and line)."""
    return guide.ctx.env.get_template(f"{TEMPLATE_SUBDIR}/{name}").render(**context)


# --------------------------------------------------------------------------- cache


def assets_digest(template_dir: Path) -> str:
    """A hash of what every PDF shares: stylesheet, fonts, renderer code and versions."""
    versions = [f"{name} {_version(name)}" for name in ("weasyprint", "pydyf", "segno", "tinycss2", "fonttools")]
    digest = hashlib.sha256("; ".join(versions).encode())
    # The renderer's code holds the PDF options (pdf/ua-1, forms, identifier).
    files = [template_dir / STYLESHEET, RENDERER_SOURCE]
    files += sorted(p for p in (template_dir / FONTS_SUBDIR).rglob("*") if p.is_file())
    for path in files:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def cache_key(assets: str, html: str) -> str:
    return hashlib.sha256(f"{assets}\0{html}".encode()).hexdigest()[:24]


def prune_cache(cache_dir: Path) -> None:
    """Remove cached PDFs no build has used for a while."""
    limit = time.time() - CACHE_MAX_AGE_DAYS * 86400
    for path in cache_dir.glob("*.pdf"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- rendering


def worker_count(jobs: int) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    env = os.environ.get("SAMTAL_PDF_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        cores = int(env)
    return max(1, min(cores, jobs))


def render_jobs(jobs: list[pdf_render.Job], stylesheet: Path) -> list[pdf_render.Result]:
    """Render ``jobs``: in this process if one worker is enough, else in a process pool.

    The stylesheet is read here first, so an error in it stops the build with
    its file name before any worker starts.
    """
    from . import pdf_render

    local = pdf_render.Renderer(stylesheet)
    workers = worker_count(len(jobs))
    if workers == 1:
        return [local.render(job) for job in jobs]
    # Largest first, so the booklet does not start last and hold up the build.
    ordered = sorted(jobs, key=lambda job: len(job.html), reverse=True)
    # fork: the workers start with WeasyPrint already imported. Each one still
    # reads the stylesheet and fonts itself (init_worker): WeasyPrint's font
    # configuration owns a temporary folder and C objects not meant to be shared.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=pdf_render.init_worker, initargs=(str(stylesheet),)
    ) as pool:
        results = list(pool.map(pdf_render.render_in_worker, ordered))
    order = {job.doc_id: i for i, job in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r.doc_id])
