"""The publishing organisation: ``extra.organisation`` in ``mkdocs.yml``.

The defaults are neutral, so the guide works for anyone. A union or branch
sets its name, logo, colour and where members get help. Like the bank, this
block is edited by many hands: every value is checked here (contacts are
phone numbers, e-mail addresses and https addresses; the logo is a small
image inside the project) and escaped where it lands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .configfile import ConfigLines

DEFAULT_COLOUR = "#1f5f8b"
MAX_LOGO_BYTES = 1_000_000
TEXT_KEYS = ("name", "short_name")
CONTACT_KEYS = ("title", "text", "phone", "email", "url")

_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,24}$")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_HTTPS = re.compile(r"^https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[^\s<>\"'`\\]*)?$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class OrganisationError(ValueError):
    pass


@dataclass(frozen=True)
class HelpContact:
    """One way to get help: an advice line, the local branch, a representative."""

    title: str
    text: str = ""
    phone: str = ""
    email: str = ""
    url: str = ""

    @property
    def tel(self) -> str:
        """The number as a ``tel:`` address: digits and a leading +."""
        return "tel:" + re.sub(r"[^0-9+]", "", self.phone)


@dataclass(frozen=True)
class Logo:
    path: Path  # inside the project
    suffix: str  # .svg, .png, .jpg or .webp: what the content is, not what the name says
    data: bytes


@dataclass(frozen=True)
class Organisation:
    name: str = ""
    short_name: str = ""
    colour: str = DEFAULT_COLOUR
    help: tuple[HelpContact, ...] = ()
    logo: Logo | None = None

    def display_name(self, neutral: str) -> str:
        """The organisation's name, or the neutral wording of the strings file."""
        return self.name or neutral


def load_organisation(raw: Any, *, config_file: Path | None, root: Path) -> Organisation:
    """Check ``extra.organisation``; raise :class:`OrganisationError` with every problem and its line."""
    where = ConfigLines(config_file)
    problems: list[str] = []

    def fail(path: tuple[Any, ...], message: str) -> None:
        key = ".".join(str(p) for p in path)
        problems.append(f"{where(('extra', 'organisation') + path)}: extra.organisation.{key}: {message}")

    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise OrganisationError(f"{where(('extra', 'organisation'))}: extra.organisation ska vara nycklar med värden")
    allowed = (*TEXT_KEYS, "logo", "colour", "help")
    for key in raw:
        if key not in allowed:
            fail((key,), f"okänd inställning. Det finns: {', '.join(allowed)}")
    texts = {key: _text(raw.get(key, ""), (key,), fail) for key in TEXT_KEYS}
    colour = raw.get("colour", DEFAULT_COLOUR)
    if not isinstance(colour, str) or not _COLOUR.match(colour):
        fail(("colour",), f"'{colour}' är ingen färg. Skriv den som #rrggbb, till exempel #1f5f8b")
        colour = DEFAULT_COLOUR
    elif contrast(colour, "#ffffff") < 4.5:
        fail(("colour",), f"färgen {colour} är för ljus: vit text på den går inte att läsa (kontrast under 4,5:1)")
    contacts = _contacts(raw.get("help", []), fail)
    logo = _logo(raw.get("logo"), config_file, root, fail)
    if problems:
        raise OrganisationError("Inställningen extra.organisation i mkdocs.yml har fel:\n  " + "\n  ".join(problems))
    return Organisation(texts["name"], texts["short_name"], colour, contacts, logo)


def _text(value: Any, path: tuple[Any, ...], fail: Any, *, limit: int = 300) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        fail(path, f"ska vara text, inte {type(value).__name__}")
        return ""
    text = " ".join(value.split())
    if len(text) > limit:
        fail(path, f"är för lång ({len(text)} tecken, högst {limit})")
    return text


def _contacts(value: Any, fail: Any) -> tuple[HelpContact, ...]:
    if not isinstance(value, list):
        fail(("help",), "ska vara en lista med kontaktvägar")
        return ()
    out = []
    for index, item in enumerate(value):
        path = ("help", index)
        if not isinstance(item, dict):
            fail(path, "ska vara nycklar med värden (title, text, phone, email, url)")
            continue
        for key in item:
            if key not in CONTACT_KEYS:
                fail(path + (key,), f"okänd nyckel. Det finns: {', '.join(CONTACT_KEYS)}")
        fields = {key: _text(item.get(key, ""), path + (key,), fail) for key in CONTACT_KEYS}
        if not fields["title"]:
            fail(path + ("title",), "saknas: varje kontaktväg behöver en rubrik")
        if fields["phone"] and not _PHONE.match(fields["phone"]):
            fail(
                path + ("phone",),
                f"'{fields['phone']}' är inget telefonnummer (siffror, mellanslag, bindestreck, parenteser och ett + först)",
            )
        if fields["email"] and not _EMAIL.match(fields["email"]):
            fail(path + ("email",), f"'{fields['email']}' är ingen e-postadress")
        if fields["url"] and not _HTTPS.match(fields["url"]):
            fail(path + ("url",), f"'{fields['url']}' är ingen webbadress som börjar med https://")
        out.append(HelpContact(**fields))
    return tuple(out)


