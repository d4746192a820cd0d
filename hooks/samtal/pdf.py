"""PDF worksheets and checklists: fillable, tagged, small, reproducible and fast.

One PDF per worksheet, set and checklist, the booklet ``hela-samtalet`` (a
cover, then each phase with its checklist and worksheets) and a one-page
handout per link for representatives. Each is rendered by WeasyPrint from the
Jinja templates in ``overrides/samtal/pdf/`` with ``print.css`` and the font
subsets beside it.

How a build goes (:func:`build`):

1. A key for the whole build (:func:`build_key`) hashes what the documents
   are made from: the bank, strings, organisation, addresses, templates and
   engine code. If the cache holds a build under that key, every PDF is taken
   from it without rendering even the HTML (a rebuild with nothing changed).
2. Otherwise every document's HTML is rendered from the bank (milliseconds),
   and each PDF's own cache key hashes that HTML with the stylesheet, the
   fonts, the renderer's code and the library versions.
3. PDFs in the cache are reused, with the warnings WeasyPrint gave when they
   were made (so ``--strict`` fails alike with a warm or a cold cache); the
   rest are rendered in parallel and stored.
4. The renderer fetches nothing: its ``url_fetcher`` serves only the fonts
   and ``data:`` images (QR codes, the logo). Anything else stops the build.

Without a public address (``Inputs.public_url`` is "") the PDFs have no QR
codes and print no address, so paper never leads to 127.0.0.1.
Field names come from :mod:`samtal.fields`, shared with the web sheet.
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import html as html_lib
import importlib.metadata
import json
import multiprocessing
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from jinja2 import Environment

from . import fields, qr, share
from .files import prune, write_atomic
from .markup import plain
from .model import Bank, Checklist, Phase, Worksheet
from .org import Logo, Organisation
from .paths import BOOKLET_ID, worksheet_src
from .strings import Strings

if TYPE_CHECKING:
    from . import pdf_render

TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "overrides" / "samtal" / "pdf"
STYLESHEET = TEMPLATE_DIR / "print.css"
FONTS = TEMPLATE_DIR / "fonts"
# WeasyPrint (in pdf_render) takes a second to import, so it is imported only
# when a PDF has to be rendered; its source is part of every cache key.
RENDERER_SOURCE = Path(__file__).with_name("pdf_render.py")
CACHE_MAX_AGE_DAYS = 30
QR_SCHEME = "samtal-qr:"
_QR_SRC = re.compile(r'src="samtal-qr:([^"]*)"')


class PdfError(Exception):
    """A PDF could not be made; the message says which and why."""


@dataclass(frozen=True)
class Inputs:
    """Everything the PDFs are made from, and nothing more."""

    bank: Bank
    org: Organisation
    strings: Strings
    env: Environment
    version: str  # yyyy-mm-dd
    public_url: str  # "" when the site has no public address: no QR codes, no printed addresses
    url: Callable[[str], str]  # MkDocs' URL of a source path, site-relative
    language: str
    cache_dir: Path
    workers: int  # 0 = one per core
    logo: Logo | None
    site_name: str


@dataclass
class Result:
    files: dict[str, bytes]
    warnings: list[str]
    stats: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- public interface


def document_ids(bank: Bank, strings: Strings) -> list[str]:
    """Ids of every PDF: worksheets and sets, checklists, the booklet, the handouts."""
    ids = [w.id for w in bank.sheets] + [c.id for c in bank.checklists] + [BOOKLET_ID]
    return ids + [link.handout_pdf_id for link in share.share_links(bank, strings, pdf_enabled=True)]


def build(inputs: Inputs) -> Result:
    """Every PDF's bytes, from the cache or freshly rendered."""
    started = time.perf_counter()
    assets = assets_digest()
    whole = build_key(inputs, assets)
    reused = _whole_build_from_cache(inputs.cache_dir, whole)
    if reused is not None:
        prune_cache(inputs.cache_dir)
        pdfs, notes = reused
        stats = {
            "rendered": 0,
            "reused": len(pdfs),
            "pages": 0,
            "cpu_seconds": 0.0,
            "seconds": round(time.perf_counter() - started, 3),
        }
        return Result(pdfs, [f"PDF {doc_id}: {message}" for doc_id in pdfs for message in notes[doc_id]], stats)
    documents = render_documents(inputs)
    todo: dict[str, str] = {}
    keys: dict[str, str] = {}
    files: dict[str, bytes] = {}
    warnings: dict[str, list[str]] = {}
    for doc_id, html in documents.items():
        keys[doc_id] = key = cache_key(assets, html)
        cached = _from_cache(inputs.cache_dir, doc_id, key)
        if cached is None:
            todo[doc_id] = html
        else:
            files[doc_id], warnings[doc_id] = cached
    pages = 0
    cpu = 0.0
    if todo:
        from . import pdf_render

        try:
            results = render_jobs(make_jobs(todo), inputs.workers)
        except pdf_render.StylesheetError as exc:
            raise PdfError(str(exc)) from None
        for result in results:
            if result.blocked:
                raise PdfError(
                    f"PDF:en '{result.doc_id}' försökte hämta {', '.join(result.blocked)}. "
                    "PDF:erna hämtar ingenting utanför projektet: ta bort bilden eller länken ur texten"
                    + _where(inputs.bank, result.blocked)
                )
            files[result.doc_id] = result.pdf
            warnings[result.doc_id] = result.warnings
            _to_cache(inputs.cache_dir, result.doc_id, keys[result.doc_id], result.pdf, result.warnings)
            pages += result.pages
            cpu += result.cpu_seconds
    _whole_build_to_cache(inputs.cache_dir, whole, keys)
    prune_cache(inputs.cache_dir)
    ordered = {doc_id: files[doc_id] for doc_id in documents}
    messages = [f"PDF {doc_id}: {message}" for doc_id in documents for message in warnings.get(doc_id, [])]
    stats = {
        "rendered": len(todo),
        "reused": len(documents) - len(todo),
        "pages": pages,
        "cpu_seconds": round(cpu, 3),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return Result(ordered, messages, stats)


def _where(bank: Bank, urls: list[str]) -> str:
    """Which bank texts hold an address the renderer was asked for."""
    found = [f"fråga '{q.id}'" for q in bank.questions if any(url in f"{q.text} {q.hint} {q.follow_up}" for url in urls)]
    return f" ({bank.path}: {', '.join(found)})" if found else f" ({bank.path})"


# --------------------------------------------------------------------------- what the templates get


@dataclass(frozen=True)
class Entry:
    number: int
    question: Any
    controls: tuple[fields.Control, ...]


@dataclass(frozen=True)
class QrCode:
    """A QR code for ``url``. ``src`` is a placeholder until the PDF is rendered (:func:`with_qr_codes`)."""

    url: str
    caption: str

    @property
    def src(self) -> str:
        return QR_SCHEME + self.url


@dataclass(frozen=True)
class ChecklistView:
    id: str
    title: str
    intro: str
    anchor: str
    qr: QrCode | None
    controls: tuple[fields.Control, ...]
    kind: str = "checklist"


@dataclass(frozen=True)
class SheetView:
    id: str
    title: str
    intro: str
    layout: str
    anchor: str
    qr: QrCode | None
    entries: tuple[Entry, ...]
    header: tuple[fields.Control, ...]
    goals: tuple[tuple[fields.Control, ...], ...]
    checklist: ChecklistView | None
    kind: str = "worksheet"


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


def qr_code(inputs: Inputs, src: str, caption: str, anchor: str = "") -> QrCode | None:
    """A QR code with the published address of ``src``, if the site has one."""
    if not inputs.public_url:
        return None
    return QrCode(url=inputs.public_url + inputs.url(src) + (f"#{anchor}" if anchor else ""), caption=caption)


def sheet_view(inputs: Inputs, sheet: Worksheet, prefix: str = "", anchor: str = "") -> SheetView:
    bank = inputs.bank
    entries = tuple(
        Entry(number, q, fields.question_controls(q, sheet.layout, bank.sheet, prefix))
        for number, q in enumerate(sheet.questions, start=1)
    )
    goals = fields.goal_controls(bank.sheet.goals, prefix) if sheet.layout == "plan" and bank.sheet.goals else ()
    return SheetView(
        id=sheet.id,
        title=sheet.title,
        intro=sheet.intro,
        layout=sheet.layout,
        anchor=anchor or sheet.id,
        qr=qr_code(inputs, worksheet_src(sheet.id), inputs.strings.t("pdf.qr_sheet")),
        entries=entries,
        header=fields.header_controls(bank.sheet, prefix),
        goals=goals,
        checklist=checklist_view(inputs, sheet.checklist, prefix, f"{sheet.id}--{sheet.checklist.id}")
        if sheet.checklist
        else None,
    )


def checklist_view(inputs: Inputs, checklist: Checklist, prefix: str = "", anchor: str = "") -> ChecklistView:
    phase = inputs.bank.phase(checklist.phase)
    return ChecklistView(
        id=checklist.id,
        title=checklist.title,
        intro=checklist.intro,
        anchor=anchor or checklist.id,
        qr=qr_code(inputs, phase.page, inputs.strings.t("pdf.qr_checklist"), checklist.id),
        controls=fields.checklist_controls(checklist, prefix),
    )


def with_qr_codes(html: str) -> str:
    """Replace every QR placeholder in ``html`` by the QR code as a PNG data URI."""
    return _QR_SRC.sub(lambda match: f'src="{qr.qr_png_data_uri(html_lib.unescape(match.group(1)))}"', html)


def make_jobs(documents: dict[str, str]) -> list[pdf_render.Job]:
    """Render jobs for documents (id → HTML), with their QR codes filled in."""
    from . import pdf_render

    return [pdf_render.Job(doc_id=doc_id, html=with_qr_codes(html)) for doc_id, html in documents.items()]


def version_text(strings: Strings, version: str) -> str:
    """``2025-03-07`` → ``7 mars 2025`` (the month names come from the strings file)."""
    try:
        day = date.fromisoformat(version)
    except ValueError:
        return version
    month = strings.t(f"months.m{day.month}")
    return strings.t("pdf.date", day=day.day, month=month, year=day.year)


def _logo_uri(logo: Logo | None) -> str:
    if logo is None:
        return ""
    kind = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}[logo.suffix]
    return f"data:{kind};base64,{base64.b64encode(logo.data).decode('ascii')}"


