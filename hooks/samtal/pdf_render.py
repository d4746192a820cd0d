"""The WeasyPrint side of the PDFs: HTML in, PDF bytes out, nothing fetched.

Runs in the build process and in the worker processes of
:func:`samtal.pdf.render_jobs`, so it lives in an importable module. Each
process reads the stylesheet and its fonts once (:class:`Renderer`) and then
renders any number of documents with them.

The renderer's ``url_fetcher`` serves only the project's fonts and ``data:``
URIs (QR codes, the logo). Anything else a document asks for (an image from
the web, a local file) is refused and reported, so a build never sends a
request and never embeds a file it was not meant to.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
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
    return hashlib.md5(f"samtalsguiden/pdf/{doc_id}".encode()).hexdigest().encode()


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
            document = weasyprint.HTML(string=job.html, base_url=BASE_URL, url_fetcher=self.fetcher).render(
                stylesheets=[self.css], font_config=self.font_config, **RENDER_OPTIONS
            )
            pdf = document.write_pdf(pdf_identifier=pdf_identifier(job.doc_id), **RENDER_OPTIONS)
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
    global _worker
    _worker = Renderer(Path(stylesheet), Path(fonts))


def render_in_worker(job: Job) -> Result:
    if _worker is None:
        raise RuntimeError("init_worker has not run in this process")
    return _worker.render(job)