# What a logo file starts with, for each image format a logo may have.
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"RIFF", ".webp"))


def _logo(value: Any, config_file: Path | None, root: Path, fail: Any) -> Logo | None:
    if not value:
        return None
    if not isinstance(value, str):
        fail(("logo",), "ska vara en sökväg till en bildfil i projektet")
        return None
    base = config_file.parent if config_file else root
    path = base / value
    try:
        resolved = path.resolve(strict=True)
    except OSError:
        fail(("logo",), f"filen '{value}' finns inte (sökvägen räknas från {base})")
        return None
    if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
        fail(("logo",), f"'{value}' ligger utanför projektet eller är ingen fil. Lägg logotypen i projektet")
        return None
    size = resolved.stat().st_size
    if size > MAX_LOGO_BYTES:
        fail(("logo",), f"filen är för stor ({size} byte, högst {MAX_LOGO_BYTES})")
        return None
    data = resolved.read_bytes()
    suffix = _image_kind(data)
    if suffix is None:
        fail(("logo",), "filen är ingen bild i formatet SVG, PNG, JPEG eller WebP")
        return None
    if suffix == ".svg":
        problem = svg_problem(data)
        if problem:
            fail(("logo",), f"SVG-filen går inte att publicera: {problem}")
            return None
    return Logo(resolved, suffix, data)


def _image_kind(data: bytes) -> str | None:
    for signature, suffix in _SIGNATURES:
        if data.startswith(signature):
            if suffix == ".webp" and data[8:12] != b"WEBP":
                return None
            return suffix
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in head:
        return ".svg"
    return None


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
    parts = [round(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{p:02x}" for p in parts)


# An SVG opened on its own runs its scripts with the site's origin (where the
# answers are kept), so a logo may only draw: no scripts, handlers, foreign
# content, style sheets or references to anything but itself.
_SVG_TAGS = {
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
    "desc",
    "defs",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
    "mask",
    "use",
    "symbol",
}
# A processing instruction other than the XML declaration (<?xml-stylesheet href=…?> makes a
# browser fetch a style sheet when the logo is opened on its own), and the CSS functions an
# attribute may call: only drawing, never image-set(), src() or a url() to anything but #id.
_PROCESSING_INSTRUCTION = re.compile(rb"<\?(?!xml[ \t\r\n])", re.IGNORECASE)
_FUNCTION = re.compile(r"([a-z-]+)\(([^)]*)")
_DRAWING_FUNCTIONS = {"url", "rgb", "rgba", "hsl", "hsla", "matrix", "translate", "scale", "rotate", "skewx", "skewy"}


def svg_problem(data: bytes) -> str:
    """Why an SVG may not be published, or "" when it only draws."""
    import xml.etree.ElementTree as ET

    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return "den har en DOCTYPE eller ENTITY"
    if _PROCESSING_INSTRUCTION.search(data):
        return "den har en instruktion <?…?> som hämtar något utanför filen"
    try:
        root = ET.fromstring(data)  # noqa: S314 - DOCTYPE and ENTITY refused above
    except ET.ParseError as exc:
        return f"den går inte att läsa som XML ({exc})"
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag not in _SVG_TAGS:
            return f"elementet <{tag}> är inte tillåtet"
        for name, value in element.attrib.items():
            attr = name.rsplit("}", 1)[-1].lower()
            if attr.startswith("on"):
                return f"attributet {attr} är inte tillåtet"
            if attr == "href" and not value.startswith("#"):
                return "den länkar till något utanför filen"
            if "\\" in value:
                return f"attributet {attr} har ett \\, som kan dölja en hämtning av något utanför filen"
            for function, argument in _FUNCTION.findall(value.lower()):
                if function not in _DRAWING_FUNCTIONS or (function == "url" and not argument.strip(" \t'\"").startswith("#")):
                    return "den hämtar något utanför filen"
    return ""