# --------------------------------------------------------------------------- HTML of every document


def render_documents(inputs: Inputs) -> dict[str, str]:
    """Document id → HTML, in the order of :func:`document_ids`."""
    bank, t = inputs.bank, inputs.strings.t
    common = {
        "org": inputs.org,
        "t": inputs.strings.markup,
        "facts": bank.sheet,
        "version": inputs.version,
        "version_text": version_text(inputs.strings, inputs.version),
        "language": inputs.language,
        "logo": _logo_uri(inputs.logo),
        "site_name": inputs.site_name,
        "public_url": inputs.public_url,
        "strings_neutral": t("org.neutral_name"),
    }
    docs: dict[str, str] = {}
    for sheet in bank.sheets:
        info = DocInfo(sheet.id, "worksheet", plain(sheet.title), plain(sheet.intro) or plain(sheet.title))
        docs[sheet.id] = _render(inputs, "worksheet.html", doc=info, sheet=sheet_view(inputs, sheet), **common)
    for checklist in bank.checklists:
        info = DocInfo(checklist.id, "checklist", plain(checklist.title), plain(checklist.intro) or plain(checklist.title))
        docs[checklist.id] = _render(inputs, "checklist.html", doc=info, checklist=checklist_view(inputs, checklist), **common)
    info = DocInfo(BOOKLET_ID, "booklet", t("booklet.title"), t("booklet.description"))
    docs[BOOKLET_ID] = _render(inputs, "booklet.html", doc=info, **booklet_context(inputs), **common)
    for link in share.share_links(bank, inputs.strings, pdf_enabled=True):
        info = DocInfo(link.handout_pdf_id, "handout", plain(link.title), plain(link.description) or plain(link.title))
        code = qr_code(inputs, link.src, "")
        docs[info.id] = _render(inputs, "handout.html", doc=info, item=link, qr=code, **common)
    return docs


