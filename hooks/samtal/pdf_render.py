"""The WeasyPrint side of the PDFs: HTML in, PDF bytes out, nothing fetched.

Runs in the build process and in the worker processes of
:func:`samtal.pdf.render_jobs`, so it lives in an importable module. Each
process reads the stylesheet and its fonts once (:class:`Renderer`) and then
renders any number of documents with them.

The renderer's ``url_fetcher`` serves only the project's fonts and ``data:``
URIs (QR codes, the logo). Anything else a document asks for (an image from
the web, a local file) is refused and reported, so a build never sends a
request and never embeds a file it was not meant to.

Two things make rendering faster without changing a byte of the PDFs
(``tests/test_pdf.py`` checks both):

- The PDF templates write well-formed XHTML, so a document is parsed by the
  XML parser in C instead of WeasyPrint's HTML parser in Python (a tenth of
  the CPU time); a document that is not well-formed still goes through the
  HTML parser (:func:`parse`).
- WeasyPrint's font subsetting asks cffi for a new C array type for every
  length it meets (``hb_codepoint_t[123]``), and cffi parses each new type
  with pycparser: about 25 ms a document. :func:`_share_array_types` lets
  those calls use one open array type (``hb_codepoint_t[]``), which cffi
  parses once.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing.util
import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import cssselect2
import tinyhtml5
import weasyprint
from weasyprint.text.ffi import ffi
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Options for every PDF. pdf/ua-1 turns on tags (a structure tree) and PDF 1.7;
# forms make the <input>/<textarea> elements fillable fields. This file's
# source is part of every PDF's cache key, so changing an option here renders
# every PDF again.
RENDER_OPTIONS: dict[str, object] = {
    "pdf_variant": "pdf/ua-1",
    "pdf_forms": True,
    "uncompressed_pdf": False,
}
BASE_URL = "samtal-pdf:/"  # documents' base: relative addresses resolve to nothing fetchable
_SIZED_ARRAY = re.compile(r"^hb_codepoint_t\[(\d+)\]$")


def _share_array_types() -> None:
    """Make ``ffi.new("hb_codepoint_t[N]", items)`` use the type ``hb_codepoint_t[]`` (see above).

    Only calls whose items fill the array exactly are changed, so every
    array holds the same values as before.
    """
    if getattr(ffi, "_samtal_original_new", None) is not None:
        return
    original = ffi.new

    def new(cdecl: Any, init: Any = None) -> Any:
        if isinstance(cdecl, str) and init is not None:
            match = _SIZED_ARRAY.match(cdecl)
            if match and int(match.group(1)) == len(init):
                return original("hb_codepoint_t[]", init)
        return original(cdecl, init)

    ffi._samtal_original_new = original  # the tests compare the PDFs made with and without this
    ffi.new = new


_share_array_types()


def parse(html: str) -> tuple[ET.Element, bool]:
    """The document's element tree, and whether the fast XML parser could read it."""
    try:
        # Our own templates' output, with every bank text escaped: it declares no
        # entities, so there is nothing for an XML entity attack to use (S314).
        # ammonia (nh3) may write a no-break space as &nbsp;, which XML does not know.
        return ET.fromstring(html.replace("&nbsp;", "&#160;")), True  # noqa: S314
    except ET.ParseError:
        return tinyhtml5.parse(html, namespace_html_elements=False), False


class ParsedHTML(weasyprint.HTML):  # type: ignore[misc]
    """A WeasyPrint document made from an element tree that is already parsed."""

    def __init__(self, root: ET.Element, base_url: str, url_fetcher: URLFetcher) -> None:
        # What weasyprint.HTML.__init__ sets after parsing (WeasyPrint is pinned,
        # and this file is part of every PDF's cache key).
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element


