"""The links a union representative sends to members, with a QR code and a handout each."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Bank
from .paths import BOOKLET_ID, QUESTIONS_PAGE, handout_pdf_id, handout_src, pdf_src, worksheet_src
from .strings import Strings


@dataclass(frozen=True)
class ShareLink:
    id: str  # stable: the handout page is /utdelning/<id>/
    title: str
    description: str
    src: str  # the source file the link opens (a page or a PDF)

    @property
    def handout_src(self) -> str:
        return handout_src(self.id)

    @property
    def handout_pdf_id(self) -> str:
        return handout_pdf_id(self.id)

    @property
    def handout_pdf(self) -> str:
        return pdf_src(self.handout_pdf_id)


def share_links(bank: Bank, strings: Strings, *, pdf_enabled: bool) -> list[ShareLink]:
    """Every link worth sending, in the order a representative meets them."""
    t = strings.t
    links = [
        ShareLink(
            f"del-{phase.id}",
            t("share.phase_title", number=number, title=phase.title),
            phase.summary or phase.title,
            phase.page,
        )
        for number, phase in enumerate(bank.phases, start=1)
    ]
    links.append(ShareLink("alla-fragor", t("share.bank_title"), t("share.bank_description"), QUESTIONS_PAGE))
    for sheet in bank.sheets:
        kind = t("share.set_title" if sheet.from_set else "share.sheet_title", title=sheet.title)
        links.append(ShareLink(f"blad-{sheet.id}", kind, sheet.intro or sheet.title, worksheet_src(sheet.id)))
    if pdf_enabled:
        links.append(
            ShareLink(f"pdf-{BOOKLET_ID}", t("share.booklet_title"), t("share.booklet_description"), pdf_src(BOOKLET_ID))
        )
    return links