def booklet_context(inputs: Inputs) -> dict[str, Any]:
    """The booklet: each phase with its checklist once, then its worksheets (each sheet's
    own checklist is left out there, since it stands under its phase already)."""
    bank = inputs.bank
    shown_checklists = {c.id for c in bank.checklists}
    parts = []
    for phase in bank.phases:
        items: list[ChecklistView | SheetView] = [
            checklist_view(inputs, c, "", f"del-{c.id}") for c in bank.checklists if c.phase == phase.id
        ]
        for sheet in bank.worksheets:
            if sheet.phase == phase.id:
                view = sheet_view(inputs, sheet, sheet.id, f"del-{sheet.id}")
                if view.checklist and view.checklist.id in shown_checklists:
                    view = _without_checklist(view)
                items.append(view)
        if items:
            parts.append(Part(phase=phase, anchor=f"fas-{phase.id}", items=tuple(items)))
    # Worksheets without a phase come last, so nothing in the bank is left out.
    loose = tuple(sheet_view(inputs, w, w.id, f"del-{w.id}") for w in bank.worksheets if w.phase is None)
    if loose:
        parts.append(
            Part(
                phase=Phase(id="ovrigt", title=inputs.strings.t("booklet.more"), summary="", page=""),
                anchor="fas-ovrigt",
                items=loose,
            )
        )
    cover = {
        "qr": qr_code(inputs, "index.md", inputs.strings.t("pdf.qr_guide")),
        "header": fields.header_controls(bank.sheet, BOOKLET_ID),
    }
    return {"parts": parts, "cover": cover}