class StylesheetError(Exception):
    """WeasyPrint could not use the stylesheet; the message names the file."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"Fel i stilmallen {path}:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class Job:
    """One document to render."""

    doc_id: str
    html: str


@dataclass(frozen=True)
class Result:
    doc_id: str
    pdf: bytes
    pages: int
    cpu_seconds: float
    warnings: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


def pdf_identifier(doc_id: str) -> bytes:
    """A fixed identifier per document, so two builds give the same bytes."""
    return hashlib.md5(f"samtalsguiden/pdf/{doc_id}".encode(), usedforsecurity=False).hexdigest().encode()


class Fetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's URL fetcher: the font files and data: URIs, nothing else."""

    def __init__(self, fonts: Path) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.fonts = fonts.resolve()
        self.blocked: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.fonts) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/ttf"})
        self.blocked.append(url)
        raise ValueError(f"refused: {url}")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """Collect what WeasyPrint logs as warnings or errors inside the block."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)


CHECK_DA = "/ZaDb 0 Tf 0 g"  # the default appearance of a ticked box: ZapfDingbats, sized to the box
CHECK_CAPTION = "4"  # the tick in ZapfDingbats


def finish_forms(document: Any, pdf: Any) -> None:
    """Give every check box what a reader needs to draw it again (WeasyPrint's finisher hook).

    WeasyPrint asks readers to draw the form fields themselves
    (``NeedAppearances``), but writes check boxes without a default appearance:
    readers that do redraw (Evince, Okular and others built on poppler) then show
    no tick even where one is set. A default appearance with the standard tick
    of ZapfDingbats, and that font in the form's resources, fixes it.
    """
    import pydyf

    form = pdf.catalog.get("AcroForm")
    if form is None:
        return
    boxes = [obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary) and obj.get("FT") == "/Btn"]
    if not boxes:
        return
    resources = _resolve(pdf, form["DR"])
    fonts = resources.get("Font")
    if fonts is None:
        fonts = resources["Font"] = pydyf.Dictionary()
    fonts = _resolve(pdf, fonts)
    dingbats = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/ZapfDingbats"})
    pdf.add_object(dingbats)
    fonts["ZaDb"] = dingbats.reference
    for box in boxes:
        box["DA"] = pydyf.String(CHECK_DA)
        box.setdefault("MK", pydyf.Dictionary())["CA"] = pydyf.String(CHECK_CAPTION)


def _resolve(pdf: Any, value: Any) -> Any:
    """A pydyf object for a reference (b"4 0 R") or the object itself."""
    if isinstance(value, bytes | str) and str(value if isinstance(value, str) else value.decode()).endswith(" R"):
        number = int((value if isinstance(value, str) else value.decode()).split()[0])
        return pdf.objects[number]
    return value


class Renderer:
    """The stylesheet and fonts, read once, and the documents rendered with them."""

    def __init__(self, stylesheet: Path, fonts: Path) -> None:
        self.stylesheet = stylesheet
        self.fetcher = Fetcher(fonts)
        self.font_config = FontConfiguration()
        try:
            text = stylesheet.read_text(encoding="utf-8")
        except OSError as exc:
            raise StylesheetError(stylesheet, [f"filen går inte att läsa ({exc.strerror})"]) from None
        with weasyprint_warnings() as problems:
            # base_url makes url(fonts/...) relative to the stylesheet's folder.
            self.css = weasyprint.CSS(
                string=text, base_url=stylesheet.as_uri(), font_config=self.font_config, url_fetcher=self.fetcher
            )
        if problems or self.fetcher.blocked:
            raise StylesheetError(stylesheet, problems + [f"hämtar {url}" for url in self.fetcher.blocked])

    def render(self, job: Job) -> Result:
        start = time.process_time()
        self.fetcher.blocked = []
        with weasyprint_warnings() as problems:
            root, _ = parse(job.html)
            document = ParsedHTML(root, BASE_URL, self.fetcher).render(
                stylesheets=[self.css], font_config=self.font_config, **RENDER_OPTIONS
            )
            pdf = document.write_pdf(pdf_identifier=pdf_identifier(job.doc_id), finisher=finish_forms, **RENDER_OPTIONS)
        assert isinstance(pdf, bytes)
        blocked = list(dict.fromkeys(self.fetcher.blocked))
        return Result(
            doc_id=job.doc_id,
            pdf=pdf,
            pages=len(document.pages),
            cpu_seconds=time.process_time() - start,
            warnings=[p for p in problems if not any(url in p for url in blocked)],
            blocked=blocked,
        )


# -- worker processes ---------------------------------------------------------

_worker: Renderer | None = None


def init_worker(stylesheet: str, fonts: str) -> None:
    """Pool initializer: read the stylesheet and fonts once per worker process."""
    global _worker  # noqa: PLW0603 - one renderer per worker process
    _worker = Renderer(Path(stylesheet), Path(fonts))
    # A pool worker ends with os._exit, so WeasyPrint's FontConfiguration never
    # removes its temporary folder; multiprocessing runs finalizers first.
    multiprocessing.util.Finalize(None, _close_worker, exitpriority=0)


def _close_worker() -> None:
    global _worker  # noqa: PLW0603
    folder = getattr(_worker.font_config, "_folder", None) if _worker else None
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    _worker = None


def render_in_worker(job: Job) -> Result:
    if _worker is None:
        raise RuntimeError("init_worker has not run in this process")
    return _worker.render(job)
