"""Where things are on the site: one place for every stable path people share.

Paths here are *source* paths (``arbetsblad/x.md``, ``pdf/x.pdf``), as MkDocs
names its files. What URL a source path gets (``arbetsblad/x/`` or
``arbetsblad/x.html``) is MkDocs' business: the hook file passes its URL
helper in (see :class:`samtal.build.Urls`).
"""

from __future__ import annotations

QUESTIONS_PAGE = "fragor.md"
WORKSHEET_INDEX = "arbetsblad/index.md"
CUSTOM_SHEET_ID = "eget"  # /arbetsblad/eget/: the sheet made by a link
BOOKLET_ID = "hela-samtalet"  # /pdf/hela-samtalet.pdf: the whole talk in one PDF
HANDOUT_DIR = "utdelning"
HANDOUT_PREFIX = "utdelning-"  # /pdf/utdelning-<link>.pdf
NOT_FOUND_PAGE = "404.md"


def worksheet_src(worksheet_id: str) -> str:
    return f"arbetsblad/{worksheet_id}.md"


CUSTOM_SHEET_PAGE = worksheet_src(CUSTOM_SHEET_ID)


def pdf_src(item_id: str) -> str:
    return f"pdf/{item_id}.pdf"


def pdf_fields_src(item_id: str) -> str:
    """The map from a PDF's form fields to the web sheet's answers (filled PDF in the browser)."""
    return f"pdf/{item_id}.fields.json"


def handout_src(link_id: str) -> str:
    return f"{HANDOUT_DIR}/{link_id}.md"


def handout_pdf_id(link_id: str) -> str:
    return f"{HANDOUT_PREFIX}{link_id}"
