"""The link-preview image (Open Graph), drawn at build time in the organisation's colour."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .org import Organisation

SIZE = (1200, 630)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PREVIEW_PATH = "assets/images/forhandsvisning.png"


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size)


def preview_png(*, site_name: str, tagline: str, org: Organisation) -> bytes:
    """A 1200×630 PNG: the site's name, what it is, and who publishes it."""
    image = Image.new("RGB", SIZE, org.colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, SIZE[1] - 24, SIZE[0], SIZE[1]), fill="#ffffff")
    draw.text((80, 120), site_name, font=_font(True, 92), fill="#ffffff")
    y = 270
    for line in textwrap.wrap(tagline, width=42)[:3]:
        draw.text((80, y), line, font=_font(False, 44), fill="#ffffff")
        y += 60
    draw.text((80, 520), f"Från {org.display_name}" if org.name else "Fri att använda och dela", font=_font(True, 36), fill="#ffffff")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