def _without_checklist(view: SheetView) -> SheetView:
    return replace(view, checklist=None)


def _render(inputs: Inputs, name: str, **context: Any) -> str:
    """Render one PDF template (an error is reported by the caller with its file and line)."""
    return paper_links(inputs.env.get_template(f"pdf/{name}").render(**context), inputs.public_url)


_HREF = re.compile(r'<a href="([^"]*)"')


def paper_links(html: str, public_url: str) -> str:
    """Links a PDF can follow: in-document (#…) and absolute ones stay; a site-relative
    link from bank text gets the site's public address, or is left out without one
    (a PDF has no address of its own to resolve it against)."""

    def fix(match: re.Match[str]) -> str:
        href = html_lib.unescape(match.group(1))
        if href.startswith("#") or re.match(r"^(https?|mailto|tel):", href, re.I):
            return match.group(0)
        if public_url:
            return f'<a href="{html_lib.escape(urljoin(public_url, href))}"'
        return "<a"

    return _HREF.sub(fix, html)


# --------------------------------------------------------------------------- cache


def assets_digest() -> str:
    """A hash of what every PDF shares: stylesheet, fonts, renderer code and versions."""
    versions = [f"{name} {_version(name)}" for name in ("weasyprint", "pydyf", "segno", "tinycss2", "fonttools")]
    digest = hashlib.sha256("; ".join(versions).encode())
    for path in [STYLESHEET, RENDERER_SOURCE, *sorted(p for p in FONTS.rglob("*") if p.is_file())]:
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


ENGINE_SOURCES = Path(__file__).resolve().parent  # the engine's code: what turns the inputs into HTML


