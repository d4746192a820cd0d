"""QR codes as SVG, made at build time with segno."""

from __future__ import annotations

import functools
from urllib.parse import urljoin

import segno
from markupsafe import Markup, escape


def absolute_url(site_url: str, path: str) -> str:
    """``path`` (site-relative, e.g. ``arbetsblad/x/``) on the published site."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return urljoin(base, path)


@functools.lru_cache(maxsize=4096)
def _code(url: str) -> segno.QRCode:
    """Encoding is the slow part; one build asks for the same address several times."""
    return segno.make(url, error="m", micro=False)


def qr_data_uri(url: str) -> str:
    """The QR code for ``url`` as an SVG data URI (for an ``<img>`` in a PDF)."""
    return _code(url).svg_data_uri(border=2, scale=1, omitsize=False)


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str, *, label: str) -> Markup:
    """An inline, scalable SVG QR code for ``url``, announced to screen readers as ``label``."""
    svg = _code(url).svg_inline(scale=1, border=2, omitsize=True, svgclass="samtal-qr", lineclass=None)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
