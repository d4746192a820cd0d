"""The WeasyPrint side of the PDFs: HTML in, PDF bytes out.

Runs in the build process and in the worker processes of
:func:`samtal.pdf.build_all`, so it lives in an importable module (a process
pool cannot send work defined in a hook file). Each process reads the
stylesheet and its fonts once (:class:`Renderer`) and then renders any number
of documents with them.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import weasyprint
from weasyprint.text.fonts import FontConfiguration

# Options for every PDF. pdf/ua-1 turns on tags (a structure tree) and PDF 1.7;
# forms make the <input>/<textarea> elements fillable fields. Compressed object
# streams keep the files small; uncompressed_pdf stays off. This file's source
# is part of every PDF's cache key (samtal.pdf.assets_digest), so changing an
# option here renders every PDF again.
RENDER_OPTIONS: dict[str, object] = {
    "pdf_variant": "pdf/ua-1",
    "pdf_forms": True,
    "uncompressed_pdf": False,
}


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
    base_url: str


@dataclass(frozen=True)
class Result:
    doc_id: str
    pdf: bytes
    pages: int
    cpu_seconds: float
    warnings: list[str] = field(default_factory=list)


def pdf_identifier(doc_id: str) -> bytes:
    """A fixed identifier per document, so two builds give the same bytes."""
    return hashlib.md5(f"samtalsguiden/pdf/{doc_id}".encode()).hexdigest().encode()


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

    def __init__(self, stylesheet: Path) -> None:
        self.stylesheet = stylesheet
        self.font_config = FontConfiguration()
        try:
            text = stylesheet.read_text(encoding="utf-8")
        except OSError as exc:
            raise StylesheetError(stylesheet, [f"filen går inte att läsa ({exc.strerror})"]) from None
        with weasyprint_warnings() as problems:
            # base_url makes url(fonts/...) relative to the stylesheet's folder.
            self.css = weasyprint.CSS(
                string=text, base_url=stylesheet.as_uri(), font_config=self.font_config
            )
        if problems:
            raise StylesheetError(stylesheet, problems)

    def render(self, job: Job) -> Result:
        start = time.process_time()
        with weasyprint_warnings() as problems:
            document = weasyprint.HTML(string=job.html, base_url=job.base_url).render(
                stylesheets=[self.css], font_config=self.font_config, **RENDER_OPTIONS
            )
            pdf = document.write_pdf(pdf_identifier=pdf_identifier(job.doc_id), **RENDER_OPTIONS)
        assert isinstance(pdf, bytes)
        return Result(
            doc_id=job.doc_id,
            pdf=pdf,
            pages=len(document.pages),
            cpu_seconds=time.process_time() - start,
            warnings=problems,
        )


# -- worker processes ---------------------------------------------------------

_worker: Renderer | None = None


def init_worker(stylesheet: str) -> None:
    """Pool initializer: read the stylesheet and fonts once per worker process."""
    global _worker
    _worker = Renderer(Path(stylesheet))


def render_in_worker(job: Job) -> Result:
    if _worker is None:
        raise RuntimeError("init_worker has not run in this process")
    return _worker.render(job)
