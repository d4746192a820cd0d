"""The link-preview image (Open Graph), drawn at build time in the organisation's colour."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

SIZE = (1200, 630)
PREVIEW_PATH = "assets/images/forhandsvisning.png"


def preview_png(*, title: str, tagline: str, footer: str, colour: str, fonts: Path) -> bytes:
    """A 1200×630 PNG: the site's name, what it is, and who publishes it.

    Drawn with the project's own fonts (``fonts``), never the machine's.
    """
    from PIL import Image, ImageDraw, ImageFont

    def font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
        name = "DejaVuSans-Bold-subset.ttf" if bold else "DejaVuSans-subset.ttf"
        return ImageFont.truetype(str(fonts / name), size)

    image = Image.new("RGB", SIZE, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, SIZE[1] - 24, SIZE[0], SIZE[1]), fill="#ffffff")
    y = 110
    for line in textwrap.wrap(title, width=22)[:2]:
        draw.text((80, y), line, font=font(True, 84), fill="#ffffff")
        y += 100
    y += 30
    for line in textwrap.wrap(tagline, width=42)[:3]:
        draw.text((80, y), line, font=font(False, 44), fill="#ffffff")
        y += 60
    draw.text((80, 520), footer, font=font(True, 36), fill="#ffffff")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
