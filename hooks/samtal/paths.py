"""Where things are on the site: one place for every stable path people share."""

from __future__ import annotations

QUESTIONS_PAGE = "fragor.md"
QUESTIONS_URL = "fragor/"
WORKSHEET_INDEX = "arbetsblad/index.md"
CUSTOM_SHEET_PAGE = "arbetsblad/eget.md"


def worksheet_src(worksheet_id: str) -> str:
    return f"arbetsblad/{worksheet_id}.md"


def worksheet_url(worksheet_id: str) -> str:
    """``/arbetsblad/<id>/``, site-relative; ``eget`` is the sheet made by a link."""
    return f"arbetsblad/{worksheet_id}/"


CUSTOM_SHEET_URL = worksheet_url("eget")


def pdf_src(item_id: str) -> str:
    return f"pdf/{item_id}.pdf"
BOOKLET_ID = "hela-samtalet"  # /pdf/hela-samtalet.pdf: the whole talk in one PDF


def directory_url(src: str) -> str:
    """The URL MkDocs gives a Markdown file with ``use_directory_urls`` (``a/b.md`` → ``a/b/``)."""
    stem = src.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"