def build_key(inputs: Inputs, assets: str) -> str:
    """A hash of everything the documents' HTML is made from, so a rebuild with
    nothing changed takes every PDF from the cache without rendering any HTML.

    Anything left out here only costs time: each PDF is still keyed by its own
    HTML (:func:`cache_key`) when this key misses.
    """
    digest = hashlib.sha256(assets.encode())
    for path in sorted([*TEMPLATE_DIR.glob("*.html"), *ENGINE_SOURCES.glob("*.py")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    org = inputs.org
    logo = inputs.logo
    parts: list[object] = [
        replace(inputs.bank, path=Path(inputs.bank.path.name)),  # the same key in every checkout
        inputs.strings.name,
        sorted((key, str(value)) for key, value in inputs.strings.texts.items()),
        (org.name, org.short_name, org.colour, org.help),
        (logo.suffix, hashlib.sha256(logo.data).hexdigest()) if logo else None,
        inputs.version,
        inputs.public_url,
        inputs.language,
        inputs.site_name,
        [(src, inputs.url(src)) for src in sorted(_linked_sources(inputs.bank, inputs.strings))],
    ]
    for part in parts:
        digest.update(repr(part).encode() + b"\0")
    return digest.hexdigest()[:24]


def _linked_sources(bank: Bank, strings: Strings) -> set[str]:
    """Every site path a PDF links to (its QR codes and printed addresses)."""
    sources = {"index.md", *(phase.page for phase in bank.phases), *(worksheet_src(sheet.id) for sheet in bank.sheets)}
    return sources | {link.src for link in share.share_links(bank, strings, pdf_enabled=True)}


def _whole_build_from_cache(cache_dir: Path, key: str) -> tuple[dict[str, bytes], dict[str, list[str]]] | None:
    try:
        manifest = json.loads((cache_dir / f"build-{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict):
        return None
    files: dict[str, bytes] = {}
    warnings: dict[str, list[str]] = {}
    for doc_id, doc_key in manifest.items():
        cached = _from_cache(cache_dir, str(doc_id), str(doc_key))
        if cached is None:
            return None
        files[doc_id], warnings[doc_id] = cached
    now = time.time()
    os.utime(cache_dir / f"build-{key}.json", (now, now))
    return files, warnings


def _whole_build_to_cache(cache_dir: Path, key: str, keys: dict[str, str]) -> None:
    write_atomic(cache_dir / f"build-{key}.json", json.dumps(keys))


def cache_key(assets: str, html: str) -> str:
    return hashlib.sha256(f"{assets}\0{html}".encode()).hexdigest()[:24]


def _from_cache(cache_dir: Path, doc_id: str, key: str) -> tuple[bytes, list[str]] | None:
    pdf, notes = cache_dir / f"{doc_id}-{key}.pdf", cache_dir / f"{doc_id}-{key}.json"
    try:
        data = pdf.read_bytes()
        warnings = json.loads(notes.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not data.startswith(b"%PDF-") or not isinstance(warnings, list):
        return None
    now = time.time()
    for path in (pdf, notes):
        os.utime(path, (now, now))  # keeps it from being pruned as unused
    return data, [str(w) for w in warnings]


def _to_cache(cache_dir: Path, doc_id: str, key: str, data: bytes, warnings: list[str]) -> None:
    # The warnings first: a PDF in the cache always has its warnings beside it.
    write_atomic(cache_dir / f"{doc_id}-{key}.json", json.dumps(warnings, ensure_ascii=False))
    write_atomic(cache_dir / f"{doc_id}-{key}.pdf", data)


def prune_cache(cache_dir: Path) -> None:
    """Remove cached PDFs no build has used for a while."""
    prune(cache_dir, ("*.pdf", "*.json"), days=CACHE_MAX_AGE_DAYS)


# --------------------------------------------------------------------------- rendering


def worker_count(jobs: int, wanted: int) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(wanted or cores, jobs))


def render_jobs(jobs: list[pdf_render.Job], wanted_workers: int) -> list[pdf_render.Result]:
    """Render ``jobs``: in this process if one worker is enough, else in a process pool.

    The stylesheet is read here first, so an error in it stops the build with
    its file name before any worker starts.
    """
    from . import pdf_render

    local = pdf_render.Renderer(STYLESHEET, FONTS)
    workers = worker_count(len(jobs), wanted_workers)
    if workers == 1:
        return [local.render(job) for job in jobs]
    # Largest first, so the booklet does not start last and hold up the build.
    ordered = sorted(jobs, key=lambda job: len(job.html), reverse=True)
    # fork: the workers start with WeasyPrint already imported. Each still reads
    # the stylesheet and fonts itself: WeasyPrint's font configuration owns a
    # temporary folder and C objects not meant to be shared.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=pdf_render.init_worker, initargs=(str(STYLESHEET), str(FONTS))
    ) as pool:
        results = list(pool.map(pdf_render.render_in_worker, ordered))
    order = {job.doc_id: i for i, job in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r.doc_id])
