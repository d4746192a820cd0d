"""QR codes as SVG, made at build time with segno."""

from __future__ import annotations

import functools
from typing import Any

from markupsafe import Markup, escape


@functools.lru_cache(maxsize=4096)
def _code(url: str) -> Any:
    """Encoding is the slow part; one build asks for the same address several times.

    segno is imported here, only when a build makes a QR code (a build without
    a public address makes none).
    """
    import segno

    return segno.make(url, error="m", micro=False)


def qr_data_uri(url: str) -> str:
    """The QR code for ``url`` as an SVG data URI."""
    return str(_code(url).svg_data_uri(border=2, scale=1, omitsize=False))


def qr_png_data_uri(url: str) -> str:
    """The QR code for ``url`` as a one-pixel-per-module PNG data URI (for an ``<img>`` in a PDF).

    WeasyPrint draws a small PNG many times faster than the same code as SVG
    paths, and the PDF is smaller; ``image-rendering: pixelated`` keeps the
    modules sharp at any size.
    """
    return str(_code(url).png_data_uri(border=2, scale=1))


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str, *, label: str) -> Markup:
    """An inline, scalable SVG QR code for ``url``, announced to screen readers as ``label``."""
    svg = _code(url).svg_inline(scale=1, border=2, omitsize=True, svgclass="samtal-qr", lineclass=None)
    # segno writes only the code's own markup; the label is escaped.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S704
