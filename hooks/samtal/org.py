"""The publishing organisation: ``extra.organisation`` in ``mkdocs.yml``.

The defaults are neutral, so the guide works for anyone. A union or branch
sets its name, colour and where members get help, and that is shown on every
page, worksheet and PDF.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

NEUTRAL_NAME = "din fackliga organisation"
DEFAULT_COLOUR = "#1f5f8b"


class HelpContact(BaseModel):
    """One way to get help: an advice line, the local branch, a representative."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    text: str = ""
    phone: str = ""
    email: str = ""
    url: str = ""


class Organisation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    short_name: str = ""
    logo: str = ""  # a file in the project, e.g. orgs/logo.svg; shown in the header
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] = DEFAULT_COLOUR
    help: list[HelpContact] = []

    @field_validator("colour")
    @classmethod
    def _readable_on_white(cls, value: str) -> str:
        # White text on the colour and the colour as link text on white must
        # both reach WCAG AA contrast (4.5:1).
        if contrast(value, "#ffffff") < 4.5:
            raise ValueError(f"färgen {value} är för ljus: vit text på den går inte att läsa (kontrast under 4,5:1)")
        return value

    @property
    def display_name(self) -> str:
        """The organisation's name, or the neutral wording."""
        return self.name or NEUTRAL_NAME


class OrganisationError(ValueError):
    pass


def load_organisation(extra: dict[str, Any]) -> Organisation:
    raw = extra.get("organisation") or {}
    try:
        return Organisation.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            lines.append(f"extra.organisation.{where}: {err['msg']}")
        raise OrganisationError("Inställningen extra.organisation i mkdocs.yml har fel:\n  " + "\n  ".join(lines)) from None


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def darken(colour: str, factor: float) -> str:
    """A darker shade of ``colour`` (factor 0..1 of the original brightness)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return colour
    parts = [round(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{p:02x}" for p in parts)
