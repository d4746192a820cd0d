"""PDF worksheets and checklists (being written; see issue 5)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bank import Bank

if TYPE_CHECKING:
    from .site import Guide


def document_ids(bank: Bank) -> list[str]:
    return [w.id for w in bank.worksheets] + [c.id for c in bank.checklists]


def build_all(guide: Guide, site_dir: Path) -> dict[str, Any]:
    return {"rendered": 0, "reused": 0}
