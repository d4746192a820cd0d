"""Text from the bank and the config on its way into HTML: one renderer, one safelist.

Bank texts may use inline Markdown: emphasis, code and links. They are
untrusted (many hands edit the bank), so they go through one renderer that
escapes any HTML first, uses no Markdown extensions (so no ``{: onclick=… }``
attribute lists), and then keeps only a small safelist of elements with no
attributes but a link's ``href`` to ``https:``, ``http:``, ``mailto:``,
``tel:`` or a site-relative address (:func:`inline`). Everything else that
lands in HTML is escaped by the templates (autoescape) or here (:func:`plain`).
"""

from __future__ import annotations

import functools
import html
import re

import markdown
import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {"em", "strong", "code", "a"}
# "*": nh3 otherwise allows title and lang on every tag ([x](url "title") gives one).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}, "*": set()}
URL_SCHEMES = {"https", "http", "mailto", "tel"}

_md = markdown.Markdown(extensions=[], output_format="html")
_TAG = re.compile(r"<[^>]+>")
# Characters that can make Markdown or HTML of a text; a text without any of
# them (most questions) is only escaped, which is much cheaper.
_BLOCK_START = re.compile(r"^(\s*)(\d+[.)]|[-+*#])(?=\s)", re.MULTILINE)
_SPECIAL = re.compile(r"[\\`*_\[\]<>&!]|^\s*([-+#>]|\d+[.)])\s|\n|  ")


@functools.lru_cache(maxsize=65536)
def inline(text: str) -> Markup:
    """Inline Markdown to safe HTML (cached: one text is shown on many pages of a build)."""
    if not _SPECIAL.search(text):
        return Markup(html.escape(text.strip(), quote=False))  # noqa: S704 - escaped just here
    _md.reset()
    # Inline only: a text that starts like a list item or a heading stays text.
    text = _BLOCK_START.sub(
        lambda m: (
            m.group(1) + m.group(2).replace(".", "\\.").replace(")", "\\)")
            if m.group(2)[0].isdigit()
            else m.group(1) + "\\" + m.group(2)
        ),
        text,
    )
    rendered = _md.convert(html.escape(text, quote=False))
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - nh3 keeps only the safelist


@functools.lru_cache(maxsize=65536)
def plain(text: str) -> str:
    """The text a reader sees, without any markup (for search, PDFs' metadata, JSON, CSV, ICS)."""
    return " ".join(html.unescape(_TAG.sub("", str(inline(text)))).split())


def safe_url(url: str) -> str:
    """``url`` if it is a link a reader may follow (https, http, mailto, tel, or site-relative), else ""."""
    candidate = url.strip()
    cleaned = nh3.clean(
        f'<a href="{html.escape(candidate)}">x</a>',
        tags={"a"},
        attributes={"a": {"href"}},
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return candidate if 'href="' in cleaned else ""


def md_text(text: str) -> Markup:
    """Bank text for a line of Markdown (a heading): plain, HTML-escaped, and every
    character Markdown or its extensions would read as syntax escaped with a
    backslash, so ``{: onclick=… }`` or ``[x](javascript:…)`` stays text."""
    escaped = str(escape(plain(text)))
    return Markup(re.sub(r"([\\`*_{}\[\]()#+\-.!|>])", r"\\\1", escaped))  # noqa: S704 - escaped above
