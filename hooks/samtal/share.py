"""The links a union representative sends to members, with a QR code and a handout each."""

from __future__ import annotations

from dataclasses import dataclass

from .bank import Bank
from .paths import BOOKLET_ID, pdf_src, worksheet_src, worksheet_url

HANDOUT_DIR = "utdelning"



@dataclass(frozen=True)
class ShareLink:
    id: str  # stable: the handout page is /utdelning/<id>/
    title: str
    description: str
    path: str  # site-relative URL of what the link opens
    src: str  # the source file behind it, for checked Markdown links

    @property
    def handout_src(self) -> str:
        return f"{HANDOUT_DIR}/{self.id}.md"

    @property
    def handout_path(self) -> str:
        return f"{HANDOUT_DIR}/{self.id}/"

    @property
    def handout_pdf(self) -> str:
        return pdf_src(f"{HANDOUT_DIR}-{self.id}")


def share_links(bank: Bank, *, pdf_enabled: bool) -> list[ShareLink]:
    """Every link worth sending, in the order a representative meets them."""
    links = [
        ShareLink(
            f"del-{phase.id}",
            f"Del {number} av samtalet: {phase.title}",
            phase.summary or f"Guidens sida om {phase.title.lower()}.",
            f"{phase.id}/",
            f"{phase.id}.md",
        )
        for number, phase in enumerate(bank.phases, start=1)
    ]
    links.append(
        ShareLink(
            "alla-fragor",
            "Alla frågor",
            "Hela frågebanken. Här kan man också välja egna frågor och få en länk till dem.",
            "fragor/",
            "fragor.md",
        )
    )
    for sheet in bank.sheets:
        kind = "Frågesamling" if sheet.from_set else "Arbetsblad"
        links.append(
            ShareLink(
                f"blad-{sheet.id}",
                f"{kind}: {sheet.title}",
                sheet.intro or sheet.title,
                worksheet_url(sheet.id),
                worksheet_src(sheet.id),
            )
        )
    if pdf_enabled:
        links.append(
            ShareLink(
                f"pdf-{BOOKLET_ID}",
                "Hela samtalet som PDF",
                "Alla checklistor och arbetsblad i ett häfte att skriva ut.",
                pdf_src(BOOKLET_ID),
                pdf_src(BOOKLET_ID),
            )
        )
    return links
